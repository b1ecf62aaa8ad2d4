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

// Release gives a claimed ticket up: only its assignee may, the ticket is
// unassigned (open again when nobody had worked on it) with the release in
// its audit log, and a colleague may then claim it.
func TestReleaseUnassigns(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	eng, db := newEngine(t, &now)
	ctx := context.Background()
	if _, err := eng.Handle(ctx, dialog.Inbound{Channel: "webchat", User: "v", ID: "1", Text: "转人工"}); err != nil {
		t.Fatal(err)
	}
	release := dialog.Action{Kind: dialog.ActRelease, TicketID: "T-1001", Agent: "ann", Text: "on leave tomorrow"}
	if _, err := eng.Act(ctx, release); !errors.Is(err, dialog.ErrBadAction) || !strings.Contains(err.Error(), "not claimed") {
		t.Errorf("releasing an unclaimed ticket: %v", err)
	}
	if _, err := eng.Act(ctx, dialog.Action{Kind: dialog.ActClaim, TicketID: "T-1001", Agent: "ann"}); err != nil {
		t.Fatal(err)
	}
	var ce *dialog.ClaimedError
	if _, err := eng.Act(ctx, dialog.Action{Kind: dialog.ActRelease, TicketID: "T-1001", Agent: "ben"}); !errors.As(err, &ce) || ce.By != "ann" {
		t.Errorf("a colleague releasing: %v, want ClaimedError by ann", err)
	}
	res, err := eng.Act(ctx, release)
	if err != nil {
		t.Fatal(err)
	}
	if tk := res.Ticket; tk.Assignee != "" || tk.Status != ticketing.StatusOpen {
		t.Errorf("released: assignee %q, %s; want unassigned and open", tk.Assignee, tk.Status)
	}
	if len(res.Replies) != 0 {
		t.Errorf("the customer was told %+v", res.Replies)
	}
	tk, _ := db.Get(ctx, "T-1001")
	c, _ := db.Conversation(ctx, tk.ConversationID)
	if c.Handoff == nil || c.Handoff.Agent != "" {
		t.Errorf("handoff %+v, want with the desk and nobody's", c.Handoff)
	}
	evs, _ := db.Events(ctx, "T-1001")
	found := false
	for _, ev := range evs {
		if _, ok := ev.Changes["assignee"]; ok && ev.Actor == "agent:ann" && ev.Note == "released by ann: on leave tomorrow" {
			found = true
		}
	}
	if !found {
		t.Errorf("no release in the audit log: %+v", evs)
	}
	if _, err := eng.Act(ctx, dialog.Action{Kind: dialog.ActClaim, TicketID: "T-1001", Agent: "ben"}); err != nil {
		t.Errorf("claim after release: %v", err)
	}
	if tk, _ := db.Get(ctx, "T-1001"); tk.Assignee != "ben" || tk.Status != ticketing.StatusAssigned {
		t.Errorf("after ben's claim: %q %s", tk.Assignee, tk.Status)
	}
}

// TestAgentActionsRecordTheirChannel: the audit trail says where an agent
// acted (Slack), not the customer's channel (the web chat), for every change
// the action makes.
func TestAgentActionsRecordTheirChannel(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	eng, db := newEngine(t, &now)
	ctx := context.Background()
	if _, err := eng.Handle(ctx, dialog.Inbound{Channel: "webchat", User: "v1", ID: "m1", Text: "转人工"}); err != nil {
		t.Fatal(err)
	}
	for _, a := range []dialog.Action{
		{Kind: dialog.ActClaim, TicketID: "T-1001", Agent: "ann", Channel: "slack"},
		{Kind: dialog.ActReply, TicketID: "T-1001", Agent: "ann", Channel: "slack", Text: "您好"},
		{Kind: dialog.ActResolve, TicketID: "T-1001", Agent: "ann", Channel: "slack"},
	} {
		if _, err := eng.Act(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	events, err := db.Events(ctx, "T-1001")
	if err != nil {
		t.Fatal(err)
	}
	agents := 0
	for _, e := range events {
		if strings.HasPrefix(e.Actor, "agent:") {
			agents++
			if e.Channel != "slack" {
				t.Errorf("event %d by %s (%s) recorded on %q, want slack", e.Seq, e.Actor, e.Note, e.Channel)
			}
		}
	}
	if agents < 3 {
		t.Errorf("%d events by the agent, want the claim, the reply and the resolve at least", agents)
	}
}

// TestAgentEmailIsOneIdentity: Frank@Example.com and frank@example.com are
// the same agent (the Slack desk reads the account's email in lower case): a
// claim in one case and a reply in the other are one owner's.
func TestAgentEmailIsOneIdentity(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	eng, db := newEngine(t, &now)
	ctx := context.Background()
	if _, err := eng.Handle(ctx, dialog.Inbound{Channel: "webchat", User: "v1", ID: "m1", Text: "转人工"}); err != nil {
		t.Fatal(err)
	}
	if _, err := eng.Act(ctx, dialog.Action{Kind: dialog.ActClaim, TicketID: "T-1001", Agent: "Frank@Example.com", Channel: "cli"}); err != nil {
		t.Fatal(err)
	}
	if _, err := eng.Act(ctx, dialog.Action{Kind: dialog.ActReply, TicketID: "T-1001", Agent: "frank@example.com", Channel: "slack", Text: "您好"}); err != nil {
		t.Fatalf("the same agent in lower case: %v", err)
	}
	if tk, _ := db.Get(ctx, "T-1001"); tk.Assignee != "frank@example.com" {
		t.Errorf("assignee %q, want frank@example.com", tk.Assignee)
	}
}

// A claim on a finished ticket (resolved, closed, cancelled) is refused,
// whoever held it: nothing to take on, and a reply reopens it.
func TestClaimOnAFinishedTicketIsRefused(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	eng, db := newEngine(t, &now)
	ctx := context.Background()
	if _, err := eng.Handle(ctx, dialog.Inbound{Channel: "webchat", User: "v1", ID: "m1", Text: "转人工"}); err != nil {
		t.Fatal(err)
	}
	for _, a := range []dialog.Action{{Kind: dialog.ActClaim, TicketID: "T-1001", Agent: "bob"}, {Kind: dialog.ActResolve, TicketID: "T-1001", Agent: "bob"}} {
		if _, err := eng.Act(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	for _, agent := range []string{"bob", "alice"} {
		_, err := eng.Act(ctx, dialog.Action{Kind: dialog.ActClaim, TicketID: "T-1001", Agent: agent})
		if !errors.Is(err, dialog.ErrBadAction) || !strings.Contains(err.Error(), "T-1001 is resolved: a finished ticket is not claimed") {
			t.Errorf("%s claiming the resolved T-1001: %v", agent, err)
		}
	}
	tk, err := db.Get(ctx, "T-1001")
	if err != nil || tk.Status != ticketing.StatusResolved || tk.Assignee != "bob" {
		t.Errorf("T-1001 after the refused claims: %+v, %v", tk, err)
	}
}
