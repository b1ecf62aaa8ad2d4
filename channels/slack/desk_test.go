package slack_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/supportd/supportd/channels/slack"
	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/ticketing"
)

func TestEscalationPostedToItsKindsChannel(t *testing.T) {
	h := newHarness(t, nil)
	h.complaint("v1", "The technician broke my shelf <!channel> <@U1> <https://evil.example|click> & left")
	c := h.root("T-1001")
	if ch := c.Form.Get("channel"); ch != "C_COMPLAINTS" {
		t.Errorf("posted to %q, want the complaint channel", ch)
	}
	blocks := decoded(c.Form.Get("blocks"))
	for _, want := range []string{
		`T-1001 · complaint · complaint`, "jo@example.com", "webchat",
		`&lt;!channel&gt; &lt;@U1&gt; &lt;https://evil.example|click&gt; &amp; left`, // escaped
		"answer due Mon 18:00, 3 working days", "resolution due Wed 9 Dec 18:00, 10 working days",
		`"action_id":"claim"`, `"action_id":"resolve"`, `"action_id":"handback"`,
		"*Conversation*", "I want to make a complaint",
	} {
		if !strings.Contains(blocks, want) {
			t.Errorf("blocks lack %q:\n%s", want, blocks)
		}
	}
	if strings.Contains(blocks, "<!channel>") || strings.Contains(blocks, "<@U1>") || strings.Contains(c.Form.Get("text"), "<!channel>") {
		t.Error("customer text reached Slack unescaped")
	}
	// A later commit on the same ticket does not post it again.
	h.say("v1", "hello?")
	time.Sleep(200 * time.Millisecond)
	if n := len(h.slack.posts("T-1001 · complaint")); n != 1 {
		t.Errorf("escalation posted %d times", n)
	}
}

func TestCustomerMessageAppearsInThread(t *testing.T) {
	h := newHarness(t, nil)
	h.complaint("v1", "The fridge door is broken")
	ch, ts := h.thread("T-1001")
	h.say("v1", "any news? <b>now</b>")
	eventually(t, "the relayed message", func() bool {
		for _, p := range h.slack.posts("any news?") {
			return p.Form.Get("thread_ts") == ts && p.Form.Get("channel") == ch &&
				strings.Contains(p.Form.Get("text"), "&lt;b&gt;now&lt;/b&gt;")
		}
		return false
	})
	h.say("v1", "still waiting")
	eventually(t, "the second message", func() bool { return len(h.slack.posts("still waiting")) == 1 })
	if n := len(h.slack.posts("any news?")); n != 1 {
		t.Errorf("first message relayed %d times", n)
	}
}

func TestAssigneeReplyNoteAndOthers(t *testing.T) {
	h := newHarness(t, nil)
	h.complaint("v1", "The fridge door is broken")
	ch, ts := h.thread("T-1001")

	h.mustOK(h.press("trig-1", "U1", "claim", "T-1001", ch, ts))
	eventually(t, "the claim", func() bool {
		tk, err := h.db.Get(context.Background(), "T-1001")
		return err == nil && tk.Assignee == "frank@example.com"
	})
	eventually(t, "the message updated with its owner", func() bool {
		for _, u := range h.slack.called("chat.update") {
			if u.Form.Get("ts") == ts && strings.Contains(decoded(u.Form.Get("blocks")), `*Owner*\n<@U1>`) {
				return true
			}
		}
		return false
	})
	eventually(t, "the claim said in the thread", func() bool { return len(h.slack.posts("Claimed by <@U1>")) == 1 })

	h.mustOK(h.threadReply("Ev1", "U1", ch, ts, "Hello, Frank here &amp; sorry. See <https://help.example/door|the guide>"))
	eventually(t, "the reply in the outbox", func() bool { return len(h.outbox()) == 1 })
	m := h.outbox()[0]
	if m.Text != "Hello, Frank here & sorry. See the guide (https://help.example/door)" || m.Agent != "Frank" || m.TicketID != "T-1001" {
		t.Errorf("outbox message = %+v", m)
	}
	eventually(t, "the ✅", func() bool {
		r := h.slack.called("reactions.add")
		return len(r) == 1 && r[0].Form.Get("name") == "white_check_mark" && r[0].Form.Get("channel") == ch
	})

	h.mustOK(h.threadReply("Ev2", "U1", ch, ts, "note: customer sounds upset"))
	h.mustOK(h.threadReply("Ev3", "U2", ch, ts, "I can take this one"))
	eventually(t, "the ephemeral to Grace", func() bool {
		for _, e := range h.slack.called("chat.postEphemeral") {
			if e.Form.Get("user") == "U2" && strings.Contains(e.Form.Get("text"), "assigned to <@U1>") && e.Form.Get("thread_ts") == ts {
				return true
			}
		}
		return false
	})
	eventually(t, "both notes", func() bool {
		evs, _ := h.db.Events(context.Background(), "T-1001")
		n := 0
		for _, ev := range evs {
			if ev.Action == ticketing.ActionComment && (ev.Note == "customer sounds upset" || ev.Note == "I can take this one") {
				n++
			}
		}
		return n == 2
	})
	if n := len(h.outbox()); n != 1 {
		t.Errorf("%d agent messages for the customer, want only the assignee's reply", n)
	}
	if n := len(h.slack.called("reactions.add")); n != 1 {
		t.Errorf("%d reactions, want one for the one delivered reply", n)
	}
}

// The assignee's reply that begins with a mention (a colleague, a user
// group, @here, @channel) is for colleagues: the customer gets none of them,
// each is a note on the ticket, and the agent is told, in the thread, that
// it stayed internal and how to reply to the customer. A mention later in
// the reply goes to the customer as any reply.
func TestAssigneeReplyStartingWithMentionStaysInternal(t *testing.T) {
	h := newHarness(t, nil)
	h.complaint("v1", "The fridge door is broken")
	ch, ts := h.thread("T-1001")
	h.mustOK(h.press("trig-1", "U1", "claim", "T-1001", ch, ts))
	eventually(t, "the claim", func() bool {
		tk, err := h.db.Get(context.Background(), "T-1001")
		return err == nil && tk.Assignee == "frank@example.com"
	})

	notes := map[string]string{
		"Ev1": "<@U2> can you check the serial?",
		"Ev2": "<!subteam^S0614TZR7|@repairs> anyone free tomorrow?",
		"Ev3": "<!here> who knows this model?",
		"Ev4": " <!channel> the door part is out of stock",
	}
	want := []string{"Grace can you check the serial?", "@repairs anyone free tomorrow?", "who knows this model?", "the door part is out of stock"}
	for _, ev := range []string{"Ev1", "Ev2", "Ev3", "Ev4"} {
		h.mustOK(h.threadReply(ev, "U1", ch, ts, notes[ev]))
	}
	eventually(t, "the four notes", func() bool {
		evs, _ := h.db.Events(context.Background(), "T-1001")
		n := 0
		for _, ev := range evs {
			if ev.Action == ticketing.ActionComment && slices.Contains(want, ev.Note) {
				n++
			}
		}
		return n == len(want)
	})
	told := h.toldTo("U1", "Not sent to the customer: it begins with a mention")
	if !strings.Contains(told, "To reply to the customer, begin with something else") || !strings.Contains(told, "Kept as an internal note.") {
		t.Errorf("the agent was told %q", told)
	}
	eventually(t, "a hint for each", func() bool {
		n := 0
		for _, e := range h.slack.called("chat.postEphemeral") {
			if e.Form.Get("user") == "U1" && e.Form.Get("thread_ts") == ts && strings.Contains(e.Form.Get("text"), "begins with a mention") {
				n++
			}
		}
		return n == len(want)
	})
	if got := h.outbox(); len(got) != 0 {
		t.Fatalf("the customer got %+v", got)
	}

	h.mustOK(h.threadReply("Ev5", "U1", ch, ts, "Hello, my colleague <@U2> will call you tomorrow"))
	eventually(t, "the reply in the outbox", func() bool { return len(h.outbox()) == 1 })
	if m := h.outbox()[0]; m.Text != "Hello, my colleague Grace will call you tomorrow" {
		t.Errorf("the customer got %q", m.Text)
	}
	eventually(t, "the ✅ of the one delivered reply", func() bool { return len(h.slack.called("reactions.add")) == 1 })
	if n := len(h.ephemeralsTo("U1")); n != len(want) {
		t.Errorf("%d hints to the agent, want %d (none for the delivered reply)", n, len(want))
	}
}

func TestUnclaimedAndClosedRepliesStayInternal(t *testing.T) {
	h := newHarness(t, nil)
	h.complaint("v1", "The fridge door is broken")
	ch, ts := h.thread("T-1001")
	h.mustOK(h.threadReply("Ev1", "U1", ch, ts, "hello"))
	eventually(t, "the ephemeral", func() bool {
		for _, e := range h.slack.called("chat.postEphemeral") {
			if strings.Contains(e.Form.Get("text"), "not claimed yet") {
				return true
			}
		}
		return false
	})
	if len(h.outbox()) != 0 {
		t.Error("a reply to an unclaimed ticket reached the customer")
	}
}

func TestSameEventFourTimesHasOneEffect(t *testing.T) {
	h := newHarness(t, nil)
	h.complaint("v1", "The fridge door is broken")
	ch, ts := h.thread("T-1001")
	h.mustOK(h.press("trig-1", "U1", "claim", "T-1001", ch, ts))
	eventually(t, "the claim", func() bool {
		tk, _ := h.db.Get(context.Background(), "T-1001")
		return tk.Assignee == "frank@example.com"
	})

	var wg sync.WaitGroup
	h.n = 7
	for range 4 {
		wg.Go(func() {
			// The same delivery: same event id, same message ts.
			resp := h.event("EvSame", map[string]any{"type": "message", "user": "U1", "text": "we will call you today",
				"channel": ch, "thread_ts": ts, "ts": "1764000600.000001"})
			if resp.StatusCode != http.StatusOK {
				t.Errorf("status %d", resp.StatusCode)
			}
		})
	}
	wg.Wait()
	eventually(t, "the reply", func() bool { return len(h.outbox()) == 1 })
	time.Sleep(300 * time.Millisecond)
	if n := len(h.outbox()); n != 1 {
		t.Errorf("%d replies for one event delivered 4 times", n)
	}
	if n := len(h.slack.called("reactions.add")); n != 1 {
		t.Errorf("%d reactions", n)
	}
}

func TestClaimRace(t *testing.T) {
	h := newHarness(t, nil)
	h.complaint("v1", "The fridge door is broken")
	ch, ts := h.thread("T-1001")
	var wg sync.WaitGroup
	for _, u := range []string{"U1", "U2"} {
		wg.Go(func() { h.mustOK(h.press("race-"+u, u, "claim", "T-1001", ch, ts)) })
	}
	wg.Wait()
	var loser string
	eventually(t, "the loser told", func() bool {
		for _, e := range h.slack.called("chat.postEphemeral") {
			if strings.Contains(e.Form.Get("text"), "already claimed by") {
				loser = e.Form.Get("user")
				return true
			}
		}
		return false
	})
	tk, err := h.db.Get(context.Background(), "T-1001")
	if err != nil {
		t.Fatal(err)
	}
	winner := map[string]string{"frank@example.com": "U1", "grace@example.com": "U2"}[tk.Assignee]
	if winner == "" || winner == loser {
		t.Fatalf("assignee %q, loser %q", tk.Assignee, loser)
	}
	for _, e := range h.slack.called("chat.postEphemeral") {
		if e.Form.Get("user") == loser && !strings.Contains(e.Form.Get("text"), "<@"+winner+">") {
			t.Errorf("the loser was told %q, want the winner named", e.Form.Get("text"))
		}
	}
	evs, _ := h.db.Events(context.Background(), "T-1001")
	claims := 0
	for _, ev := range evs {
		if _, ok := ev.Changes["assignee"]; ok {
			claims++
		}
	}
	if claims != 1 {
		t.Errorf("%d claims recorded", claims)
	}
	if n := len(h.slack.posts("Claimed by")); n != 1 {
		t.Errorf("%d claim notices", n)
	}
}

// paidRepair walks a customer to the consent of an out-of-warranty repair:
// ticket T-1001 with an estimate, waiting for the quote.
func paidRepair(h *harness, user string) {
	for _, s := range []string{"电视 TV-55X 黑屏了，2024年5月2日买的", "试过了，还是不行", "订单号 TB2024050299", "没有", "没有", "不是", "是的", "同意"} {
		h.say(user, s)
	}
}

// giveQuote has agent U1 quote T-1001 from its thread, through the modal,
// after an invalid amount that the modal refuses; the ticket then waits for
// the customer.
func giveQuote(t *testing.T, h *harness, ch, ts, amount string) {
	t.Helper()
	h.mustOK(h.press("trig-q", "U1", "quote", "T-1001", ch, ts))
	var meta string
	eventually(t, "the quote modal", func() bool {
		v := h.slack.called("views.open")
		if len(v) == 0 {
			return false
		}
		view, _ := v[0].JSON["view"].(map[string]any)
		meta, _ = view["private_metadata"].(string)
		return v[0].JSON["trigger_id"] == "trig-q" && view["callback_id"] == "supportd_quote"
	})
	submit := func(trigger, amount string) *http.Response {
		return h.interaction(map[string]any{"type": "view_submission", "trigger_id": trigger, "user": map[string]any{"id": "U1"},
			"view": map[string]any{"callback_id": "supportd_quote", "private_metadata": meta, "state": map[string]any{"values": map[string]any{
				"amount": map[string]any{"amount": map[string]any{"type": "plain_text_input", "value": amount}},
				"note":   map[string]any{"note": map[string]any{"type": "plain_text_input", "value": "更换主板 含配件"}},
			}}}})
	}
	// An invalid amount is refused in the modal at once.
	req := submit("trig-bad", "abc")
	if req.StatusCode != http.StatusOK {
		t.Fatalf("invalid amount: status %d", req.StatusCode)
	}
	h.mustOK(submit("trig-s", amount))
	eventually(t, "the quote", func() bool {
		tk, _ := h.db.Get(context.Background(), "T-1001")
		return tk.Quote != nil && tk.Status == ticketing.StatusWaitingCustomer
	})
}

func TestQuoteAcceptResolveRating(t *testing.T) {
	h := newHarness(t, nil)
	paidRepair(h, "v9")
	ch, ts := h.thread("T-1001")
	if ch != "C_REPAIRS" {
		t.Errorf("repair escalation in %q", ch)
	}
	blocks := decoded(h.root("T-1001").Form.Get("blocks"))
	for _, want := range []string{"quote to give", "estimate: 170", `"action_id":"quote"`, "not covered: expired"} {
		if !strings.Contains(blocks, want) {
			t.Errorf("blocks lack %q", want)
		}
	}

	giveQuote(t, h, ch, ts, "380")
	if tk, _ := h.db.Get(context.Background(), "T-1001"); tk.Quote.Amount != 38000 {
		t.Errorf("quote amount %d, want 38000 (cents)", tk.Quote.Amount)
	}
	eventually(t, "the quote said in the thread", func() bool { return len(h.slack.posts("Quote of 380 CNY")) == 1 })

	h.say("v9", "接受")
	tk, _ := h.db.Get(context.Background(), "T-1001")
	if tk.Status != ticketing.StatusInProgress || tk.Quote.Status != ticketing.QuoteAccepted {
		t.Fatalf("after acceptance: %s %s", tk.Status, tk.Quote.Status)
	}
	eventually(t, "the acceptance in the thread", func() bool { return len(h.slack.posts("*accepted*")) == 1 })

	h.mustOK(h.press("trig-r", "U1", "resolve", "T-1001", ch, ts))
	eventually(t, "resolved", func() bool {
		tk, _ := h.db.Get(context.Background(), "T-1001")
		return tk.Status == ticketing.StatusResolved
	})
	c, _ := h.db.Conversation(context.Background(), tk.ConversationID)
	if c.State != dialog.RateScore {
		t.Fatalf("conversation state %s, want the rating asked", c.State)
	}
	h.say("v9", "5分")
	h.say("v9", "师傅很专业 <@U1>")
	eventually(t, "the rating in the thread", func() bool {
		for _, p := range h.slack.posts("rated the service 5/5") {
			return p.Form.Get("thread_ts") == ts && strings.Contains(p.Form.Get("text"), "师傅很专业 &lt;@U1&gt;")
		}
		return false
	})
}

// While a ticket waits for the customer's answer to a quote, its deadlines
// stand still: no warning or breach is posted, the ticket lists as waiting,
// and the repair deadline starts again from the acceptance.
func TestNoDeadlineRunsWhileTheCustomerDecides(t *testing.T) {
	h := newHarness(t, func(s *config.Slack, _ *slack.Options) { s.SLAInterval = 30 * time.Millisecond })
	loc := h.cfg.Policy.Location()
	// Wed 25 Nov 10:00, an in-warranty repair on site: resolution due Fri
	// 4 Dec 18:00 (7 working days).
	for _, s := range []string{"我的RF-450冰箱漏水", "2026-09-09", "试过了，还是不行", "订单号 SN2026090912", "没有", "没有", "不是", "广州市天河区体育西路1号", "020-88886666", "是"} {
		h.say("v9", s)
	}
	ch, ts := h.thread("T-1001")
	resolutionPosts := func() (warned, breached int) {
		for _, p := range h.slack.posts("T-1001") {
			text := p.Form.Get("text")
			if strings.Contains(text, "80% of the working time") && strings.Contains(text, "resolution due") {
				warned++
			}
			if strings.Contains(text, "the resolution deadline is breached") {
				breached++
			}
		}
		return warned, breached
	}
	// The technician finds water damage: a paid repair after all, quoted
	// Tue 1 Dec 10:00 and valid until Tue 8 Dec.
	h.clock.Set(time.Date(2026, 12, 1, 10, 0, 0, 0, loc))
	giveQuote(t, h, ch, ts, "380")

	for _, at := range []time.Time{
		time.Date(2026, 12, 3, 13, 0, 0, 0, loc),  // past 80% of the business hours to the deadline
		time.Date(2026, 12, 4, 18, 30, 0, 0, loc), // past the deadline
	} {
		h.clock.Set(at)
		time.Sleep(250 * time.Millisecond) // several SLA checks
		if w, b := resolutionPosts(); w != 0 || b != 0 {
			t.Fatalf("%s, waiting for the customer: %d resolution warnings and %d breaches posted", at, w, b)
		}
	}
	h.mustOK(h.command("cmd-1", "U1", "T-1001"))
	eventually(t, "the ticket summary", func() bool { return len(h.slack.responded()) == 1 })
	if text, _ := h.slack.responded()[0]["text"].(string); !strings.Contains(text, "resolution stopped: waiting for the customer (due Fri 18:00)") {
		t.Errorf("summary %q does not say the deadline is stopped", text)
	}
	h.mustOK(h.command("cmd-2", "U1", "open"))
	eventually(t, "the open tickets", func() bool { return len(h.slack.responded()) == 2 })
	if text, _ := h.slack.responded()[1]["text"].(string); !strings.Contains(text, "waiting_customer") || !strings.Contains(text, "· waiting for the customer") || strings.Contains(text, "overdue") {
		t.Errorf("open tickets %q: want T-1001 waiting for the customer, not overdue", text)
	}

	h.say("v9", "接受") // Fri 4 Dec 18:30
	tk, _ := h.db.Get(context.Background(), "T-1001")
	if want := time.Date(2026, 12, 15, 18, 0, 0, 0, loc); tk.Status != ticketing.StatusInProgress || !tk.Due.Resolution.Equal(want) {
		t.Fatalf("after acceptance: %s, resolution due %s, want in progress and %s", tk.Status, tk.Due.Resolution.In(loc), want)
	}
	h.clock.Set(time.Date(2026, 12, 15, 18, 1, 0, 0, loc))
	eventually(t, "the breach of the new deadline", func() bool { _, b := resolutionPosts(); return b == 1 })
}

func TestInvalidQuoteAmountAnsweredInModal(t *testing.T) {
	h := newHarness(t, nil)
	meta, _ := json.Marshal(map[string]string{"t": "T-1001", "c": "C", "ts": "1"})
	for _, amount := range []string{"-3", "abc", ""} {
		resp := h.interaction(map[string]any{"type": "view_submission", "trigger_id": "x" + amount, "user": map[string]any{"id": "U1"},
			"view": map[string]any{"callback_id": "supportd_quote", "private_metadata": string(meta), "state": map[string]any{"values": map[string]any{
				"amount": map[string]any{"amount": map[string]any{"type": "plain_text_input", "value": amount}}}}}})
		h.mustOK(resp)
		h.mu.Lock()
		body := h.lastBody
		h.mu.Unlock()
		if !strings.Contains(body, `"response_action":"errors"`) || !strings.Contains(body, `"amount"`) {
			t.Errorf("amount %q: answer %s, want the modal's errors", amount, body)
		}
	}
	if resp := h.interaction(map[string]any{}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("an empty payload: status %d, want 400", resp.StatusCode)
	}
	jobs, _ := h.db.SlackJobs(context.Background(), time.Now().Add(time.Hour), 10)
	if len(jobs) != 0 {
		t.Errorf("queued: %+v", jobs)
	}
}

func TestPostWhoseAnswerWasLostIsNotPostedAgain(t *testing.T) {
	h := newHarness(t, nil)
	h.slack.loseAnswers("chat.postMessage", 1)
	h.complaint("v1", "The fridge door is broken")
	ch, ts := h.thread("T-1001")
	if n := len(h.slack.posts("T-1001 · complaint")); n != 1 {
		t.Errorf("escalation posted %d times", n)
	}
	first := h.slack.posts("T-1001 · complaint")[0]
	if ch != "C_COMPLAINTS" || ts != first.TS {
		t.Errorf("thread recorded at %s %s, want the lost post's ts %s", ch, ts, first.TS)
	}
	if len(h.slack.called("conversations.history")) == 0 {
		t.Error("the post in flight was not looked for")
	}
}

func TestHandoffEscalatesAndHandback(t *testing.T) {
	h := newHarness(t, nil)
	h.say("v2", "can I talk to a real person please")
	ch, ts := h.thread("T-1001")
	if ch != "C_DESK" {
		t.Errorf("a consultation went to %q, want the default channel", ch)
	}
	if b := decoded(h.root("T-1001").Form.Get("blocks")); !strings.Contains(b, "the customer asked for a person") {
		t.Errorf("blocks lack the reason:\n%s", b)
	}
	h.mustOK(h.press("hb-claim", "U2", "claim", "T-1001", ch, ts))
	h.mustOK(h.press("hb", "U2", "handback", "T-1001", ch, ts))
	eventually(t, "the hand-back", func() bool { return len(h.slack.posts("Handed back to the bot by <@U2>")) == 1 })
	tk, _ := h.db.Get(context.Background(), "T-1001")
	c, _ := h.db.Conversation(context.Background(), tk.ConversationID)
	if c.Handoff != nil {
		t.Error("the conversation is still with a person")
	}
	// Pressing it again: told, not failed.
	h.mustOK(h.press("hb2", "U2", "handback", "T-1001", ch, ts))
	eventually(t, "the explanation", func() bool {
		for _, e := range h.slack.called("chat.postEphemeral") {
			if strings.Contains(e.Form.Get("text"), "Nothing to hand back: the bot has the conversation of T-1001 already.") {
				return true
			}
		}
		return false
	})
}

// A return of a product with nothing wrong reaches the desk saying so.
func TestNoFaultReturnReachesTheDesk(t *testing.T) {
	h := newHarness(t, nil)
	h.say("v3", "I want to return my TV-55X, it works but I just don't like it")
	h.thread("T-1001")
	if b := decoded(h.root("T-1001").Form.Get("blocks")); !strings.Contains(b, "a return with no fault: check the shop's rules") || !strings.Contains(b, "TV-55X") {
		t.Errorf("blocks lack the reason or the model:\n%s", b)
	}
}

// pending returns every message waiting for the web chat customer, from the
// bot and from agents.
func (h *harness) pending() []dialog.Message {
	h.t.Helper()
	ms, err := h.db.Pending(context.Background(), "webchat", 0)
	if err != nil {
		h.t.Fatal(err)
	}
	return ms
}

// A quote modal opened before the customer accepted the quote, or before
// the ticket was resolved, and submitted after, is refused in the modal with
// the reason: the customer gets no new price and the ticket stays as it is.
func TestStaleQuoteModalRefused(t *testing.T) {
	h := newHarness(t, nil)
	paidRepair(h, "v9")
	ch, ts := h.thread("T-1001")
	giveQuote(t, h, ch, ts, "380")
	h.say("v9", "接受")
	before := len(h.pending())
	body := h.submitQuote("late-1", "U1", "T-1001", ch, ts, "120", "")
	if !strings.Contains(body, `"response_action":"errors"`) || !strings.Contains(body, `accepted the quote of 380 CNY for T-1001 already`) {
		t.Errorf("a quote after the customer accepted one: modal answered %s", body)
	}
	if got := h.pending()[before:]; len(got) != 0 {
		t.Errorf("after a refused quote the customer got %+v", got)
	}
	h.mustOK(h.press("r", "U1", "resolve", "T-1001", ch, ts))
	eventually(t, "resolved", func() bool {
		tk, _ := h.db.Get(context.Background(), "T-1001")
		return tk.Status == ticketing.StatusResolved
	})
	before = len(h.pending())
	body = h.submitQuote("late-2", "U1", "T-1001", ch, ts, "120", "")
	if !strings.Contains(body, `"amount":"Not sent: T-1001 is resolved: a finished ticket takes no quote."`) {
		t.Errorf("a quote on a resolved ticket: modal answered %s", body)
	}
	tk, _ := h.db.Get(context.Background(), "T-1001")
	if tk.Status != ticketing.StatusResolved || tk.Quote.Amount != 38000 || tk.Quote.Status != ticketing.QuoteAccepted {
		t.Errorf("after the late quotes: %s, quote %s %s", tk.Status, tk.Quote.Amount, tk.Quote.Status)
	}
	if got := h.pending()[before:]; len(got) != 0 {
		t.Errorf("the customer got %+v", got)
	}
}

// lastRender returns the blocks of the escalation message as last posted or
// updated.
func (h *harness) lastRender(ticket string) string {
	h.t.Helper()
	_, ts := h.thread(ticket)
	blocks := decoded(h.root(ticket).Form.Get("blocks"))
	for _, u := range h.slack.called("chat.update") {
		if u.Form.Get("ts") == ts {
			blocks = decoded(u.Form.Get("blocks"))
		}
	}
	return blocks
}

// The assignee's reply on a resolved ticket reaches the customer and
// reopens the ticket, as the README promises: the agent is told, the bot
// stays silent, and the escalation shows the ticket open with its buttons.
func TestReplyOnResolvedTicketReopensIt(t *testing.T) {
	h := newHarness(t, nil)
	h.complaint("v1", "The fridge door is broken")
	ch, ts := h.thread("T-1001")
	h.claimAndReply("T-1001", "U1", ch, ts, "We will send a technician tomorrow.", 1)
	h.mustOK(h.press("r1", "U1", "resolve", "T-1001", ch, ts))
	eventually(t, "resolved", func() bool {
		tk, _ := h.db.Get(context.Background(), "T-1001")
		return tk.Status == ticketing.StatusResolved
	})
	h.say("v1", "hello?")

	h.mustOK(h.threadReply("E2", "U1", ch, ts, "Sorry! I call you now."))
	eventually(t, "the reply after resolve", func() bool { return len(h.outbox()) == 2 })
	if m := h.outbox()[1]; m.Text != "Sorry! I call you now." {
		t.Errorf("the customer got %q", m.Text)
	}
	h.toldTo("U1", "T-1001 was resolved: your reply reopened it and went to the customer")
	tk, _ := h.db.Get(context.Background(), "T-1001")
	if tk.Status != ticketing.StatusInProgress || tk.Assignee != "frank@example.com" {
		t.Errorf("after the reply: %s with %q, want in progress with Frank", tk.Status, tk.Assignee)
	}
	eventually(t, "the escalation open again with its buttons", func() bool {
		b := h.lastRender("T-1001")
		return strings.Contains(b, `*Status*\nin_progress`) && strings.Contains(b, `"action_id":"resolve"`) && strings.Contains(b, `"action_id":"handback"`)
	})
	if res := h.say("v1", "ok, I'm home"); len(res.Replies) != 0 {
		t.Errorf("the bot answered while the agent has the conversation: %+v", res.Replies)
	}
}

// After Hand back the bot has the conversation. A consultation (the talk
// with a person) is done with it; a complaint stays with its owner, whose
// next reply takes the conversation back from the bot: never bot and person
// at once.
func TestHandbackThenReply(t *testing.T) {
	h := newHarness(t, func(s *config.Slack, _ *slack.Options) { s.SLAInterval = 30 * time.Millisecond })
	h.say("v2", "can I talk to a real person please")
	ch, ts := h.thread("T-1001")
	h.claimAndReply("T-1001", "U2", ch, ts, "Hi, Grace here. The warranty of a TV is one year.", 1)
	h.mustOK(h.press("hb", "U2", "handback", "T-1001", ch, ts))
	eventually(t, "the hand-back", func() bool {
		return len(h.slack.posts("Handed back to the bot by <@U2>. The question is answered: T-1001 is closed.")) == 1
	})
	if tk, _ := h.db.Get(context.Background(), "T-1001"); tk.Status != ticketing.StatusClosed {
		t.Errorf("a consultation handed back is %s, want closed", tk.Status)
	}

	h.complaint("v3", "The technician broke my shelf")
	ch, ts = h.thread("T-1002")
	h.claimAndReply("T-1002", "U2", ch, ts, "I am sorry, we will pay for the shelf.", 2)
	h.mustOK(h.press("hb2", "U2", "handback", "T-1002", ch, ts))
	eventually(t, "the hand-back of the complaint", func() bool {
		return len(h.slack.posts("T-1002 stays open with <@U2> and its deadlines run: press Resolve when the work is done.")) == 1
	})
	if res := h.say("v3", "what is the warranty on a TV?"); len(res.Replies) == 0 {
		t.Fatal("after hand back the bot does not answer")
	}
	h.mustOK(h.threadReply("E3", "U2", ch, ts, "Also: the technician will call you."))
	eventually(t, "the reply after hand back", func() bool { return len(h.outbox()) == 3 })
	h.toldTo("U2", "The bot had the conversation: your reply went to the customer and took it back")
	if res := h.say("v3", "thanks, when will he call?"); len(res.Replies) != 0 {
		t.Errorf("the bot answered while the agent has the conversation again: %+v", res.Replies)
	}
	eventually(t, "Hand back offered again", func() bool { return strings.Contains(h.lastRender("T-1002"), `"action_id":"handback"`) })

	// The closed consultation's deadline passes unwatched.
	h.clock.Set(time.Date(2026, 12, 10, 10, 0, 0, 0, h.cfg.Policy.Location()))
	eventually(t, "the complaint's breach", func() bool { return len(h.slack.posts("🚨 <@U2> T-1002")) > 0 })
	if n := len(h.slack.posts("T-1001: the answer deadline is breached")); n != 0 {
		t.Errorf("%d breaches posted for the closed consultation", n)
	}
}

// Without an agent list an agent is their Slack account, not their display
// name: another user called "Frank" neither replies to Frank's customer nor
// resolves his ticket, while the customer reads the name Frank.
func TestSameDisplayNameIsAnotherAgent(t *testing.T) {
	users["U4"] = [2]string{"Frank", "frank.other@example.com"}
	t.Cleanup(func() { delete(users, "U4") })
	h := newHarness(t, nil)
	h.complaint("v1", "The fridge door is broken")
	ch, ts := h.thread("T-1001")
	h.mustOK(h.press("c1", "U1", "claim", "T-1001", ch, ts))
	h.mustOK(h.threadReply("E1", "U1", ch, ts, "Frank here, we will call you."))
	eventually(t, "Frank's reply", func() bool { return len(h.outbox()) == 1 })
	if m := h.outbox()[0]; m.Agent != "Frank" {
		t.Errorf("the customer reads the reply as from %q, want Frank", m.Agent)
	}

	h.mustOK(h.threadReply("E2", "U4", ch, ts, "This is the other Frank: no refund."))
	h.toldTo("U4", "T-1001 is assigned to <@U1>")
	h.mustOK(h.press("r4", "U4", "resolve", "T-1001", ch, ts))
	h.toldTo("U4", "claimed by <@U1>")
	tk, _ := h.db.Get(context.Background(), "T-1001")
	if tk.Status == ticketing.StatusResolved || tk.Assignee != "frank@example.com" {
		t.Errorf("after the other Frank: %s with %q", tk.Status, tk.Assignee)
	}
	if n := len(h.outbox()); n != 1 {
		t.Errorf("%d agent messages reached the customer, want Frank's only", n)
	}
}

// A double click on Claim or Resolve acts once: one notice in the thread,
// one "resolved" for the customer, and the second press is told why
// nothing happened.
func TestDoubleClickActsOnce(t *testing.T) {
	h := newHarness(t, nil)
	h.complaint("v1", "The fridge door is broken")
	ch, ts := h.thread("T-1001")
	h.mustOK(h.press("c1", "U1", "claim", "T-1001", ch, ts))
	h.mustOK(h.press("c2", "U1", "claim", "T-1001", ch, ts))
	h.toldTo("U1", "You have T-1001 already.")
	before := len(h.pending())
	h.mustOK(h.press("r1", "U1", "resolve", "T-1001", ch, ts))
	h.mustOK(h.press("r2", "U1", "resolve", "T-1001", ch, ts))
	h.toldTo("U1", "T-1001 is resolved already: nothing was done.")
	if n := len(h.slack.posts("Claimed by")); n != 1 {
		t.Errorf("%d claim notices", n)
	}
	if n := len(h.slack.posts("Resolved by")); n != 1 {
		t.Errorf("%d resolve notices", n)
	}
	resolved := 0
	for _, m := range h.pending()[before:] {
		if strings.Contains(m.Text, "T-1001 is resolved") {
			resolved++
		}
	}
	if resolved != 1 {
		t.Errorf("the customer was told %d times that T-1001 is resolved", resolved)
	}
}

// With an agent list, /ticket answers agents only: tickets hold customers'
// personal data.
func TestTicketCommandForAgentsOnly(t *testing.T) {
	h := newHarness(t, func(s *config.Slack, _ *slack.Options) {
		s.Agents = map[string]string{"frank@example.com": "Frank", "grace@example.com": "Grace"}
	})
	h.complaint("v1", "The fridge door is broken, call me 13800138000")
	h.thread("T-1001")
	for i, arg := range []string{"T-1001", "open", "mine", "stats", "week", "help"} {
		h.mustOK(h.command(fmt.Sprint("k", i), "U3", arg))
	}
	h.mustOK(h.command("k-frank", "U1", "T-1001"))
	eventually(t, "the answers", func() bool { return len(h.slack.responded()) == 7 })
	for _, r := range h.slack.responded() {
		text, _ := r["text"].(string)
		if strings.Contains(text, "13800138000") {
			continue // Frank's
		}
		if !strings.HasPrefix(text, "You are not on the agent list (channels.slack.agents): /ticket is for agents only.") {
			t.Errorf("Mallory, not an agent, read %q", text)
		}
	}
	n := 0
	for _, r := range h.slack.responded() {
		if text, _ := r["text"].(string); strings.Contains(text, "T-1001") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d answers show T-1001, want Frank's only", n)
	}
}

// Notes however they are marked stay internal; a colleague mentioned reaches
// the customer by name, an emoji as an emoji.
func TestThreadReplyMarkup(t *testing.T) {
	h := newHarness(t, nil)
	h.complaint("v1", "The fridge door is broken")
	ch, ts := h.thread("T-1001")
	h.mustOK(h.press("c1", "U1", "claim", "T-1001", ch, ts))
	for i, s := range []string{"Note : internal too", "内部: 别发给客户", "Internal：全角", "备注： 客户情绪激动",
		"My colleague <@U2> will call you today :pray:"} {
		h.mustOK(h.threadReply(fmt.Sprint("E", i), "U1", ch, ts, s))
	}
	eventually(t, "the reply", func() bool { return len(h.outbox()) == 1 })
	eventually(t, "the notes", func() bool {
		evs, _ := h.db.Events(context.Background(), "T-1001")
		n := 0
		for _, ev := range evs {
			if ev.Action == ticketing.ActionComment && !strings.HasPrefix(ev.Note, "agent reply") && !strings.HasPrefix(ev.Note, "the agent took") {
				n++
			}
		}
		return n == 4
	})
	if got := h.outbox(); len(got) != 1 || got[0].Text != "My colleague Grace will call you today 🙏" {
		t.Errorf("the customer got %+v", got)
	}
}

// Files shared in the thread do not reach the customer, and the agent is
// told so: with a caption only the caption went, without one nothing did.
func TestSharedFileNotSentIsSaid(t *testing.T) {
	h := newHarness(t, nil)
	h.complaint("v1", "The fridge door is broken")
	ch, ts := h.thread("T-1001")
	h.mustOK(h.press("c1", "U1", "claim", "T-1001", ch, ts))
	file := map[string]any{"id": "F1", "name": "door-manual.pdf", "mimetype": "application/pdf", "url_private": "https://files.slack.com/files-pri/T1-F1/door-manual.pdf"}
	h.mustOK(h.event("EvF1", map[string]any{"type": "message", "subtype": "file_share", "user": "U1", "text": "Here is the repair manual",
		"channel": ch, "thread_ts": ts, "ts": "1764000700.000001", "files": []any{file}}))
	h.toldTo("U1", "Only your text went to the customer: files (door-manual.pdf) are not sent to customers.")
	h.mustOK(h.event("EvF2", map[string]any{"type": "message", "subtype": "file_share", "user": "U1", "text": "",
		"channel": ch, "thread_ts": ts, "ts": "1764000700.000002", "files": []any{file}}))
	h.toldTo("U1", "Not sent to the customer: files (door-manual.pdf) are not sent to customers.")
	if got := h.outbox(); len(got) != 1 || got[0].Text != "Here is the repair manual" {
		t.Errorf("the customer got %+v", got)
	}
}

// Editing or deleting in Slack a reply the customer already has changes
// nothing for them, and the agent is told to send a correction.
func TestEditOrDeleteOfASentReplyIsSaid(t *testing.T) {
	h := newHarness(t, nil)
	h.complaint("v1", "The fridge door is broken")
	ch, ts := h.thread("T-1001")
	h.mustOK(h.press("c1", "U1", "claim", "T-1001", ch, ts))
	sent := map[string]any{"type": "message", "user": "U1", "text": "We refund you 5000 CNY", "ts": "1764000800.000001", "thread_ts": ts}
	h.mustOK(h.event("E1", map[string]any{"type": "message", "user": "U1", "text": "We refund you 5000 CNY", "channel": ch, "thread_ts": ts, "ts": "1764000800.000001"}))
	eventually(t, "the reply", func() bool { return len(h.outbox()) == 1 })
	h.mustOK(h.event("E2", map[string]any{"type": "message", "subtype": "message_changed", "channel": ch, "ts": "1764000801.000001",
		"message": map[string]any{"type": "message", "user": "U1", "text": "We refund you 500 CNY", "ts": "1764000800.000001", "thread_ts": ts,
			"edited": map[string]any{"user": "U1", "ts": "1764000801.000000"}},
		"previous_message": sent}))
	h.toldTo("U1", "The customer already has your reply as first sent. Editing it in Slack changes nothing for them: send the correction as a new reply.")
	h.mustOK(h.event("E3", map[string]any{"type": "message", "subtype": "message_deleted", "channel": ch, "ts": "1764000802.000001",
		"deleted_ts": "1764000800.000001", "previous_message": sent}))
	h.toldTo("U1", "Deleting it in Slack does not take it back")
	if got := h.outbox(); len(got) != 1 || got[0].Text != "We refund you 5000 CNY" {
		t.Errorf("the customer has %+v", got)
	}
}

// A repair the customer was told is free is quoted only with what the
// inspection found: the modal says the note is required and shows no empty
// estimate, and a submission without it is refused on the note, the modal
// staying open.
func TestInWarrantyQuoteNeedsTheFinding(t *testing.T) {
	h := newHarness(t, nil)
	for _, s := range []string{"我的RF-450冰箱漏水", "2026-09-09", "试过了，还是不行", "订单号 SN2026090912", "没有", "没有", "不是", "广州市天河区体育西路1号", "020-88886666", "是"} {
		h.say("v9", s)
	}
	ch, ts := h.thread("T-1001")
	h.mustOK(h.press("c", "U1", "claim", "T-1001", ch, ts))
	h.mustOK(h.press("q", "U1", "quote", "T-1001", ch, ts))
	var view string
	eventually(t, "the modal", func() bool {
		v := h.slack.called("views.open")
		if len(v) == 0 {
			return false
		}
		b, _ := json.Marshal(v[0].JSON["view"])
		view = decoded(string(b))
		return true
	})
	if strings.Contains(view, "Estimate told to the customer:  CNY") || !strings.Contains(view, "What the inspection found (required)") ||
		strings.Contains(view, `"optional":true`) {
		t.Errorf("the modal of an in-warranty repair: %s", view)
	}
	body := h.submitQuote("s1", "U1", "T-1001", ch, ts, "380", "")
	if !strings.Contains(body, `"note":"Required: T-1001 is in warranty (free)`) {
		t.Errorf("a quote without the finding: modal answered %s", body)
	}
	if body := h.submitQuote("s2", "U1", "T-1001", ch, ts, "380", "水浸损坏主板"); body != "" {
		t.Errorf("a quote with the finding: modal answered %s", body)
	}
	eventually(t, "the quote", func() bool {
		tk, _ := h.db.Get(context.Background(), "T-1001")
		return tk.Quote != nil && tk.Quote.Note == "水浸损坏主板"
	})
}
