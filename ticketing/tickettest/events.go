package tickettest

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/supportd/supportd/ticketing"
)

func testEvents(t *testing.T, s ticketing.Store) {
	ctx := context.Background()
	tk := minimal(ticketing.KindRepair)
	mustCreate(t, s, tk, ticketing.By{Actor: "bot", Channel: "webchat", Note: "from chat", At: at(0)})
	mustUpdate(t, s, tk.ID, ticketing.By{Actor: "agent:U7", Channel: "slack", Note: "claimed", At: at(1)}, func(x *ticketing.Ticket) {
		x.Status, x.Assignee = ticketing.StatusOpen, "U7"
	})
	if err := s.AddNote(ctx, tk.ID, ticketing.By{Actor: "cli", Channel: "cli", At: at(2)}, "called the customer"); err != nil {
		t.Fatal(err)
	}
	mustUpdate(t, s, tk.ID, ticketing.By{Actor: "customer", Channel: "webchat", At: at(3)}, func(x *ticketing.Ticket) {
		x.Details = map[string]string{"address": "北京"}
		x.Satisfaction = &ticketing.Satisfaction{Score: 5, At: at(3)}
	})

	type change struct{ old, new string }
	want := []struct {
		actor, channel, action, note string
		changes                      map[string]change
	}{
		{"bot", "webchat", ticketing.ActionCreated, "from chat", nil},
		{"agent:U7", "slack", ticketing.ActionUpdated, "claimed", map[string]change{
			"status": {`"new"`, `"open"`}, "assignee": {`""`, `"U7"`}}},
		{"cli", "cli", ticketing.ActionComment, "called the customer", nil},
		{"customer", "webchat", ticketing.ActionUpdated, "", map[string]change{
			"details":      {`null`, `{"address":"北京"}`},
			"satisfaction": {`null`, `{"score":5,"comment":"","at":"` + at(3).UTC().Format("2006-01-02T15:04:05.999999999Z07:00") + `"}`}}},
	}
	evs := mustEvents(t, s, tk.ID)
	if len(evs) != len(want) {
		t.Fatalf("%d events, want %d: %+v", len(evs), len(want), evs)
	}
	for i, w := range want {
		ev := evs[i]
		if ev.Seq != int64(i+1) || ev.TicketID != tk.ID || !ev.At.Equal(at(i)) || ev.Actor != w.actor ||
			ev.Channel != w.channel || ev.Action != w.action || ev.Note != w.note {
			t.Errorf("event %d = {seq %d ticket %s at %v %s %s %s %q}, want {seq %d ticket %s at %v %s %s %s %q}", i,
				ev.Seq, ev.TicketID, ev.At, ev.Actor, ev.Channel, ev.Action, ev.Note,
				i+1, tk.ID, at(i), w.actor, w.channel, w.action, w.note)
		}
		if got, wantKeys := slices.Sorted(maps.Keys(ev.Changes)), slices.Sorted(maps.Keys(w.changes)); !slices.Equal(got, wantKeys) {
			t.Errorf("event %d changes fields %v, want %v", i, got, wantKeys)
			continue
		}
		for k, c := range w.changes {
			got := ev.Changes[k]
			if !jsonEqual(got.Old, json.RawMessage(c.old)) || !jsonEqual(got.New, json.RawMessage(c.new)) {
				t.Errorf("event %d change %s = %s → %s, want %s → %s", i, k, got.Old, got.New, c.old, c.new)
			}
		}
	}
	stored := mustGet(t, s, tk.ID)
	if stored.Version != 3 || !stored.UpdatedAt.Equal(at(3)) || !stored.CreatedAt.Equal(at(0)) {
		t.Errorf("ticket version %d created %v updated %v; want 3, %v, %v (a comment changes neither)", stored.Version, stored.CreatedAt, stored.UpdatedAt, at(0), at(3))
	}
}

func testStoreClock(t *testing.T, s ticketing.Store) {
	tk := mustCreate(t, s, minimal(ticketing.KindRepair), ticketing.By{Actor: "bot", Channel: "webchat"})
	mustUpdate(t, s, tk.ID, ticketing.By{Actor: "agent:U7", Channel: "slack"}, setStatus(ticketing.StatusOpen))
	if err := s.AddNote(context.Background(), tk.ID, ticketing.By{Actor: "cli"}, "n"); err != nil {
		t.Fatal(err)
	}
	got := mustGet(t, s, tk.ID)
	evs := mustEvents(t, s, tk.ID)
	if len(evs) != 3 {
		t.Fatalf("%d events", len(evs))
	}
	if got.CreatedAt.IsZero() || !evs[0].At.Equal(got.CreatedAt) || !tk.CreatedAt.Equal(got.CreatedAt) {
		t.Errorf("created %v, event at %v: want the store's clock, the same for both", got.CreatedAt, evs[0].At)
	}
	if got.UpdatedAt.Before(got.CreatedAt) || !evs[1].At.Equal(got.UpdatedAt) {
		t.Errorf("updated %v, event at %v, created %v", got.UpdatedAt, evs[1].At, got.CreatedAt)
	}
	if evs[2].At.Before(evs[1].At) {
		t.Errorf("comment at %v before update at %v", evs[2].At, evs[1].At)
	}
}

func testAddNote(t *testing.T, s ticketing.Store) {
	ctx := context.Background()
	tk := mustCreate(t, s, full(), bot(0))
	if err := s.AddNote(ctx, tk.ID, ticketing.By{Actor: "agent:U7", Channel: "slack", Note: "ignored", At: at(5)}, "customer prefers mornings"); err != nil {
		t.Fatal(err)
	}
	assertSame(t, "ticket after a note", mustGet(t, s, tk.ID), tk)
	evs := mustEvents(t, s, tk.ID)
	if len(evs) != 2 {
		t.Fatalf("%d events, want 2", len(evs))
	}
	ev := evs[1]
	if ev.Action != ticketing.ActionComment || ev.Note != "customer prefers mornings" || ev.Actor != "agent:U7" ||
		ev.Channel != "slack" || !ev.At.Equal(at(5)) || ev.Seq != 2 || len(ev.Changes) != 0 {
		t.Errorf("comment event %+v", ev)
	}
	assertInvalid(t, s.AddNote(ctx, tk.ID, bot(6), "  "), "note")
	assertInvalid(t, s.AddNote(ctx, tk.ID, ticketing.By{Channel: "slack"}, "who?"), "actor")
	if n := len(mustEvents(t, s, tk.ID)); n != 2 {
		t.Errorf("%d events after refused notes, want 2", n)
	}
}

func testNotFound(t *testing.T, s ticketing.Store) {
	ctx := context.Background()
	mustCreate(t, s, minimal(ticketing.KindRepair), bot(0))
	called := false
	_, errUpdate := s.Update(ctx, "T-9999", agent(1), func(*ticketing.Ticket) error { called = true; return nil })
	_, errGet := s.Get(ctx, "T-9999")
	_, errEvents := s.Events(ctx, "T-9999")
	for name, err := range map[string]error{
		"get":    errGet,
		"update": errUpdate,
		"note":   s.AddNote(ctx, "T-9999", agent(1), "hello"),
		"events": errEvents,
	} {
		if !errors.Is(err, ticketing.ErrNotFound) || !strings.Contains(err.Error(), "T-9999") {
			t.Errorf("%s: err = %v, want ErrNotFound naming T-9999", name, err)
		}
	}
	if called {
		t.Error("update called fn for a missing ticket")
	}
	if _, err := s.Get(ctx, ""); !errors.Is(err, ticketing.ErrNotFound) {
		t.Errorf("get empty id: %v", err)
	}
	if ts := mustList(t, s, ticketing.Filter{}); len(ts) != 1 {
		t.Errorf("%d tickets, want 1", len(ts))
	}
}

// testCopies checks that no caller can change the store by mutating a value
// it passed in or got back.
func testCopies(t *testing.T, s ticketing.Store) {
	in := full()
	mustCreate(t, s, in, bot(0))
	want := mustGet(t, s, in.ID)
	in.Details["fault"] = "mutated"
	in.Options[0] = "mutated"
	in.Quote.Amount = 1

	got := mustGet(t, s, in.ID)
	got.Details["fault"] = "mutated"
	got.Warranty.Reason = "mutated"
	got.Due.Onsite = nil

	var kept *ticketing.Ticket
	mustUpdate(t, s, in.ID, agent(1), func(x *ticketing.Ticket) { kept = x })
	kept.Subject = "mutated"

	upd := mustUpdate(t, s, in.ID, agent(2), func(x *ticketing.Ticket) { x.Region = "beijing" })
	upd.Details["fault"] = "mutated"
	want.Region, want.Version, want.UpdatedAt = "beijing", 2, at(2)
	assertSame(t, "stored ticket after callers mutated their copies", mustGet(t, s, in.ID), want)

	list := mustList(t, s, ticketing.Filter{})
	list[0].Subject = "mutated"
	assertSame(t, "stored ticket after a listed copy was mutated", mustGet(t, s, in.ID), want)
}
