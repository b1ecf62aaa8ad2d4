package dialog

import (
	"strconv"
	"strings"

	"github.com/supportd/supportd/policy"
)

// A question about one product's price, stock or warranty ("how much is
// the TV-55X?", "WM-100 有货吗", "what's the warranty on the WM-100?") is
// answered from the catalog in the policy, which knows all three.

// priceCues, stockCues and warrantyCues ask for a product's price, whether
// it is in stock, and how long its warranty is.
var (
	priceCues    = []string{"how much", "price", "cost", "多少钱", "价格", "售价", "价钱", "卖多少"}
	stockCues    = []string{"in stock", "stock", "available", "availability", "有货", "现货", "库存", "缺货", "没货", "到货"}
	warrantyCues = []string{"warranty", "guarantee", "warrenty", "waranty", "warrany", "保修", "质保", "保多久", "包修"}
)

// productFact answers a price or stock question about the one product text
// names; false when text names none (or several), asks neither, or is a
// request ("how much does it cost to repair my TV-55X" is for the repair
// journey).
func (t *turn) productFact(text string) bool {
	n := norm(text)
	price, stock, warranty := containsAny(n, priceCues...), containsAny(n, stockCues...), containsAny(n, warrantyCues...)
	if !price && !stock && !warranty || intentOf(text) != intentNone {
		return false
	}
	ms := t.e.catalog.Models(text)
	if len(ms) != 1 || !ms[0].Exact {
		return false
	}
	p, ok := t.e.pol.Product(ms[0].Model)
	if !ok {
		return false
	}
	name := t.productName(p.Model)
	if price {
		t.say("product.price", "product", name, "price", t.money(p.Price))
	}
	if warranty {
		if terms, err := t.e.pol.TermsOf(p.Model); err == nil {
			t.say("product.warranty", "product", name, "months", strconv.Itoa(terms.WarrantyMonths))
		}
		if part, ok := t.consumableNamed(n, p); ok {
			// "does the HP-30 battery have warranty?": its normal wear is
			// excluded from the free warranty (§5).
			t.say("product.consumable_wear", "part", part)
		}
	}
	if stock {
		if p.InStock == nil || *p.InStock {
			t.say("product.in_stock", "product", name)
		} else {
			t.say("product.out_of_stock", "product", name)
		}
	}
	return true
}

// consumableNamed returns the consumable part of p that normalised text n
// names (by its name or the name's last word, as consumableCues), in the
// customer's language.
func (t *turn) consumableNamed(n string, p policy.Product) (string, bool) {
	for _, c := range p.Consumables {
		if containsAny(n, consumableCues(policy.Product{Consumables: []policy.Text{c}})...) {
			return c.In(t.lang()), true
		}
	}
	return "", false
}

// factFollowUp answers "what about the HP-30?", "那HP-30呢" said right after
// a question about another product's price, stock or warranty: the same
// question about this product. False for anything else.
func (t *turn) factFollowUp(text string) bool {
	b := t.before
	if b == nil || b.State != Idle {
		return false
	}
	n := norm(text)
	if !hasPrefixAny(n, "what about", "how about", "and the", "and for", "and on", "and what about", "那", "还有") && !strings.HasSuffix(strings.TrimRight(n, "?？ "), "呢") {
		return false
	}
	p := norm(b.Text)
	switch {
	case containsAny(p, warrantyCues...):
		return t.productFact(text + " warranty")
	case containsAny(p, priceCues...):
		return t.productFact(text + " price")
	case containsAny(p, stockCues...):
		return t.productFact(text + " in stock")
	}
	return false
}
