package dialog

import (
	"cmp"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/supportd/supportd/ticketing"
)

// A customer asking how their case stands ("what's the status of T-1001?",
// "我的维修进度怎么样了") is told from the ticket itself: its status and
// what comes next, with the date. Only the customer's own tickets are
// shown: those of the conversation, and those of the customer's other
// conversations on the channel (a new email about a case opened in an
// earlier thread), or, for an email address, the tickets that name it as the
// customer's (a chat whose visitor gave it); a number that is not one of
// them is answered as unknown, so nothing is told about other customers'
// tickets.

// ticketRef finds a ticket number in normalised text: "t-1001", "t1001"
// (the second only beside a status cue: "t2024…" may be an order number).
var ticketRef = regexp.MustCompile(`\bt(-?)([0-9]{4,12})\b`)

// statusCues ask how a case stands.
var statusCues = []string{"进度", "状态", "到哪了", "到哪一步", "怎么样了", "有消息吗", "有结果吗", "查询工单", "查一下工单", "我的工单",
	"什么时候上门", "什么时候来", "什么时候能有结果", "什么时候有结果", "什么时候能修好", "什么时候修好", "多久有结果",
	"status", "progress", "any update", "any news", "where is my", "check on my", "my ticket", "my case", "how is my", "how are my",
	"when will the technician", "when is the technician", "when will someone come", "when will i hear", "when will it be fixed", "when will my",
	"when will someone contact", "when will you contact", "when will someone call", "when will you call", "什么时候联系我", "什么时候有人联系", "什么时候给我打电话"}

// costWords ask what something costs: whole words ("fee", not "feedback";
// "charge", not "charging").
var costWords = regexp.MustCompile(`\b(?:how much|costs?|prices?|fees?|charge[sd]?|pay(?:s|ing)?|paid|free)\b|多少钱|什么价|费用|收费|要钱|免费|花钱|付费|付钱|收钱|价格|价钱`)

// repairCost answers what the customer's repair costs ("how much will it
// cost?" after booking one) from its ticket: free in warranty, the quote
// when there is one, else the estimate. False without an open repair in
// the conversation, or when the message names another product: the
// knowledge base answers that.
func (t *turn) repairCost(text string) bool {
	if len(t.c.Tickets) == 0 || !asksCost(text) || !looksLikeQuestion(text) {
		return false
	}
	for i := len(t.c.Tickets) - 1; i >= 0; i-- {
		tk, err := t.tx.Tickets().Get(t.ctx, t.c.Tickets[i])
		if err != nil || tk.Kind != ticketing.KindRepair || tk.Status == ticketing.StatusClosed || tk.Status == ticketing.StatusCancelled {
			continue
		}
		if t.namesOtherModel(text, tk.Model) {
			return false // "how much is the TV-65X?"
		}
		switch {
		case tk.Quote != nil && tk.Quote.Status == ticketing.QuotePending:
			t.say("cost.quote", "ticket", tk.ID, "amount", t.money(tk.Quote.Amount), "expires", t.when(tk.Quote.ExpiresAt))
		case tk.Warranty != nil && tk.Warranty.Covered:
			t.say("cost.free", "ticket", tk.ID)
		default:
			t.say("cost.paid", append([]string{"ticket", tk.ID}, t.feeArgs()...)...)
		}
		return true
	}
	return false
}

// statusShown is how many open tickets a status answer lists.
const statusShown = 3

// ticketStatus answers a question about the customer's tickets: one named
// by its number, or, asked how things stand ("any update on my repair?"),
// the conversation's open tickets. False when text is not such a question,
// is a complaint, or names no ticket in a conversation that has none.
func (t *turn) ticketStatus(text string) bool {
	n := norm(text)
	asks := containsAny(n, statusCues...)
	id := ticketNamed(n, asks)
	if id == "" && !asks || intentOf(text) == intentComplaint {
		return false // "T-1001 takes forever, unacceptable": a complaint
	}
	mine := t.customerTickets()
	if id == "" && len(mine) == 0 {
		return false // without tickets the knowledge base says how to follow up on a case
	}
	if id != "" {
		if !slices.Contains(mine, id) {
			t.say("status.unknown", "ticket", id)
			return true
		}
		t.sayStatus(id)
		return true
	}
	// "the status of my TV repair": that product's tickets, when it has any.
	var models []string
	for _, m := range t.e.catalog.Models(text) {
		models = append(models, m.Model)
	}
	for _, id := range mine {
		if tk, err := t.tx.Tickets().Get(t.ctx, id); err == nil && tk.Model != "" && !slices.Contains(models, tk.Model) && t.namesProduct(n, tk.Model) {
			models = append(models, tk.Model)
		}
	}
	if !t.listTickets(mine, models) {
		t.listTickets(mine, nil)
	}
	return true
}

// ownTickets is how many of a customer's tickets beyond the conversation's
// a status question looks at, newest first.
const ownTickets = 20

// customerTickets returns the ids of the customer's tickets, oldest first:
// the conversation's, then those of the customer's other conversations on
// the channel and, when the customer is an email address, the tickets that
// name it as the customer's.
func (t *turn) customerTickets() []string {
	c := t.c
	ids := slices.Clone(c.Tickets)
	tks, err := t.tx.Tickets().List(t.ctx, ticketing.Filter{Customer: c.User, Limit: ownTickets})
	if err != nil {
		t.fail(err)
		return ids
	}
	for _, tk := range tks {
		own := tk.Channel == c.Channel && tk.ChannelUser == c.User || strings.Contains(c.User, "@") && strings.EqualFold(tk.Customer.Email, c.User)
		if own && !slices.Contains(ids, tk.ID) {
			ids = append(ids, tk.ID)
		}
	}
	slices.SortFunc(ids, func(a, b string) int { return cmp.Compare(ticketSeq(a), ticketSeq(b)) })
	return ids
}

// ticketSeq is the number of a ticket id ("T-1001": 1001).
func ticketSeq(id string) int64 { return parseSeq(strings.TrimPrefix(id, "T-")) }

// ticketNamed returns the ticket id named in normalised text n, "" when
// none; a number without its hyphen only when the text asks how a case
// stands.
func ticketNamed(n string, asks bool) string {
	if !mayNameTicket(n) {
		return "" // most messages: no need to run the regexp
	}
	m := ticketRef.FindStringSubmatch(n)
	if m == nil || (m[1] != "-" && !asks) {
		return ""
	}
	return ticketing.FormatID(parseSeq(m[2]))
}

// mayNameTicket reports whether normalised text n has a "t" before a digit
// or a hyphen and a digit, as every ticket number has.
func mayNameTicket(n string) bool {
	for i := 0; i < len(n); i++ {
		if n[i] != 't' {
			continue
		}
		j := i + 1
		if j < len(n) && n[j] == '-' {
			j++
		}
		if j < len(n) && n[j] >= '0' && n[j] <= '9' {
			return true
		}
	}
	return false
}

// parseSeq reads the digits of a ticket number (at most 12: no overflow).
func parseSeq(digits string) int64 {
	var n int64
	for _, r := range digits {
		n = n*10 + int64(r-'0')
	}
	return n
}

// namesProduct reports whether normalised text n names model by its kind
// of product: the last word of its English name ("TV", "printer") or the
// last two characters of its Chinese one ("电视", "耳机").
func (t *turn) namesProduct(n, model string) bool {
	p, ok := t.e.pol.Product(model)
	if !ok {
		return false
	}
	var words []string
	if f := strings.Fields(strings.ToLower(p.Name.In("en"))); len(f) > 0 {
		words = append(words, f[len(f)-1])
	}
	if r := []rune(p.Name.In("zh")); len(r) >= 2 {
		words = append(words, string(r[len(r)-2:]))
	}
	return containsAny(n, words...)
}

// listTickets says how the open tickets of ids (oldest first) stand, the
// newest first (at most statusShown), or the latest one when all are done;
// only those of models when it names some. False when none is about them.
func (t *turn) listTickets(ids, models []string) bool {
	shown, latest := 0, ""
	for i := len(ids) - 1; i >= 0 && shown < statusShown; i-- {
		tk, err := t.tx.Tickets().Get(t.ctx, ids[i])
		if err != nil {
			t.fail(err)
			return true
		}
		if len(models) > 0 && !slices.Contains(models, tk.Model) {
			continue
		}
		if latest == "" {
			latest = tk.ID
		}
		if !ticketing.Meets(tk.Status, ticketing.DeadlineResolution) {
			t.sayTicket(tk)
			shown++
		}
	}
	if shown == 0 && latest != "" { // all done: the latest
		t.sayStatus(latest)
	}
	return latest != ""
}

func (t *turn) sayStatus(id string) {
	tk, err := t.tx.Tickets().Get(t.ctx, id)
	if err != nil {
		t.fail(err)
		return
	}
	t.sayTicket(tk)
}

// sayTicket says how one ticket stands and what comes next.
// due says what comes next by a deadline (text key), or, once it has
// passed, that it is late: a date gone by is no promise.
func (t *turn) due(key string, at *time.Time) string {
	if t.now.After(*at) {
		return t.text("status.next.late", "deadline", t.when(at))
	}
	return t.text(key, "deadline", t.when(at))
}

func (t *turn) sayTicket(tk *ticketing.Ticket) {
	what := t.text("kind." + string(tk.Kind))
	if tk.Model != "" {
		what += " " + tk.Model
	}
	next := ""
	switch {
	case tk.Status == ticketing.StatusWaitingCustomer && tk.Quote != nil && tk.Quote.Status == ticketing.QuotePending:
		next = t.text("status.next.quote", "amount", t.money(tk.Quote.Amount), "expires", t.when(tk.Quote.ExpiresAt))
	case ticketing.Meets(tk.Status, ticketing.DeadlineResolution):
	case !ticketing.Meets(tk.Status, ticketing.DeadlineFirstResponse) && tk.Due.FirstResponse != nil:
		next = t.due("status.next.answer", tk.Due.FirstResponse)
		if tk.Due.Onsite != nil && tk.Due.Onsite.After(t.now) {
			sep := " "
			if t.lang() == "zh" {
				sep = "" // Chinese sentences follow each other without a space
			}
			next += sep + t.text("status.next.visit", "deadline", t.when(tk.Due.Onsite)) // "师傅什么时候上门？"
		}
	case tk.Due.Onsite != nil && tk.Due.Onsite.After(t.now):
		next = t.text("status.next.visit", "deadline", t.when(tk.Due.Onsite))
	case tk.Due.Resolution != nil:
		next = t.due("status.next.done", tk.Due.Resolution)
	}
	t.sayText(strings.TrimSpace(t.text("status.ticket", "ticket", tk.ID, "what", what, "status", t.text("status."+string(tk.Status)), "next", next)))
}
