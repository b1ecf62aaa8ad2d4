-- Thread messages deleted in Slack, by channel and ts: a message event that
-- comes after its deletion (a retry after a 503, or queued behind it) is
-- dropped instead of reaching the customer.

-- +goose Up
CREATE TABLE slack_deleted (
    channel    TEXT NOT NULL,
    ts         TEXT NOT NULL,
    deleted_at TEXT NOT NULL,
    PRIMARY KEY (channel, ts)
) STRICT, WITHOUT ROWID;

-- +goose Down
DROP TABLE slack_deleted;
