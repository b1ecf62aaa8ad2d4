package sqlite

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/supportd/supportd/ticketing"
)

// TestListUsesIndexes checks with EXPLAIN QUERY PLAN that every List filter
// searches an index instead of scanning the tickets table.
func TestListUsesIndexes(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "plan.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, f := range []ticketing.Filter{
		{Kind: ticketing.KindRepair},
		{Status: ticketing.StatusOpen, Limit: 10},
		{Assignee: "U1"},
		{Customer: "a@example.com"},
		{Kind: ticketing.KindRepair, Status: ticketing.StatusOpen},
		{UpdatedSince: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)},
	} {
		q, args := listQuery(f)
		p := queryPlan(t, db, q, args...)
		t.Logf("%+v: %s", f, p)
		if !strings.Contains(p, "USING INDEX") || strings.Contains(p, "SCAN tickets") {
			t.Errorf("List(%+v) plan: %s", f, p)
		}
	}
}

// TestCommittedInUsesIndex: the crash check of a retried mail searches the
// email client-id index instead of scanning every message.
func TestCommittedInUsesIndex(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "plan.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p := queryPlan(t, db, sqlCommittedIn, "key", "email", "a@example.com")
	if !strings.Contains(p, "SEARCH m USING INDEX") || strings.Contains(p, "SCAN m") {
		t.Errorf("CommittedIn plan: %s", p)
	}
}

// queryPlan returns SQLite's plan of a query, its steps joined by "; ".
func queryPlan(t *testing.T, db *DB, q string, args ...any) string {
	t.Helper()
	rows, err := db.reader.Query("EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(plan, "; ")
}

// TestSlackPruneUsesIndexes: each batch of SlackPrune searches the index on
// the time its table is pruned by, instead of scanning the table.
func TestSlackPruneUsesIndexes(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "plan.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, c := range []struct{ query, index string }{
		{sqlSlackPruneInbox, "slack_inbox_done"},
		{sqlSlackPruneDeleted, "slack_deleted_at"},
		{sqlSlackPruneEdited, "slack_edited_at"},
		{sqlSlackPrunePosts, "slack_posts_prunable"},
	} {
		p := queryPlan(t, db, c.query, "2026-11-25T00:00:00.000000000Z", 100)
		t.Logf("%s: %s", c.index, p)
		if !strings.Contains(p, c.index) || strings.Contains(p, "SCAN slack_") {
			t.Errorf("plan of %s: %s", c.index, p)
		}
	}
}

// TestSentToUsesIndex: finding the mails sent to a sender (a reply without
// threading headers) searches the recipient index, not every mail sent.
func TestSentToUsesIndex(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "plan.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p := queryPlan(t, db, sqlSentTo, "a@example.com", "2026-11-25T00:00:00.000000000Z", 50)
	t.Log(p)
	if !strings.Contains(p, "email_outbound_sent_to") || !strings.Contains(p, "email_participants_address") ||
		strings.Contains(p, "SCAN o") || strings.Contains(p, "SCAN p") || strings.Contains(p, "SCAN email_") {
		t.Errorf("SentTo plan: %s", p)
	}
}

// TestWebhookQueriesUseKeys: reading the feed after a cursor and pruning it
// search the feed's key and the events' and tickets' keys, not scan them.
func TestWebhookQueriesUseKeys(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "plan.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p := queryPlan(t, db, sqlWebhookEvents, 10, 100)
	t.Log(p)
	if strings.Contains(p, "SCAN") {
		t.Errorf("WebhookEvents plan: %s", p)
	}
	p = queryPlan(t, db, sqlWebhookPrune, 100)
	t.Log(p)
	if strings.Contains(p, "SCAN webhook_feed") {
		t.Errorf("WebhookPrune plan: %s", p)
	}
}
