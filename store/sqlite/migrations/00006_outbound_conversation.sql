-- The web chat marks in a returning visitor's history the replies that went
-- out by mail while they were away (DB.MailedSeqs): the mails sent of one
-- conversation.

-- +goose Up
CREATE INDEX email_outbound_conversation ON email_outbound (conversation_id) WHERE status = 'sent';

-- +goose Down
DROP INDEX email_outbound_conversation;
