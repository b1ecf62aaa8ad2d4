package tickettest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/supportd/supportd/policy"
	"github.com/supportd/supportd/ticketing"
)

func testRoundTrip(t *testing.T, s ticketing.Store) {
	in := full()
	want := full()
	if err := s.Create(context.Background(), in, bot(0)); err != nil {
		t.Fatal(err)
	}
	want.ID, want.Status, want.Version = "T-1001", ticketing.StatusNew, 1
	want.CreatedAt, want.UpdatedAt = t0, t0
	got := mustGet(t, s, "T-1001")
	assertSame(t, "stored ticket", got, want)
	assertSame(t, "ticket filled in by Create", in, want)

	// The same, field by field, for a readable failure.
	checks := []struct {
		field string
		ok    bool
	}{
		{"id", got.ID == "T-1001"},
		{"kind", got.Kind == ticketing.KindRepair},
		{"status", got.Status == ticketing.StatusNew},
		{"subject", got.Subject == want.Subject},
		{"customer", got.Customer == want.Customer},
		{"channel", got.Channel == "webchat" && got.ChannelUser == "v-42" && got.ConversationID == "c-0001"},
		{"model", got.Model == "WM-100"},
		{"purchase_date", got.PurchaseDate.Equal(policy.NewDate(2025, 3, 1))},
		{"proof_ref", got.ProofRef == "JD-2025030112345"},
		{"warranty", got.Warranty != nil && *got.Warranty == *want.Warranty},
		{"options", slices.Equal(got.Options, []string{"repair", "exchange"})},
		{"region", got.Region == "shanghai"},
		{"details", len(got.Details) == 3 && got.Details["address"] == "上海市浦东新区 1 号"},
		{"due", got.Due.FirstResponse != nil && got.Due.FirstResponse.Equal(*want.Due.FirstResponse) &&
			got.Due.Resolution != nil && got.Due.Resolution.Equal(*want.Due.Resolution) &&
			got.Due.Onsite != nil && got.Due.Onsite.Equal(*want.Due.Onsite)},
		{"assignee", got.Assignee == "U7"},
		{"quote", got.Quote != nil && got.Quote.Amount == 17050 && got.Quote.Status == ticketing.QuotePending &&
			got.Quote.Note == want.Quote.Note && got.Quote.ExpiresAt != nil && got.Quote.ExpiresAt.Equal(*want.Quote.ExpiresAt)},
		{"satisfaction", got.Satisfaction != nil && got.Satisfaction.Score == 4 && got.Satisfaction.Comment == "快 fast" &&
			got.Satisfaction.At.Equal(want.Satisfaction.At)},
		{"created_at", got.CreatedAt.Equal(t0)},
		{"updated_at", got.UpdatedAt.Equal(t0)},
		{"version", got.Version == 1},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("field %s not stored as given", c.field)
		}
	}

	// A ticket with nothing optional stays without it.
	m := mustCreate(t, s, minimal(ticketing.KindConsultation), bot(1))
	got = mustGet(t, s, m.ID)
	if got.Warranty != nil || got.Quote != nil || got.Satisfaction != nil || got.Options != nil || got.Details != nil ||
		got.Due != (ticketing.Deadlines{}) || !got.PurchaseDate.IsZero() {
		t.Errorf("minimal ticket grew optional fields: %+v", got)
	}
}

func testCreateDefaults(t *testing.T, s ticketing.Store) {
	tk := minimal(ticketing.KindConsultation)
	tk.CreatedAt = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC) // overwritten
	tk.UpdatedAt = tk.CreatedAt
	tk.Version = 42
	mustCreate(t, s, tk, bot(0))
	got := mustGet(t, s, tk.ID)
	if got.Status != ticketing.StatusNew || got.Version != 1 || !got.CreatedAt.Equal(t0) || !got.UpdatedAt.Equal(t0) {
		t.Errorf("defaults: status %q version %d created %v updated %v; want new, 1, %v", got.Status, got.Version, got.CreatedAt, got.UpdatedAt, t0)
	}
	open := minimal(ticketing.KindComplaint)
	open.Status = ticketing.StatusOpen
	mustCreate(t, s, open, bot(1))
	if got := mustGet(t, s, open.ID); got.Status != ticketing.StatusOpen {
		t.Errorf("created open, stored %q", got.Status)
	}
	evs := mustEvents(t, s, open.ID)
	if len(evs) != 1 || evs[0].Action != ticketing.ActionCreated || evs[0].Seq != 1 || evs[0].TicketID != open.ID {
		t.Errorf("events after create: %+v, want one created event", evs)
	}
}

func testCreateInvalid(t *testing.T, s ticketing.Store) {
	cases := []struct {
		name  string
		edit  func(*ticketing.Ticket)
		by    ticketing.By
		field string
	}{
		{"no kind", func(tk *ticketing.Ticket) { tk.Kind = "" }, bot(0), "kind"},
		{"unknown kind", func(tk *ticketing.Ticket) { tk.Kind = "refund" }, bot(0), "kind"},
		{"unknown status", func(tk *ticketing.Ticket) { tk.Status = "done" }, bot(0), "status"},
		{"created assigned", func(tk *ticketing.Ticket) { tk.Status = ticketing.StatusAssigned }, bot(0), "status"},
		{"created resolved", func(tk *ticketing.Ticket) { tk.Status = ticketing.StatusResolved }, bot(0), "status"},
		{"score 0", func(tk *ticketing.Ticket) { tk.Satisfaction = &ticketing.Satisfaction{Score: 0} }, bot(0), "satisfaction.score"},
		{"score 6", func(tk *ticketing.Ticket) { tk.Satisfaction = &ticketing.Satisfaction{Score: 6} }, bot(0), "satisfaction.score"},
		{"negative quote", func(tk *ticketing.Ticket) {
			tk.Quote = &ticketing.Quote{Amount: -1, Status: ticketing.QuotePending}
		}, bot(0), "quote.amount"},
		{"quote status", func(tk *ticketing.Ticket) { tk.Quote = &ticketing.Quote{Amount: 100, Status: "maybe"} }, bot(0), "quote.status"},
		{"empty quote status", func(tk *ticketing.Ticket) { tk.Quote = &ticketing.Quote{Amount: 100} }, bot(0), "quote.status"},
		{"id given", func(tk *ticketing.Ticket) { tk.ID = "T-5000" }, bot(0), "id"},
		{"no actor", func(*ticketing.Ticket) {}, ticketing.By{Channel: "webchat"}, "actor"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tk := full()
			tk.Status = ""
			tc.edit(tk)
			err := s.Create(context.Background(), tk, tc.by)
			assertInvalid(t, err, tc.field)
			if ts := mustList(t, s, ticketing.Filter{}); len(ts) != 0 {
				t.Errorf("an invalid ticket was stored: %v", ids(ts))
			}
		})
	}
	// After all these refusals the first ticket is still T-1001... or at
	// least the next number: refusals must not break creation.
	if tk := mustCreate(t, s, minimal(ticketing.KindRepair), bot(1)); mustGet(t, s, tk.ID).Kind != ticketing.KindRepair {
		t.Error("create after refusals")
	}
}

func testIDSequence(t *testing.T, s ticketing.Store) {
	for i := range 3 {
		tk := mustCreate(t, s, minimal(ticketing.KindConsultation), bot(i))
		want := fmt.Sprintf("T-%d", 1001+i)
		if tk.ID != want {
			t.Errorf("ticket %d got id %q, want %q", i+1, tk.ID, want)
		}
		if got := mustGet(t, s, want); got.ID != want {
			t.Errorf("get %s returned %s", want, got.ID)
		}
	}
	// Created twice by mistake: refused, no T-1004.
	tk := mustGet(t, s, "T-1003")
	assertInvalid(t, s.Create(context.Background(), tk, bot(9)), "id")
	if ts := mustList(t, s, ticketing.Filter{}); !slices.Equal(ids(ts), []string{"T-1003", "T-1002", "T-1001"}) {
		t.Errorf("tickets %v", ids(ts))
	}
}

func testList(t *testing.T, s ticketing.Store) {
	mk := func(kind ticketing.Kind, email, user string) string {
		tk := minimal(kind)
		tk.Customer.Email, tk.ChannelUser = email, user
		return mustCreate(t, s, tk, bot(0)).ID
	}
	assign := func(id, who string) {
		mustUpdate(t, s, id, agent(1), setStatus(ticketing.StatusOpen))
		mustUpdate(t, s, id, agent(2), func(tk *ticketing.Ticket) { tk.Status, tk.Assignee = ticketing.StatusAssigned, who })
	}
	t1 := mk(ticketing.KindRepair, "a@x.com", "v-1")
	t2 := mk(ticketing.KindComplaint, "B@Example.com", "b@example.com")
	assign(t2, "U1")
	t3 := mk(ticketing.KindRepair, "", "v-3")
	mustUpdate(t, s, t3, agent(1), setStatus(ticketing.StatusOpen))
	t4 := mk(ticketing.KindConsultation, "a@x.com", "v-4")
	t5 := mk(ticketing.KindRepair, "c@x.com", "v-5")
	assign(t5, "U1")

	cases := []struct {
		name string
		f    ticketing.Filter
		want []string
	}{
		{"all, newest first", ticketing.Filter{}, []string{t5, t4, t3, t2, t1}},
		{"kind", ticketing.Filter{Kind: ticketing.KindRepair}, []string{t5, t3, t1}},
		{"kind none", ticketing.Filter{Kind: ticketing.KindInstallation}, nil},
		{"status new", ticketing.Filter{Status: ticketing.StatusNew}, []string{t4, t1}},
		{"status assigned", ticketing.Filter{Status: ticketing.StatusAssigned}, []string{t5, t2}},
		{"status open", ticketing.Filter{Status: ticketing.StatusOpen}, []string{t3}},
		{"assignee", ticketing.Filter{Assignee: "U1"}, []string{t5, t2}},
		{"assignee none", ticketing.Filter{Assignee: "U9"}, nil},
		{"customer email", ticketing.Filter{Customer: "a@x.com"}, []string{t4, t1}},
		{"customer email any case", ticketing.Filter{Customer: "A@X.COM"}, []string{t4, t1}},
		{"customer email or channel user", ticketing.Filter{Customer: "b@example.com"}, []string{t2}},
		{"customer channel user", ticketing.Filter{Customer: "v-3"}, []string{t3}},
		{"kind and status", ticketing.Filter{Kind: ticketing.KindRepair, Status: ticketing.StatusAssigned}, []string{t5}},
		{"kind and customer", ticketing.Filter{Kind: ticketing.KindRepair, Customer: "a@x.com"}, []string{t1}},
		{"updated since", ticketing.Filter{UpdatedSince: at(2)}, []string{t5, t2}},
		{"updated since, earlier", ticketing.Filter{UpdatedSince: at(1)}, []string{t5, t3, t2}},
		{"updated since and kind", ticketing.Filter{UpdatedSince: at(1), Kind: ticketing.KindRepair}, []string{t5, t3}},
		{"updated since, later", ticketing.Filter{UpdatedSince: at(3)}, nil},
		{"limit", ticketing.Filter{Limit: 2}, []string{t5, t4}},
		{"limit with filter", ticketing.Filter{Kind: ticketing.KindRepair, Limit: 1}, []string{t5}},
		{"limit above count", ticketing.Filter{Limit: 50}, []string{t5, t4, t3, t2, t1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := mustList(t, s, tc.f)
			if !slices.Equal(ids(got), tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
				t.Errorf("List(%+v) = %v, want %v", tc.f, ids(got), tc.want)
			}
			for _, tk := range got { // full tickets, not just ids
				if tk.Kind == "" || tk.Version < 1 || tk.CreatedAt.IsZero() {
					t.Errorf("listed ticket %s incomplete: %+v", tk.ID, tk)
				}
			}
		})
	}
	if got := mustList(t, s, ticketing.Filter{Assignee: "U1"}); len(got) == 2 && got[0].Status != ticketing.StatusAssigned {
		t.Errorf("listed ticket has stale status %q", got[0].Status)
	}
}

// testListInTx: a transaction's List sees its own creates and updates,
// filtered and ordered as the store's; they are gone with its rollback.
func testListInTx(t *testing.T, s ticketing.Store) {
	ctx := context.Background()
	old := minimal(ticketing.KindRepair)
	old.Customer.Email = "a@x.com"
	t1 := mustCreate(t, s, old, bot(0)).ID
	other := minimal(ticketing.KindRepair)
	other.ChannelUser = "v-9"
	mustCreate(t, s, other, bot(0))
	rollback := errors.New("roll back")
	var t3 string
	err := s.InTx(ctx, func(tx ticketing.Tx) error {
		tk := minimal(ticketing.KindInstallation)
		tk.ChannelUser = "a@x.com"
		if err := tx.Create(ctx, tk, bot(1)); err != nil {
			return err
		}
		t3 = tk.ID
		if _, err := tx.Update(ctx, t1, agent(2), func(tk *ticketing.Ticket) error { tk.Status = ticketing.StatusOpen; return nil }); err != nil {
			return err
		}
		got, err := tx.List(ctx, ticketing.Filter{Customer: "a@x.com"})
		if err != nil {
			return err
		}
		if !slices.Equal(ids(got), []string{t3, t1}) || got[1].Status != ticketing.StatusOpen {
			t.Errorf("List in the transaction = %v (%s's status %q), want [%s %s] with %s open", ids(got), t1, got[len(got)-1].Status, t3, t1, t1)
		}
		if got, err := tx.List(ctx, ticketing.Filter{Status: ticketing.StatusNew, Limit: 1}); err != nil || !slices.Equal(ids(got), []string{t3}) {
			t.Errorf("List(new, limit 1) in the transaction = %v, %v; want [%s]", ids(got), err, t3)
		}
		if _, err := tx.List(ctx, ticketing.Filter{Limit: -1}); err == nil {
			t.Error("List with a negative limit in the transaction: no error")
		} else {
			assertInvalid(t, err, "filter")
		}
		return rollback
	})
	if !errors.Is(err, rollback) {
		t.Fatalf("InTx = %v", err)
	}
	if got := mustList(t, s, ticketing.Filter{Customer: "a@x.com"}); !slices.Equal(ids(got), []string{t1}) || got[0].Status != ticketing.StatusNew {
		t.Errorf("after the rollback List = %v, want [%s] still new", ids(got), t1)
	}
}

func testListInvalidFilter(t *testing.T, s ticketing.Store) {
	mustCreate(t, s, minimal(ticketing.KindRepair), bot(0))
	for _, f := range []ticketing.Filter{{Kind: "refund"}, {Status: "done"}, {Limit: -1}} {
		_, err := s.List(context.Background(), f)
		if err == nil {
			t.Errorf("List(%+v): no error", f)
			continue
		}
		assertInvalid(t, err, "filter")
	}
}

func testPing(t *testing.T, s ticketing.Store) {
	if err := s.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	mustCreate(t, s, minimal(ticketing.KindRepair), bot(0))
	if err := s.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
}
