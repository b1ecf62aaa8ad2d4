package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Pruning the Slack desk's bookkeeping (migration 00009). Each statement
// deletes at most one batch of rows in a write transaction of its own, so
// that the writer, which every customer's turn shares (group commit), is
// never held for long; a caller runs SlackPrune again while it reports more.

const (
	// sqlSlackPruneInbox deletes processed deliveries (done, or given up)
	// processed before a time.
	sqlSlackPruneInbox = `DELETE FROM slack_inbox WHERE id IN (SELECT id FROM slack_inbox
		WHERE done_at IS NOT NULL AND done_at < ? ORDER BY done_at LIMIT ?)`
	sqlSlackPruneDeleted = `DELETE FROM slack_deleted WHERE (channel, ts) IN (SELECT channel, ts FROM slack_deleted
		WHERE deleted_at < ? ORDER BY deleted_at LIMIT ?)`
	sqlSlackPruneEdited = `DELETE FROM slack_edited WHERE (channel, ts) IN (SELECT channel, ts FROM slack_edited
		WHERE edited_at < ? ORDER BY edited_at LIMIT ?)`
	sqlSlackPruneSaved = `DELETE FROM slack_saved WHERE (channel, ts, call) IN (SELECT channel, ts, call FROM slack_saved
		WHERE filled_at < ? ORDER BY filled_at LIMIT ?)`
	// sqlSlackPrunePosts deletes the records of posts made for one delivery
	// and of customer messages relayed (not one in flight: the relay cursor
	// has not passed it, and the post is looked for by its record), begun
	// before a time. The expression on key is the partial index's.
	sqlSlackPrunePosts = `DELETE FROM slack_posts WHERE rowid IN (SELECT rowid FROM slack_posts
		WHERE substr(key, 1, instr(key, ':')) IN ('act:', 'did:', 'reply:', 'note:', 'msg:')
		AND started_at < ? AND (ts != '' OR substr(key, 1, 4) != 'msg:') ORDER BY started_at LIMIT ?)`
	// sqlSlackOldestTodo is when the oldest delivery still to process came.
	sqlSlackOldestTodo = `SELECT MIN(received_at) FROM slack_inbox WHERE done_at IS NULL`
)

// SlackPrune deletes up to batch rows from each of the Slack desk's tables
// that grow with traffic, of the rows no longer needed at now with keep as
// the retention:
//
//   - slack_inbox: deliveries processed (or given up) more than keep ago.
//     A retry of one of them (same event id or trigger id) within keep is
//     still recognised as a duplicate; deliveries still to process stay.
//   - slack_deleted, slack_edited, slack_saved: thread messages deleted or
//     edited, saved replies filled, and
//   - slack_posts: the records of posts made for one delivery (a reply, a
//     note, a button's effect and its notice) and of customer messages
//     relayed,
//     recorded more than keep before the oldest delivery still to process
//     (or now): a message event that comes after its deletion or edit, or a
//     delivery tried again, still finds them, even after the process was
//     down longer than keep. The records of a ticket's own posts (its
//     escalation, SLA warnings, quote answer, rating, owner note) stay as
//     long as the ticket: its sync may post them again whenever it runs.
//
// slack_threads, slack_relay and slack_agents are not pruned: one row per
// ticket, conversation or agent, needed as long as those are.
//
// Each table is pruned in its own short write transaction. SlackPrune
// reports how many rows it deleted and whether a table had more to delete
// (then call it again). It is safe for concurrent use.
func (db *DB) SlackPrune(ctx context.Context, now time.Time, keep time.Duration, batch int) (int, bool, error) {
	if keep <= 0 || batch <= 0 {
		return 0, false, errors.New("slack prune: retention and batch must be positive")
	}
	since := now
	var oldest sql.NullString
	if err := db.queryRow(ctx, sqlSlackOldestTodo).Scan(&oldest); err != nil {
		return 0, false, fmt.Errorf("slack prune: %w", err)
	}
	if t, err := time.Parse(timeLayout, oldest.String); oldest.Valid && err == nil && t.Before(since) {
		since = t
	}
	marks := formatTime(since.Add(-keep))
	total, more := 0, false
	for _, s := range []struct{ table, query, before string }{
		{"slack_inbox", sqlSlackPruneInbox, formatTime(now.Add(-keep))},
		{"slack_deleted", sqlSlackPruneDeleted, marks},
		{"slack_edited", sqlSlackPruneEdited, marks},
		{"slack_saved", sqlSlackPruneSaved, marks},
		{"slack_posts", sqlSlackPrunePosts, marks},
	} {
		res, err := db.execWrite(ctx, s.query, s.before, batch)
		if err != nil {
			return total, more, fmt.Errorf("slack prune %s: %w", s.table, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return total, more, fmt.Errorf("slack prune %s: %w", s.table, err)
		}
		total += int(n)
		more = more || int(n) >= batch
	}
	return total, more, nil
}
