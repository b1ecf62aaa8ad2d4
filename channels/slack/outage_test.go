package slack_test

import (
	"testing"
	"time"
)

// Slack answering 429 (Retry-After), 500 (nothing posted) and 502 after
// posting (the answer lost) while a ticket is escalated and a customer
// message relayed: each is posted exactly once, in its thread.
func TestEscalationThroughSlackErrorsPostsOnce(t *testing.T) {
	h := newHarness(t, nil)
	h.slack.rateLimit("chat.postMessage", 1)
	h.slack.fail("chat.postMessage", 2)
	h.complaint("v1", "The fridge door is broken")
	ch, ts := h.thread("T-1001")
	h.slack.loseAnswers("chat.postMessage", 1)
	h.slack.fail("chat.postMessage", 1)
	h.say("v1", "any news?")
	eventually(t, "the relayed message", func() bool { return len(h.slack.posts("any news?")) == 1 })
	time.Sleep(300 * time.Millisecond)
	if n := len(h.slack.posts("T-1001 · complaint")); n != 1 {
		t.Errorf("escalation posted %d times", n)
	}
	if p := h.slack.posts("any news?"); len(p) != 1 || p[0].Form.Get("thread_ts") != ts || p[0].Form.Get("channel") != ch {
		t.Errorf("the customer's message posted %+v", p)
	}
	if n := len(h.slack.called("chat.postMessage (500)")); n != 3 {
		t.Errorf("%d answers 500, want 3", n)
	}
}

// The escalation's answer is lost (502 after posting) and looking for it in
// Slack fails too (500): it is looked for again later, never posted blind a
// second time.
func TestPostInFlightNotPostedBlindWhenTheLookupFails(t *testing.T) {
	h := newHarness(t, nil)
	h.slack.loseAnswers("chat.postMessage", 1)
	h.slack.fail("conversations.history", 2)
	h.complaint("v1", "The fridge door is broken")
	_, ts := h.thread("T-1001")
	time.Sleep(300 * time.Millisecond)
	p := h.slack.posts("T-1001 · complaint")
	if len(p) != 1 || p[0].TS != ts {
		t.Errorf("escalation posted %d times, thread recorded at %s", len(p), ts)
	}
	if n := len(h.slack.called("conversations.history (500)")); n != 2 {
		t.Errorf("%d lookups answered 500, want 2", n)
	}
}
