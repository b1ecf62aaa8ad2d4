package slack_test

import (
	"context"
	"testing"
	"time"

	"github.com/supportd/supportd/channels/slack"
	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/ticketing"
)

// resolved waits for a ticket to be resolved.
func (h *harness) resolved(id string) {
	h.t.Helper()
	eventually(h.t, id+" resolved", func() bool {
		tk, err := h.db.Get(context.Background(), id)
		return err == nil && tk.Status == ticketing.StatusResolved
	})
}

// Resolve's notice in the thread says what the customer was really told:
// asked to rate, told but not asked (busy with a new form with the bot), or
// nothing (no conversation).
func TestResolveNoticeSaysWhatTheCustomerWasTold(t *testing.T) {
	h := newHarness(t, func(s *config.Slack, _ *slack.Options) { s.SLAInterval = 30 * time.Millisecond })
	h.say("v1", "can I talk to a real person please")
	ch, ts := h.thread("T-1001")
	h.mustOK(h.press("c1", "U1", "claim", "T-1001", ch, ts))
	h.mustOK(h.press("r1", "U1", "resolve", "T-1001", ch, ts))
	h.resolved("T-1001")
	eventually(t, "the notice with the rating", func() bool {
		return len(h.slack.posts("✔️ Resolved by <@U1>; the customer was told and asked to rate the service.")) == 1
	})

	// A complaint handed back; the customer then starts a repair with the bot.
	h.complaint("v2", "The technician broke my shelf")
	ch, ts = h.thread("T-1002")
	h.mustOK(h.press("c2", "U1", "claim", "T-1002", ch, ts))
	h.mustOK(h.threadReply("E1", "U1", ch, ts, "Sorry, we pay for the shelf."))
	h.mustOK(h.press("hb2", "U1", "handback", "T-1002", ch, ts))
	eventually(t, "the hand-back", func() bool { return len(h.slack.posts("Handed back to the bot by <@U1>")) == 1 })
	h.say("v2", "my TV-55X has no sound")
	h.mustOK(h.press("r2", "U1", "resolve", "T-1002", ch, ts))
	h.resolved("T-1002")
	eventually(t, "the notice without the rating", func() bool {
		return len(h.slack.posts("✔️ Resolved by <@U1>; the customer was told, but not asked to rate the service: they are in the middle of something else with the bot.")) == 1
	})

	// A ticket without a conversation (filed by phone).
	tk := &ticketing.Ticket{Kind: ticketing.KindComplaint, Subject: "called about the shelf", Channel: "phone"}
	if err := h.db.Create(context.Background(), tk, ticketing.By{Actor: "cli", Channel: "cli"}); err != nil {
		t.Fatal(err)
	}
	ch, ts = h.thread(tk.ID)
	h.mustOK(h.press("c3", "U1", "claim", tk.ID, ch, ts))
	h.mustOK(h.press("r3", "U1", "resolve", tk.ID, ch, ts))
	h.resolved(tk.ID)
	eventually(t, "the notice that the customer was not told", func() bool {
		return len(h.slack.posts("✔️ Resolved by <@U1>. The customer was not told: "+tk.ID+" has no conversation to write in.")) == 1
	})
	if n := len(h.slack.posts("asked to rate the service.")); n != 1 {
		t.Errorf("%d notices say the customer was asked to rate, want 1", n)
	}
}

// A colleague's Claim, Resolve, Send quote or Hand back on a ticket Frank
// holds is refused saying that nothing was done and what to do instead.
func TestColleaguesActionRefusedSaysWhatToDo(t *testing.T) {
	h := newHarness(t, nil)
	paidRepair(h, "v9")
	ch, ts := h.thread("T-1001")
	h.mustOK(h.press("c1", "U1", "claim", "T-1001", ch, ts))
	eventually(t, "the claim", func() bool { return len(h.slack.posts("Claimed by <@U1>")) == 1 })
	h.mustOK(h.press("c2", "U2", "claim", "T-1001", ch, ts))
	h.toldTo("U2", "T-1001 is already claimed by <@U1>: nothing was done. Ask them if you should take it over.")
	for _, tc := range []struct{ action, want string }{
		{"resolve", "Not done: T-1001 is claimed by <@U1>, and only they can resolve it. Ask them to do it."},
		{"quote", "Not done: T-1001 is claimed by <@U1>, and only they can send the quote. Ask them to do it."},
		{"handback", "Not done: T-1001 is claimed by <@U1>, and only they can hand it back to the bot. Ask them to do it."},
	} {
		h.mustOK(h.press("g-"+tc.action, "U2", tc.action, "T-1001", ch, ts))
		h.toldTo("U2", tc.want)
	}
	tk, _ := h.db.Get(context.Background(), "T-1001")
	if tk.Assignee != "frank@example.com" || tk.Status != ticketing.StatusAssigned || tk.Quote != nil {
		t.Errorf("after Grace's presses: %q %s quote %+v", tk.Assignee, tk.Status, tk.Quote)
	}
	if n := len(h.slack.called("views.open")); n != 0 {
		t.Errorf("the quote form opened %d times for Grace", n)
	}
}
