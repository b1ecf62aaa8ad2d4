-- The mails sent to a recipient, newest first (SentTo): a reply from a
-- client that sends no In-Reply-To or References (QQ Mail) is threaded by
-- the subject of the mail it answers. 00003's index covers automatic mail
-- only.

-- +goose Up
CREATE INDEX email_outbound_sent_to ON email_outbound (recipient, created_at);

-- +goose Down
DROP INDEX email_outbound_sent_to;
