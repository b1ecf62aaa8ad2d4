package dialog

import (
	"cmp"
	"iter"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/supportd/supportd/dialog/extract"
	"github.com/supportd/supportd/policy"
)

// The slots the journeys collect.
const (
	slotModel      = "model"
	slotPurchased  = "purchased"
	slotProof      = "proof"
	slotFault      = "fault"
	slotTrouble    = "troubleshot" // the remote steps were offered
	slotMisuse     = "misuse"
	slotOpened     = "opened"
	slotConsumable = "consumable"
	slotForce      = "force_majeure" // told, never asked: lightning, fire, flood (§5.3)
	slotCard       = "warranty_card" // told, never asked: "mismatch" (another model on it) or "altered" (§5.4)
	slotAddress    = "address"
	slotPhone      = "phone"
	slotPackaging  = "packaging"
	slotOption     = "option"
	slotExchangeTo = "exchange_to"
	slotWanted     = "wanted_model" // another model named for an exchange; not asked
	slotVisitDate  = "visit_date"
	slotUpload     = "upload"         // a file sent in idle, the proof of the repair or return started next
	slotNamed      = "named"          // a request for help that named the product ("I need help with my printer"), its model for the journey picked next
	slotPrevious   = "previous"       // the repair ticket of a fault that came back, the installation of one to put right
	slotIssue      = "install_issue"  // what is wrong with an installation done, to put right; told, never asked
	slotVented     = "vented"         // the journey was told that a complaint can be made too (start.vented): said once
	slotWarrantyQ  = "warranty_asked" // a warranty question told with the fault before the model was known: answered once it is
	slotMoveAsked  = "move_asked"     // the installation whose new day was just asked (install.move_how): "下周二" next is its day
	slotAddrAsked  = "address_asked"  // the visit whose new address was just asked (booked.address_how): an address next is its address
	slotComplaint  = "complaint"
	slotQuestion   = "question"
	slotScore      = "score"
	slotRateTicket = "rate_ticket" // the ticket asked to rate; once rated, kept in idle for a remark right after (ratingDone)
	slotRateNote   = "rate_note"   // a comment told before the score
	slotFaultSince = "fault_since" // the day the fault began, told after filing; not asked
	slotReplaces   = "replaces"    // the return or exchange ticket a changed request replaces once filed; not asked
	slotFromRepair = "from_repair" // a repair offered a return or exchange within their windows (§3.4); not asked
	slotAside      = "aside"       // the repair or return a complaint set aside, its details kept on the complaint; not asked
)

// journey returns the journey a state belongs to: "repair", "return",
// "install", "complaint", or "" for the others.
func journey(state string) string {
	j, _, ok := strings.Cut(state, ".")
	if !ok {
		return ""
	}
	switch j {
	case "repair", "return", "install", "complaint":
		return j
	}
	return ""
}

// slotOrder lists the slots each journey asks, in order; needed decides
// which of them apply to this conversation.
var slotOrder = map[string][]string{
	"repair":    {slotModel, slotPurchased, slotFault, slotProof, slotCard, slotMisuse, slotOpened, slotConsumable, slotForce, slotAddress, slotPhone},
	"return":    {slotModel, slotPurchased, slotFault, slotProof, slotPackaging, slotMisuse, slotOpened, slotForce},
	"install":   {slotModel, slotIssue, slotAddress, slotVisitDate, slotPhone},
	"complaint": {slotComplaint, slotPhone},
}

// needed reports whether slot applies in journey j.
func (t *turn) needed(j, slot string) bool {
	c := t.c
	switch slot {
	case slotAddress, slotPhone:
		switch j {
		case "repair":
			terms, err := t.e.pol.TermsOf(c.Slots[slotModel].Value)
			return err == nil && terms.ServiceMode == policy.Onsite
		case "complaint":
			return c.Customer.Email == "" && c.Customer.Phone == ""
		}
	case slotPackaging:
		// Only a return needs the packaging, and only while the window and
		// the proof still allow one.
		return c.Slots[slotOption].Value != "exchange" && !t.returnClosed()
	case slotForce, slotCard, slotIssue:
		return c.Slots[slot].Value != "" // shown when told, never asked
	case slotMisuse, slotOpened:
		// A return asks no exclusion question; damage told ("I dropped
		// it") rules a return and an exchange out (no performance fault).
		return j != "return" || c.Slots[slot].Value != ""
	}
	return true
}

// returnClosed reports whether what the customer told already rules a
// return out before the packaging is asked: the window has passed even for
// the latest day the purchase date may mean, or there is no proof.
func (t *turn) returnClosed() bool {
	if !t.has(slotModel) || !t.has(slotPurchased) || !t.has(slotProof) {
		return false
	}
	pc, err := t.policyCase(true)
	if err != nil {
		return false
	}
	r, err := t.e.pol.ReturnOptions(pc) // asked at every question of the form: no warranty decision
	why := r.Refused.Return
	return err == nil && (why == policy.Expired || why == policy.NoProof || policy.Exclusion(why).Valid())
}

// nextSlot returns the first needed slot of the journey that has no
// confirmed value, or "" when the form is complete.
func (t *turn) nextSlot(j string) string {
	for _, s := range slotOrder[j] {
		if !t.needed(j, s) {
			continue
		}
		v, ok := t.c.Slots[s]
		if !ok || v.Value == "" {
			return s
		}
	}
	return ""
}

func (t *turn) set(name, value, raw string) {
	t.c.Slots[name] = Slot{Value: value, Raw: raw, Precision: "", Confirmed: true, Turn: t.c.Turn}
}

func (t *turn) has(name string) bool { return t.c.Slots[name].Value != "" }

func (t *turn) val(name string) string { return t.c.Slots[name].Value }

// filled is what one message told us.
type filled struct {
	changed   []string // slots set or overwritten
	corrected []string // of those, slots that had another value before
	pending   bool     // a value waits for confirmation
	rejected  string   // a text key explaining a value we could not take
	narrowed  bool     // asked which product, the answer fits several: which of them is asked
	// ambiguous is a date said for the date asked that reads both ways
	// round ("3/5"): which one is asked.
	ambiguous *ambiguousDate
}

// ambiguousDate is a date that reads as two days: dm with the day first
// (3/5: 3 May), md with the month first (5 March); for "next Saturday" said
// on a Wednesday, dm is the coming Saturday and md the one after (both
// Relative).
//
// With weekday, dm is the day of the week named ("周二16号": Tue 15 Dec) and
// md the date, which falls on another day of the week (Wed 16 Dec).
type ambiguousDate struct {
	dm, md  extract.DateMatch
	weekday bool
}

func (f *filled) any() bool { return len(f.changed) > 0 || f.pending }

// fill extracts every slot of journey j that the message gives. The slot
// being asked also accepts answers that only make sense as answers (yes/no,
// free text).
func (t *turn) fill(j, text string, att []Attachment) filled {
	var f filled
	c := t.c
	asking := c.Asking
	wants := func(s string) bool { return contains(slotOrder[j], s) }
	put := func(name, value, raw string) {
		if name == slotAddress || name == slotFault || name == slotComplaint {
			value = t.asTyped(value) // the customer's own words, in their script
		}
		old := c.Slots[name]
		if old.Value == value {
			if !old.Confirmed {
				old.Confirmed = true
				c.Slots[name] = old
			}
			return
		}
		if old.Value != "" && name != asking {
			f.corrected = append(f.corrected, name)
		}
		t.set(name, value, raw)
		f.changed = append(f.changed, name)
	}

	// Quick replies carry the value directly.
	if v, ok := strings.CutPrefix(text, "model:"); ok && wants(slotModel) {
		if pr, ok := t.e.pol.Product(v); ok {
			put(slotModel, pr.Model, text)
			c.dropPending(slotModel)
		}
		return f
	}

	if w := t.exchangeTo(j, text); w != "" {
		// "换成TV-65X": the model wanted in exchange, not a correction of
		// the product's own model.
		t.wantModel(w, text)
		put(slotOption, "exchange", text)
	} else if wants(slotModel) && !t.otherProductAsked(text) {
		t.fillModel(text, &f, put)
	}
	if j == "return" && t.has(slotModel) {
		// "exchange my TV-55X for the TV-65X": the second model is the one
		// wanted instead, which the options then consider.
		for _, m := range t.e.catalog.Exact(text) {
			if m.Model != t.val(slotModel) && intentOf(text) == intentExchange {
				c.Slots[slotWanted] = Slot{Value: m.Model, Raw: m.Text, Turn: c.Turn}
				break
			}
		}
		if !t.has(slotWanted) && intentOf(text) == intentExchange {
			// "exchange my TV-55X for the 65 inch one", "想换成65寸那个": the
			// model described.
			n := norm(text)
			at := cueAt(n, exchangeToCues)
			if i := strings.Index(n, " for "); at < 0 && i >= 0 {
				at = i
			}
			if w := ""; at >= 0 {
				if w = t.describedIn(n[at:]); w != "" {
					c.Slots[slotWanted] = Slot{Value: w, Raw: n[at:], Turn: c.Turn}
				}
			}
		}
	}
	// A date in an answer to another question ("上个月找人拆开看过", "the
	// sound is gone again since yesterday") is no purchase date unless it
	// says buying, corrects one or is all the message says ("11月18日"); the
	// first message's dates may be.
	if wants(slotPurchased) && (asking == slotPurchased || asking == "" && !t.has(slotPurchased) && !t.has(slotPrevious) ||
		containsAny(norm(text), purchaseCues...) || correctionCue(text) && !tellsEvent(norm(text)) || t.onlyDate(text)) {
		t.fillPurchase(text, &f, put)
	}
	proofRef := "" // the number taken as the order: no phone number too
	if wants(slotProof) {
		if ref, ok := extract.OrderNumber(text); ok {
			put(slotProof, "order:"+ref, text)
			proofRef = ref
		} else if len(att) > 0 {
			put(slotProof, "file:"+att[0].Ref, att[0].Name)
		} else if asking == slotProof {
			n := norm(text)
			// "I threw the box away": the packaging's, not the receipt's
			lost := containsAny(n, proofLostCues...) && (!onlyPackaging(text) || containsAny(n, proofNouns...) || containsAny(n, "receipt", "invoice", "发票", "收据", "小票"))
			// A question back ("what happens when the warranty card has the
			// wrong model?") is for the knowledge base, not the proof.
			asks := looksLikeQuestion(text)
			if !lost && !asks && cue(n, paperProof) == 1 {
				f.rejected = "proof.photo_please" // "I have the paper receipt somewhere": a photo of it is the proof
			} else if lost || yesNo(text) < 0 || containsAny(n, "don't have", "do not have", "none", "no proof") {
				put(slotProof, "none", text)
			} else if j == "repair" && !asks && (containsAny(n, notKnownCues...) || containsAny(n, notRememberedCues...)) {
				f.rejected = "proof.unknown" // "I don't know the order number": where to find it, or the photo
			} else if ref := t.proofNumber(text); ref != "" && !asks {
				// Asked for the proof, a number is the order's; one written
				// like a phone number ("0923456781") is asked about first.
				proofRef = ref
				if p, ok := extract.Phone(ref); ok && p == digitsOf(ref) {
					c.setPending(Pending{Name: slotProof, Value: Slot{Value: "order:" + ref, Raw: ref, Turn: c.Turn}})
					f.pending = true
				} else {
					put(slotProof, "order:"+ref, text)
				}
			}
		}
	}
	if wants(slotCard) {
		if v := cardSays(text, t.val(slotModel)); v != "" {
			put(slotCard, v, text) // "the warranty card says TV-50A but my TV is a TV-55X"
		}
	}
	if wants(slotFault) && !t.has(slotFault) && asking != slotFault && (intentOf(text) == intentRepair || j == "return" && faultPhrases.any(norm(text))) &&
		substantive(text) && !looksLikeQuestion(text) {
		put(slotFault, t.faultText(text), text) // "AP-300 前天买的，有异味": the fault came with the rest
	}
	if wants(slotPhone) {
		if p, ok := extract.Phone(text); ok && p != digitsOf(proofRef) {
			put(slotPhone, p, text)
		}
	}
	if wants(slotAddress) && asking != slotAddress && t.needed(j, slotAddress) {
		if a := addressIn(text); a != "" {
			put(slotAddress, a, text) // "…，地址上海市浦东新区世纪大道100号，…": told with the rest
		}
	}
	if wants(slotVisitDate) && asking == "" && !t.has(slotVisitDate) {
		addr := addressIn(text)
		// The day told in the first message ("…，12月1号下午"), if it is one.
		if d, other, ok := t.weekdayWithDay(text); ok && other != nil {
			t.whichDay = other // "…，周二16号" when the 16th is a Wednesday: asked which
		} else if ok && !d.Date.Before(t.today) {
			put(slotVisitDate, d.Date.String(), dayClause(text, addr, d.Start, d.End)) // "…，周三16号"
		} else if coming, following, ok := extract.NextWeekday(text, t.today); ok {
			t.whichDay = &ambiguousDate{dm: coming, md: following} // "next Saturday" on a Wednesday: asked which
		}
		for _, d := range extract.NextDates(text, t.today) {
			if t.whichDay != nil || t.has(slotVisitDate) {
				break
			}
			if d.Precision == extract.PrecisionDay && !d.Date.Before(t.today) {
				put(slotVisitDate, d.Date.String(), dayClause(text, addr, d.Start, d.End))
				break
			}
		}
		if loc := dayOnThe.FindStringIndex(text); loc != nil && !t.has(slotVisitDate) && t.whichDay == nil {
			if d, ok := extract.DayAlone(text[loc[0]:loc[1]], t.today, true); ok {
				put(slotVisitDate, d.Date.String(), dayClause(text, addr, loc[0], loc[1])) // "…installation for my WP-8 on the 5th"
			}
		}
	}
	if j == "complaint" {
		if e, ok := extract.Email(text); ok && c.Customer.Email == "" {
			c.Customer.Email = e
			f.changed = append(f.changed, "email")
		}
	}
	lower := norm(text)
	// An exclusion named answers its question; denied, it answers the
	// question being asked ("it was never dropped"), or before it is asked
	// when the denial is whole ("never dropped or got wet", "nobody opened
	// it").
	for _, x := range [...]struct {
		slot  string
		cues  []string
		whole bool
	}{{slotMisuse, misuseCues, deniesMisuse(lower)}, {slotOpened, openedCues, true}} {
		if !wants(x.slot) || j == "return" && saysOfBox(lower) {
			continue // "the box got wet": the packaging's state, not the product's damage
		}
		switch cue(lower, x.cues) {
		case 1:
			put(x.slot, "yes", text)
		case -1:
			if j != "return" && (asking == x.slot || x.whole) { // a return asks no exclusion: only damage told counts
				put(x.slot, "no", text)
			}
		}
	}
	if wants(slotForce) && cue(lower, forceCues) == 1 {
		put(slotForce, "yes", text) // "after lightning struck the house"
	}
	if wants(slotConsumable) && asking != slotConsumable && !t.has(slotConsumable) && cue(lower, t.e.consumables[t.val(slotModel)]) == -1 {
		put(slotConsumable, "no", text) // "it's not the battery", "不是滤网的问题"
	}
	if j == "return" && (!looksLikeQuestion(text) || containsAny(lower, mindChanged...)) {
		// A change of mind: "actually I'd rather exchange it", "算了还是退货吧",
		// "can I just exchange it instead?".
		switch in := intentOf(text); {
		case in == intentExchange:
			put(slotOption, "exchange", text)
		case in == intentReturn && containsAny(lower, returnWords...):
			put(slotOption, "return", text)
		}
	}
	if wants(slotPackaging) && !t.has(slotPackaging) && containsAny(lower, "包装完好", "包装完整", "包装都在", "没拆封", "未拆封", "box is intact", "packaging is intact", "still sealed", "unopened", "original box") && cue(lower, []string{"破", "坏", "damaged", "torn"}) == 0 {
		put(slotPackaging, "intact", text) // "包装完好" told before it is asked
	}
	if wants(slotPackaging) && containsAny(lower, "包装破", "包装坏", "包装丢", "没有包装", "包装没了", "箱子破", "盒子破", "盒子丢", "damaged box", "box is damaged", "no box", "without the box", "packaging is damaged", "threw away the box") {
		put(slotPackaging, "damaged", text)
	} else if wants(slotPackaging) && !t.has(slotPackaging) && asking != slotPackaging {
		if p := packagingClause(text); p != 0 {
			put(slotPackaging, map[int]string{1: "intact", -1: "damaged"}[p], text) // "…, box is fine, I want a refund"
		}
	}

	if asking == slotFault && wants(slotProof) && !t.has(slotProof) && containsAny(lower, proofNouns...) &&
		(containsAny(lower, proofLostCues...) || !faultPhrases.any(lower) && containsAny(lower, "don't have", "do not have", "没有", "没了")) {
		put(slotProof, "none", text) // "I don't have the receipt, it was a gift" to the fault's question: the proof told early, no fault
	}
	// A description asked for takes the whole message, even when it also
	// gave other slots ("投诉…，电话139…").
	switch asking {
	case slotFault, slotComplaint, slotAddress:
		if asking == slotAddress {
			// "100 Zhangjiang Road, Shanghai, phone 13800138000": the
			// address is what is left without the phone; a phone alone
			// (told again) is no address.
			addr := text
			if wants(slotVisitDate) && !t.has(slotVisitDate) && addressIn(text) != "" {
				addr = t.dayWithAddress(text, put) // "北京市朝阳区建国路88号，周六上午": the day is no part of the address
			}
			if rest := withoutContact(addr); utf8.RuneCountInString(rest) >= 4 && rest != strings.TrimSpace(text) {
				if !t.has(asking) {
					put(asking, addressAnswer(rest), text)
				}
				break
			}
			if len(f.changed) > 0 || withoutContact(text) == "" {
				break
			}
		}
		if asking == slotFault && len(f.changed) > 0 && !faultPhrases.any(lower) {
			break // "订单号 77665544332" is the proof, not the fault
		}
		if asking == slotFault && onlyPackaging(text) {
			// "包装盒被快递压坏了", "the box got crushed in delivery": the
			// packaging told early, no fault; the fault is asked again.
			if p := packagingSays(text); p != 0 && wants(slotPackaging) && !t.has(slotPackaging) {
				put(slotPackaging, map[int]string{1: "intact", -1: "damaged"}[p], text)
			}
			break
		}
		if asking == slotFault && !faultPhrases.any(lower) && packagingSays(text) != 0 && utf8.RuneCountInString(strings.TrimSpace(text)) < 12 {
			break // "完好", "it's fine": the packaging answered early, or no fault; the fault is asked again
		}
		if asking == slotAddress && (t.onlyDate(text) || dayAside(text, t.today) || t.picksDay(text)) {
			switch coming, following, ok := extract.NextWeekday(text, t.today); {
			case !wants(slotVisitDate):
			case ok && t.val(slotVisitDate) == coming.Date.String():
				put(slotVisitDate, following.Date.String(), text) // "sorry I meant next Saturday" after this Saturday: the one after
			default:
				t.fillVisitDate(text, &f, put) // the visit day, said early or changed
			}
			break // "Sunday 29 November" is no address
		}
		// "no sound at all", "没有声音了" open with a no, and are a fault.
		if !t.has(asking) && !looksLikeQuestion(text) && utf8.RuneCountInString(strings.TrimSpace(text)) >= 2 &&
			(yesNo(text) == 0 || asking == slotFault && faultPhrases.any(lower)) && !isGreeting(text) {
			v := strings.TrimSpace(text)
			if asking == slotAddress {
				v = addressAnswer(v) // "oh and my address is Room 1203, …": the address
			}
			put(asking, v, text)
		}
	}
	if asking == slotPurchased && len(f.changed) == 0 && !f.pending && c.Misses == 0 &&
		(containsAny(lower, notKnownCues...) || containsAny(lower, notRememberedCues...) ||
			containsAny(lower, "礼物", "送的", "朋友买", "别人买", "家人买", "not sure", "gift", "someone else bought")) {
		// "不知道哪天买的，朋友买的", "忘了什么时候买的" (no question for the
		// knowledge base): where to find it, and that a rough date does;
		// said once, then it counts as a miss (a person is offered after
		// three).
		f.rejected = "purchase.unknown"
		c.Misses++
	}
	// Answers that only make sense to the question being asked; a question
	// back ("does the packaging have to be intact?") is none, but an answer
	// before one is ("yes it's fine, can I get the money back?").
	if asking != "" {
		if a, _, ok := answerThenQuestion(text); ok {
			text = a
		}
	}
	if len(f.changed) == 0 && !f.pending && (!looksLikeQuestion(text) || isUnsure(text) || asking == slotVisitDate && t.dayProposed(text)) {
		switch asking {
		case slotVisitDate:
			if strings.TrimSpace(text) != "" && yesNo(text) == 0 && addressIn(text) == "" {
				t.fillVisitDate(text, &f, put)
			}
		case slotMisuse, slotOpened, slotConsumable:
			switch {
			case isUnsure(text):
				// Not known to apply: the exclusion is left to the
				// inspection, which every decision awaits anyway (§3.4).
				put(asking, "unknown", text)
			case yesNo(text) == 1:
				put(asking, "yes", text)
			case yesNo(text) == -1:
				put(asking, "no", text)
			case asking == slotConsumable && partDenied(lower):
				put(asking, "no", text) // "it's not the remote"
			case wants(slotFault) && yesNo(text) == 0 && faultPhrases.any(lower):
				// "no sound": the fault told, added to the one known unless
				// that named none, and the question asked again.
				v, old := t.faultText(text), t.val(slotFault)
				if faultPhrases.any(norm(old)) {
					if strings.Contains(norm(old), norm(v)) {
						break
					}
					v = old + t.text("list_sep") + v
				}
				put(slotFault, v, text)
			}
		case slotPackaging:
			switch packagingSays(text) {
			case 1:
				put(asking, "intact", text)
			case -1:
				put(asking, "damaged", text)
			}
		}
	}
	if len(f.changed) == 0 && !f.pending && f.rejected == "" && (asking == slotPurchased || asking == slotProof) && wants(slotFault) && t.has(slotFault) {
		if v, ok := t.moreFault(text); ok {
			put(slotFault, v, text) // "it worked fine and then it started leaking" to "when did you buy it?": noted, asked again
		}
	}
	return f
}

// stillFaultCues tell that a fault goes on ("still dark", "还是黑屏"): more
// about the fault, not an answer to a date or a yes/no.
var stillFaultCues = []string{"still dark", "still black", "still blank", "still no ", "still not ", "still won't", "still doesn't",
	"still leak", "still broken", "还是黑", "还是不", "还是没", "还是坏", "依然", "仍然",
	// symptoms told in words of their own ("水是从底下漏出来的", "the water comes out from the bottom")
	"漏", "杂音", "噪音", "响声", "异味", "冒烟", "火花", "water comes out", "water coming out", "smell", "smoke", "sparks", "rattl", "squeak"}

// faultGoesOn reports a message that says the fault goes on ("还在漏",
// "还在响", "依然黑屏") in words helped's stillFaulty does not read: to "did
// the steps solve it?", a no.
func faultGoesOn(text string) bool {
	n := norm(text)
	return !looksLikeQuestion(text) && containsAny(n, "还在", "还是", "依然", "仍然", "still") &&
		(faultPhrases.any(n) || containsAny(n+" ", stillFaultCues...))
}

// moreFault reads a message told while the purchase date or the proof of
// purchase is asked that only says more about the fault already known ("it
// worked fine and then it started leaking", "no sound", "没有声音", "还是黑屏"):
// the fault with the detail added, unless the fault says it already. False
// for a question, anger alone ("this is ridiculous, just fix it"), a yes or
// a no, or anything else.
func (t *turn) moreFault(text string) (string, bool) {
	n := norm(text)
	if looksLikeQuestion(text) || ventsOnly(text) || yesNo(text) != 0 && !faultFirst(n) || !faultPhrases.any(n) && !containsAny(n+" ", stillFaultCues...) && !stillFaulty(n) {
		return "", false
	}
	v, old := t.faultText(text), t.val(slotFault)
	if strings.Contains(norm(old), norm(v)) {
		return "", false
	}
	return old + t.text("list_sep") + v, true
}

// mindChanged say a question asks for another choice than the one made
// ("can I just exchange it instead?"), not about it.
var mindChanged = []string{"instead", "rather", "actually", "算了", "改成"}

// exchangeToCues come before the model a customer wants in exchange.
var exchangeToCues = []string{"换成", "换为", "换到", "换一台", "换个", "换台", "改换", "exchange it for", "exchange them for", "exchange for",
	"exchange it to", "exchange to", "exchange with", "swap it for", "swap for", "swap to", "switch to", "replace it with", "upgrade to"}

// exchangeTo returns the model a return's message names as the one wanted
// in exchange ("换成TV-65X", "can I swap it for the SB-200?"), once the
// product's own model is known; "" when it names none.
func (t *turn) exchangeTo(j, text string) string {
	if j != "return" || !t.has(slotModel) {
		return ""
	}
	n := norm(text)
	at := cueAt(n, exchangeToCues)
	if at < 0 {
		return ""
	}
	for _, m := range t.e.catalog.Exact(text) {
		if m.Model != t.val(slotModel) && m.Start >= at {
			return m.Model
		}
	}
	return t.describedIn(n[at:]) // "换成65寸那个"
}

// describedIn returns the one model other than the customer's own that the
// first clause of s describes ("65寸那个，11月20日买的" is the TV-65X), or "".
func (t *turn) describedIn(s string) string {
	if i := strings.IndexAny(s, ",;.，；。!?！？"); i >= 0 {
		s = s[:i]
	}
	if ms := t.modelsDescribed(s, t.val(slotModel)); len(ms) == 1 {
		return ms[0]
	}
	return ""
}

// cueAt returns where the first of cues is in n, or -1.
func cueAt(n string, cues []string) int {
	first := -1
	for _, c := range cues {
		if i := strings.Index(n, c); i >= 0 && (first < 0 || i < first) {
			first = i
		}
	}
	return first
}

// wantModel records model as the one wanted in exchange; a model chosen
// before for an out-of-stock exchange gives way to it.
func (t *turn) wantModel(model, raw string) {
	t.c.Slots[slotWanted] = Slot{Value: model, Raw: raw, Turn: t.c.Turn}
	delete(t.c.Slots, slotExchangeTo)
}

// saysOfBox reports whether normalised text speaks of the packaging.
func saysOfBox(lower string) bool {
	return containsAny(lower, "box", "packaging", "package", "carton", "包装", "盒子", "纸盒", "箱子", "纸箱")
}

// Words of the answer to "is the packaging intact?".
var (
	packagingWords = []string{"包装", "盒", "箱", "box", "packaging", "package", "packing", "carton", "wrapping", "seal"}
	intactWords    = []string{"完好", "完整", "没拆", "未拆", "好好的", "都在", "还在", "留着", "保留", "intact", "still have", "kept", "fine", "good", "ok", "okay", "unopened", "perfect",
		"sealed", "undamaged", "like new", "in one piece", "all there", "still there", "nothing wrong", "no damage", "好的", "没问题", "没事"}
	damageWords = []string{"破", "坏", "丢", "烂", "湿", "压扁", "压坏", "变形", "扔", "没了", "不完整", "不完好", "不在", "damaged", "torn", "ripped",
		"broken", "lost", "threw", "thrown", "crushed", "dented", "wet", "squashed", "missing", "destroyed", "gone"}
	// boxDamage are damage words said of a box more than of a product: in
	// a clause of their own they are the packaging's ("the box is fine but
	// a little dented").
	boxDamage = []string{"torn", "ripped", "crushed", "dented", "squashed", "soggy"}
)

// packagingClause reads what a clause that names the packaging says of
// it, in a message that tells more ("order 77788899, box is fine, I want a
// refund"): 1 intact, -1 damaged, 0 no such clause or it says neither.
func packagingClause(text string) int {
	for _, sent := range sentences(folded(text)) {
		for _, cl := range clauseBreak.Split(sent, -1) {
			if !containsAny(cl, packagingWords...) || looksLikeQuestion(cl) {
				continue
			}
			switch d, i := cue(cl, damageWords), cue(cl, intactWords); {
			case d == 1 || i == -1:
				return -1
			case d == -1 || i == 1:
				return 1
			}
		}
	}
	return 0
}

// onlyPackaging reports a message each clause of which speaks of the
// packaging ("包装盒被快递压坏了", "the box is intact"): nothing said of
// the product.
func onlyPackaging(text string) bool {
	f := folded(text)
	if !containsAny(f, packagingWords...) {
		return false // no clause speaks of it: not split into clauses
	}
	said := false
	for _, sent := range sentences(f) {
		for _, cl := range clauseBreak.Split(sent, -1) {
			if strings.TrimSpace(cl) == "" {
				continue
			}
			if !containsAny(cl, packagingWords...) {
				return false
			}
			said = true
		}
	}
	return said
}

// packagingSays reads the answer to "is the packaging intact (fit for
// resale)?": 1 intact, -1 damaged, 0 neither. Damage, or "intact" denied,
// wins ("the box isn't fine, it's torn", "not fine, the box got wet"); the
// clauses that name the packaging decide over the others, and a clause
// about the product alone is not about the packaging ("the TV is fine but
// the box is crushed", "机器坏了，包装完好"), one that only says a box's kind
// of damage is ("the box is fine but a little dented"). Nothing said of
// either: yes or no, unless the message speaks of a fall, water or an
// opening ("没有摔过" answers another question, not this one).
func packagingSays(text string) int {
	var box, other [2]bool // [intact, damaged] said in clauses naming the packaging, and in the others
	for _, sent := range sentences(folded(text)) {
		for _, cl := range clauseBreak.Split(sent, -1) {
			said := &other
			if containsAny(cl, packagingWords...) {
				said = &box
			} else if aboutProduct(cl) {
				continue
			} else if cue(cl, boxDamage) == 1 {
				box[1] = true
			}
			switch d, i := cue(cl, damageWords), cue(cl, intactWords); {
			case d == 1 || i == -1:
				said[1] = true
			case d == -1 || i == 1:
				said[0] = true
			}
		}
	}
	if !box[0] && !box[1] {
		box = other
	}
	switch {
	case box[1]:
		return -1
	case box[0]:
		return 1
	}
	if n := norm(text); cue(n, misuseCues) != 0 || cue(n, openedCues) != 0 {
		return 0 // "没有摔过": a yes or no to another question, not about the box
	}
	return yesNo(text)
}

// contactWords introduce a phone number or an email address.
var contactWords = regexp.MustCompile(`(?i)(phone|mobile|tel|cell|email|e-mail|电话|手机|联系方式|邮箱)\s*(number|no\.?|是|号码|：|:)?\s*$`)

// withoutContact returns text without the phone numbers and email
// addresses in it and the words that introduce them, trimmed of the
// punctuation left at its ends.
func withoutContact(text string) string {
	rest := text
	for {
		p, ok := extract.Phone(rest)
		if !ok {
			break
		}
		i := strings.Index(rest, p)
		if i < 0 {
			break // the number was written with spaces or dashes: left as is
		}
		rest = contactWords.ReplaceAllString(rest[:i], "") + rest[i+len(p):]
	}
	if e, ok := extract.Email(rest); ok {
		if i := strings.Index(rest, e); i >= 0 {
			rest = contactWords.ReplaceAllString(rest[:i], "") + rest[i+len(e):]
		}
	}
	return strings.Trim(rest, " ,.;:，。；：、")
}

// forceCues name force majeure, which the warranty excludes (§5.3).
var forceCues = []string{"雷击", "打雷", "雷劈", "被雷", "火灾", "着火", "失火", "洪水", "水灾", "地震", "台风",
	"lightning", "fire", "flood", "flooded", "earthquake", "typhoon", "hurricane"}

// paperProof are the papers a customer may have instead of an order number.
var paperProof = []string{"receipt", "invoice", "warranty card", "发票", "小票", "收据", "保修卡"}

// proofLostCues say the proof of purchase is missing; proofNouns name it.
var (
	proofLostCues = []string{"没有发票", "没有凭证", "没发票", "丢了", "找不到", "no receipt", "no invoice", "lost", "threw", "can't find", "cannot find"}
	proofNouns    = append([]string{"proof", "凭证", "order number", "订单号"}, paperProof...)
)

// proofNumber returns the order number a message answering "your proof of
// purchase?" gives (bareReference), not counting the models it names: a
// model ("TV-55X") is no order number.
func (t *turn) proofNumber(text string) string {
	ms := t.e.catalog.Models(text)
	spans := make([][2]int, len(ms))
	for i, m := range ms {
		spans[i] = [2]int{m.Start, m.End}
	}
	return bareReference(without(text, spans))
}

// digitsOf returns the digits of s.
func digitsOf(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// readOut is a number read out in groups and nothing else ("0912 345 678").
var readOut = regexp.MustCompile(`^\d{2,6}(?: \d{3,4})+$`)

// phoneWords say that a number is a phone number.
var phoneWords = []string{"phone", "mobile", "tel", "cell", "call", "电话", "手机", "联系"}

// bareReference returns the reference a message answering "your order
// number?" gives: the first word of 6–32 letters, digits and hyphens with at
// least one digit ("JD-2026-0601-7788", "#A1B2C3D4", "it's TB2024050299",
// "0923456781"), or the digits of a number read out in groups ("0912 345
// 678"); not a date, nor a number the message calls a phone number ("my
// phone is 13812345678"); "" when there is none.
func bareReference(text string) string {
	folded := strings.TrimSpace(policy.FoldWidth(text))
	if readOut.MatchString(folded) {
		return strings.ReplaceAll(folded, " ", "")
	}
	phone := containsAny(norm(text), phoneWords...)
	for _, w := range strings.FieldsFunc(folded, func(r rune) bool {
		return !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-')
	}) {
		w = strings.Trim(w, "-")
		if len(w) < 6 || len(w) > 32 || !strings.ContainsAny(w, "0123456789") {
			continue
		}
		if _, err := policy.ParseDate(w); err == nil {
			continue // 2026-04-10 is the purchase date
		}
		if p, ok := extract.Phone(w); ok && p == digitsOf(w) && phone {
			continue // "my phone is 13812345678": the phone, not the order
		}
		return w
	}
	return ""
}

// deniedAt reports a model at byte at of text said not to be the one
// meant: "…, not the PR-2000", "不是PR-2000，是CP-3000".
func deniedAt(text string, at int) bool {
	before := strings.TrimRight(lower(text[:at]), " ")
	for _, w := range []string{" the", " a", " an", " my"} {
		before = strings.TrimSuffix(before, w)
	}
	return before == "not" || hasSuffixAny(before, " not", ",not", "不是", "isn't", "wasn't")
}

// partDenied reports an answer to whether only a consumable part is at
// fault that denies a part ("it's not the remote", "not just the battery,
// the whole thing is dead"); "it's not working" denies none.
func partDenied(n string) bool {
	for _, p := range []string{"it's ", "its ", "it is ", "it "} {
		n = strings.TrimPrefix(n, p)
	}
	return hasPrefixAny(n, "not the ", "not a ", "not my ", "not just ", "not only ", "isn't the ", "isn't a ", "isn't just ", "isn't only ")
}

// otherProductAsked reports a question about another product's price,
// stock or warranty asked while the form has its model ("how much is the
// TV-65X?", "RF-450有货吗？"): no correction of the model.
func (t *turn) otherProductAsked(text string) bool {
	if !t.has(slotModel) || !looksLikeQuestion(text) {
		return false
	}
	n := norm(text)
	if !containsAny(n, priceCues...) && !containsAny(n, stockCues...) && !containsAny(n, warrantyCues...) || correctionCue(text) {
		return false
	}
	ms := t.e.catalog.Exact(text)
	for _, m := range ms {
		if m.Model == t.val(slotModel) {
			return false
		}
	}
	return len(ms) > 0
}

func (t *turn) fillModel(text string, f *filled, put func(name, value, raw string)) {
	c := t.c
	ms := slices.Clone(t.e.catalog.Models(text))
	roles := make(map[int]cardRole, len(ms))
	if len(ms) > 0 && mayNameCard(folded(text)) {
		for _, m := range ms {
			roles[m.Start] = roleAt(text, m.Start, m.End)
		}
	}
	product := slices.ContainsFunc(ms, func(m extract.ModelMatch) bool { return roles[m.Start] == notCards })
	ms = slices.DeleteFunc(ms, func(m extract.ModelMatch) bool {
		// "the warranty card says TV-65X": the model the card names is never
		// the product's; "I still have the warranty card for WM-100 too":
		// another product's card, unless nothing else names the product
		// ("TV-55X的保修卡丢了").
		r := roles[m.Start]
		return r == cardNames || r == cardOf && (t.has(slotModel) || product)
	})
	// "actually it's the CP-3000, not the PR-2000": the model denied is no
	// model told.
	ms = slices.DeleteFunc(ms, func(m extract.ModelMatch) bool { return len(ms) > 1 && deniedAt(text, m.Start) })
	for _, m := range ms {
		if m.Exact && m.Model == t.val(slotModel) {
			return // "the card says TV-65X but my TV is a TV-55X": the model known is named too
		}
	}
	for _, m := range ms {
		if m.Exact {
			put(slotModel, m.Model, m.Text)
			c.dropPending(slotModel)
			return
		}
	}
	if len(ms) > 0 {
		// "TV-56X": as near to TV-55X as to TV-65X; which of them is asked,
		// or, to correct the model known, the other one offered.
		model, tied := ms[0].Model, nearestTied(ms)
		if t.has(slotModel) {
			tied = slices.DeleteFunc(tied, func(m string) bool { return m == t.val(slotModel) })
		} else if len(tied) > 1 {
			c.Slots["model_choices"] = Slot{Value: strings.Join(tied, ","), Raw: ms[0].Text, Turn: c.Turn}
			f.narrowed = c.Asking == slotModel
			return
		}
		if len(tied) == 1 {
			model = tied[0]
		}
		c.setPending(Pending{Name: slotModel, Value: Slot{Value: model, Raw: ms[0].Text, Turn: c.Turn}})
		f.pending = true
		return
	}
	if t.has(slotModel) {
		if correctionCue(text) && !looksLikeQuestion(text) {
			// "不对，是65寸的那台", "sorry, it's the 65 inch one": the model
			// corrected by its description, to confirm.
			if ds := t.modelsDescribed(text, ""); len(ds) == 1 && ds[0] != t.val(slotModel) {
				c.setPending(Pending{Name: slotModel, Value: Slot{Value: ds[0], Raw: text, Turn: c.Turn}})
				f.pending = true
			}
		}
		return
	}
	// No model number: a product noun may narrow it down ("洗衣机"), and,
	// asked which product, a description ("the smart one", "65寸那个").
	cands := t.productsNamed(text)
	if c.Asking == slotModel && !looksLikeQuestion(text) && (len(cands) > 0 || describes(norm(text))) {
		if ds := t.modelsDescribed(text, ""); len(ds) > 0 && (len(cands) == 0 || len(ds) < len(cands)) {
			cands = ds
		}
		if offered := strings.Split(c.Slots["model_choices"].Value, ","); len(cands) > 1 {
			// Of the models offered to choose from, those that fit.
			if in := slices.DeleteFunc(slices.Clone(cands), func(m string) bool { return !contains(offered, m) }); len(in) > 0 {
				cands = in
			}
		}
	}
	if len(cands) == 1 {
		c.setPending(Pending{Name: slotModel, Value: Slot{Value: cands[0], Raw: text, Turn: c.Turn}})
		f.pending = true
	} else if len(cands) > 1 {
		mc := Slot{Value: strings.Join(cands, ","), Turn: c.Turn}
		if c.Asking == slotModel {
			mc.Raw, f.narrowed = text, true // the answer to which product: which of them is asked
		}
		c.Slots["model_choices"] = mc
	}
}

// nearestTied returns the models of near misses ms (nearest first) that are
// as near as the first to the same piece of text: more than one when a
// model typed is equally near to several.
func nearestTied(ms []extract.ModelMatch) []string {
	var out []string
	for _, m := range ms {
		if m.Exact || m.Start != ms[0].Start || m.Distance != ms[0].Distance {
			break
		}
		if !contains(out, m.Model) {
			out = append(out, m.Model)
		}
	}
	slices.Sort(out)
	return out
}

// describes reports whether normalised n reads as a product described
// ("the smart one", "智能的那个", "65寸那个", "smart"): a word of one in a
// few, or a size; a longer message with a word of a name in it ("the
// label on the side is gone") describes nothing.
func describes(n string) bool {
	return len(strings.Fields(n)) <= 2 || containsAny(n, "one", "ones", "那个", "那款", "那台", "那种", "的那") || sizeSaid.MatchString(n)
}

// productNouns are generic product words; a product whose name contains one
// that the message contains is a candidate.
var productNouns = [][]string{
	{"洗衣机", "washing machine", "washer"},
	{"电视", "tv", "television"},
	{"冰箱", "fridge", "refrigerator"},
	{"空气净化器", "净化器", "air purifier", "purifier"},
	{"净水器", "water purifier", "water filter"},
	{"扫地机", "扫地机器人", "robot vacuum", "vacuum"},
	{"电饭煲", "rice cooker"},
	{"打印机", "printer"},
	{"投影仪", "projector"},
	{"复合机", "复印机", "copier"},
	{"耳机", "headphones", "headphone", "earphones"},
	{"音响", "回音壁", "soundbar", "speaker"},
}

// productsNamed returns the catalog's models that text names by a product
// noun ("洗衣机", "TVs", "the water purifier"), noun by noun: those
// whose name holds the noun said, or, for a noun no name holds ("washer",
// "television"), any word of its group. A noun inside a longer one said
// ("purifier" in "water purifier") names nothing more, and an English noun
// may be plural ("do you install TVs?").
func (t *turn) productsNamed(text string) []string {
	lower := norm(text)
	var said []nounSaid
	for g, group := range productNouns {
		for _, w := range group {
			for i := range nounAt(lower, w) {
				said = append(said, nounSaid{g, w, i, i + len(w)})
			}
		}
	}
	var out []string
	for _, n := range said {
		if slices.ContainsFunc(said, func(o nounSaid) bool { return o.inside(n) }) {
			continue
		}
		words := []string{n.word}
		if !slices.ContainsFunc(t.e.pol.Products, func(pr policy.Product) bool { return containsAny(productText(pr), n.word) }) {
			words = productNouns[n.group]
		}
		for _, pr := range t.e.pol.Products {
			if containsAny(productText(pr), words...) && !contains(out, pr.Model) {
				out = append(out, pr.Model)
			}
		}
	}
	return out
}

// nounSaid is a product noun found in a message: its group in productNouns,
// the word, and where.
type nounSaid struct {
	group      int
	word       string
	start, end int
}

// inside reports whether o is a longer noun around n.
func (o nounSaid) inside(n nounSaid) bool {
	return o.start <= n.start && n.end <= o.end && o.end-o.start > n.end-n.start
}

// nounAt yields where noun w is in lower as containsAny finds it, an English
// noun also followed by a plural s.
func nounAt(lower, w string) iter.Seq[int] {
	return func(yield func(int) bool) {
		for i := range phrases(lower, []string{w}) {
			if !yield(i) {
				return
			}
		}
		if !isASCII(w) || strings.HasSuffix(w, "s") {
			return
		}
		for i := range phrases(lower, []string{w + "s"}) {
			if !yield(i) {
				return
			}
		}
	}
}

// productText is what a product is named by: its names and model,
// lower-cased.
func productText(pr policy.Product) string {
	return strings.ToLower(pr.Name.Zh + " " + pr.Name.En + " " + pr.Model)
}

// dayProposed reports a question that proposes a day for the visit ("can
// you come next Monday instead?", "周六可以吗？"): it answers the question
// for the day.
func (t *turn) dayProposed(text string) bool {
	for _, d := range extract.NextDates(text, t.today) {
		if d.Precision == extract.PrecisionDay {
			return true
		}
	}
	return false
}

// fillVisitDate takes the day the customer would like the visit: the date
// it names ("Friday afternoon" is the coming Friday, kept with the words), or
// the words alone when they name no day ("any weekday morning"). A day gone
// by is refused.
func (t *turn) fillVisitDate(text string, f *filled, put func(name, value, raw string)) {
	text = strings.TrimSpace(text)
	if d, ok := t.dayPicked(text); ok {
		put(slotVisitDate, d.Date.String(), d.Text) // "the later one" to "next Saturday could be Sat 5 Dec or Sat 12 Dec"
		return
	}
	if d, other, ok := t.weekdayWithDay(text); ok {
		if other != nil {
			f.ambiguous = other // "周二16号" when the 16th is a Wednesday: which one?
		} else if !d.Date.Before(t.today) {
			put(slotVisitDate, d.Date.String(), text)
		} else {
			f.rejected = "visit_date_past"
		}
		return
	}
	if coming, following, ok := extract.NextWeekday(text, t.today); ok {
		f.ambiguous = &ambiguousDate{dm: coming, md: following} // "next Saturday" on a Wednesday: this week's or the week after's?
		return
	}
	for _, d := range extract.NextDates(text, t.today) {
		if d.Precision != extract.PrecisionDay {
			continue
		}
		if d.Date.Before(t.today) {
			f.rejected = "visit_date_past"
			return
		}
		put(slotVisitDate, d.Date.String(), text)
		return
	}
	if d, ok := extract.DayAlone(text, t.today, true); ok {
		put(slotVisitDate, d.Date.String(), text) // "on the 18th", "18号": the next 18th
		return
	}
	if dm, md, ok := extract.Ambiguous(text, t.today, true); ok {
		f.ambiguous = &ambiguousDate{dm: dm, md: md} // "3/5": 3 May or 5 March?
		return
	}
	put(slotVisitDate, text, text)
}

// onlyDate reports whether text says nothing but dates ("2026-04-10",
// "Sunday 29 November", "下周三").
func (t *turn) onlyDate(text string) bool {
	ds := extract.Dates(text, t.today)
	return len(ds) > 0 && !hasWords(withoutDates(text, ds))
}

// withoutDates returns text without the dates found in it.
func withoutDates(text string, ds []extract.DateMatch) string {
	spans := make([][2]int, len(ds))
	for i, d := range ds {
		spans[i] = [2]int{d.Start, d.End}
	}
	return without(text, spans)
}

// dayClause is the clause around a day told among other things, without
// the end of address a (addressIn of text) told right before it: "Saturday morning" of "…at
// 8 Park Lane, Beijing on Saturday morning".
func dayClause(text, a string, start, end int) string {
	cl := clauseAround(text, start, end)
	if a == "" {
		return cl
	}
	city := strings.TrimSpace(a[strings.LastIndexByte(a, ',')+1:])
	if rest, ok := strings.CutPrefix(cl, city); ok && city != "" && strings.TrimSpace(rest) != "" {
		cl = strings.TrimPrefix(strings.TrimSpace(rest), "on ")
	}
	return cl
}

// dayAside reports whether text, said to the question for an address, only
// names a day with a few words around it and no digit outside it ("next
// Saturday if possible", "下周六上午吧"): the visit day said early, no
// address.
func dayAside(text string, today policy.Date) bool {
	ds := extract.NextDates(text, today)
	if len(ds) == 0 || ds[0].Precision != extract.PrecisionDay || addressIn(text) != "" {
		return false
	}
	rest := withoutDates(text, ds)
	return !strings.ContainsAny(rest, "0123456789０１２３４５６７８９") && utf8.RuneCountInString(strings.TrimSpace(rest)) <= 24
}

// without returns text without the byte spans [start, end) given in order;
// a span overlapping the one before it is skipped.
func without(text string, spans [][2]int) string {
	var rest strings.Builder
	at := 0
	for _, s := range spans {
		if s[0] >= at {
			rest.WriteString(text[at:s[0]])
			at = s[1]
		}
	}
	rest.WriteString(text[at:])
	return rest.String()
}

func (t *turn) fillPurchase(text string, f *filled, put func(name, value, raw string)) {
	c := t.c
	known := c.Slots[slotPurchased]
	if p := c.pending(); p != nil && p.Name == slotPurchased {
		known = p.Value
	}
	ds := extract.Dates(text, t.today)
	if len(ds) == 2 && ds[0].Precision == extract.PrecisionYear && !installDate(text, ds[0]) {
		// "in 2024, on 10 April": the day in that year, said (with its
		// buying word) over both.
		ds[1].Date = inYearOf(ds[1], Slot{Value: ds[0].Date.String(), Precision: "year"})
		ds[1].Start = ds[0].Start
		ds = ds[1:]
	}
	installed := slices.ContainsFunc(ds, func(d extract.DateMatch) bool { return installDate(text, d) })
	all := slices.Clone(ds)
	ds = purchaseDates(text, ds)
	if len(ds) == 0 {
		if d, ok := dayOf(text, known); ok && !d.After(t.today) {
			// "12月3号", "the 3rd" to "you bought it in December 2024, right?"
			put(slotPurchased, d.String(), text)
			c.dropPending(slotPurchased)
			return
		} else if installed {
			f.rejected = "purchase.installed" // "2023年装的": bought then or before
			return
		}
		if dm, md, ok := extract.Ambiguous(text, t.today, false); ok && c.Asking == slotPurchased {
			f.ambiguous = &ambiguousDate{dm: dm, md: md} // "3/5": 3 May or 5 March?
			return
		}
		d, ok := extract.DayAlone(text, t.today, false)
		if c.Asking != slotPurchased {
			ok = false
			// "no wait, I bought it on the 28th" with a date known; "bought
			// on the 27th, order 31313131" in its own clause without one.
			if loc := dayOnThe.FindStringIndex(text); loc != nil && (known.Value != "" && containsAny(norm(text), purchaseCues...) ||
				known.Value == "" && containsAny(lower(clauseAround(text, loc[0], loc[1])), purchaseCues...)) {
				d, ok = extract.DayAlone(text[loc[0]:loc[1]], t.today, false)
			}
		}
		if !ok {
			return
		}
		// "18号", "on the 18th" to "when did you buy it?", or correcting the
		// date told ("no wait, I bought it on the 28th"): the latest 18th
		ds = []extract.DateMatch{d}
	}
	for _, d := range ds {
		d.Date = inYearOf(d, known)
		if x, ok := inYearOfOther(text, d, all); ok && known.Value == "" {
			d.Date = x // "2023年3月装的，买的时候是2月": February 2023
		}
		if d.Date.After(t.today) {
			f.rejected = "date_in_future"
			continue
		}
		if d.Precision == extract.PrecisionDay {
			old := c.Slots[slotPurchased]
			put(slotPurchased, d.Date.String(), d.Text)
			if v := c.Slots[slotPurchased]; d.Relative && old.Value != v.Value && v.Value == d.Date.String() {
				// "a week ago", "上周三": counted back from today, it may be a
				// day off (decide confirms it on a window's edge).
				v.Precision = "relative"
				c.Slots[slotPurchased] = v
			}
			c.dropPending(slotPurchased)
			return
		}
		v := Slot{Value: d.Date.String(), Raw: d.Text, Precision: d.Precision.String(), Turn: c.Turn}
		if correctionCue(text) {
			// The customer corrects us: take the month as said.
			old := c.Slots[slotPurchased]
			v.Confirmed = true
			c.Slots[slotPurchased] = v
			c.dropPending(slotPurchased)
			f.changed = append(f.changed, slotPurchased)
			if old.Value != "" {
				f.corrected = append(f.corrected, slotPurchased)
			}
			return
		}
		c.setPending(Pending{Name: slotPurchased, Value: v})
		f.pending = true
		return
	}
}

// tellsEvent reports whether normalised text tells of something that
// happened to the product (a fall, water, a repair elsewhere, lightning, the
// fault itself): its date ("my son dropped it last week", "the sound first
// went out on 2026-11-20") is that event's.
func tellsEvent(n string) bool {
	return cue(n, misuseCues) == 1 || cue(n, openedCues) == 1 || cue(n, forceCues) == 1 || faultPhrases.any(n) ||
		containsAny(n, faultStartCues...)
}

// faultStartCues say when a fault began: "the sound first went out on
// 2026-11-20", "the problem started on 20 November", "是11月20号开始的".
var faultStartCues = []string{"went out", "started", "starting", "began", "begun", "since", "gave out", "died",
	"开始", "以来", "起就", "出现", "坏的"}

// purchaseCues say buying.
var purchaseCues = []string{"bought", "buy", "purchase", "got it on", "got it in", "got them on", "got them in", "got mine on", "got mine in",
	"got this on", "got this in", "ordered it", "ordered them", "ordered on", "ordered in", "paid for it", "paid for them", "paid for mine",
	"买", "購", "入手", "下单", "付款", "付的款"}

// installCues say installing.
var installCues = []string{"安装", "装的", "装好", "装上", "装了", "装完", "装机", "调试", "installed", "install", "installation", "installer", "installers",
	"set up", "set it up", "set them up", "setting it up", "fitted", "mounted", "hooked up", "hooked it up",
	"was put in", "were put in", "been put in", "had it put in", "got it put in", "put it in"}

// installDate reports whether date d of text is said with installing and
// not with buying ("2023年装的", "it was installed in 2023"): the product was
// bought then or before, which is no purchase date.
func installDate(text string, d extract.DateMatch) bool {
	clause := strings.ToLower(clauseAround(text, d.Start, d.End))
	return containsAny(clause, installCues...) && !containsAny(clause, purchaseCues...)
}

// repairDate reports whether date d of text is said of a repair done
// ("it got fixed last month", "上个月刚修过"), not of the purchase.
func repairDate(text string, d extract.DateMatch) bool {
	clause := strings.ToLower(clauseAround(text, d.Start, d.End))
	return containsAny(clause, repairDoneCues...) && !containsAny(clause, purchaseCues...)
}

// repairDoneCues tell of a repair done.
var repairDoneCues = []string{"修过", "修好", "修了", "维修过", "返修", "fixed", "repaired", "serviced", "mended"}

// purchaseDates keeps the dates of a message that may be its purchase date:
// not the day a fault started ("no sound since Monday", "从上周一开始就没声音")
// nor the day of the installation ("2023年装的"), and when some are said with
// buying ("I bought it on 2025-03-01", "…3月1日买的"), only those.
// countSpan reports whether date d, a year, month or week, is the span of
// a count ("the third time this year", "twice this month", "今年第三次坏了"):
// when a fault came back, not when the product was bought.
func countSpan(text string, d extract.DateMatch) bool {
	if d.Precision == extract.PrecisionDay {
		return false
	}
	before := strings.ToLower(text[max(0, d.Start-10):d.Start])
	return containsAny(before, "time ", "times ", "twice ", "again ") || strings.Contains(clauseAround(text, d.Start, d.End), "次")
}

func purchaseDates(text string, ds []extract.DateMatch) []extract.DateMatch {
	keep, bought := ds[:0], 0 // filtered in place: ds is the caller's own
	var delivered []extract.DateMatch
	for _, d := range ds {
		before := strings.ToLower(text[max(0, d.Start-16):d.Start])
		if containsAny(before, "since", "from", "starting", "自从", "从") || hasPrefixAny(text[d.End:], "开始", "起", "以来") || installDate(text, d) || repairDate(text, d) || countSpan(text, d) {
			continue
		}
		own := before // the date's own clause: "11月30号收到的，11月16号下单的"
		if i := strings.LastIndexAny(before, ",.;，。；"); i >= 0 {
			_, w := utf8.DecodeRuneInString(before[i:])
			own = before[i+w:]
		}
		if containsAny(own, deliveryCues...) || hasPrefixAny(strings.TrimSpace(text[d.End:]), deliveryCues...) {
			delivered = append(delivered, d) // "it arrived on Nov 30 but I paid for it on Nov 18": the sale's date counts
			continue
		}
		keep = append(keep, d)
		// Said with buying: a buying word in the date's own clause ("it
		// broke on 2026-11-22, I bought it on 2026-11-10": the second).
		if containsAny(strings.ToLower(clauseAround(text, d.Start, d.End)), purchaseCues...) {
			keep[bought], keep[len(keep)-1] = keep[len(keep)-1], keep[bought] // the dates said with buying first
			bought++
		}
	}
	if bought > 0 {
		return keep[:bought]
	}
	if len(keep) == 0 {
		return delivered // the delivery's date alone: the nearest to the sale told
	}
	return keep
}

// yearWritten finds a year in a date as written: "2024", "24年", "去年",
// "last year".
var yearWritten = regexp.MustCompile(`\d{4}|\d{2}年|[今去前]年|(?i)year`)

// inYearOf puts a day written without its year ("12月3号", "December 3") in
// the year of the month or year the customer gave before ("2024年12月"):
// the nearest past such day is the wrong year then.
func inYearOf(d extract.DateMatch, known Slot) policy.Date {
	if known.Precision != "month" && known.Precision != "year" || d.Precision != extract.PrecisionDay || d.Relative || yearWritten.MatchString(d.Text) {
		return d.Date
	}
	k, err := policy.ParseDate(known.Value)
	if err != nil {
		return d.Date
	}
	if known.Precision == "month" && d.Date.Month() != k.Month() {
		return d.Date
	}
	if x := policy.NewDate(k.Year(), d.Date.Month(), d.Date.Day()); x.Day() == d.Date.Day() {
		return x // not 29 February of a year without one
	}
	return d.Date
}

// inYearOfOther puts a month or day said without its year ("买的时候是2月")
// in the year of another date of text that has one written ("2023年3月装的",
// "去年3月"): the nearest past such month is the wrong year then. A month
// after an installation date so put is taken in the year before it
// (installed in March 2023, bought in November: November 2022). False when
// d has its year or no other date has one.
func inYearOfOther(text string, d extract.DateMatch, all []extract.DateMatch) (policy.Date, bool) {
	if d.Precision != extract.PrecisionMonth && d.Precision != extract.PrecisionDay || d.Relative || yearWritten.MatchString(d.Text) {
		return policy.Date{}, false
	}
	for _, o := range all {
		if o.Start == d.Start || !yearWritten.MatchString(o.Text) {
			continue
		}
		x := policy.NewDate(o.Date.Year(), d.Date.Month(), d.Date.Day())
		if x.Day() != d.Date.Day() {
			return policy.Date{}, false // 29 February
		}
		if x.After(o.Date) && o.Precision != extract.PrecisionYear && installDate(text, o) {
			x = policy.NewDate(o.Date.Year()-1, d.Date.Month(), d.Date.Day())
		}
		return x, x.Day() == d.Date.Day()
	}
	return policy.Date{}, false
}

// dayOf reads a bare day of the month ("3号", "三号", "the 3rd", "3") in the
// month the customer gave before.
func dayOf(text string, known Slot) (policy.Date, bool) {
	if known.Precision != "month" {
		return policy.Date{}, false
	}
	k, err := policy.ParseDate(known.Value)
	if err != nil {
		return policy.Date{}, false
	}
	t := strings.TrimSpace(strings.ToLower(policy.FoldWidth(text)))
	t = strings.TrimPrefix(strings.TrimPrefix(t, "the "), "on the ")
	t = strings.TrimRight(t, " .!。号日")
	for _, suffix := range []string{"st", "nd", "rd", "th"} {
		t = strings.TrimSuffix(t, suffix)
	}
	ns := extract.Numbers(t)
	if len(ns) != 1 || ns[0].Text != t || ns[0].Value < 1 || ns[0].Value > 31 {
		return policy.Date{}, false
	}
	d := policy.NewDate(k.Year(), k.Month(), int(ns[0].Value))
	return d, d.Day() == int(ns[0].Value) // not 31 November
}

// answerThenQuestion splits a message that answers first and then asks
// ("yes its fine, can I get the money back to my alipay?", "包装完好，退款多久到账？")
// at its first comma or full stop: the answer and the question. False when
// the message asks nothing, or its first part asks too or is unsure ("I'm
// not sure, maybe the drum?" is a hedged answer).
func answerThenQuestion(text string) (answer, question string, ok bool) {
	i := strings.IndexAny(text, ",，.。;；!！")
	if i <= 0 || !looksLikeQuestion(text) {
		return "", "", false
	}
	_, n := utf8.DecodeRuneInString(text[i:])
	answer, question = strings.TrimSpace(text[:i]), strings.TrimSpace(text[i+n:])
	if answer == "" || question == "" || looksLikeQuestion(answer) || !looksLikeQuestion(question) || isUnsure(answer) {
		return "", "", false
	}
	return answer, question, true
}

// firstPicks and secondPicks choose the first or the second of two days
// offered ("next Saturday could be Sat 5 Dec or Sat 12 Dec: which one?").
var (
	firstPicks = []string{"the first", "first one", "the first one", "the earlier", "the earlier one", "earlier one", "the sooner", "the sooner one", "the coming one", "this one", "the 1st", "1st one",
		"第一个", "第一", "前面那个", "前一个", "早的那个", "早一点的", "近的那个", "这周的", "本周的", "这周", "本周"}
	secondPicks = []string{"the second", "second one", "the second one", "the later", "the later one", "later one", "the other one", "the one after", "the 2nd", "2nd one",
		"第二个", "第二", "后面那个", "后一个", "晚的那个", "晚一点的", "远的那个", "下周的", "下下周"}
)

// picksDay reports whether text picks one of two visit days (dayPicked).
func (t *turn) picksDay(text string) bool {
	_, ok := t.dayPicked(text)
	return ok
}

// dayPicked reads "the later one", "第一个" said to the question which of
// two visit days the customer's last message meant ("next Saturday"): the
// day picked. False for anything else.
func (t *turn) dayPicked(text string) (extract.DateMatch, bool) {
	b := t.before
	if b == nil {
		return extract.DateMatch{}, false
	}
	n := strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(norm(text), "please"), "吧"))
	n = strings.TrimSpace(strings.TrimSuffix(n, "pls"))
	second := slices.Contains(secondPicks, n)
	if !second && !slices.Contains(firstPicks, n) {
		return t.weekdayPicked(text)
	}
	coming, following, ok := extract.NextWeekday(b.Text, t.today)
	if !ok {
		if _, other, _ := t.weekdayWithDay(b.Text); other != nil {
			coming, following = other.dm, other.md // "the first" of "Tue 15 Dec or Wed 16 Dec"
		} else {
			return extract.DateMatch{}, false
		}
	}
	if second {
		return following, true
	}
	return coming, true
}

// weekdayPicked reads the day of the week alone ("周二", "Tuesday") said to
// the question which day the customer's last message meant when its date
// fell on another day of the week ("周二16号"): the day of the week named
// nearest to the date, not the coming one.
func (t *turn) weekdayPicked(text string) (extract.DateMatch, bool) {
	ds := extract.NextDates(text, t.today)
	if len(ds) != 1 || !ds[0].Weekday {
		return extract.DateMatch{}, false
	}
	_, other, _ := t.weekdayWithDay(t.before.Text)
	if other == nil || ds[0].Date.Weekday() != other.dm.Date.Weekday() || !t.onlyDate(text) {
		return extract.DateMatch{}, false
	}
	return other.dm, true
}

// dayWithAddress takes the visit day told in its own clause of a message
// that gives the address ("北京市朝阳区建国路88号，周六上午", "12 Linden Road,
// Shanghai, saturday morning") and returns the message without that clause;
// "next Saturday" on a Wednesday is asked about (whichDay). The message as
// it is when it tells no such day.
func (t *turn) dayWithAddress(text string, put func(name, value, raw string)) string {
	for _, d := range extract.NextDates(text, t.today) {
		if d.Precision != extract.PrecisionDay || d.Date.Before(t.today) {
			continue
		}
		cl := clauseAround(text, d.Start, d.End)
		if addressIn(cl) != "" {
			return text // "世纪大道18号": the address's number
		}
		if coming, following, ok := extract.NextWeekday(cl, t.today); ok {
			t.whichDay = &ambiguousDate{dm: coming, md: following}
		} else {
			put(slotVisitDate, d.Date.String(), cl)
		}
		return strings.Replace(text, cl, "", 1)
	}
	return text
}

// dayOnThe is a day of the month told inside a request ("book installation
// for my WP-8 on the 5th"), read as DayAlone reads it alone.
var dayOnThe = regexp.MustCompile(`(?i)\bon the \d{1,2}(?:st|nd|rd|th)\b`)

// addressLead is the words before an address given to the question for it
// ("oh and my address is ", "ok. address is ", "the address: ", "我的地址是",
// "好的，地址是", "地址：").
var addressLead = regexp.MustCompile(`(?i)^(?:(?:oh|and|ok|okay|so|well|sure|yes)[\s,.!]+)*(?:(?:my|the|our)\s+)?(?:(?:home|delivery)\s+)?address\s*(?:is|:|：)?\s*|^(?:(?:好的|好|嗯|行)[，,。\s]*)?(?:我的|我家|收货)?地址(?:是|为|：|:)?\s*`)

// addressAnswer is the address in an answer to the question for it, without
// the words before it: "oh and my address is …", "it's for our office at
// 12 Nanjing Road, Shanghai", "我们公司在上海市南京东路12号", "装在我们办公室，
// 上海市南京东路12号". A flat, building or floor before it is kept.
func addressAnswer(s string) string {
	s = cmp.Or(addressLead.ReplaceAllString(s, ""), s)
	s = cmp.Or(addressPolite.ReplaceAllString(s, ""), s) // "…, Shanghai please"
	a := addressIn(s)
	if a == "" {
		return s
	}
	if i := strings.Index(s, a); i > 0 && (addressLeadEnd.MatchString(s[:i]) || zhLeadClause.MatchString(s[:i])) {
		s, a = strings.TrimSpace(s[i:]), strings.TrimSpace(s[i:])
	}
	if m := zhLeadIn.FindStringSubmatchIndex(a); m != nil && zhAddress(a[m[1]:]) {
		return a[m[1]:] // "我们公司在上海市…": 在 after a few words that are no address
	}
	return s
}

// addressPolite is a please or thanks after an address.
var addressPolite = regexp.MustCompile(`(?i)[\s,，.。!！]*(?:please|pls|thanks|thank you|thx|谢谢|谢谢了|麻烦了|麻烦您了)[\s.。!！]*$`)

// addressLeadEnd ends the words that lead to an address: "… at", "… to",
// "we're in", "…在", "…到", "地址是".
var addressLeadEnd = regexp.MustCompile(`(?i)(?:\b(?:at|to|in|is)|[在到是:：])[\s,，]*$`)

// zhLeadClause is a Chinese clause with no number before the one with the
// address ("装在我们办公室，"); zhLeadIn is a few words ending in 在 or 到
// that open an address ("我们公司在").
var (
	zhLeadClause = regexp.MustCompile(`^[^0-9０-９a-zA-Z，,]*[^0-9０-９a-zA-Z，,\s]\s*[，,]\s*$`)
	zhLeadIn     = regexp.MustCompile(`^[^0-9０-９路街道号市区县省]{1,8}?(?:在|到)`)
)

// faultAddedAtDate says back the detail a message added to the fault when
// it was all the message told to the question when the product was bought
// ("it worked fine and then it started leaking"), and asks the date again
// briefly. False for any other message.
func (t *turn) faultAddedAtDate(f filled) bool {
	c := t.c
	if c.Asking != slotPurchased || c.pending() != nil || len(f.changed) != 1 || f.changed[0] != slotFault || !contains(f.corrected, slotFault) {
		return false
	}
	t.say("noted", "items", t.faultText(c.Slots[slotFault].Raw))
	c.Misses = 0
	t.ask("ask.purchased_again", nil)
	return true
}
