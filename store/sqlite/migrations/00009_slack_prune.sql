-- Pruning the Slack desk's bookkeeping (SlackPrune in slack.go): each table
-- that grows with traffic gets an index on the time its rows are pruned by,
-- so that a batch reads only the rows it deletes.
--
-- slack_posts is pruned only of the records of posts made for one delivery
-- (act:, did:, reply:, note:) and of customer messages relayed (msg:); the
-- partial index holds those alone, and its expression is repeated, as it is
-- here, in the pruning query (sqlSlackPrunePosts) so that SQLite uses it.
-- The records of a ticket's posts (ticket:, sla:, quote:, rating:, owner:)
-- are kept as long as the ticket: its sync may post them again at any time.

-- +goose Up
CREATE INDEX slack_inbox_done ON slack_inbox (done_at) WHERE done_at IS NOT NULL;
CREATE INDEX slack_deleted_at ON slack_deleted (deleted_at);
CREATE INDEX slack_edited_at ON slack_edited (edited_at);
CREATE INDEX slack_posts_prunable ON slack_posts (started_at)
    WHERE substr(key, 1, instr(key, ':')) IN ('act:', 'did:', 'reply:', 'note:', 'msg:');

-- +goose Down
DROP INDEX slack_posts_prunable;
DROP INDEX slack_edited_at;
DROP INDEX slack_deleted_at;
DROP INDEX slack_inbox_done;
