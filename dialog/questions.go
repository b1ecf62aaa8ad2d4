package dialog

import (
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/supportd/supportd/policy"
)

// A message that asks two questions or more ("how long is the warranty on
// the WM-100 and does it need installation?", "WM-100保修多久？要安装吗？")
// gets an answer to each, from the catalog or the knowledge base, the
// product named once standing for every question; a question neither
// answers is said to be passed on to a person.

// questionJoin joins a second question to the first: "… and does it …",
// "…, and is it …".
var questionJoin = regexp.MustCompile(`,? and (?:does|do|is|are|can|could|will|would|should|how|what|when|where|which|who)\b`)

// questionParts cuts text into the questions it asks: its sentences that
// end with a question mark, and English questions joined by "and". Fewer
// than two when it asks one question or none.
func questionParts(text string) []string {
	var out []string
	for _, s := range sentences(text) {
		l := strings.ToLower(s)
		if len(l) != len(s) {
			out = append(out, s)
			continue
		}
		from := 0
		for _, m := range questionJoin.FindAllStringIndex(l, -1) {
			out = append(out, s[from:m[0]])
			from = m[0] + strings.Index(l[m[0]:], "and ") + len("and ")
		}
		out = append(out, s[from:])
	}
	parts := out[:0]
	for _, p := range out {
		p = strings.Trim(p, " ,，。")
		if l := strings.ToLower(p); strings.HasPrefix(l, "and ") {
			p = p[len("and "):] // "… take? and can I …"
		}
		if p != "" {
			parts = append(parts, p)
		}
	}
	return parts
}

// mayAskSeveral is the quick test before questionParts: two question
// marks, or a question joined by "and".
func mayAskSeveral(text string) bool {
	return strings.Count(text, "?")+strings.Count(text, "？") >= 2 || strings.Contains(text, " and ") && questionJoin.MatchString(strings.ToLower(text))
}

// severalQuestions answers each question of a message that asks several
// about the service or one product, and offers the first it cannot answer
// to a person, named. False when text asks fewer than two, when one of
// them is a request ("my TV-55X is broken, can you fix it?"), or when none
// has an answer: the message goes its usual way.
func (t *turn) severalQuestions(text string) bool {
	if !mayAskSeveral(text) {
		return false
	}
	parts := questionParts(text)
	if len(parts) < 2 {
		return false
	}
	model := ""
	if ms := t.e.catalog.Models(text); len(ms) > 0 {
		if !ms[0].Exact || twoModels(ms) {
			return false // two products, or one not sure: asked one by one
		}
		model = ms[0].Model
	} else if ps := t.productsNamed(text); len(ps) == 1 {
		model = ps[0] // "the fridge", the only one: "it" in the next question
	}
	qs := make([]string, len(parts))
	for i, p := range parts {
		if !looksLikeQuestion(p) && !questionJoin.MatchString(" and "+strings.ToLower(p)) {
			return false
		}
		q := p
		switch {
		case i > 0 && asksCost(p) && visitAsked(parts[i-1]) && len(t.e.catalog.Models(p)) == 0:
			q = parts[i-1] + " " + p // "can you fix it on site? is there a charge?": the visit's charge
		case i > 0 && followUp(p) && visitAsked(parts[i-1]) && containsAny(norm(p), visitWaitCues...):
			q = visitWait[detectLang(p)] // "can you fix it on site? how long does it take?": how soon the technician comes
		case model != "" && len(t.e.catalog.Models(p)) == 0:
			q = withModel(p, model) // "要安装吗" of the WM-100
		case i > 0 && followUp(p):
			return false // "能退货吗？要多久？": the second asks of the first, not on its own
		}
		if t.isRequest(q) {
			return false // a request among the questions: the journey takes it
		}
		qs[i] = q
	}
	open, answered := t.answerParts(qs, parts)
	if answered == 0 {
		return false
	}
	if len(open) > 0 {
		t.passOn(open[0])
	}
	t.c.Misses = 0
	return true
}

// answerParts answers each of the questions qs (parts as asked), one
// answer for two that get the same; it returns the parts it could not
// answer and how many it did.
func (t *turn) answerParts(qs, parts []string) (open []string, answered int) {
	for i, q := range qs {
		before := len(t.out)
		if !t.answerPart(q) {
			open = append(open, parts[i])
			continue
		}
		answered++
		if said := t.out[before:]; len(said) == 1 && slices.ContainsFunc(t.out[:before], func(m Message) bool { return m.Text == said[0].Text }) {
			t.out = t.out[:before] // "可以开发票吗？发票什么时候给？": one answer for both
		}
	}
	return open, answered
}

// sideQuestions answers the questions of a message that asks several in
// the middle of a form ("can you fix it on site? how long does it take?"
// asked for the proof of purchase): each it can, a visit asked of the
// form's product told from its terms. False when it asks fewer than two,
// or none is answered: the form's usual side question.
func (t *turn) sideQuestions(text string) bool {
	if !mayAskSeveral(text) {
		return false
	}
	parts := questionParts(text)
	if len(parts) < 2 {
		return false
	}
	answered := 0
	var rest, restParts []string
	for i, p := range parts {
		switch {
		case visitAsked(p) && !visitFeeAsked(p) && t.has(slotModel):
			t.repairMode(p) // "can you fix it on site?" of the WM-100 being reported
			answered++
			continue
		case i > 0 && followUp(p) && visitAsked(parts[i-1]) && containsAny(norm(p), visitWaitCues...) && !t.mailedIn():
			rest = append(rest, visitWait[detectLang(p)])
		case i > 0 && asksCost(p) && visitAsked(parts[i-1]):
			rest = append(rest, parts[i-1]+" "+p)
		default:
			rest = append(rest, p)
		}
		restParts = append(restParts, p)
	}
	_, n := t.answerParts(rest, restParts)
	return answered+n > 0
}

// mailedIn reports whether the form's product is repaired by mail-in:
// how long it takes is then the repair's time, not a visit's.
func (t *turn) mailedIn() bool {
	terms, err := t.e.pol.TermsOf(t.val(slotModel))
	return err == nil && terms.ServiceMode != policy.Onsite
}

// isRequest reports a part of a message that reports a fault or asks for
// a journey rather than how it goes ("how long does a refund take?" asks;
// "能退吗" and "my TV has no sound" ask for one).
func (t *turn) isRequest(q string) bool {
	n := norm(q)
	if visitAsked(q) {
		return false // "can you fix it on site?": how repairs are done, asked
	}
	if faultPhrases.any(n) {
		return true // "为什么又坏了？": a fault, for the repair
	}
	switch in := intentOf(q); {
	case in == intentNone:
		return false
	case in == intentInstall:
		return !installQuestion(q)
	case containsAny(n, infoCues...):
		return false
	}
	if !looksLikeQuestion(q) {
		return true
	}
	_, ok := t.answer(q) // "退货要原包装吗？": answered, no return asked for
	return !ok
}

// visitAsked reports a question whether a repair is done on site ("can
// you fix it on site?", "能上门修吗？") that tells of no fault: its repair
// word is all that reads as one. The knowledge base says which products
// are repaired on site, and a charge asked after it is the visit's.
func visitAsked(q string) bool {
	n := norm(q)
	if !looksLikeQuestion(q) || !containsAny(n, visitCues...) || !containsAny(n, repairWords...) || containsAny(n, installWords...) {
		return false
	}
	return !faultTold(n)
}

// visitWithFault reports a fault told with a question whether it is
// repaired on site ("my washing machine leaks, can you fix it on site?",
// "洗衣机漏水，能上门修吗？"): the repair starts, and the question is
// answered in it (repairMode).
func visitWithFault(text string) bool {
	n := norm(text)
	return looksLikeQuestion(text) && containsAny(n, visitCues...) && !containsAny(n, installWords...) && (faultTold(n) || damageTold(n))
}

// damageTold reports whether normalised n tells of damage done to the
// product ("孩子把电视摔了", "my kid knocked the TV over"), not asks what a
// fall would mean ("如果摔了保修吗", "what if I drop it?"), nor tells of
// damage the service's people did (staffDamage).
func damageTold(n string) bool {
	return containsAny(n, misuseCues...) && !containsAny(n, "如果", "要是", "万一", "假如", "if ", "what if", "in case") && !staffDamage(n)
}

// sendCues ask for a person to be sent.
var sendCues = []string{"派人", "派个", "派一个", "派位", "派师傅", "派工程师", "派技术", "派维修", "安排师傅", "安排人", "叫师傅",
	"send someone", "send somebody", "send a technician", "send an engineer", "send a repair", "send over", "send out"}

// repairVisitAsked reports a request to send someone to repair a product
// ("能不能派师傅来修冰箱", "can you send someone to fix my fridge"): a repair
// with a visit, asked for before any fault is told. The repair starts and
// says whether the product is repaired on site (repairMode).
func repairVisitAsked(text string) bool {
	if !strings.ContainsAny(text, "派排叫") && !strings.Contains(text, "end") {
		return false // no 派, 安排, 叫 or send: the cheap look first
	}
	n := norm(text)
	return containsAny(n, sendCues...) && !containsAny(n, installWords...) &&
		(looksLikeQuestion(text) || hasPrefixAny(n, "can you", "could you", "would you") || containsAny(n, "请", "麻烦", "please")) &&
		(containsAny(n, "来修", "上门修") || intentOf(text) == intentRepair || damageTold(n)) // "派人来修": 修 alone is also 装修; "my son dropped the TV, can you send a technician?"
}

// faultTold reports whether normalised n tells of a fault: a fault word
// other than a repair's ("fix", "维修" ask for one, and tell none).
func faultTold(n string) bool {
	fault := false
	faultPhrases.each(n, func(k, _ int) bool {
		fault = !containsAny(faultPhrases.phrases[k], repairWords...)
		return !fault
	})
	return fault
}

// repairMode tells, in a repair just started, whether the product is
// repaired on site or sent in: of the model given, or of the products
// named when they are all repaired the same way; otherwise that the
// booking will say.
func (t *turn) repairMode(text string) {
	models := t.productsNamed(text)
	if m := t.val(slotModel); m != "" {
		models = []string{m}
	} else if ms := t.e.catalog.Models(text); len(ms) == 1 {
		models = []string{ms[0].Model}
	}
	mode := policy.ServiceMode("")
	for _, m := range models {
		terms, err := t.e.pol.TermsOf(m)
		if err != nil || mode != "" && terms.ServiceMode != mode {
			mode = ""
			break
		}
		mode = terms.ServiceMode
	}
	switch {
	case visitFeeAsked(text):
		t.sayText(t.visitFee()) // "…, is there a call-out fee?": what the visit costs
	case mode == "":
		t.say("repair.mode_later")
	default:
		t.say("repair.mode_"+string(mode), "products", t.productList(models))
	}
}

// visitWaitCues ask how long something takes; visitWait asks it of an
// on-site repair, in words the knowledge base answers.
var (
	visitWaitCues = []string{"how long", "how soon", "how many days", "how quickly", "how fast", "when", "多久", "多长时间", "几天", "多快", "什么时候"}
	visitWait     = map[string]string{"zh": "上门维修多久能到", "en": "how long until a technician comes on site", "": "how long until a technician comes on site"}
)

// followUp reports a question that asks only of what was said before it:
// "要多久？", "多少钱？", "how long does it take?". Nothing in it says
// what it is about.
func followUp(q string) bool {
	n := norm(q)
	if isASCII(n) {
		return containsAny(n, "it", "that", "this", "they", "them") || len(strings.Fields(n)) <= 2
	}
	han := 0
	for _, r := range n {
		if unicode.Is(unicode.Han, r) && !strings.ContainsRune("要吗呢吧啊么多久少钱几天时候什怎样需能可以会是不", r) {
			han++
		}
	}
	return han < 2
}

// withModel names model in a question that says "it" ("does it need
// installation?" of the WM-100), or puts the model before it ("要安装吗").
func withModel(q, model string) string {
	for _, it := range []string{" it ", " this ", "它", "这个", "这台"} {
		if i := strings.Index(q, it); i >= 0 {
			sp := ""
			if strings.HasPrefix(it, " ") {
				sp = " "
			}
			return q[:i] + sp + "the " + model + sp + q[i+len(it):]
		}
	}
	return model + " " + q
}

// answerPart answers one question of several from the catalog (a product's
// price, stock, warranty or installation terms) or the knowledge base;
// false, saying nothing, when neither answers it.
func (t *turn) answerPart(q string) bool {
	if t.productFact(q) {
		return true
	}
	n := norm(q)
	if ms := t.e.catalog.Models(q); len(ms) == 1 && ms[0].Exact && (intentOf(q) == intentInstall || containsAny(n, "installing", "installed")) && !installInfo.any(n) {
		// "does it need installing?", "免费安装吗" of the WM-100: its terms, free or paid.
		if terms, err := t.e.pol.TermsOf(ms[0].Model); err == nil {
			if terms.Installation == policy.InstallNone {
				t.say("install.not_needed", "model", t.productName(terms.Product.Model))
			} else {
				t.installTerms(terms, q)
			}
			return true
		}
	}
	if ans, ok := t.installAnswer(q); ok {
		t.sayText(ans)
		return true
	}
	return false
}

// passOn offers to pass one question of several to a person, naming it.
func (t *turn) passOn(q string) {
	c := t.c
	c.Slots = map[string]Slot{slotQuestion: {Value: q, Raw: q, Confirmed: true, Turn: c.Turn}}
	t.fire(evUnanswered)
	t.ask("consult.offer_part", t.yesNoChoices(), "question", q, "deadline", t.when(t.deadline(t.e.pol.SLA.Consultation)))
}
