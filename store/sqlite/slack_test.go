package sqlite_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/supportd/supportd/store/sqlite"
)

func openSlackDB(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "slack.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestSlackInboxQueuesEachKeyOnce(t *testing.T) {
	db := openSlackDB(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	var mu sync.Mutex
	queued := 0
	for range 4 {
		wg.Go(func() {
			ok, err := db.SlackEnqueue(ctx, "Ev1", "event", []byte(`{"a":1}`), now)
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				queued++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if queued != 1 {
		t.Fatalf("the same key was queued %d times, want 1", queued)
	}
	if _, err := db.SlackEnqueue(ctx, "", "event", nil, now); err == nil {
		t.Error("an empty key was queued")
	}
	if ok, err := db.SlackEnqueue(ctx, "Ev2", "command", []byte(`{}`), now); !ok || err != nil {
		t.Fatalf("second key: %v %v", ok, err)
	}
	jobs, err := db.SlackJobs(ctx, now, 10)
	if err != nil || len(jobs) != 2 || jobs[0].Key != "Ev1" || string(jobs[0].Body) != `{"a":1}` || jobs[1].Kind != "command" {
		t.Fatalf("jobs = %+v, %v", jobs, err)
	}
	if err := db.SlackJobDone(ctx, jobs[0].ID, now); err != nil {
		t.Fatal(err)
	}
	later := now.Add(time.Minute)
	if err := db.SlackJobFailed(ctx, jobs[1].ID, "boom", later, false); err != nil {
		t.Fatal(err)
	}
	if jobs, _ := db.SlackJobs(ctx, now, 10); len(jobs) != 0 {
		t.Errorf("before its retry time: %+v", jobs)
	}
	jobs, _ = db.SlackJobs(ctx, later, 10)
	if len(jobs) != 1 || jobs[0].Attempts != 1 {
		t.Fatalf("at the retry time: %+v", jobs)
	}
	if err := db.SlackJobFailed(ctx, jobs[0].ID, "boom", later, true); err != nil {
		t.Fatal(err)
	}
	if jobs, _ := db.SlackJobs(ctx, later.Add(time.Hour), 10); len(jobs) != 0 {
		t.Errorf("a final failure is not retried: %+v", jobs)
	}
}

func TestSlackThreadsPostsRelayAgents(t *testing.T) {
	db := openSlackDB(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)

	if _, ok, err := db.SlackThread(ctx, "T-1001"); ok || err != nil {
		t.Fatalf("unknown thread: %v %v", ok, err)
	}
	th := sqlite.SlackThread{TicketID: "T-1001", Channel: "C1", TS: "1.0001", Rendered: "x", PostedAt: now}
	if err := db.SlackSaveThread(ctx, th); err != nil {
		t.Fatal(err)
	}
	th.Rendered = "y"
	if err := db.SlackSaveThread(ctx, th); err != nil {
		t.Fatal(err)
	}
	got, ok, err := db.SlackThreadAt(ctx, "C1", "1.0001")
	if err != nil || !ok || got.TicketID != "T-1001" || got.Rendered != "y" || !got.PostedAt.Equal(now) {
		t.Fatalf("thread at = %+v %v %v", got, ok, err)
	}

	p := sqlite.SlackPost{Key: "ticket:T-1001", Channel: "C1", Started: now}
	if err := db.SlackBeginPost(ctx, p); err != nil {
		t.Fatal(err)
	}
	if got, ok, _ := db.SlackPost(ctx, p.Key); !ok || got.TS != "" {
		t.Fatalf("in flight: %+v", got)
	}
	if err := db.SlackPosted(ctx, p.Key, "C1ID", "1.0001", now); err != nil {
		t.Fatal(err)
	}
	if err := db.SlackBeginPost(ctx, p); err != nil { // kept as it is
		t.Fatal(err)
	}
	if got, _, _ := db.SlackPost(ctx, p.Key); got.TS != "1.0001" || got.Channel != "C1ID" {
		t.Errorf("posted: %+v", got)
	}
	if err := db.SlackPosted(ctx, "nope", "C1", "1", now); err == nil {
		t.Error("a post never begun was recorded")
	}

	for _, seq := range []int64{3, 7, 5} {
		if err := db.SlackSetRelayed(ctx, "c_1", seq); err != nil {
			t.Fatal(err)
		}
	}
	if seq, err := db.SlackRelayed(ctx, "c_1"); seq != 7 || err != nil {
		t.Errorf("relay cursor = %d %v, want 7 (never back)", seq, err)
	}
	if seq, _ := db.SlackRelayed(ctx, "c_2"); seq != 0 {
		t.Errorf("unknown conversation: %d", seq)
	}

	a := sqlite.SlackAgent{UserID: "U1", Email: "frank@example.com", Name: "Frank", Updated: now}
	if err := db.SlackSaveAgent(ctx, a); err != nil {
		t.Fatal(err)
	}
	if got, ok, _ := db.SlackAgentNamed(ctx, "Frank"); !ok || got.UserID != "U1" {
		t.Errorf("by name: %+v", got)
	}
	if got, ok, _ := db.SlackAgentByEmail(ctx, "frank@example.com"); !ok || got.UserID != "U1" {
		t.Errorf("by email: %+v", got)
	}
	if got, ok, _ := db.SlackAgent(ctx, "U1"); !ok || got.Email != a.Email {
		t.Errorf("by user: %+v", got)
	}
}

// A deletion is kept by channel and ts, once, and across a restart.
func TestSlackDeletedIsKeptByChannelAndTS(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "slack.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)
	for range 2 { // a retried deletion event
		if err := db.SlackMarkDeleted(ctx, "C1", "1764000900.000001", now); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.SlackMarkDeleted(ctx, "", "1764000900.000001", now); err == nil {
		t.Error("a deletion without a channel was stored")
	}
	db.Close()

	db, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, tc := range []struct {
		ch, ts string
		want   bool
	}{
		{"C1", "1764000900.000001", true},
		{"C2", "1764000900.000001", false}, // the same ts in another channel
		{"C1", "1764000900.000002", false},
	} {
		if got, err := db.SlackDeleted(ctx, tc.ch, tc.ts); err != nil || got != tc.want {
			t.Errorf("SlackDeleted(%s, %s) = %v, %v; want %v", tc.ch, tc.ts, got, err, tc.want)
		}
	}
	var n int
	if err := db.SQL().QueryRow(`SELECT count(*) FROM slack_deleted`).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d rows (%v), want 1", n, err)
	}
}

// The edit of a message recorded is its latest by Slack's edit ts, whatever
// the order the edits are recorded in, and the text before the first edit
// recorded is kept.
func TestSlackEditedKeepsTheLatestEdit(t *testing.T) {
	db := openSlackDB(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)
	if _, ok, err := db.SlackEdited(ctx, "C1", "1.1"); ok || err != nil {
		t.Fatalf("an edit never recorded: %v, %v", ok, err)
	}
	for _, e := range [][3]string{
		{"1764000902.000000", "B", "C"},
		{"1764000901.000000", "A", "B"}, // processed late: older
		{"1764000902.000000", "B", "C"}, // again
	} {
		if err := db.SlackMarkEdited(ctx, "C1", "1764000900.000001", e[0], e[1], e[2], now); err != nil {
			t.Fatal(err)
		}
	}
	got, ok, err := db.SlackEdited(ctx, "C1", "1764000900.000001")
	if err != nil || !ok || got != (sqlite.SlackEdit{Text: "C", EditTS: "1764000902.000000", FirstText: "B"}) {
		t.Errorf("edit = %+v, %v, %v", got, ok, err)
	}
	if err := db.SlackMarkEdited(ctx, "", "1.1", "1.2", "a", "b", now); err == nil {
		t.Error("an edit without a channel was recorded")
	}
}

// The first text filled for a call is kept: a later fill of the same call
// (a retry after a reload changed the saved reply) gets it back; another
// call of the same message (its edit) has its own.
func TestSlackFillKeepsTheFirstText(t *testing.T) {
	db := openSlackDB(t)
	ctx := context.Background()
	at := time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC)
	if _, ok, err := db.SlackFilled(ctx, "C1", "1.000001", "!visit"); ok || err != nil {
		t.Fatalf("SlackFilled before any fill = %v, %v", ok, err)
	}
	for _, tc := range []struct{ call, text, want string }{
		{"!visit", "Tomorrow morning.", "Tomorrow morning."},
		{"!visit", "The day after tomorrow.", "Tomorrow morning."},
		{"!warranty", "Free repair.", "Free repair."},
	} {
		got, err := db.SlackFill(ctx, "C1", "1.000001", tc.call, tc.text, at)
		if err != nil || got != tc.want {
			t.Errorf("SlackFill(%s, %q) = %q, %v; want %q", tc.call, tc.text, got, err, tc.want)
		}
	}
	if got, ok, err := db.SlackFilled(ctx, "C1", "1.000001", "!visit"); got != "Tomorrow morning." || !ok || err != nil {
		t.Errorf("SlackFilled = %q, %v, %v", got, ok, err)
	}
	if _, err := db.SlackFill(ctx, "", "1.000001", "!visit", "x", at); err == nil {
		t.Error("SlackFill without a channel: no error")
	}
}
