package dialog

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/supportd/supportd/dialog/extract"
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
	model := ""
	if ms := t.e.catalog.Models(text); len(ms) == 1 && ms[0].Exact {
		model = ms[0].Model
	} else if named := t.productsNamed(text); len(named) > 0 && warranty && !price && !stock &&
		!slices.ContainsFunc(ms, func(m extract.ModelMatch) bool { return m.Exact }) {
		if len(named) > 1 {
			return t.warrantyOfKind(named) // "how long is the TV warranty?": the TVs'
		}
		model = named[0] // "how long is the fridge warranty?": the one fridge of the catalog
	}
	p, ok := t.e.pol.Product(model)
	if !ok {
		return false
	}
	name := t.productName(p.Model)
	if price {
		t.say("product.price", "product", name, "price", t.money(p.Price))
	}
	if warranty {
		if terms, err := t.e.pol.TermsOf(p.Model); err == nil {
			if bought := t.boughtOn(text); bought != nil || !t.warrantyMonthFact(name, terms.WarrantyMonths, text) {
				t.warrantyFact(name, terms.WarrantyMonths, bought, "product.warranty_covered")
			}
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

// warrantyOfKind tells the warranty of the products a noun names ("the
// TV" is the TV-55X and the TV-65X) when they all have the same; false
// when their warranties differ: the knowledge base tells every category's.
func (t *turn) warrantyOfKind(models []string) bool {
	months := -1
	for _, m := range models {
		terms, err := t.e.pol.TermsOf(m)
		if err != nil || months >= 0 && terms.WarrantyMonths != months {
			return false
		}
		months = terms.WarrantyMonths
	}
	t.say("product.warranty_each", "products", t.productList(models), "months", strconv.Itoa(months))
	return true
}

// warrantyFact tells a product's warranty period, and, when the day it was
// bought is known (bought not nil), until when it runs from then: covered
// (the text covered says it) or not, as the repair would decide it, proof
// and exclusions aside.
func (t *turn) warrantyFact(name string, months int, bought *policy.Date, covered string) {
	if bought == nil {
		t.say("product.warranty", "product", name, "months", strconv.Itoa(months))
		return
	}
	ends := policy.WarrantyEnds(*bought, months)
	key := covered
	if t.today.After(ends) {
		key = "product.warranty_ended"
	}
	t.say(key, "product", name, "months", strconv.Itoa(months), "purchased", t.dateText(*bought), "ends", t.dateText(ends))
}

// warrantyMonthFact tells a product's warranty when text says only the
// month it was bought ("I bought the RF-450 in March 2024"): covered or
// ended whatever the day, the months told; when it ends this month, that
// the day decides, asked for. False when text tells no month (the caller
// has looked for a day first).
func (t *turn) warrantyMonthFact(name string, months int, text string) bool {
	for _, d := range purchaseDates(text, extract.Dates(text, t.today)) {
		if d.Precision != extract.PrecisionMonth || d.Date.After(t.today) {
			continue
		}
		first := d.Date
		last := first.AddDate(0, 1, -1)
		key := "product.warranty_ends_this_month"
		switch {
		case !t.today.After(policy.WarrantyEnds(first, months)):
			key = "product.warranty_covered_month"
		case t.today.After(policy.WarrantyEnds(last, months)):
			key = "product.warranty_ended_month"
		}
		t.say(key, "product", name, "months", strconv.Itoa(months), "purchased", t.monthText(first), "ends", t.monthText(policy.WarrantyEnds(first, months)))
		return true
	}
	return false
}

// boughtOn returns the day text says the product was bought ("is my TV-55X
// still under warranty? I bought it on 2025-10-01"), nil when it says none.
func (t *turn) boughtOn(text string) *policy.Date {
	for _, d := range purchaseDates(text, extract.Dates(text, t.today)) {
		if d.Precision == extract.PrecisionDay && !d.Date.After(t.today) {
			return &d.Date
		}
	}
	return nil
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

// warrantyDateFollowUp answers a purchase date told right after a warranty
// question about one product that told none or only its month ("is my
// TV-55X still under warranty?", then "I bought it on 5 December 2025",
// "2025年12月5日买的"): whether it is covered, as if both were one
// question. False for anything else.
func (t *turn) warrantyDateFollowUp(text string) bool {
	b := t.before
	if b == nil || b.State != Idle || !containsAny(norm(b.Text), warrantyCues...) || t.boughtOn(b.Text) != nil {
		return false
	}
	if len(strings.Fields(text)) > 12 || utf8.RuneCountInString(text) > 40 || intentOf(text) != intentNone || len(t.e.catalog.Models(text)) > 0 {
		return false
	}
	ds := purchaseDates(text, extract.Dates(text, t.today))
	if len(ds) == 0 || ds[0].Date.After(t.today) {
		return false
	}
	ms := t.e.catalog.Models(b.Text)
	if len(ms) != 1 || !ms[0].Exact {
		return false
	}
	return t.productFact(ms[0].Model + " warranty? " + text)
}

// factFollowUp answers "what about the HP-30?", "那HP-30呢", "PJ-700?" said right after
// a question about another product's price, stock or warranty, or after
// such a follow-up ("洗衣机保修多久", "电视呢", "那打印机呢"): the same question
// about this product. False for anything else.
func (t *turn) factFollowUp(text string) bool {
	b := t.before
	if b == nil || b.State != Idle {
		return false
	}
	n := norm(text)
	if !hasPrefixAny(n, "what about", "how about", "and the", "and for", "and on", "and what about", "那", "还有") && !strings.HasSuffix(strings.TrimRight(n, "?？ "), "呢") &&
		!t.productAsked(text) || containsAny(n, warrantyCues...) || containsAny(n, priceCues...) || containsAny(n, stockCues...) {
		return false // "TV-65X有货吗" after "那HP-30呢": its own question
	}
	topic := b.Topic
	if p := norm(b.Text); topic == "" {
		switch {
		case containsAny(p, warrantyCues...):
			topic = "warranty"
		case containsAny(p, priceCues...):
			topic = "price"
		case containsAny(p, stockCues...):
			topic = "in stock"
		default:
			return false
		}
	}
	if !t.productFact(text + " " + topic) {
		return false
	}
	t.c.Said.Topic = topic
	return true
}

// productAsked reports a product named alone as a question ("the robot
// vacuum?", "TV-65X？"): a few words, nothing asked for.
func (t *turn) productAsked(text string) bool {
	n := norm(text)
	if !looksLikeQuestion(text) || len(strings.Fields(n)) > 4 || utf8.RuneCountInString(n) > 24 || intentOf(text) != intentNone {
		return false
	}
	return len(t.productsNamed(text)) > 0 || len(t.e.catalog.Models(text)) > 0
}

// A model may be told by what it is rather than its number: "the 65 inch
// one", "65寸那个", "the laser printer". The catalog's names say the sizes
// and the kinds; a description names a model when exactly one fits it.

// sizeSaid finds a size with its unit: "65 inch", "65-inch", "65寸",
// "55英寸", "10 kg", "10公斤", "450 L", "450升".
var sizeSaid = regexp.MustCompile(`(\d+(?:\.\d+)?)\s*-?\s*(英寸|寸|吋|inches|inch|in\b|"|公斤|kg\b|升|l\b|litres?\b|liters?\b)`)

// sizeUnits are the ways a catalog name writes each unit a customer says.
var sizeUnits = map[string][]string{
	"英寸": {"英寸", "-inch", " inch"}, "寸": {"英寸", "-inch", " inch"}, "吋": {"英寸", "-inch", " inch"},
	"inches": {"英寸", "-inch", " inch"}, "inch": {"英寸", "-inch", " inch"}, "in": {"英寸", "-inch", " inch"}, `"`: {"英寸", "-inch", " inch"},
	"公斤": {"公斤", " kg"}, "kg": {"公斤", " kg"},
	"升": {"升", " l "}, "l": {"升", " l "}, "litre": {"升", " l "}, "litres": {"升", " l "}, "liter": {"升", " l "}, "liters": {"升", " l "},
}

// describedWords are the words of a description that say nothing of the
// product ("the one", "那个").
var describedWords = []string{"the", "one", "that", "this", "model", "with", "instead", "please", "want", "would", "like"}

// modelsDescribed returns the catalog models other than not that text
// describes by their size or the words of their names, in catalog order;
// nil when text describes none. Every size said and every word said that
// some name has must fit; a product noun ("the printer") names its
// products.
func (t *turn) modelsDescribed(text, not string) []string {
	n := norm(text)
	sizes := sizeSaid.FindAllStringSubmatch(n, -1)
	named := t.productsNamed(text)
	words := t.nameWords(n)
	if len(sizes) == 0 && len(named) == 0 && len(words) == 0 {
		return nil
	}
	var out []string
	for _, pr := range t.e.pol.Products {
		name := productText(pr) + " "
		fits := pr.Model != not && (len(named) == 0 || contains(named, pr.Model))
		for _, s := range sizes {
			fits = fits && slices.ContainsFunc(sizeUnits[s[2]], func(u string) bool { return strings.Contains(name, s[1]+u) })
		}
		for _, w := range words {
			fits = fits && containsAny(name, w)
		}
		if fits {
			out = append(out, pr.Model)
		}
	}
	return out
}

// nameWords returns the words of normalised n that a catalog name has: an
// English word of four letters or more, a pair of Chinese characters.
func (t *turn) nameWords(n string) []string {
	var names strings.Builder
	for _, pr := range t.e.pol.Products {
		names.WriteString(strings.ToLower(pr.Name.Zh + " " + pr.Name.En + " "))
	}
	all := names.String()
	var out []string
	for w := range strings.FieldsFuncSeq(n, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' }) {
		if isASCII(w) {
			if len(w) >= 4 && !contains(describedWords, w) && !contains(productWords, w) && containsAny(all, w) && !contains(out, w) {
				out = append(out, w)
			}
			continue
		}
		rs := []rune(w)
		for i := 0; i+1 < len(rs); i++ {
			if p := string(rs[i : i+2]); unicode.Is(unicode.Han, rs[i]) && unicode.Is(unicode.Han, rs[i+1]) && strings.Contains(all, p) && !contains(productWords, p) && !contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out
}
