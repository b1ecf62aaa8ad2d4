-- Erasing a customer's personal data (DB.EraseCustomer, `supportd customer
-- forget`): the one exception to the append-only audit log of 00001.
--
-- A data subject's erasure request (PIPL art. 47, GDPR art. 17) reaches the
-- notes and the old and new values that events recorded (a fault
-- description, an address, a note quoting the customer). The log stays
-- append-only for everything else; an event's note, actor and changes can be
-- rewritten only
--   * while its ticket has a row in events_erasing, which the erasure path
--     inserts and deletes again inside its own transaction (the table is
--     empty whenever no erasure runs), and
--   * keeping its ticket, number, time, channel and action: what the service
--     statistics read (a status change and its time) stays as it was; a
--     note can only become the marker '[erased]', an actor only lose what
--     follows its kind ('participant:[erased]').
-- An event is still never deleted, and the erasure itself is appended to the
-- log as an event of its own ("personal data erased", by the operator).
--
-- Dropping and re-creating the trigger inside the erasing transaction would
-- need no migration, but it makes the exception invisible in the schema and
-- open to any writer with DDL; here the schema says what may change, and
-- the trigger enforces it for every writer.

-- +goose Up
CREATE TABLE events_erasing (
    ticket_seq INTEGER PRIMARY KEY
) STRICT;

DROP TRIGGER events_no_update;

-- +goose StatementBegin
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
WHEN NOT EXISTS (SELECT 1 FROM events_erasing WHERE ticket_seq = OLD.ticket_seq)
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER events_erase_only BEFORE UPDATE ON events
WHEN EXISTS (SELECT 1 FROM events_erasing WHERE ticket_seq = OLD.ticket_seq)
    AND (NEW.ticket_seq IS NOT OLD.ticket_seq OR NEW.seq IS NOT OLD.seq OR NEW.at IS NOT OLD.at
        OR NEW.channel IS NOT OLD.channel OR NEW.action IS NOT OLD.action
        OR (NEW.note IS NOT OLD.note AND NEW.note IS NOT '[erased]')
        OR (NEW.actor IS NOT OLD.actor AND NEW.actor NOT LIKE '%[erased]'))
BEGIN
    SELECT RAISE(ABORT, 'an erasure changes only the note, actor and changes of an event');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER events_erase_only;
DROP TRIGGER events_no_update;

-- +goose StatementBegin
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;
-- +goose StatementEnd

DROP TABLE events_erasing;
