package dialog

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/supportd/supportd/dialog/extract"
	"github.com/supportd/supportd/policy"
	"github.com/supportd/supportd/ticketing"
)

// idle handles a message outside any journey: a request that starts one, a
// question for the knowledge base, or a correction to the last journey.
func (t *turn) idle(text string, att []Attachment) {
	c := t.c
	if strings.TrimSpace(text) == "" && len(att) > 0 {
		// A file out of the blue (an invoice, a photo): received, and what
		// is it for? A repair or a return started next takes it as the
		// proof of purchase.
		c.Misses = 0
		t.set(slotUpload, "file:"+att[0].Ref, att[0].Name)
		t.say("file.received", "name", att[0].Name)
		t.menu()
		return
	}
	if t.laterAnswer(text, att) {
		return
	}
	if v, ok := strings.CutPrefix(text, "intent:"); ok {
		t.start(intent(v), "", nil)
		return
	}
	if t.faultSincePending(text) {
		return
	}
	if t.packagingAfterFiling(text) {
		return // "I threw the box away", "the box got crushed actually" after a return was filed: no misuse
	}
	if c.TicketID != "" && correctionCue(text) && t.correctBooked(text) {
		return
	}
	if c.TicketID != "" && (t.changeBookedOption(text) || t.bookedToRepair(text)) {
		return // "算了，还是退货吧" after an exchange was filed, "repair instead" after a return
	}
	if c.TicketID != "" && t.faultStartTold(text, false) {
		return // "it started on 20 November"
	}
	if t.changeInstallation(text) || t.changeBookedContact(text) || t.visitDayForBookedRepair(text) {
		return
	}
	if t.installFix(text, att) {
		return // "安装完了，但是排水管太短了": the installation put right
	}
	if t.technicianNote(text) {
		return // "please bring a longer drain hose": for the booked visit
	}
	if in := kindIntent[t.kind]; in != intentNone && c.Turn == 0 {
		t.start(in, text, att) // a first message to complaints@: the mailbox says what it is
		return
	}
	if t.ticketStatus(text) || t.repairCost(text) {
		return
	}
	if wantsToComplain(text) {
		t.start(intentComplaint, text, att) // "你们这什么破电视…我要投诉": the "什么" asks nothing
		return
	}
	if t.severalQuestions(text) {
		return // "WM-100保修多久？要安装吗？": each answered
	}
	if policySilent(text) {
		t.unanswered(text) // "换下来的零件要还给你们吗", "退货运费谁出？": no rule to answer from
		return
	}
	if visitWithFault(text) || repairVisitAsked(text) {
		// "my washing machine leaks, can you fix it on site?", "能不能派师傅来
		// 修冰箱": the repair, the visit told in it
		t.vented = vents(text)
		t.start(intentRepair, text, att)
		return
	}
	if t.repairOfProducts(text) || t.question(text) {
		c.Misses = 0 // "do you repair washing machines?": answered, the report offered
		return
	}
	if t.faultAgain(text, att) {
		return
	}
	if in := t.requestOf(text); in != intentNone {
		if in != intentComplaint && t.twoRequests(text, att) {
			return
		}
		if (in == intentReturn || in == intentExchange) && repairInstead(norm(text)) {
			in = intentRepair // "…想退货，算了还是修一下吧": the mind changed within the message
		}
		t.vented = vents(text)
		t.start(in, text, att)
		return
	}
	if n := norm(text); installTold(n) && !faultPhrases.any(n) && !looksLikeQuestion(text) {
		// "安装好了，谢谢", "Installation went fine, the technician was
		// great": nothing to book, nothing to repair.
		c.Misses = 0
		t.say("install.done_ack")
		return
	}
	if t.factFollowUp(text) || t.warrantyDateFollowUp(text) { // "那HP-30呢" after "RF-450保修多久？": no fault report
		c.Misses = 0
		return
	}
	if t.looksLikeFault(text) && (!helpAsked(text) || faultPhrases.any(norm(text))) ||
		t.has(slotNamed) && faultPhrases.any(norm(text)) && !looksLikeQuestion(text) {
		// A model and a problem: most likely a fault report. "I need help
		// with my TV-55X" says no problem: what help, the menu asks; "it's
		// jammed" after "I need help with my printer" is the printer's.
		t.vented = vents(text)
		t.start(intentRepair, text, att)
		return
	}
	if t.smallTalk(text) { // before the knowledge base: "no thanks" is not a question about proof
		c.Misses = 0
		return
	}
	if !looksLikeQuestion(text) && t.misspeltFault(text, att) {
		// "my washing machnie is leakng": before the knowledge base, which
		// finds an answer about washing machines in it
		return
	}
	if t.productFact(text) {
		c.Misses = 0
		return
	}
	if ans, ok := t.answer(text); ok {
		c.Misses = 0
		t.sayText(ans)
		return
	}
	if isGreeting(text) {
		t.greet()
		return
	}
	if helpAsked(text) {
		c.Misses = 0
		if t.namesAProduct(text) {
			t.set(slotNamed, text, text) // the printer, for the repair or installation picked from the menu
		}
		t.menu() // "I need help with my printer": what with, the menu asks
		return
	}
	if looksLikeQuestion(text) && t.misspeltFault(text, att) {
		return // a question the knowledge base does not answer: "why is my refrigerater not coling?"
	}
	if looksLikeQuestion(text) || utf8.RuneCountInString(text) >= 8 {
		t.unanswered(text)
		return
	}
	t.miss()
}

// misspeltFault starts a repair for a fault told with its product or fault
// words misspelt ("my refrigerater is not coling").
func (t *turn) misspeltFault(text string, att []Attachment) bool {
	fixed, ok := respelled(text)
	if !ok || !t.namesAProduct(fixed) || intentOf(fixed) != intentRepair && !t.looksLikeFault(fixed) {
		return false
	}
	t.start(intentRepair, fixed, att)
	return true
}

// namesAProduct reports whether text names a product, by its model or a
// product noun.
func (t *turn) namesAProduct(text string) bool {
	return len(t.e.catalog.Models(text)) > 0 || len(t.productsNamed(text)) > 0
}

// helpWords ask for help without saying with what.
var helpWords = []string{"i need help", "need some help", "need your help", "can you help", "could you help", "can someone help", "help me",
	"i need assistance", "need support", "帮帮我", "需要帮助", "需要帮忙", "能帮我", "帮我一下", "求助", "请帮忙"}

// helpAsked reports a message that asks for help and says no more ("I need
// help", "can you help me with my printer?", "需要帮助"): it is no
// question for a person, but a customer to ask what they need. A message
// any longer says what it is about, and goes its usual way.
func helpAsked(text string) bool {
	n := norm(text)
	return containsAny(n, helpWords...) && len(strings.Fields(n)) <= 8 && utf8.RuneCountInString(n) <= 40
}

// unanswered offers to pass a question the bot cannot answer to a person.
func (t *turn) unanswered(text string) {
	c := t.c
	c.Slots = map[string]Slot{slotQuestion: {Value: text, Raw: text, Confirmed: true, Turn: c.Turn}}
	t.fire(evUnanswered)
	t.reprompt()
}

// askWords ask something in a message that reads as no question otherwise
// ("安装要用多少米水管").
var askWords = []string{"多少", "为什么", "为啥", "哪个", "哪天", "how many", "how much", "how long", "why"}

// offerConsult offers to pass what the bot could not answer to a person,
// in words that fit what was said: a question, an order that has not
// arrived, or another statement that asks nothing ("I was charged twice"),
// which "I can't answer that one" would read as a question.
func (t *turn) offerConsult() {
	q := t.val(slotQuestion)
	key := "consult.offer"
	switch {
	case notDelivered(norm(q)):
		key = "consult.offer_delivery"
	case !looksLikeQuestion(q) && !containsAny(norm(q), askWords...):
		key = "consult.offer_statement"
	}
	t.ask(key, t.yesNoChoices(), "deadline", t.when(t.deadline(t.e.pol.SLA.Consultation)))
}

// answer returns the knowledge base's answer to text. A match that rests on
// the product named alone is none: "空气净化器能除甲醛吗？" shares only the
// product with "空气净化器保修几年", so the question is asked again without the
// product's name, and it must still find an answer.
func (t *turn) answer(text string) (string, bool) {
	if visitFeeAsked(text) {
		return t.visitFee(), true
	}
	if policySilent(text) {
		return "", false // the service standard says nothing of it: a person answers
	}
	ans, ok := t.e.kb.Answer(text, t.lang())
	if !ok {
		return "", false
	}
	rest, named := t.withoutProducts(text)
	if !named {
		return ans, true
	}
	if _, ok := t.e.kb.Answer(rest, t.lang()); !ok {
		return "", false
	}
	return ans, true
}

// visitCues speak of a technician's visit; repairWords of a repair.
var (
	visitCues = []string{"上门", "到家", "来家里", "call-out", "callout", "call out", "on-site", "onsite", "on site", "home visit", "visit", "visits", "come out", "come to my",
		"come fix", "come and fix", "come to fix", "come repair", "come and repair", "come to repair",
		"come over", "my home", "my house", "my place", "家里来", "来我家"}
	repairWords = []string{"修", "repair", "repairs", "repaired", "repairing", "fix", "fixing", "call-out", "callout", "call out", "上门费"}
)

// visitFeeAsked reports a question whether an on-site repair costs extra
// ("上门维修要收上门费吗", "do you charge a call-out fee for on-site
// repair?"): its cost, a visit and a repair, no installation ("上门安装收费
// 吗" is the installation's terms).
func visitFeeAsked(text string) bool {
	n := norm(text)
	return containsAny(n, visitCues...) && containsAny(n, repairWords...) && !containsAny(n, installWords...) && (strings.Contains(n, "费") || asksCost(n))
}

// oldParts name the parts a repair takes out; partsBack ask to have or keep
// them.
var (
	oldParts  = []string{"换下来的", "换下的", "拆下来的", "拆下的", "旧零件", "旧配件", "旧件", "旧的零件", "旧的配件", "坏的零件", "坏的配件", "old part", "old parts", "replaced part", "replaced parts", "removed parts", "faulty part", "faulty parts", "broken parts", "parts you replace", "parts you took out", "parts you take out"}
	partsBack = []string{"还给", "还我", "归还", "拿回", "带走", "收回", "回收", "要回", "留给", "给我", "归谁", "back", "keep", "return", "hand over", "take away", "what happens to", "who gets"}
)

// oldPartsAsked reports a question whether the parts a repair replaces are
// handed back or kept ("保修期内换下来的零件要还给你们吗", "do I get the old
// parts back after a warranty repair?"). The service standard says nothing
// of it, so no answer about the warranty fits: a person answers it.
func oldPartsAsked(text string) bool {
	if !strings.Contains(text, "件") && !strings.Contains(text, "下") && !strings.Contains(text, "part") && !strings.Contains(text, "Part") && !strings.Contains(text, "PART") {
		return false // names no part: read without folding it
	}
	n := norm(text)
	return containsAny(n, oldParts...) && containsAny(n, partsBack...)
}

// shippingWords name the cost of sending a product (运费 is itself a
// cost); shippingPays ask who pays it.
var (
	shippingWords = []string{"运费", "邮费", "快递费", "寄费", "shipping", "postage", "courier", "freight", "delivery fee", "delivery cost"}
	shippingPays  = []string{"谁", "付", "承担", "出", "包邮", "免费", "收", "多少", "who pays", "who covers", "do i pay", "do i have to pay", "pay for", "pay the", "pay shipping", "paid by", "free", "cost", "charge", "how much"}
)

// shippingAsked reports a question who pays for sending the product in or
// back ("退货运费谁出？", "寄修的运费谁承担？", "do I have to pay shipping to
// send it in for repair?"); n is text normalized. The service standard
// says nothing of it: a person answers, instead of the list of how each
// product is repaired or a return started.
func shippingAsked(text, n string) bool {
	return containsAny(n, shippingWords...) && containsAny(n, shippingPays...) && looksLikeQuestion(text)
}

// deliveryWords name an order or a parcel on its way; notArrived say it
// has not come, notShipped that it was not sent (no parcel need be named).
var (
	deliveryWords = newPhraseSet([]string{"order", "orders", "package", "parcel", "delivery", "shipment", "purchase", "my stuff", "goods",
		"订单", "快递", "包裹", "物流", "订的货", "买的东西", "订的东西", "买的货", "网购", "下单"})
	notArrived = newPhraseSet([]string{"hasn't arrived", "has not arrived", "haven't arrived", "not arrived", "not yet arrived", "never arrived",
		"didn't arrive", "did not arrive", "hasn't come", "has not come", "never came", "hasn't been delivered", "has not been delivered",
		"wasn't delivered", "was not delivered", "not delivered", "never delivered", "haven't received", "have not received",
		"didn't receive", "did not receive", "never received", "not received", "still not here", "still waiting for",
		"没到", "没有到", "未到", "没收到", "没有收到", "未收到", "收不到", "没送到", "没送来", "还没送", "还没来", "迟迟不到", "丢件"})
	notShipped = newPhraseSet([]string{"hasn't shipped", "has not shipped", "not shipped", "hasn't been shipped", "has not been shipped",
		"wasn't shipped", "not been sent", "hasn't been sent", "没发货", "未发货", "不发货", "还没发", "没寄出", "还没寄"})
	// whenArrives asks when or where, and arrival words say of what: "when
	// will my TV be delivered?", "我的快递什么时候到", "物流到哪了".
	whenArrives = newPhraseSet([]string{"when will", "when does", "when do", "when is", "where is", "where's", "track", "how long",
		"how many days", "什么时候", "何时", "多久", "几天", "到哪", "物流信息"})
	arrival = append(slices.Clone(deliveryCues), "deliver", "ship", "shipped", "shipping", "arrive", "arrives", "arriving", "送来", "到了吗")
)

// notDelivered reports a message that an order has not arrived or not been
// sent ("my order hasn't arrived yet", "我的订单还没到", "买的东西还没发货"), or
// asks when or where it is ("when will my TV be delivered?", "我的快递什么时候到");
// n is text normalized. Delivery is the shop's, which the service standard
// does not cover: a person answers, not the knowledge base's word on
// orders as proof of purchase, or on packaging.
func notDelivered(n string) bool {
	if strings.Contains(n, "’") {
		n = strings.ReplaceAll(n, "’", "'")
	}
	asked := whenArrives.any(n) && (deliveryWords.any(n) || containsAny(n, arrival...)) && !containsAny(n, installCues...)
	if !notShipped.any(n) && !(notArrived.any(n) && deliveryWords.any(n)) && !asked {
		return false
	}
	// "订单号丢了": the proof of purchase; "订单的退款还没到", "I haven't
	// received the quote for my order": something else that has not come;
	// "买的东西没到一个月就坏了": a fault.
	return !containsAny(n, notParcel...) && !faultPhrases.any(n)
}

// notParcel name what else an order has that may not have come.
var notParcel = []string{"order number", "order no", "单号", "refund", "退款", "退钱", "invoice", "receipt", "发票", "quote", "报价",
	"reply", "answer", "回复", "答复", "technician", "engineer", "师傅", "工程师"}

// doubleCharge tells of a payment taken twice or wrongly: the shop's
// billing, which the service standard does not cover.
var doubleCharge = []string{"charged twice", "charged me twice", "double charged", "double-charged", "charged two times", "paid twice",
	"charged again", "wrongly charged", "重复扣款", "扣了两次", "扣款两次", "多扣", "重复付款", "付了两次", "收了两次钱"}

// policySilent reports a question or a problem the service standard gives
// no rule for (the old parts of a repair, who pays the shipping, a payment
// taken twice, an order that has not arrived): a person answers it.
func policySilent(text string) bool {
	if oldPartsAsked(text) {
		return true
	}
	n := norm(text)
	return shippingAsked(text, n) || containsAny(n, doubleCharge...) || notDelivered(n) || containsAny(n, noRuleFor...)
}

// noRuleFor name what the service standard has no rule for and a person
// answers: an extended warranty, spare parts or accessories bought ("有没
// 有延保服务" shared words with how to reach a person; "配件在哪买" with
// the warranty of replaced parts).
var noRuleFor = []string{"延保", "延长保修", "保修延长", "extended warranty", "extend the warranty", "warranty extension",
	"配件在哪买", "哪里买配件", "买配件", "配件怎么买", "买零件", "零件在哪买", "buy spare parts", "buy parts", "buy accessories",
	"buy a spare", "order spare parts", "order parts"}

// visitFee answers whether an on-site repair costs extra, from the policy:
// free in warranty, the visit with it; out of warranty the estimate of any
// paid repair, quoted before any work.
func (t *turn) visitFee() string {
	return t.text("answer.visit_fee", t.feeArgs()...)
}

// feeArgs are the out-of-warranty fees as a text's arguments: inspection,
// labour and their sum, the estimate.
func (t *turn) feeArgs() []string {
	fees := t.e.pol.Warranty.OutOfWarrantyFees
	return []string{"inspection", t.money(fees.Inspection), "labour", t.money(fees.Labour),
		"estimate", t.money(fees.Inspection + fees.Labour)}
}

// withoutProducts returns text without the models and product words it
// names (lower-cased), and whether it named any.
func (t *turn) withoutProducts(text string) (string, bool) {
	ms := t.e.catalog.Models(text)
	spans := make([][2]int, len(ms))
	for i, m := range ms {
		spans[i] = [2]int{m.Start, m.End}
	}
	lower := strings.ToLower(without(text, spans))
	named := len(ms) > 0
	for _, group := range productNouns {
		for _, w := range group {
			if strings.Contains(lower, w) {
				lower, named = strings.ReplaceAll(lower, w, " "), true
			}
		}
	}
	return lower, named
}

// againCues say a fault came back.
var againCues = []string{"again", "same problem", "same fault", "same issue", "came back", "is back",
	"又坏", "又出", "又不", "又没", "又有", "又是", "再次", "还是一样", "老问题", "同样的问题", "同一个问题"}

// repeatFault reports whether normalised n tells of a fault that came back
// ("is leaking again", "又坏了", "第三次黑屏").
func repeatFault(n string) bool {
	return containsAny(n, againCues...) || containsAny(n, "第二次", "第三次", "第四次", "第五次", "好几次", "又漏", "又黑", "又开始",
		"second time", "third time", "3rd time", "2nd time", "times now", "keeps breaking", "修了两次", "修了三次", "修过", "repaired before", "fixed before")
}

// faultAgain starts the repair of a fault that came back ("the sound is gone
// again since yesterday") on the product of the conversation's last repair:
// its model, purchase date, proof, address and phone are known (the summary
// shows them to confirm), the new ticket names the old one. False when text
// says no such thing, or names another product.
func (t *turn) faultAgain(text string, att []Attachment) bool {
	c := t.c
	n := norm(text)
	if !containsAny(n, againCues...) || looksLikeQuestion(text) {
		return false
	}
	if !containsAny(n, "same problem", "same fault", "same issue", "came back", "is back", "又坏", "又出", "又不", "又没", "还是一样", "老问题", "同样的问题", "同一个问题") &&
		!faultPhrases.any(n) {
		return false // "thanks again!", "再次感谢": "again" with no fault
	}
	var prev *ticketing.Ticket
	for i := len(c.Tickets) - 1; i >= 0 && prev == nil; i-- {
		if tk, err := t.tx.Tickets().Get(t.ctx, c.Tickets[i]); err == nil && tk.Kind == ticketing.KindRepair && tk.Model != "" {
			prev = tk
		}
	}
	if prev == nil {
		return false
	}
	if m := t.exactModel(text); m != "" && m != prev.Model {
		return false
	}
	if vents(text) {
		t.say("start.vented") // "this is ridiculous, it's leaking again": sorry first
	}
	t.say("repair.again", "ticket", prev.ID, "model", t.productName(prev.Model))
	t.carry = map[string]Slot{
		slotModel:    {Value: prev.Model, Raw: prev.Model, Confirmed: true, Turn: c.Turn},
		slotPrevious: {Value: prev.ID, Confirmed: true, Turn: c.Turn},
	}
	if vents(text) {
		t.carry[slotVented] = Slot{Value: "yes", Confirmed: true, Turn: c.Turn} // said once
	}
	if !prev.PurchaseDate.IsZero() {
		t.carry[slotPurchased] = Slot{Value: prev.PurchaseDate.String(), Raw: prev.PurchaseDate.String(), Confirmed: true, Turn: c.Turn}
	}
	if prev.ProofRef != "" {
		raw := strings.TrimPrefix(strings.TrimPrefix(prev.ProofRef, "order:"), "file:")
		t.carry[slotProof] = Slot{Value: prev.ProofRef, Raw: raw, Confirmed: true, Turn: c.Turn}
	}
	// Where the technician went last time, shown on the summary to confirm.
	if a := prev.Details[slotAddress]; a != "" {
		t.carry[slotAddress] = Slot{Value: a, Raw: a, Confirmed: true, Turn: c.Turn}
	}
	if p := prev.Customer.Phone; p != "" {
		t.carry[slotPhone] = Slot{Value: p, Raw: p, Confirmed: true, Turn: c.Turn}
	}
	t.start(intentRepair, text, att)
	return true
}

// question answers a question about the service that names a journey but
// no product ("how much does a repair cost after the warranty?", "投诉多久给
// 答复？", "电视坏了能上门修吗") from the knowledge base instead of starting
// the journey, and "is installation free for the TV-65X?" from the
// product's terms. How long, how much or who installs is a question too
// without a question mark ("安装要多长时间", "谁来安装"), and goes to a person
// when the knowledge base cannot answer it. False for anything else: a
// request, or another question the knowledge base cannot answer, starts the
// journey as before.
func (t *turn) question(text string) bool {
	if faultThenWarranty(text) {
		return false // "my TV has no sound. Is it still under warranty?": the repair answers it
	}
	install := installQuestion(text)
	asked := looksLikeQuestion(text)
	if !asked && !install {
		return false
	}
	ms := t.e.catalog.Models(text)
	install = install || asked && installsModel(text, ms) && !installRequest(norm(text)) // "你们装WM-100吗"
	cost := asksInstallCost(norm(text))
	if len(ms) == 0 {
		if (install || cost && intentOf(text) == intentInstall) && t.installOfProducts(text, cost) {
			return true // "do you install TVs?", "洗衣机安装收费吗": the catalog's terms for those products
		}
		return t.productFact(text) || t.answerQuestion(text) // "how long is the fridge warranty?": the one fridge's
	}
	terms, err := t.e.pol.TermsOf(ms[0].Model)
	if !install && intentOf(text) != intentInstall || len(ms) != 1 || !ms[0].Exact || !cost && !install || err != nil {
		// "how much does it cost to install the TV?", "how long does a
		// refund take for my SB-200?": asking how much or how long is no
		// request for an installation or a return, when the knowledge base
		// answers it (a repair's cost turns on its warranty: the repair
		// journey tells it).
		n := norm(text)
		switch in := intentOf(text); {
		case in == intentInstall && !asksInstallCost(n) && !install, in != intentInstall && in != intentReturn && in != intentExchange:
		case containsAny(n, infoCues...) || install:
			return t.answerQuestion(text)
		}
		return false
	}
	if terms.Installation == policy.InstallNone {
		t.say("install.not_needed", "model", t.productName(terms.Product.Model))
		return true
	}
	// "Do you install the TV-55X?", "WM-100需要安装吗", "is installation
	// included with the WM-100?": the product's terms answer whether and
	// what for; how long, who or how it goes ("我想了解一下WM-100的安装流
	// 程"), the knowledge base.
	if !cost && installInfo.any(norm(text)) {
		// "WM-100安装要多久": the knowledge base's answer, and the booking
		// offered for this model.
		ans, ok := t.installAnswer(text)
		if !ok {
			t.unanswered(text)
			return true
		}
		t.sayText(ans)
		t.c.Later = &Later{Intent: string(intentInstall), Text: text}
		t.ask("install.book_now", []Choice{t.choice("intent:install", "menu.install")}, "model", t.productName(terms.Product.Model))
		return true
	}
	t.installTerms(terms, text)
	return true
}

// faultThenWarranty reports a fault told and then whether it is covered
// asked ("my TV has no sound. Is it still under warranty?", "电视没声音了，
// 还保修吗？"): a fault report, whose repair answers the question
// (warrantyAskedOpening).
func faultThenWarranty(text string) bool {
	a, q, ok := answerThenQuestion(text)
	return ok && faultTold(norm(a)) && containsAny(norm(q), warrantyCues...)
}

// installTerms tells whether the product of terms is installed for free or
// for a fee, and offers to book it (the button books it for this model).
func (t *turn) installTerms(terms policy.Terms, text string) {
	t.c.Later = &Later{Intent: string(intentInstall), Text: text}
	t.ask("install.terms_"+string(terms.Installation), []Choice{t.choice("intent:install", "menu.install")}, "model", t.productName(terms.Product.Model))
}

// answerQuestion answers a question from the knowledge base; false when it
// has no answer. A question about installing takes only an answer that
// speaks of installing ("安装要多久" is not how long a repair takes); how
// long, how much or who installs without one is offered to a person: asking
// is no request to book an installation.
func (t *turn) answerQuestion(text string) bool {
	if ans, ok := t.installAnswer(text); ok {
		t.sayText(ans)
		return true
	}
	if installQuestion(text) {
		t.unanswered(text)
		return true
	}
	return false
}

// installAnswer is the knowledge base's answer to text, when text is not
// about installing or the answer is too.
func (t *turn) installAnswer(text string) (string, bool) {
	ans, ok := t.answer(text)
	return ans, ok && (intentOf(text) != intentInstall || containsAny(norm(ans), installWords...))
}

// installWords speak of installing.
var installWords = []string{"安装", "install", "installed", "installing", "installation", "installer"}

// infoCues ask how much, how long or how something is done.
var infoCues = []string{"how much", "how long", "how soon", "how many days", "多久", "多长", "多少钱", "几天", "原路", "怎么算"}

// installInfoCues ask how long an installation takes, what it costs, who
// does it or how it goes; installRequestCues ask for one ("我要预约安装",
// "can you install my WM-100?").
var (
	installInfoCues    = append([]string{"how long", "how much", "how many", "how soon", "who", "多久", "多长", "多少", "几个小时", "几小时", "几天", "谁"}, installProcessCues...)
	installRequestCues = []string{"please install", "can you install", "could you install", "can you come", "could you come", "can someone come",
		"could someone come", "send someone", "send a technician", "book", "schedule", "arrange",
		"i want", "i'd like", "i would like", "i need", "我要", "我想约", "我想预约", "我想装", "帮我", "给我装", "预约", "约个", "约一下", "请安排", "麻烦"}
)

// installInfo finds the installInfoCues in one pass.
var installInfo = newPhraseSet(installInfoCues)

// installProcessCues ask how an installation goes: "安装流程", "what's the
// installation process", "how does the installation of the RF-450 work".
var installProcessCues = []string{"流程", "步骤", "过程", "环节", "process", "procedure", "steps", "how does the installation",
	"how does installation", "how is the installation", "how the installation works", "what happens"}

// comeToInstall asks for someone to come and install: "可以上门安装吗",
// "能派师傅来装WM-100吗", "can you come and install my WM-100?".
var comeToInstall = regexp.MustCompile(`(?:可以|能|请|麻烦)(?:帮我|给我)?(?:派人|派师傅)?(?:上门|来|过来)(?:安装|装)|\bcome (?:over )?(?:and |to )?(?:install|set)`)

// installRequest reports whether normalised n asks for an installation:
// "I'd like to know …", "麻烦问下…" open a question, and their "I'd like",
// "麻烦" ask for nothing.
func installRequest(n string) bool {
	for _, l := range questionLeads {
		if strings.Contains(n, l) {
			n = strings.ReplaceAll(n, l, " ")
		}
	}
	return containsAny(n, installRequestCues...) || comeToInstall.MatchString(n)
}

// installQuestion reports a question about installing ("安装要多长时间",
// "how long does it take to install the WM-100?", "谁来安装", "I'd like to
// know if you install TVs", "WM-100需要安装吗", "do you install the
// TV-55X?"), which the knowledge base or the product's terms answer, rather
// than a request for an installation ("can you install my WM-100?", "可以上
// 门安装吗"), which books one.
func installQuestion(text string) bool {
	n := norm(text)
	// A question with a fault in it ("电视TV-55X没声音了，另外我想问下WP-8安装收费吗？")
	// is two requests (twoRequests).
	asks := installInfo.any(n) || looksLikeQuestion(text) && !repairPhrases.any(n) || containsAny(n, installAskedCues...) ||
		hasPrefixAny(n, "is ", "are ") // "is TV installation free"
	return asks && !installRequest(n) && intentOf(text) == intentInstall
}

// installsModel reports 装 right before a model text names ("你们装WM-100吗",
// "能装个WP-8吗"): installing it, which no cue can say of every model.
func installsModel(text string, ms []extract.ModelMatch) bool {
	for _, m := range ms {
		before := strings.TrimSuffix(strings.TrimSuffix(text[:m.Start], "个"), "台")
		if strings.HasSuffix(strings.TrimRight(before, " "), "装") {
			return true
		}
	}
	return false
}

// installAskedCues ask whether, without a question mark ("冰箱装不装").
var installAskedCues = []string{"装不装", "收不收费", "免不免费", "要不要钱", "包不包"}

// installIncluded ask whether an installation comes with the product.
var installIncluded = []string{"included", "include", "includes", "包安装", "包含", "含安装"}

// asksCost reports whether normalised n asks what an installation costs,
// or whether it comes with the product.
func asksInstallCost(n string) bool {
	return costWords.MatchString(n) || containsAny(n, installIncluded...)
}

// twoRequests handles a message that asks for two journeys about two
// products ("my TV-55X has no sound and I also want to book installation
// for my WP-8"): the first named starts with its part of the message, and
// the second is put off until it is done (a question about the second is
// answered now).
func (t *turn) twoRequests(text string, att []Attachment) bool {
	lower := strings.ToLower(text)
	if len(lower) != len(text) || !twoModels(t.e.catalog.Exact(text)) {
		return false
	}
	spans := intentSpans(lower)
	if len(spans) < 2 {
		return false
	}
	first, second := spans[0], spans[1]
	// The second request starts at the clause its cue is in.
	cut := second.at
	if i := strings.LastIndexAny(text[:cut], ",.;，。；、"); i > spans[0].at {
		cut = i
	} else if i := strings.LastIndex(lower[:cut], " and "); i > spans[0].at {
		cut = i
	}
	a, b := strings.TrimSpace(text[:cut]), strings.Trim(text[cut:], " ,.;，。；、")
	// Two requests are about two products; one product's return and its
	// fault, or its installation and a leak since, are one request.
	ma, mb := t.exactModel(a), t.exactModel(b)
	if ma == "" || mb == "" || ma == mb {
		return false
	}
	if journeyOf(second.intent) == "return" && cueAt(norm(b), exchangeToCues) >= 0 {
		return false // "my TV-55X has dead pixels, I'd like to swap it for the TV-65X": one exchange, to another model
	}
	if ans, ok := t.answer(b); ok && looksLikeQuestion(b) {
		t.sayText(ans) // "…, and is the WP-8 installation free?"
	} else {
		t.c.Later = &Later{Intent: string(second.intent), Text: b}
		t.say("later.noted", "what", t.text("later."+journeyOf(second.intent)))
	}
	t.start(first.intent, a, att)
	return true
}

// twoModels reports whether ms names two models or more.
func twoModels(ms []extract.ModelMatch) bool {
	for _, m := range ms[min(1, len(ms)):] {
		if m.Model != ms[0].Model {
			return true
		}
	}
	return false
}

// exactModel returns the first catalog model text names exactly, or "".
func (t *turn) exactModel(text string) string {
	for _, m := range t.e.catalog.Models(text) {
		if m.Exact {
			return m.Model
		}
	}
	return ""
}

// journeyOf names the journey an intent starts.
func journeyOf(in intent) string {
	if in == intentExchange {
		return "return"
	}
	return string(in)
}

// laterAnswer takes up, or lets go, the request put off for later when the
// customer answers the offer; false when text is something else (the offer
// lapses).
func (t *turn) laterAnswer(text string, att []Attachment) bool {
	l := t.c.Later
	if l == nil {
		return false
	}
	t.c.Later = nil
	switch {
	case text == "intent:"+l.Intent || yesNo(text) == 1:
		t.start(intent(l.Intent), l.Text, att)
		return true
	case l.Intent == string(intentInstall) && t.visitDayTold(text):
		t.start(intentInstall, l.Text+" "+text, att) // "那就周二16号" to the offer of a booking: booked for that day
		return true
	case yesNo(text) == -1:
		t.say("ack.reply")
		return true
	}
	return false
}

// offerLater asks whether to take up the request put off for later, once
// the journey before it ended.
func (t *turn) offerLater() {
	l := t.c.Later
	t.ask("later.offer", []Choice{t.choice("intent:"+l.Intent, "choice.yes"), t.choice("choice:no", "choice.no")},
		"what", t.text("later."+journeyOf(intent(l.Intent))))
}

// withoutGreeting returns text without the greeting it opens with ("hi, my
// TV…", "你好，电视…"): the fault description on the ticket starts with the
// fault.
// faultBreak cuts a message into the clauses faultText weighs.
var faultBreak = regexp.MustCompile(`[,;，；。!?！？\n]|\.\s`)

// numberNo is the "no." of "invoice no. 123", whose full stop ends no
// sentence.
var numberNo = regexp.MustCompile(`(?i)\b(no|nr)\.\s`)

// hanSpace is a space that ends a clause in Chinese ("上周五买的 订单号44556677
// 盖子关不上"): one between Chinese characters, or after a number as long as
// an order's (not "HP-30 左边没声", "订单号 44556677").
var hanSpace = [...]*regexp.Regexp{regexp.MustCompile(`(\p{Han})\s+(\p{Han})`), regexp.MustCompile(`([0-9]{6,})\s+(\p{Han})`)}

// faultClauses splits a message into the clauses faultText weighs.
func faultClauses(s string) []string {
	if strings.Contains(s, ". ") {
		s = numberNo.ReplaceAllString(s, "$1 ")
	}
	if strings.Contains(s, " ") && !isASCII(s) {
		for _, re := range hanSpace {
			s = re.ReplaceAllString(s, "$1，$2")
		}
	}
	return faultBreak.Split(s, -1)
}

// faultText is what a message that describes a fault says of the fault:
// its clauses without those that told the purchase date, the order number,
// the phone, the address or only the request ("I want to return my SB-200,
// bought it 3 days ago, it crackles at high volume" is "it crackles at high
// volume"), which have slots of their own, as the summary and the ticket
// show. The whole message, without its greeting, when that leaves nothing.
func (t *turn) faultText(text string) string {
	whole := withoutGreeting(text)
	var kept []string
	for _, cl := range faultClauses(whole) {
		cl = strings.TrimSpace(cl)
		n := norm(cl)
		switch {
		case cl == "":
		case onlyPackaging(cl) && packagingClause(cl) != 0:
			// "box is fine", "包装完好": the packaging, not the fault
		case cueAt(n, exchangeToCues) >= 0 && len(t.e.catalog.Exact(cl)) > 0:
			// "能不能换成SB-200", "swap it for the TV-65X": the model wanted instead
		case containsAny(n, "差价", "the difference", "instead") && !faultPhrases.any(n):
			// "差价我补", "I'll pay the difference", "I want the CP-3000 instead":
			// the exchange's settling or model, not the fault
		case faultPhrases.any(n):
			if cueAt(n, purchaseCues) >= 0 {
				cl = t.faultOnly(cl) // "bought 10 days ago has dead pixels": the fault alone
			}
			kept = append(kept, cl) // the fault, whatever else ("no sound since Monday")
		case (containsAny(n, purchaseCues...) || containsAny(n, installCues...)) && (len(extract.Dates(cl, t.today)) > 0 || dayOnThe.MatchString(cl)),
			t.proofNumber(cl) != "", addressIn(cl) != "":
		case intentOf(cl) != intentNone, vents(cl):
			// "I want to return my SB-200", "报修": the request alone;
			// "what a joke": the anger
		case cue(n, misuseCues) == -1 || cue(n, openedCues) == -1:
			// "没摔过也没进水", "never dropped or wet": exclusions denied,
			// which their own questions record
		default:
			if _, phone := extract.Phone(cl); !phone {
				kept = append(kept, cl)
			}
		}
	}
	if len(kept) == 0 {
		return whole
	}
	sep := ", "
	if strings.ContainsFunc(whole, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
		sep = "，"
	}
	return strings.Join(kept, sep)
}

// faultOnly returns a clause that tells a fault without the purchase it
// also tells, which is a slot of its own: "my TV-55X bought 10 days ago has
// dead pixels" is "dead pixels", "我上周五买的耳机HP-30左耳没声音" is "耳机HP-30
// 左耳没声音", "it crackles since I bought it on 2026-11-20" is "it
// crackles". What comes before and after the purchase is kept when it tells
// of the fault; a clause with no purchase date is returned as it is.
func (t *turn) faultOnly(cl string) string {
	l := lower(cl)
	if len(l) != len(cl) {
		return cl // folded to another length: the offsets would not fit
	}
	p := cueAt(l, purchaseCues)
	if p < 0 {
		return cl
	}
	var date *extract.DateMatch
	for _, d := range extract.Dates(cl, t.today) {
		if d.End > p || p-d.End <= 1 { // "bought 10 days ago", "十天前买的"
			date = &d
			break
		}
	}
	if date == nil {
		return cl
	}
	cueEnd := p + 1
	for _, c := range purchaseCues {
		if strings.HasPrefix(l[p:], c) {
			cueEnd = max(cueEnd, p+len(c))
		}
	}
	from, to := min(p, date.Start), max(cueEnd, date.End) // the purchase told
	var kept []string
	before := strings.TrimSpace(cl[:from])
	for _, w := range purchaseLinks {
		if l := strings.ToLower(before); strings.HasSuffix(l, w) && (!isASCII(w) || l == w || strings.HasSuffix(l, " "+w)) {
			before = strings.TrimSpace(before[:len(before)-len(w)])
			break
		}
	}
	if faultPhrases.any(norm(before)) {
		kept = append(kept, before)
	}
	after := strings.TrimLeft(cl[to:], " 的了就")
	if i := strings.IndexFunc(after, func(r rune) bool { return r >= utf8.RuneSelf || unicode.IsSpace(r) }); i > 0 && isASCII(after[:i]) {
		after = after[i:] // the rest of the cue's word: "bought" for "buy", "purchased" for "purchase"
	}
	after = strings.TrimSpace(after)
	for _, w := range []string{"has ", "have ", "had ", "and ", "but ", "and it ", "it "} {
		after = strings.TrimPrefix(after, w)
	}
	if faultPhrases.any(norm(after)) {
		kept = append(kept, after)
	}
	if len(kept) == 0 {
		return cl
	}
	return strings.Join(kept, " ")
}

// purchaseLinks join a fault to the purchase told after it: "crackles since
// I bought it", "没声音自从买来".
var purchaseLinks = []string{"since i", "after i", "when i", "which i", "that i", "since", "after", "when", "自从", "从"}

func withoutGreeting(text string) string {
	t := strings.TrimSpace(text)
	lower := strings.ToLower(t)
	for _, g := range greetings {
		rest, ok := strings.CutPrefix(lower, g)
		if !ok {
			continue
		}
		r, _ := utf8.DecodeRuneInString(rest)
		if rest == "" || unicode.IsLetter(r) && r < utf8.RuneSelf {
			continue // "history…", or the greeting alone
		}
		if out := strings.TrimLeft(t[len(g):], " ,.!，。！、~～"); out != "" {
			return out
		}
	}
	return t
}

// looksLikeFault reports whether text names a model or a mishap without
// asking a question: most likely a fault report.
func (t *turn) looksLikeFault(text string) bool {
	n := norm(text)
	if looksLikeQuestion(text) && !faultThenWarranty(text) || containsAny(n, "thanks", "thank you", "谢谢", "works again", "works fine", "works now", "is great", "又能用了", "好了", "正常了") {
		return false // "my TV-55X works again, thanks": no fault; "it keeps jamming, is it under warranty?" is one
	}
	if containsAny(n, " too", "also bought", "as well", "也买了", "还买了", "另外买了") && containsAny(n, purchaseCues...) && !faultPhrases.any(n) {
		return false // "I bought a soundbar SB-200 too": another purchase, no fault
	}
	if !faultPhrases.any(n) && !containsAny(n, purchaseCues...) && (containsAny(n, priceCues...) || containsAny(n, stockCues...) ||
		containsAny(n, warrantyCues...) && !containsAny(n, "保修卡", "warranty card")) {
		return false // "TV-55X price", "RF-450保修几年", "WM-100 in stock": a product's facts asked, no fault (productFact)
	}
	// "my fridge isn't cooling", "洗衣机不脱水了": a product named and a
	// fault told, no model needed.
	return len(t.e.catalog.Models(text)) > 0 || containsAny(n, misuseCues...) || faultTold(n) && len(t.productsNamed(text)) > 0
}

// mindCues change a request said before them ("算了", "actually no").
var mindCues = []string{"算了", "改主意", "不退了", "不换了", "还是修", "actually no", "actually, no", "on second thought", "changed my mind", "change of plan"}

// repairInstead reports whether normalised n asks for a return or an
// exchange and then, after a change of mind, for a repair ("i want to return
// it. actually no, just fix it", "想退货，算了还是修一下吧").
func repairInstead(n string) bool {
	at := -1
	for _, c := range mindCues {
		at = max(at, strings.LastIndex(n, c))
	}
	return at >= 0 && containsAny(n[at:], "修", "fix", "repair")
}

// wantsToComplain reports text saying the customer is complaining ("我要投诉",
// "I want to make a complaint"), whatever else it asks. Most messages name
// no complaint and are not normalised (every idle message comes here).
func wantsToComplain(text string) bool {
	if !strings.Contains(text, "投诉") && !strings.Contains(text, "投訴") && !strings.Contains(text, "举报") && !strings.Contains(text, "舉報") && !strings.Contains(text, "omplain") && !strings.Contains(text, "OMPLAIN") {
		return false
	}
	return containsAny(norm(text), "我要投诉", "要投诉", "想投诉", "我投诉", "我要举报", "i want to complain", "i'd like to complain", "i would like to complain",
		"i want to make a complaint", "i'd like to make a complaint", "i want to file a complaint", "i wish to complain")
}

// ventedFault returns the journey of a product's fault told in anger
// ("this is ridiculous, my TV-55X has a black screen after a week",
// "太离谱了，TV-55X才买一周就黑屏了"): the repair, or the return or exchange
// asked for, as for the fault told calmly. A complaint asked for in words
// ("投诉", "complaint", "manager") or about the service (the technician,
// the delivery, the wait, the bill, a repair under way or its ticket, a
// product the customer has a ticket open for) stays one: intentNone.
func (t *turn) ventedFault(text string) intent {
	n := norm(text)
	if !onlyAnger(n) || containsAny(staffAsked.ReplaceAllString(n, " "), conductWords...) || ticketNamed(n, true) != "" || !faultTold(n) ||
		!t.namesAProduct(text) && !containsAny(n, applianceWords...) {
		return intentNone
	}
	if t.openTicketAbout(n) != "" {
		return intentNone // "this is ridiculous, my printer still jams" with its repair under way: about that repair
	}
	switch in := intentFrom(text, 1); in {
	case intentRepair, intentReturn, intentExchange:
		return in
	case intentNone:
		if t.looksLikeFault(text) {
			return intentRepair
		}
	}
	return intentNone
}

// requestOf returns the journey text asks for (intentOf), a product's
// fault told in anger being the fault's journey rather than a complaint
// (ventedFault).
func (t *turn) requestOf(text string) intent {
	in := intentOf(text)
	if in == intentComplaint {
		if v := t.ventedFault(text); v != intentNone {
			return v // "this is ridiculous, my TV-55X has a black screen after a week": the fault to fix
		}
	}
	return in
}

// staffAsked asks for the service's people to come ("I need a technician
// to come today", "赶紧派个师傅来修"): a repair asked for, no complaint
// about them.
var staffAsked = regexp.MustCompile(`\b(?:need|want|send|get|book|arrange|have)\s+(?:a|an|the|your|someone|somebody|one)?\s*(?:technician|engineer|repairman|fitter)s?\b|派(?:个|一个|位|一位)?(?:师傅|工程师|维修工)|(?:师傅|工程师|维修工)(?:来修|上门|过来|来一趟)`)

// applianceWords name products the catalog may not hold ("气死了，空调不制冷"):
// a fault of one told calmly starts a repair, which asks the model.
var applianceWords = []string{"空调", "热水器", "微波炉", "洗碗机", "油烟机", "烤箱", "air conditioner", "aircon", "air con", "water heater",
	"microwave", "dishwasher", "oven"}

// ventsOnly reports whether text is a complaint only by its anger ("this
// is ridiculous, just fix it", "太离谱了，赶紧给我修好"): no complaint asked
// for, nobody's conduct named.
func ventsOnly(text string) bool {
	n := norm(text)
	return onlyAnger(n) && !containsAny(staffAsked.ReplaceAllString(n, " "), conductWords...) && !wantsToComplain(text) && !visitMissed(n)
}

// ventedAck says sorry to a customer upset in the middle of a repair or a
// return, and that a complaint can be made when the journey has not said
// so yet.
func (t *turn) ventedAck() {
	if t.has(slotVented) {
		t.say("vented.sorry")
		return
	}
	t.say("start.vented")
	t.set(slotVented, "yes", "")
}

// vents reports whether text says the customer is upset (ventWords).
func vents(text string) bool {
	n := norm(text)
	return containsAny(n, ventWords...) || hasPrefixAny(n, "terrible!", "awful!", "horrible!", "unbelievable!") || // "Terrible! My TV-55X won't turn on"
		slices.Contains(ventAlone, n)
}

// ventAlone are the words that vent when said alone ("Terrible!").
var ventAlone = []string{"terrible", "awful", "horrible", "unbelievable", "terrible!", "awful!", "horrible!", "unbelievable!"}

// complaintFault is the fault a complaint tells besides its complaint
// ("the technician was rude and my TV-55X still doesn't work": "my TV-55X
// still doesn't work", "安装师傅态度很差，而且空调还是不制冷": "空调还是不制冷"):
// the parts of fault that tell a fault, without those about the person.
func complaintFault(fault string) string {
	var kept []string
	for _, p := range complaintBreak.Split(fault, -1) {
		if n := norm(p); faultPhrases.any(n) && !staffDamage(n) && intentOf(p) != intentComplaint {
			kept = append(kept, strings.TrimSpace(p))
		}
	}
	if len(kept) == 0 {
		return fault
	}
	return strings.Join(kept, ", ")
}

// complaintBreak cuts a complaint into what it says of the person and of
// the product.
var complaintBreak = regexp.MustCompile(`[,;，；。]\s*(?:而且|并且|还有|另外)?|\s+and\s+|而且|并且`)

// kindIntent maps a channel's ticket kind to the journey it starts.
var kindIntent = map[ticketing.Kind]intent{
	ticketing.KindRepair: intentRepair, ticketing.KindReturn: intentReturn, ticketing.KindExchange: intentExchange,
	ticketing.KindInstallation: intentInstall, ticketing.KindComplaint: intentComplaint,
}

// greetings are the messages that only greet, the longer first (they open a
// message too: withoutGreeting).
var greetings = []string{"hello there", "hi there", "hey there", "good morning", "good afternoon", "good evening",
	"hello", "hi", "hey", "你好", "您好", "在吗", "在不在", "有人吗", "哈喽", "嗨"}

func isGreeting(text string) bool { return slices.Contains(greetings, norm(text)) }

// start begins a journey, filling what the first message already says.
func (t *turn) start(in intent, text string, att []Attachment) {
	c := t.c
	upload, uploaded := c.Slots[slotUpload]
	named, wasNamed := c.Slots[slotNamed]
	t.clearJourney()
	c.TicketID = ""
	switch in {
	case intentRepair:
		t.fire(evRepair)
	case intentReturn, intentExchange:
		t.fire(evReturn)
		if in == intentExchange {
			t.set(slotOption, "exchange", text)
		} else if asksReturn(text) {
			t.set(slotOption, "return", text)
		}
	case intentInstall:
		t.fire(evInstall)
	case intentComplaint:
		t.fire(evComplaint)
	default:
		t.menu()
		return
	}
	j := journey(c.State)
	if uploaded && slices.Contains(slotOrder[j], slotProof) {
		c.Slots[slotProof] = upload
	}
	if _, carried := t.carry[slotModel]; wasNamed && !carried && slices.Contains(slotOrder[j], slotModel) && !t.namesAProduct(text) {
		// "I need help with my printer", then "Report a fault": the
		// printer's model, or the models of its kind to choose from.
		t.fillModel(named.Raw, &filled{}, t.set)
	}
	for name, v := range t.carry {
		c.Slots[name] = v
	}
	t.carry = nil
	noFault := j == "return" && (isNoFault(text) || isUnused(text))
	missing := j == "return" && isMissingPart(text)
	if t.vented && (j == "repair" || j == "return") {
		t.say("start.vented") // sorry, and a complaint is there to be made
		t.set(slotVented, "yes", "")
	}
	if !noFault && !missing {
		t.say("start." + j)
	}
	if text != "" {
		if f := t.fill(j, text, att); f.rejected == "purchase.installed" {
			t.say(f.rejected) // "…不转了，2023年装的": why the purchase date is asked
		}
		// A return names its fault or the fault is asked (§3.4 returns are
		// for faults): "I want to return my TV-55X, bought on 22 November"
		// describes none.
		if (j == "repair" || j == "return" && faultPhrases.any(norm(text))) && !t.has(slotFault) && substantive(text) {
			t.set(slotFault, t.faultText(text), text)
		}
		if j == "complaint" && substantive(text) {
			t.set(slotComplaint, withoutGreeting(text), text)
			if faultTold(norm(text)) && !t.has(slotFault) {
				// "the technician was rude and my TV-55X still doesn't
				// work": the complaint is about the person, and its owner
				// sees the product and its fault to have it repaired.
				t.set(slotFault, complaintFault(t.faultText(text)), text)
				if m := t.exactModel(text); m != "" && !t.has(slotModel) {
					t.set(slotModel, m, m)
				}
			}
		}
	}
	if j == "repair" && (visitWithFault(text) || repairVisitAsked(text)) {
		t.repairMode(text)
	}
	if j == "repair" {
		t.warrantyAskedOpening(text)
	}
	if missing {
		t.missingPart(text)
		return
	}
	if noFault {
		t.noFaultReturn()
		return
	}
	t.askNext()
}

// collect handles an answer while a form is being filled.
func (t *turn) collect(text string, att []Attachment) {
	c := t.c
	j := journey(c.State)
	if j == "return" && isMissingPart(text) {
		t.missingPart(text)
		return
	}
	if whyAsked(text) && t.e.texts.Has("why."+c.Asking) {
		r := t.e.pol.Returns
		t.say("why."+c.Asking, "return_days", strconv.Itoa(r.ReturnDays), "exchange_days", strconv.Itoa(r.ExchangeDays)) // "why do you need to know?": what the answer decides
		t.askNext()
		return
	}
	if j == "return" && (isNoFault(text) && !t.boxUnharmed(text) || isUnused(text) && !t.has(slotFault)) {
		t.noFaultReturn()
		return
	}
	if t.resolvePending(text) {
		t.askNext()
		return
	}
	if strings.HasPrefix(text, "intent:") {
		t.askNext() // a menu button pressed mid-form: restate the question
		return
	}
	if t.installAside(text) || t.installCostAsked(j, text) {
		return
	}
	if _, _, answered := answerThenQuestion(text); !answered && t.visitDayAsked(text) {
		t.say("resume") // "can the technician come on saturday?" to any question: no purchase date
		t.askNext()
		return
	}
	if t.repairToReturn(text, att) || t.returnToRepair(text) {
		return
	}
	if j == "install" && t.faultAside(text, att) {
		return
	}
	if j != "complaint" && (wantsToComplain(text) || j == "install" && t.requestOf(text) == intentComplaint) {
		// "什么破洗衣机，买了一年就坏，我要投诉": the complaint said in so
		// many words, whatever else the message answers ("买了一年" is no
		// purchase date given).
		t.complaintAside(text, att)
		return
	}
	var f filled
	answers := numberedAnswers(text, len(c.Together))
	if len(answers) == 0 {
		answers = lineAnswers(text, len(c.Together))
	}
	if len(answers) == 0 && yesNo(text) == 1 && yesNoQuestions(c.Together) > 1 {
		// A bare "yes" to a mail of questions: which one it answers is
		// anyone's guess, and a wrong guess records an exclusion (a bare
		// "no" answers the first, and the rest are asked again).
		t.say("together.which")
		t.askNext()
		return
	}
	if len(answers) > 0 {
		f = t.fillNumbered(j, answers, att)
	} else {
		f = t.fill(j, text, att)
	}
	if f.ambiguous != nil && !f.any() {
		t.askWhichDate(*f.ambiguous) // "3/5": which day is asked instead
		return
	}
	if f.rejected != "" && !f.any() {
		t.say(f.rejected)
		t.askNext()
		return
	}
	if f.narrowed && !f.any() {
		t.askNext() // "the smart one": which of the smart TVs and the smart rice cooker
		return
	}
	if !f.any() {
		if (j == "repair" || j == "return") && ventsOnly(text) {
			// "this is ridiculous, just fix it": sorry, and the form goes on
			t.ventedAck()
			t.askNext()
			return
		}
		if j != "complaint" && intentOf(text) == intentComplaint {
			// "This is a complaint!", "I want a manager": the customer is
			// upset about something else than this form.
			t.complaintAside(text, att)
			return
		}
		if j == "complaint" && t.complaintToRequest(text, att) {
			return
		}
		if j == "complaint" && t.addToComplaint(text) {
			t.askNext()
			return
		}
		if c.Asking == slotModel && modelUnreadable(text) {
			t.modelElsewhere() // "the label on the side is unreadable": where else to find it
			return
		}
		if said := modelShaped.FindString(text); c.Asking == slotModel && said != "" {
			t.modelUnknown(said) // "AC-35": no product of ours, nor near one
			return
		}
		if s := t.valueCorrection(j, text); s != "" || t.whichDay != nil {
			if s != "" && s != c.Asking {
				t.say("updated", "what", t.slotLabel(s), "value", t.slotText(s))
			}
			t.askNext()
			return
		}
		if t.sideQuestion(text) {
			t.askNext()
			return
		}
		t.miss()
		return
	}
	if t.faultAddedAtDate(f) {
		return
	}
	phone := t.phoneForDate(f)
	for _, s := range f.corrected {
		if s != slotPhone || !phone {
			t.say("updated", "what", t.slotLabel(s), "value", t.slotText(s))
		}
	}
	if phone {
		// "0912-345-678" to "when did you buy it?": taken as the phone, said
		// so, and the date asked again.
		t.say("phone.taken", "phone", t.val(slotPhone))
	}
	if contains(f.changed, slotProof) && len(att) > 0 && !contains(f.corrected, slotProof) {
		t.say("proof_received", "name", att[0].Name)
	}
	if contains(f.changed, slotCard) && !contains(f.corrected, slotCard) {
		t.say("card." + t.val(slotCard) + "_noted") // why the repair will be paid, told at once
	}
	t.notedAside(f, phone, len(att) > 0)
	c.Misses = 0
	if contains(f.changed, c.Asking) {
		if _, q, ok := answerThenQuestion(text); ok {
			t.sideQuestion(q) // "yes it's fine, can I get the money back?": answered, then asked
		}
	} else if f.pending {
		if _, q, ok := answerThenQuestion(text); ok {
			t.visitDayAsked(q) // "bought it last March, can the technician come on saturday?": the month confirmed next
		}
	}
	t.askNext()
}

// notedSlots are the details a customer may give while asked for another,
// and that are said back when they are all the message answered.
var notedSlots = []string{slotModel, slotPurchased, slotProof, slotFault, slotPackaging, slotAddress, slotPhone, slotVisitDate}

// notedAside says back the details a message gave when it did not answer
// the question asked ("it was 2026-05-01, order 12345678" to "which
// model?"): the question comes again, and without this the customer would
// think they were not heard. Corrections, values waiting for confirmation,
// and what is acknowledged otherwise (a file as proof, a phone for a date)
// are not repeated.
func (t *turn) notedAside(f filled, phone, file bool) {
	a := t.c.Asking
	if p := t.c.pending(); p != nil {
		a = p.Name // "You bought it in November, right?" is the question asked
	}
	if a == "" || contains(f.changed, a) || f.pending {
		return
	}
	var items []string
	for _, s := range notedSlots {
		if !contains(f.changed, s) || contains(f.corrected, s) || s == slotPhone && phone || s == slotProof && file || t.c.Slots[s].Value == "" {
			continue
		}
		items = append(items, t.notedItem(s))
	}
	if len(items) > 0 {
		t.say("noted", "items", strings.Join(items, t.text("noted.sep")))
	}
}

// notedItem is one item of the "noted" message: slot s and its value.
func (t *turn) notedItem(s string) string {
	what := t.slotLabel(s)
	if t.lang() != "zh" { // mid-sentence: "Noted: purchased 1 May 2026"
		what = strings.ToLower(what[:1]) + what[1:]
	}
	return t.text("noted.item", "what", what, "value", t.slotText(s))
}

// phoneForDate reports whether a message answering a date question (the
// purchase date, the installation day) gave a phone number and no date:
// the customer is told the number was taken as the phone.
func (t *turn) phoneForDate(f filled) bool {
	a := t.c.Asking
	return (a == slotPurchased || a == slotVisitDate) && contains(f.changed, slotPhone) && !contains(f.changed, a) && !f.pending
}

// installAside answers a question about installing asked in the middle of
// a repair or a return ("顺便问一下，WM-100安装要多久？" when asked for the
// proof of a TV's repair) and asks the form's question again: the model it
// names is not the form's, nor its order number. False for anything else.
func (t *turn) installAside(text string) bool {
	if j := journey(t.c.State); j != "repair" && j != "return" || !installQuestion(text) {
		return false // a complaint takes down what is said of an installation
	}
	ms := t.e.catalog.Exact(text)
	terms, err := t.e.pol.TermsOf(t.exactModel(text))
	switch {
	case len(ms) == 1 && err == nil && !installInfo.any(norm(text)) || err == nil && terms.Installation == policy.InstallNone:
		// "Do you install the WM-100?": its terms, the booking left for later.
		t.say("install.terms_"+string(terms.Installation)+"_info", "model", t.productName(terms.Product.Model))
		t.say("resume")
	case !t.sideQuestion(text):
		t.say("side_question_unknown")
	}
	t.reprompt()
	return true
}

// installCostAsked answers whether the installation being booked costs
// anything ("师傅上门要收费吗？", "is it free?") from the product's terms, and
// asks the form's question again; false for anything else.
func (t *turn) installCostAsked(j, text string) bool {
	if j != "install" || !t.has(slotModel) || !looksLikeQuestion(text) || !asksInstallCost(norm(text)) {
		return false
	}
	terms, err := t.e.pol.TermsOf(t.val(slotModel))
	if err != nil {
		return false
	}
	t.say("install.terms_"+string(terms.Installation)+"_info", "model", t.productName(terms.Product.Model))
	t.say("resume")
	t.reprompt()
	return true
}

// repairToReturn takes a request to return or exchange the product made
// while its repair is being taken down ("能退吗", "想退", "can I return
// it?", "能换吗") as the same words start one in idle: the repair form is set
// aside unfiled, and the return starts with what the repair knew of the
// product (its model, purchase date, fault, proof and any damage told), so
// that the return journey decides what the customer may have (§3.4). A
// question how a return goes ("how long does a refund take?") is no such
// request, nor one naming another product or made besides the repair
// ("I want to return the remote too"). False for anything else.
func (t *turn) repairToReturn(text string, att []Attachment) bool {
	c := t.c
	if journey(c.State) != "repair" {
		return false
	}
	n := norm(text)
	switch in := intentOf(text); {
	case containsAny(n, infoCues...), len(numberedAnswers(text, len(c.Together))) > 0, len(lineAnswers(text, len(c.Together))) > 0,
		containsAny(n, " too", "also", "as well", "也", "另外", "还要", "顺便"):
		// Answers to the form's questions, or a second request besides
		// this one ("…, and I want to return the remote too").
		return false
	case cue(n, []string{"return", "exchange", "refund"}) == -1, containsAny(n, "不想退", "不要退", "不用退", "不退", "不想换", "不要换", "不用换", "不换"):
		return false // "I don't want to return it, just fix it", "我不想退，修好就行"
	case in == intentReturn && asksReturn(text):
	case in == intentExchange && containsAny(n, exchangeAsks...):
	default:
		return false
	}
	if m := t.exactModel(text); m != "" && t.has(slotModel) && m != t.val(slotModel) {
		return false // "can I return my SB-200?": another product
	}
	in := intentOf(text)
	if p := packagingClause(c.Slots[slotFault].Raw); p != 0 && !t.has(slotPackaging) {
		t.set(slotPackaging, map[int]string{1: "intact", -1: "damaged"}[p], c.Slots[slotFault].Raw) // "…，包装完好" told with the fault
	}
	t.setAside(slotOrder["return"]...)
	t.start(in, text, att)
	return true
}

// ratherRepair ask for a repair instead of a return or an exchange.
var ratherRepair = []string{"just repair it", "just fix it", "rather have it repaired", "rather have it fixed", "rather repair", "rather get it repaired",
	"rather get it fixed", "repair it instead", "fix it instead", "a repair instead", "repair instead", "fix instead", "repaired instead", "fixed instead", "修一下就行", "修好就行", "还是修吧", "还是维修吧", "改成维修", "换成维修"}

// returnToRepair turns a return or an exchange being filed into a repair
// when the customer asks for one instead ("actually, just repair it",
// "算了，还是修一下吧"): what was told is kept for it. False for anything
// else, a question about repairs included.
func (t *turn) returnToRepair(text string) bool {
	if journey(t.c.State) != "return" || looksLikeQuestion(text) {
		return false
	}
	if n := norm(text); !repairInstead(n) && !containsAny(n, ratherRepair...) {
		return false
	}
	carry := t.told(slotOrder["repair"]...)
	t.cancelJourney()
	t.carry = carry
	t.start(intentRepair, "", nil)
	return true
}

// told returns the slots named that the customer has given a value.
func (t *turn) told(names ...string) map[string]Slot {
	out := map[string]Slot{}
	for _, s := range names {
		if v, ok := t.c.Slots[s]; ok && v.Value != "" {
			out[s] = v
		}
	}
	return out
}

// faultAside takes a product's fault told while an installation is being
// booked ("my TV-55X now shows a black screen", "this is ridiculous, my
// TV-55X now shows a black screen", "TV-55X现在黑屏了") as the same words
// start a repair in idle: the booking is set aside unfiled, and the fault's
// journey starts (with an apology when told in anger). False for anything
// else: an address or a day is no fault.
func (t *turn) faultAside(text string, att []Attachment) bool {
	switch t.requestOf(text) {
	case intentRepair, intentReturn, intentExchange:
	default:
		return false
	}
	if n := norm(text); !faultTold(n) || !t.namesAProduct(text) || containsAny(n, replacedCues...) || t.has(slotIssue) {
		return false // an installation put right: a leak since is the installation's
	}
	keep := []string{slotAddress, slotPhone} // the customer's, for the visit or the call
	if m, named := t.exactModel(text), t.productsNamed(text); m == t.val(slotModel) || m == "" && slices.Contains(named, t.val(slotModel)) {
		keep = append(keep, slotModel) // the booking's product the fault is of ("电视现在黑屏了")
	}
	t.setAside(keep...)
	t.idle(text, att)
	return true
}

// replacedCues tell of the product the one being installed replaces ("my
// old washing machine leaks", "旧洗衣机漏水了", "take the broken one away"):
// its fault is why the customer bought, not a repair asked for.
var replacedCues = []string{"old ", "previous", "former", "take away", "haul away", "dispose", "旧", "原来的", "以前的", "之前的", "拉走", "回收", "带走"}

// setAside cancels the form in progress, says so, and keeps the slots
// named in keep for the journey started next.
func (t *turn) setAside(keep ...string) { t.putAside("set_aside", keep...) }

// putAside cancels the form in progress, says key, and keeps the slots
// named in keep for the journey started next.
func (t *turn) putAside(key string, keep ...string) {
	carry := t.told(keep...)
	t.cancelJourney()
	t.say(key)
	t.carry = carry
}

// complaintAside sets the form in progress aside for the complaint the
// customer makes instead ("I want to make a complaint, this is the third
// time it broke"): the complaint's ticket gets the form's product and
// fault, so that its owner knows what "it" is.
func (t *turn) complaintAside(text string, att []Attachment) {
	j := journey(t.c.State)
	if j != "repair" && j != "return" {
		t.setAside(slotModel, slotFault)
		t.idle(text, att)
		return
	}
	// The request being filed is not lost: what the customer told of it
	// goes on the complaint, whose owner arranges it too.
	t.set(slotAside, j, "")
	t.putAside("complaint.takes_"+j, append(slices.Clone(slotOrder[j]), slotAside)...)
	t.idle(text, att)
}

// exchangeAsks ask for an exchange of the product: "能换吗", "can I
// exchange it?" (not "换个插座试试", a step of the troubleshooting).
var exchangeAsks = []string{"换货", "换新", "换一台新", "能换吗", "可以换吗", "能不能换", "可不可以换", "能换一台", "想换一台", "要换一台",
	"exchange it", "exchange this", "can i exchange", "like to exchange", "want to exchange", "an exchange", "a replacement unit", "replace it with a new"}

// complaintToRequest takes a short request that gives in to the service
// while a complaint is being taken down ("fine, repair it then", "那就修吧"):
// the customer chose the
// service over the complaint, which is set aside unfiled; the request
// starts with what the complaint said (the model, the purchase date).
func (t *turn) complaintToRequest(text string, att []Attachment) bool {
	in := intentOf(text)
	if in == intentNone || in == intentComplaint || looksLikeQuestion(text) || len(strings.Fields(text)) > 5 || utf8.RuneCountInString(text) > 24 ||
		!containsAny(norm(text), "fine", "ok", "okay", "alright", "then", "instead", "那就", "算了", "还是", "行吧", "好吧") {
		return false // "I want a refund!" is more of the complaint
	}
	told := t.val(slotComplaint)
	t.setAside()
	t.start(in, strings.TrimSpace(told+"\n"+text), att)
	return true
}

// addToComplaint adds what a complaining customer tells while asked
// something else ("He came 3 hours late and shouted at my mother") to the
// complaint: the facts belong on the ticket, not with the knowledge base.
func (t *turn) addToComplaint(text string) bool {
	c := t.c
	text = strings.TrimSpace(text)
	v, ok := c.Slots[slotComplaint]
	if !ok || c.Asking == slotComplaint || looksLikeQuestion(text) || utf8.RuneCountInString(text) < 8 {
		return false
	}
	v.Value += "\n" + text
	v.Raw += "\n" + text
	v.Turn = c.Turn
	c.Slots[slotComplaint] = v
	t.say("complaint.added")
	return true
}

// resolvePending applies a yes or no to a value waiting for confirmation.
// It returns false when the message is neither (it may carry a new value).
func (t *turn) resolvePending(text string) bool {
	c := t.c
	p := c.pending()
	if p == nil {
		return false
	}
	yes := yesNo(text)
	if yes == 0 && t.sameMonth(*p, text) {
		yes = 1 // "march 2025, I don't remember the day" to "You bought it in March 2025, right?"
	}
	if yes == 1 && t.dayGiven(*p, text) {
		return false // "yes, on 28 November": the day, which the form takes, not the month alone
	}
	switch yes {
	case 1:
		v := p.Value
		v.Confirmed = true
		if v.Precision == "relative" {
			v.Precision = "" // the day confirmed is exact
		}
		c.Slots[p.Name] = v
		c.dropPending(p.Name)
		c.Misses = 0
		return true
	case -1:
		delete(c.Slots, p.Name)
		c.dropPending(p.Name)
		return true
	}
	return false
}

// sameMonth reports whether text names again, and only, the month of a
// purchase date waiting for confirmation.
// dayGiven reports a day said with the yes to a purchase month asked to
// confirm ("是的，11月28号买的").
func (t *turn) dayGiven(p Pending, text string) bool {
	if p.Name != slotPurchased || p.Value.Precision != "month" {
		return false
	}
	for _, d := range extract.Dates(text, t.today) {
		if d.Precision == extract.PrecisionDay {
			return true
		}
	}
	return false
}

func (t *turn) sameMonth(p Pending, text string) bool {
	if p.Name != slotPurchased || p.Value.Precision != "month" {
		return false
	}
	ds := extract.Dates(text, t.today)
	return len(ds) == 1 && ds[0].Precision == extract.PrecisionMonth && ds[0].Date.String() == p.Value.Value
}

// sideQuestion answers a question asked in the middle of a form.
func (t *turn) sideQuestion(text string) bool {
	if isGreeting(text) { // "hello?": still here, and the question stands
		t.say("still_here")
		return true
	}
	if t.ticketStatus(text) {
		t.say("resume")
		return true
	}
	if yesNo(text) != 0 || isAck(text) {
		return false // "yeah" is no question for the knowledge base
	}
	if t.visitDayAsked(text) {
		t.say("resume") // "can the technician come on saturday?": how the day is agreed
		return true
	}
	if t.sideQuestions(text) {
		t.say("resume")
		return true
	}
	if _, _, ok := t.repairModes(text); ok {
		t.say("resume") // "你们也修冰箱吗" in a form: how, and the form goes on
		return true
	}
	if (visitAsked(text) || t.visitAskedInRepair(text)) && !visitFeeAsked(text) && t.has(slotModel) {
		t.repairMode(text) // "能上门修吗？" of the product being reported: its own terms
		t.say("resume")
		return true
	}
	if t.repairCostAsked(text) || t.warrantyAskedInRepair(text) || t.otherProductAsked(text) && t.productFact(text) {
		t.say("resume") // "how much is the TV-65X?": its facts, the form's model kept
		return true
	}
	if ans, ok := t.answer(text); ok {
		t.sayText(ans)
		t.say("resume")
		return true
	}
	if looksLikeQuestion(text) {
		t.say("side_question_unknown")
		return true
	}
	return false
}

// warrantyAskedInRepair answers "is it still under warranty?", "那还保修吗"
// asked while a repair is reported, from the model's warranty and the
// purchase date told: until when it runs, or, the day not known yet, how
// long. Whether the repair is free is decided once the form is complete
// (proof, exclusions); a question naming a cause ("is water damage
// covered?"), a cost or another product is the knowledge base's.
func (t *turn) warrantyAskedInRepair(text string) bool {
	if journey(t.c.State) != "repair" || !t.has(slotModel) || !looksLikeQuestion(text) {
		return false
	}
	n := norm(text)
	if !containsAny(n, warrantyCues...) && !containsAny(n, "covered", "cover it") || containsAny(n, "保修卡", "warranty card") || asksCost(text) ||
		containsAny(n, misuseCues...) || containsAny(n, openedCues...) || containsAny(n, forceCues...) || containsAny(n, t.e.consumables[t.val(slotModel)]...) {
		return false
	}
	if t.namesOtherModel(text, t.val(slotModel)) {
		return false
	}
	terms, err := t.e.pol.TermsOf(t.val(slotModel))
	if err != nil {
		return false
	}
	var bought *policy.Date
	if d, err := policy.ParseDate(t.val(slotPurchased)); err == nil {
		if p := t.c.Slots[slotPurchased].Precision; p == "" || p == "relative" {
			bought = &d // a day, not a month or a year
		}
	}
	t.warrantyFact(t.productName(terms.Product.Model), terms.WarrantyMonths, bought, "warranty.form_covered")
	return true
}

// warrantyAskedOpening answers a warranty question asked in the message
// that reports the fault ("My PR-2000 keeps jamming. Is it still under
// warranty? I bought it on March 3rd 2025."), once its model and purchase
// date are read, before the repair goes on; without the model ("my
// washing machine is leaking, is it under warranty?"), once the model is
// known (warrantyAskedLater).
func (t *turn) warrantyAskedOpening(text string) {
	for _, s := range sentences(text) {
		if !looksLikeQuestion(s) {
			continue
		}
		if !t.has(slotModel) && containsAny(norm(s), warrantyCues...) {
			t.set(slotWarrantyQ, "yes", s)
			return
		}
		if t.warrantyAskedInRepair(s) {
			return
		}
	}
}

// warrantyAskedLater answers the warranty question kept by
// warrantyAskedOpening once the model is known.
func (t *turn) warrantyAskedLater() {
	q, ok := t.c.Slots[slotWarrantyQ]
	if !ok || !t.has(slotModel) {
		return
	}
	delete(t.c.Slots, slotWarrantyQ)
	t.warrantyAskedInRepair(q.Raw)
}

// namesOtherModel reports whether text names a catalog model other than
// model ("how much is the TV-65X?" during the TV-55X's repair).
func (t *turn) namesOtherModel(text, model string) bool {
	return slices.ContainsFunc(t.e.catalog.Models(text), func(m extract.ModelMatch) bool { return m.Model != model })
}

// visitAskedInRepair reports a question whether someone comes to the
// customer, asked while a repair is reported ("can a technician come to my
// home instead?", "师傅能到家吗？"): the repair needs no saying.
func (t *turn) visitAskedInRepair(text string) bool {
	if journey(t.c.State) != "repair" || !looksLikeQuestion(text) {
		return false
	}
	n := norm(text)
	return containsAny(n, visitCues...)
}

// repairCostAsked answers what the repair being reported costs ("how much
// will it cost?", "修一下要多少钱？"): free in warranty, otherwise the
// estimate of a paid repair and a quote to accept before any work (§2.2);
// which applies is told once the form is complete. A price of something
// else ("how much is the TV-65X?", "how much is a new filter?") is no
// question about the repair, and a case named ("out of warranty") is the
// knowledge base's.
func (t *turn) repairCostAsked(text string) bool {
	if journey(t.c.State) != "repair" || !looksLikeQuestion(text) || !asksCost(text) || visitFeeAsked(text) || intentOf(text) == intentInstall {
		return false
	}
	n := norm(text)
	if containsAny(n, warrantyCues...) {
		return false // "保修期过了要收费吗？": the knowledge base answers the case asked
	}
	if !containsAny(n, repairWords...) && !containsAny(n, "it", "me", "this", "这个") && utf8.RuneCountInString(n) > 8 {
		return false
	}
	if t.namesOtherModel(text, t.val(slotModel)) {
		return false
	}
	t.say("cost.form", t.feeArgs()...)
	return true
}

// miss counts an answer that was not understood and asks again, more
// explicitly each time; after three it offers a human.
func (t *turn) miss() {
	c := t.c
	if t.repeated {
		return // the last message sent twice: it was answered, the copy is no miss
	}
	c.Misses++
	if c.Misses >= 3 {
		c.Misses = 0
		t.offerHuman()
		return
	}
	if c.Misses == 1 {
		t.say("not_understood")
	} else {
		t.say("not_understood_again")
	}
	t.reprompt()
}

// offerHuman says the bot cannot help and offers a person, or to go on.
func (t *turn) offerHuman() {
	t.ask("offer_human", []Choice{t.choice("cmd:human", "menu.human"), t.choice("choice:continue", "choice.continue")})
}

// modelUnreadable reports an answer to the model question that says the
// model cannot be read or found ("the label on the side is unreadable",
// "铭牌看不清", "找不到型号", "I don't know"): the box, the invoice or the
// list of products tell it instead.
func modelUnreadable(text string) bool {
	return isUnsure(text) || modelUnreadableCues.any(norm(text))
}

var modelUnreadableCues = newPhraseSet([]string{"unreadable", "not readable", "illegible", "can't read", "cannot read", "can not read",
	"hard to read", "can't see", "cannot see", "worn off", "rubbed off", "faded", "peeled off", "came off", "no label", "label is gone",
	"label is missing", "missing label", "can't find", "cannot find", "can not find", "couldn't find", "don't know the model",
	"don't know which model", "not sure which model", "not sure of the model", "don't have the model", "where is the model",
	"where do i find", "where can i find", "where's the model", "don't remember the model", "forgot the model",
	"看不清", "看不到", "看不见", "模糊", "磨掉", "磨没", "掉了", "撕掉", "没有铭牌", "没铭牌", "没有标签", "找不到", "不知道型号",
	"不知道是什么型号", "不知道什么型号", "不知道是哪个型号", "不记得型号", "不清楚型号", "型号在哪", "哪里看型号", "怎么看型号", "在哪看"})

// modelElsewhere tells where else the model is written, and asks for it
// again with the products to pick from: those of the kind named, or all.
func (t *turn) modelElsewhere() {
	t.c.Misses = 0
	t.ask("model.elsewhere", t.productChoices())
}

// modelUnknown answers a model number that is none of the catalog's, nor
// near one ("AC-35", another brand's product): said back, with the
// products to pick from. It counts as a miss: the third in a row offers a
// person instead.
func (t *turn) modelUnknown(said string) {
	if t.c.Misses >= 2 {
		t.miss()
		return
	}
	t.c.Misses++
	t.ask("model.unknown", t.productChoices(), "model", said)
}

// productChoices are the products to pick from when the model is not
// known: those of the kind the customer named, or all of the catalog's.
func (t *turn) productChoices() []Choice {
	models := strings.Split(t.c.Slots["model_choices"].Value, ",")
	if models[0] == "" {
		models = t.e.pol.Models()
	}
	choices := make([]Choice, len(models))
	for i, m := range models {
		choices[i] = Choice{Value: "model:" + m, Label: t.productName(m)}
	}
	return choices
}

// modelShaped finds what reads as a model number: letters, then digits
// after a dash or two or more digits, perhaps letters after them ("AC-35",
// "XY-5", "QN90A"). Stricter than the warranty card's modelLike, which
// takes a space inside: said to the model question, "a 4K TV" or "Nov
// 2025" is no model number to say back as unknown.
var modelShaped = regexp.MustCompile(`(?i)\b[a-z]{1,5}(-\d{1,6}|\d{2,6})[a-z]{0,4}\b`)

// askNext asks the next missing slot (with the ones after it, on a channel
// that asks them together), or moves on when the form is done.
// askWhichDate asks which of the two days a date that reads both ways
// round means ("3/5 could be 3 May or 5 March: which one?"), the two days
// offered as choices.
func (t *turn) askWhichDate(a ambiguousDate) {
	if a.weekday {
		t.askDayMismatch(a, "") // "周二16号": the 16th is a Wednesday
		return
	}
	dm, md := t.dayMonthText(a.dm.Date), t.dayMonthText(a.md.Date)
	switch {
	case a.dm.Relative:
		dm, md = t.dayText(a.dm.Date), t.dayText(a.md.Date) // "next Saturday": Sat 5 Dec or Sat 12 Dec
	case yearWritten.MatchString(a.dm.Text):
		dm, md = t.dateText(a.dm.Date), t.dateText(a.md.Date)
	}
	t.ask("date.ambiguous", []Choice{{Value: a.dm.Date.String(), Label: dm}, {Value: a.md.Date.String(), Label: md}},
		"said", a.dm.Text, "dm", dm, "md", md)
}

func (t *turn) askNext() {
	c := t.c
	j := journey(c.State)
	prev := c.Together
	c.Together = nil
	if p := c.pending(); p != nil {
		switch p.Name {
		case slotModel:
			t.ask("confirm.model", t.yesNoChoices(), "model", t.productName(p.Value.Value))
		case slotPurchased:
			d, _ := policy.ParseDate(p.Value.Value)
			key, when := "confirm.month", t.monthText(d)
			switch p.Value.Precision {
			case "year":
				key, when = "confirm.year", d.String()[:4]
			case "week":
				when = t.weekText(d)
			case "relative":
				key, when = "confirm.day", t.dateText(d)
			}
			t.ask(key, t.yesNoChoices(), "when", when)
		case slotProof:
			t.ask("confirm.proof_number", t.yesNoChoices(), "ref", p.Value.Raw)
		}
		return
	}
	if j == "repair" {
		t.warrantyAskedLater() // "…is it under warranty?" before the model was confirmed
	}
	if j == "install" && t.has(slotModel) {
		if terms, err := t.e.pol.TermsOf(t.val(slotModel)); err == nil && terms.Installation == policy.InstallNone {
			t.fire(evCancel)
			t.clearJourney()
			t.say("install.not_needed", "model", t.productName(terms.Product.Model))
			return
		}
	}
	if a := t.whichDay; a != nil && !t.has(slotVisitDate) && slices.Contains(slotOrder[j], slotVisitDate) {
		t.whichDay = nil
		if c.Asking != slotVisitDate {
			t.remember()
			c.Asking, c.Misses = slotVisitDate, 0
		}
		t.askWhichDate(*a) // "…next Saturday": which one, before the rest
		return
	}
	next := t.nextSlot(j)
	if next != c.Asking {
		t.remember()
		c.Asking, c.Misses = next, 0
	}
	// Remote guidance comes before the rest of a repair form (§3.3.2): once
	// the model, date and fault are known, whether or not the proof came
	// with them, and also when the first message told everything.
	if j == "repair" && !t.has(slotTrouble) && (next == "" || slices.Index(slotOrder[j], next) > slices.Index(slotOrder[j], slotFault)) {
		if steps := t.troubleshootingSteps(); len(steps) > 0 {
			t.set(slotTrouble, "offered", "")
			t.fire(evTrouble)
			t.say("troubleshoot.steps", "steps", numbered(steps))
			t.ask("troubleshoot.ask", t.yesNoChoices())
			return
		}
	}
	if next == "" {
		t.formDone(j)
		return
	}
	if list := t.together(j, next); len(list) > 1 {
		t.askTogether(list, prev)
		return
	}
	t.askSlot(next)
}

// together lists the missing slots to ask in one message from next on, on
// a channel that asks them together: the ones that need nothing not known
// yet. Without the model only the model, the purchase date and the fault
// are asked (the rest depends on the product), and a repair asks nothing
// past the remote troubleshooting before it is offered.
func (t *turn) together(j, next string) []string {
	if !t.e.asksTogether(t.c.Channel) {
		return nil
	}
	order := slotOrder[j]
	i := slices.Index(order, next)
	if i < 0 {
		return nil
	}
	var list []string
	for _, s := range order[i:] {
		if !t.has(slotModel) && contains(order, slotModel) && s != slotModel && s != slotPurchased && s != slotFault {
			break
		}
		if j == "repair" && s == slotProof && !t.has(slotTrouble) && len(t.troubleshootingSteps()) > 0 {
			break
		}
		if !t.needed(j, s) || t.has(s) {
			continue
		}
		if s == slotConsumable && t.consumableParts() == "" {
			t.set(slotConsumable, "no", "") // nothing to ask about
			continue
		}
		list = append(list, s)
	}
	return list
}

// askTogether asks several slots in one message, numbered.
func (t *turn) askTogether(list, prev []string) {
	// Questions left from the last list keep their numbers ("2. …, 3. …"),
	// so that an answer by the first mail's numbers still finds them.
	if len(prev) > len(list) && !slices.ContainsFunc(list, func(s string) bool { return !slices.Contains(prev, s) }) {
		kept := make([]string, len(prev))
		for i, s := range prev {
			if slices.Contains(list, s) {
				kept[i] = s
			}
		}
		list = kept
	}
	t.c.Together = list
	var b strings.Builder
	b.WriteString(t.text("ask.together"))
	for i, s := range list {
		if s == "" {
			continue // answered: its number stays taken
		}
		b.WriteString("\n")
		b.WriteString(strconv.Itoa(i + 1))
		b.WriteString(". ")
		if s == slotConsumable {
			b.WriteString(t.text("ask.consumable", "parts", t.consumableParts()))
		} else {
			b.WriteString(t.text("ask." + s))
		}
	}
	t.sayText(b.String())
}

// yesNoQuestions counts the questions among slots answered yes or no.
func yesNoQuestions(slots []string) int {
	n := 0
	for _, s := range slots {
		switch s {
		case slotMisuse, slotOpened, slotConsumable, slotPackaging:
			n++
		}
	}
	return n
}

// numberedAnswers reads the lines of a reply that start with a number from
// 1 to n ("1. …", "2) …", "3、…", "４：…"): the answers to a numbered list of
// questions, by number. A number given twice keeps its first answer; a line
// like "2026-04-10", "1-2 times", "1.5 hours" or "1:30" is no answer.
func numberedAnswers(text string, n int) map[int]string {
	if n == 0 {
		return nil
	}
	var out map[int]string
	for _, line := range strings.Split(policy.FoldWidth(text), "\n") {
		line = strings.TrimSpace(line)
		d := 0
		for d < len(line) && d < 2 && line[d] >= '0' && line[d] <= '9' {
			d++
		}
		k, _ := strconv.Atoi(line[:d])
		rest, sep := strings.TrimLeft(line[d:], " "), false
		if d > 0 {
			for _, p := range []string{".", ")", "、", ":", "："} {
				if r, ok := strings.CutPrefix(rest, p); ok {
					rest, sep = r, r == "" || r[0] < '0' || r[0] > '9' // "1.5 hours", "1:30" are numbers
					break
				}
			}
		} else {
			// "一、WM-100", "二、2026年3月1日": Chinese numbering.
			r, size := utf8.DecodeRuneInString(line)
			i := strings.IndexRune("一二三四五六七八九十", r)
			if i < 0 {
				continue
			}
			k = i/len("一") + 1
			rest, sep = strings.CutPrefix(line[size:], "、")
		}
		if !sep || k < 1 || k > n {
			continue
		}
		if out == nil {
			out = map[int]string{}
		}
		if _, dup := out[k]; !dup {
			out[k] = strings.TrimSpace(rest)
		}
	}
	return out
}

// lastOption returns the request (return, exchange, repair) named in the
// last clause of text that names one, or "".
func lastOption(text string) policy.Option {
	cs := clauses.Split(strings.ReplaceAll(text, ",", "，"), -1)
	for i := len(cs) - 1; i >= 0; i-- {
		if o := optionIn(cs[i]); o != "" {
			return o
		}
	}
	return ""
}

// lineAnswers reads a reply to n numbered questions written without the
// numbers, one short line each in the questions' order ("order 888…\nno\n
// no\nno"): as many lines as questions, none of them long. Nil otherwise.
func lineAnswers(text string, n int) map[int]string {
	if n < 2 {
		return nil
	}
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) != n {
		return nil
	}
	out := map[int]string{}
	for i, l := range lines {
		if utf8.RuneCountInString(l) > 60 {
			return nil
		}
		out[i+1] = l
	}
	return out
}

// fillNumbered fills the slots of the last numbered questions from the
// answers given by number, each read as the answer to its own question; an
// attachment answers the proof of purchase.
func (t *turn) fillNumbered(j string, answers map[int]string, att []Attachment) filled {
	c := t.c
	asking := c.Asking
	defer func() { c.Asking = asking }()
	var all filled
	for i, s := range c.Together {
		if s == "" {
			continue // answered in an earlier mail
		}
		a, ok := answers[i+1]
		var files []Attachment
		if s == slotProof {
			files = att
		}
		if !ok && len(files) == 0 || t.has(s) && a == "" {
			continue
		}
		c.Asking = s
		f := t.fill(j, a, files)
		all.changed = append(all.changed, f.changed...)
		all.corrected = append(all.corrected, f.corrected...)
		all.pending = all.pending || f.pending
		if all.rejected == "" {
			all.rejected = f.rejected
		}
		if all.ambiguous == nil {
			all.ambiguous = f.ambiguous
		}
	}
	return all
}

func numbered(steps []string) string {
	var b strings.Builder
	n := 0
	for _, s := range steps {
		n += len(s) + len("\n1. ")
	}
	b.Grow(n)
	for i, s := range steps {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteRune(rune('1' + i))
		b.WriteString(". ")
		b.WriteString(s)
	}
	return b.String()
}

// troubleshootingSteps are the remote guidance for the repair's product
// and fault; none when the fault told is only damage done to the product
// ("孩子把电视摔了", "my kid knocked the TV over"): no reset mends a fall.
func (t *turn) troubleshootingSteps() []string {
	if f := norm(t.val(slotFault)); damageTold(f) && !faultTold(f) {
		return nil
	}
	terms, err := t.e.pol.TermsOf(t.val(slotModel))
	if err != nil {
		return nil
	}
	return t.e.kb.Troubleshooting(terms.Product.Model, terms.Category.ID, simplified(t.val(slotFault)), t.lang())
}

// askSlot asks for one slot.
func (t *turn) askSlot(s string) {
	c := t.c
	switch s {
	case slotModel:
		var choices []Choice
		mc := c.Slots["model_choices"]
		if mc.Value != "" {
			for _, m := range strings.Split(mc.Value, ",") {
				choices = append(choices, Choice{Value: "model:" + m, Label: t.productName(m)})
			}
		}
		if mc.Raw != "" && mc.Turn == c.Turn {
			t.ask("ask.model_which", choices) // "the smart one" fit these
			return
		}
		t.ask("ask.model", choices)
	case slotMisuse, slotOpened:
		t.ask("ask."+s, t.yesNoChoices())
	case slotConsumable:
		parts := t.consumableParts()
		if parts == "" {
			t.set(slotConsumable, "no", "")
			t.askNext()
			return
		}
		t.ask("ask.consumable", t.yesNoChoices(), "parts", parts)
	case slotProof:
		t.ask("ask.proof", []Choice{t.choice("choice:no", "choice.no_proof")})
	case slotPackaging:
		t.ask("ask.packaging", t.yesNoChoices())
	case slotPhone:
		t.ask("ask.phone", nil)
		t.expect(InputTel)
	default:
		t.ask("ask."+s, nil)
	}
}

// consumableParts lists the product's consumable parts ("" when it has none).
func (t *turn) consumableParts() string {
	pr, _ := t.e.pol.Product(t.val(slotModel))
	names := make([]string, len(pr.Consumables))
	for i, c := range pr.Consumables {
		names[i] = c.In(t.lang())
	}
	return strings.Join(names, t.text("list_sep"))
}

// consumableCues are the words naming a product's consumable parts, in
// both languages: each name, and its last word ("滤网" of "HEPA 滤网",
// "cushions" of "ear cushions").
func consumableCues(pr policy.Product) []string {
	var out []string
	for _, c := range pr.Consumables {
		for _, n := range []string{c.In("zh"), c.In("en")} {
			n = strings.ToLower(strings.TrimSpace(n))
			if n == "" {
				continue
			}
			out = append(out, n)
			if f := strings.Fields(n); len(f) > 1 {
				out = append(out, f[len(f)-1])
			} else if r := []rune(n); len(r) > 2 && !isASCII(n) {
				out = append(out, string(r[len(r)-2:]))
			}
		}
	}
	return out
}

// coolers name the products whose work is to keep things cold (not an air
// conditioner: one that should heat and is "still cold" is faulty).
var coolers = []string{"refrigerator", "fridge", "freezer", "cooler"}

// workingStates are the still states that say the repair's product works:
// a fridge "still cold" keeps cooling, its fault does not go on.
func (t *turn) workingStates() []string {
	terms, err := t.e.pol.TermsOf(t.val(slotModel))
	if err != nil || !containsAny(strings.ToLower(terms.Product.Name.In("en")), coolers...) {
		return nil
	}
	return []string{"cold", "cool", "cooling"}
}

// troubleshootAnswer: did the remote steps help?
func (t *turn) troubleshootAnswer(text string, att []Attachment) {
	if len(att) > 0 {
		t.fire(evNotFixed) // a photo of the invoice: on with the form
		t.collect(text, att)
		return
	}
	working := t.workingStates()
	if helped(text, working...) == 0 && t.warrantyAskedInRepair(text) {
		// "is it still under warranty?": answered, and says nothing of the
		// steps
		t.say("resume")
		t.ask("troubleshoot.ask", t.yesNoChoices())
		return
	}
	switch helped(text, working...) {
	case 1:
		t.fire(evFixed)
		t.clearJourney()
		t.say("troubleshoot.fixed")
	case -1:
		t.fire(evNotFixed)
		t.warrantyAskedInRepair(text) // "still broken, is it under warranty?": answered too
		t.askNext()
	default:
		if t.repairToReturn(text, att) {
			return
		}
		if wantsToComplain(text) {
			// "什么破电视，买了一年就坏，我要投诉": a complaint (§3.5), not a
			// question about complaints.
			t.complaintAside(text, att)
			return
		}
		if faultGoesOn(text) {
			t.fire(evNotFixed) // "还在漏": not solved
			t.askNext()
			return
		}
		if t.sideQuestion(text) {
			t.ask("troubleshoot.ask", t.yesNoChoices())
			return
		}
		if !hasWords(text) { // "😡", "…": no answer, and nothing for the form
			t.miss()
			return
		}
		t.fire(evNotFixed)
		t.collect(text, att)
	}
}

// hasWords reports whether text has a letter or a digit.
func hasWords(text string) bool {
	return strings.IndexFunc(text, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}

// formDone moves a complete form on to its summary or outcome.
func (t *turn) formDone(j string) {
	switch j {
	case "repair", "install":
		t.fire(evCollected)
		t.summary()
	case "return":
		t.fire(evCollected)
		t.offerOptions()
	case "complaint":
		t.fileComplaint()
	}
}

// confirmAnswer handles the answer to a summary.
func (t *turn) confirmAnswer(text string, att []Attachment) {
	c := t.c
	j := journey(c.State)
	if t.returnToRepair(text) || t.packagingRemark(text) || t.costAnswered(text) {
		return
	}
	if c.State == ReturnConfirm {
		if w := t.exchangeTo(j, text); w != "" {
			// "换成TV-65X" at the summary: the exchange's model, which the
			// options consider again (the same model while it is in stock).
			t.wantModel(w, text)
			t.set(slotOption, string(policy.OptExchange), text)
			t.fire(evAmend)
			t.askNext()
			return
		}
		// "不要换货，就退货", "no, I don't want a return, just an exchange":
		// the request named last is the one wanted.
		if o := lastOption(text); o == policy.Option(t.val(slotOption)) && yesNo(text) == -1 {
			t.bookReturn()
			return
		} else if o != "" && o != policy.OptRepair && o != policy.Option(t.val(slotOption)) {
			t.set(slotOption, string(o), text)
			t.amended(slotOption)
			return
		}
	}
	yn := yesNo(text)
	if yn == 1 && containsAny(norm(text), yesButCues...) {
		yn = 0 // "yes but the phone is wrong, it's 139…": the correction first, then the summary again
	}
	switch yn {
	case 1:
		switch c.State {
		case RepairConfirm:
			t.decideRepair()
		case InstallConfirm:
			t.bookInstallation()
		case ReturnConfirm:
			t.bookReturn()
		}
		return
	case -1:
		if s := t.valueCorrection(j, text); s != "" {
			t.amended(s) // "no wait, make it Thursday": the new value, not the question what to change
			return
		}
		if !t.amendNamed(j, text) {
			t.say("amend.ask")
		}
		return
	}
	if t.installAside(text) || j == "install" && t.faultAside(text, att) {
		return
	}
	f := t.fill(j, text, att)
	if f.any() {
		if f.pending {
			t.fire(evAmend)
			t.askNext()
			return
		}
		t.amended(f.changed...)
		return
	}
	if s := t.valueCorrection(j, text); s != "" {
		t.amended(s)
		return
	}
	if t.whichDay != nil {
		t.fire(evAmend)
		t.askNext() // "can we do next Saturday instead?" on a Wednesday, the day booked another: which Saturday
		return
	}
	if containsAny(norm(text), wrongCues...) && t.amendNamed(j, text) {
		return
	}
	if movedHome(norm(text)) && t.amend(j, slotAddress) {
		return // "I moved", "我搬家了": the new address is asked
	}
	if t.sideQuestion(text) {
		t.summary()
		return
	}
	t.miss()
}

// amended says which fields a correction at the summary changed and shows
// the summary again (a return's options first: they may have changed).
func (t *turn) amended(slots ...string) {
	for _, s := range slots {
		t.say("updated", "what", t.slotLabel(s), "value", t.slotText(s))
	}
	if t.c.State == ReturnConfirm {
		t.fire(evAmend)
		t.askNext()
		return
	}
	t.summary()
}

// changeCues ask for another value ("make it Monday instead", "改成下周四").
var changeCues = []string{"instead", "change it to", "change to", "make it", "move it to", "reschedule", "rather", "改成", "改到", "换成",
	"换到", "改为", "推迟到", "提前到", "改一下"}

// thenCues ask for another value only where a change is expected, at the
// summary ("那就周二16号", "Tuesday the 16th then"): answering another
// question, "and then it started leaking" changes nothing.
var thenCues = []string{"then", "那就"}

// valueMarkers come between a field's name and its new value ("the address
// is …", "地址是…", "电话改成…").
var valueMarkers = []string{"should be", "is", "to", ":", "：", "应该是", "改成", "改为", "换成", "是", "为"}

// valueCorrection gives a field of form j the value text names for it: "no,
// the address is 1 Main St", "不对，地址是上海市…", or a day to change the
// visit to ("make it next Monday instead", "改成下周四下午", "25 Dec"). It returns the
// field changed, "" when text is no such correction.
func (t *turn) valueCorrection(j, text string) string {
	n := norm(text)
	// A day alone ("25 Dec", "12月25号") is the visit's too: no other field
	// of the form is a date.
	changing := containsAny(n, changeCues...) || t.c.State == InstallConfirm && containsAny(n, thenCues...)
	// A day with a few words ("actually Thursday", "周四可以吗") too, unless
	// they tell a fault ("周日开始漏水了，那就只好换新的": when it began).
	aside := dayAside(text, t.today) && !faultPhrases.any(n)
	if slices.Contains(slotOrder[j], slotVisitDate) && t.has(slotVisitDate) && (changing || t.onlyDate(text) || aside) {
		if d, other, ok := t.weekdayWithDay(text); ok {
			if other != nil {
				delete(t.c.Slots, slotVisitDate)
				t.whichDay = other // "那就周二16号" when the 16th is a Wednesday: asked which (askNext)
				return ""
			}
			if !d.Date.Before(t.today) {
				t.set(slotVisitDate, d.Date.String(), text)
				return slotVisitDate
			}
		}
		if coming, following, ok := extract.NextWeekday(text, t.today); ok {
			if t.val(slotVisitDate) == coming.Date.String() {
				t.set(slotVisitDate, following.Date.String(), following.Text) // "next Saturday instead" of this Saturday: the one after
				return slotVisitDate
			}
			delete(t.c.Slots, slotVisitDate)
			t.whichDay = &ambiguousDate{dm: coming, md: following} // asked which (askNext)
			return ""
		}
		if d, ok := t.weekdayOfPickedWeek(text, t.val(slotVisitDate)); ok {
			t.set(slotVisitDate, d.Date.String(), d.Text) // "make it Thursday" after next Monday: that week's Thursday
			return slotVisitDate
		}
		for _, d := range extract.NextDates(text, t.today) {
			if d.Precision == extract.PrecisionDay && !d.Date.Before(t.today) {
				t.set(slotVisitDate, d.Date.String(), d.Text)
				return slotVisitDate
			}
		}
	}
	lower := strings.ToLower(text)
	for _, sn := range slotNames {
		if sn.slot != slotAddress && sn.slot != slotFault || !slices.Contains(slotOrder[j], sn.slot) {
			continue
		}
		for _, w := range sn.words {
			i := strings.Index(lower, w)
			if i < 0 {
				continue
			}
			rest := strings.TrimSpace(text[i+len(w):])
			for _, m := range valueMarkers {
				v, ok := strings.CutPrefix(strings.ToLower(rest), m)
				if !ok {
					continue
				}
				v = strings.Trim(strings.TrimSpace(rest[len(rest)-len(v):]), " .。!！")
				if utf8.RuneCountInString(v) >= 4 && !looksLikeQuestion(v) && (sn.slot != slotAddress || !addressNewsIn(v)) {
					t.set(sn.slot, v, text)
					return sn.slot
				}
				break
			}
		}
	}
	return ""
}

// noFaultCues say that a product to send back has nothing wrong with it.
var noFaultCues = []string{"don't like", "dont like", "changed my mind", "change my mind", "no fault", "nothing wrong",
	"works fine", "working fine", "works perfectly", "it works", "bought the wrong", "ordered the wrong", "no longer need",
	"don't need it", "dont need it", "不喜欢", "不想要", "买错", "没有质量问题", "没质量问题", "没坏", "无理由", "不需要了", "用不上"}

// unusedCues say a product is unopened or never used. With no fault named
// anywhere, nothing wrong is told ("退货，没拆封"); once the return's fault
// is known they tell of the packaging ("没拆封" = intact).
var unusedCues = []string{"unopened", "still sealed", "never opened", "never used", "not opened", "haven't opened", "havent opened",
	"没拆封", "未拆封", "没开封", "未开封", "没拆", "没开箱", "未开箱", "没用过", "没有用过", "未使用", "没使用过"}

// isNoFault reports whether text says a product to send back has nothing
// wrong with it ("it works, I just don't like it") and names no fault.
func isNoFault(text string) bool {
	n := norm(text)
	return containsAny(n, noFaultCues...) && !faultPhrases.any(n)
}

// whyAsked reports whether a question asks why the bot asks what it asks
// ("why do you need to know?", "为什么要问这个").
func whyAsked(text string) bool {
	n := norm(text)
	return looksLikeQuestion(text) && containsAny(n, "why", "为什么", "为啥", "干嘛", "有什么关系") && len(strings.Fields(n)) <= 8
}

// boxUnharmed reports whether "没坏", "nothing wrong", said once the
// return's fault is known, answer the packaging question or speak of the
// box ("箱子还在，没坏"): the packaging is unharmed, the product still faulty.
func (t *turn) boxUnharmed(text string) bool {
	f := folded(text)
	return t.has(slotFault) && containsAny(f, "没坏", "没有坏", "nothing wrong") &&
		(t.c.Asking == slotPackaging || containsAny(f, packagingWords...))
}

// isUnused reports whether text says the product is unopened or unused and
// names no fault.
func isUnused(text string) bool {
	n := norm(text)
	return containsAny(n, unusedCues...) && !faultPhrases.any(n)
}

// missingCues say something was not in the box on delivery; partNouns name
// the accessories that can be missing (not the box itself: "without the
// box" is the packaging).
var (
	missingCues = []string{"少了", "缺少", "缺了", "少发", "漏发", "少给", "没给", "没配", "没有配", "没带", "没附", "没有附", "不见了",
		"without the", "without a", "without any", "missing", "didn't come with", "did not come with", "didn't include", "did not include",
		"not included", "wasn't included", "weren't included", "was not included", "were not included", "not in the box", "no charger", "no cable", "no remote"}
	partNouns = []string{"线", "充电器", "适配器", "电源头", "遥控器", "配件", "附件", "说明书", "保修卡", "电池", "支架", "挂架", "底座", "滤网", "耳塞", "耳帽", "螺丝", "内胆", "量杯", "刷头", "吸头",
		"cable", "cord", "charger", "adapter", "adaptor", "plug", "remote", "accessor", "manual", "battery", "batteries", "stand", "bracket", "mount",
		"base", "filter", "ear tip", "eartip", "screw", "inner pot", "measuring cup", "brush", "nozzle", "attachment"}
)

// isMissingPart reports whether text says an accessory was missing from the
// box on delivery ("arrived without the charging cable", "收到少了充电线"),
// naming no fault: that is no performance fault to return or exchange for.
func isMissingPart(text string) bool {
	n := norm(text)
	return containsAny(n, missingCues...) && containsAny(n, partNouns...) && !faultPhrases.any(n)
}

// missingPart answers a return or exchange asked for an accessory missing on
// delivery: not a performance fault (§3.4), so a person sorts it out, with
// the customer's words on the ticket.
func (t *turn) missingPart(text string) {
	t.c.Slots[slotQuestion] = Slot{Value: withoutGreeting(text), Raw: text, Confirmed: true, Turn: t.c.Turn}
	t.say("return.missing_part")
	t.escalate("missing_part")
}

// noFaultReturn answers a return of a product with nothing wrong with it:
// the standard's returns and exchanges are for performance faults (§3.4),
// so the customer hears that and is passed to a person, who knows the
// rules of the shop it came from.
func (t *turn) noFaultReturn() {
	r := t.e.pol.Returns
	t.say("return.no_fault", "return_days", strconv.Itoa(r.ReturnDays), "exchange_days", strconv.Itoa(r.ExchangeDays))
	t.escalate("no_fault_return")
}

// slotNames are the words a customer uses for a form's fields ("the date is
// wrong"); "date" is the purchase date or the visit date, whichever the
// form has.
var slotNames = []struct {
	slot  string
	words []string
}{
	{slotModel, []string{"model", "型号"}},
	{slotPurchased, []string{"purchase date", "bought", "date", "购买时间", "购买日期", "日期", "买的时间"}},
	{slotVisitDate, []string{"visit", "date", "day", "上门时间", "预约时间", "日期", "哪天", "时间"}},
	{slotAddress, []string{"address", "地址"}},
	{slotPhone, []string{"phone", "number", "电话", "手机", "号码"}},
	{slotProof, []string{"order", "proof", "invoice", "receipt", "订单", "凭证", "发票"}},
	{slotFault, []string{"fault", "problem", "description", "故障", "问题描述"}},
}

// wrongCues say that something shown is wrong.
var wrongCues = []string{"wrong", "incorrect", "not right", "mistake", "不对", "错了", "有误", "写错", "不正确"}

// yesButCues turn a yes to a summary into a correction ("yes but the phone
// is wrong, it's 139…", "对，不过地址要改一下").
var yesButCues = append(slices.Clone(wrongCues), " but ", "但是", "不过")

// amendNamed reopens the field of form j that text names as wrong ("no, the
// address is wrong") and asks it again; false when text names none of the
// fields the form shows.
func (t *turn) amendNamed(j, text string) bool {
	n := norm(text)
	for _, sn := range slotNames {
		if containsAny(n, sn.words...) && t.amend(j, sn.slot) {
			return true
		}
	}
	return false
}

// amend reopens field slot of form j and asks it again; false when the
// form does not show it.
func (t *turn) amend(j, slot string) bool {
	if !slices.Contains(slotOrder[j], slot) || !t.has(slot) || !t.needed(j, slot) {
		return false
	}
	delete(t.c.Slots, slot)
	t.fire(evAmend)
	t.askNext()
	return true
}

// summary shows what was collected and asks the customer to confirm.
func (t *turn) summary() {
	c := t.c
	j := journey(c.State)
	var b strings.Builder
	b.Grow(512) // a form's summary, in one allocation
	line := func(label, value string) {
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		b.WriteString("- ")
		b.WriteString(label)
		b.WriteString(": ")
		b.WriteString(value)
	}
	for _, s := range slotOrder[j] {
		if t.has(s) && t.needed(j, s) {
			line(t.slotLabel(s), t.slotText(s))
		}
	}
	if j == "return" && t.has(slotOption) {
		line(t.slotLabel(slotOption), t.slotText(slotOption))
		if t.has(slotExchangeTo) {
			line(t.slotLabel(slotExchangeTo), t.productName(t.val(slotExchangeTo)))
		}
	}
	t.ask("summary", t.yesNoChoices(), "details", b.String())
}

// timeOfDay are the words of a visit day that say more than the day: the
// time of day, or a bound ("Friday afternoon", "下周三上午", "Saturday, not
// before 10").
var timeOfDay = newPhraseSet([]string{"morning", "afternoon", "evening", "noon", "night", "am", "pm", "a.m", "p.m", "o'clock", "before",
	"after", "between", "until", "till", "early", "late", "any time", "anytime", "latest", "earliest", "or ", "not ",
	"if possible", "preferably", "ideally", "flexible",
	"上午", "下午", "中午", "晚上", "早上", "傍晚", "点", "之前", "以前", "之后", "以后", "前", "后", "都行", "都可以", "随时", "或", "不要", "别", "尽量", "最好", "可以的话"})

// slotLabel names a slot for the customer.
func (t *turn) slotLabel(s string) string { return t.text("slot." + s) }

// slotText shows a slot's value for the customer.
func (t *turn) slotText(s string) string {
	v := t.c.Slots[s]
	switch s {
	case slotModel, slotExchangeTo:
		return t.productName(v.Value)
	case slotPurchased, slotFaultSince:
		d, err := policy.ParseDate(v.Value)
		if err != nil {
			return v.Value
		}
		switch v.Precision {
		case "week":
			return t.weekText(d)
		case "month":
			return t.monthText(d)
		case "year":
			return v.Value[:4]
		}
		return t.dateText(d)
	case slotVisitDate:
		d, err := policy.ParseDate(v.Value)
		if err != nil {
			return v.Value // the customer's words: no day in them
		}
		switch {
		case t.onlyDate(v.Raw) || strings.EqualFold(strings.TrimSpace(v.Raw), t.dayText(d)) || !timeOfDay.any(norm(withoutDates(v.Raw, extract.NextDates(v.Raw, t.today)))):
			// "Sat 12 Dec", a choice's label typed; "can you come on Monday
			// instead?", "后天能来装吗" (the 后 of 后天 is no time of day):
			// the words say no more than the day
			return t.dayText(d)
		case t.lang() == "zh":
			return t.dayText(d) + "，" + v.Raw
		}
		return t.dayText(d) + " (" + v.Raw + ")"
	case slotProof:
		switch {
		case v.Value == "none":
			return t.text("proof.none")
		case strings.HasPrefix(v.Value, "order:"):
			return t.text("proof.order", "ref", strings.TrimPrefix(v.Value, "order:"))
		case strings.HasPrefix(v.Value, "file:"):
			return t.text("proof.file", "name", v.Raw)
		}
	case slotMisuse, slotOpened, slotConsumable, slotForce:
		return t.text("choice." + v.Value)
	case slotPackaging, slotOption:
		return t.text(s + "." + v.Value)
	case slotCard:
		return t.text("card." + v.Value)
	}
	return v.Value
}

// staleAfter is how long a bot question may wait before a message that
// does not answer it is taken as a new start: a customer back hours or days
// later with something else.
const staleAfter = time.Hour

// stale reports whether the conversation's question has waited staleAfter
// or more. Mail is answered hours later as a matter of course: no question
// of a channel that asks its questions together goes stale.
func (t *turn) stale() bool {
	return t.now.Sub(t.c.Updated) >= staleAfter && !t.e.asksTogether(t.c.Channel)
}

// staleForm handles a message to a form left unfinished for staleAfter or
// more that does not answer it: a greeting is welcomed back to the
// question, and a request of another journey (or about another product)
// sets the old form aside and starts. False when the form is not stale or
// the message may answer it (a late answer goes on as usual).
func (t *turn) staleForm(text string, att []Attachment) bool {
	if !slices.Contains(collecting, t.c.State) || !t.stale() {
		return false
	}
	switch {
	case isGreeting(text):
		t.say("welcome_back")
		t.reprompt()
		return true
	case t.otherRequest(text):
		t.setAside()
		t.idle(text, att)
		return true
	}
	return false
}

// otherRequest reports whether text asks for something other than the
// current form: another journey, or a product other than the form's.
func (t *turn) otherRequest(text string) bool {
	j := journey(t.c.State)
	switch in := intentOf(text); {
	case strings.HasPrefix(text, "intent:"):
		return true
	case in == intentRepair && j != "repair", in == intentInstall && j != "install", in == intentComplaint && j != "complaint",
		(in == intentReturn || in == intentExchange) && j != "return":
		return true
	}
	model := t.val(slotModel)
	for _, m := range t.e.catalog.Models(text) {
		if model != "" && m.Exact && m.Model != model {
			return true
		}
	}
	return false
}
