package tickettest

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/supportd/supportd/policy"
	"github.com/supportd/supportd/ticketing"
)

var (
	cst = time.FixedZone("CST", 8*3600)
	// t0 is the suite's "now": nanoseconds and a non-UTC zone check that
	// stores keep the instant exactly.
	t0 = time.Date(2026, 3, 2, 9, 30, 15, 123456789, cst)

	errBoom = errors.New("boom")
)

// at returns t0 plus n minutes.
func at(n int) time.Time { return t0.Add(time.Duration(n) * time.Minute) }

func bot(n int) ticketing.By { return ticketing.By{Actor: "bot", Channel: "webchat", At: at(n)} }

func agent(n int) ticketing.By {
	return ticketing.By{Actor: "agent:U7", Channel: "slack", At: at(n)}
}

func ptr[T any](v T) *T { return &v }

// full returns a ticket with every field the caller may set filled in.
func full() *ticketing.Ticket {
	return &ticketing.Ticket{
		Kind:           ticketing.KindRepair,
		Subject:        "洗衣机不转 / drum does not turn",
		Customer:       ticketing.Customer{Name: "王芳", Email: "wang@example.com", Phone: "+86 138 0000 0000", Lang: "zh"},
		Channel:        "webchat",
		ChannelUser:    "v-42",
		ConversationID: "c-0001",
		Model:          "WM-100",
		PurchaseDate:   policy.NewDate(2025, 3, 1),
		ProofRef:       "JD-2025030112345",
		Warranty:       &ticketing.WarrantyDecision{Covered: false, Ends: policy.NewDate(2026, 2, 28), Reason: "expired"},
		Options:        []string{"repair", "exchange"},
		Region:         "shanghai",
		Details:        map[string]string{"address": "上海市浦东新区 1 号", "fault": "E21", "preferred_date": "2026-03-05"},
		Due: ticketing.Deadlines{
			FirstResponse: ptr(time.Date(2026, 3, 3, 18, 0, 0, 0, cst)),
			Resolution:    ptr(time.Date(2026, 3, 11, 18, 0, 0, 0, cst)),
			Onsite:        ptr(time.Date(2026, 3, 4, 18, 0, 0, 0, cst)),
		},
		Assignee:     "U7",
		Quote:        &ticketing.Quote{Amount: policy.Yuan(170.5), Note: "inspection + labour", Status: ticketing.QuotePending, ExpiresAt: ptr(time.Date(2026, 3, 9, 18, 0, 0, 0, cst))},
		Satisfaction: &ticketing.Satisfaction{Score: 4, Comment: "快 fast", At: time.Date(2026, 3, 10, 12, 0, 0, 0, cst)},
	}
}

// minimal returns a ticket with only a kind and where it came from.
func minimal(kind ticketing.Kind) *ticketing.Ticket {
	return &ticketing.Ticket{Kind: kind, Subject: "help", Channel: "webchat", ChannelUser: "v-1"}
}

func mustCreate(t *testing.T, s ticketing.Store, tk *ticketing.Ticket, by ticketing.By) *ticketing.Ticket {
	t.Helper()
	if err := s.Create(context.Background(), tk, by); err != nil {
		t.Fatalf("create: %v", err)
	}
	return tk
}

func mustGet(t *testing.T, s ticketing.Store, id string) *ticketing.Ticket {
	t.Helper()
	tk, err := s.Get(context.Background(), id)
	if err != nil {
		t.Fatalf("get %s: %v", id, err)
	}
	return tk
}

func mustEvents(t *testing.T, s ticketing.Store, id string) []ticketing.Event {
	t.Helper()
	evs, err := s.Events(context.Background(), id)
	if err != nil {
		t.Fatalf("events of %s: %v", id, err)
	}
	return evs
}

func mustList(t *testing.T, s ticketing.Store, f ticketing.Filter) []*ticketing.Ticket {
	t.Helper()
	ts, err := s.List(context.Background(), f)
	if err != nil {
		t.Fatalf("list %+v: %v", f, err)
	}
	return ts
}

func mustUpdate(t *testing.T, s ticketing.Store, id string, by ticketing.By, fn func(*ticketing.Ticket)) *ticketing.Ticket {
	t.Helper()
	tk, err := s.Update(context.Background(), id, by, func(tk *ticketing.Ticket) error { fn(tk); return nil })
	if err != nil {
		t.Fatalf("update %s: %v", id, err)
	}
	return tk
}

func setStatus(st ticketing.Status) func(*ticketing.Ticket) {
	return func(tk *ticketing.Ticket) { tk.Status = st }
}

// canon is the ticket's JSON with every time in UTC: two tickets with the
// same canon hold the same values.
func canon(t *testing.T, tk *ticketing.Ticket) string {
	t.Helper()
	c := tk.Clone()
	utc := func(p *time.Time) {
		if p != nil {
			*p = p.UTC()
		}
	}
	utc(&c.CreatedAt)
	utc(&c.UpdatedAt)
	utc(c.Due.FirstResponse)
	utc(c.Due.Resolution)
	utc(c.Due.Onsite)
	if c.Quote != nil {
		utc(c.Quote.ExpiresAt)
	}
	if c.Satisfaction != nil {
		utc(&c.Satisfaction.At)
	}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// assertSame fails unless got holds exactly the values of want.
func assertSame(t *testing.T, what string, got, want *ticketing.Ticket) {
	t.Helper()
	if g, w := canon(t, got), canon(t, want); g != w {
		t.Errorf("%s:\n got %s\nwant %s", what, g, w)
	}
}

// assertUnchanged fails unless the stored ticket still equals before and its
// log still has n events.
func assertUnchanged(t *testing.T, s ticketing.Store, before *ticketing.Ticket, n int) {
	t.Helper()
	assertSame(t, "stored ticket after a failed change", mustGet(t, s, before.ID), before)
	if evs := mustEvents(t, s, before.ID); len(evs) != n {
		t.Errorf("%s has %d events after a failed change, want %d: %+v", before.ID, len(evs), n, evs)
	}
}

func assertInvalid(t *testing.T, err error, field string) {
	t.Helper()
	if !errors.Is(err, ticketing.ErrInvalid) {
		t.Fatalf("err = %v, want ErrInvalid", err)
	}
	if !strings.Contains(err.Error(), field) {
		t.Errorf("error %q does not name the field %q", err, field)
	}
}

func ids(ts []*ticketing.Ticket) []string {
	out := make([]string, 0, len(ts))
	for _, tk := range ts {
		out = append(out, tk.ID)
	}
	return out
}

// jsonEqual compares two JSON values by meaning.
func jsonEqual(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}
