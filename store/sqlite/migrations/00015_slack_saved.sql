-- Saved replies called in ticket threads (channels.slack.saved_replies), by
-- the Slack message's channel and ts and the text of the call as processed
-- (`!visit`, or the text of an edit): the reply as filled when the call was
-- first processed. A delivery tried again (cut short after the reply may
-- have gone) sends, and looks for in the customer's history, this text, not
-- the saved reply as it reads now: a reload that changed it in between does
-- not send it twice. Pruned with slack_edited (SlackPrune).

-- +goose Up
CREATE TABLE slack_saved (
    channel   TEXT NOT NULL,
    ts        TEXT NOT NULL,
    call      TEXT NOT NULL,
    text      TEXT NOT NULL,
    filled_at TEXT NOT NULL,
    PRIMARY KEY (channel, ts, call)
) STRICT, WITHOUT ROWID;

CREATE INDEX slack_saved_at ON slack_saved (filled_at);

-- +goose Down
DROP TABLE slack_saved;
