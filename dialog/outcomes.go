package dialog

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/supportd/supportd/dialog/extract"
	"github.com/supportd/supportd/policy"
	"github.com/supportd/supportd/ticketing"
)

// policyCase builds the policy case from the slots. last picks the day used
// when only the week, month or year of purchase is known: the first or the
// last.
func (t *turn) policyCase(last bool) (policy.Case, error) {
	p, err := policy.ParseDate(t.val(slotPurchased))
	if err != nil {
		return policy.Case{}, err
	}
	switch t.c.Slots[slotPurchased].Precision {
	case "month":
		if last {
			p = p.AddDate(0, 1, -1)
		}
	case "year":
		if last {
			p = p.AddDate(1, 0, -1)
		}
	case "week":
		if last {
			p = p.AddDate(0, 0, 6)
		}
	}
	if p.After(t.today) {
		p = t.today
	}
	pc := policy.Case{
		Model: t.val(slotModel), Purchased: p, Today: t.today, HasProof: t.val(slotProof) != "none",
		Packaging: policy.PackagingIntact, Region: t.region(),
	}
	if t.val(slotPackaging) == "damaged" {
		pc.Packaging = policy.PackagingDamaged
	}
	pc.CardMismatch, pc.CardAltered = t.val(slotCard) == "mismatch", t.val(slotCard) == "altered"
	if t.val(slotMisuse) == "yes" {
		pc.Exclusions = append(pc.Exclusions, policy.Misuse)
	}
	if t.val(slotOpened) == "yes" {
		pc.Exclusions = append(pc.Exclusions, policy.UnauthorizedRepair)
	}
	if t.val(slotConsumable) == "yes" {
		pc.Exclusions = append(pc.Exclusions, policy.Consumable)
	}
	if t.val(slotForce) == "yes" {
		pc.Exclusions = append(pc.Exclusions, policy.ForceMajeure)
	}
	if prev := t.val(slotPrevious); prev != "" {
		// A fault that came back: the parts its repair replaced carry their
		// own warranty (§3.3.5).
		if tk, err := t.tx.Tickets().Get(t.ctx, prev); err == nil {
			if ends, err := policy.ParseDate(tk.Details["parts_warranty_ends"]); err == nil {
				pc.PartsWarrantyEnds = ends
			}
		}
	}
	return pc, nil
}

// decide applies the policy. When only the month (or year) of purchase is
// known and the outcome depends on the day, ok is false and the exact date is
// asked for.
func (t *turn) decide() (d policy.Decision, ok bool) {
	first, err := t.policyCase(false)
	if err != nil {
		t.fail(err)
		return d, false
	}
	d, err = t.e.pol.Decide(first)
	if err != nil {
		t.fail(err)
		return d, false
	}
	if t.c.Slots[slotPurchased].Precision == "relative" && journey(t.c.State) == "return" {
		// A day counted back from today ("a week ago", "上周三买的") may be
		// a day off: on the edge of a window, where the day before or
		// after would change the options, it is confirmed first (§3.4
		// counts from the sale date on the proof of purchase).
		for _, shift := range []int{-1, 1} {
			pc := first
			pc.Purchased = first.Purchased.AddDate(0, 0, shift)
			if pc.Purchased.After(t.today) {
				continue
			}
			ds, err := t.e.pol.Decide(pc)
			if err != nil {
				t.fail(err)
				return d, false
			}
			if strings.Join(optionStrings(ds.Returns.Options), ",") != strings.Join(optionStrings(d.Returns.Options), ",") {
				return d, false
			}
		}
		return d, true
	}
	if t.c.Slots[slotPurchased].Precision != "" {
		lastCase, _ := t.policyCase(true)
		dl, err := t.e.pol.Decide(lastCase)
		if err != nil {
			t.fail(err)
			return d, false
		}
		// A repair turns on the warranty; a return on its options too.
		options := journey(t.c.State) == "return" && strings.Join(optionStrings(dl.Returns.Options), ",") != strings.Join(optionStrings(d.Returns.Options), ",")
		if dl.Warranty.Covered != d.Warranty.Covered || options {
			return d, false
		}
	}
	return d, true
}

func optionStrings(os []policy.Option) []string {
	out := make([]string, len(os))
	for i, o := range os {
		out[i] = string(o)
	}
	return out
}

// needExactDate asks for the day of purchase when the month is not enough.
func (t *turn) needExactDate() {
	c := t.c
	delete(c.Slots, slotPurchased)
	if journey(c.State) == "repair" && c.State != RepairCollect {
		t.fire(evAmend)
	}
	c.Asking = slotPurchased
	t.ask("ask.exact_date", nil)
}

// region finds a configured on-site region in the address.
func (t *turn) region() string { return t.regionOf(t.val(slotAddress)) }

// regionOf returns the service region of an address, "" when it is in none.
func (t *turn) regionOf(addr string) string {
	addr = strings.ToLower(addr)
	if addr == "" {
		return ""
	}
	for r := range t.e.pol.SLA.OnsiteVisit.Regions {
		if strings.Contains(addr, strings.ToLower(r)) || (regionNames[r] != "" && strings.Contains(addr, regionNames[r])) {
			return r
		}
	}
	for r := range t.e.pol.SLA.OnsiteVisit.Regions {
		if containsAny(addr, regionDistricts[r]...) {
			return r // "浦东新区世纪大道100号": Shanghai without its name
		}
	}
	return ""
}

// regionDistricts are districts that name their city alone (no other city
// has a district of that name), for addresses written without the city.
var regionDistricts = map[string][]string{
	"shanghai": {"浦东新区", "徐汇区", "静安区", "黄浦区", "长宁区", "虹口区", "杨浦区", "闵行区", "嘉定区", "松江区", "青浦区", "奉贤区", "崇明区", "金山区"},
	"beijing":  {"海淀区", "丰台区", "石景山区", "门头沟区", "房山区", "顺义区", "昌平区", "大兴区", "怀柔区", "平谷区", "密云区", "延庆区"},
}

// regionNames are the Chinese names of common region ids.
var regionNames = map[string]string{
	"beijing": "北京", "shanghai": "上海", "guangzhou": "广州", "shenzhen": "深圳", "tianjin": "天津", "chongqing": "重庆",
	"hangzhou": "杭州", "nanjing": "南京", "chengdu": "成都", "wuhan": "武汉", "xian": "西安", "suzhou": "苏州",
}

// warrantyText explains the warranty decision with its dates.
func (t *turn) warrantyText(d policy.Decision) string {
	purchased := t.slotText(slotPurchased)
	w := d.Warranty
	kv := []string{"purchased", purchased, "months", strconv.Itoa(w.Months), "ends", t.dateText(w.Ends), "previous", t.val(slotPrevious)}
	s := t.text("warranty."+string(w.Reason), kv...)
	if w.Covered && (t.val(slotMisuse) == "unknown" || t.val(slotOpened) == "unknown" || t.val(slotConsumable) == "unknown") {
		s += t.text("warranty.if_inspected")
	}
	return s
}

// decideRepair makes the warranty decision and books the repair or offers a
// paid one.
func (t *turn) decideRepair() {
	d, ok := t.decide()
	if !ok {
		if t.err == nil {
			t.needExactDate()
		}
		return
	}
	t.sayText(t.warrantyText(d))
	if !d.Warranty.Covered {
		t.fire(evPaid)
		t.offerPaid()
		return
	}
	if r, p := d.Returns, t.c.Slots[slotPurchased].Precision; (p == "" || p == "relative") && t.val(slotOption) != string(policy.OptRepair) &&
		(r.Offers(policy.OptReturn) || r.Offers(policy.OptExchange)) {
		// Within the return or exchange window the customer chooses
		// (§3.4): a return or an exchange instead of the repair they
		// asked for, or the repair. Not for a purchase known by its week
		// or month only: a repair needs no exact day, and is not held
		// up for one.
		t.set(slotFromRepair, "yes", "")
		t.fire(evToReturn)
		t.offerOptions()
		return
	}
	t.bookRepair(d)
}

// bookRepair files the free repair decided.
func (t *turn) bookRepair(d policy.Decision) {
	tk := t.newTicket(ticketing.KindRepair, d)
	tk.Due.FirstResponse = t.deadline(t.e.pol.SLA.FirstResponse)
	tk.Due.Resolution = t.deadline(t.e.pol.SLA.Repair)
	if d.ServiceMode == policy.Onsite {
		tk.Due.Onsite = t.deadline(d.OnsiteDays)
	}
	if !t.createTicket(tk, "repair in warranty") {
		return
	}
	t.fire(evBooked)
	if d.ServiceMode == policy.Onsite {
		t.say("repair.booked_onsite", "ticket", tk.ID, "visit", t.when(tk.Due.Onsite), "repair", strconv.Itoa(t.e.pol.SLA.Repair))
		t.noteVisitWish(tk.ID, true)
	} else {
		t.say("repair.booked_mailin", "ticket", tk.ID, "contact", t.when(tk.Due.FirstResponse), "repair", strconv.Itoa(t.e.pol.SLA.Repair))
	}
	t.replaceBooked(tk.ID)
	t.say("anything_else")
}

// offerPaid tells the estimate and asks for consent.
func (t *turn) offerPaid() {
	t.ask("repair.paid_offer", t.yesNoChoices(), t.feeArgs()...)
}

// consentAnswer: does the customer want the paid repair?
func (t *turn) consentAnswer(text string, att []Attachment) {
	yn := yesNo(text)
	if yn == 0 && tooExpensive(text) {
		yn = -1
	}
	if yn == 0 {
		yn = agrees(text) // "fine", "fine by me", "fine, repair it"
	}
	switch yn {
	case 1:
		d, ok := t.decide()
		if !ok {
			t.needExactDate()
			return
		}
		tk := t.newTicket(ticketing.KindRepair, d)
		tk.Due.FirstResponse = t.deadline(t.e.pol.SLA.FirstResponse)
		tk.Details["estimate"] = d.Estimate.String()
		if !t.createTicket(tk, "paid repair: waiting for the quote") {
			return
		}
		t.fire(evConsent)
		t.handoff(tk.ID, "quote")
		t.say("repair.quote_requested", "ticket", tk.ID, "deadline", t.when(tk.Due.FirstResponse))
		t.noteVisitWish(tk.ID, true)
		t.replaceBooked(tk.ID)
	case -1:
		t.fire(evRefuse)
		t.clearJourney()
		t.say("repair.paid_declined")
	default:
		if ventsOnly(text) && !t.otherProduct(text) {
			// "this is ridiculous, my TV-55X now shows a black screen" at
			// the paid offer: sorry, and the offer's question again.
			t.ventedAck()
			t.ask("repair.paid_again", t.yesNoChoices())
			return
		}
		// A correction ("actually I bought it in May") re-runs the decision.
		f := t.fill("repair", text, att)
		if len(f.changed) > 0 {
			for _, s := range f.changed {
				t.say("updated", "what", t.slotLabel(s), "value", t.slotText(s))
			}
			t.c.State = RepairConfirm
			t.decideRepair()
			return
		}
		if n := norm(text); containsAny(n, includesCues...) && containsAny(n, chargedParts...) {
			// "does the estimate include parts?": what the estimate covers,
			// and what the quote will.
			t.say("repair.estimate_includes", t.feeArgs()...)
			t.ask("repair.paid_again", t.yesNoChoices())
			return
		}
		if asksCost(text) || t.sideQuestion(text) { // "要多少钱": the offer says it
			t.offerPaid()
			return
		}
		t.miss()
	}
}

// otherProduct reports whether text names a model other than the form's.
func (t *turn) otherProduct(text string) bool {
	m := t.exactModel(text)
	return m != "" && m != t.val(slotModel)
}

// tooExpensive reports a price turned down ("太贵了", "too expensive", "不修了").
func tooExpensive(text string) bool {
	return containsAny(norm(text), "太贵", "贵了", "不修了", "不值", "不划算", "too expensive", "too much", "not worth", "can't afford",
		"cannot afford", "don't want to pay", "do not want to pay", "not paying", "no way")
}

// asksCost reports a question about the price ("要多少钱", "how much?").
func asksCost(text string) bool { return costWords.MatchString(norm(text)) }

// goAhead reports words that let a quoted repair go ahead ("fine, go
// ahead with the 380", "ok, do it", "行吧，修吧", "那就修吧"), none of them
// denied.
func goAhead(n string) bool {
	return containsAny(n, "go ahead", "do it", "fix it", "repair it", "proceed", "修吧", "那就修", "修一下吧", "可以修", "同意维修") &&
		!containsAny(n, "don't", "do not", "not ", "no ", "不修", "别修", "不要修", "不用修", "不想修")
}

// askQuote presents the agent's quote.
func (t *turn) askQuote() {
	tk := t.quoted()
	if tk == nil {
		return
	}
	note := ""
	if tk.Quote.Note != "" {
		note = "\n" + tk.Quote.Note
	}
	t.ask("quote.offer", t.quoteChoices(tk.ID), "ticket", tk.ID, "amount", t.money(tk.Quote.Amount), "note", note, "expires", t.when(tk.Quote.ExpiresAt))
}

// askQuoteChoice asks again only whether the customer accepts the quote,
// after a question about it was answered: the quote itself was shown.
func (t *turn) askQuoteChoice() {
	if tk := t.quoted(); tk != nil {
		t.ask("quote.choice", t.quoteChoices(tk.ID), "ticket", tk.ID, "amount", t.money(tk.Quote.Amount))
	}
}

// quoted returns the ticket whose quote the conversation waits on (nil,
// failing the turn, when it has none).
func (t *turn) quoted() *ticketing.Ticket {
	tk, err := t.tx.Tickets().Get(t.ctx, t.c.TicketID)
	if err != nil || tk.Quote == nil {
		t.fail(fmt.Errorf("quote of ticket %s: %v", t.c.TicketID, err))
		return nil
	}
	return tk
}

func (t *turn) quoteChoices(id string) []Choice {
	return []Choice{t.choice("quote:accept:"+id, "choice.accept"), t.choice("quote:decline:"+id, "choice.decline")}
}

// cheaperCues ask for a lower price ("can it be cheaper?", "能便宜点吗").
var cheaperCues = []string{"cheaper", "discount", "lower price", "lower the price", "reduce the price", "better price", "price down",
	"less expensive", "便宜", "优惠", "打折", "打个折", "折扣", "降价", "降点", "少点", "少一点", "少收", "减免"}

// priceAsked handles a request for a lower price during a quote: the
// question goes on the ticket as a note for the engineer, and the customer
// is told so. With a go-ahead beside it ("ok go ahead, but can it be
// cheaper?", "行，修吧，不过能便宜点吗？") the quote is accepted; without one
// it stays open and its choice is asked again. False when text asks no
// such thing.
func (t *turn) priceAsked(id, text string) bool {
	if !containsAny(norm(text), cheaperCues...) {
		return false
	}
	var rest []string // what the message says beside the price question
	for _, s := range sentences(text) {
		for _, cl := range clauseBreak.Split(s, -1) {
			if !containsAny(norm(cl), cheaperCues...) {
				rest = append(rest, cl)
			}
		}
	}
	other := strings.Join(rest, ", ")
	yes, _ := quoteWords(other)
	consent := yes == 1 || yesNo(other) == 1 || goAhead(norm(other))
	t.fail(t.tx.Tickets().AddNote(t.ctx, id, t.by("customer", ""), "the customer asks for a lower price: "+t.typed))
	t.touch(id)
	if consent {
		if t.answerQuote(id, 1) {
			t.fire(evAccept)
		}
		t.say("quote.price_asked", "ticket", id)
		return true
	}
	t.say("quote.price_asked", "ticket", id)
	t.askQuoteChoice()
	return true
}

// includesCues ask whether a price includes something; chargedParts name
// what a repair is charged for.
var (
	includesCues = []string{"include", "includes", "included", "including", "inclusive", "extra", "on top", "包含", "包括", "含", "另外", "另收", "额外", "算在"}
	chargedParts = []string{"part", "parts", "labour", "labor", "inspection", "service", "配件", "零件", "零部件", "人工", "检测", "服务费"}
)

// quoteQuestion answers a question asked at the quote: what it includes
// ("does the quote include parts?"), what it comes to and until when, or anything the
// knowledge base answers; false when text asks nothing.
func (t *turn) quoteQuestion(text string) bool {
	n := norm(text)
	if containsAny(n, includesCues...) && containsAny(n, chargedParts...) {
		// The quote is the repair's price: the parts and the service in it.
		if tk := t.quoted(); tk != nil {
			t.say("quote.includes", "ticket", tk.ID, "amount", t.money(tk.Quote.Amount))
		}
		return true
	}
	if asksCost(text) || containsAny(n, "valid", "expire", "expires", "有效", "过期", "截止") {
		if tk := t.quoted(); tk != nil {
			t.say("cost.quote", "ticket", tk.ID, "amount", t.money(tk.Quote.Amount), "expires", t.when(tk.Quote.ExpiresAt))
		}
		return true
	}
	return t.sideQuestion(text)
}

// quoteAnswer: the customer accepts or declines the quote. Anything else
// that is a request of its own ("I want to repair my SB-200") goes ahead,
// and the quote stays open to be answered later (quoteReply).
func (t *turn) quoteAnswer(text string, att []Attachment) {
	id := t.c.TicketID
	yn, named := quoteWords(text)
	if named != "" && named != id {
		t.quoteReply(text) // the quote of another ticket
		return
	}
	if yn == 0 {
		yn = yesNo(text)
	}
	complaint := t.requestOf(text) == intentComplaint // "this is ridiculous, my SB-200 now crackles" is another repair
	if yn == 0 && !complaint && t.priceAsked(id, text) {
		return // "ok go ahead, but can it be cheaper?": a question for the engineer
	}
	if yn == 0 && tooExpensive(text) && !complaint {
		yn = -1 // "太贵了，不修了"; "太贵了，坑人，我要投诉" is a complaint, the quote left open
	}
	if yn == 0 && !complaint && !looksLikeQuestion(text) && goAhead(norm(text)) {
		yn = 1 // "fine, go ahead with the 380", "行吧，修吧"
	}
	switch yn {
	case 1:
		if t.answerQuote(id, 1) {
			t.fire(evAccept)
		}
	case -1:
		t.answerQuote(id, -1)
		t.fire(evRefuse)
		t.clearJourney()
	default:
		if !complaint && t.quoteQuestion(text) {
			t.askQuoteChoice() // the quote was shown: only its choice again
			return
		}
		if complaint || t.otherRequest(text) || intentOf(text) != intentNone {
			tk, err := t.tx.Tickets().Get(t.ctx, id)
			if err != nil {
				t.fail(err)
				return
			}
			t.fire(evCancel)
			t.clearJourney()
			t.say("quote.still_open", "ticket", id, "expires", t.when(tk.Quote.ExpiresAt))
			if complaint {
				t.start(intentComplaint, text, att) // a question in it ("电源板不是才一百多吗？") is no question for the knowledge base
				return
			}
			t.idle(text, att)
			return
		}
		t.miss()
	}
}

// answerQuote accepts (yn 1) or declines (-1) the quote of ticket id and
// tells the customer; false when it could not be recorded.
func (t *turn) answerQuote(id string, yn int) bool {
	if yn < 0 {
		t.closeQuote(id, ticketing.QuoteDeclined, "customer", "quote declined: closed without work")
		t.say("quote.declined", "ticket", id)
		return t.err == nil
	}
	tk := t.updateTicket(id, "customer", "quote accepted", func(tk *ticketing.Ticket) error {
		if tk.Quote == nil {
			return fmt.Errorf("ticket %s has no quote", id)
		}
		tk.Quote.Status = ticketing.QuoteAccepted
		tk.Quote.AcceptedAt = ptrTime(t.now.UTC())
		tk.Due.Resolution = t.deadline(t.e.pol.SLA.Repair)
		return nil
	})
	if tk == nil {
		return false
	}
	t.advance(id, ticketing.StatusInProgress, "customer", "repair starts after the quote was accepted")
	t.dropTimer("quote_expiry", id)
	t.say("quote.accepted", "ticket", id, "deadline", t.when(tk.Due.Resolution))
	return true
}

// quoteWords reads an explicit answer to a quote: the quote's buttons
// ("quote:accept:T-1001") or the words on them, typed ("accept", "decline
// T-1001", "接受报价"), with the ticket named when it is. 0 for anything
// else, a bare "yes" included: that may answer another question.
func quoteWords(text string) (yn int, ticket string) {
	if v, ok := strings.CutPrefix(text, "quote:"); ok {
		verb, id, _ := strings.Cut(v, ":")
		switch verb {
		case "accept":
			return 1, id
		case "decline":
			return -1, id
		}
		return 0, ""
	}
	n := norm(text)
	if id := ticketNamed(n, true); id != "" {
		ticket, n = id, strings.TrimSpace(ticketRef.ReplaceAllString(n, ""))
	}
	// "ok I accept the quote", "好的，我接受": the words around an answer.
	// "hmm ok fine, I accept", "嗯，好吧，我接受": as many as come.
	for trimmed := true; trimmed; {
		trimmed = false
		for _, lead := range quoteLeads {
			if r, ok := strings.CutPrefix(n, lead); ok {
				n, trimmed = strings.TrimSpace(r), true
			}
		}
	}
	n = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(n, " then"), "吧"))
	switch n {
	case "accept", "i accept", "accept it", "accept the quote", "accept quote", "yes, i accept", "yes i accept", "i accept the quote",
		"接受", "接受报价", "我接受", "同意报价":
		return 1, ticket
	case "decline", "i decline", "decline it", "decline the quote", "decline quote", "reject", "不接受", "不接受报价", "拒绝", "拒绝报价":
		return -1, ticket
	}
	return 0, ""
}

// quoteLeads are the words before an answer to a quote that do not change it.
var quoteLeads = []string{"ok ", "ok, ", "okay ", "okay, ", "fine, ", "fine ", "hmm ", "hmm, ", "hm ", "hm, ", "well ", "well, ", "alright ",
	"alright, ", "all right, ", "so ", "then ", "好的，", "好的,", "好，", "行，", "那就", "嗯，", "嗯,", "嗯", "好吧，", "好吧,", "行吧，", "那"}

// quoteReply answers a quote the customer accepts or declines outside the
// quote's own question (it came while they were in another form, or they
// moved on): the named ticket's, or the only pending one. False when text
// is no such answer, or no quote waits.
func (t *turn) quoteReply(text string) bool {
	yn, id := quoteWords(text)
	if yn == 0 {
		return false
	}
	pending, expired, _ := t.quotes()
	if len(pending) == 0 && expired != "" && (id == "" || id == expired) {
		t.say("quote.expired", "ticket", expired) // "yes, I accept" a week too late
		return true
	}
	if w := t.withdrawnAnswered(text); w != "" {
		t.answerWithdrawn(w, text)
		return true
	}
	switch {
	case id != "" && !slices.Contains(pending, id):
		return false
	case id == "" && len(pending) != 1:
		return false
	case id == "":
		id = pending[0]
	}
	t.answerQuote(id, yn)
	if t.c.State == RepairQuote && t.c.TicketID == id {
		if yn > 0 {
			t.fire(evAccept)
		} else {
			t.fire(evRefuse)
			t.clearJourney()
		}
		return true
	}
	t.reprompt() // back to the question the customer was answering
	return true
}

// quotes returns the conversation's tickets whose quote waits for the
// customer's answer, the last whose quote expired, and the last still open
// whose quote was withdrawn ("" when none).
func (t *turn) quotes() (pending []string, expired, withdrawn string) {
	for _, tid := range t.c.Tickets {
		tk, err := t.tx.Tickets().Get(t.ctx, tid)
		if err != nil || tk.Quote == nil {
			continue
		}
		switch tk.Quote.Status {
		case ticketing.QuotePending:
			pending = append(pending, tid)
		case ticketing.QuoteExpired:
			expired = tid
		case ticketing.QuoteWithdrawn:
			if !finished(tk.Status) {
				withdrawn = tid // a new quote is to follow
			}
		}
	}
	return pending, expired, withdrawn
}

// withdrawnAnswered returns the ticket of the quote the engineer withdrew
// that text answers ("Accept", "接受", the button still in the chat); ""
// when text answers no quote, or another quote waits for the answer.
func (t *turn) withdrawnAnswered(text string) string {
	yn, id := quoteWords(text)
	if yn == 0 {
		return ""
	}
	pending, _, withdrawn := t.quotes()
	if withdrawn == "" || id != "" && id != withdrawn || id == "" && len(pending) > 0 {
		return ""
	}
	return withdrawn
}

// answerWithdrawn tells a customer who answered the withdrawn quote of
// ticket id that it no longer applies and a new one will follow, and keeps
// the answer on the ticket for the engineer; it accepts or declines
// nothing.
func (t *turn) answerWithdrawn(id, text string) {
	t.say("quote.withdrawn_answer", "ticket", id)
	t.customerNote(id, text)
}

// closeQuote ends a quote that will not be carried out and closes the ticket
// without work.
func (t *turn) closeQuote(id string, st ticketing.QuoteStatus, actor, note string) {
	t.updateTicket(id, actor, note, func(tk *ticketing.Ticket) error {
		if tk.Quote != nil {
			tk.Quote.Status = st
		}
		return nil
	})
	t.advance(id, ticketing.StatusClosed, actor, note)
	t.dropTimer("quote_expiry", id)
}

// offerOptions presents what the return windows allow.
func (t *turn) offerOptions() {
	d, ok := t.decide()
	if !ok {
		switch {
		case t.err != nil:
		case t.c.Slots[slotPurchased].Precision == "relative":
			t.confirmRelativeDate()
		default:
			t.needExactDateReturn()
		}
		return
	}
	r := d.Returns
	if want := t.val(slotOption); want != "" && r.Offers(policy.Option(want)) {
		if wanted := t.val(slotWanted); want == "exchange" && wanted != "" {
			delete(t.c.Slots, slotWanted)
			if !r.SameModelInStock && !t.has(slotExchangeTo) {
				t.chooseExchangeModel("model:"+wanted, d)
				return
			}
			// Another model only when this one is out of stock (§3.4).
			t.say("return.same_model_only", "model", t.productName(t.val(slotModel)), "wanted", t.productName(wanted))
		}
		if want == "exchange" && !r.SameModelInStock && !t.has(slotExchangeTo) {
			t.c.Asking = slotExchangeTo
			t.askExchangeModel()
			return
		}
		t.fire(evChosen)
		t.summary()
		return
	}
	// Asked for ("I want a refund") but not possible, or a return refused
	// for want of the proof or the box: say why first.
	// A request for "a return or exchange" past the return window but within
	// the exchange window is told why the return is gone too; past both,
	// return.repair_only says it.
	want := policy.Option(t.val(slotOption))
	if want == "" && (r.Refused.Return != policy.Expired || r.Refused.Exchange != policy.Expired) {
		want = policy.OptReturn
	}
	t.sayRefused(want, r)
	choices := t.optionChoices(r)
	key := "return.options"
	switch {
	case len(r.Options) == 1 && r.Refused.Exchange != policy.Expired:
		key = "return.repair_no_proof" // no proof, or damage: a repair, with no window said to have passed
	case len(r.Options) == 1:
		key = "return.repair_only"
	}
	if !r.SameModelInStock && r.Offers(policy.OptExchange) {
		t.say("return.out_of_stock", "model", t.productName(t.val(slotModel))) // before the question, which ends the reply
	}
	t.ask(key, choices, "days", strconv.Itoa(r.DaysSincePurchase), "purchased", t.slotText(slotPurchased))
}

// sayRefused tells why option want is not offered, if it is not, and that
// there is no proof of purchase when something else was the reason: a
// return without proof after its window fails on both.
func (t *turn) sayRefused(want policy.Option, r policy.ReturnResult) {
	why := r.Refused.Of(want)
	if why != "" {
		limit := t.e.pol.Returns.ReturnDays
		if want == policy.OptExchange {
			limit = t.e.pol.Returns.ExchangeDays
		}
		// The day the window ended: the sale date plus the limit.
		ended := ""
		if d, err := policy.ParseDate(t.val(slotPurchased)); err == nil {
			ended = t.dateText(d.AddDate(0, 0, limit))
		}
		t.say("return.refused."+string(why), "option", t.text("option."+string(want)), "limit", strconv.Itoa(limit), "ended", ended)
	}
	if why != policy.NoProof && r.Refused.Return != "" && t.val(slotProof) == "none" {
		t.say("return.refused.no_proof")
	}
}

// optionChoices are the buttons of the options r offers.
func (t *turn) optionChoices(r policy.ReturnResult) []Choice {
	var choices []Choice
	for _, o := range r.Options {
		choices = append(choices, t.choice("option:"+string(o), "option."+string(o)))
	}
	return choices
}

// refusalTold reports whether the options offered, for a customer who
// asked for option asked ("" for none), told why opt is not among them:
// asked for none, the return was.
func refusalTold(asked, opt policy.Option, r policy.ReturnResult) bool {
	switch {
	case r.Refused.Of(opt) == "":
		return false
	case asked == "":
		return opt == policy.OptReturn || r.Refused.Exchange == policy.Expired && len(r.Options) == 1
	}
	return asked == opt
}

// insisted answers an option asked for again after it was refused ("but I
// want my money back!"): understood, why the policy does not allow it, and
// a person offered beside the options.
func (t *turn) insisted(want policy.Option, r policy.ReturnResult) {
	t.say("return.insisted." + string(want))
	t.sayRefused(want, r)
	t.ask("return.insisted_choose", append(t.optionChoices(r), t.choice("cmd:human", "menu.human")))
}

// confirmRelativeDate asks the customer to confirm the day a relative
// purchase date ("a week ago") was taken to be, when a day either way would
// change the return options.
func (t *turn) confirmRelativeDate() {
	c := t.c
	v := c.Slots[slotPurchased]
	delete(c.Slots, slotPurchased)
	t.fire(evAmend)
	c.setPending(Pending{Name: slotPurchased, Value: v})
	t.askNext()
}

func (t *turn) needExactDateReturn() {
	delete(t.c.Slots, slotPurchased)
	t.fire(evAmend)
	t.c.Asking = slotPurchased
	t.ask("ask.exact_date", nil)
}

// chooseAnswer takes the customer's option.
func (t *turn) chooseAnswer(text string, att []Attachment) {
	c := t.c
	d, ok := t.decide()
	if !ok {
		t.needExactDateReturn()
		return
	}
	opt := policy.Option(strings.TrimPrefix(text, "option:"))
	if !strings.HasPrefix(text, "option:") {
		opt = optionIn(text)
	}
	if opt != "" && optionsCompared(text) {
		t.say("return.options_told") // "what's the difference between exchange and repair?": no choice made
		t.offerOptions()
		return
	}
	if opt == "" && len(d.Returns.Options) == 1 && c.Asking != slotExchangeTo {
		// "yes", "好的" to "…past the return and exchange windows; we can
		// arrange a repair": the one option offered, taken; "no" to it, a
		// person offered (the customer does not agree with the policy).
		switch yesNo(text) {
		case 1:
			opt = d.Returns.Options[0]
		case -1:
			t.offerHuman()
			return
		}
	}
	if c.Asking == slotExchangeTo {
		t.chooseExchangeModel(text, d)
		return
	}
	if opt == "" && t.proofFound(text, att) {
		t.fire(evAmend) // "找到了，订单号是 20261129": what a return needs besides (the packaging), then the options
		t.askNext()
		return
	}
	if opt == "" || !d.Returns.Offers(opt) {
		if opt != "" {
			again := refusalTold(policy.Option(t.val(slotOption)), opt, d.Returns)
			t.set(slotOption, string(opt), text) // offerOptions says it is not possible
			if again {
				t.insisted(opt, d.Returns)
				return
			}
			t.offerOptions()
			return
		}
		if t.packagingRemark(text) {
			return
		}
		if whatNowAsked(text) || t.sideQuestion(text) {
			t.offerOptions() // "what can I do then?": the options are the answer
			return
		}
		t.miss()
		return
	}
	t.set(slotOption, string(opt), text)
	switch opt {
	case policy.OptRepair:
		t.fire(evToRepair)
		if t.has(slotFromRepair) {
			// The repair the customer asked for, its summary confirmed
			// and its warranty told already: booked now.
			t.fire(evCollected)
			t.bookRepair(d)
			return
		}
		t.say("return.to_repair")
		t.askNext()
	case policy.OptExchange:
		if !d.Returns.SameModelInStock {
			c.Asking = slotExchangeTo
			t.askExchangeModel()
			return
		}
		t.fire(evChosen)
		t.summary()
	default:
		if !t.has(slotPackaging) {
			// A return needs the packaging intact (§3.4): asked when the
			// customer came for an exchange and chose a return instead.
			t.fire(evAmend)
			t.askNext()
			return
		}
		t.fire(evChosen)
		t.summary()
	}
}

// proofFound takes a proof of purchase given after the customer said they
// had none (an order number, a photo): noted, it decides the options again.
func (t *turn) proofFound(text string, att []Attachment) bool {
	if t.val(slotProof) != "none" {
		return false
	}
	if ref, ok := extract.OrderNumber(text); ok {
		t.set(slotProof, "order:"+ref, text)
	} else if len(att) > 0 {
		t.set(slotProof, "file:"+att[0].Ref, att[0].Name)
	} else {
		return false
	}
	t.say("noted", "items", t.notedItem(slotProof))
	return true
}

// whatNowAsked reports whether a question asks what the customer can do
// ("what can I do then?", "what are my options?", "那怎么办").
func whatNowAsked(text string) bool {
	return looksLikeQuestion(text) && containsAny(norm(text), "what can i do", "what can we do", "what are my options", "what options",
		"what now", "what should i do", "what do i do", "怎么办", "能怎么处理", "怎么处理", "有什么办法", "还能怎样", "还能怎么")
}

// sayDifference tells the price difference of an exchange to another
// model, to pay or refunded (§3.4, 差价多退少补).
func (t *turn) sayDifference(x *policy.ExchangeQuote) {
	switch {
	case x.Difference > 0:
		t.say("return.difference_pay", "model", t.productName(x.Model), "amount", t.money(x.Difference))
	case x.Difference < 0:
		t.say("return.difference_refund", "model", t.productName(x.Model), "amount", t.money(-x.Difference))
	default:
		t.say("return.difference_none", "model", t.productName(x.Model))
	}
}

// costAnswered answers a question about what an exchange costs asked at its
// summary ("how much do I have to pay extra?", "要补差价吗"): the difference to
// the other model, or nothing for the same model; then the summary again.
func (t *turn) costAnswered(text string) bool {
	if t.c.State != ReturnConfirm || t.val(slotOption) != string(policy.OptExchange) || !looksLikeQuestion(text) ||
		!containsAny(norm(text), "how much", "pay extra", "pay more", "cost", "price difference", "the difference", "charge", "差价", "多少钱", "补多少", "要钱", "收费", "补钱") {
		return false
	}
	pc, err := t.policyCase(false)
	if err != nil {
		return false
	}
	pc.ExchangeTo = t.val(slotExchangeTo)
	if d, err := t.e.pol.Decide(pc); err == nil && d.Returns.ExchangeTo != nil {
		t.sayDifference(d.Returns.ExchangeTo)
	} else {
		t.say("return.same_model_free", "model", t.productName(t.val(slotModel)))
	}
	t.summary()
	return true
}

// optionsCompared reports whether a question asks how the options differ
// ("what's the difference between exchange and repair?", "退货和换货有什么区别"),
// which chooses none of them.
func optionsCompared(text string) bool {
	if !looksLikeQuestion(text) {
		return false
	}
	l := norm(text)
	named := 0
	for _, words := range [][]string{{"退", "return", "refund"}, {"换", "exchange", "swap"}, {"修", "repair", "fix"}} {
		if containsAny(l, words...) {
			named++
		}
	}
	return named >= 2 || containsAny(l, "difference", "differ", "which is better", "区别", "不同", "哪个好", "哪个更")
}

func optionIn(text string) policy.Option {
	l := norm(text)
	switch {
	case containsAny(l, "退货", "退款", "退掉", "退钱", "return", "refund", "money back"):
		return policy.OptReturn
	case containsAny(l, "换货", "换", "exchange", "swap"):
		return policy.OptExchange
	case containsAny(l, "维修", "修", "repair", "fix"):
		return policy.OptRepair
	}
	return ""
}

// askExchangeModel offers the in-stock models of the same category.
func (t *turn) askExchangeModel() {
	cur, _ := t.e.pol.TermsOf(t.val(slotModel))
	var alts []policy.Product
	for _, m := range t.e.pol.Models() {
		terms, err := t.e.pol.TermsOf(m)
		if err != nil || m == cur.Product.Model || !terms.InStock || terms.Category.ID != cur.Category.ID {
			continue
		}
		alts = append(alts, terms.Product)
	}
	// The closest in price first: the likeliest replacements.
	sort.SliceStable(alts, func(i, j int) bool {
		return abs(alts[i].Price-cur.Product.Price) < abs(alts[j].Price-cur.Product.Price)
	})
	var choices []Choice
	for _, p := range alts[:min(len(alts), 4)] {
		choices = append(choices, Choice{Value: "model:" + p.Model, Label: t.productName(p.Model) + " " + t.money(p.Price)})
	}
	if d, ok := t.decide(); ok && d.Returns.Offers(policy.OptReturn) {
		choices = append(choices, t.choice("option:return", "option.return"))
	}
	if !cur.InStock {
		t.say("return.out_of_stock", "model", t.productName(cur.Product.Model))
	}
	t.ask("return.exchange_model", choices, "model", t.productName(cur.Product.Model))
}

func (t *turn) chooseExchangeModel(text string, d policy.Decision) {
	c := t.c
	if strings.HasPrefix(text, "option:") || (optionIn(text) == policy.OptReturn) {
		c.Asking = ""
		t.chooseAnswer(text, nil)
		return
	}
	model := strings.TrimPrefix(text, "model:")
	if !strings.HasPrefix(text, "model:") {
		model = ""
		for _, m := range t.e.catalog.Models(text) {
			if m.Exact {
				model = m.Model
				break
			}
		}
		if model == "" {
			// "the 55 inch one", "55寸那个": the one model that fits, or which.
			switch ms := t.modelsDescribed(text, t.val(slotModel)); {
			case len(ms) == 1:
				model = ms[0]
			case len(ms) > 1:
				t.askWhichModel(ms)
				return
			}
		}
	}
	if model == "" && looksLikeQuestion(text) && containsAny(norm(text), "which", "what model", "what models", "what are", "options", "choices",
		"哪些", "哪个", "哪款", "什么型号", "有什么", "可以选") {
		t.askExchangeModel() // "which models can I pick?": the models are the answer
		return
	}
	pc, _ := t.policyCase(false)
	pc.ExchangeTo = model
	dec, err := t.e.pol.Decide(pc)
	if model == "" || err != nil || dec.Returns.ExchangeTo == nil || !dec.Returns.ExchangeTo.InStock {
		t.miss()
		return
	}
	x := dec.Returns.ExchangeTo
	t.remember() // "back" at the summary returns to this question
	t.set(slotExchangeTo, x.Model, text)
	c.Asking = ""
	t.sayDifference(x)
	t.fire(evChosen)
	t.summary()
}

// askWhichModel asks which of the models a description fits is meant, each
// a choice (at most four, then the exchange's question stands).
func (t *turn) askWhichModel(models []string) {
	var choices []Choice
	for _, m := range models[:min(len(models), 4)] {
		if pr, ok := t.e.pol.Product(m); ok {
			choices = append(choices, Choice{Value: "model:" + m, Label: t.productName(m) + " " + t.money(pr.Price)})
		}
	}
	t.ask("return.which_model", choices)
}

// bookReturn files the return or exchange ticket, provisional until
// inspection.
func (t *turn) bookReturn() {
	d, ok := t.decide()
	if !ok {
		t.needExactDateReturn()
		return
	}
	kind := ticketing.KindReturn
	if t.val(slotOption) == "exchange" {
		kind = ticketing.KindExchange
	}
	tk := t.newTicket(kind, d)
	tk.Due.FirstResponse = t.deadline(t.e.pol.SLA.FirstResponse)
	tk.Due.Resolution = t.deadline(t.e.pol.SLA.Inspection)
	tk.Details["option"] = t.val(slotOption)
	tk.Details["packaging"] = t.val(slotPackaging)
	if x := t.val(slotExchangeTo); x != "" {
		pc, _ := t.policyCase(false)
		pc.ExchangeTo = x
		if dx, err := t.e.pol.Decide(pc); err == nil && dx.Returns.ExchangeTo != nil {
			tk.Details["exchange_to"] = x
			tk.Details["price_difference"] = dx.Returns.ExchangeTo.Difference.String()
		}
	}
	if !t.createTicket(tk, string(kind)+" requested, waiting for inspection") {
		return
	}
	t.fire(evBooked)
	t.say("return.booked", "ticket", tk.ID, "option", t.text("option."+t.val(slotOption)), "deadline", t.when(tk.Due.Resolution))
	t.replaceBooked(tk.ID)
	t.say("anything_else")
}

// changeBookedOption takes a change of mind about the return or exchange
// just filed ("算了，还是退货吧", "actually can I get my money back
// instead?"): the request is made again with what the customer told, the
// option changed, and the options decided again (a return needs the
// packaging; the windows may have closed). The new ticket replaces the old
// one once filed. POLICY.md is silent on a change after filing; before the
// inspection nothing has been done, so a mature service lets the customer
// choose again rather than start from nothing or keep both requests open.
func (t *turn) changeBookedOption(text string) bool {
	c := t.c
	o := lastOption(text)
	if o != policy.OptReturn && o != policy.OptExchange || !t.has(slotModel) || intentOf(text) != intentReturn && intentOf(text) != intentExchange {
		return false
	}
	if t.otherProduct(text) {
		return false // another product: a new request
	}
	tk, err := t.tx.Tickets().Get(t.ctx, c.TicketID)
	if err != nil || tk.Kind != ticketing.KindReturn && tk.Kind != ticketing.KindExchange ||
		tk.Status != ticketing.StatusNew && tk.Status != ticketing.StatusOpen || tk.Details["option"] == string(o) {
		return false
	}
	t.carry = map[string]Slot{}
	for _, s := range []string{slotModel, slotPurchased, slotFault, slotProof, slotPackaging, slotMisuse, slotOpened, slotForce} {
		if v, ok := c.Slots[s]; ok {
			t.carry[s] = v
		}
	}
	kept := t.carry
	t.carry = nil
	t.say("return.change", "ticket", tk.ID, "option", t.text("option."+string(o)))
	t.clearJourney()
	c.TicketID = ""
	t.fire(evReturn)
	maps.Copy(c.Slots, kept)
	t.set(slotReplaces, tk.ID, text)
	t.set(slotOption, string(o), text)
	t.askNext()
	return true
}

// bookedToRepair takes a repair asked for instead of the return or
// exchange just filed ("repair instead", "算了，还是修一下吧"): within the
// return windows the customer may choose a repair (§3.4), and before the
// inspection nothing has been done, so the repair starts with what the
// customer told (model, purchase date, fault, proof, exclusions) and its
// ticket replaces the return's once filed. False for anything else.
func (t *turn) bookedToRepair(text string) bool {
	c := t.c
	if n := norm(text); !repairInstead(n) && !containsAny(n, ratherRepair...) || !t.has(slotModel) {
		return false
	}
	if t.otherProduct(text) {
		return false // another product: a new request
	}
	tk, err := t.tx.Tickets().Get(t.ctx, c.TicketID)
	if err != nil || tk.Kind != ticketing.KindReturn && tk.Kind != ticketing.KindExchange ||
		tk.Status != ticketing.StatusNew && tk.Status != ticketing.StatusOpen {
		return false
	}
	carry := t.told(slotOrder["repair"]...)
	carry[slotReplaces] = Slot{Value: tk.ID, Raw: text, Turn: c.Turn}
	carry[slotOption] = Slot{Value: string(policy.OptRepair), Raw: text, Turn: c.Turn} // chosen: the return options are not offered again
	t.say("return.booked_to_repair", "ticket", tk.ID)
	t.clearJourney()
	c.TicketID = ""
	t.carry = carry
	t.start(intentRepair, "", nil)
	return true
}

// replaceBooked closes the ticket the request just filed replaces.
func (t *turn) replaceBooked(newID string) {
	old := t.val(slotReplaces)
	if old == "" {
		return
	}
	t.advance(old, ticketing.StatusClosed, "customer", "replaced by "+newID+" at the customer's request")
	t.say("return.replaced", "ticket", old)
}

// bookInstallation files the installation visit.
func (t *turn) bookInstallation() {
	terms, err := t.e.pol.TermsOf(t.val(slotModel))
	if err != nil {
		t.fail(err)
		return
	}
	if terms.Installation == policy.InstallNone {
		t.fire(evCancel)
		t.clearJourney()
		t.say("install.not_needed", "model", t.productName(terms.Product.Model))
		return
	}
	tk := &ticketing.Ticket{
		Kind: ticketing.KindInstallation, Status: ticketing.StatusOpen, Model: terms.Product.Model, Region: t.region(),
		Details: map[string]string{
			"address": t.val(slotAddress), "preferred_date": t.val(slotVisitDate), "phone": t.val(slotPhone),
			"installation": string(terms.Installation), "checklist": "explain basic use to the customer after installing",
		},
	}
	t.fillTicket(tk, "install")
	tk.Subject = truncate(terms.Product.Model+" · "+t.val(slotAddress), 120) // what the desk sees first
	booked, note := "install.booked_"+string(terms.Installation), "installation booked"
	if issue := t.val(slotIssue); issue != "" {
		// The installation done put right (§3.2.2): the problem first.
		tk.Subject = truncate(terms.Product.Model+" · "+issue, 120)
		tk.Details["follow_up"], tk.Details[slotIssue] = "installation", issue
		tk.Details["checklist"] = "put the installation right at no charge; quote a part not supplied with the product and fit it only if the customer agrees"
		booked, note = "install.fix_booked", "installation follow-up booked"
	}
	tk.Due.FirstResponse = t.deadline(t.e.pol.SLA.FirstResponse)
	day, err := policy.ParseDate(t.val(slotVisitDate))
	if err == nil {
		tk.Details["preferred_date_text"] = t.c.Slots[slotVisitDate].Raw
	}
	tk.Due.Onsite = t.visitDue(tk.Region, day, err == nil)
	if !t.createTicket(tk, note) {
		return
	}
	t.fire(evBooked)
	if err == nil {
		t.say(booked+"_day", "ticket", tk.ID, "contact", t.when(tk.Due.FirstResponse), "day", t.dayText(day))
	} else {
		t.say(booked, "ticket", tk.ID, "visit", t.when(tk.Due.Onsite))
	}
	t.say("anything_else")
}

// visitDue is when an installation visit is due: the service's own
// deadline for the region, or, when the customer chose a later day, that
// day's close of business (its end, on a day off).
func (t *turn) visitDue(region string, day policy.Date, chosen bool) *time.Time {
	due := t.deadline(t.e.pol.OnsiteDays(region))
	if !chosen {
		return due
	}
	loc := t.e.pol.Location()
	end, err := t.e.pol.AddWorkingDays(day.In(loc, 0, 0), 0)
	if err != nil || !policy.DateOf(end, loc).Equal(day) {
		end = day.AddDate(0, 0, 1).In(loc, 0, 0)
	}
	if due != nil && end.After(*due) {
		end = end.UTC()
		return &end
	}
	return due
}

// changeInstallation moves or cancels the conversation's booked
// installation ("can we move the installation to Monday?", "安装时间改成下周一",
// "我不装了，取消预约"). False when text is neither, or nothing is booked.
func (t *turn) changeInstallation(text string) bool {
	n := norm(text)
	cancel := cue(n, cancelBookingCues) == 1
	move := !cancel && containsAny(n, moveBookingCues...)
	// "下周二", "next Tuesday" right after the new day was asked
	// (install.move_how): the day of the installation asked about; a day
	// said alone while the installation this conversation booked is the
	// one spoken of ("next Wednesday" after "I moved, my new address is
	// …"): its new day.
	asked := t.c.Slots[slotMoveAsked]
	delete(t.c.Slots, slotMoveAsked)
	reply := !cancel && !move && !looksLikeQuestion(text) &&
		(asked.Value != "" && asked.Turn == t.c.Turn-1 && (len(extract.NextDates(text, t.today)) > 0 || t.dayOfMonthSaid(text) != nil) ||
			t.c.TicketID != "" && t.dayOnly(text) && t.justBooked() && !t.picksDay(text))
	// "让师傅周五来吧", "have the technician come on Friday": the day the
	// booked installation's visit is wished for.
	_, wish := t.visitDayWished(text)
	wish = wish && !cancel && !move && !reply
	move = move || reply || wish
	// "那就周二16号", "Tuesday the 16th then" right after the booking: the
	// day moved ("see you on Tuesday then" is no move).
	then := !cancel && !move && containsAny(n, thenCues...)
	var (
		wd    extract.DateMatch
		other *ambiguousDate
		told  bool
	)
	if then || move {
		wd, other, told = t.weekdayWithDay(text)
		then = then && told && t.justBooked()
	}
	var picked *extract.DateMatch
	if !cancel && !move && !then && t.before != nil && t.c.TicketID != "" {
		// "周二", "the later one" to which of two days the move is to
		// (read only when a ticket was just made: see justBooked).
		if d, ok := t.dayPicked(text); ok && t.justBooked() {
			picked, then = &d, true
		}
	}
	switch {
	case !cancel && !move && !then:
		return false
	case move && len(extract.NextDates(text, t.today)) == 0 && (addressIn(text) != "" && containsAny(n, "address", "地址") || hasPhone(text) && containsAny(n, phoneWords...)):
		return false // "安装地址改成文三路100号": the visit's address, not its day (changeBookedContact)
	case !then && !reply && !wish && !containsAny(n, bookingCues...) && !(move && t.justBooked() && (len(extract.NextDates(text, t.today)) > 0 || t.dayOfMonthSaid(text) != nil)):
		// "我把周一的会取消了", "help me move the old fridge": not the
		// booking; "make it the 15th" right after it is.
		return false
	case cancel && containsAny(n, "if ", "otherwise", "unless", "如果", "否则", "要是", "不然"):
		return false // "…otherwise cancel": a condition, answered first
	}
	tk := t.bookedInstallation()
	if reply {
		if x, err := t.tx.Tickets().Get(t.ctx, asked.Value); err == nil && x.Kind == ticketing.KindInstallation && !finished(x.Status) {
			tk = x
		}
	}
	bookedTold := containsAny(n, bookingToldCues...)
	if tk == nil && (move && (bookedTold || containsAny(n, bookingMovedCues...) && !looksLikeQuestion(text)) ||
		cancel && containsAny(n, "安装", "不装", "install", "installation") && (bookedTold || !looksLikeQuestion(text))) {
		// "I booked an installation, can I change the time?", "我要取消安装"
		// with nothing of the customer's booked: booked elsewhere, for a
		// person to find and move or cancel, and no new booking.
		key := "install.move_unknown"
		if cancel {
			key = "install.cancel_unknown"
		}
		c := t.c
		c.Slots = map[string]Slot{slotQuestion: {Value: text, Raw: text, Confirmed: true, Turn: c.Turn}}
		t.fire(evUnanswered)
		t.ask(key, t.yesNoChoices(), "deadline", t.when(t.deadline(t.e.pol.SLA.Consultation)))
		return true
	}
	if tk == nil {
		return false
	}
	if cancel {
		t.updateTicket(tk.ID, "customer", "installation cancelled by the customer", func(x *ticketing.Ticket) error {
			x.Status = ticketing.StatusCancelled
			return nil
		})
		t.say("install.cancelled", "ticket", tk.ID)
		return true
	}
	said := text // where the day is read from
	if picked != nil {
		wd, other, told = *picked, nil, true
	}
	if other != nil {
		// "那就周二16号" when the 16th is a Wednesday: which one, each
		// choice the move to that day.
		t.askDayMismatch(*other, t.text("install.move_to"))
		return true
	}
	if coming, following, ok := extract.NextWeekday(text, t.today); ok && !told {
		if tk.Details["preferred_date"] != coming.Date.String() {
			// "move it to next Saturday" on a Wednesday: which one, each
			// choice the move to that day.
			move := t.text("install.move_to")
			t.ask("date.ambiguous", []Choice{{Value: move + coming.Date.String(), Label: t.dayText(coming.Date)}, {Value: move + following.Date.String(), Label: t.dayText(following.Date)}},
				"said", coming.Text, "dm", t.dayText(coming.Date), "md", t.dayText(following.Date))
			return true
		}
		said = strings.Replace(text, following.Text, following.Date.String(), 1) // from this Saturday: the one after
	}
	ds := extract.NextDates(said, t.today)
	if told {
		ds = []extract.DateMatch{wd} // "make it Tuesday the 15th": the 15th, a Tuesday, not the coming Tuesday; the day picked
	} else if d := t.dayOfMonthSaid(text); d != nil && !slices.ContainsFunc(ds, func(x extract.DateMatch) bool { return !x.Relative }) {
		ds = []extract.DateMatch{*d} // "make it the 15th"
	} else if d, ok := t.weekdayOfPickedWeek(text, tk.Details["preferred_date"]); ok && t.pickedWeekMeant(text) {
		ds = []extract.DateMatch{d} // "make it Thursday" after next Monday: that week's Thursday
	}
	for _, d := range ds {
		if d.Precision != extract.PrecisionDay {
			continue
		}
		d = t.notToday(d, text)
		if d.Date.Before(t.today) {
			t.say("visit_date_past")
			t.say("install.move_how")
			t.set(slotMoveAsked, tk.ID, "")
			return true
		}
		t.updateTicket(tk.ID, "customer", "visit day changed by the customer", func(x *ticketing.Ticket) error {
			x.Details["preferred_date"] = d.Date.String()
			x.Details["preferred_date_text"] = strings.TrimSpace(text)
			x.Due.Onsite = t.visitDue(x.Region, d.Date, true)
			return nil
		})
		t.say("install.moved", "ticket", tk.ID, "day", t.dayText(d.Date))
		return true
	}
	t.say("install.move_how")
	t.set(slotMoveAsked, tk.ID, "")
	return true
}

// hasPhone reports whether text gives a phone number.
func hasPhone(text string) bool {
	_, ok := extract.Phone(text)
	return ok
}

// dayOfMonth finds a day of the month said alone inside a longer
// message: "the 15th", "15号".
var dayOfMonth = regexp.MustCompile(`(?i)\bthe \d{1,2}(?:st|nd|rd|th)\b|\d{1,2}[号日]`)

// dayOfMonthSaid returns the next day a day of the month said in text
// ("make it the 15th", "改到15号") stands for; nil when it says none.
func (t *turn) dayOfMonthSaid(text string) *extract.DateMatch {
	m := dayOfMonth.FindStringIndex(text)
	if m == nil || m[0] > 0 && strings.ContainsAny(text[m[0]-1:m[0]], "0123456789月") {
		return nil // "12月15号" is a date of its own
	}
	d, ok := extract.DayAlone(text[m[0]:m[1]], t.today, true)
	if !ok {
		return nil
	}
	d.Start, d.End = d.Start+m[0], d.End+m[0]
	return &d
}

// changeBookedContact puts a new address or phone number on the visit
// this conversation booked ("I need to change the address to 40 Elm
// Street", "地址改成文三路100号", "can the technician call me on 139…
// instead?"): the ticket is updated and the change told. False when text
// changes neither, or no visit is booked.
func (t *turn) changeBookedContact(text string) bool {
	n := norm(text)
	// An address right after the new one was asked (booked.address_how).
	asked := t.c.Slots[slotAddrAsked]
	delete(t.c.Slots, slotAddrAsked)
	city := ""
	if asked.Value != "" && asked.Turn == t.c.Turn-1 && asked.Raw == slotCity {
		city = cityAlone(text)
	}
	reply := asked.Value != "" && asked.Turn == t.c.Turn-1 && (addressIn(text) != "" || city != "")
	if !reply && !containsAny(n, contactChangeCues...) {
		return false
	}
	tk := t.bookedInstallation()
	if tk == nil {
		tk = t.bookedOnsiteRepair() // "I moved, the new address is 88 Park Road" after an on-site repair was booked
	}
	if reply {
		if x, err := t.tx.Tickets().Get(t.ctx, asked.Value); err == nil && !finished(x.Status) {
			tk = x
		}
	}
	if tk == nil {
		return false
	}
	what, key, value := "", "", ""
	if city != "" {
		// "Hangzhou" to which city the new address is in: the address
		// with its city.
		what, key, value = slotAddress, "address", tk.Details["address"]+", "+city
		if t.lang() == "zh" {
			value = city + tk.Details["address"]
		}
	} else if addr := addressIn(text); addr != "" && (reply || containsAny(n, "address", "地址", "moved", "搬", "come to", "上门到", "来到")) {
		for _, w := range []string{"改成", "改为", "换成", "变成", "改到", "是", "to "} {
			addr = strings.TrimSpace(strings.TrimPrefix(addr, w))
		}
		for _, w := range []string{" instead", " please", " now"} {
			addr = strings.TrimRight(strings.TrimSpace(strings.TrimSuffix(strings.TrimRight(addr, " .!"), w)), " ,")
		}
		what, key, value = slotAddress, "address", addr
	} else if p, ok := extract.Phone(text); ok && containsAny(n, phoneWords...) {
		what, key, value = slotPhone, "phone", p
	}
	if key == "" {
		if !movedHome(n) {
			return false
		}
		// "I moved", "我搬家了": the new address is asked, for the visit.
		t.say("booked.address_how", "ticket", tk.ID)
		t.set(slotAddrAsked, tk.ID, "")
		return true
	}
	var (
		due  *time.Time // the visit's new deadline, when it moved
		kept string     // the region kept for an address that names no city
	)
	t.updateTicket(tk.ID, "customer", key+" changed by the customer", func(x *ticketing.Ticket) error {
		x.Details[key] = value
		r := t.regionOf(value)
		if key == "address" && r == "" && !cityNamed(value) {
			kept = x.Region
		}
		if key == "address" && r != x.Region && (r != "" || cityNamed(value)) {
			// Another city: the visit's deadline is the new region's. An
			// address that names no city ("40 Elm Street") keeps the
			// region the booking knew.
			x.Region = r
			day, err := policy.ParseDate(x.Details["preferred_date"])
			if d := t.visitDue(x.Region, day, err == nil); !sameTime(d, x.Due.Onsite) {
				x.Due.Onsite, due = d, d
			}
		}
		return nil
	})
	label := t.slotLabel(what)
	if t.lang() != "zh" { // mid-sentence: "Updated on ticket T-1001: address …"
		label = strings.ToLower(label[:1]) + label[1:]
	}
	t.say("booked.updated", "ticket", tk.ID, "what", label, "value", value)
	if due != nil {
		t.say("booked.visit_due_moved", "due", t.when(due)) // never moved silently
	}
	if kept != "" {
		// The city assumed is said, and which one it is asked.
		t.say("booked.city_kept", "city", regionName(kept, t.lang()))
		t.c.Slots[slotAddrAsked] = Slot{Value: tk.ID, Raw: slotCity, Confirmed: true, Turn: t.c.Turn}
	}
	return true
}

// slotCity marks the new address's city asked (booked.city_kept).
const slotCity = "city"

// regionName is a region's name for the customer: "上海", "Shanghai".
func regionName(r, lang string) string {
	if zh := regionNames[r]; lang == "zh" && zh != "" {
		return zh
	}
	return strings.ToUpper(r[:1]) + r[1:]
}

// cityAlone returns the city text names and nothing more ("Hangzhou",
// "it's in Beijing", "杭州市"): a known city, or one written with 市 or 省;
// "" otherwise.
func cityAlone(text string) string {
	s := strings.Trim(strings.TrimSpace(text), " .。!！")
	for _, lead := range []string{"still ", "it's still in ", "it's in ", "it is in ", "it's ", "it is ", "in ", "还是", "还在", "在", "是"} {
		if len(s) > len(lead) && strings.EqualFold(s[:len(lead)], lead) {
			s = s[len(lead):]
		}
	}
	if strings.ContainsAny(s, "0123456789?？,，") || len(strings.Fields(s)) > 3 || utf8.RuneCountInString(s) > 20 || !cityNamed(s) {
		return ""
	}
	return s
}

// movedCues say the customer moved home or has a new address.
var movedCues = []string{"moved", "new address", "change the address", "change my address", "address has changed", "address changed",
	"搬家", "搬了家", "搬到", "搬新家", "新地址", "换地址", "改地址", "地址变了", "地址改了", "地址换了"}

// movedHome reports whether normalised n says the customer moved home or
// has a new address, and tells of no fault ("我搬家的时候摔坏了" is a fault).
func movedHome(n string) bool {
	return containsAny(n, movedCues...) && !faultPhrases.any(n) && !containsAny(n, "摔", "坏", "broke", "damaged", "dropped") &&
		!movedThing.MatchString(n)
}

// movedThing tells of a thing moved, not a home ("I moved the fridge",
// "我把冰箱搬到厨房了").
var movedThing = regexp.MustCompile(`\bmoved (?:the|my|it|them|this|that|a|an|our|his|her)\b|把.*搬`)

// sameTime reports whether two deadlines are the same (both unset, or the
// same instant).
func sameTime(a, b *time.Time) bool {
	return a == nil && b == nil || a != nil && b != nil && a.Equal(*b)
}

// cityNamed reports whether an address names its city: a city known by
// name, 市 or 省, or words after the street ("40 Elm Street, Hangzhou").
func cityNamed(addr string) bool {
	l := strings.ToLower(addr)
	for id, zh := range regionNames {
		if strings.Contains(l, id) || strings.Contains(addr, zh) {
			return true
		}
	}
	if strings.ContainsAny(addr, "市省") {
		return true
	}
	m := enAddress.FindStringIndex(addr)
	return m != nil && hasWords(addr[m[1]:])
}

// contactChangeCues say that an address or a phone number changed.
var contactChangeCues = []string{"change", "changed", "new address", "new number", "new phone", "instead", "moved", "different address",
	"different number", "改成", "改为", "换成", "改一下", "改地址", "换地址", "新地址", "新号码", "换号", "改号", "搬家", "搬到", "变了"}

// justBooked reports whether the request this conversation filed last is
// an installation still to be done: "make it Tuesday" speaks of it.
func (t *turn) justBooked() bool {
	tk := t.openInstallation(t.c.Tickets)
	return tk != nil && tk.ID == t.c.TicketID
}

// bookedInstallation returns the customer's latest installation ticket
// that is still to be done, or nil: booked in this conversation or in
// another of theirs (an earlier email thread, a booking an agent made;
// customerTickets).
func (t *turn) bookedInstallation() *ticketing.Ticket {
	return t.openInstallation(t.customerTickets())
}

// openInstallation returns the latest installation ticket of ids (oldest
// first) that is still to be done, or nil.
func (t *turn) openInstallation(ids []string) *ticketing.Ticket {
	for i := len(ids) - 1; i >= 0; i-- {
		tk, err := t.tx.Tickets().Get(t.ctx, ids[i])
		if err != nil || tk.Kind != ticketing.KindInstallation {
			continue
		}
		switch tk.Status {
		case ticketing.StatusResolved, ticketing.StatusClosed, ticketing.StatusCancelled:
			continue
		}
		return tk
	}
	return nil
}

// The words of a change to a booking.
var (
	bookingCues       = []string{"安装", "预约", "不装了", "不用装了", "installation", "install", "booking", "appointment", "visit"}
	cancelBookingCues = []string{"取消", "不装了", "不用装了", "不需要安装", "不要安装", "cancel", "call off", "don't need the installation", "no longer need"}
	moveBookingCues   = []string{"改成", "改到", "改为", "改期", "换个时间", "换一天", "推迟", "延后", "move", "reschedule", "change the date", "change the day", "another day", "different day", "postpone",
		"change the installation", "change my installation", "change the booking", "change my booking", "change the appointment",
		"change my appointment", "change the visit", "change it to", "make it", "instead", "push it back", "bring it forward",
		"change the time", "change the installation time", "change my installation time",
		"换成", "换到", "改一下", "调到", "挪到", "改时间", "改个时间", "改一下时间",
		"改安装时间", "改安装日期", "改日期", "调整时间", "调整安装时间", "调整一下时间", "change my installation date", "change the installation date"}
)

// bookingMovedCues move a booking that must have been made ("我要改安装时间",
// "reschedule the installation"), unlike "make it Tuesday", which may
// still be booking one.
var bookingMovedCues = []string{"改安装时间", "改安装日期", "调整安装时间", "安装改期", "改期", "reschedule", "change my installation",
	"change the installation", "move my installation", "move the installation"}

// bookingToldCues tell of a booking already made ("I booked an
// installation", "我预约了安装").
var bookingToldCues = []string{"booked", "my installation", "my booking", "my appointment", "scheduled", "预约了", "约了", "约好", "已经预约", "我的预约"}

// fileComplaint records the complaint and hands it to a named owner.
func (t *turn) fileComplaint() {
	tk := &ticketing.Ticket{Kind: ticketing.KindComplaint, Status: ticketing.StatusOpen, Details: map[string]string{}}
	t.fillTicket(tk, "complaint")
	tk.Subject = t.ticketSubject(t.val(slotComplaint))
	tk.Details["complaint"] = t.val(slotComplaint)
	if j := t.val(slotAside); j != "" {
		tk.Details["set_aside"] = j // the repair or return being filed: its details are on this ticket, for the owner to arrange
	}
	id := ticketNamed(norm(t.val(slotComplaint)), true)
	if id == "" {
		id = t.ticketOfProduct(t.val(slotComplaint)) // "nobody contacted me about my printer": that repair
	}
	if id == "" && visitMissed(norm(t.val(slotComplaint))) {
		if b := t.bookedInstallation(); b != nil {
			id = b.ID // "the installer never came": the installation booked
		}
	}
	if id != "" && (slices.Contains(t.c.Tickets, id) || slices.Contains(t.customerTickets(), id)) {
		// "I want to complain about ticket T-1001": the owner starts from
		// it, of this conversation or another of the customer's.
		tk.Details["about_ticket"] = id
		if about, err := t.tx.Tickets().Get(t.ctx, id); err == nil && tk.Model == "" {
			tk.Model = about.Model
		}
	}
	tk.Due.FirstResponse = t.deadline(t.e.pol.SLA.ComplaintAnswer)
	tk.Due.Resolution = t.deadline(t.e.pol.SLA.ComplaintResolution)
	if !t.createTicket(tk, "complaint") {
		return
	}
	t.fire(evCollected)
	t.handoff(tk.ID, "complaint")
	key := "complaint.filed"
	if o := t.e.owner; o.Agent != "" {
		// The named owner of §3.5, from the moment it is filed.
		t.claim(tk, Action{Agent: o.Agent}, "bot")
		key = "complaint.filed_owner"
	}
	t.say(key, "ticket", tk.ID, "deadline", t.when(tk.Due.FirstResponse), "days", strconv.Itoa(t.e.pol.SLA.ComplaintAnswer),
		"resolved", t.when(tk.Due.Resolution), "owner", t.e.owner.Name)
	if c := t.c.Customer; c.Phone == "" && c.Email != "" && !t.e.asksTogether(t.c.Channel) {
		t.say("complaint.by_email", "email", c.Email) // no phone: the owner writes
	}
	if j := t.val(slotAside); j != "" {
		t.say("complaint.aside_kept_"+j, "model", t.productName(t.val(slotModel)))
	}
}

// ticketOfProduct returns the conversation's one ticket, not a complaint,
// whose product text names by its model or its name ("my printer", "洗衣机");
// "" when it names none or several. A conversation without tickets looks
// at the customer's others, still open.
func (t *turn) ticketOfProduct(text string) string {
	n := norm(text)
	found := ""
	if len(t.c.Tickets) == 0 {
		// A new email about the case an earlier thread opened: the
		// customer's latest ticket still open for the product.
		return t.openTicketAbout(n)
	}
	for _, id := range t.c.Tickets {
		tk, err := t.tx.Tickets().Get(t.ctx, id)
		if err != nil || tk.Kind == ticketing.KindComplaint || tk.Model == "" {
			continue
		}
		if !strings.Contains(n, strings.ToLower(tk.Model)) && !t.namesProduct(n, tk.Model) {
			continue
		}
		if found != "" {
			return ""
		}
		found = id
	}
	return found
}

// openTicketAbout returns the customer's latest ticket, not a complaint,
// still open, whose product normalised text n names by its model or its
// name (customerTickets); "" when none.
func (t *turn) openTicketAbout(n string) string {
	mine := t.customerTickets()
	for i := len(mine) - 1; i >= 0; i-- {
		tk, err := t.tx.Tickets().Get(t.ctx, mine[i])
		if err == nil && tk.Kind != ticketing.KindComplaint && tk.Model != "" && !finished(tk.Status) &&
			(strings.Contains(n, strings.ToLower(tk.Model)) || t.namesProduct(n, tk.Model)) {
			return tk.ID
		}
	}
	return ""
}

// consultOffer: pass an unanswered question to a human?
func (t *turn) consultOffer(text string) {
	yn := yesNo(text)
	if (yn == 1 || yn == 0) && leaves(text) && !hasWordPrefix(norm(text), "yes", "yeah", "yep", "sure", "please") && !strings.HasPrefix(norm(text), "是") {
		// "ok thanks, bye", "好的，谢谢，再见": a goodbye, not "pass it on".
		t.keepDeclined()
		t.fire(evDecline)
		t.clearJourney()
		t.say("goodbye")
		return
	}
	switch yn {
	case 1:
		q := t.val(slotQuestion)
		tk := &ticketing.Ticket{Kind: ticketing.KindConsultation, Status: ticketing.StatusOpen, Subject: truncate(q, 120),
			Details: map[string]string{"question": q}}
		t.fillTicket(tk, "")
		tk.Due.FirstResponse = t.deadline(t.e.pol.SLA.Consultation)
		if !t.createTicket(tk, "unanswered question") {
			return
		}
		t.fire(evEscalate)
		t.handoff(tk.ID, "unanswered")
		t.say("consult.filed", "ticket", tk.ID, "deadline", t.when(tk.Due.FirstResponse))
	case -1:
		t.keepDeclined()
		t.fire(evDecline)
		t.clearJourney()
		t.say("consult.declined")
	default:
		t.fire(evDecline)
		t.clearJourney()
		t.idle(text, nil)
	}
}

// QuestionLog is an optional extra of a Tx that keeps, for the service
// report (ticketing.QuestionLog reads them), the questions the bot could not
// answer whose customer declined to pass them on to a person: what the
// knowledge base may lack, beside the questions passed on (consultation
// tickets).
type QuestionLog interface {
	KeepDeclined(ctx context.Context, conversationID, channel, question string, at time.Time) error
}

// keepDeclined keeps the question the customer declined to pass on, when
// the store keeps them.
func (t *turn) keepDeclined() {
	if ql, ok := t.tx.(QuestionLog); ok && t.val(slotQuestion) != "" {
		t.fail(ql.KeepDeclined(t.ctx, t.c.ID, t.c.Channel, t.val(slotQuestion), t.now))
	}
}

// escalate hands the conversation to a human on the customer's request or
// after repeated misses.
func (t *turn) escalate(reason string) {
	c := t.c
	id := c.TicketID
	if id != "" {
		tk, err := t.tx.Tickets().Get(t.ctx, id)
		if err != nil {
			t.fail(err)
			return
		}
		if tk.Status == ticketing.StatusClosed || tk.Status == ticketing.StatusCancelled {
			id = "" // a new request: the finished ticket stays finished
		}
	}
	if id == "" {
		tk := &ticketing.Ticket{Kind: ticketing.KindConsultation, Status: ticketing.StatusOpen, Subject: t.text("subject.human"),
			Details: map[string]string{"reason": reason}}
		if q := t.val(slotQuestion); q != "" {
			tk.Details["question"] = q
		}
		t.fillTicket(tk, journey(c.State))
		tk.Due.FirstResponse = t.deadline(t.e.pol.SLA.FirstResponse)
		if !t.createTicket(tk, "customer asked for a human") {
			return
		}
		id = tk.ID
	}
	resume := c.State
	t.fire(evEscalate)
	t.handoff(id, reason)
	c.Handoff.Resume = resume
	tk, err := t.tx.Tickets().Get(t.ctx, id)
	if err != nil {
		t.fail(err)
		return
	}
	t.say("handoff", "ticket", id, "deadline", t.when(tk.Due.FirstResponse))
	if !t.e.pol.IsOpen(t.now) {
		if next, err := t.e.pol.NextOpening(t.now); err == nil {
			t.say("after_hours", "opens", t.when(&next))
		}
	}
}

func (t *turn) handoff(ticketID, reason string) {
	t.c.Handoff = &Handoff{TicketID: ticketID, Since: t.now, Reason: reason, Resume: Idle}
	t.c.TicketID = ticketID
	t.c.Confirm, t.c.Misses = nil, 0
}

// relayToAgent records a message written while a human owns the
// conversation; the bot stays silent.
func (t *turn) relayToAgent(text string, att []Attachment) {
	id := t.c.Handoff.TicketID
	note := text
	for _, a := range att {
		note += "\n[attachment " + a.Name + " " + a.Ref + "]"
	}
	t.customerNote(id, note)
	if !isControl(text) && !strings.HasPrefix(text, "quote:") { // not a button
		t.c.Handoff.heard(text)
	}
	t.ackWaiting()
}

// customerNote records what the customer wrote on ticket id, for the
// agents.
func (t *turn) customerNote(id, text string) {
	t.fail(t.tx.Tickets().AddNote(t.ctx, id, t.by("customer", ""), "customer: "+text))
	t.touch(id)
}

// ackWaitingEvery is how often a customer writing to a handoff nobody has
// claimed yet hears that the message reached the team.
const ackWaitingEvery = time.Hour

// ackWaiting tells a customer who writes while waiting for a person that
// nobody has picked up yet and when to expect a reply (or that the reply is
// late), at most once an hour: silence reads as a dead chat. Once an agent
// has claimed the ticket the bot stays out of their conversation.
func (t *turn) ackWaiting() {
	h := t.c.Handoff
	if h.Agent != "" || len(t.out) > 0 || !h.Acked.IsZero() && t.now.Sub(h.Acked) < ackWaitingEvery {
		return // claimed, answered already (an email address noted), or told lately
	}
	tk, err := t.tx.Tickets().Get(t.ctx, h.TicketID)
	if err != nil {
		t.fail(err)
		return
	}
	h.Acked = t.now
	switch due := tk.Due.FirstResponse; {
	case tk.Quote != nil && tk.Quote.Status == ticketing.QuotePending:
		return // the quote is out: the customer's answer goes to the quote
	case due != nil && t.now.Before(*due):
		t.say("handoff.waiting", "ticket", tk.ID, "deadline", t.when(due))
	default:
		t.say("handoff.late", "ticket", tk.ID)
	}
}

// askRating asks for the satisfaction score; where questions go together
// (email), for the comment in the same reply.
func (t *turn) askRating() { t.askScore("rate.ask") }

// askScore asks for the score in the words of key, the stars to choose
// from (a channel that asks together asks for the comment with it).
func (t *turn) askScore(key string) {
	if t.e.asksTogether(t.c.Channel) {
		t.ask("rate.ask_together", nil, "ticket", t.val(slotRateTicket))
		return
	}
	var choices []Choice
	for i := 5; i >= 1; i-- {
		n := strconv.Itoa(i)
		choices = append(choices, Choice{Value: n, Label: strings.Repeat("★", i), Name: t.text("rate.star", "n", n)})
	}
	t.ask(key, choices, "ticket", t.val(slotRateTicket))
}

// agreedNotRated reports an agreement given to the rating question ("接受",
// "accept", "yes", "不接受" the quote's words again): it rates nothing, and
// it is no new request either.
func agreedNotRated(text string) bool {
	yn, _ := quoteWords(text)
	return yn != 0 || yesNo(text) == 1
}

// sideAnswered reports whether the customer's last message, at the
// rating, was a question, answered beside the rating: an "ok" now
// acknowledges the answer.
func (t *turn) sideAnswered() bool {
	b := t.before
	return t.c.State == RateScore && b != nil && b.State == RateScore && looksLikeQuestion(b.Text)
}

func (t *turn) rateAnswer(text string) {
	if t.c.State == RateScore && notSolved(norm(text)) {
		t.reopenUnsolved(text) // "it's still broken": nothing to rate yet
		return
	}
	if scaleAsked(text) {
		t.say("rate.scale") // "is 5 the best?", "5分是最好吗": a question, not a score
		t.askRating()
		return
	}
	if lo, hi, ok := betweenScores(text); ok {
		t.askBetween(lo, hi) // "4.5", "between 3 and 4": which whole score
		return
	}
	score, ok := extract.Rating(text)
	if ok && isAck(text) && t.sideAnswered() {
		t.askScore("rate.ask_again") // "ok" to the answer of a side question: no score
		return
	}
	if ok && saidOfOther(text) {
		if worksAgain(norm(text)) {
			// "it works fine now", "everything is fine now, thanks": the
			// result confirmed, the service not rated yet.
			t.say("rate.glad")
			t.askRating()
			return
		}
		if t.movedOn(text) { // "fine, repair my TV-55X": a new request
			t.leaveRating()
			t.idle(text, nil)
			return
		}
		t.miss() // "fine, repair it": no rating, and no question either
		return
	}
	if !ok {
		if declinesRating(text) {
			t.advance(t.val(slotRateTicket), ticketing.StatusClosed, "customer", "closed without a rating: the customer did not want to rate")
			t.leaveRating()
			t.say("rate.declined")
			return
		}
		if agreedNotRated(text) {
			t.askScore("rate.ask_again") // "接受", "accept": the score still wanted, asked briefly
			return
		}
		if t.movedOn(text) || filesComplaint(text) { // a new request or a complaint (§3.5), not a rating
			t.leaveRating()
			t.idle(text, nil)
			return
		}
		if remark(text, false) {
			// "the technician was very friendly and quick": a comment told
			// before the score, kept for it (it was taken for a question
			// about technicians).
			t.set(slotRateNote, strings.TrimSpace(text), text)
			t.say("rate.remark")
			t.askRating()
			return
		}
		if t.sideQuestion(text) {
			t.askRating()
			return
		}
		if isThanks(text) { // "thanks": the rating is still welcome
			t.say("rate.welcome")
			t.askRating()
			return
		}
		t.miss()
		return
	}
	t.set(slotScore, strconv.Itoa(score), text)
	t.fire(evRated)
	switch {
	case scoreOnly(text) && t.has(slotRateNote):
		t.commentAnswer(t.val(slotRateNote)) // the comment came first
	case !scoreOnly(text):
		t.commentAnswer(text) // "给4分，客服态度很好但是等太久了": the comment came with it
	case t.e.asksTogether(t.c.Channel):
		t.commentAnswer("") // one mail: the comment would have come with the score
	default:
		t.askComment()
	}
}

// halfScore finds a score between two whole ones: "4.5", "3,5 stars",
// "四点五分", "between 3 and 4", "3到4分之间".
var halfScore = regexp.MustCompile(`^\s*([1-4一二三四])\s*(?:[.,．]5|点5|点五|½)\s*(?:分|星|stars?|/5|out of 5)?\s*$|between ([1-5]) and ([1-5])|([1-5])\s*(?:到|至)\s*([1-5])\s*分?\s*之间`)

// betweenScores returns the two whole scores a score between them lies in.
func betweenScores(text string) (lo, hi int, ok bool) {
	m := halfScore.FindStringSubmatch(strings.ToLower(text))
	if m == nil || len(strings.Fields(text)) > 6 || !strings.Contains(strings.TrimSpace(text), " ") && utf8.RuneCountInString(text) > 12 { // not "5 stars, the wait was between 3 and 4 hours"

		return 0, 0, false
	}
	switch {
	case m[1] != "":
		lo = strings.Index("1234", m[1]) + 1
		if lo == 0 {
			lo = strings.Index("一二三四", m[1])/len("一") + 1
		}
		return lo, lo + 1, true
	case m[2] != "":
		lo, _ = strconv.Atoi(m[2])
		hi, _ = strconv.Atoi(m[3])
	default:
		lo, _ = strconv.Atoi(m[4])
		hi, _ = strconv.Atoi(m[5])
	}
	return min(lo, hi), max(lo, hi), lo != hi
}

// askBetween asks which of two whole scores the customer gives.
func (t *turn) askBetween(lo, hi int) {
	var choices []Choice
	for _, i := range []int{hi, lo} {
		n := strconv.Itoa(i)
		choices = append(choices, Choice{Value: n, Label: strings.Repeat("★", i), Name: t.text("rate.star", "n", n)})
	}
	t.ask("rate.whole", choices, "low", strconv.Itoa(lo), "high", strconv.Itoa(hi))
}

// scaleAsked reports whether a question at the rating asks what the
// scores mean ("is 5 the best?", "what does 1 mean?", "5分是最好吗").
func scaleAsked(text string) bool {
	return looksLikeQuestion(text) && containsAny(norm(text), "best", "highest", "lowest", "worst", "top score", "mean", "good or bad",
		"最好", "最高", "最低", "最差", "最满意", "最不满意", "满分", "什么意思", "代表", "好还是差", "高还是低")
}

// middling are the words that rate the service middling when said of it
// ("fine", "it was ok") and rate nothing when said of something else.
var middling = regexp.MustCompile(`(?i)\b(?:fine|ok|okay|alright|all right)\b`)

// saidOfOther reports whether the only rating words of a message, "fine" or
// "ok", are said of something else than the service: the product working
// again ("it works fine now", "everything is fine now, thanks"), or still
// not ("fine, it still won't turn on"), or a request ("fine, repair it").
// With a score or other rating words ("works fine now, 5 stars"), or said
// of nothing else ("it was fine but slow"), it rates the service.
func saidOfOther(text string) bool {
	if _, ok := extract.Rating(middling.ReplaceAllString(text, " ")); ok {
		return false
	}
	n := norm(text)
	return worksAgain(n) || notSolved(n) || containsAny(n, "repair it", "fix it", "go ahead", "do it", "please repair", "please fix",
		"send someone", "won't work", "stopped working", "still not", "still no", "still doesn't")
}

// worksAgain reports whether normalised text says the product works again.
func worksAgain(n string) bool {
	return cue(n, worksFine) == 1 || containsAny(n, "works now", "working now", "it works", "fixed", "solved")
}

// declinesRating reports whether text refuses the rating ("skip", "I don't
// want to rate", "不评了") or ends the conversation ("bye").
func declinesRating(text string) bool {
	t := norm(text)
	switch t {
	case "skip", "pass", "no", "no thanks", "no thank you", "not now", "later", "no rating", "rather not", "i'd rather not",
		"nah", "nope", "no time", "no time sorry", "sorry no time", "not interested", "maybe later", "nah thanks", "no need",
		"跳过", "不了", "不用", "不评", "不评了", "不评价", "不想评", "不想评价", "不用评价", "不用评了", "不打分", "不评分", "以后再说":
		return true
	}
	return isGoodbye(text) || containsAny(t, "don't want to rate", "do not want to rate", "dont want to rate", "not going to rate",
		"won't rate", "skip the rating", "skip rating", "rather not say", "prefer not to", "不想评价", "不想打分", "不要评价", "不评价了", "不想说", "就不评了")
}

// scoreOnly reports whether a rating message says nothing but the score
// ("5", "4 stars", "★★★★", "5分", "五星"): no comment came with it.
func scoreOnly(text string) bool {
	rest := norm(text)
	for _, w := range []string{"分", "星", "颗", "给", "打", "吧"} {
		rest = strings.ReplaceAll(rest, w, "")
	}
	n := 0
	for _, w := range strings.FieldsFunc(rest, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) && r != '\'' }) {
		if scoreWords[w] {
			continue
		}
		for _, r := range w {
			if !unicode.IsDigit(r) && !unicode.IsSymbol(r) && !unicode.Is(unicode.Mn, r) && !strings.ContainsRune("★☆⭐/一二三四五", r) { // emoji, as stars, say nothing more
				n++
			}
		}
	}
	return n < 2
}

// scoreWords are the words around a score that say nothing more ("I'd
// give it a four", "4 out of 5 stars").
var scoreWords = map[string]bool{
	"out": true, "of": true, "star": true, "stars": true, "point": true, "points": true, "one": true, "two": true, "three": true,
	"four": true, "five": true, "i": true, "i'd": true, "would": true, "give": true, "it": true, "you": true, "a": true, "an": true,
	"solid": true, "say": true, "rate": true, "make": true, "that": true, "actually": true,
}

// rescore takes a corrected score while the comment is asked ("sorry, I
// meant 5 stars", "刚才打错了，应该是四分"). False when text is no score.
func (t *turn) rescore(text string) bool {
	score, ok := extract.Rating(text)
	if !ok || !scoreOnly(text) && !correctionCue(text) && !containsAny(norm(text), "make that", "make it", "改成", "改为", "打错", "应该是") {
		return false
	}
	t.set(slotScore, strconv.Itoa(score), text)
	t.say("updated", "what", t.text("rate.score_label"), "value", strconv.Itoa(score))
	t.askComment()
	return true
}

// askComment asks for the rating's comment; after a low score, what
// went wrong.
func (t *turn) askComment() {
	key := "rate.comment"
	if t.lowScore() {
		key = "rate.comment_low"
	}
	t.ask(key, []Choice{t.choice("choice:no", "choice.skip")})
}

// lowScore reports whether the score given is 1 or 2: the service fell
// short, which the replies own to.
func (t *turn) lowScore() bool {
	s, _ := strconv.Atoi(t.val(slotScore))
	return s >= 1 && s <= 2
}

func (t *turn) commentAnswer(text string) {
	low := t.lowScore()
	comment := strings.TrimSpace(text)
	if yesNo(text) == -1 || containsAny(norm(text), "跳过", "skip", "no comment", "没有了", "没了") {
		comment = ""
	}
	t.recordRating(comment)
	t.fire(evCommented)
	t.ratingDone()
	if filesComplaint(text) {
		// "1分，客服太慢了，我要投诉": the score is kept, and the complaint
		// goes to a named person like any other (§3.5), not into a
		// comment nobody follows up.
		t.say("rate.noted")
		t.start(intentComplaint, text, nil)
		return
	}
	if low {
		t.say("rate.thanks_low")
	} else {
		t.say("rate.thanks")
	}
	if q := askedAfter(text); q != "" {
		t.idle(q, nil) // "…was great. but can I get an invoice for the repair?": answered too
	}
}

// askedAfter returns the question a comment ends with after a remark
// ("the technician was great. but can I get an invoice?"), or "".
func askedAfter(text string) string {
	ss := sentences(strings.TrimSpace(text))
	if len(ss) < 2 || !looksLikeQuestion(ss[len(ss)-1]) {
		return ""
	}
	q := strings.TrimSpace(ss[len(ss)-1])
	for _, lead := range []string{"but ", "and ", "also ", "btw ", "但是", "不过", "另外", "还有"} {
		if len(q) > len(lead) && strings.EqualFold(q[:len(lead)], lead) {
			q = q[len(lead):]
		}
	}
	return q
}

// addToRating adds a remark made right after the rating ("the wait was
// too long", "等太久了") to the rating's comment and acknowledges it.
// False when the message before did not rate a ticket, or this one is no
// remark (a question or a new request goes on as usual).
func (t *turn) addToRating(text string) bool {
	if t.before == nil || t.before.State != RateScore && t.before.State != RateComment ||
		!containsAny(norm(text), ratingRemarkWords...) || !remark(text, true) || t.stale() || len(t.e.catalog.Models(text)) > 0 {
		return false
	}
	id := t.val(slotRateTicket) // rated by the message before (ratingDone)
	if id == "" {
		return false
	}
	if tk, err := t.tx.Tickets().Get(t.ctx, id); err != nil || tk.Satisfaction == nil {
		return false
	}
	t.updateTicket(id, "customer", "satisfaction comment added", func(x *ticketing.Ticket) error {
		s := *x.Satisfaction
		s.Comment = strings.TrimSpace(s.Comment + "\n" + strings.TrimSpace(text))
		x.Satisfaction = &s
		return nil
	})
	t.say("rate.remark")
	return true
}

// ratingRemarkWords say how the service went: a message right after the
// rating needs one to be taken for a remark on it.
var ratingRemarkWords = []string{"too ", "very ", "so ", "really ", "slow", "long", "quick", "fast", "late", "friendly", "rude",
	"helpful", "polite", "patient", "professional", "great", "good", "bad", "poor", "nice", "excellent",
	"太", "很", "真", "非常", "挺", "慢", "久", "快", "及时", "耐心", "专业", "态度", "热情"}

// remark reports whether a message comments on the service: a statement,
// not a question or a request. Said right after the rating (rated), it
// only remarks on the service: no goodbye, and no fault still there. Said
// at the rating question, with no score in it, it is four words or more
// (eight characters in Chinese), not thanks alone.
func remark(text string, rated bool) bool {
	t := strings.TrimSpace(text)
	if looksLikeQuestion(t) || intentOf(t) != intentNone {
		return false
	}
	if rated {
		return !Closing(t) && !notSolved(norm(t))
	}
	if isThanks(t) {
		return false
	}
	if strings.ContainsFunc(t, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
		return utf8.RuneCountInString(t) >= 8
	}
	return len(strings.Fields(t)) >= 4
}

// filesComplaint reports whether a message given as a rating asks to
// complain ("1分，我要投诉", "I want to file a complaint"): a low score or
// harsh words alone ("the worst service ever") are the rating itself.
func filesComplaint(text string) bool {
	return intentOf(text) == intentComplaint &&
		containsAny(norm(text), "投诉", "举报", "12315", "维权", "complain", "complaint", "manager", "supervisor")
}

// ratingDone ends the rating journey once the rating is stored, keeping
// the ticket rated for a remark made right after it (addToRating).
func (t *turn) ratingDone() {
	id := t.val(slotRateTicket)
	t.clearJourney()
	t.set(slotRateTicket, id, "")
}

// recordRating stores the score the customer gave, with comment, on the
// ticket being rated and closes it.
func (t *turn) recordRating(comment string) {
	score, _ := strconv.Atoi(t.val(slotScore))
	id := t.val(slotRateTicket)
	t.updateTicket(id, "customer", "satisfaction rating", func(tk *ticketing.Ticket) error {
		tk.Satisfaction = &ticketing.Satisfaction{Score: score, Comment: comment, At: t.now.UTC()}
		return nil
	})
	t.advance(id, ticketing.StatusClosed, "bot", "rated by the customer")
}

// notSolved reports whether normalised text says the problem the resolved
// ticket was about is not solved ("it's still broken", "还是不行"), or a
// fault is back ("又有点异响").
func notSolved(n string) bool {
	return containsAny(n, "still broken", "still not working", "still doesn't work", "still does not work", "still won't",
		"still not fixed", "still isn't", "still is not", "still the same", "still having", "still has the", "not fixed",
		"isn't fixed", "wasn't fixed", "not solved", "isn't solved", "wasn't solved", "not resolved", "isn't resolved",
		"broken again", "broke again", "stopped working again", "same problem", "problem is back", "problem came back",
		"didn't fix", "did not fix", "doesn't work", "does not work", "not working",
		"nobody helped", "no one helped", "没人帮", "没有人帮", "没帮我", "没人管", "没人处理",
		"没修好", "还是坏", "还是不行", "还是不能", "还是没", "又坏了", "又出现", "没解决", "没有解决", "未解决", "问题还在",
		"故障还在", "还是一样", "还是老样子", "还没好", "没好转") ||
		containsAny(n, "又", "again") && faultPhrases.any(n) // "不过今天早上又有点异响", "it crackles again"
}

// reopenUnsolved answers a customer who, asked to rate the resolved
// ticket, says its problem is not solved: the ticket is reopened, with what
// they said, and the conversation goes back to the person who resolved it
// (the bot stays silent, as in any handoff, and their next messages reach
// that person). Nothing is rated.
func (t *turn) reopenUnsolved(text string) {
	id := t.val(slotRateTicket)
	t.advance(id, ticketing.StatusReopened, "customer", "reopened: the customer says the problem is not solved")
	t.fail(t.tx.Tickets().AddNote(t.ctx, id, t.by("customer", ""), "customer: "+text))
	t.dropTimer("rating_expiry", id)
	tk, err := t.tx.Tickets().Get(t.ctx, id)
	if err != nil {
		t.fail(err)
		return
	}
	t.leaveRating()
	t.fire(evEscalate)
	t.handoff(id, "not solved")
	t.c.Handoff.Agent = tk.Assignee
	t.touch(id)
	t.say("rate.not_solved", "ticket", id)
}

// ratingFor reports whether the conversation waits for the rating of
// ticket id.
func (t *turn) ratingFor(id string) bool {
	return (t.c.State == RateScore || t.c.State == RateComment) && t.val(slotRateTicket) == id
}

// expireRating closes resolved ticket id when its rating did not come in
// time: with the score when one was given (the comment never came),
// without a rating otherwise. The conversation stops waiting for it,
// silently: nothing is sent to a customer who has gone.
func (t *turn) expireRating(id string) {
	tk, err := t.tx.Tickets().Get(t.ctx, id)
	if err != nil {
		t.fail(err)
		return
	}
	if tk.Status != ticketing.StatusResolved { // rated and closed, or reopened
		return
	}
	waiting := t.ratingFor(id)
	if waiting && t.c.State == RateComment {
		t.recordRating("")
	} else {
		t.advance(id, ticketing.StatusClosed, "bot", fmt.Sprintf("closed without a rating after %d days", t.e.pol.Feedback.RatingDays))
	}
	if waiting {
		t.leaveRating()
	}
}

// movedOn reports whether text, which is not a rating, is the customer
// moving on rather than answering: a menu choice, a product named without a
// question (a new fault), or anything at all once the question is stale
// (the customer is back days later with something else).
func (t *turn) movedOn(text string) bool {
	return strings.HasPrefix(text, "intent:") || t.stale() ||
		(!looksLikeQuestion(text) && len(t.e.catalog.Models(text)) > 0)
}

// leaveRating stops waiting for a rating: the customer moved on to a new
// request (the ticket stays resolved until it is rated or its rating
// expires), or the rating expired.
func (t *turn) leaveRating() {
	t.fire(evCancel)
	t.clearJourney()
}

// lateComment handles a message in the comment state that came once the
// question was stale: the score is recorded without a comment and the
// message is a new start.
func (t *turn) lateComment(text string, att []Attachment) bool {
	if !t.stale() {
		return false
	}
	t.recordRating("")
	t.fire(evCommented)
	t.ratingDone()
	t.idle(text, att)
	return true
}

// correctBooked applies a correction to the journey that just ended in a
// ticket ("不对，是去年5月买的") and re-runs the decision on the ticket.
func (t *turn) correctBooked(text string) bool {
	c := t.c
	tk, err := t.tx.Tickets().Get(t.ctx, c.TicketID)
	if err != nil || (tk.Kind != ticketing.KindRepair && tk.Kind != ticketing.KindReturn && tk.Kind != ticketing.KindExchange) {
		return false
	}
	if tk.Status != ticketing.StatusNew && tk.Status != ticketing.StatusOpen {
		return false
	}
	if m := t.exactModel(text); m != "" && m != tk.Model {
		return false // "PS: I bought a soundbar SB-200 too": another product, not a correction
	}
	since, started := t.faultStart(text)
	started = started && tk.Kind == ticketing.KindRepair
	var f filled
	if t.has(slotModel) {
		f = t.fill("repair", text, nil)
	}
	if started {
		// "我记错了，是11月20号开始没声音的": the day the fault began,
		// corrected (also after a side question set the form aside); the
		// fault and the purchase date stay as they are. A start before the
		// purchase is asked about, not recorded.
		t.takeFaultStart(tk.ID, since, text)
	}
	if !t.has(slotModel) {
		return started
	}
	confirm := slices.DeleteFunc(slices.Clone(c.Confirm), func(p Pending) bool { return p.Name == slotFaultSince })
	if started && len(f.changed) == 0 && len(confirm) == 0 {
		return true
	}
	if !started && len(f.changed) == 0 && len(confirm) == 0 && tk.Kind == ticketing.KindRepair && faultPhrases.any(norm(text)) {
		// "说错了，不是没声音，是没有画面": the fault told again, corrected.
		t.set(slotFault, strings.TrimSpace(text), text)
		t.updateTicket(tk.ID, "customer", "fault corrected by the customer", func(x *ticketing.Ticket) error {
			x.Details[slotFault] = t.val(slotFault)
			x.Subject = t.ticketSubject(t.val(slotFault))
			return nil
		})
		t.say("updated", "what", t.slotLabel(slotFault), "value", t.slotText(slotFault))
		return true
	}
	for _, p := range confirm {
		v := p.Value
		v.Confirmed = true
		c.Slots[p.Name] = v
		f.changed = append(f.changed, p.Name)
		c.dropPending(p.Name) // confirmed; a question which day the fault began stays pending
	}
	if len(f.changed) == 0 {
		return false
	}
	d, ok := t.decide()
	if !ok {
		return false
	}
	for _, s := range f.changed {
		t.say("updated", "what", t.slotLabel(s), "value", t.slotText(s))
	}
	before := tk.Warranty
	t.updateTicket(tk.ID, "customer", "corrected by the customer: decision made again", func(x *ticketing.Ticket) error {
		x.Model = d.Model
		if p, err := policy.ParseDate(t.val(slotPurchased)); err == nil {
			x.PurchaseDate = p
		}
		x.Warranty = &ticketing.WarrantyDecision{Covered: d.Warranty.Covered, Ends: d.Warranty.Ends, Reason: string(d.Warranty.Reason)}
		x.Options = optionStrings(d.Returns.Options)
		return nil
	})
	t.sayText(t.warrantyText(d))
	if before != nil && before.Covered && !d.Warranty.Covered && tk.Kind == ticketing.KindRepair {
		t.say("correction.now_paid", "ticket", tk.ID)
	}
	return true
}

// takeFaultStart records the fault's start told after filing ticket id, or
// asks again when it is before the purchase: the day told waits, pending,
// for the answer (faultSincePending), which is read as the start.
func (t *turn) takeFaultStart(id string, since Slot, text string) {
	if bought, ok := t.boughtAfter(since); ok {
		t.say("fault_since.before_purchase", "since", t.sinceText(since), "bought", bought)
		since.Raw, since.Turn = text, t.c.Turn
		t.c.setPending(Pending{Name: slotFaultSince, Value: since})
		return
	}
	t.recordFaultStart(id, since, text)
}

// askFaultSince asks again which day the fault began, while that question
// is pending.
func (t *turn) askFaultSince() {
	t.say("fault_since.ask", "bought", t.slotText(slotPurchased))
}

// faultSincePending handles a message while the question which day the
// fault began (its start told was before the purchase) is pending, as a
// value waiting for confirmation is in a form: a day answers it; a plain
// yes or no says whether the day told stands (faultSinceYesNo); a phone
// number is taken as the phone; a question is answered, and "hold on",
// "let me check" or what is not understood are answered, the question
// asked again each time; "I don't know" lets it go. A new request, a
// correction of something else, thanks or goodbye leave it (false: the
// message is handled as in idle).
func (t *turn) faultSincePending(text string) bool {
	c := t.c
	if c.Asking == slotFaultSince {
		// Asked by an earlier version, which read only the next message.
		c.Asking = ""
		c.setPending(Pending{Name: slotFaultSince, Value: Slot{Turn: c.Turn}})
	}
	if p := c.pending(); p == nil || p.Name != slotFaultSince {
		return false
	}
	if _, ok := t.openRepair(); !ok {
		c.dropPending(slotFaultSince) // the ticket has moved on: nothing to record it on
		return false
	}
	if t.faultStartTold(text, true) {
		return true
	}
	n := norm(text)
	switch {
	case strings.HasPrefix(text, "intent:") || strings.HasPrefix(text, "choice:"):
	case t.phoneOnly(text):
		p, _ := extract.Phone(text)
		t.notePhone(p)
		t.say("phone.taken", "phone", p)
		t.askFaultSince()
		return true
	case isGreeting(text):
		t.say("still_here")
		t.askFaultSince()
		return true
	case t.ambiguousDate(text):
		return true
	case !looksLikeQuestion(text) && intentOf(text) == intentNone && yesNo(text) != 0 && !isAck(text):
		t.faultSinceYesNo(yesNo(text) == 1)
		return true
	case looksLikeQuestion(text) && !isUnsure(text):
		if !t.sideQuestion(text) {
			t.say("side_question_unknown")
		}
		t.askFaultSince()
		return true
	case containsAny(n, waitCues...):
		t.say("wait.ok")
		t.askFaultSince()
		return true
	case isUnsure(text) && intentOf(text) == intentNone:
		c.dropPending(slotFaultSince)
		t.say("fault_since.unknown") // the ticket stays as it is
		return true
	case correctionCue(text), intentOf(text) != intentNone, isThanks(text), isGoodbye(text), t.looksLikeFault(text):
	default:
		t.say("not_understood")
		t.askFaultSince()
		return true
	}
	c.dropPending(slotFaultSince) // the customer moved on
	return false
}

// ambiguousDate asks which day a date said to the question which day the
// fault began means, when it reads both ways round ("11/10"); false when
// text has no such date.
func (t *turn) ambiguousDate(text string) bool {
	dm, md, ok := extract.Ambiguous(text, t.today, false)
	if ok {
		t.askWhichDate(ambiguousDate{dm: dm, md: md})
	}
	return ok
}

// faultSinceYesNo answers a plain "yes" or "no" to the question which day
// the fault began, asked because the day told is before the purchase. "No"
// (that day was wrong): the question is asked again. "Yes" (that day
// stands): a fault cannot start before the purchase, so nothing is recorded
// as its start; the ticket stays as it is, the day told is noted on it for
// the technician to check with the customer, and the customer is told so.
func (t *turn) faultSinceYesNo(yes bool) {
	c := t.c
	if !yes {
		t.say("fault_since.which", "bought", t.slotText(slotPurchased))
		return
	}
	p := c.pending()
	tk, _ := t.openRepair() // faultSincePending found it
	since, bought := t.sinceText(p.Value), t.slotText(slotPurchased)
	if p.Value.Value != "" {
		note := fmt.Sprintf("the customer maintains the fault started on %s, before the purchase (%s): dates to check with the customer", sinceValue(p.Value), t.val(slotPurchased))
		if err := t.tx.Tickets().AddNote(t.ctx, tk.ID, t.by("customer", ""), note); err != nil {
			t.fail(err)
			return
		}
		t.touch(tk.ID)
		t.say("fault_since.kept", "since", since, "bought", bought)
	} else {
		t.say("fault_since.unknown") // asked by an earlier version: no day told to keep
	}
	c.dropPending(slotFaultSince)
}

// waitCues ask for a moment to look something up.
var waitCues = []string{"hold on", "hang on", "wait", "let me check", "let me see", "let me look", "one moment", "a moment", "just a sec", "one sec",
	"稍等", "等一下", "等等", "等下", "我查一下", "我查查", "我看一下", "我看看", "我找一下", "我找找", "我想想", "让我想想"}

// phoneOnly reports whether text gives a phone number and no date: told
// to a question asking for a day, it is the customer's phone number.
func (t *turn) phoneOnly(text string) bool {
	_, ok := extract.Phone(text)
	return ok && len(extract.Dates(text, t.today)) == 0
}

// notePhone records the customer's phone number on the conversation and on
// its current ticket, where the agents see it.
func (t *turn) notePhone(p string) {
	c := t.c
	c.Customer.Phone = p
	t.set(slotPhone, p, p)
	if c.TicketID == "" {
		return
	}
	t.updateTicket(c.TicketID, "customer", "phone number given", func(tk *ticketing.Ticket) error {
		tk.Customer.Phone = p
		return nil
	})
}

// faultStartTold takes the day the fault began told after filing without a
// word of correcting ("it started on 20 November"), or the answer to the
// question which day it began (asked: any date will do, "20 November").
// False when text tells no such day, or the last ticket is no open repair.
func (t *turn) faultStartTold(text string, asked bool) bool {
	tk, ok := t.openRepair()
	if !ok {
		return false
	}
	n := norm(text)
	if looksLikeQuestion(text) || containsAny(n, againCues...) || !asked && !containsAny(n, faultStartCues...) {
		return false
	}
	if m := t.exactModel(text); m != "" && m != tk.Model {
		return false
	}
	since, ok := t.faultStartIn(text, asked)
	if !ok {
		return false
	}
	t.takeFaultStart(tk.ID, since, text)
	return true
}

// openRepair returns the conversation's last ticket when it is a repair
// still new or open: its fault's start may be told.
func (t *turn) openRepair() (*ticketing.Ticket, bool) {
	if t.c.TicketID == "" {
		return nil, false
	}
	tk, err := t.tx.Tickets().Get(t.ctx, t.c.TicketID)
	if err != nil || tk.Kind != ticketing.KindRepair || tk.Status != ticketing.StatusNew && tk.Status != ticketing.StatusOpen {
		return nil, false
	}
	return tk, true
}

// recordFaultStart records on the conversation and on ticket id the day
// (or month) the fault began, and tells the customer.
func (t *turn) recordFaultStart(id string, since Slot, text string) {
	c := t.c
	since.Raw, since.Confirmed, since.Turn = text, true, c.Turn
	c.Slots[slotFaultSince] = since
	c.dropPending(slotFaultSince) // the question which day, if it was asked, is answered
	t.updateTicket(id, "customer", "fault start date corrected by the customer", func(x *ticketing.Ticket) error {
		if x.Details == nil {
			x.Details = map[string]string{}
		}
		x.Details[slotFaultSince] = sinceValue(since)
		return nil
	})
	t.say("updated", "what", t.slotLabel(slotFaultSince), "value", t.slotText(slotFaultSince))
}

// sinceValue is the fault's start as the ticket shows it: the day
// (2026-11-20), or the month when only that was told (2026-11).
func sinceValue(since Slot) string {
	if since.Precision == "month" {
		return since.Value[:len("2026-11")]
	}
	return since.Value
}

// sinceText shows the fault's start to the customer.
func (t *turn) sinceText(since Slot) string {
	d, _ := policy.ParseDate(since.Value)
	if since.Precision == "month" {
		return t.monthText(d)
	}
	return t.dateText(d)
}

// boughtAfter reports whether the product was bought after the fault is
// said to have started (a whole month told: after its end), and shows the
// purchase date.
func (t *turn) boughtAfter(since Slot) (string, bool) {
	p, err := policy.ParseDate(t.val(slotPurchased))
	if err != nil {
		return "", false
	}
	d, err := policy.ParseDate(since.Value)
	if err != nil {
		return "", false
	}
	if since.Precision == "month" {
		d = d.AddDate(0, 1, -1)
	}
	if t.c.Slots[slotPurchased].Precision == "month" {
		p = p.AddDate(0, 1, -1) // bought in April: a start on 10 April may be after it
	}
	if !d.Before(p) || t.c.Slots[slotPurchased].Precision == "year" {
		return "", false
	}
	return t.slotText(slotPurchased), true
}

// faultStart returns the day text says the fault began ("sorry, it actually
// stopped working on 20 November", "是11月20号开始没声音的", "it went silent
// on the 20th"), or the month ("in early November", "从11月初开始的"): not
// in the future, in a clause that says no buying, delivery or installation;
// of several, the one said with the fault or its start ("delivered on 12
// April and it's been silent since 20 November": the second). False when
// text tells no fault or its start, or tells a fall, water, a repair
// elsewhere or force majeure (that event's date is no start of the fault).
func (t *turn) faultStart(text string) (Slot, bool) { return t.faultStartIn(text, false) }

// faultStartIn is faultStart; asked, text needs no word of the fault or its
// start (it answers the question when the fault started).
func (t *turn) faultStartIn(text string, asked bool) (Slot, bool) {
	n := norm(text)
	if !asked && !faultPhrases.any(n) && !containsAny(n, faultStartCues...) ||
		cue(n, misuseCues) == 1 || cue(n, openedCues) == 1 || cue(n, forceCues) == 1 {
		return Slot{}, false
	}
	var found []extract.DateMatch
	for _, d := range extract.Dates(text, t.today) {
		clause := partAround(text, d.Start, d.End)
		if d.Precision != extract.PrecisionDay && d.Precision != extract.PrecisionMonth || d.Date.After(t.today) ||
			containsAny(clause, purchaseCues...) || containsAny(clause, installCues...) || containsAny(clause, deliveryCues...) {
			continue
		}
		found = append(found, d)
	}
	if len(found) == 0 {
		if d, ok := bareDay(text, t.today); ok {
			return Slot{Value: d.String()}, true // "it went silent on the 20th"
		}
		if d, ok := extract.DayAlone(text, t.today, false); ok && asked {
			return Slot{Value: d.Date.String()}, true // "22号" to "on which day did the fault start?"
		}
		return Slot{}, false
	}
	pick := found[0]
	for _, d := range found {
		clause := partAround(text, d.Start, d.End)
		before := strings.ToLower(text[max(0, d.Start-16):d.Start])
		if faultPhrases.any(clause) || containsAny(clause, faultStartCues...) || containsAny(before, "since", "from", "从") {
			pick = d
			break
		}
	}
	v := Slot{Value: pick.Date.String()}
	if pick.Precision == extract.PrecisionMonth {
		v.Precision = "month"
	}
	return v, true
}

// partAround returns the part of text around bytes [start, end): its
// clause (clauseAround), cut at "and" and "but" too ("the TV was delivered
// on 12 April and it's been silent since 20 November" tells two things),
// lower-cased.
func partAround(text string, start, end int) string {
	lower := strings.ToLower(text)
	if len(lower) != len(text) {
		lower = text // offsets kept: lower-casing changed a length
	}
	from, to := 0, len(text)
	for _, w := range []string{",", ".", ";", "!", "?", "，", "。", "；", "！", "？", "\n", "(", ")", "（", "）", " and ", " but ", "但是", "可是"} {
		if i := strings.LastIndex(lower[:start], w); i >= 0 {
			from = max(from, i+len(w))
		}
		if i := strings.Index(lower[end:], w); i >= 0 {
			to = min(to, end+i)
		}
	}
	return lower[from:to]
}

// deliveryCues say a product was delivered: that day is no start of a
// fault, and no purchase date when the sale's is told too.
var deliveryCues = []string{"delivered", "delivery", "arrived", "received", "came on", "showed up", "到的货", "到货", "收到", "送到", "送货", "签收", "发货"}

// bareDayEn and bareDayZh find a day of the month said alone as the day
// something began: "on the 20th", "since the 3rd", "20号开始", "从20号起"
// ("for the 2nd time", "18号楼" are no such day).
var (
	bareDayEn = regexp.MustCompile(`(?i)\b(?:on|since|from) the (\d{1,2})(?:st|nd|rd|th)\b`)
	bareDayZh = regexp.MustCompile(`(?:^|[^\d月])(\d{1,2})[号日](?:才|就)?(?:开始|起|以来)|从(\d{1,2})[号日]`)
)

// bareDay reads a day of the month said without its month ("it went
// silent on the 20th", "是20号开始的") as the latest such day up to today.
func bareDay(text string, today policy.Date) (policy.Date, bool) {
	m := bareDayEn.FindStringSubmatch(text)
	if m == nil {
		m = bareDayZh.FindStringSubmatch(policy.FoldWidth(text))
	}
	if m == nil {
		return policy.Date{}, false
	}
	n := 0
	for _, g := range m[1:] {
		if g != "" {
			n, _ = strconv.Atoi(g) // the group that matched
		}
	}
	for back := range 3 {
		first := policy.NewDate(today.Year(), today.Month(), 1).AddDate(0, -back, 0)
		d := policy.NewDate(first.Year(), first.Month(), n)
		if n >= 1 && d.Day() == n && d.Month() == first.Month() && !d.After(today) {
			return d, true
		}
	}
	return policy.Date{}, false
}

// fireTimers runs the conversation's due timers; false when none was due.
func (t *turn) fireTimers() bool {
	c := t.c
	var keep []Timer
	fired := false
	for _, tm := range c.Timers {
		if tm.At.After(t.now) {
			keep = append(keep, tm)
			continue
		}
		fired = true
		switch tm.Kind {
		case "quote_expiry":
			tk, err := t.tx.Tickets().Get(t.ctx, tm.TicketID)
			if err != nil {
				t.fail(err)
				continue
			}
			if tk.Quote == nil || tk.Quote.Status != ticketing.QuotePending {
				continue
			}
			t.closeQuote(tm.TicketID, ticketing.QuoteExpired, "bot", "quote expired: closed without work")
			if c.State == RepairQuote && c.TicketID == tm.TicketID {
				t.fire(evExpire)
				t.clearJourney()
			}
			t.say("quote.expired", "ticket", tm.TicketID)
		case "rating_expiry":
			t.expireRating(tm.TicketID)
		}
	}
	c.Timers = keep
	return fired
}

func (t *turn) dropTimer(kind, ticketID string) {
	var keep []Timer
	for _, tm := range t.c.Timers {
		if tm.Kind != kind || tm.TicketID != ticketID {
			keep = append(keep, tm)
		}
	}
	t.c.Timers = keep
}

// newTicket starts a ticket from the slots and a policy decision.
func (t *turn) newTicket(kind ticketing.Kind, d policy.Decision) *ticketing.Ticket {
	tk := &ticketing.Ticket{
		Kind: kind, Status: ticketing.StatusOpen, Model: d.Model,
		Warranty: &ticketing.WarrantyDecision{Covered: d.Warranty.Covered, Ends: d.Warranty.Ends, Reason: string(d.Warranty.Reason)},
		Options:  optionStrings(d.Returns.Options),
		Region:   t.region(),
		Details:  map[string]string{"service_mode": string(d.ServiceMode)},
	}
	t.fillTicket(tk, journey(t.c.State))
	return tk
}

// fillTicket copies the customer, channel and collected details.
func (t *turn) fillTicket(tk *ticketing.Ticket, j string) {
	c := t.c
	tk.Customer = c.Customer
	tk.Customer.Lang = c.Lang
	if p := t.val(slotPhone); p != "" && tk.Customer.Phone == "" {
		tk.Customer.Phone = p
		c.Customer.Phone = p // known for the next request: a complaint does not ask it again
	}
	tk.Channel, tk.ChannelUser, tk.ConversationID = c.Channel, c.User, c.ID
	if tk.Details == nil {
		tk.Details = map[string]string{}
	}
	if prev := t.val(slotPrevious); prev != "" {
		tk.Details["previous_ticket"] = prev // the same fault back: the owner starts from it
	}
	if ref := t.val(slotProof); ref != "" {
		tk.ProofRef = ref
	}
	if p, err := policy.ParseDate(t.val(slotPurchased)); err == nil {
		tk.PurchaseDate = p
	}
	for _, s := range []string{slotFault, slotAddress, slotMisuse, slotOpened, slotConsumable, slotCard} {
		if v := t.val(s); v != "" {
			tk.Details[s] = v
		}
	}
	if j == "repair" && repeatFault(norm(t.c.Slots[slotFault].Raw+" "+t.val(slotFault))) {
		tk.Details["repeat_fault"] = "yes" // "leaking again", "第三次坏了": the owner looks for what was done before
	}
	if tk.Subject == "" {
		tk.Subject = t.ticketSubject(t.val(slotFault))
	}
	if tk.Model == "" {
		tk.Model = t.val(slotModel)
	}
}

// ticketSubject is the subject of a ticket the conversation files: the
// title the customer gave the case, else its content (the fault, the
// complaint), cut to 120 bytes.
func (t *turn) ticketSubject(content string) string {
	if t.c.Subject != "" {
		return truncate(t.c.Subject, 120)
	}
	return truncate(content, 120)
}

func (t *turn) createTicket(tk *ticketing.Ticket, note string) bool {
	if err := t.tx.Tickets().Create(t.ctx, tk, t.by("bot", note)); err != nil {
		t.fail(err)
		return false
	}
	t.c.TicketID = tk.ID
	t.c.Tickets = append(t.c.Tickets, tk.ID)
	t.c.Back = nil // a filed form is not reopened by "back": it would file it twice
	t.touch(tk.ID)
	t.keep(tk)
	for i := range t.out {
		if t.out[i].TicketID == "" {
			t.out[i].TicketID = tk.ID
		}
	}
	return true
}

func (t *turn) updateTicket(id, actor, note string, fn func(*ticketing.Ticket) error) *ticketing.Ticket {
	tk, err := t.tx.Tickets().Update(t.ctx, id, t.by(actor, note), fn)
	if err != nil {
		t.fail(err)
		return nil
	}
	t.touch(id)
	t.keep(tk)
	return tk
}

// advance walks a ticket along allowed status changes to target, one audited
// step at a time.
func (t *turn) advance(id string, target ticketing.Status, actor, note string) {
	tk, err := t.tx.Tickets().Get(t.ctx, id)
	if err != nil {
		t.fail(err)
		return
	}
	for _, st := range statusPath(tk.Status, target) {
		t.updateTicket(id, actor, note, func(x *ticketing.Ticket) error { x.Status = st; return nil })
	}
}

// statusPath is the shortest chain of allowed changes from one status to
// another (nil when already there or unreachable).
func statusPath(from, to ticketing.Status) []ticketing.Status {
	prev := map[ticketing.Status]ticketing.Status{from: ""}
	queue := []ticketing.Status{from}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		if s == to {
			var path []ticketing.Status
			for ; s != from; s = prev[s] {
				path = append([]ticketing.Status{s}, path...)
			}
			return path
		}
		for _, n := range ticketing.Transitions(s) {
			if _, seen := prev[n]; !seen && n != ticketing.StatusCancelled {
				prev[n] = s
				queue = append(queue, n)
			}
		}
	}
	return nil
}

func truncate(s string, n int) string {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\n", " "))
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func abs(m policy.Money) policy.Money {
	if m < 0 {
		return -m
	}
	return m
}
