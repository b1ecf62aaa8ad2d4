-- The participants of an email conversation: the addresses the customer's
-- mails (and those of participants) copied on the thread, in To or Cc,
-- besides the customer and the support address. A reply of one of them to
-- the thread joins the conversation (channels/email, threading); our
-- replies copy them. An address never seen on the thread is not one.

-- +goose Up
CREATE TABLE email_participants (
    conversation_id TEXT NOT NULL,
    address         TEXT NOT NULL,  -- lower-cased
    added_at        TEXT NOT NULL,
    PRIMARY KEY (conversation_id, address)
) STRICT, WITHOUT ROWID;

-- +goose Down
DROP TABLE email_participants;
