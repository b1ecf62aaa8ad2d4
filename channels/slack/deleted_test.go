package slack_test

import (
	"context"
	"testing"
	"time"

	"github.com/supportd/supportd/store/sqlite"
)

// A thread reply deleted in Slack before its own message event was
// processed (the event came late, as a retry after a 503, or behind the
// deletion in the inbox) never reaches the customer: the deletion is kept
// by the message's channel and ts, the late event is dropped, and the agent
// is told in the thread that the deleted reply was not sent.
func TestReplyDeletedBeforeItsEventIsNotSent(t *testing.T) {
	for _, tc := range []struct {
		name string
		// deletion is the event that deletes the message at ts (thread
		// thread, text text, by U1).
		deletion func(ch, thread, ts, text string) map[string]any
		// wait: the deletion is processed before the message event arrives
		// (a retry); otherwise both are queued back to back.
		wait bool
		// begun: an earlier attempt of the message event began the reply
		// and was cut short before it was sent.
		begun bool
	}{
		{name: "message_deleted, then the retried message event", wait: true, deletion: deleted},
		{name: "message_deleted and the message event back to back", deletion: deleted},
		{name: "an attempt cut short before sending, then the deletion", wait: true, begun: true, deletion: deleted},
		{name: "message_changed to a tombstone, then the retried message event", wait: true, deletion: tombstone},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, nil)
			ctx := context.Background()
			h.complaint("v1", "The fridge door is broken")
			ch, thread := h.thread("T-1001")
			h.mustOK(h.press("c1", "U1", "claim", "T-1001", ch, thread))
			eventually(t, "the claim", func() bool {
				tk, err := h.db.Get(ctx, "T-1001")
				return err == nil && tk.Assignee == "frank@example.com"
			})

			const ts, text = "1764000900.000001", "We refund you 5000 CNY"
			if tc.begun {
				if err := h.db.SlackBeginPost(ctx, sqlite.SlackPost{Key: "reply:ev:Emsg", Started: time.Now()}); err != nil {
					t.Fatal(err)
				}
			}
			h.mustOK(h.event("Edel", tc.deletion(ch, thread, ts, text)))
			if tc.wait {
				eventually(t, "the deletion processed", func() bool { return h.processed("ev:Edel") })
			}
			h.mustOK(h.event("Emsg", map[string]any{"type": "message", "user": "U1", "text": text,
				"channel": ch, "thread_ts": thread, "ts": ts}))
			eventually(t, "the message event processed", func() bool { return h.processed("ev:Emsg") })
			if got := h.outbox(); len(got) != 0 {
				t.Errorf("the customer got the deleted reply: %+v", got)
			}
			h.toldTo("U1", "Your reply was deleted in Slack before it was sent: the customer did not get it. It is not kept as a note either.")
			if gone, err := h.db.SlackDeleted(ctx, ch, ts); err != nil || !gone {
				t.Errorf("the deletion of %s/%s is not stored: %v, %v", ch, ts, gone, err)
			}

			// A later reply still goes: only the deleted message is dropped.
			h.mustOK(h.event("Enext", map[string]any{"type": "message", "user": "U1", "text": "We will call you today",
				"channel": ch, "thread_ts": thread, "ts": "1764000901.000001"}))
			eventually(t, "the next reply", func() bool { return len(h.outbox()) > 0 })
			time.Sleep(100 * time.Millisecond)
			if got := h.outbox(); len(got) != 1 || got[0].Text != "We will call you today" {
				t.Errorf("the customer has %+v, want only the reply that was not deleted", got)
			}
			if n := len(h.slack.called("reactions.add")); n != 1 {
				t.Errorf("%d ✅ reactions, want 1 (the reply sent)", n)
			}
		})
	}
}

// processed reports whether the delivery with this inbox key was processed.
func (h *harness) processed(key string) bool {
	var done bool
	err := h.db.SQL().QueryRow(`SELECT done_at IS NOT NULL FROM slack_inbox WHERE key = ?`, key).Scan(&done)
	return err == nil && done
}

// deleted is Slack's message_deleted event of U1's thread reply at ts.
func deleted(ch, thread, ts, text string) map[string]any {
	return map[string]any{"type": "message", "subtype": "message_deleted", "hidden": true, "channel": ch,
		"ts": "1764000950.000001", "deleted_ts": ts, "event_ts": "1764000950.000001",
		"previous_message": map[string]any{"type": "message", "user": "U1", "text": text, "ts": ts, "thread_ts": thread}}
}

// tombstone is a message_changed event that leaves U1's thread reply at ts
// deleted (a tombstone, as Slack leaves of a message with replies).
func tombstone(ch, thread, ts, text string) map[string]any {
	return map[string]any{"type": "message", "subtype": "message_changed", "hidden": true, "channel": ch,
		"ts": "1764000950.000001", "event_ts": "1764000950.000001",
		"message": map[string]any{"type": "message", "subtype": "tombstone", "hidden": true, "user": "USLACKBOT",
			"text": "This message was deleted.", "ts": ts, "thread_ts": thread},
		"previous_message": map[string]any{"type": "message", "user": "U1", "text": text, "ts": ts, "thread_ts": thread}}
}
