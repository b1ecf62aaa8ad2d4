-- Outgoing webhooks (package webhooks): every ticket event in one global
-- order, and how far each configured webhook has delivered it.
--
-- events is keyed by ticket, so it has no order across tickets. The feed
-- gives each event a number as it is written, in the same transaction (a
-- trigger), so that no committed event can be missed and numbers grow in
-- commit order: SQLite has one writer per file. AUTOINCREMENT, so that a
-- number is never used twice, even after the feed was pruned empty (a
-- cursor past a reused number would skip that event).
--
-- The trigger writes only while a webhook is configured (a cursor exists):
-- a server without webhooks pays nothing. A webhook's cursor is the number
-- of the last event it acknowledged (2xx) or that its filter skips; rows
-- every cursor has passed are pruned (WebhookPrune).

-- +goose Up
CREATE TABLE webhook_feed (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_seq INTEGER NOT NULL,   -- the event's key in events
    seq        INTEGER NOT NULL
) STRICT;

CREATE TABLE webhook_cursors (
    name       TEXT    PRIMARY KEY, -- webhooks[].name
    last_id    INTEGER NOT NULL,    -- the last feed id done
    updated_at TEXT    NOT NULL
) STRICT;

-- +goose StatementBegin
CREATE TRIGGER webhook_feed_events AFTER INSERT ON events
WHEN EXISTS (SELECT 1 FROM webhook_cursors)
BEGIN
    INSERT INTO webhook_feed (ticket_seq, seq) VALUES (NEW.ticket_seq, NEW.seq);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER webhook_feed_events;
DROP TABLE webhook_cursors;
DROP TABLE webhook_feed;
