-- Thread messages edited in Slack, by channel and ts: the text of the
-- latest edit seen. A message event processed after its edit (a retry after
-- a 503, or queued behind it) sends the edited text, as the agent left it,
-- instead of the text first written.
--
-- edit_ts is Slack's ts of the edit (message.edited.ts): an edit processed
-- after a later one does not bring back its older text. first_text is the
-- text before the first edit recorded: what the customer has when the reply
-- was sent before its edits.

-- +goose Up
CREATE TABLE slack_edited (
    channel    TEXT NOT NULL,
    ts         TEXT NOT NULL,
    text       TEXT NOT NULL,
    edit_ts    TEXT NOT NULL,
    first_text TEXT NOT NULL,
    edited_at  TEXT NOT NULL,
    PRIMARY KEY (channel, ts)
) STRICT, WITHOUT ROWID;

-- +goose Down
DROP TABLE slack_edited;
