package ticketing

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/supportd/supportd/policy"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var cst = time.FixedZone("CST", 8*3600)

func ptr[T any](v T) *T { return &v }

// sample is a ticket with every field set.
func sample() *Ticket {
	return &Ticket{
		ID: "T-1001", Kind: KindRepair, Status: StatusAssigned, Subject: "洗衣机不转",
		Customer: Customer{Name: "王芳", Email: "wang@example.com", Phone: "+86 138 0000 0000", Lang: "zh"},
		Channel:  "webchat", ChannelUser: "v-42", ConversationID: "c-1", Model: "WM-100",
		PurchaseDate: policy.NewDate(2025, 3, 1), ProofRef: "JD-1",
		Warranty: &WarrantyDecision{Covered: true, Ends: policy.NewDate(2026, 2, 28), Reason: "in_warranty"},
		Options:  []string{"repair", "exchange"}, Region: "shanghai",
		Details: map[string]string{"address": "上海", "fault": "E21"},
		Due: Deadlines{
			FirstResponse: ptr(time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC)),
			Resolution:    ptr(time.Date(2026, 3, 11, 10, 0, 0, 0, time.UTC)),
			Onsite:        ptr(time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)),
		},
		Assignee:     "U7",
		Quote:        &Quote{Amount: policy.Yuan(170.5), Note: "labour", Status: QuotePending, ExpiresAt: ptr(time.Date(2026, 3, 9, 10, 0, 0, 0, time.UTC))},
		Satisfaction: &Satisfaction{Score: 5, Comment: "好", At: time.Date(2026, 3, 10, 4, 0, 0, 0, time.UTC)},
		CreatedAt:    time.Date(2026, 3, 2, 1, 30, 0, 0, time.UTC),
		UpdatedAt:    time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC),
		Version:      3,
	}
}

// TestJSONShape pins the public `tickets show --json` shape.
func TestJSONShape(t *testing.T) {
	for _, tc := range []struct {
		file string
		t    *Ticket
	}{
		{"ticket_full.json", sample()},
		{"ticket_minimal.json", &Ticket{ID: "T-1002", Kind: KindConsultation, Status: StatusNew, Version: 1,
			CreatedAt: time.Date(2026, 3, 2, 1, 30, 0, 0, time.UTC), UpdatedAt: time.Date(2026, 3, 2, 1, 30, 0, 0, time.UTC)}},
	} {
		got, err := json.MarshalIndent(tc.t, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", tc.file)
		if *update {
			if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(append(got, '\n'), want) {
			t.Errorf("%s changed (run with -update if intended):\n%s", golden, got)
		}
		var back Ticket
		if err := json.Unmarshal(want, &back); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(&back, tc.t) {
			t.Errorf("%s does not decode to the same ticket:\n got %+v\nwant %+v", golden, &back, tc.t)
		}
	}
}

func TestCloneIsDeep(t *testing.T) {
	orig := sample()
	before, _ := json.Marshal(orig)
	c := orig.Clone()
	if !reflect.DeepEqual(c, orig) {
		t.Fatal("clone differs")
	}
	c.Warranty.Reason = "x"
	c.Options[0] = "x"
	c.Details["fault"] = "x"
	*c.Due.FirstResponse = time.Time{}
	*c.Due.Resolution = time.Time{}
	*c.Due.Onsite = time.Time{}
	c.Quote.Amount = 1
	*c.Quote.ExpiresAt = time.Time{}
	c.Satisfaction.Score = 1
	c.Customer.Name = "x"
	after, _ := json.Marshal(orig)
	if !bytes.Equal(before, after) {
		t.Errorf("mutating the clone changed the original:\n%s\n%s", before, after)
	}
	if (*Ticket)(nil).Clone() != nil {
		t.Error("nil clone")
	}
	// Every pointer, slice and map field must be covered by Clone: a new one
	// added to Ticket without a deep copy shows up here.
	assertNoSharedRefs(t, reflect.ValueOf(orig).Elem(), reflect.ValueOf(orig.Clone()).Elem(), "Ticket")
}

func assertNoSharedRefs(t *testing.T, a, b reflect.Value, path string) {
	t.Helper()
	switch a.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map:
		if !a.IsNil() && a.UnsafePointer() == b.UnsafePointer() {
			t.Errorf("%s is shared between a ticket and its clone", path)
		}
		if a.Kind() == reflect.Pointer && !a.IsNil() {
			assertNoSharedRefs(t, a.Elem(), b.Elem(), path)
		}
	case reflect.Struct:
		for i := range a.NumField() {
			if a.Type().Field(i).IsExported() {
				assertNoSharedRefs(t, a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name)
			}
		}
	}
}

func TestFormatID(t *testing.T) {
	if got := FormatID(FirstNumber); got != "T-1001" {
		t.Errorf("FormatID(FirstNumber) = %q", got)
	}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(*Ticket)
		field string // "" means valid
	}{
		{"full", func(*Ticket) {}, ""},
		{"no kind", func(x *Ticket) { x.Kind = "" }, "kind: missing"},
		{"bad kind", func(x *Ticket) { x.Kind = "refund" }, `kind: unknown ticket kind "refund"`},
		{"bad status", func(x *Ticket) { x.Status = "done" }, "status"},
		{"score 0", func(x *Ticket) { x.Satisfaction.Score = 0 }, "satisfaction.score: must be 1-5, got 0"},
		{"score 6", func(x *Ticket) { x.Satisfaction.Score = 6 }, "satisfaction.score"},
		{"score 1", func(x *Ticket) { x.Satisfaction.Score = 1 }, ""},
		{"free quote", func(x *Ticket) { x.Quote.Amount = 0 }, ""},
		{"negative quote", func(x *Ticket) { x.Quote.Amount = policy.Yuan(-0.5) }, "quote.amount: must be ≥ 0, got -0.50"},
		{"quote status", func(x *Ticket) { x.Quote.Status = "" }, "quote.status"},
		{"empty detail key", func(x *Ticket) { x.Details[""] = "v" }, "details"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			x := sample()
			tc.edit(x)
			err := x.Validate()
			if tc.field == "" {
				if err != nil {
					t.Errorf("valid ticket refused: %v", err)
				}
				return
			}
			if !isInvalid(err) || !contains(err, "invalid ticket: "+tc.field) {
				t.Errorf("err = %v, want ErrInvalid naming %q", err, tc.field)
			}
		})
	}
}
