package ticketing

import (
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"
)

func isInvalid(err error) bool { return errors.Is(err, ErrInvalid) }

func contains(err error, s string) bool { return err != nil && strings.Contains(err.Error(), s) }

func TestPrepareCreate(t *testing.T) {
	in := sample()
	in.ID, in.Status = "", ""
	in.Due.Onsite = ptr(time.Date(2026, 3, 4, 18, 0, 0, 0, cst))
	in.Options = []string{}
	c, err := PrepareCreate(in)
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != StatusNew || c.Due.Onsite.Location() != time.UTC || !c.Due.Onsite.Equal(*in.Due.Onsite) || c.Options != nil {
		t.Errorf("prepared: status %q onsite %v options %#v", c.Status, c.Due.Onsite, c.Options)
	}
	if in.Status != "" || in.Due.Onsite.Location() != cst {
		t.Error("PrepareCreate changed its argument")
	}
	for _, tc := range []struct {
		edit func(*Ticket)
		want string
	}{
		{func(x *Ticket) { x.ID = "T-1001" }, "id: assigned by the store"},
		{func(x *Ticket) { x.Status = StatusAssigned }, "status: a new ticket is new or open, not assigned"},
		{func(x *Ticket) { x.Kind = "" }, "kind"},
	} {
		x := sample()
		x.ID, x.Status = "", StatusOpen
		tc.edit(x)
		if _, err := PrepareCreate(x); !isInvalid(err) || !contains(err, tc.want) {
			t.Errorf("err = %v, want %q", err, tc.want)
		}
	}
	if _, err := PrepareCreate(nil); !isInvalid(err) {
		t.Errorf("nil: %v", err)
	}
}

func TestApplyUpdate(t *testing.T) {
	boom := errors.New("boom")
	cases := []struct {
		name    string
		fn      func(*Ticket) error
		err     error  // wanted errors.Is target
		msg     string // wanted in the message
		changed []string
	}{
		{"no change", func(*Ticket) error { return nil }, nil, "", nil},
		{"same status", func(x *Ticket) error { x.Status = StatusAssigned; return nil }, nil, "", nil},
		{"same instant in another zone", func(x *Ticket) error {
			x.Due.Onsite = ptr(x.Due.Onsite.In(cst))
			return nil
		}, nil, "", nil},
		{"empty map is none", func(x *Ticket) error { x.Details = nil; return nil }, nil, "", []string{"details"}},
		{"store fields ignored", func(x *Ticket) error { x.Version, x.UpdatedAt = 99, time.Time{}; return nil }, nil, "", nil},
		{"fields", func(x *Ticket) error {
			x.Status, x.Assignee, x.Customer.Phone = StatusInProgress, "U8", "110"
			return nil
		}, nil, "", []string{"assignee", "customer", "status"}},
		{"fn error", func(x *Ticket) error { x.Subject = "x"; return boom }, boom, "boom", nil},
		{"forbidden status", func(x *Ticket) error { x.Status = StatusClosed; return nil }, ErrInvalidTransition,
			"invalid status change: assigned → closed", nil},
		{"id", func(x *Ticket) error { x.ID = "T-2"; return nil }, ErrInvalid, "id: cannot change (T-1001 → T-2)", nil},
		{"kind", func(x *Ticket) error { x.Kind = KindReturn; return nil }, ErrInvalid, "kind: cannot change (repair → return)", nil},
		{"created_at", func(x *Ticket) error { x.CreatedAt = x.CreatedAt.Add(time.Second); return nil }, ErrInvalid, "created_at: cannot change", nil},
		{"invalid", func(x *Ticket) error { x.Satisfaction.Score = 7; return nil }, ErrInvalid, "satisfaction.score", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cur := sample()
			before, _ := json.Marshal(cur)
			next, changes, err := ApplyUpdate(cur, tc.fn)
			if after, _ := json.Marshal(cur); string(after) != string(before) {
				t.Fatal("ApplyUpdate changed the current ticket")
			}
			if tc.err != nil {
				if !errors.Is(err, tc.err) || !contains(err, tc.msg) || next != nil {
					t.Errorf("err = %v, next %v; want %v with %q", err, next, tc.err, tc.msg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := slices.Sorted(maps.Keys(changes)); !slices.Equal(got, tc.changed) {
				t.Errorf("changed %v, want %v", got, tc.changed)
			}
			if next.Version != cur.Version || !next.UpdatedAt.Equal(cur.UpdatedAt) {
				t.Errorf("version %d updated %v: store-managed fields must be left as they were", next.Version, next.UpdatedAt)
			}
		})
	}
}

func TestDiff(t *testing.T) {
	a := sample()
	b := a.Clone()
	b.Status = StatusInProgress
	b.Warranty = nil
	b.Details["fault"] = "E22"
	b.Version, b.UpdatedAt = 4, b.UpdatedAt.Add(time.Hour)
	got, err := Diff(a, b)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]string{
		"status":   {`"assigned"`, `"in_progress"`},
		"warranty": {`{"covered":true,"ends":"2026-02-28","reason":"in_warranty"}`, `null`},
		"details":  {`{"address":"上海","fault":"E21"}`, `{"address":"上海","fault":"E22"}`},
	}
	if len(got) != len(want) {
		t.Fatalf("diff %v, want the fields of %v", got, want)
	}
	for k, w := range want {
		if string(got[k].Old) != w[0] || string(got[k].New) != w[1] {
			t.Errorf("%s: %s → %s, want %s → %s", k, got[k].Old, got[k].New, w[0], w[1])
		}
	}
	raw, _ := json.Marshal(got["status"])
	if string(raw) != `{"old":"assigned","new":"in_progress"}` {
		t.Errorf("change JSON %s", raw)
	}
	if d, _ := Diff(a, a.Clone()); d != nil {
		t.Errorf("diff of equal tickets: %v", d)
	}
}

func TestByTime(t *testing.T) {
	now := func() time.Time { return time.Date(2026, 1, 1, 8, 0, 0, 0, cst) }
	if got := (By{}).Time(now); !got.Equal(now()) || got.Location() != time.UTC {
		t.Errorf("zero At: %v", got)
	}
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, cst)
	if got := (By{At: at}).Time(now); !got.Equal(at) {
		t.Errorf("At: %v", got)
	}
	if err := (By{Channel: "x"}).Validate(); !isInvalid(err) || !contains(err, "actor") {
		t.Errorf("no actor: %v", err)
	}
}

func TestFilterValidate(t *testing.T) {
	for _, f := range []Filter{{}, {Kind: KindRepair, Status: StatusOpen, Assignee: "U1", Customer: "a@b", Limit: 5}} {
		if err := f.Validate(); err != nil {
			t.Errorf("%+v: %v", f, err)
		}
	}
	for _, f := range []Filter{{Kind: "x"}, {Status: "x"}, {Limit: -1}} {
		if err := f.Validate(); !isInvalid(err) || !contains(err, "filter") {
			t.Errorf("%+v: %v", f, err)
		}
	}
}
