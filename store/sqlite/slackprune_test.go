package sqlite_test

import (
	"context"
	"testing"
	"time"

	"github.com/supportd/supportd/store/sqlite"
)

// SlackPrune deletes, in batches, the Slack bookkeeping older than the
// retention and keeps the rest: recent rows, deliveries still to process,
// the deletions and edits a delivery still to process may need, posts in
// flight and a ticket's own posts. A retry within the retention is still a
// duplicate.
func TestSlackPruneKeepsWhatRetriesNeed(t *testing.T) {
	db := openSlackDB(t)
	ctx := context.Background()
	now := time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC)
	const keep = 7 * 24 * time.Hour
	old, recent := now.Add(-keep-time.Hour), now.Add(-keep+time.Hour)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	done := func(key string, at time.Time) {
		t.Helper()
		if ok, err := db.SlackEnqueue(ctx, key, "event", []byte(`{}`), at); !ok || err != nil {
			t.Fatalf("queue %s: %v %v", key, ok, err)
		}
		jobs, err := db.SlackJobs(ctx, at, 100)
		must(err)
		for _, j := range jobs {
			if j.Key == key {
				must(db.SlackJobDone(ctx, j.ID, at))
			}
		}
	}
	post := func(key, ts string, at time.Time) {
		t.Helper()
		must(db.SlackBeginPost(ctx, sqlite.SlackPost{Key: key, Channel: "C1", Started: at}))
		if ts != "" {
			must(db.SlackPosted(ctx, key, "C1", ts, at))
		}
	}
	for i := range 5 {
		done("ev:old"+string(rune('a'+i)), old)
	}
	done("ev:recent", recent)
	// A delivery received long ago, still to process (the process was down).
	if _, err := db.SlackEnqueue(ctx, "ev:todo", "event", []byte(`{}`), now.Add(-10*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	must(db.SlackMarkDeleted(ctx, "C1", "1.000001", old))
	must(db.SlackMarkDeleted(ctx, "C1", "1.000002", recent))
	must(db.SlackMarkEdited(ctx, "C1", "1.000003", "1.1", "a", "b", old))
	must(db.SlackMarkEdited(ctx, "C1", "1.000004", "1.1", "a", "b", recent))
	fill := func(ts string, at time.Time) {
		t.Helper()
		_, err := db.SlackFill(ctx, "C1", ts, "!visit", "The technician comes.", at)
		must(err)
	}
	filled := func(ts string) bool {
		_, ok, err := db.SlackFilled(ctx, "C1", ts, "!visit")
		must(err)
		return ok
	}
	fill("1.000005", old)
	fill("1.000006", recent)
	prunable := []string{"reply:ev:olda", "note:ev:oldb", "act:interaction:x", "did:interaction:x", "msg:c1:5"}
	for _, k := range prunable {
		post(k, "1.1", old)
	}
	kept := []string{"reply:ev:recent", "ticket:T-1001", "sla:T-1001:resolution:breach:1764000000", "rating:T-1001",
		"quote:T-1001:accepted:380", "owner:T-1001"}
	post("reply:ev:recent", "1.1", recent)
	for _, k := range kept[1:] {
		post(k, "1.1", old)
	}
	post("msg:c1:6", "", old) // in flight: kept
	kept = append(kept, "msg:c1:6")

	prune := func() {
		t.Helper()
		for i := 0; ; i++ {
			if i > 10 {
				t.Fatal("SlackPrune reports more after 10 batches")
			}
			_, more, err := db.SlackPrune(ctx, now, keep, 2)
			must(err)
			if !more {
				return
			}
		}
	}
	inInbox := func(key string) bool {
		var n int
		must(db.SQL().QueryRow(`SELECT count(*) FROM slack_inbox WHERE key = ?`, key).Scan(&n))
		return n == 1
	}
	posted := func(key string) bool {
		_, ok, err := db.SlackPost(ctx, key)
		must(err)
		return ok
	}

	// While a delivery of ten days ago is still to process, the deletions,
	// edits and delivery posts it may need stay; processed deliveries go.
	prune()
	for i := range 5 {
		if k := "ev:old" + string(rune('a'+i)); inInbox(k) {
			t.Errorf("%s, processed %v ago, is still in the inbox", k, now.Sub(old))
		}
	}
	for _, k := range []string{"ev:recent", "ev:todo"} {
		if !inInbox(k) {
			t.Errorf("%s is gone from the inbox", k)
		}
	}
	if gone, _ := db.SlackDeleted(ctx, "C1", "1.000001"); !gone {
		t.Error("an old deletion was pruned while an older delivery is still to process")
	}
	if _, ok, _ := db.SlackEdited(ctx, "C1", "1.000003"); !ok {
		t.Error("an old edit was pruned while an older delivery is still to process")
	}
	if !posted("reply:ev:olda") {
		t.Error("an old reply's record was pruned while an older delivery is still to process")
	}
	if !filled("1.000005") {
		t.Error("an old saved reply's text was pruned while an older delivery is still to process")
	}

	// Once it is processed, they go too.
	jobs, err := db.SlackJobs(ctx, now, 100)
	must(err)
	for _, j := range jobs {
		must(db.SlackJobDone(ctx, j.ID, now))
	}
	prune()
	if gone, _ := db.SlackDeleted(ctx, "C1", "1.000001"); gone {
		t.Error("an old deletion is kept")
	}
	if gone, _ := db.SlackDeleted(ctx, "C1", "1.000002"); !gone {
		t.Error("a recent deletion was pruned")
	}
	if _, ok, _ := db.SlackEdited(ctx, "C1", "1.000003"); ok {
		t.Error("an old edit is kept")
	}
	if _, ok, _ := db.SlackEdited(ctx, "C1", "1.000004"); !ok {
		t.Error("a recent edit was pruned")
	}
	if filled("1.000005") {
		t.Error("an old saved reply's text is kept")
	}
	if !filled("1.000006") {
		t.Error("a recent saved reply's text was pruned")
	}
	for _, k := range prunable {
		if posted(k) {
			t.Errorf("the record of %s is kept", k)
		}
	}
	for _, k := range kept {
		if !posted(k) {
			t.Errorf("the record of %s was pruned", k)
		}
	}
	// A retry within the retention is a duplicate; one of a pruned delivery
	// (Slack retries for minutes, not a week) would be new.
	if ok, err := db.SlackEnqueue(ctx, "ev:recent", "event", []byte(`{}`), now); ok || err != nil {
		t.Errorf("a retry of a delivery processed %v ago was queued again: %v, %v", now.Sub(recent), ok, err)
	}
	if n, more, err := db.SlackPrune(ctx, now, keep, 2); n != 0 || more || err != nil {
		t.Errorf("pruning again: %d rows, more %t, %v", n, more, err)
	}
}
