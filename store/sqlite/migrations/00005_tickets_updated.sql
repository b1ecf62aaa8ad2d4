-- List by the last change (ticketing.Filter.UpdatedSince): the report of a
-- period reads only the tickets changed since it began, not all of them.

-- +goose Up
CREATE INDEX tickets_updated ON tickets (updated_at);

-- +goose Down
DROP INDEX tickets_updated;
