package dialog_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/store/sqlite"
	"github.com/supportd/supportd/ticketing"
)

// crashingStore dies inside the turn's transaction, after the engine has
// done all its work but before the commit: the transaction rolls back, as it
// would if the process were killed there.
type crashingStore struct {
	*sqlite.DB
}

var errKilled = errors.New("killed")

func (s crashingStore) Turn(ctx context.Context, fn func(dialog.Tx) error) error {
	return s.DB.Turn(ctx, func(tx dialog.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return errKilled
	})
}

// TestKillInsideATurn: a turn interrupted before its commit leaves the last
// committed state; the channel redelivers the message after the restart and
// the turn runs once, its replies in the outbox once.
func TestKillInsideATurn(t *testing.T) {
	ctx := context.Background()
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "supportd.db")
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	open := func(crash bool) (*dialog.Engine, *sqlite.DB) {
		db, err := sqlite.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		var st dialog.Store = db
		if crash {
			st = crashingStore{db}
		}
		eng, err := dialog.New(dialog.Options{Policy: &cfg.Policy, Store: st, Knowledge: testKnowledge(), Now: func() time.Time { return now }})
		if err != nil {
			t.Fatal(err)
		}
		return eng, db
	}

	eng, db := open(false)
	first := dialog.Inbound{Channel: "webchat", User: "v", ID: "m1", Text: "我要投诉"}
	res, err := eng.Handle(ctx, first)
	if err != nil {
		t.Fatal(err)
	}
	conv := res.ConversationID
	db.Close()

	// The complaint text would create the ticket and hand off; the process
	// dies before the commit.
	second := dialog.Inbound{Channel: "webchat", User: "v", ID: "m2", Text: "快递员把我的电视摔坏了还不承认，态度极差，电话13900001111"}
	eng, db = open(true)
	if _, err := eng.Handle(ctx, second); !errors.Is(err, errKilled) {
		t.Fatalf("err = %v, want the simulated kill", err)
	}
	db.Close()

	eng, db = open(false)
	defer db.Close()
	c, err := db.Conversation(ctx, conv)
	if err != nil {
		t.Fatal(err)
	}
	if c.State != dialog.ComplaintCollect || len(c.Tickets) != 0 {
		t.Fatalf("after the kill: state %s, tickets %v; want the last committed state", c.State, c.Tickets)
	}
	if ts, _ := db.List(ctx, ticketing.Filter{}); len(ts) != 0 {
		t.Fatalf("%d tickets survived a rolled-back turn", len(ts))
	}
	pendingBefore, _ := db.Pending(ctx, "webchat", 0)

	// Redelivered twice (the channel retries): one turn.
	for range 2 {
		if _, err := eng.Handle(ctx, second); err != nil {
			t.Fatal(err)
		}
	}
	c, _ = db.Conversation(ctx, conv)
	if c.State != dialog.HandedOff || len(c.Tickets) != 1 {
		t.Errorf("after redelivery: state %s tickets %v, want handoff with one ticket", c.State, c.Tickets)
	}
	pending, _ := db.Pending(ctx, "webchat", 0)
	if got := len(pending) - len(pendingBefore); got != 1 {
		t.Errorf("%d new replies in the outbox, want the complaint notice once", got)
	}
	hist, _ := db.History(ctx, conv, 0)
	ins := 0
	for _, m := range hist {
		if m.Dir == dialog.In && m.ClientID == "m2" {
			ins++
		}
	}
	if ins != 1 {
		t.Errorf("message m2 stored %d times, want once", ins)
	}
}
