package slack_test

import (
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
	h.claim("T-1001", "U1", ch, ts)
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

// With replies internal, a reply of custom emoji only is left alone (it was
// meant for colleagues); sent with the shortcut, nothing goes and the agent
// is told why.
func TestCustomEmojiOnlyWithTheShortcut(t *testing.T) {
	h, ch, ts := internalDesk(t)
	msg := msgTS(9)
	h.mustOK(h.replyAt("EvP", "U1", ch, ts, msg, ":partyparrot:"))
	time.Sleep(300 * time.Millisecond)
	h.mustOK(h.shortcut("sP", "U1", ch, ts, msg, "U1", ":partyparrot:"))
	h.toldTo("U1", "Not sent to the customer: :partyparrot: is a custom emoji of this workspace, which the customer cannot see")
	time.Sleep(200 * time.Millisecond)
	if got := h.sentTexts(); len(got) != 0 {
		t.Errorf("the customer got %q", got)
	}
	for _, e := range h.ephemeralsTo("U1") {
		if strings.Contains(e, "custom emoji") && !strings.Contains(e, "Write it in words") {
			t.Errorf("told %q", e)
		}
	}
}

// A standard emoji the table lacks reaches the customer as the emoji all
// the same: the message's blocks give its code points (Slack's rich_text
// emoji elements carry "unicode" for standard emoji, none for custom ones,
// which are dropped).
func TestStandardEmojiOutsideTheTableFromTheBlocks(t *testing.T) {
	h := newHarness(t, nil)
	h.complaint("v1", "The fridge door is broken")
	ch, ts := h.thread("T-1001")
	h.claim("T-1001", "U1", ch, ts)
	text := "Let me check :face_with_monocle: ok :+1::skin-tone-2: :partyparrot:"
	blocks := []any{map[string]any{"type": "rich_text", "block_id": "b1", "elements": []any{
		map[string]any{"type": "rich_text_section", "elements": []any{
			map[string]any{"type": "text", "text": "Let me check "},
			map[string]any{"type": "emoji", "name": "face_with_monocle", "unicode": "1f9d0"},
			map[string]any{"type": "text", "text": " ok "},
			map[string]any{"type": "emoji", "name": "+1", "unicode": "1f44d-1f3fb", "skin_tone": 2},
			map[string]any{"type": "text", "text": " "},
			map[string]any{"type": "emoji", "name": "partyparrot"},
		}},
	}}}
	h.mustOK(h.event("EvB1", map[string]any{"type": "message", "user": "U1", "text": text, "blocks": blocks, "channel": ch,
		"channel_type": "channel", "thread_ts": ts, "ts": "1764000500.900001", "event_ts": "1"}))
	eventually(t, "the reply", func() bool { return len(h.outbox()) == 1 })
	if got := h.outbox()[0].Text; got != "Let me check 🧐 ok 👍" {
		t.Errorf("the customer got %q", got)
	}
}
