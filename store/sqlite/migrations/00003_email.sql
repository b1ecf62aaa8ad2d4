-- The email channel's own state (channels/email, mailstore.Store): IMAP
-- checkpoints, the log of every mail read, the Message-ID → conversation
-- map, and the send state of every mail sent. Times are UTC text of fixed
-- width, as in 00001.

-- +goose Up

-- One checkpoint per mailbox: every mail up to last_uid under uid_validity
-- is committed.
CREATE TABLE email_checkpoints (
    mailbox      TEXT    PRIMARY KEY,
    uid_validity INTEGER NOT NULL,
    last_uid     INTEGER NOT NULL,
    updated_at   TEXT    NOT NULL
) STRICT;

-- Every mail read, by dedupe key (the Message-ID, or "sha256:" and a content
-- hash when it has none) and sender: what dedupe, audit and quarantine look
-- at. Records are kept when conversations or tickets are deleted, so such a
-- mail is never imported again.
CREATE TABLE email_inbound (
    dedupe_key      TEXT    NOT NULL,
    sender          TEXT    NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('processing', 'done', 'automated', 'own', 'quarantined')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    conversation_id TEXT    NOT NULL DEFAULT '',
    mailbox         TEXT    NOT NULL DEFAULT '',
    uid_validity    INTEGER NOT NULL DEFAULT 0,
    uid             INTEGER NOT NULL DEFAULT 0,
    subject         TEXT    NOT NULL DEFAULT '',
    reason          TEXT    NOT NULL DEFAULT '',
    raw             BLOB,                         -- automated and quarantined mail, for audit
    received_at     TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    PRIMARY KEY (dedupe_key, sender)
) STRICT, WITHOUT ROWID;

CREATE INDEX email_inbound_status ON email_inbound (status, updated_at);

-- Every Message-ID received or sent, mapped to its conversation: threading
-- by In-Reply-To and References.
CREATE TABLE email_threads (
    message_id      TEXT NOT NULL PRIMARY KEY,  -- without angle brackets
    conversation_id TEXT NOT NULL,
    dir             TEXT NOT NULL CHECK (dir IN ('in', 'out')),
    subject         TEXT NOT NULL DEFAULT '',
    at              TEXT NOT NULL
) STRICT;

CREATE INDEX email_threads_conversation ON email_threads (conversation_id, at);

-- The send state of every mail sent from the outbox. The Message-ID is
-- derived from the conversation and its first message, so a retry finds the
-- record of the attempt before it.
CREATE TABLE email_outbound (
    message_id      TEXT    NOT NULL PRIMARY KEY,
    conversation_id TEXT    NOT NULL,
    first_seq       INTEGER NOT NULL,
    last_seq        INTEGER NOT NULL,
    recipient       TEXT    NOT NULL,
    auto            INTEGER NOT NULL CHECK (auto IN (0, 1)),
    status          TEXT    NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'abandoned', 'capped')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    error           TEXT    NOT NULL DEFAULT '',
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
) STRICT;

-- The daily cap of automatic replies per recipient.
CREATE INDEX email_outbound_recipient ON email_outbound (recipient, created_at) WHERE auto = 1;

-- Reconciling after a crash between a turn's commit and its email_inbound
-- record: the inbound message of an email conversation by its client id.
CREATE INDEX messages_email_client_id ON messages (client_id)
    WHERE channel = 'email' AND dir = 'in' AND client_id <> '';

-- +goose Down
DROP INDEX messages_email_client_id;
DROP TABLE email_outbound;
DROP TABLE email_threads;
DROP TABLE email_inbound;
DROP TABLE email_checkpoints;
