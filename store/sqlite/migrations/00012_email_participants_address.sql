-- The conversations an address is a participant of (SentTo): a copied
-- colleague's reply from a client that sends no In-Reply-To or References
-- is threaded by the subject of the mails it was copied on.

-- +goose Up
CREATE INDEX email_participants_address ON email_participants (address, added_at);

-- +goose Down
DROP INDEX email_participants_address;
