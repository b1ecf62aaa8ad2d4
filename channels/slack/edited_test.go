package slack_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/store/sqlite"
)

// A thread reply edited in Slack before its own message event was processed
// (the event came late, as a retry after a 503, or behind the edit in the
// inbox) reaches the customer once, with the text the agent left: the edit
// is kept by the message's channel and ts and the late event sends it.
func TestReplyEditedBeforeItsEventSendsTheEdit(t *testing.T) {
	const ts, first, second, third = "1764000900.000001", "We refund you 5000 CNY", "We refund you 500 CNY", "We refund you 50 CNY"
	for _, tc := range []struct {
		name string
		// edits are the edits processed, in this order, before the message
		// event: from, to, and the edit's ts.
		edits [][3]string
		// wait: the edits are processed before the message event arrives
		// (a retry); otherwise all are queued back to back.
		wait bool
		// begun: an earlier attempt of the message event began the reply
		// and was cut short; sent: after it reached the customer.
		begun, sent bool
		want        string // what the customer has
		told        bool   // the agent is told the customer has the first text
	}{
		{name: "message_changed, then the retried message event", wait: true,
			edits: [][3]string{{first, second, "1764000901.000000"}}, want: second},
		{name: "message_changed and the message event back to back",
			edits: [][3]string{{first, second, "1764000901.000000"}}, want: second},
		{name: "two edits, the later one processed first", wait: true,
			edits: [][3]string{{second, third, "1764000902.000000"}, {first, second, "1764000901.000000"}}, want: third},
		{name: "an attempt cut short before sending, then the edit", wait: true, begun: true,
			edits: [][3]string{{first, second, "1764000901.000000"}}, want: second},
		{name: "an attempt cut short after sending, then the edit", wait: true, begun: true, sent: true,
			edits: [][3]string{{first, second, "1764000901.000000"}}, want: first, told: true},
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
			if tc.begun {
				if err := h.db.SlackBeginPost(ctx, sqlite.SlackPost{Key: "reply:ev:Emsg", Started: time.Now()}); err != nil {
					t.Fatal(err)
				}
			}
			if tc.sent {
				if _, err := h.eng.Act(ctx, dialog.Action{Kind: dialog.ActReply, TicketID: "T-1001", Agent: "frank@example.com",
					Name: "Frank", Channel: "slack", Text: first}); err != nil {
					t.Fatal(err)
				}
			}
			for i, e := range tc.edits {
				id := "Eedit" + string(rune('1'+i))
				h.mustOK(h.event(id, edit(ch, thread, ts, e[0], e[1], e[2])))
				if tc.wait {
					eventually(t, "the edit processed", func() bool { return h.processed("ev:" + id) })
				}
			}
			h.mustOK(h.event("Emsg", map[string]any{"type": "message", "user": "U1", "text": first,
				"channel": ch, "thread_ts": thread, "ts": ts}))
			eventually(t, "the message event processed", func() bool { return h.processed("ev:Emsg") })
			time.Sleep(100 * time.Millisecond)
			if got := h.outbox(); len(got) != 1 || got[0].Text != tc.want {
				t.Errorf("the customer has %+v, want one message: %q", got, tc.want)
			}
			told := false
			for _, e := range h.ephemeralsTo("U1") {
				told = told || strings.Contains(e, "The customer already has your reply as first sent.")
			}
			if told != tc.told {
				t.Errorf("told that the customer has the first text: %t, want %t (%q)", told, tc.told, h.ephemeralsTo("U1"))
			}
			if !tc.sent {
				if n := len(h.slack.called("reactions.add")); n != 1 {
					t.Errorf("%d ✅ reactions, want 1 (the reply sent)", n)
				}
			}
		})
	}
}

// An agent who edits a reply the customer already has, twice, is told
// after each edit that the customer has it as first sent: the second edit's
// previous text is the first edit's, which the customer never got.
func TestEveryEditOfASentReplyIsSaid(t *testing.T) {
	h := newHarness(t, nil)
	h.complaint("v1", "The fridge door is broken")
	ch, thread := h.thread("T-1001")
	h.mustOK(h.press("c1", "U1", "claim", "T-1001", ch, thread))
	const ts = "1764000800.000001"
	h.mustOK(h.event("E1", map[string]any{"type": "message", "user": "U1", "text": "We refund you 5000 CNY", "channel": ch, "thread_ts": thread, "ts": ts}))
	eventually(t, "the reply", func() bool { return len(h.outbox()) == 1 })
	const said = "The customer already has your reply as first sent. Editing it in Slack changes nothing for them"
	count := func() int {
		n := 0
		for _, e := range h.ephemeralsTo("U1") {
			if strings.Contains(e, said) {
				n++
			}
		}
		return n
	}
	h.mustOK(h.event("E2", edit(ch, thread, ts, "We refund you 5000 CNY", "We refund you 500 CNY", "1764000801.000000")))
	eventually(t, "the first edit said", func() bool { return count() == 1 })
	h.mustOK(h.event("E3", edit(ch, thread, ts, "We refund you 500 CNY", "We refund you 50 CNY", "1764000802.000000")))
	eventually(t, "the second edit said", func() bool { return count() == 2 })
	if got := h.outbox(); len(got) != 1 || got[0].Text != "We refund you 5000 CNY" {
		t.Errorf("the customer has %+v", got)
	}
}

// edit is Slack's message_changed event of U1's thread reply at ts, edited
// at editTS from prev to text.
func edit(ch, thread, ts, prev, text, editTS string) map[string]any {
	return map[string]any{"type": "message", "subtype": "message_changed", "hidden": true, "channel": ch,
		"ts": editTS[:11] + "000009", "event_ts": editTS[:11] + "000009",
		"message": map[string]any{"type": "message", "user": "U1", "text": text, "ts": ts, "thread_ts": thread,
			"edited": map[string]any{"user": "U1", "ts": editTS}},
		"previous_message": map[string]any{"type": "message", "user": "U1", "text": prev, "ts": ts, "thread_ts": thread}}
}
