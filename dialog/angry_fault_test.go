package dialog_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/supportd/supportd/ticketing"
)

// A new email that vents about a product whose repair an earlier email of
// the customer opened ("this is ridiculous, my PR-2000 still jams") is a
// complaint about that repair, not a second repair; another customer
// saying the same reports a fault, and its repair starts. A complaint filed
// in a new mail about the product is filed about that repair.
func TestAngryFaultOfARepairUnderWay(t *testing.T) {
	now := time.Date(2026, 12, 2, 2, 0, 0, 0, time.UTC)
	eng, db := newEngine(t, &now)
	ctx := context.Background()
	m := &mailer{t: t, eng: eng}
	mail := func(from, conv, text string) (string, string) { t.Helper(); return m.send(from, conv, "en", text) }
	conv := "email:new"
	for _, m := range []string{"my printer PR-2000 keeps jamming, bought 2025-01-15", "still jams", "order 556677889", "no", "no", "no", "yes"} {
		conv, _ = mail("li@example.com", conv, m)
	}
	tks, err := db.List(ctx, ticketing.Filter{Customer: "li@example.com", Kind: ticketing.KindRepair})
	if err != nil || len(tks) != 1 {
		t.Fatalf("the repair booked: %+v, %v", tks, err)
	}

	_, got := mail("li@example.com", "email:new", "this is ridiculous, my PR-2000 still jams")
	if !strings.Contains(got, "pass your complaint") {
		t.Errorf("anger at the repair under way, in a new mail: %q, want a complaint", got)
	}
	if tks, _ := db.List(ctx, ticketing.Filter{Customer: "li@example.com", Kind: ticketing.KindRepair}); len(tks) != 1 {
		t.Errorf("a second repair ticket: %+v", tks)
	}
	second, _ := mail("li@example.com", "email:new", "it's been a week and nobody contacted me about my printer")
	mail("li@example.com", second, "13812345678")
	complaints, err := db.List(ctx, ticketing.Filter{Customer: "li@example.com", Kind: ticketing.KindComplaint})
	if err != nil {
		t.Fatal(err)
	}
	filed := false
	for _, c := range complaints {
		if c.ConversationID == second {
			filed = true
			if c.Details["about_ticket"] != tks[0].ID || c.Model != "PR-2000" {
				t.Errorf("a complaint in a new mail about the repair of an earlier one: about %q, model %q; want %s, PR-2000", c.Details["about_ticket"], c.Model, tks[0].ID)
			}
		}
	}
	if !filed {
		t.Errorf("no complaint filed in the new mail: %+v", complaints)
	}

	_, got = mail("wang@example.com", "email:new", "this is ridiculous, my PR-2000 still jams")
	if !strings.Contains(got, "let's get this repaired") {
		t.Errorf("another customer's angry fault report: %q, want the repair", got)
	}
}
