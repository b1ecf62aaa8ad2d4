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
