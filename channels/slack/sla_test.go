package slack_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/supportd/supportd/channels/slack"
	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/dialog"
)

// A ticket resolved while its SLA warning waits to be posted (Slack's 429
// paused posting) gets no warning: the agents would chase a ticket that is
// done.
func TestNoWarningForATicketResolvedMeanwhile(t *testing.T) {
	h := newHarness(t, func(s *config.Slack, _ *slack.Options) { s.SLAInterval = 30 * time.Millisecond })
	h.complaint("v1", "The fridge door is broken") // answer due Mon 30 Nov 18:00
	ch, ts := h.thread("T-1001")
	h.mustOK(h.press("t1", "U1", "claim", "T-1001", ch, ts))
	eventually(t, "the claim", func() bool { return len(h.slack.posts("Claimed by")) == 1 })
	h.slack.rateLimit("chat.postMessage", 1) // Retry-After: 1s
	h.clock.Set(time.Date(2026, 11, 30, 11, 10, 0, 0, h.cfg.Policy.Location()))
	eventually(t, "the warning's 429", func() bool { return len(h.slack.called("chat.postMessage (429)")) == 1 })
	if _, err := h.eng.Act(context.Background(), dialog.Action{Kind: dialog.ActResolve, TicketID: "T-1001", Agent: "frank@example.com", Channel: "cli"}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond) // the pause is over, several checks ran
	if n := len(h.slack.posts("80% of the working time")); n != 0 {
		t.Errorf("%d SLA warnings posted for a resolved ticket", n)
	}
}

// A ticket claimed while its warning waits to be posted is warned to its
// owner, not to everyone as unclaimed.
func TestWarningMentionsWhoClaimedMeanwhile(t *testing.T) {
	h := newHarness(t, func(s *config.Slack, _ *slack.Options) { s.SLAInterval = 30 * time.Millisecond })
	h.complaint("v1", "The fridge door is broken") // answer due Mon 30 Nov 18:00
	h.thread("T-1001")
	h.slack.rateLimit("chat.postMessage", 1) // Retry-After: 1s
	h.clock.Set(time.Date(2026, 11, 30, 11, 10, 0, 0, h.cfg.Policy.Location()))
	eventually(t, "the warning's 429", func() bool { return len(h.slack.called("chat.postMessage (429)")) == 1 })
	if _, err := h.eng.Act(context.Background(), dialog.Action{Kind: dialog.ActClaim, TicketID: "T-1001", Agent: "frank@example.com", Channel: "cli"}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the warning", func() bool { return len(h.slack.posts("80% of the working time")) > 0 })
	time.Sleep(200 * time.Millisecond)
	w := h.slack.posts("80% of the working time")
	if len(w) != 1 || !strings.Contains(w[0].Form.Get("text"), "⏰ <@U1> T-1001") {
		for _, p := range w {
			t.Errorf("warning %q, want one to <@U1>", p.Form.Get("text"))
		}
	}
}
