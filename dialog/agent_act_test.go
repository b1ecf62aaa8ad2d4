package dialog_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/ticketing"
)

// Resolve says whether it asked the customer to rate the service: it does
// when the conversation is with the desk or idle, not when the customer is
// in the middle of a new form with the bot (told the ticket is resolved,
// not asked), and a ticket without a conversation tells the customer
// nothing at all.
func TestResolveSaysWhetherTheRatingWasAsked(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	eng, db := newEngine(t, &now)
	ctx := context.Background()
	n := 0
	say := func(user, text string) {
		t.Helper()
		n++
		if _, err := eng.Handle(ctx, dialog.Inbound{Channel: "webchat", User: user, ID: string(rune('a' + n)), Text: text}); err != nil {
			t.Fatal(err)
		}
	}
	resolve := func(id string) *dialog.ActResult {
		t.Helper()
		res, err := eng.Act(ctx, dialog.Action{Kind: dialog.ActResolve, TicketID: id, Agent: "ann"})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	told := func(res *dialog.ActResult, id string) bool {
		for _, m := range res.Replies {
			if strings.Contains(m.Text, id) {
				return true
			}
		}
		return false
	}

	say("v1", "转人工") // T-1001, with the desk
	if res := resolve("T-1001"); !res.Rating || !told(res, "T-1001") {
		t.Errorf("resolved with the desk: rating asked %t, replies %+v", res.Rating, res.Replies)
	}

	// T-1002: a complaint handed back; the customer then starts a repair.
	say("v2", "I want to make a complaint")
	say("v2", "The technician broke my shelf")
	say("v2", "my email is jo@example.com")
	for _, a := range []dialog.Action{
		{Kind: dialog.ActReply, TicketID: "T-1002", Agent: "ann", Text: "Sorry, we pay for it."},
		{Kind: dialog.ActHandback, TicketID: "T-1002", Agent: "ann"},
	} {
		if _, err := eng.Act(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	say("v2", "my TV-55X has no sound")
	res := resolve("T-1002")
	if res.Rating || !told(res, "T-1002") {
		t.Errorf("resolved while the customer fills in a repair: rating asked %t, replies %+v", res.Rating, res.Replies)
	}

	// A ticket without a conversation.
	tk := &ticketing.Ticket{Kind: ticketing.KindComplaint, Subject: "by phone", Channel: "phone"}
	if err := db.Create(ctx, tk, ticketing.By{Actor: "cli", Channel: "cli"}); err != nil {
		t.Fatal(err)
	}
	if res := resolve(tk.ID); res.Rating || len(res.Replies) != 0 {
		t.Errorf("resolved without a conversation: rating asked %t, replies %+v", res.Rating, res.Replies)
	}
}
