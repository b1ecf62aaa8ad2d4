package dialog

import (
	"github.com/supportd/supportd/policy"
	"github.com/supportd/supportd/ticketing"
)

// packagingRemark takes a remark that the packaging is damaged or gone
// ("I threw the box away", "包装盒扔了") made at a return or exchange's
// summary or to its options (§3.4): a return needs the packaging intact, so
// a return chosen or offered is taken away and the options offered again
// say why; an exchange or a repair does not depend on it, which is said,
// and the summary or the options come again. The packaging told intact
// ("包装都在") where nothing depends on it (an exchange) is said not to
// matter in the same words. False for anything else.
func (t *turn) packagingRemark(text string) bool {
	c := t.c
	if c.State != ReturnConfirm && c.State != ReturnChoose || c.Asking == slotExchangeTo {
		return false
	}
	gone := packagingGone(text)
	if !gone && (!packagingIntact(text) || t.needed("return", slotPackaging)) {
		return false
	}
	before, ok := t.decide()
	if !ok {
		return false
	}
	returnAt := gone && (c.State == ReturnConfirm && t.val(slotOption) == string(policy.OptReturn) ||
		c.State == ReturnChoose && before.Returns.Offers(policy.OptReturn))
	t.set(slotPackaging, map[bool]string{true: "damaged", false: "intact"}[gone], text)
	switch {
	case returnAt && c.State == ReturnConfirm:
		t.amended(slotPackaging) // the options again, the return refused and why
	case returnAt:
		t.offerOptions()
	default:
		t.say("return.packaging_not_needed")
		if c.State == ReturnConfirm {
			t.summary()
		} else {
			t.offerOptions()
		}
	}
	return true
}

// packagingAfterFiling takes the same remark made right after a return or
// exchange was filed, before its inspection: noted on the ticket. A return
// needs the packaging intact (§3.4), so the customer is told it cannot go
// ahead as a return and how to change it to an exchange, or that a person
// can look at it; an exchange does not depend on the packaging.
func (t *turn) packagingAfterFiling(text string) bool {
	c := t.c
	if c.TicketID == "" || !packagingGone(text) {
		return false
	}
	tk, err := t.tx.Tickets().Get(t.ctx, c.TicketID)
	if err != nil || tk.Kind != ticketing.KindReturn && tk.Kind != ticketing.KindExchange ||
		tk.Status != ticketing.StatusNew && tk.Status != ticketing.StatusOpen {
		return false
	}
	t.set(slotPackaging, "damaged", text)
	t.updateTicket(tk.ID, "customer", "the customer says the packaging is damaged or gone: \""+text+"\"", func(x *ticketing.Ticket) error {
		x.Details["packaging"] = "damaged"
		return nil
	})
	if tk.Details["option"] == string(policy.OptReturn) {
		t.say("return.packaging_after_return", "ticket", tk.ID)
		return true
	}
	t.say("return.packaging_after_exchange", "ticket", tk.ID)
	return true
}

// packagingIntact reports a remark that the packaging is intact, nothing
// else said of the product ("包装都在", "the box is intact"); no question.
func packagingIntact(text string) bool {
	if looksLikeQuestion(text) {
		return false
	}
	if onlyPackaging(text) {
		return packagingSays(text) == 1
	}
	return packagingClause(text) == 1 && !faultPhrases.any(norm(text)) && optionIn(text) == ""
}

// packagingGone reports a remark that the packaging is damaged or gone,
// nothing else said of the product ("I threw the box away", "oh, the box
// got crushed", "包装盒扔了"); no question.
func packagingGone(text string) bool {
	if looksLikeQuestion(text) {
		// "I threw the box away, is that a problem?", "包装盒扔了，换货有影响吗":
		// the remark with a question of it, which the reply answers
		a, q, ok := answerThenQuestion(text)
		return ok && (followUp(q) || containsAny(norm(q), "影响", "关系", "要紧", "problem", "matter", "affect")) && !looksLikeQuestion(a) && packagingGone(a)
	}
	if onlyPackaging(text) {
		return packagingSays(text) == -1
	}
	return packagingClause(text) == -1 && !faultPhrases.any(norm(text)) && optionIn(text) == ""
}
