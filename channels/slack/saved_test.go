package slack_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/supportd/supportd/channels/slack"
	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/ticketing"
)

// savedReplies are the saved replies of the tests.
var savedReplies = map[string]config.SavedReply{
	"warranty": {
		Zh: "您好{customer}，您的产品在保修期内，维修免费。\n工单号 {ticket}，由{agent}为您跟进。",
		En: "Hi {customer}, your product is under warranty: the repair is free.\nTicket {ticket}; {agent} follows it up.",
	},
	"visit": {Zh: "师傅明天上午上门。", En: "The technician comes tomorrow morning."},
}

// savedDesk is a desk with the saved replies, in thread_replies mode mode.
func savedDesk(t *testing.T, mode string) *harness {
	return newHarness(t, func(s *config.Slack, _ *slack.Options) {
		s.SavedReplies, s.ThreadReplies = savedReplies, mode
	})
}

// The assignee's `!warranty` sends the saved reply in the conversation's
// language, its placeholders filled (the web chat customer's name is not
// known: the greeting reads without it), as a thread reply goes: ✅ on the
// message, the reply in the customer's history under the agent's name; the
// thread shows what the customer read. In either thread_replies mode.
func TestSavedReplySentInTheConversationsLanguage(t *testing.T) {
	for _, mode := range []string{config.ThreadRepliesCustomer, config.ThreadRepliesInternal} {
		t.Run("chinese, "+mode, func(t *testing.T) {
			h := savedDesk(t, mode)
			paidRepair(h, "v9")
			ch, ts := h.thread("T-1001")
			h.claim("T-1001", "U1", ch, ts)
			h.mustOK(h.threadReply("E1", "U1", ch, ts, "!warranty"))
			eventually(t, "the saved reply", func() bool { return len(h.outbox()) == 1 })
			want := "您好，您的产品在保修期内，维修免费。\n工单号 T-1001，由Frank为您跟进。"
			if m := h.outbox()[0]; m.Text != want || m.Agent != "Frank" {
				t.Errorf("the customer got %q from %q, want %q from Frank", m.Text, m.Agent, want)
			}
			eventually(t, "the ✅", func() bool {
				r := h.slack.called("reactions.add")
				return len(r) == 1 && r[0].Form.Get("name") == "white_check_mark"
			})
			eventually(t, "the thread saying what was sent", func() bool {
				for _, p := range h.slack.posts("Saved reply `warranty` sent to the customer by <@U1>, in Chinese") {
					if p.Form.Get("thread_ts") == ts && strings.Contains(p.Form.Get("text"), "> 工单号 T-1001，由Frank为您跟进。") {
						return true
					}
				}
				return false
			})
			// The ticket's history has the reply as sent, as for any reply,
			// and no note of the call.
			if got := h.notes("T-1001"); len(got) != 1 || got[0] != "agent reply: "+want {
				t.Errorf("the ticket's comments are %q, want the reply as sent", got)
			}
		})
	}
	t.Run("english, with text after the name", func(t *testing.T) {
		h := savedDesk(t, config.ThreadRepliesCustomer)
		h.complaint("v1", "The fridge door is broken")
		ch, ts := h.thread("T-1001")
		h.claim("T-1001", "U1", ch, ts)
		h.mustOK(h.threadReply("E1", "U1", ch, ts, "!Warranty  \nPlease keep the *receipt* for <@U2>."))
		eventually(t, "the saved reply", func() bool { return len(h.outbox()) == 1 })
		want := "Hi, your product is under warranty: the repair is free.\nTicket T-1001; Frank follows it up.\n\nPlease keep the receipt for Grace."
		if m := h.outbox()[0]; m.Text != want {
			t.Errorf("the customer got %q, want %q", m.Text, want)
		}
		eventually(t, "the thread saying what was sent", func() bool {
			return len(h.slack.posts("Saved reply `warranty` sent to the customer by <@U1>, in English")) == 1
		})
		// A second call is a second reply.
		h.mustOK(h.threadReply("E2", "U1", ch, ts, "！visit"))
		eventually(t, "the second saved reply", func() bool { return len(h.outbox()) == 2 })
		if m := h.outbox()[1]; m.Text != "The technician comes tomorrow morning." {
			t.Errorf("the customer got %q", m.Text)
		}
	})
}

// The escalation message tells agents how to send a saved reply when there
// are some, after where thread replies go; a desk without says nothing of
// them.
func TestEscalationMentionsSavedReplies(t *testing.T) {
	for _, tc := range []struct {
		name    string
		replies map[string]config.SavedReply
		mode    string
		want    bool
	}{
		{"configured", savedReplies, config.ThreadRepliesCustomer, true},
		{"configured, internal", savedReplies, config.ThreadRepliesInternal, true},
		{"none", nil, config.ThreadRepliesCustomer, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, func(s *config.Slack, _ *slack.Options) { s.SavedReplies, s.ThreadReplies = tc.replies, tc.mode })
			h.complaint("v1", "The fridge door is broken")
			blocks := decoded(h.root("T-1001").Form.Get("blocks"))
			const hint = "`!NAME` sends a saved reply (`/ticket replies` lists them)."
			if got := strings.Contains(blocks, hint); got != tc.want {
				t.Errorf("the escalation message has the saved replies' hint: %v, want %v:\n%s", got, tc.want, blocks)
			}
			if !strings.Contains(blocks, "Replies in ticket threads") && !strings.Contains(blocks, "replies in ticket threads") {
				t.Errorf("the escalation message lost where replies go:\n%s", blocks)
			}
		})
	}
}

// Where thread replies stay internal, a call after the send mark is a call:
// the customer gets the saved reply, not "!warranty"; the thread shows it.
func TestSavedReplyAfterTheSendMark(t *testing.T) {
	h := savedDesk(t, config.ThreadRepliesInternal)
	h.complaint("v1", "The fridge door is broken")
	ch, ts := h.thread("T-1001")
	h.claim("T-1001", "U1", ch, ts)
	h.mustOK(h.threadReply("E1", "U1", ch, ts, "reply: !warranty"))
	eventually(t, "the saved reply", func() bool { return len(h.outbox()) == 1 })
	h.mustOK(h.threadReply("E2", "U1", ch, ts, "回复：！visit"))
	eventually(t, "the second saved reply", func() bool { return len(h.outbox()) == 2 })
	want := []string{"Hi, your product is under warranty: the repair is free.\nTicket T-1001; Frank follows it up.", "The technician comes tomorrow morning."}
	if got := h.sentTexts(); len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("the customer got %q, want %q", got, want)
	}
	eventually(t, "the thread saying what was sent", func() bool {
		return len(h.slack.posts("Saved reply `warranty` sent to the customer by <@U1>, in English")) == 1
	})
}

// An unknown name sends nothing and keeps nothing: the assignee is told
// privately, with the names there are; a desk with no saved replies says
// so.
func TestSavedReplyUnknownName(t *testing.T) {
	h := savedDesk(t, config.ThreadRepliesCustomer)
	h.complaint("v1", "The fridge door is broken")
	ch, ts := h.thread("T-1001")
	h.claim("T-1001", "U1", ch, ts)
	h.mustOK(h.threadReply("E1", "U1", ch, ts, "!warrenty thanks"))
	told := h.toldTo("U1", "Nothing was sent: there is no saved reply `warrenty`.")
	if !strings.Contains(told, "The saved replies are `!visit`, `!warranty`") || !strings.Contains(told, "/ticket replies") {
		t.Errorf("told %q, want the names and /ticket replies", told)
	}
	// A name run on into punctuation is no saved reply's: nothing goes to
	// the customer as "!visit, …".
	h.mustOK(h.threadReply("E2", "U1", ch, ts, "!Visit, tomorrow at 9"))
	told = h.toldTo("U1", "Nothing was sent: there is no saved reply `visit,`.")
	if !strings.Contains(told, "write `!NAME` alone, or followed by a space or a new line and your text") {
		t.Errorf("told %q, want how to call one", told)
	}
	eventually(t, "the calls processed", func() bool { return h.processed("ev:E1") && h.processed("ev:E2") })
	if got := h.outbox(); len(got) != 0 {
		t.Errorf("the customer got %+v", got)
	}
	if got := h.notes("T-1001"); len(got) != 0 {
		t.Errorf("the call left comments on the ticket: %q", got)
	}
	if n := len(h.slack.called("reactions.add")); n != 0 {
		t.Errorf("%d ✅ for a reply not sent", n)
	}

	none := newHarness(t, nil)
	none.complaint("v1", "The fridge door is broken")
	ch, ts = none.thread("T-1001")
	none.claim("T-1001", "U1", ch, ts)
	none.mustOK(none.threadReply("E1", "U1", ch, ts, "!warranty"))
	none.toldTo("U1", "Nothing was sent: `!warranty` calls a saved reply, and none is configured (channels.slack.saved_replies).")
	eventually(t, "the call processed", func() bool { return none.processed("ev:E1") })
	if n := len(none.outbox()); n != 0 {
		t.Errorf("the customer got %d messages", n)
	}
}

// A colleague who is not the assignee, and someone not on the agent list,
// are refused as for their other thread replies: kept as a note, told why,
// the customer gets nothing.
func TestSavedReplyRefusedToOthers(t *testing.T) {
	h := newHarness(t, func(s *config.Slack, _ *slack.Options) {
		s.SavedReplies = savedReplies
		s.Agents = map[string]string{"frank@example.com": "Frank", "grace@example.com": "Grace"}
	})
	paidRepair(h, "v9")
	ch, ts := h.thread("T-1001")
	h.mustOK(h.threadReply("E0", "U1", ch, ts, "!warranty"))
	h.toldTo("U1", "Not sent to the customer: T-1001 is not claimed yet: press Claim, then reply. Kept as an internal note.")
	h.claim("T-1001", "U1", ch, ts)
	before := len(h.pending())
	h.mustOK(h.threadReply("E1", "U2", ch, ts, "!warranty"))
	h.toldTo("U2", "Not sent to the customer: T-1001 is assigned to <@U1>, and only the assignee's replies go to the customer. Kept as an internal note.")
	h.mustOK(h.threadReply("E2", "U3", ch, ts, "!warranty"))
	h.toldTo("U3", "Not sent to the customer: you are not on the agent list. Kept as an internal note.")
	h.hasNote("T-1001", "!warranty")
	for _, e := range []string{"ev:E1", "ev:E2"} {
		eventually(t, e+" processed", func() bool { return h.processed(e) })
	}
	if got := h.pending()[before:]; len(got) != 0 {
		t.Errorf("the customer got %+v", got)
	}
	if n := len(h.slack.posts("Saved reply")); n != 0 {
		t.Errorf("%d thread posts of a saved reply sent", n)
	}
}

// /ticket replies lists the saved replies privately, by name with the first
// line of each language; /ticket help mentions it.
func TestTicketRepliesListsSavedReplies(t *testing.T) {
	h := savedDesk(t, config.ThreadRepliesCustomer)
	answer := func(trigger, text, want string) string {
		t.Helper()
		h.mustOK(h.command(trigger, "U1", text))
		var got string
		eventually(t, "/ticket "+text, func() bool {
			for _, r := range h.slack.responded() {
				if s, _ := r["text"].(string); strings.Contains(s, want) && r["response_type"] == "ephemeral" {
					got = s
					return true
				}
			}
			return false
		})
		return got
	}
	list := answer("t1", "replies", "Saved replies (2)")
	for _, want := range []string{
		"• `!visit` 中文: 师傅明天上午上门。\n      English: The technician comes tomorrow morning.",
		"• `!warranty` 中文: 您好{customer}，您的产品在保修期内，维修免费。\n      English: Hi {customer}, your product is under warranty: the repair is free.",
	} {
		if !strings.Contains(list, want) {
			t.Errorf("/ticket replies:\n%s\nwant %q", list, want)
		}
	}
	if strings.Contains(list, "工单号") {
		t.Errorf("/ticket replies shows more than the first line:\n%s", list)
	}
	answer("t2", "help", "`/ticket replies` (the saved replies")
}

// A call kept as a note (written before the claim) is sent by the Send to
// customer shortcut as its event would have sent it: the saved reply, not
// "!visit"; the thread shows it.
func TestSavedReplyBySendShortcut(t *testing.T) {
	h := savedDesk(t, config.ThreadRepliesCustomer)
	h.complaint("v1", "The fridge door is broken")
	ch, ts := h.thread("T-1001")
	msg := msgTS(1)
	h.mustOK(h.replyAt("E1", "U1", ch, ts, msg, "!visit"))
	h.toldTo("U1", "T-1001 is not claimed yet")
	h.claim("T-1001", "U1", ch, ts)
	h.mustOK(h.shortcut("s1", "U1", ch, ts, msg, "U1", "!visit"))
	eventually(t, "the saved reply", func() bool { return len(h.outbox()) == 1 })
	if got := h.sentTexts(); got[0] != "The technician comes tomorrow morning." {
		t.Errorf("the customer got %q", got)
	}
	eventually(t, "the thread saying what was sent", func() bool {
		return len(h.slack.posts("Saved reply `visit` sent to the customer by <@U1>, in English:\n> The technician comes tomorrow morning.")) == 1
	})
	h.mustOK(h.replyAt("E2", "U1", ch, ts, msgTS(2), "!nothing"))
	h.mustOK(h.shortcut("s2", "U1", ch, ts, msgTS(2), "U1", "!nothing"))
	eventually(t, "both told", func() bool { return count(h.ephemeralsTo("U1"), "there is no saved reply `nothing`") == 2 })
	if n := len(h.outbox()); n != 1 {
		t.Errorf("the customer has %d replies, want 1", n)
	}
}

// Editing a sent call in Slack: the agent is told the customer has it as
// sent, as for any reply.
func TestSavedReplyEditedAfterSending(t *testing.T) {
	h := savedDesk(t, config.ThreadRepliesCustomer)
	h.complaint("v1", "The fridge door is broken")
	ch, ts := h.thread("T-1001")
	h.claim("T-1001", "U1", ch, ts)
	const at = "1764000800.000001"
	h.mustOK(h.replyAt("E1", "U1", ch, ts, at, "!visit"))
	eventually(t, "the saved reply", func() bool { return len(h.outbox()) == 1 })
	h.mustOK(h.event("E2", edit(ch, ts, at, "!visit", "!warranty", "1764000801.000000")))
	h.toldTo("U1", "The customer already has your reply as first sent. Editing it in Slack changes nothing for them")
	if got := h.sentTexts(); len(got) != 1 || got[0] != "The technician comes tomorrow morning." {
		t.Errorf("the customer has %q", got)
	}
}

// Saved replies changed while serving (SetSavedReplies, as a configuration
// reload does) are in force at once: a reply added is sent, a text changed
// is sent as changed, one removed is unknown.
func TestSavedRepliesChangedWhileServing(t *testing.T) {
	h := savedDesk(t, config.ThreadRepliesCustomer)
	h.complaint("v1", "The fridge door is broken")
	ch, ts := h.thread("T-1001")
	h.claim("T-1001", "U1", ch, ts)
	h.desk.SetSavedReplies(map[string]config.SavedReply{
		"visit":  {Zh: "师傅后天上门。", En: "The technician comes the day after tomorrow."},
		"thanks": {Zh: "谢谢！", En: "Thank you, {customer}!"},
	})
	h.mustOK(h.threadReply("E1", "U1", ch, ts, "!visit"))
	eventually(t, "the changed reply", func() bool { return len(h.outbox()) == 1 })
	h.mustOK(h.threadReply("E2", "U1", ch, ts, "!thanks"))
	eventually(t, "the added reply", func() bool { return len(h.outbox()) == 2 })
	if got := h.sentTexts(); got[0] != "The technician comes the day after tomorrow." || got[1] != "Thank you!" {
		t.Errorf("the customer got %q", got)
	}
	h.mustOK(h.threadReply("E3", "U1", ch, ts, "!warranty"))
	h.toldTo("U1", "there is no saved reply `warranty`. The saved replies are `!thanks`, `!visit`")
	eventually(t, "the call processed", func() bool { return h.processed("ev:E3") })
	if n := len(h.outbox()); n != 2 {
		t.Errorf("the customer has %d replies, want 2", n)
	}
}

// cutShort is the desk's database, but recording that the message at key
// went to the customer fails once, as a crash just after the reply was
// sent would: the delivery is tried again. before runs first.
type cutShort struct {
	slack.DB
	key    string
	cut    atomic.Bool
	before atomic.Pointer[func()]
}

func (c *cutShort) wrap(db slack.DB) { c.DB = db }

func (c *cutShort) SlackPosted(ctx context.Context, key, channel, ts string, at time.Time) error {
	if key == c.key && c.cut.CompareAndSwap(false, true) {
		if f := c.before.Load(); f != nil {
			(*f)()
		}
		return errors.New("disk I/O error")
	}
	return c.DB.SlackPosted(ctx, key, channel, ts, at)
}

// A call whose delivery is cut short after the customer got the saved
// reply, tried again after a reload changed that reply, is not sent again:
// the customer has it once, as first sent, and the thread quotes that.
func TestSavedReplyRetriedAfterAReloadIsSentOnce(t *testing.T) {
	const at = "1764000800.000001"
	db := &cutShort{key: "reply:msg:C_COMPLAINTS:" + at}
	h := newHarness(t, func(s *config.Slack, o *slack.Options) { s.SavedReplies, o.DB = savedReplies, db })
	h.complaint("v1", "The fridge door is broken")
	ch, ts := h.thread("T-1001")
	h.claim("T-1001", "U1", ch, ts)
	reload := func() {
		h.desk.SetSavedReplies(map[string]config.SavedReply{"visit": {Zh: "师傅后天上门。", En: "The technician comes the day after tomorrow."}})
	}
	db.before.Store(&reload)
	h.mustOK(h.replyAt("E1", "U1", ch, ts, at, "!visit"))
	eventually(t, "the retry processed", func() bool { return db.cut.Load() && h.processed("ev:E1") })
	if got := h.sentTexts(); len(got) != 1 || got[0] != "The technician comes tomorrow morning." {
		t.Errorf("the customer has %q, want the reply once, as first sent", got)
	}
	eventually(t, "the thread saying what was sent", func() bool {
		return len(h.slack.posts("Saved reply `visit` sent to the customer by <@U1>, in English:\n> The technician comes tomorrow morning.")) == 1
	})
	// The next call sends the reply as it reads now.
	h.mustOK(h.threadReply("E2", "U1", ch, ts, "!visit"))
	eventually(t, "the second call", func() bool { return len(h.sentTexts()) == 2 })
	if got := h.sentTexts()[1]; got != "The technician comes the day after tomorrow." {
		t.Errorf("the second call sent %q", got)
	}
}

// A call kept as a note, never sent (the bot is asking for the rating),
// and sent later with the shortcut after a reload changed the saved reply,
// sends it as it reads then: only a send that began keeps its text.
func TestSavedReplyKeptThenSentAfterAReload(t *testing.T) {
	h := savedDesk(t, config.ThreadRepliesCustomer)
	h.complaint("v1", "The fridge door is broken")
	ch, ts := h.thread("T-1001")
	h.claimAndReply("T-1001", "U1", ch, ts, "We will send a technician tomorrow.", 1)
	h.mustOK(h.press("r1", "U1", "resolve", "T-1001", ch, ts))
	eventually(t, "resolved", func() bool { return len(h.slack.posts("Resolved by")) == 1 })
	msg := msgTS(802)
	h.mustOK(h.replyAt("E2", "U1", ch, ts, msg, "!visit"))
	h.toldTo("U1", "Not sent to the customer: T-1001 is resolved and the bot is asking the customer to rate the service")
	h.desk.SetSavedReplies(map[string]config.SavedReply{"visit": {Zh: "师傅后天上门。", En: "The technician comes the day after tomorrow."}})
	h.mustOK(h.shortcut("s1", "U1", ch, ts, msg, "U1", "!visit"))
	eventually(t, "the saved reply sent", func() bool { return len(h.sentTexts()) == 2 })
	if got := h.sentTexts()[1]; got != "The technician comes the day after tomorrow." {
		t.Errorf("the customer got %q, want the saved reply as it reads now", got)
	}
}

// An email customer who gave their name is greeted by it.
func TestSavedReplyNamesTheEmailCustomer(t *testing.T) {
	h := savedDesk(t, config.ThreadRepliesCustomer)
	ctx := context.Background()
	for i, text := range []string{"I want to make a complaint", "The fridge door is broken"} {
		if _, err := h.eng.Handle(ctx, dialog.Inbound{Channel: "email", User: "jo@example.com", ID: fmt.Sprintf("mail%d", i), Text: text,
			Customer: ticketing.Customer{Email: "jo@example.com", Name: "Jo Li"}}); err != nil {
			t.Fatal(err)
		}
	}
	ch, ts := h.thread("T-1001")
	h.claim("T-1001", "U1", ch, ts)
	h.mustOK(h.threadReply("E1", "U1", ch, ts, "!warranty"))
	var got []string
	eventually(t, "the saved reply by email", func() bool {
		ms, err := h.db.Pending(ctx, "email", 0)
		if err != nil {
			t.Fatal(err)
		}
		got = nil
		for _, m := range ms {
			if m.From == dialog.FromAgent {
				got = append(got, m.Text)
			}
		}
		return len(got) == 1
	})
	if want := "Hi Jo Li, your product is under warranty: the repair is free.\nTicket T-1001; Frank follows it up."; got[0] != want {
		t.Errorf("the customer got %q, want %q", got[0], want)
	}
}
