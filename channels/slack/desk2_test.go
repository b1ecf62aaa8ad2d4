package slack_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/supportd/supportd/channels/slack"
	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/ticketing"
)

// resolved waits for a ticket to be resolved.
func (h *harness) resolved(id string) {
	h.t.Helper()
	eventually(h.t, id+" resolved", func() bool {
		tk, err := h.db.Get(context.Background(), id)
		return err == nil && tk.Status == ticketing.StatusResolved
	})
}

// Resolve's notice in the thread says what the customer was really told:
// asked to rate, told but not asked (busy with a new form with the bot), or
// nothing (no conversation).
func TestResolveNoticeSaysWhatTheCustomerWasTold(t *testing.T) {
	h := newHarness(t, func(s *config.Slack, _ *slack.Options) { s.SLAInterval = 30 * time.Millisecond })
	h.say("v1", "can I talk to a real person please")
	ch, ts := h.thread("T-1001")
	h.mustOK(h.press("c1", "U1", "claim", "T-1001", ch, ts))
	h.mustOK(h.press("r1", "U1", "resolve", "T-1001", ch, ts))
	h.resolved("T-1001")
	eventually(t, "the notice with the rating", func() bool {
		return len(h.slack.posts("✔️ Resolved by <@U1>; the customer was told and asked to rate the service.")) == 1
	})

	// A complaint handed back; the customer then starts a repair with the bot.
	h.complaint("v2", "The technician broke my shelf")
	ch, ts = h.thread("T-1002")
	h.mustOK(h.press("c2", "U1", "claim", "T-1002", ch, ts))
	h.mustOK(h.threadReply("E1", "U1", ch, ts, "Sorry, we pay for the shelf."))
	h.mustOK(h.press("hb2", "U1", "handback", "T-1002", ch, ts))
	eventually(t, "the hand-back", func() bool { return len(h.slack.posts("Handed back to the bot by <@U1>")) == 1 })
	h.say("v2", "my TV-55X has no sound")
	h.mustOK(h.press("r2", "U1", "resolve", "T-1002", ch, ts))
	h.resolved("T-1002")
	eventually(t, "the notice without the rating", func() bool {
		return len(h.slack.posts("✔️ Resolved by <@U1>; the customer was told, but not asked to rate the service: they are in the middle of something else with the bot.")) == 1
	})

	// A ticket without a conversation (filed by phone).
	tk := &ticketing.Ticket{Kind: ticketing.KindComplaint, Subject: "called about the shelf", Channel: "phone"}
	if err := h.db.Create(context.Background(), tk, ticketing.By{Actor: "cli", Channel: "cli"}); err != nil {
		t.Fatal(err)
	}
	ch, ts = h.thread(tk.ID)
	h.mustOK(h.press("c3", "U1", "claim", tk.ID, ch, ts))
	h.mustOK(h.press("r3", "U1", "resolve", tk.ID, ch, ts))
	h.resolved(tk.ID)
	eventually(t, "the notice that the customer was not told", func() bool {
		return len(h.slack.posts("✔️ Resolved by <@U1>. The customer was not told: "+tk.ID+" has no conversation to write in.")) == 1
	})
	if n := len(h.slack.posts("asked to rate the service.")); n != 1 {
		t.Errorf("%d notices say the customer was asked to rate, want 1", n)
	}
}

// A colleague's Claim, Resolve, Send quote or Hand back on a ticket Frank
// holds is refused saying that nothing was done and what to do instead.
func TestColleaguesActionRefusedSaysWhatToDo(t *testing.T) {
	h := newHarness(t, nil)
	paidRepair(h, "v9")
	ch, ts := h.thread("T-1001")
	h.mustOK(h.press("c1", "U1", "claim", "T-1001", ch, ts))
	eventually(t, "the claim", func() bool { return len(h.slack.posts("Claimed by <@U1>")) == 1 })
	h.mustOK(h.press("c2", "U2", "claim", "T-1001", ch, ts))
	h.toldTo("U2", "T-1001 is already claimed by <@U1>: nothing was done. To take it over, ask them to press Release, then Claim.")
	for _, tc := range []struct{ action, want string }{
		{"resolve", "Not done: T-1001 is claimed by <@U1>, and only they can resolve it. Ask them to do it, or to press Release so that you can claim it."},
		{"quote", "Not done: T-1001 is claimed by <@U1>, and only they can send the quote. Ask them to do it, or to press Release so that you can claim it."},
		{"handback", "Not done: T-1001 is claimed by <@U1>, and only they can hand it back to the bot. Ask them to do it, or to press Release so that you can claim it."},
	} {
		h.mustOK(h.press("g-"+tc.action, "U2", tc.action, "T-1001", ch, ts))
		h.toldTo("U2", tc.want)
	}
	tk, _ := h.db.Get(context.Background(), "T-1001")
	if tk.Assignee != "frank@example.com" || tk.Status != ticketing.StatusAssigned || tk.Quote != nil {
		t.Errorf("after Grace's presses: %q %s quote %+v", tk.Assignee, tk.Status, tk.Quote)
	}
	if n := len(h.slack.called("views.open")); n != 0 {
		t.Errorf("the quote form opened %d times for Grace", n)
	}
}

// The assignee releases a ticket to pass it on: it is unclaimed and open
// again, with the release in its audit log, the escalation offers Claim
// again, and a colleague who claims it replies to the customer.
func TestReleasePassesATicketOn(t *testing.T) {
	h := newHarness(t, nil)
	h.complaint("v1", "The fridge door is broken")
	ch, ts := h.thread("T-1001")
	h.mustOK(h.press("c1", "U1", "claim", "T-1001", ch, ts))
	eventually(t, "Release offered to the owner", func() bool {
		b := h.lastRender("T-1001")
		return strings.Contains(b, `"action_id":"release"`) && !strings.Contains(b, `"action_id":"claim"`)
	})
	h.mustOK(h.press("rel-g", "U2", "release", "T-1001", ch, ts))
	h.toldTo("U2", "Not done: T-1001 is claimed by <@U1>, and only they can release it.")

	h.mustOK(h.press("rel-f", "U1", "release", "T-1001", ch, ts))
	eventually(t, "the release said in the thread", func() bool {
		return len(h.slack.posts("🔓 Released by <@U1>: T-1001 is unclaimed (open), its deadlines run; anyone can press Claim.")) == 1
	})
	tk, _ := h.db.Get(context.Background(), "T-1001")
	if tk.Assignee != "" || tk.Status != ticketing.StatusOpen {
		t.Errorf("released: %q %s, want unclaimed and open", tk.Assignee, tk.Status)
	}
	evs, _ := h.db.Events(context.Background(), "T-1001")
	released := false
	for _, ev := range evs {
		if _, ok := ev.Changes["assignee"]; ok && ev.Actor == "agent:frank@example.com" && ev.Note == "released by Frank" {
			released = true
		}
	}
	if !released {
		t.Errorf("no release in the audit log: %+v", evs)
	}
	eventually(t, "the escalation unclaimed with Claim again", func() bool {
		b := h.lastRender("T-1001")
		return strings.Contains(b, `*Owner*\nunclaimed`) && strings.Contains(b, `"action_id":"claim"`) && !strings.Contains(b, `"action_id":"release"`)
	})

	h.mustOK(h.press("c2", "U2", "claim", "T-1001", ch, ts))
	eventually(t, "Grace's claim", func() bool { return len(h.slack.posts("Claimed by <@U2>")) == 1 })
	h.mustOK(h.threadReply("E1", "U2", ch, ts, "Grace here, I take over."))
	eventually(t, "Grace's reply", func() bool { return len(h.outbox()) == 1 })
	if m := h.outbox()[0]; m.Agent != "Grace" {
		t.Errorf("the customer reads %+v", m)
	}
}

// The quote modal refuses an amount in exponent notation ("1e3" is not
// 1000 CNY to send a customer), as it refuses a currency sign, digit
// groups and full-width digits, each saying what to type instead; "380"
// and "380.50" are prices.
func TestQuoteAmountInFullDigitsOnly(t *testing.T) {
	h := newHarness(t, nil)
	paidRepair(h, "v9")
	ch, ts := h.thread("T-1001")
	h.mustOK(h.press("c", "U1", "claim", "T-1001", ch, ts))
	for _, tc := range []struct{ amount, want string }{
		{"1e3", `"amount":"write the price in full digits, like 1000: an exponent such as 1e3 is not a price"`},
		{"1e15", `"amount":"write the price in full digits`},
		{"380元", `"amount":"write the price in digits only, like 1200 or 99.50: no currency sign, the price is in CNY (1200, not ¥1200 or 1200元)"`},
		{"¥1200", `no currency sign, the price is in CNY`},
		{"1200 RMB", `no currency sign, the price is in CNY`},
		{"1,200", `"amount":"write the price in digits only, like 1200 or 99.50: no thousands separators or spaces (1200, not 1,200)"`},
		{"1 200", `no thousands separators or spaces`},
		{"３８０", `"amount":"write the price in digits only, like 1200 or 99.50, typed half-width (1200, not １２００)"`},
		{"-5", `"amount":"the price must be above 0, like 380 or 99.50"`},
		{"0", `"amount":"the price must be above 0, like 380 or 99.50"`},
		{"abc", `"amount":"write the price in digits only, like 1200 or 99.50"`},
		{"12.345", `"amount":"at most two decimals, like 99.50; a dot is the decimal point, never a thousands separator (if you mean 12345, write 12345)"`},
		{"1.299", `(if you mean 1299, write 1299)`},
		{"99.999", `(if you mean 99999, write 99999)`},
		{"12.3456", `"amount":"at most two decimals, like 99.50"`},
		{"1.299,00", `"amount":"write the price in digits only, like 1200 or 99.50: a dot for the decimals and no thousands separators (1299.50, not 1.299,50 or 1299,50)"`},
		{"1299,5", `a dot for the decimals`},
		{"1299。5", `"amount":"write the price in digits only, like 1200 or 99.50: a dot for the decimals (99.50, not 99。50)"`},
		{"¥1,299", `no currency sign`},
		{"RMB 1299", `no currency sign`},
	} {
		if body := h.submitQuote("s-"+tc.amount, "U1", "T-1001", ch, ts, tc.amount, ""); !strings.Contains(body, `"response_action":"errors"`) || !strings.Contains(body, tc.want) {
			t.Errorf("amount %q: modal answered %s, want %s", tc.amount, body, tc.want)
		}
	}
	if tk, _ := h.db.Get(context.Background(), "T-1001"); tk.Quote != nil {
		t.Fatalf("a refused amount was quoted: %+v", tk.Quote)
	}
	if body := h.submitQuote("s-ok", "U1", "T-1001", ch, ts, "380.50", ""); body != "" {
		t.Errorf("380.50: modal answered %s", body)
	}
	eventually(t, "the quote", func() bool {
		tk, _ := h.db.Get(context.Background(), "T-1001")
		return tk.Quote != nil && tk.Quote.Amount == 38050
	})
}

// /ticket finds a ticket however its id is typed.
func TestTicketCommandReadsTheIdAsTyped(t *testing.T) {
	h := newHarness(t, nil)
	h.complaint("v1", "The fridge door is broken")
	h.thread("T-1001")
	forms := []string{"T-1001", "t-1001", "#T-1001", "T1001", "1001", " #t1001 "}
	for i, arg := range forms {
		h.mustOK(h.command(fmt.Sprint("id", i), "U1", arg))
		eventually(t, "the answer to "+arg, func() bool { return len(h.slack.responded()) == i+1 })
		if text, _ := h.slack.responded()[i]["text"].(string); !strings.HasPrefix(text, "*T-1001* complaint") {
			t.Errorf("/ticket %s answered %q", arg, text)
		}
	}
	h.mustOK(h.command("id-x", "U1", "T-9999"))
	eventually(t, "the answer to T-9999", func() bool { return len(h.slack.responded()) == len(forms)+1 })
	if text, _ := h.slack.responded()[len(forms)]["text"].(string); !strings.HasPrefix(text, "No ticket T-9999.") {
		t.Errorf("/ticket T-9999 answered %q", text)
	}
}

// A button the desk does not know (renamed since the message was posted)
// is answered: nothing was done, and the message is updated with the
// current buttons.
func TestUnknownButtonIsAnswered(t *testing.T) {
	h := newHarness(t, nil)
	h.complaint("v1", "The fridge door is broken")
	ch, ts := h.thread("T-1001")
	h.mustOK(h.press("old", "U1", "take_ticket", "T-1001", ch, ts))
	h.toldTo("U1", "Nothing was done: this button (take_ticket) is from an older version of the desk. The message of T-1001 is being updated with the current buttons: press the one you want again.")
	eventually(t, "the message updated", func() bool {
		for _, u := range h.slack.called("chat.update") {
			if u.Form.Get("ts") == ts && strings.Contains(decoded(u.Form.Get("blocks")), `"action_id":"claim"`) {
				return true
			}
		}
		return false
	})
	if tk, _ := h.db.Get(context.Background(), "T-1001"); tk.Assignee != "" {
		t.Errorf("the unknown button assigned the ticket to %q", tk.Assignee)
	}
}

// The thread shows the customer's answer to a quote before what the system
// says it was, in the order they happened.
func TestCustomerMessageBeforeWhatItCaused(t *testing.T) {
	h := newHarness(t, nil)
	paidRepair(h, "v9")
	ch, ts := h.thread("T-1001")
	giveQuote(t, h, ch, ts, "380")
	h.say("v9", "不接受，太贵了")
	eventually(t, "the answer in the thread", func() bool { return len(h.slack.posts("*declined*")) == 1 })
	said := h.slack.posts("太贵了")
	if len(said) != 1 {
		t.Fatalf("the customer's message relayed %d times", len(said))
	}
	if sys := h.slack.posts("*declined*")[0]; sys.TS < said[0].TS {
		t.Errorf("the thread shows %q (ts %s) before the customer's %q (ts %s)", sys.Form.Get("text"), sys.TS, said[0].Form.Get("text"), said[0].TS)
	}
}

// The escalation's countdown follows the clock: the message is updated
// when its text would change (fewer working days left, then overdue), and
// not on every check when nothing changed.
func TestRootCountdownFollowsTheClock(t *testing.T) {
	h := newHarness(t, func(s *config.Slack, _ *slack.Options) { s.SLAInterval = 30 * time.Millisecond })
	loc := h.cfg.Policy.Location()
	h.complaint("v1", "The fridge door is broken") // Wed 25 Nov 10:00: answer due Mon 30 Nov 18:00
	_, ts := h.thread("T-1001")
	if b := h.lastRender("T-1001"); !strings.Contains(b, "answer due Mon 18:00, 3 working days") {
		t.Fatalf("posted without the countdown:\n%s", b)
	}
	updates := func() int {
		n := 0
		for _, u := range h.slack.called("chat.update") {
			if u.Form.Get("ts") == ts {
				n++
			}
		}
		return n
	}
	time.Sleep(200 * time.Millisecond) // several checks
	before := updates()
	time.Sleep(200 * time.Millisecond)
	if n := updates(); n != before {
		t.Errorf("%d updates while nothing changed", n-before)
	}
	h.clock.Set(time.Date(2026, 11, 27, 10, 0, 0, 0, loc)) // Friday
	eventually(t, "1 working day left", func() bool {
		return strings.Contains(h.lastRender("T-1001"), "answer due Mon 18:00, 1 working day")
	})
	h.clock.Set(time.Date(2026, 12, 1, 10, 0, 0, 0, loc)) // Tuesday, after the deadline
	eventually(t, "overdue", func() bool {
		return strings.Contains(h.lastRender("T-1001"), "answer was due Mon 18:00 (overdue)")
	})
	before = updates()
	time.Sleep(200 * time.Millisecond)
	if n := updates(); n != before {
		t.Errorf("%d updates after the breach while nothing changed", n-before)
	}
}

// The escalation's countdown tells a deadline met from one missed: an
// answered complaint, or a repair quoted and waiting for the customer, is
// no "overdue" answer days later.
func TestRootCountdownMetAndStopped(t *testing.T) {
	h := newHarness(t, func(s *config.Slack, _ *slack.Options) { s.SLAInterval = 30 * time.Millisecond })
	loc := h.cfg.Policy.Location()
	paidRepair(h, "v9") // T-1001: quoted, the customer deciding
	ch, ts := h.thread("T-1001")
	giveQuote(t, h, ch, ts, "380")
	h.complaint("v1", "The fridge door is broken") // T-1002: answer due Mon 30 Nov 18:00
	ch2, ts2 := h.thread("T-1002")
	h.mustOK(h.press("c1", "U1", "claim", "T-1002", ch2, ts2))
	h.mustOK(h.threadReply("E1", "U1", ch2, ts2, "We are on it, a technician calls tomorrow."))
	eventually(t, "reply", func() bool { return len(h.outbox()) == 1 })
	h.clock.Set(time.Date(2026, 12, 8, 10, 0, 0, 0, loc)) // after both answer deadlines
	eventually(t, "answer met", func() bool {
		b := h.lastRender("T-1002")
		return strings.Contains(b, "answer met") && !strings.Contains(b, "answer was due")
	})
	eventually(t, "quoted repair answered", func() bool {
		b := h.lastRender("T-1001")
		return strings.Contains(b, "answer met · quote 380 CNY: pending") && !strings.Contains(b, "(overdue)")
	})
}

// A paid installation is quoted from Slack as a repair is: its escalation
// has the Send quote button (the engine takes its quote).
func TestPaidInstallationHasTheQuoteButton(t *testing.T) {
	h := newHarness(t, nil)
	for _, s := range []string{"I need installation for my TV-55X", "88 Wensan Road, Hangzhou", "Friday afternoon", "13800138000", "yes"} {
		h.say("v5", s)
	}
	h.thread("T-1001")
	if tk, err := h.db.Get(context.Background(), "T-1001"); err != nil || tk.Details["installation"] != "paid" {
		t.Fatalf("ticket %+v, %v: want a paid installation", tk, err)
	}
	if root := decoded(h.root("T-1001").Form.Get("blocks")); !strings.Contains(root, `"action_id":"quote"`) {
		t.Errorf("the paid installation's escalation has no Send quote button:\n%s", root)
	}
}

// After a quote is accepted the repair deadline starts again, and so does
// the share of its time used: four of seven working days since the
// acceptance is no "80% gone" (the wait for the customer does not count).
func TestWarningCountsFromTheAcceptance(t *testing.T) {
	h := newHarness(t, func(s *config.Slack, _ *slack.Options) { s.SLAInterval = 30 * time.Millisecond })
	loc := h.cfg.Policy.Location()
	for _, s := range []string{"我的RF-450冰箱漏水", "2026-09-09", "试过了，还是不行", "订单号 SN2026090912", "没有", "没有", "不是", "广州市天河区体育西路1号", "020-88886666", "是"} {
		h.say("v9", s)
	}
	ch, ts := h.thread("T-1001")
	h.clock.Set(time.Date(2026, 12, 1, 10, 0, 0, 0, loc))
	giveQuote(t, h, ch, ts, "380")
	h.clock.Set(time.Date(2026, 12, 4, 18, 30, 0, 0, loc))
	h.say("v9", "接受") // the repair is due 7 working days on: Tue 15 Dec 18:00
	h.clock.Set(time.Date(2026, 12, 11, 10, 0, 0, 0, loc))
	time.Sleep(300 * time.Millisecond) // several checks
	if ps := h.slack.posts("80% of the working time"); len(ps) != 0 {
		t.Errorf("warned four working days into seven: %q", ps[0].Form.Get("text"))
	}
	h.clock.Set(time.Date(2026, 12, 15, 10, 0, 0, 0, loc)) // the last day
	eventually(t, "the 80% warning", func() bool { return len(h.slack.posts("80% of the working time")) == 1 })
}

// An agent who has never acted in Slack (the configured complaint owner,
// one who claimed on the command line) is mentioned in the SLA warnings
// all the same, found by their email, so that Slack notifies them.
func TestWarningMentionsAnAgentNotSeenYet(t *testing.T) {
	h := newHarness(t, func(s *config.Slack, _ *slack.Options) { s.SLAInterval = 30 * time.Millisecond })
	loc := h.cfg.Policy.Location()
	h.complaint("v1", "The fridge door is broken") // answer due Mon 30 Nov 18:00
	h.thread("T-1001")
	if _, err := h.eng.Act(context.Background(), dialog.Action{Kind: dialog.ActClaim, TicketID: "T-1001", Agent: "Grace@Example.com", Channel: "cli"}); err != nil {
		t.Fatal(err)
	}
	h.clock.Set(time.Date(2026, 11, 30, 16, 0, 0, 0, loc))
	eventually(t, "the 80% warning", func() bool { return len(h.slack.posts("80% of the working time")) == 1 })
	if text := h.slack.posts("80% of the working time")[0].Form.Get("text"); !strings.Contains(text, "<@U2>") {
		t.Errorf("warning %q does not mention Grace (U2)", text)
	}
}

// /ticket read as agents type it: an action ("/ticket claim T-1001") is
// answered with where to do it, not "No ticket claim T-1001"; an id with
// the punctuation of a sentence or typed full-width is read; several ids
// show each; words after a subcommand change nothing.
func TestTicketCommandBadArguments(t *testing.T) {
	h := newHarness(t, nil)
	h.complaint("v1", "The fridge door is broken")
	ch, ts := h.thread("T-1001")
	h.complaint("v2", "The washer leaks")
	h.thread("T-1002")
	cases := []struct{ arg, want, not string }{
		{"claim T-1001", "/ticket only looks tickets up: nothing was done. To claim a ticket, press its button on the ticket's message in its channel.\nT-1001: its message is in <#" + ch + "> (ts " + ts + ").", "No ticket"},
		{"resolve 1001", "To resolve a ticket, press its button", "No ticket"},
		{"reply T-1001 hello", "To reply to a ticket, reply in the ticket's thread", "No ticket"},
		{"withdraw T-1001", "To withdraw the quote of a ticket, press its button on the ticket's message", "No ticket"},
		{"claim T-9999", "No ticket T-9999 in Slack.", ""},
		{"T-1001,", "*T-1001* complaint", "No ticket"},
		{"T-１００１", "*T-1001* complaint", "No ticket"},
		{"T-1001 T-1002", "*T-1002* complaint", "No ticket"},
		{"T-1001 T-9999", "No ticket T-9999.", ""},
		{"open T-1002", "*T-1002* complaint", "No ticket"},
		{"mine please", "Your open tickets", "No ticket"},
		{"stats today", "Today", "No ticket"},
		{"list", "No ticket list.", ""},
	}
	for i, tc := range cases {
		h.mustOK(h.command(fmt.Sprint("bad", i), "U1", tc.arg))
		eventually(t, "the answer to "+tc.arg, func() bool { return len(h.slack.responded()) == i+1 })
		text, _ := h.slack.responded()[i]["text"].(string)
		if !strings.Contains(text, tc.want) || tc.not != "" && strings.Contains(text, tc.not) {
			t.Errorf("/ticket %s answered %q, want %q", tc.arg, text, tc.want)
		}
	}
	if tk, _ := h.db.Get(context.Background(), "T-1001"); tk.Assignee != "" {
		t.Errorf("/ticket claim assigned T-1001 to %q", tk.Assignee)
	}
}
