package slack_test

import (
	"context"
	"testing"

	"github.com/supportd/supportd/channels/slack"
	"github.com/supportd/supportd/config"
)

// Someone who is not on the agent list, or whom Slack does not describe
// (another organisation's member in a shared channel: users.info answers
// user_not_found), presses Claim, opens the quote form or replies in the
// thread: nothing is done, the customer gets nothing, and they are told at
// once (not after retries).
func TestNonAgentsAreToldAndChangeNothing(t *testing.T) {
	h := newHarness(t, func(s *config.Slack, _ *slack.Options) {
		s.Agents = map[string]string{"frank@example.com": "Frank", "grace@example.com": "Grace"}
	})
	paidRepair(h, "v9")
	ch, ts := h.thread("T-1001")
	before := len(h.pending())
	for _, c := range []struct{ user, told, why string }{
		// A colleague of the workspace not on the list, and an outsider.
		{"U3", "You are not on the agent list (channels.slack.agents): nothing was done.", "you are not on the agent list"},
		{"U9", "Only members of this workspace can act as agents (Slack does not describe your account to this app): nothing was done.",
			"only members of this workspace can act as agents (Slack does not describe your account to this app)"},
	} {
		u := c.user
		h.mustOK(h.press("c-"+u, u, "claim", "T-1001", ch, ts))
		h.toldTo(u, c.told)
		h.mustOK(h.press("q-"+u, u, "quote", "T-1001", ch, ts))
		h.mustOK(h.threadReply("E-"+u, u, ch, ts, "hello customer"))
		h.toldTo(u, "Not sent to the customer: "+c.why+". Kept as an internal note.")
	}
	if n := len(h.slack.called("views.open")); n != 0 {
		t.Errorf("the quote form opened %d times for non-agents", n)
	}
	tk, _ := h.db.Get(context.Background(), "T-1001")
	if tk.Assignee != "" || tk.Quote != nil {
		t.Errorf("T-1001 changed: assignee %q, quote %+v", tk.Assignee, tk.Quote)
	}
	if got := h.pending()[before:]; len(got) != 0 {
		t.Errorf("the customer got %+v", got)
	}
}

// An agent added to the list while serving (SetAgents, as a configuration
// reload does) acts at once, under the name the list gives them; one
// removed is refused from then on.
func TestAgentListChangedWhileServing(t *testing.T) {
	h := newHarness(t, func(s *config.Slack, _ *slack.Options) {
		s.Agents = map[string]string{"frank@example.com": "Frank"}
	})
	paidRepair(h, "v9")
	ch, ts := h.thread("T-1001")
	h.mustOK(h.press("c-before", "U3", "claim", "T-1001", ch, ts))
	h.toldTo("U3", "You are not on the agent list (channels.slack.agents): nothing was done.")

	h.desk.SetAgents(map[string]string{"frank@example.com": "Frank", "mallory@example.com": "Mallory Chen"})
	h.claim("T-1001", "U3", ch, ts)
	if tk, _ := h.db.Get(context.Background(), "T-1001"); tk.Assignee != "mallory@example.com" {
		t.Fatalf("after the list gained Mallory, T-1001 is assigned to %q", tk.Assignee)
	}
	h.mustOK(h.threadReply("E-added", "U3", ch, ts, "We will call you today."))
	eventually(t, "the reply of the added agent", func() bool { return len(h.outbox()) == 1 })
	if m := h.outbox()[0]; m.Agent != "Mallory Chen" {
		t.Errorf("the customer reads the reply as from %q, want the listed name Mallory Chen", m.Agent)
	}

	h.desk.SetAgents(map[string]string{"frank@example.com": "Frank"})
	h.mustOK(h.threadReply("E-removed", "U3", ch, ts, "One more thing."))
	h.toldTo("U3", "Not sent to the customer: you are not on the agent list. Kept as an internal note.")
	if n := len(h.outbox()); n != 1 {
		t.Errorf("the customer has %d replies after Mallory left the list, want 1", n)
	}
}
