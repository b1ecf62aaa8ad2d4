package sqlite_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/supportd/supportd/store/sqlite"
	"github.com/supportd/supportd/ticketing"
)

// The feed holds every ticket event committed while a webhook is
// configured, in commit order, with the ticket; nothing of a transaction
// rolled back; cursors move forward only, survive a restart, and a new
// webhook starts at the end.
func TestWebhookFeed(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hooks.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { db.Close() }()
	now := time.Date(2026, 12, 3, 2, 0, 0, 0, time.UTC)
	by := ticketing.By{Actor: "bot", Channel: "webchat", At: now}
	create := func() string {
		t.Helper()
		tk := &ticketing.Ticket{Kind: ticketing.KindRepair, Status: ticketing.StatusOpen, Subject: "drum", Channel: "webchat", ChannelUser: "v-1"}
		if err := db.Create(ctx, tk, by); err != nil {
			t.Fatal(err)
		}
		return tk.ID
	}
	before := create() // no webhook yet: not in the feed
	if evs, err := db.WebhookEvents(ctx, 0, 10); err != nil || len(evs) != 0 {
		t.Fatalf("feed without webhooks: %+v %v", evs, err)
	}
	cur, err := db.WebhookStart(ctx, []string{"crm", "erp"}, now)
	if err != nil || len(cur) != 2 || cur["crm"] != 0 || cur["erp"] != 0 {
		t.Fatalf("start: %v %v", cur, err)
	}
	id := create()
	if _, err := db.Update(ctx, id, ticketing.By{Actor: "agent:U1", Channel: "slack", Note: "claimed", At: now}, func(tk *ticketing.Ticket) error {
		tk.Status, tk.Assignee = ticketing.StatusAssigned, "U1"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.AddNote(ctx, before, by, "older ticket, new note"); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	if err := db.InTx(ctx, func(tx ticketing.Tx) error {
		if err := tx.AddNote(ctx, id, by, "rolled back"); err != nil {
			return err
		}
		return boom
	}); !errors.Is(err, boom) {
		t.Fatal(err)
	}
	evs, err := db.WebhookEvents(ctx, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	type row struct{ ticket, action, note string }
	want := []row{{id, "created", ""}, {id, "updated", "claimed"}, {before, "comment", "older ticket, new note"}}
	if len(evs) != len(want) {
		t.Fatalf("feed = %+v, want %v", evs, want)
	}
	for i, w := range want {
		e := evs[i]
		if got := (row{e.Event.TicketID, e.Event.Action, e.Event.Note}); got != w || e.Ticket == nil || e.Ticket.ID != w.ticket {
			t.Errorf("feed[%d] = %+v, want %v", i, got, w)
		}
		if i > 0 && e.ID <= evs[i-1].ID {
			t.Errorf("feed ids out of order: %d after %d", e.ID, evs[i-1].ID)
		}
	}
	if ch := evs[1].Event.Changes["status"]; string(ch.Old) != `"open"` || string(ch.New) != `"assigned"` {
		t.Errorf("status change = %s → %s", ch.Old, ch.New)
	}
	if evs[0].Ticket.Assignee != "U1" || !evs[0].Event.At.Equal(now) {
		t.Errorf("created event: ticket now %+v at %v", evs[0].Ticket, evs[0].Event.At)
	}
	if page, _ := db.WebhookEvents(ctx, evs[0].ID, 1); len(page) != 1 || page[0].ID != evs[1].ID {
		t.Errorf("page after %d = %+v", evs[0].ID, page)
	}

	// Pruned only once every cursor passed.
	last := evs[2].ID
	if err := db.WebhookAdvance(ctx, "crm", last, now); err != nil {
		t.Fatal(err)
	}
	if err := db.WebhookAdvance(ctx, "crm", 1, now); err != nil { // never back
		t.Fatal(err)
	}
	if n, _, err := db.WebhookPrune(ctx, 100); n != 0 || err != nil {
		t.Fatalf("pruned %d (%v) while erp has not passed", n, err)
	}
	if err := db.WebhookAdvance(ctx, "erp", evs[0].ID, now); err != nil {
		t.Fatal(err)
	}
	if n, more, err := db.WebhookPrune(ctx, 1); n != 1 || !more || err != nil {
		t.Fatalf("prune: %d %v %v", n, more, err)
	}
	if n, more, err := db.WebhookPrune(ctx, 100); n != 0 || more || err != nil {
		t.Fatalf("prune again: %d %v %v", n, more, err)
	}

	// A restart keeps the cursors; a webhook removed from the
	// configuration is dropped and holds nothing back; one added starts at
	// the end.
	db.Close()
	if db, err = sqlite.Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	cur, err = db.WebhookStart(ctx, []string{"crm", "new"}, now)
	if err != nil || len(cur) != 2 || cur["crm"] != last || cur["new"] != last {
		t.Fatalf("restart: %v %v (last %d)", cur, err, last)
	}
	if n, _, err := db.WebhookPrune(ctx, 100); n != 2 || err != nil {
		t.Fatalf("pruned %d (%v) after erp was removed, want 2", n, err)
	}
	next := create()
	evs, err = db.WebhookEvents(ctx, last, 10)
	if err != nil || len(evs) != 1 || evs[0].Event.TicketID != next || evs[0].ID <= last {
		t.Fatalf("after prune: %+v %v (a number must never be used again)", evs, err)
	}

	// No webhook left: the feed is emptied and no longer written.
	if cur, err = db.WebhookStart(ctx, nil, now); err != nil || len(cur) != 0 {
		t.Fatalf("start with none: %v %v", cur, err)
	}
	if n, _, err := db.WebhookPrune(ctx, 100); n != 1 || err != nil {
		t.Fatalf("pruned %d (%v) with no webhook, want 1", n, err)
	}
	create()
	if evs, err := db.WebhookEvents(ctx, 0, 10); err != nil || len(evs) != 0 {
		t.Fatalf("feed with no webhook: %+v %v", evs, err)
	}
}
