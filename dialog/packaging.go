package dialog

import "github.com/supportd/supportd/policy"

// packagingRemark takes a remark that the packaging is damaged or gone
// ("I threw the box away", "包装盒扔了") made at a return or exchange's
// summary or to its options (§3.4): a return needs the packaging intact, so
// a return chosen or offered is taken away and the options offered again
// say why; an exchange or a repair does not depend on it, which is said,
// and the summary or the options come again. False for anything else.
func (t *turn) packagingRemark(text string) bool {
	c := t.c
	if c.State != ReturnConfirm && c.State != ReturnChoose || c.Asking == slotExchangeTo ||
		looksLikeQuestion(text) || !onlyPackaging(text) || packagingSays(text) != -1 {
		return false
	}
	before, ok := t.decide()
	if !ok {
		return false
	}
	returnAt := c.State == ReturnConfirm && t.val(slotOption) == string(policy.OptReturn) ||
		c.State == ReturnChoose && before.Returns.Offers(policy.OptReturn)
	t.set(slotPackaging, "damaged", text)
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
