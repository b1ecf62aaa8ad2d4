package dialog_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/ticketing"
)

// A customer asking about a case in a new conversation (a new email, not a
// reply to ours) is told how their ticket of an earlier conversation
// stands, by its number or by "any update"; also a ticket of a chat that
// names their address as the customer's. Another customer asking about the
// same number is told nothing of it.
func TestStatusOfTicketsOfOtherConversations(t *testing.T) {
	now := time.Date(2026, 12, 2, 2, 0, 0, 0, time.UTC)
	eng, db := newEngine(t, &now)
	ctx := context.Background()
	m := &mailer{t: t, eng: eng}
	mail := func(from, conv, text string) (string, string) { t.Helper(); return m.send(from, conv, "", text) }
	first, _ := mail("li@example.com", "email:new", "I want to make a complaint: the delivery man broke my door. My phone is 13800138000")
	tks, err := db.List(ctx, ticketing.Filter{Customer: "li@example.com"})
	if err != nil || len(tks) != 1 || tks[0].ConversationID != first {
		t.Fatalf("the complaint's ticket: %+v, %v", tks, err)
	}
	id := tks[0].ID

	// A new mail, a new conversation.
	second, got := mail("li@example.com", "email:new", "What is the status of "+id+"?")
	if second == first {
		t.Fatal("the new mail continued the first conversation")
	}
	if !strings.Contains(got, id) || strings.Contains(got, "can't find") {
		t.Errorf("asked by number in a new conversation: %q, want how %s stands", got, id)
	}
	_, got = mail("li@example.com", "email:new", "any update on my case?")
	if !strings.Contains(got, id) {
		t.Errorf("asked for any update in a new conversation: %q, want how %s stands", got, id)
	}
	_, got = mail("wang@example.com", "email:new", "What is the status of "+id+"?")
	if !strings.Contains(got, "I can't find "+id+" among your tickets") {
		t.Errorf("another customer asking about %s: %q, want it unknown", id, got)
	}

	// A web chat ticket whose customer gave this address.
	res, err := eng.Handle(ctx, dialog.Inbound{Channel: "webchat", User: "v-77", ID: "w1", Lang: "en",
		Text: "I want to make a complaint: the technician was rude. My phone is 13900139000"})
	if err != nil {
		t.Fatal(err)
	}
	chat := res.Tickets[0].ID
	if _, err := db.Update(ctx, chat, ticketing.By{Actor: "bot", Channel: "webchat"}, func(tk *ticketing.Ticket) error {
		tk.Customer.Email = "li@example.com"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	_, got = mail("li@example.com", "email:new", "What is the status of "+chat+"?")
	if !strings.Contains(got, chat) || strings.Contains(got, "can't find") {
		t.Errorf("asked by email about the chat's ticket naming the address: %q", got)
	}
	res, err = eng.Handle(ctx, dialog.Inbound{Channel: "webchat", User: "v-78", ID: "w2", Lang: "en", Text: "What is the status of " + id + "?"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Replies) == 0 || !strings.Contains(res.Replies[0].Text, "I can't find "+id) {
		t.Errorf("a chat visitor asking about an email customer's ticket: %+v", res.Replies)
	}
}
