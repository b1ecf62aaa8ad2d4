package slack_test

import (
	"context"
	"strings"
	"testing"

	"github.com/supportd/supportd/ticketing"
)

// The customer writes again after their ticket was resolved ("it is still
// broken"): the ticket is reopened and the message reaches the thread
// mentioning the owner, who is told that a reply there reaches the
// customer; the owner's reply takes the ticket up again. A rating after a resolution is relayed as it is, and
// so is a customer talking with the bot after a consultation was handed
// back (closed).
func TestCustomerWritingAfterResolveReachesTheOwner(t *testing.T) {
	h := newHarness(t, nil)
	h.complaint("v1", "The fridge door is broken")
	ch, ts := h.thread("T-1001")
	h.mustOK(h.press("c1", "U1", "claim", "T-1001", ch, ts))
	h.mustOK(h.press("r1", "U1", "resolve", "T-1001", ch, ts))
	eventually(t, "resolved", func() bool { return len(h.slack.posts("Resolved by")) == 1 })

	h.say("v1", "hello? anyone there?")
	eventually(t, "the first message in the thread", func() bool { return len(h.slack.posts("hello? anyone there?")) == 1 })
	if text := h.slack.posts("hello? anyone there?")[0].Form.Get("text"); !strings.Contains(text,
		"<@U1> T-1001 is resolved, and the customer wrote again: a reply here reaches them and reopens it.") {
		t.Errorf("the thread reads %q", text)
	}
	h.say("v1", "the door is still broken, nobody came!")
	var post call
	eventually(t, "the message in the thread", func() bool {
		p := h.slack.posts("the door is still broken")
		if len(p) == 1 {
			post = p[0]
		}
		return len(p) == 1
	})
	if text := post.Form.Get("text"); post.Form.Get("thread_ts") != ts ||
		!strings.Contains(text, "<@U1> T-1001 was reopened: the customer says it is not solved. A reply here reaches them.") {
		t.Errorf("the thread reads %q", text)
	}
	h.mustOK(h.threadReply("E1", "U1", ch, ts, "Sorry! The technician comes tomorrow."))
	eventually(t, "the reply", func() bool { return len(h.outbox()) == 1 })
	eventually(t, "reopened", func() bool {
		tk, _ := h.db.Get(context.Background(), "T-1001")
		return tk.Status == ticketing.StatusInProgress
	})

	// Resolved again, the customer rates it: no alarm.
	h.mustOK(h.press("r2", "U1", "resolve", "T-1001", ch, ts))
	eventually(t, "resolved again", func() bool {
		tk, _ := h.db.Get(context.Background(), "T-1001")
		return tk.Status == ticketing.StatusResolved
	})
	// The score is relayed before the comment is written.
	h.say("v1", "5")
	eventually(t, "the score relayed", func() bool { return len(h.slack.posts("\n5"))+len(h.slack.posts("💬 *Customer:* 5")) == 1 })
	h.say("v1", "very quick, thanks")
	eventually(t, "the rating", func() bool { return len(h.slack.posts("rated the service 5/5")) == 1 })
	eventually(t, "the comment relayed", func() bool { return len(h.slack.posts("💬 *Customer:* very quick, thanks")) == 1 })
	for _, s := range []string{"\n5", "💬 *Customer:* 5", "very quick, thanks"} {
		for _, p := range h.slack.posts(s) {
			if strings.Contains(p.Form.Get("text"), "wrote again") {
				t.Errorf("the rating is posted as the customer writing again: %q", p.Form.Get("text"))
			}
		}
	}

	h.say("v2", "can I talk to a real person please")
	ch, ts = h.thread("T-1002")
	h.mustOK(h.press("c2", "U2", "claim", "T-1002", ch, ts))
	h.mustOK(h.threadReply("E2", "U2", ch, ts, "Hi, Grace here."))
	eventually(t, "Grace's reply", func() bool { return len(h.outbox()) == 2 })
	h.mustOK(h.press("hb", "U2", "handback", "T-1002", ch, ts))
	eventually(t, "the hand-back", func() bool { return len(h.slack.posts("Handed back")) == 1 })
	h.say("v2", "what is the warranty on a TV?")
	eventually(t, "the question relayed", func() bool { return len(h.slack.posts("what is the warranty on a TV?")) == 1 })
	if text := h.slack.posts("what is the warranty on a TV?")[0].Form.Get("text"); strings.Contains(text, "wrote again") {
		t.Errorf("a customer talking with the bot after a hand back pinged the agent: %q", text)
	}
}
