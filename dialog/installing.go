package dialog

import (
	"strings"

	"github.com/supportd/supportd/policy"
)

// A question whether a kind of product is installed ("do you install TVs?",
// "你们装电视吗", "洗衣机安装收费吗") is answered from the catalog: each product
// the noun names is installed for free, for a fee or not at all (§3.2.1, the
// product's installation setting), and the booking is offered when one of
// them is installed.

// installOfProducts answers an installation question (installQuestion, or
// cost when it asks what one costs) about the products text names by a noun;
// false when it names none, or asks how long or who and the knowledge base
// has no answer about installing.
func (t *turn) installOfProducts(text string, cost bool) bool {
	models := t.productsNamed(text)
	if len(models) == 0 {
		return false
	}
	by := map[policy.Installation][]string{}
	for _, m := range models {
		terms, err := t.e.pol.TermsOf(m)
		if err != nil {
			continue
		}
		by[terms.Installation] = append(by[terms.Installation], m)
	}
	installed := append(by[policy.InstallFree], by[policy.InstallPaid]...)
	if !cost && containsAny(norm(text), installInfoCues...) && len(installed) > 0 {
		// "电视安装要多久", "what's the installation process for TVs": the
		// knowledge base answers how; the catalog whether.
		ans, ok := t.installAnswer(text)
		if !ok {
			return false
		}
		t.sayText(ans)
	} else {
		for _, in := range []policy.Installation{policy.InstallFree, policy.InstallPaid} {
			if ms := by[in]; len(ms) > 0 {
				t.say("install.products_"+string(in), "products", t.productList(ms))
			}
		}
	}
	if ms := by[policy.InstallNone]; len(ms) > 0 {
		t.say("install.products_none", "products", t.productList(ms))
	}
	switch len(installed) {
	case 0:
		return true
	case 1:
		// The button books this one: the noun alone would leave the model
		// to confirm ("purifier" is two products).
		t.c.Later = &Later{Intent: string(intentInstall), Text: installed[0]}
		t.ask("install.book_now", []Choice{t.choice("intent:install", "menu.install")}, "model", t.productName(installed[0]))
	default:
		t.c.Later = &Later{Intent: string(intentInstall), Text: text} // the model is asked with these as choices
		t.ask("install.book_which", []Choice{t.choice("intent:install", "menu.install")})
	}
	return true
}

// productList names models for the customer: "TV-55X（55英寸智能电视）和
// TV-65X（65英寸智能电视）", "TV-55X (55-inch smart TV) and TV-65X (65-inch
// smart TV)".
func (t *turn) productList(models []string) string {
	names := make([]string, len(models))
	for i, m := range models {
		names[i] = t.productName(m)
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], t.text("list_sep")) + t.text("list_and") + names[len(names)-1]
}
