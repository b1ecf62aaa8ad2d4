package slack_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/supportd/supportd/ticketing"
)

// Hand back pressed while the customer is in the middle of telling
// something (their message came after the agent's last reply) is not done
// at once: handed back, the rest would go to the bot and the consultation
// would close as answered. The agent is told, with the customer's words; a
// double click is one press; pressed again, it is handed back. A reply
// first makes the hand back go at once.
func TestHandbackWhileTheCustomerIsMidSentence(t *testing.T) {
	h := newHarness(t, nil)
	ctx := context.Background()
	h.say("v2", "can I talk to a real person please")
	ch, ts := h.thread("T-1001")
	h.claimAndReply("T-1001", "U2", ch, ts, "Hi, Grace here. How can I help?", 1)
	h.say("v2", "My fridge")
	before := len(h.pending())
	h.mustOK(h.press("hb1", "U2", "handback", "T-1001", ch, ts))
	h.mustOK(h.press("hb2", "U2", "handback", "T-1001", ch, ts)) // the same click
	told := h.toldTo("U2", "Not handed back yet")
	if !strings.Contains(told, `the customer wrote after the last reply ("My fridge")`) || !strings.Contains(told, "T-1001 is closed as answered") {
		t.Errorf("told %q", told)
	}
	time.Sleep(300 * time.Millisecond)
	if tk, _ := h.db.Get(ctx, "T-1001"); tk.Status == ticketing.StatusClosed {
		t.Fatalf("T-1001 is %s after the first press", tk.Status)
	}
	if n := len(h.slack.posts("Handed back")); n != 0 {
		t.Errorf("%d hand-back notices after the first press", n)
	}
	if res := h.say("v2", "is making a loud noise"); len(res.Replies) != 0 {
		t.Errorf("the bot answered the rest of the sentence: %+v", res.Replies)
	}
	eventually(t, "the rest in the thread", func() bool { return len(h.slack.posts("is making a loud noise")) == 1 })
	if got := h.pending()[before:]; len(got) != 0 {
		t.Errorf("the customer got %+v", got)
	}
	if n := strings.Count(strings.Join(h.ephemeralsTo("U2"), "\n"), "Not handed back yet"); n != 1 {
		t.Errorf("warned %d times for one message", n)
	}

	// Answered, the hand back goes at once.
	h.mustOK(h.threadReply("E2", "U2", ch, ts, "A loud noise is normal for the first day."))
	eventually(t, "the answer", func() bool { return len(h.outbox()) == 2 })
	h.mustOK(h.press("hb3", "U2", "handback", "T-1001", ch, ts))
	eventually(t, "the hand-back", func() bool { return len(h.slack.posts("Handed back to the bot by <@U2>")) == 1 })

	// Pressed again after the warning, it is handed back anyway.
	h.say("v3", "can I talk to a real person please")
	ch, ts = h.thread("T-1002")
	h.mustOK(h.press("c2", "U2", "claim", "T-1002", ch, ts))
	if res := h.say("v3", "and one more thing"); len(res.Replies) != 0 {
		t.Logf("bot: %+v", res.Replies)
	}
	h.mustOK(h.press("hb4", "U2", "handback", "T-1002", ch, ts))
	eventually(t, "the warning", func() bool {
		return strings.Count(strings.Join(h.ephemeralsTo("U2"), "\n"), "Not handed back yet") == 2
	})
	time.Sleep(2100 * time.Millisecond)
	h.mustOK(h.press("hb5", "U2", "handback", "T-1002", ch, ts))
	eventually(t, "the hand-back anyway", func() bool {
		tk, _ := h.db.Get(ctx, "T-1002")
		return tk.Status == ticketing.StatusClosed
	})
}

// Resolve pressed just after the customer wrote, with no reply since ("But
// the"), is not done at once: resolved, the rest of their sentence would
// meet "rate our service". The agent is told with the customer's words; a
// double click is one press; pressed again, it is resolved. A message
// minutes old ("and the handle") does not hold Resolve.
func TestResolveWhileTheCustomerIsMidSentence(t *testing.T) {
	h := newHarness(t, nil)
	ctx := context.Background()
	h.complaint("v1", "The fridge door is broken")
	ch, ts := h.thread("T-1001")
	h.claimAndReply("T-1001", "U1", ch, ts, "We will send a technician tomorrow.", 1)
	h.say("v1", "But the")
	before := len(h.pending())
	h.mustOK(h.press("r1", "U1", "resolve", "T-1001", ch, ts))
	h.mustOK(h.press("r2", "U1", "resolve", "T-1001", ch, ts)) // the same click
	told := h.toldTo("U1", "Not resolved yet")
	if !strings.Contains(told, `the customer just wrote after the last reply ("But the")`) {
		t.Errorf("told %q", told)
	}
	time.Sleep(300 * time.Millisecond)
	if tk, _ := h.db.Get(ctx, "T-1001"); tk.Status == ticketing.StatusResolved {
		t.Fatal("resolved at the first press")
	}
	if got := h.pending()[before:]; len(got) != 0 {
		t.Errorf("the customer got %+v", got)
	}
	time.Sleep(2100 * time.Millisecond)
	h.mustOK(h.press("r3", "U1", "resolve", "T-1001", ch, ts))
	eventually(t, "resolved anyway", func() bool {
		tk, _ := h.db.Get(ctx, "T-1001")
		return tk.Status == ticketing.StatusResolved
	})
	if n := strings.Count(strings.Join(h.ephemeralsTo("U1"), "\n"), "Not resolved yet"); n != 1 {
		t.Errorf("warned %d times", n)
	}

	// Minutes later, the customer's last word does not hold it.
	h.complaint("v2", "The oven is cold")
	ch, ts = h.thread("T-1002")
	h.claimAndReply("T-1002", "U1", ch, ts, "A technician comes today.", 2)
	h.say("v2", "and the handle")
	h.clock.Set(h.clock.Now().Add(10 * time.Minute))
	h.mustOK(h.press("r4", "U1", "resolve", "T-1002", ch, ts))
	eventually(t, "T-1002 resolved", func() bool {
		tk, _ := h.db.Get(ctx, "T-1002")
		return tk.Status == ticketing.StatusResolved
	})
}

// A last message that only closes the exchange ("thanks", "ok", "谢谢",
// "好的") holds neither Hand back nor Resolve: one press does it, and the
// agent is not asked whether the customer is done.
func TestClosingMessageHoldsNeitherHandbackNorResolve(t *testing.T) {
	for _, text := range []string{"thanks", "ok", "谢谢", "好的"} {
		t.Run("handback/"+text, func(t *testing.T) {
			h := newHarness(t, nil)
			h.say("v1", "can I talk to a real person please")
			ch, ts := h.thread("T-1001")
			h.claimAndReply("T-1001", "U2", ch, ts, "Hi, Grace here. The manual is on our website.", 1)
			h.say("v1", text)
			eventually(t, "the customer's message in the thread", func() bool { return len(h.slack.posts(text)) > 0 })
			h.mustOK(h.press("hb1", "U2", "handback", "T-1001", ch, ts))
			eventually(t, "the hand-back", func() bool { return len(h.slack.posts("Handed back to the bot by <@U2>")) == 1 })
			if tk, _ := h.db.Get(context.Background(), "T-1001"); tk.Status != ticketing.StatusClosed {
				t.Errorf("T-1001 is %s", tk.Status)
			}
			if told := strings.Join(h.ephemeralsTo("U2"), "\n"); strings.Contains(told, "Not handed back yet") {
				t.Errorf("warned: %q", told)
			}
		})
		t.Run("resolve/"+text, func(t *testing.T) {
			h := newHarness(t, nil)
			h.complaint("v1", "The fridge door is broken")
			ch, ts := h.thread("T-1001")
			h.claimAndReply("T-1001", "U1", ch, ts, "We will send a technician tomorrow.", 1)
			h.say("v1", text)
			eventually(t, "the customer's message in the thread", func() bool { return len(h.slack.posts(text)) > 0 })
			h.mustOK(h.press("r1", "U1", "resolve", "T-1001", ch, ts))
			eventually(t, "resolved", func() bool {
				tk, _ := h.db.Get(context.Background(), "T-1001")
				return tk.Status == ticketing.StatusResolved
			})
			if told := strings.Join(h.ephemeralsTo("U1"), "\n"); strings.Contains(told, "Not resolved yet") {
				t.Errorf("warned: %q", told)
			}
		})
	}
}

// The customer sends the first half of a sentence ("My fridge") just
// before the agent hands the conversation back (pressed again after the
// warning), the rest just after: the bot reads both halves together and
// asks about the fridge they named, instead of answering the rest alone.
// The thread says that the bot reads the unanswered words. Later messages
// are read alone, and so is one long after a hand back.
func TestHalfSentenceAroundHandbackReachesTheBot(t *testing.T) {
	h := newHarness(t, nil)
	ctx := context.Background()
	h.say("v2", "can I talk to a real person please")
	ch, ts := h.thread("T-1001")
	h.claimAndReply("T-1001", "U2", ch, ts, "Hi, Grace here. How can I help?", 1)
	h.say("v2", "My fridge")
	h.mustOK(h.press("hb1", "U2", "handback", "T-1001", ch, ts))
	if told := h.toldTo("U2", "Not handed back yet"); !strings.Contains(told, "the bot reads these words with what they write next") {
		t.Errorf("told %q", told)
	}
	time.Sleep(2100 * time.Millisecond)
	h.mustOK(h.press("hb2", "U2", "handback", "T-1001", ch, ts))
	eventually(t, "the hand-back", func() bool { return len(h.slack.posts("Handed back to the bot by <@U2>")) == 1 })
	if p := h.slack.posts(`The customer's last words ("My fridge") were not answered here: the bot reads them with their next message.`); len(p) != 1 {
		for _, c := range h.slack.posts("Handed back") {
			t.Logf("posted %q", c.Form.Get("text"))
		}
		t.Errorf("the thread does not say that the bot reads the unanswered words")
	}
	res := h.say("v2", "is making a loud noise")
	var replies []string
	for _, r := range res.Replies {
		replies = append(replies, r.Text)
	}
	if got := strings.Join(replies, "\n"); !strings.Contains(got, "RF-450") {
		t.Errorf("the bot answered the rest of the sentence alone: %q", got)
	}
	conv, err := h.db.Conversation(ctx, res.ConversationID)
	if err != nil {
		t.Fatal(err)
	}
	if conv.Unanswered != nil {
		t.Errorf("the unanswered words are kept after they were read: %+v", conv.Unanswered)
	}

	// Long after a hand back, the next message is read alone.
	h.say("v3", "can I talk to a real person please")
	ch, ts = h.thread("T-1002")
	h.claimAndReply("T-1002", "U2", ch, ts, "Hi, Grace here.", 2)
	h.say("v3", "My fridge")
	h.mustOK(h.press("hb3", "U2", "handback", "T-1002", ch, ts))
	h.toldTo("U2", `("My fridge")`)
	time.Sleep(2100 * time.Millisecond)
	h.mustOK(h.press("hb4", "U2", "handback", "T-1002", ch, ts))
	eventually(t, "the second hand-back", func() bool { return len(h.slack.posts("Handed back to the bot by <@U2>")) == 2 })
	h.clock.Set(h.clock.Now().Add(10 * time.Minute))
	res = h.say("v3", "is making a loud noise")
	for _, r := range res.Replies {
		if strings.Contains(r.Text, "RF-450") {
			t.Errorf("words of 10 minutes before were read with the message: %q", r.Text)
		}
	}
}
