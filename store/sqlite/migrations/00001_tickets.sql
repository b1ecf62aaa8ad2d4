-- Tickets and their append-only audit log.
--
-- Each committed write costs one WAL frame per B-tree page it touches, so the
-- schema keeps the number of B-trees a ticket write touches small: no
-- separate sequence table (tickets are never deleted: their events refer to
-- them, so MAX(seq) + 1 never reuses a number), no separate unique index on
-- the text id (it is derived from seq), and events clustered by ticket.

-- +goose Up

-- One row per ticket. data is the whole ticket as JSON (the public
-- `tickets show --json` shape); the other columns are copies of its fields
-- for filtering, written from the same value in the same statement.
CREATE TABLE tickets (
    seq             INTEGER PRIMARY KEY,          -- the number in the id: 1001 for T-1001
    id              TEXT    NOT NULL CHECK (id = 'T-' || seq),
    kind            TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    assignee        TEXT    NOT NULL DEFAULT '',
    customer_email  TEXT    NOT NULL DEFAULT '' COLLATE NOCASE,
    channel         TEXT    NOT NULL DEFAULT '',
    channel_user    TEXT    NOT NULL DEFAULT '',
    conversation_id TEXT    NOT NULL DEFAULT '',
    created_at      TEXT    NOT NULL,             -- UTC, fixed width: text order is time order
    updated_at      TEXT    NOT NULL,
    version         INTEGER NOT NULL,
    data            TEXT    NOT NULL CHECK (json_valid(data))
) STRICT;

-- List is newest first (seq DESC); each filter has an index ending in seq.
CREATE INDEX tickets_kind         ON tickets (kind, seq);
CREATE INDEX tickets_status       ON tickets (status, seq);
CREATE INDEX tickets_assignee     ON tickets (assignee, seq);
CREATE INDEX tickets_customer     ON tickets (customer_email, seq);
CREATE INDEX tickets_channel_user ON tickets (channel_user, seq);

-- The audit log: written once, never changed (see the triggers below).
CREATE TABLE events (
    ticket_seq INTEGER NOT NULL REFERENCES tickets (seq), -- 1001 for T-1001
    seq        INTEGER NOT NULL,                          -- 1, 2, 3... per ticket
    at         TEXT    NOT NULL,                          -- UTC, fixed width
    actor      TEXT    NOT NULL,
    channel    TEXT    NOT NULL DEFAULT '',
    action     TEXT    NOT NULL,
    changes    TEXT    CHECK (changes IS NULL OR json_valid(changes)),
    note       TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (ticket_seq, seq)
) STRICT, WITHOUT ROWID;

-- +goose StatementBegin
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE events;
DROP TABLE tickets;
