package slack_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// replyAt posts a message event: user replies in a thread with the message
// ts given.
func (h *harness) replyAt(eventID, user, channel, threadTS, ts, text string) *http.Response {
	return h.event(eventID, map[string]any{"type": "message", "user": user, "text": text, "channel": channel,
		"channel_type": "channel", "thread_ts": threadTS, "ts": ts, "event_ts": ts})
}

// shortcut uses the Send to customer message shortcut of user on a message
// (ts, in the thread threadTS: "" for one in no thread) that author wrote.
func (h *harness) shortcut(trigger, user, channel, threadTS, ts, author, text string) *http.Response {
	msg := map[string]any{"type": "message", "user": author, "text": text, "ts": ts}
	if threadTS != "" {
		msg["thread_ts"] = threadTS
	}
	return h.interaction(map[string]any{"type": "message_action", "callback_id": "send_to_customer", "trigger_id": trigger,
		"user": map[string]any{"id": user}, "channel": map[string]any{"id": channel}, "message_ts": ts, "message": msg,
		"response_url": h.slack.srv.GetAPIURL() + "respond"})
}

// sentTexts returns the texts of the agents' messages for the customer.
func (h *harness) sentTexts() []string {
	var out []string
	for _, m := range h.outbox() {
		out = append(out, m.Text)
	}
	return out
}

// With replies internal, the assignee sends a reply kept as a note with the
// shortcut: the customer gets it once, however often it is pressed (two
// deliveries, two trigger ids), and the second press is told why nothing
// happened.
func TestSendShortcutSendsOnceWhenPressedTwice(t *testing.T) {
	h, ch, ts := internalDesk(t)
	msg := msgTS(1)
	h.mustOK(h.replyAt("Ev1", "U1", ch, ts, msg, "Your new hinge ships *today*"))
	h.hasNote("T-1001", "Your new hinge ships today")
	if n := len(h.outbox()); n != 0 {
		t.Fatalf("%d messages for the customer before the shortcut", n)
	}
	h.mustOK(h.shortcut("s1", "U1", ch, ts, msg, "U1", "Your new hinge ships *today*"))
	h.mustOK(h.shortcut("s2", "U1", ch, ts, msg, "U1", "Your new hinge ships *today*"))
	h.toldTo("U1", "The customer has this message already: it was not sent again.")
	if got := h.sentTexts(); len(got) != 1 || got[0] != "Your new hinge ships today" {
		t.Errorf("the customer got %q, want the message once, as plain text", got)
	}
	if n := count(h.ephemeralsTo("U1"), "Sent to the customer"); n != 1 {
		t.Errorf("told %d times that it was sent, want once", n)
	}
	r := h.slack.called("reactions.add")
	if len(r) != 1 || r[0].Form.Get("timestamp") != msg {
		t.Errorf("reactions %+v, want one ✅ on the message sent", r)
	}
	// Its event again (a retry) changes nothing.
	h.mustOK(h.replyAt("Ev1", "U1", ch, ts, msg, "Your new hinge ships *today*"))
	h.mustOK(h.replyAt("Ev2", "U1", ch, ts, msgTS(2), "note: done"))
	h.hasNote("T-1001", "done")
	if n := len(h.outbox()); n != 1 {
		t.Errorf("%d messages for the customer, want 1", n)
	}
}

// In the default mode the shortcut sends a reply kept by mistake (note:),
// without its mark; a reply its event sent already is not sent again; and a
// message whose shortcut came before its event is sent once.
func TestSendShortcutInTheDefaultMode(t *testing.T) {
	h := newHarness(t, nil)
	h.complaint("v1", "The fridge door is broken")
	ch, ts := h.thread("T-1001")
	h.mustOK(h.press("claim-1", "U1", "claim", "T-1001", ch, ts))
	eventually(t, "the claim", func() bool { return len(h.slack.posts("Claimed by <@U1>")) == 1 })

	h.mustOK(h.replyAt("Ev1", "U1", ch, ts, msgTS(1), "note: We will replace the door"))
	h.hasNote("T-1001", "We will replace the door")
	h.mustOK(h.shortcut("s1", "U1", ch, ts, msgTS(1), "U1", "note: We will replace the door"))
	eventually(t, "the note sent", func() bool { return len(h.outbox()) == 1 })
	if got := h.sentTexts()[0]; got != "We will replace the door" {
		t.Errorf("the customer got %q, want it without note:", got)
	}

	h.mustOK(h.replyAt("Ev2", "U1", ch, ts, msgTS(2), "The technician comes on Monday"))
	eventually(t, "the reply sent", func() bool { return len(h.outbox()) == 2 })
	h.mustOK(h.shortcut("s2", "U1", ch, ts, msgTS(2), "U1", "The technician comes on Monday"))
	h.toldTo("U1", "The customer has this message already")

	// The shortcut before the message's event (a late event).
	h.mustOK(h.shortcut("s3", "U1", ch, ts, msgTS(3), "U1", "Bring the receipt, please"))
	eventually(t, "the shortcut's message sent", func() bool { return len(h.outbox()) == 3 })
	h.mustOK(h.replyAt("Ev3", "U1", ch, ts, msgTS(3), "Bring the receipt, please"))
	h.mustOK(h.replyAt("Ev4", "U1", ch, ts, msgTS(4), "note: marker"))
	h.hasNote("T-1001", "marker")
	if got := h.sentTexts(); len(got) != 3 {
		t.Errorf("the customer got %q, want 3 messages, each once", got)
	}
	for _, n := range h.notes("T-1001") {
		if n == "Bring the receipt, please" {
			t.Error("the message sent by the shortcut was also kept as a note")
		}
	}
}

// The shortcut is refused, with the reason, on another user's message, on
// a message in no ticket's thread, and to a colleague who is not the
// assignee; nothing reaches the customer.
func TestSendShortcutRefused(t *testing.T) {
	h, ch, ts := internalDesk(t)
	h.mustOK(h.replyAt("Ev1", "U2", ch, ts, msgTS(1), "I think it is the hinge"))
	h.hasNote("T-1001", "I think it is the hinge")
	h.mustOK(h.shortcut("s1", "U1", ch, ts, msgTS(1), "U2", "I think it is the hinge"))
	h.toldTo("U1", "only its author can send a message to the customer, and this one is <@U2>'s")
	h.mustOK(h.shortcut("s2", "U2", ch, ts, msgTS(1), "U2", "I think it is the hinge"))
	h.toldTo("U2", "assigned to <@U1>, and only the assignee's replies go to the customer")

	h.mustOK(h.shortcut("s3", "U1", "C_RANDOM", "", "1764000700.000001", "U1", "lunch?"))
	h.mustOK(h.shortcut("s4", "U1", ch, "1764000000.999999", "1764000700.000002", "U1", "in another thread"))
	eventually(t, "both refusals through the response URL", func() bool {
		n := 0
		for _, r := range h.slack.responded() {
			if text, _ := r["text"].(string); strings.HasPrefix(text, "Not sent to the customer") && r["response_type"] == "ephemeral" {
				n++
			}
		}
		return n == 2
	})
	if n := len(h.outbox()); n != 0 {
		t.Errorf("%d messages for the customer, want none", n)
	}
	if n := len(h.slack.called("reactions.add")); n != 0 {
		t.Errorf("%d reactions, want none", n)
	}
}

// The record that a message went to the customer is pruned after a week:
// the shortcut on a message older than that is refused, with the reason,
// instead of sending it a second time. One of six days is still sent.
func TestSendShortcutRefusesAMessageOlderThanAWeek(t *testing.T) {
	h := newHarness(t, nil)
	ctx := context.Background()
	h.complaint("v1", "The fridge door is broken")
	ch, ts := h.thread("T-1001")
	h.mustOK(h.press("claim-1", "U1", "claim", "T-1001", ch, ts))
	eventually(t, "the claim", func() bool { return len(h.slack.posts("Claimed by <@U1>")) == 1 })

	old := fmt.Sprintf("%d.000001", time.Now().Add(-8*24*time.Hour).Unix())
	h.mustOK(h.replyAt("Ev1", "U1", ch, ts, old, "The technician comes on Monday"))
	eventually(t, "the reply sent and marked", func() bool { return len(h.slack.called("reactions.add")) == 1 })
	// A week and more later, the desk's bookkeeping is pruned, the record
	// that the reply went included (once its delivery is done).
	eventually(t, "the record of the reply pruned", func() bool {
		if _, _, err := h.db.SlackPrune(ctx, time.Now().Add(8*24*time.Hour), 7*24*time.Hour, 1000); err != nil {
			t.Fatal(err)
		}
		_, kept, err := h.db.SlackPost(ctx, "reply:msg:"+ch+":"+old)
		return err == nil && !kept
	})
	h.mustOK(h.shortcut("s1", "U1", ch, ts, old, "U1", "The technician comes on Monday"))
	told := h.toldTo("U1", "Not sent to the customer: this message is more than 7 days old")
	if !strings.Contains(told, "write it again as a new reply") {
		t.Errorf("told %q", told)
	}
	time.Sleep(200 * time.Millisecond)
	if got := h.sentTexts(); len(got) != 1 {
		t.Errorf("the customer got %q, want the reply once", got)
	}
	if n := len(h.slack.called("reactions.add")); n != 1 {
		t.Errorf("%d reactions, want the reply's only", n)
	}

	recent := fmt.Sprintf("%d.000002", time.Now().Add(-6*24*time.Hour).Unix())
	h.mustOK(h.replyAt("Ev2", "U1", ch, ts, recent, "note: Bring the receipt, please"))
	h.hasNote("T-1001", "Bring the receipt, please")
	h.mustOK(h.shortcut("s2", "U1", ch, ts, recent, "U1", "note: Bring the receipt, please"))
	eventually(t, "the note of six days ago sent", func() bool { return len(h.outbox()) == 2 })
	if got := h.sentTexts()[1]; got != "Bring the receipt, please" {
		t.Errorf("the customer got %q", got)
	}
}

// The shortcut's payload as Slack sends it (a message_action with the team,
// the user with name and team_id, the channel with its name, the token,
// action_ts, message_ts beside the message, and a message with its type,
// blocks and thread_ts) is read as the desk expects: the reply goes to the
// customer, and a refusal outside a ticket's thread goes through the
// response URL.
func TestSendShortcutReadsSlacksPayload(t *testing.T) {
	h, ch, ts := internalDesk(t)
	msg := msgTS(7)
	h.mustOK(h.replyAt("Ev1", "U1", ch, ts, msg, "The new door ships today"))
	h.hasNote("T-1001", "The new door ships today")
	payload := func(trigger, channel, threadTS, ts string) string {
		thread := ""
		if threadTS != "" {
			thread = `"thread_ts":"` + threadTS + `",`
		}
		return `{"type":"message_action","token":"Nj2rfC2hU8mAfgaJLemZgO7H","action_ts":"1607081569.852971",
			"team":{"id":"T1","domain":"acme"},"user":{"id":"U1","name":"frank","username":"frank","team_id":"T1"},
			"channel":{"id":"` + channel + `","name":"repairs"},"is_enterprise_install":false,"enterprise":null,
			"callback_id":"send_to_customer","trigger_id":"` + trigger + `","message_ts":"` + ts + `",
			"message":{"type":"message","user":"U1","ts":"` + ts + `",` + thread + `"text":"The new door ships today","team":"T1",
				"blocks":[{"type":"rich_text","block_id":"b1","elements":[{"type":"rich_text_section","elements":[{"type":"text","text":"The new door ships today"}]}]}]},
			"response_url":"` + h.slack.srv.GetAPIURL() + `respond"}`
	}
	send := func(p string) {
		t.Helper()
		h.mustOK(h.send("/slack/interactions", "application/x-www-form-urlencoded", url.Values{"payload": {p}}.Encode()))
	}
	send(payload("111.222.abc", ch, ts, msg))
	eventually(t, "the reply sent", func() bool { return len(h.outbox()) == 1 })
	if got := h.sentTexts(); got[0] != "The new door ships today" {
		t.Errorf("the customer got %q", got)
	}
	h.toldTo("U1", `Sent to the customer: "The new door ships today"`)

	send(payload("111.222.def", "C_RANDOM", "", msgTS(8)))
	eventually(t, "the refusal through the response URL", func() bool {
		for _, r := range h.slack.responded() {
			if text, _ := r["text"].(string); strings.HasPrefix(text, "Not sent to the customer") && r["response_type"] == "ephemeral" {
				return true
			}
		}
		return false
	})
}
