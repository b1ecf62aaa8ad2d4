package slack_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// Agents' emoji reach the customer as emoji: Slack's standard shortcodes
// (with a skin tone too) become Unicode, the workspace's custom emoji are
// left out, and a reply of custom emoji only sends nothing and says so.
func TestAgentEmojiAsTheCustomerSeesThem(t *testing.T) {
	h := newHarness(t, nil)
	h.complaint("v1", "The fridge door is broken")
	ch, ts := h.thread("T-1001")
	h.mustOK(h.press("c1", "U1", "claim", "T-1001", ch, ts))
	eventually(t, "the claim", func() bool {
		tk, err := h.db.Get(context.Background(), "T-1001")
		return err == nil && tk.Assignee != ""
	})
	for i, s := range []string{
		"Fixed :white_check_mark: thanks :smile: :thumbsup:",
		"Got it :+1::skin-tone-2: see you :partyparrot:",
		":partyparrot: :partyparrot:",
		"MAC 00:1a:2b:3c:4d:5e at 10:30:00",
	} {
		h.mustOK(h.threadReply(fmt.Sprint("Em", i), "U1", ch, ts, s))
		if i == 2 {
			h.toldTo("U1", "Not sent to the customer: :partyparrot: is a custom emoji of this workspace")
		}
	}
	eventually(t, "the replies", func() bool { return len(h.outbox()) == 3 })
	time.Sleep(200 * time.Millisecond)
	var got []string
	for _, m := range h.outbox() {
		got = append(got, m.Text)
	}
	want := []string{"Fixed ✅ thanks 😄 👍", "Got it 👍 see you", "MAC 00:1a:2b:3c:4d:5e at 10:30:00"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("the customer got %q, want %q", got, want)
	}
	for _, e := range h.ephemeralsTo("U1") {
		if strings.Contains(e, "partyparrot") && !strings.HasPrefix(e, "Not sent to the customer: :partyparrot: is a custom emoji") {
			t.Errorf("told %q", e)
		}
	}
}
