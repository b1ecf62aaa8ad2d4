package slack_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/supportd/supportd/ticketing"
)

// A quote submitted again as it was (the modal sent twice, or opened twice)
// while the customer decides on it reaches the customer once: the modal
// says so, and a second submission that got past it (queued before the
// first was done) is told to the agent. A new price is a new quote.
func TestSameQuoteTwiceReachesTheCustomerOnce(t *testing.T) {
	h := newHarness(t, nil)
	paidRepair(h, "v9")
	ch, ts := h.thread("T-1001")
	giveQuote(t, h, ch, ts, "380")
	quotes := func(amount string) (n int) {
		for _, m := range h.pending() {
			if strings.Contains(m.Text, "维修报价："+amount+" 元") {
				n++
			}
		}
		return n
	}
	body := h.submitQuote("again", "U1", "T-1001", ch, ts, "380", "更换主板 含配件")
	if !strings.Contains(body, `"response_action":"errors"`) || !strings.Contains(body, "Not sent again: the customer has this quote of 380 CNY already") {
		t.Errorf("the same quote again: the modal answered %s", body)
	}
	// One that got past the modal: the worker refuses it too.
	if _, err := h.db.SlackEnqueue(context.Background(), "interaction:late", "interaction", []byte(`{"type":"view_submission","trigger_id":"late","user":{"id":"U1"},
		"view":{"callback_id":"supportd_quote","private_metadata":"{\"t\":\"T-1001\",\"c\":\"`+ch+`\",\"ts\":\"`+ts+`\"}","state":{"values":{
		"amount":{"amount":{"type":"plain_text_input","value":"380"}},"note":{"note":{"type":"plain_text_input","value":"更换主板 含配件"}}}}}}`), time.Now()); err != nil {
		t.Fatal(err)
	}
	h.toldTo("U1", "T-1001: the customer has this quote of 380 CNY already, waiting for their answer: it was not sent again.")
	if n := quotes("380"); n != 1 {
		t.Errorf("the customer read the quote of 380 %d times", n)
	}
	if n := len(h.slack.posts("Quote of 380 CNY sent")); n != 1 {
		t.Errorf("%d thread notices of the quote of 380", n)
	}
	if body := h.submitQuote("new", "U1", "T-1001", ch, ts, "420", "更换主板 含配件"); body != "" {
		t.Errorf("a new price: the modal answered %s", body)
	}
	eventually(t, "the new price", func() bool { return quotes("420") == 1 })
	if tk, _ := h.db.Get(context.Background(), "T-1001"); tk.Quote.Amount != 42000 || tk.Quote.Status != ticketing.QuotePending {
		t.Errorf("quote %s %s", tk.Quote.Amount, tk.Quote.Status)
	}
}

// Hand back pressed while a quote waits for the customer's answer (the
// button of a message not yet updated) changes nothing and tells the agent
// why in their words: the bot has the conversation and reads the answer.
// The customer's acceptance then reaches the thread.
func TestHandbackWhileAQuoteAwaitsConsent(t *testing.T) {
	h := newHarness(t, nil)
	paidRepair(h, "v9")
	ch, ts := h.thread("T-1001")
	h.claimAndReply("T-1001", "U1", ch, ts, "Hello, I am checking the price", 1)
	giveQuote(t, h, ch, ts, "380")
	eventually(t, "the escalation saying the quote waits", func() bool {
		return strings.Contains(h.lastRender("T-1001"), `"text":"T-1001 · repair · quote sent, waiting for the customer's answer"`)
	})
	before := len(h.pending())
	h.mustOK(h.press("hb", "U1", "handback", "T-1001", ch, ts))
	told := h.toldTo("U1", "Nothing to hand back")
	if !strings.Contains(told, "waiting for the customer's answer to the quote of 380 CNY") || strings.Contains(told, "invalid agent action") {
		t.Errorf("the agent was told %q", told)
	}
	if got := h.pending()[before:]; len(got) != 0 {
		t.Errorf("the customer got %+v", got)
	}
	if res := h.say("v9", "接受"); len(res.Replies) == 0 {
		t.Error("the bot did not read the customer's answer")
	}
	eventually(t, "the acceptance in the thread", func() bool { return len(h.slack.posts("*accepted*")) == 1 })
	if n := len(h.slack.posts("Handed back")); n != 0 {
		t.Errorf("%d hand-back notices", n)
	}
}

// The customer declines the quote, which closes the ticket without work;
// the agent pressing Resolve then is told so, and the customer hears
// nothing more. Send quote on the closed ticket's old message opens no
// form and says why.
func TestDeclinedQuoteThenResolveAndQuote(t *testing.T) {
	h := newHarness(t, nil)
	paidRepair(h, "v9")
	ch, ts := h.thread("T-1001")
	giveQuote(t, h, ch, ts, "380")
	h.say("v9", "不接受")
	eventually(t, "the decline in the thread", func() bool { return len(h.slack.posts("*declined*")) == 1 })
	eventually(t, "the escalation saying so", func() bool {
		return strings.Contains(h.lastRender("T-1001"), `"text":"T-1001 · repair · quote declined"`)
	})
	before := len(h.pending())
	h.mustOK(h.press("r", "U1", "resolve", "T-1001", ch, ts))
	h.toldTo("U1", "T-1001 is closed already: nothing was done. The customer's quote of 380 CNY is declined, which closed it without work.")
	opened := len(h.slack.called("views.open"))
	h.mustOK(h.press("q2", "U1", "quote", "T-1001", ch, ts))
	h.toldTo("U1", "Not possible: T-1001 is closed: a finished ticket takes no quote.")
	if n := len(h.slack.called("views.open")); n != opened {
		t.Errorf("the quote form opened on a closed ticket")
	}
	if got := h.pending()[before:]; len(got) != 0 {
		t.Errorf("the customer got %+v", got)
	}
	if tk, _ := h.db.Get(context.Background(), "T-1001"); tk.Status != ticketing.StatusClosed || tk.Quote.Status != ticketing.QuoteDeclined {
		t.Errorf("T-1001 %s, quote %s", tk.Status, tk.Quote.Status)
	}
}

// A customer who asks a question instead of answering the quote ("does the
// price include the visit?") reaches the assignee by name: the ticket lists
// as waiting for the customer, its deadlines stopped, and nobody watches
// its thread. The assignee's answer reaches the customer, the quote stays
// open, and the customer's later acceptance counts; their answer itself
// mentions nobody.
func TestQuestionInsteadOfQuoteAnswerReachesTheAssignee(t *testing.T) {
	h := newHarness(t, nil)
	paidRepair(h, "v9")
	ch, ts := h.thread("T-1001")
	h.mustOK(h.press("c", "U1", "claim", "T-1001", ch, ts))
	giveQuote(t, h, ch, ts, "380")
	h.say("v9", "这个价格包括上门费吗？")
	var relayed string
	eventually(t, "the question in the thread", func() bool {
		p := h.slack.posts("这个价格包括上门费吗")
		if len(p) == 1 {
			relayed = p[0].Form.Get("text")
		}
		return len(p) == 1
	})
	if !strings.Contains(relayed, "<@U1> the customer wrote instead of answering the quote of 380 CNY of T-1001, which still waits for their answer") {
		t.Errorf("the question was relayed as %q", relayed)
	}
	h.mustOK(h.threadReply("E1", "U1", ch, ts, "包括上门费"))
	eventually(t, "the answer", func() bool { return len(h.outbox()) == 1 })
	if tk, _ := h.db.Get(context.Background(), "T-1001"); tk.Quote.Status != ticketing.QuotePending || tk.Status != ticketing.StatusWaitingCustomer {
		t.Errorf("after the answer: %s, quote %s", tk.Status, tk.Quote.Status)
	}
	h.say("v9", "好的，接受")
	eventually(t, "the acceptance in the thread", func() bool { return len(h.slack.posts("*accepted*")) == 1 })
	if p := h.slack.posts("好的，接受"); len(p) != 1 || strings.Contains(p[0].Form.Get("text"), "<@U1>") {
		t.Errorf("the acceptance was relayed as %+v", p)
	}
	if tk, _ := h.db.Get(context.Background(), "T-1001"); tk.Quote.Status != ticketing.QuoteAccepted {
		t.Errorf("the quote is %s", tk.Quote.Status)
	}
}

// The agent withdraws a quote the customer has not answered (Withdraw
// quote, confirmed in Slack): the customer is told in their language that
// it no longer applies and that a new one may follow; the withdrawal is in
// the ticket's history, the ticket is worked on again and its thread says
// so. A second press withdraws nothing. The customer's later "接受" is no
// consent: it reaches the thread, and the customer is told there is nothing
// to answer until the new quote. A new quote replaces the withdrawn one,
// and its acceptance counts.
func TestWithdrawPendingQuote(t *testing.T) {
	h := newHarness(t, nil)
	ctx := context.Background()
	paidRepair(h, "v9")
	ch, ts := h.thread("T-1001")
	giveQuote(t, h, ch, ts, "380")
	eventually(t, "the Withdraw quote button, its confirmation giving the amount in its currency", func() bool {
		r := h.lastRender("T-1001")
		return strings.Contains(r, `"action_id":"withdraw_quote"`) && strings.Contains(r, "the quote of 380 CNY of T-1001 no longer applies")
	})
	before := len(h.pending())
	h.mustOK(h.press("w1", "U1", "withdraw_quote", "T-1001", ch, ts))
	h.mustOK(h.press("w2", "U1", "withdraw_quote", "T-1001", ch, ts))
	eventually(t, "the thread notice", func() bool { return len(h.slack.posts("Quote of 380 CNY withdrawn by <@U1>")) == 1 })
	h.toldTo("U1", "Nothing to withdraw: the quote of 380 CNY for T-1001 is withdrawn.")
	var told []string
	for _, m := range h.pending()[before:] {
		told = append(told, m.Text)
	}
	if len(told) != 1 || !strings.Contains(told[0], "工单 T-1001 的报价已撤回，不再有效") {
		t.Errorf("the customer got %q", told)
	}
	tk, err := h.db.Get(ctx, "T-1001")
	if err != nil {
		t.Fatal(err)
	}
	if tk.Quote.Status != ticketing.QuoteWithdrawn || tk.Status != ticketing.StatusInProgress {
		t.Errorf("T-1001 %s, quote %s", tk.Status, tk.Quote.Status)
	}
	evs, err := h.db.Events(ctx, "T-1001")
	if err != nil {
		t.Fatal(err)
	}
	withdrawn := 0
	for _, ev := range evs {
		if ev.Note == "quote withdrawn: withdrawn in Slack" && ev.Actor == "agent:frank@example.com" && ev.Channel == "slack" {
			withdrawn++
		}
	}
	if withdrawn != 1 {
		t.Errorf("%d withdrawal events in %+v", withdrawn, evs)
	}

	// The customer's "yes" to the withdrawn quote is no consent, and is
	// answered.
	before = len(h.pending())
	h.say("v9", "接受")
	eventually(t, "the customer's words in the thread", func() bool { return len(h.slack.posts("💬 *Customer:* 接受")) == 1 })
	if tk, _ := h.db.Get(ctx, "T-1001"); tk.Quote.Status != ticketing.QuoteWithdrawn || tk.Status != ticketing.StatusInProgress {
		t.Errorf("after the customer's yes: T-1001 %s, quote %s", tk.Status, tk.Quote.Status)
	}
	if got := h.pending()[before:]; len(got) != 1 || !strings.Contains(got[0].Text, "工单 T-1001 的这份报价已撤回，暂时无需答复") {
		t.Errorf("the customer got %+v, want to be told the quote was withdrawn", got)
	}
	if n := len(h.slack.posts("*accepted*")); n != 0 {
		t.Errorf("%d acceptances posted", n)
	}

	// A new quote replaces it, and is accepted.
	if body := h.submitQuote("q2", "U1", "T-1001", ch, ts, "350", "更换主板 含配件"); body != "" {
		t.Fatalf("the new quote: the modal answered %s", body)
	}
	eventually(t, "the new quote", func() bool {
		tk, _ := h.db.Get(ctx, "T-1001")
		return tk.Quote.Status == ticketing.QuotePending && tk.Quote.Amount == 35000
	})
	h.say("v9", "接受")
	eventually(t, "the acceptance in the thread", func() bool { return len(h.slack.posts("*accepted*")) == 1 })
	if tk, _ := h.db.Get(ctx, "T-1001"); tk.Quote.Status != ticketing.QuoteAccepted || tk.Quote.Amount != 35000 {
		t.Errorf("T-1001 quote %s %s", tk.Quote.Amount, tk.Quote.Status)
	}
}
