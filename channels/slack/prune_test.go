package slack_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/supportd/supportd/channels/slack"
	"github.com/supportd/supportd/config"
)

// The desk prunes its bookkeeping older than a week while it runs: old
// processed deliveries, deletions, edits and reply records go; recent ones
// stay, and a retry of a reply six days on, or the message event of a
// reply deleted six days ago, is still recognised: the customer gets
// nothing more.
func TestDeskPrunesOldBookkeeping(t *testing.T) {
	h := newHarness(t, func(_ *config.Slack, o *slack.Options) { o.PruneInterval = 50 * time.Millisecond })
	ctx := context.Background()
	h.complaint("v1", "The fridge door is broken")
	ch, thread := h.thread("T-1001")
	h.mustOK(h.press("c1", "U1", "claim", "T-1001", ch, thread))
	reply := map[string]any{"type": "message", "user": "U1", "text": "We refund you 5000 CNY", "channel": ch, "thread_ts": thread, "ts": "1764000800.000001"}
	h.mustOK(h.event("Erep", reply))
	eventually(t, "the reply", func() bool { return len(h.outbox()) == 1 && h.processed("ev:Erep") })

	now := time.Now()
	old, within := now.Add(-8*24*time.Hour), now.Add(-6*24*time.Hour)
	exec := func(q string, args ...any) {
		t.Helper()
		err := h.db.WriteTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, q, args...)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	at := func(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z") }
	// The reply, six days on.
	exec(`UPDATE slack_inbox SET received_at = ?, next_at = ?, done_at = ? WHERE key = 'ev:Erep'`, at(within), at(within), at(within))
	exec(`UPDATE slack_posts SET started_at = ?, posted_at = ? WHERE key = 'reply:ev:Erep'`, at(within), at(within))
	// A week and a day old: gone.
	exec(`INSERT INTO slack_inbox (key, kind, body, received_at, next_at, done_at) VALUES ('ev:Eold', 'event', ?, ?, ?, ?)`, []byte(`{}`), at(old), at(old), at(old))
	// Begun and posted in one write: the pruner, running every 50 ms, may
	// come between two.
	exec(`INSERT INTO slack_posts (key, channel, ts, started_at, posted_at) VALUES ('reply:ev:Eold', '', 'done', ?, ?)`, at(old), at(old))
	for _, err := range []error{
		h.db.SlackMarkDeleted(ctx, ch, "1764000100.000001", old),
		h.db.SlackMarkEdited(ctx, ch, "1764000100.000002", "1764000100.000003", "a", "b", old),
		// Deleted six days ago: kept.
		h.db.SlackMarkDeleted(ctx, ch, "1764000700.000001", within),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}

	count := func(q string, args ...any) int {
		var n int
		if err := h.db.SQL().QueryRow(q, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	eventually(t, "the old bookkeeping pruned", func() bool {
		return count(`SELECT count(*) FROM slack_inbox WHERE key = 'ev:Eold'`) == 0 &&
			count(`SELECT count(*) FROM slack_deleted WHERE ts = '1764000100.000001'`) == 0 &&
			count(`SELECT count(*) FROM slack_edited`) == 0 &&
			count(`SELECT count(*) FROM slack_posts WHERE key = 'reply:ev:Eold'`) == 0
	})
	for _, c := range []struct{ what, q string }{
		{"the reply's delivery", `SELECT count(*) FROM slack_inbox WHERE key = 'ev:Erep'`},
		{"the reply's record", `SELECT count(*) FROM slack_posts WHERE key = 'reply:ev:Erep'`},
		{"the escalation's record", `SELECT count(*) FROM slack_posts WHERE key = 'ticket:T-1001'`},
		{"the deletion of six days ago", `SELECT count(*) FROM slack_deleted WHERE ts = '1764000700.000001'`},
	} {
		if count(c.q) != 1 {
			t.Errorf("%s was pruned", c.what)
		}
	}

	// Slack retries the reply; the message event of the deleted reply comes.
	h.mustOK(h.event("Erep", reply))
	h.mustOK(h.event("Edel", map[string]any{"type": "message", "user": "U1", "text": "We refund you 9000 CNY",
		"channel": ch, "thread_ts": thread, "ts": "1764000700.000001"}))
	eventually(t, "the late message event processed", func() bool { return h.processed("ev:Edel") })
	h.toldTo("U1", "Your reply was deleted in Slack before it was sent")
	if got := h.outbox(); len(got) != 1 || got[0].Text != "We refund you 5000 CNY" {
		t.Errorf("the customer has %+v, want the one reply", got)
	}
	if n := count(`SELECT count(*) FROM slack_inbox WHERE key = 'ev:Erep'`); n != 1 {
		t.Errorf("the reply's delivery is in the inbox %d times", n)
	}
}
