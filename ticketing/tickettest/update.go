package tickettest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/supportd/supportd/ticketing"
)

// pathTo returns the shortest list of allowed changes from new to st.
func pathTo(st ticketing.Status) []ticketing.Status {
	prev := map[ticketing.Status]ticketing.Status{ticketing.StatusNew: ""}
	queue := []ticketing.Status{ticketing.StatusNew}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, next := range ticketing.Transitions(cur) {
			if _, seen := prev[next]; !seen {
				prev[next] = cur
				queue = append(queue, next)
			}
		}
	}
	var path []ticketing.Status
	for s := st; s != ticketing.StatusNew; s = prev[s] {
		path = append([]ticketing.Status{s}, path...)
	}
	return path
}

// ticketIn creates a ticket and walks it to status st.
func ticketIn(t *testing.T, s ticketing.Store, st ticketing.Status) *ticketing.Ticket {
	t.Helper()
	tk := mustCreate(t, s, minimal(ticketing.KindRepair), bot(0))
	for i, next := range pathTo(st) {
		tk = mustUpdate(t, s, tk.ID, agent(i+1), setStatus(next))
	}
	if tk.Status != st {
		t.Fatalf("could not reach %s", st)
	}
	return tk
}

func testTransitions(t *testing.T, s ticketing.Store) {
	for _, from := range ticketing.Statuses() {
		for _, to := range ticketing.Statuses() {
			if from == to {
				continue
			}
			t.Run(fmt.Sprintf("%s→%s", from, to), func(t *testing.T) {
				before := ticketIn(t, s, from)
				n := len(mustEvents(t, s, before.ID))
				got, err := s.Update(context.Background(), before.ID, agent(10), func(tk *ticketing.Ticket) error {
					tk.Status = to
					return nil
				})
				if ticketing.CanTransition(from, to) {
					checkAllowed(t, s, before, got, err, n, to)
				} else {
					checkForbidden(t, s, before, err, n, from, to)
				}
			})
		}
	}
}

func checkAllowed(t *testing.T, s ticketing.Store, before, got *ticketing.Ticket, err error, n int, to ticketing.Status) {
	t.Helper()
	if err != nil {
		t.Fatalf("allowed change refused: %v", err)
	}
	stored := mustGet(t, s, before.ID)
	if stored.Status != to || got.Status != to || stored.Version != before.Version+1 || !stored.UpdatedAt.Equal(at(10)) {
		t.Errorf("stored status %q version %d updated %v; want %q, %d, %v", stored.Status, stored.Version, stored.UpdatedAt, to, before.Version+1, at(10))
	}
	evs := mustEvents(t, s, before.ID)
	if len(evs) != n+1 {
		t.Fatalf("%d events, want %d", len(evs), n+1)
	}
	c, ok := evs[n].Changes["status"]
	if !ok || len(evs[n].Changes) != 1 || !jsonEqual(c.Old, []byte(`"`+before.Status+`"`)) || !jsonEqual(c.New, []byte(`"`+to+`"`)) {
		t.Errorf("event changes %v, want only status %s → %s", evs[n].Changes, before.Status, to)
	}
}

func checkForbidden(t *testing.T, s ticketing.Store, before *ticketing.Ticket, err error, n int, from, to ticketing.Status) {
	t.Helper()
	if !errors.Is(err, ticketing.ErrInvalidTransition) {
		t.Fatalf("forbidden change: err = %v, want ErrInvalidTransition", err)
	}
	var te *ticketing.TransitionError
	if !errors.As(err, &te) || te.From != from || te.To != to {
		t.Errorf("err %#v, want *TransitionError{%s, %s}", err, from, to)
	}
	if want := fmt.Sprintf("invalid status change: %s → %s", from, to); !strings.Contains(err.Error(), want) {
		t.Errorf("message %q lacks %q", err, want)
	}
	assertUnchanged(t, s, before, n)
}

func testSameStatus(t *testing.T, s ticketing.Store) {
	tk := ticketIn(t, s, ticketing.StatusAssigned)
	n := len(mustEvents(t, s, tk.ID))
	got, err := s.Update(context.Background(), tk.ID, agent(20), func(x *ticketing.Ticket) error {
		x.Status = ticketing.StatusAssigned
		return nil
	})
	if err != nil {
		t.Fatalf("same status: %v", err)
	}
	assertSame(t, "returned ticket", got, tk)
	assertUnchanged(t, s, tk, n)
}

func testUpdateNoDiff(t *testing.T, s ticketing.Store) {
	tk := mustCreate(t, s, full(), bot(0))
	got, err := s.Update(context.Background(), tk.ID, agent(1), func(x *ticketing.Ticket) error {
		// Rewrite values with equal ones, times in another zone.
		x.Subject = strings.Clone(x.Subject)
		x.Details = map[string]string{"address": "上海市浦东新区 1 号", "fault": "E21", "preferred_date": "2026-03-05"}
		due := x.Due.Onsite.In(time.UTC)
		x.Due.Onsite = &due
		x.Options = append([]string(nil), x.Options...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 1 || !got.UpdatedAt.Equal(t0) {
		t.Errorf("returned version %d updated %v, want 1, %v", got.Version, got.UpdatedAt, t0)
	}
	assertUnchanged(t, s, tk, 1)

	// Empty details and options are the same as none.
	m := mustCreate(t, s, minimal(ticketing.KindRepair), bot(0))
	mustUpdate(t, s, m.ID, agent(1), func(x *ticketing.Ticket) { x.Details, x.Options = map[string]string{}, []string{} })
	assertUnchanged(t, s, m, 1)
}

func testUpdateFnError(t *testing.T, s ticketing.Store) {
	tk := mustCreate(t, s, full(), bot(0))
	got, err := s.Update(context.Background(), tk.ID, agent(1), func(x *ticketing.Ticket) error {
		x.Subject = "changed"
		x.Status = ticketing.StatusOpen
		x.Details["fault"] = "changed"
		return fmt.Errorf("check failed: %w", errBoom)
	})
	if !errors.Is(err, errBoom) {
		t.Fatalf("err = %v, want fn's error", err)
	}
	if got != nil {
		t.Errorf("returned a ticket with the error: %+v", got)
	}
	assertUnchanged(t, s, tk, 1)
}

func testUpdateInvalid(t *testing.T, s ticketing.Store) {
	tk := mustCreate(t, s, full(), bot(0))
	cases := []struct {
		name  string
		edit  func(*ticketing.Ticket)
		field string
	}{
		{"score 0", func(x *ticketing.Ticket) { x.Satisfaction.Score = 0 }, "satisfaction.score"},
		{"score 9", func(x *ticketing.Ticket) { x.Satisfaction = &ticketing.Satisfaction{Score: 9} }, "satisfaction.score"},
		{"negative quote", func(x *ticketing.Ticket) { x.Quote.Amount = -100 }, "quote.amount"},
		{"quote status", func(x *ticketing.Ticket) { x.Quote.Status = "maybe" }, "quote.status"},
		{"unknown status", func(x *ticketing.Ticket) { x.Status = "done" }, "status"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.Update(context.Background(), tk.ID, agent(1), func(x *ticketing.Ticket) error {
				x.Subject = "also changed"
				tc.edit(x)
				return nil
			})
			assertInvalid(t, err, tc.field)
			assertUnchanged(t, s, tk, 1)
		})
	}
	_, err := s.Update(context.Background(), tk.ID, ticketing.By{Channel: "slack"}, func(x *ticketing.Ticket) error {
		x.Subject = "no actor"
		return nil
	})
	assertInvalid(t, err, "actor")
	assertUnchanged(t, s, tk, 1)
}

func testImmutable(t *testing.T, s ticketing.Store) {
	tk := mustCreate(t, s, full(), bot(0))
	cases := []struct {
		field string
		edit  func(*ticketing.Ticket)
	}{
		{"id", func(x *ticketing.Ticket) { x.ID = "T-9999" }},
		{"kind", func(x *ticketing.Ticket) { x.Kind = ticketing.KindComplaint }},
		{"created_at", func(x *ticketing.Ticket) { x.CreatedAt = x.CreatedAt.Add(-time.Hour) }},
	}
	for _, tc := range cases {
		t.Run(tc.field, func(t *testing.T) {
			_, err := s.Update(context.Background(), tk.ID, agent(1), func(x *ticketing.Ticket) error {
				x.Subject = "changed too"
				tc.edit(x)
				return nil
			})
			assertInvalid(t, err, tc.field)
			assertUnchanged(t, s, tk, 1)
		})
	}
	if _, err := s.Get(context.Background(), "T-9999"); !errors.Is(err, ticketing.ErrNotFound) {
		t.Errorf("an id change created T-9999: %v", err)
	}
}

// testStoreManaged checks that version and updated_at are the store's, not fn's.
func testStoreManaged(t *testing.T, s ticketing.Store) {
	tk := mustCreate(t, s, minimal(ticketing.KindRepair), bot(0))
	mustUpdate(t, s, tk.ID, agent(1), func(x *ticketing.Ticket) {
		x.Version = 99
		x.UpdatedAt = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	})
	assertUnchanged(t, s, tk, 1) // nothing else changed: no write at all

	got := mustUpdate(t, s, tk.ID, agent(2), func(x *ticketing.Ticket) {
		x.Subject = "new subject"
		x.Version = 99
		x.UpdatedAt = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	})
	stored := mustGet(t, s, tk.ID)
	for _, x := range []*ticketing.Ticket{got, stored} {
		if x.Version != 2 || !x.UpdatedAt.Equal(at(2)) || x.Subject != "new subject" {
			t.Errorf("version %d updated %v subject %q; want 2, %v, new subject", x.Version, x.UpdatedAt, x.Subject, at(2))
		}
	}
	assertSame(t, "returned vs stored", got, stored)
}
