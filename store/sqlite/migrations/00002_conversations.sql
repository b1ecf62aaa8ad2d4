-- Dialog conversations and their messages (history and outbox), written in
-- the same transactions as the tickets (dialog.Store.Turn).
--
-- As in 00001, data holds the whole value as JSON and the other columns are
-- copies of its fields for lookups, written from the same value in the same
-- statement. Times are UTC text of fixed width: text order is time order.

-- +goose Up

-- One row per conversation. rev is the compare-and-swap counter of Save;
-- wake_at is the earliest of the conversation's timers, NULL when it has none.
CREATE TABLE conversations (
    id           TEXT    PRIMARY KEY,
    channel      TEXT    NOT NULL,
    channel_user TEXT    NOT NULL,             -- the customer's id on the channel
    rev          INTEGER NOT NULL CHECK (rev >= 1),
    updated_at   TEXT    NOT NULL,
    wake_at      TEXT,
    data         TEXT    NOT NULL CHECK (json_valid(data))
) STRICT;

-- Find: the most recently updated conversation of a user on a channel.
CREATE INDEX conversations_user ON conversations (channel, channel_user, updated_at);

-- Due: conversations with a timer, earliest first.
CREATE INDEX conversations_wake ON conversations (wake_at, id) WHERE wake_at IS NOT NULL;

-- Every message of a conversation, both directions, clustered by
-- conversation. An outbound message with no delivered_at is in the outbox.
-- delivered_at is also set in data when the message is marked delivered.
CREATE TABLE messages (
    conversation_id TEXT    NOT NULL REFERENCES conversations (id),
    seq             INTEGER NOT NULL CHECK (seq >= 1), -- 1, 2, 3... per conversation
    dir             TEXT    NOT NULL CHECK (dir IN ('in', 'out')),
    sender          TEXT    NOT NULL,
    channel         TEXT    NOT NULL,
    client_id       TEXT    NOT NULL DEFAULT '',       -- the channel's id of an inbound message
    delivered_at    TEXT,
    at              TEXT    NOT NULL,
    data            TEXT    NOT NULL CHECK (json_valid(data)),
    PRIMARY KEY (conversation_id, seq)
) STRICT, WITHOUT ROWID;

-- Seen, and no client id twice in one conversation.
CREATE UNIQUE INDEX messages_client_id ON messages (conversation_id, client_id) WHERE client_id <> '';

-- Pending: the outbox of a channel, oldest first. Only undelivered outbound
-- messages are in it, so it stays small and delivery removes the entry.
CREATE INDEX messages_outbox ON messages (channel, at, conversation_id, seq)
    WHERE dir = 'out' AND delivered_at IS NULL;

-- +goose Down
DROP TABLE messages;
DROP TABLE conversations;
