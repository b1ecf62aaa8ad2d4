package slack_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// A customer message longer than one Slack message shows (a long mail, a
// pasted log) reaches the thread whole, in parts cut between words, each
// well within Slack's limits, and posted once.
func TestLongCustomerMessageRelayedWhole(t *testing.T) {
	h := newHarness(t, nil)
	h.complaint("v1", "The fridge door is broken")
	_, ts := h.thread("T-1001")
	var b strings.Builder
	for i := range 900 {
		fmt.Fprintf(&b, "line %d: 冰箱门 <b> & more; ", i)
	}
	long := strings.TrimSpace(b.String()) + " THE-END"
	h.say("v1", long)
	eventually(t, "the message's last words", func() bool { return len(h.slack.posts("THE-END")) == 1 })
	time.Sleep(200 * time.Millisecond)
	var parts []string
	for _, p := range h.slack.posts("💬 *Customer (") {
		text := p.Form.Get("text")
		if p.Form.Get("thread_ts") != ts || len(text) > 4000 || !utf8.ValidString(text) {
			t.Errorf("part of %d bytes in thread %q", len(text), p.Form.Get("thread_ts"))
		}
		_, body, _ := strings.Cut(text, ":* ")
		parts = append(parts, body)
	}
	if len(parts) < 2 || !strings.HasPrefix(h.slack.posts("💬 *Customer (")[0].Form.Get("text"), fmt.Sprintf("💬 *Customer (1/%d):* line 0", len(parts))) {
		t.Fatalf("%d parts", len(parts))
	}
	got := strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(strings.Join(parts, " "))
	if got != long {
		t.Errorf("the thread has %d of the message's %d characters", utf8.RuneCountInString(got), utf8.RuneCountInString(long))
	}
}
