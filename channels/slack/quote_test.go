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
