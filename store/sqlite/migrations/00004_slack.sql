-- The Slack agent desk (package channels/slack): the durable inbox of what
-- Slack sent, the escalation messages and their threads, every message the
-- desk posted (its idempotency record), relay cursors and the agents.
--
-- Times are UTC text of fixed width, as in 00001: text order is time order.

-- +goose Up

-- What Slack sent (events, interactions, slash commands), queued before the
-- request is answered and processed by the desk's worker. key is the event
-- id (or the interaction's trigger id): a retry of the same delivery is not
-- queued twice.
CREATE TABLE slack_inbox (
    id          INTEGER PRIMARY KEY,
    key         TEXT    NOT NULL UNIQUE,
    kind        TEXT    NOT NULL,             -- event, interaction, command
    body        BLOB    NOT NULL,
    received_at TEXT    NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_at     TEXT    NOT NULL,             -- not processed before
    done_at     TEXT,                         -- NULL while to do
    error       TEXT    NOT NULL DEFAULT ''   -- the last failure
) STRICT;

CREATE INDEX slack_inbox_todo ON slack_inbox (next_at, id) WHERE done_at IS NULL;

-- One escalation message per ticket; its thread carries the conversation.
-- rendered is a digest of the message as last posted or updated, so that an
-- unchanged ticket is not updated again.
CREATE TABLE slack_threads (
    ticket_id TEXT PRIMARY KEY,
    channel   TEXT NOT NULL,
    ts        TEXT NOT NULL,
    rendered  TEXT NOT NULL DEFAULT '',
    posted_at TEXT NOT NULL
) STRICT;

CREATE UNIQUE INDEX slack_threads_ts ON slack_threads (channel, ts);

-- Every message the desk posts, by idempotency key ("ticket:T-1001",
-- "sla:T-1001:resolution:breach:...", "rating:T-1001"). A row with an empty
-- ts is a post in flight: before posting it again the desk looks for it in
-- Slack by its metadata.
CREATE TABLE slack_posts (
    key        TEXT PRIMARY KEY,
    channel    TEXT NOT NULL,
    thread_ts  TEXT NOT NULL DEFAULT '',
    ts         TEXT NOT NULL DEFAULT '',
    started_at TEXT NOT NULL,
    posted_at  TEXT
) STRICT;

-- The last message of a conversation relayed into its thread.
CREATE TABLE slack_relay (
    conversation_id TEXT PRIMARY KEY,
    last_seq        INTEGER NOT NULL
) STRICT;

-- Slack users known as agents: the name customers see, found by email.
CREATE TABLE slack_agents (
    user_id    TEXT PRIMARY KEY,
    email      TEXT NOT NULL,
    name       TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE INDEX slack_agents_name ON slack_agents (name);

-- +goose Down
DROP TABLE slack_agents;
DROP TABLE slack_relay;
DROP TABLE slack_posts;
DROP TABLE slack_threads;
DROP TABLE slack_inbox;
