package dialog_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/ticketing"
)

// TestParticipantMessage: a participant's message (a colleague the customer
// copied) joins the customer's conversation, headed with who wrote it, and
// goes on the ticket a person owns as a note; the bot answers nothing and
// the customer's case, address and name stay as they were.
func TestParticipantMessage(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	eng, db := newEngine(t, &now)
	ctx := context.Background()
	alice := ticketing.Customer{Email: "alice@example.net", Name: "Alice"}
	a, err := eng.Handle(ctx, dialog.Inbound{Channel: "email", User: "alice@example.net", ID: "a1", Text: "I want to talk to a human agent", Customer: alice})
	if err != nil {
		t.Fatal(err)
	}
	before, err := db.Conversation(ctx, a.ConversationID)
	if err != nil || before.Handoff == nil {
		t.Fatalf("no handoff: %+v %v", before, err)
	}
	bob := ticketing.Customer{Email: "bob@example.net", Name: "Bob"}
	b, err := eng.Handle(ctx, dialog.Inbound{Channel: "email", User: "bob@example.net", ConversationID: a.ConversationID,
		Participant: true, ID: "b1", Text: "Call me instead: 13812345678", Customer: bob})
	if err != nil {
		t.Fatal(err)
	}
	if b.ConversationID != a.ConversationID || len(b.Replies) != 0 {
		t.Errorf("participant's turn: conversation %s (want %s), replies %v", b.ConversationID, a.ConversationID, b.Replies)
	}
	after, err := db.Conversation(ctx, a.ConversationID)
	if err != nil {
		t.Fatal(err)
	}
	if after.State != before.State || after.User != before.User || after.Customer != before.Customer {
		t.Errorf("the customer's case changed: %+v → %+v", before, after)
	}
	hist, err := db.History(ctx, a.ConversationID, 0)
	if err != nil {
		t.Fatal(err)
	}
	last := hist[len(hist)-1]
	if last.Dir != dialog.In || last.From != dialog.FromCustomer || !strings.Contains(last.Text, "Bob <bob@example.net>") ||
		!strings.Contains(last.Text, "13812345678") {
		t.Errorf("last message = %+v", last)
	}
	evs, err := db.Events(ctx, before.Handoff.TicketID)
	if err != nil {
		t.Fatal(err)
	}
	if ev := evs[len(evs)-1]; ev.Action != ticketing.ActionComment || !strings.Contains(ev.Note, "bob@example.net") || !strings.Contains(ev.Note, "13812345678") {
		t.Errorf("last event of the ticket = %+v", ev)
	}
	// The same message again is a duplicate; to an unknown conversation it
	// is refused.
	if again, err := eng.Handle(ctx, dialog.Inbound{Channel: "email", User: "bob@example.net", ConversationID: a.ConversationID,
		Participant: true, ID: "b1", Text: "Call me instead: 13812345678"}); err != nil || !again.Duplicate {
		t.Errorf("the same message again: %+v %v", again, err)
	}
	if _, err := eng.Handle(ctx, dialog.Inbound{Channel: "email", User: "bob@example.net", ConversationID: "c_nope",
		Participant: true, ID: "b2", Text: "hello"}); !errors.Is(err, dialog.ErrNotFound) {
		t.Errorf("to an unknown conversation: %v, want ErrNotFound", err)
	}
}
