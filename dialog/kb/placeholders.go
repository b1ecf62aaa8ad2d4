package kb

import (
	"cmp"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/supportd/supportd/policy"
)

// placeholders are the policy settings an answer or a troubleshooting step
// may state: written {name} in the file, they are replaced by the policy's
// value when the gateway starts (ForPolicy), so that the bot says what the
// return flow, the warranty decision and the deadlines actually apply.
// {onsite:REGION} is the on-site visit deadline of a region (the default
// deadline when the policy gives the region none of its own).
//
// Durations are written with their unit and amounts with their currency
// ("15 天" / "15 days", "1 个工作日" / "1 working day", "50 元" / "50 CNY"),
// so that a sentence reads right whatever number the operator sets; the
// catalog's lists of products as each language writes a list (see list).
var placeholders = map[string]string{
	"return_days":              "returns.return_days: days from purchase to return a faulty product",
	"exchange_days":            "returns.exchange_days: days from purchase to exchange a faulty product",
	"replaced_parts_days":      "warranty.replaced_parts_days: days of warranty of a replaced part",
	"quote_valid_days":         "warranty.quote_valid_days: days a quote waits for the customer",
	"inspection_fee":           "warranty.out_of_warranty_fees.inspection, an amount such as 50",
	"labour_fee":               "warranty.out_of_warranty_fees.labour, an amount such as 120",
	"estimate":                 "the inspection fee plus the labour fee, an amount such as 170",
	"sla_first_response":       "sla.first_response, in working days",
	"sla_repair":               "sla.repair, in working days",
	"sla_inspection":           "sla.inspection (the return/exchange inspection), in working days",
	"sla_complaint_answer":     "sla.complaint_answer, in working days",
	"sla_complaint_resolution": "sla.complaint_resolution, in working days",
	"onsite_default":           "sla.onsite_visit.default, in working days",
	"opening_hours":            "calendar.hours, such as 09:00–18:00 (09:00–12:00, 13:30–18:00 with a break)",
	"warranty_periods":         "the warranty of every category, such as 家用电子产品 1 年；小型家用电器 2 年 / Home electronics 1 year; Small appliances 2 years",
	// The catalog's lists: product names (name.zh / name.en) as the
	// language writes a list ("电视、空调和净水器", "TV, air conditioner
	// and water purifier"; "无" / "none" when empty), in catalog order.
	"onsite_products":            "the products repaired on site (onsite: true), a list of product names",
	"mailin_products":            "the products repaired by mail-in or at a service point (onsite: false), a list of product names",
	"free_installation_products": "the products installed on site for free (installation: free), a list of product names",
	"paid_installation_products": "the products installed for a fee (installation: paid), a list of product names",
	"no_installation_products":   "the products that need no installation (installation: none), a list of product names",
	"consumables":                "every product's consumables, such as 电视的遥控器电池；耳机的耳罩和电池 / remote control battery (TV); ear cushions and battery (headphones)",
}

// keyedPlaceholders take a key: {onsite:shanghai}.
var keyedPlaceholders = []string{"onsite"}

var (
	bracedText     = regexp.MustCompile(`\{[^{}\n]*\}`)
	placeholderRef = regexp.MustCompile(`^\{([a-z_]+)(?::([a-z0-9]+(?:[-_][a-z0-9]+)*))?\}$`)
)

// checkPlaceholders reports every braced text of s that is not a known
// placeholder: it would reach the customer as written.
func (l *loader) checkPlaceholders(s, path string, line int) {
	for _, m := range bracedText.FindAllString(s, -1) {
		ref := placeholderRef.FindStringSubmatch(m)
		switch {
		case ref == nil:
			l.add(path, line, "malformed placeholder %s: a placeholder is lower-case letters and _ in braces, such as {exchange_days}, or {onsite:REGION}", m)
		case ref[2] == "" && placeholders[ref[1]] == "":
			l.add(path, line, "unknown placeholder %s%s", m, suggestPlaceholder(ref[1]))
		case ref[2] != "" && !slices.Contains(keyedPlaceholders, ref[1]):
			l.add(path, line, "unknown placeholder %s: only {onsite:REGION} takes a key", m)
		}
	}
}

func placeholderList() string {
	return strings.Join(slices.Sorted(maps.Keys(placeholders)), ", ")
}

func suggestPlaceholder(name string) string {
	for _, k := range slices.Sorted(maps.Keys(placeholders)) {
		if d := editDistance(name, k); d <= 2 && 2*d < len(name) {
			return fmt.Sprintf(" (did you mean {%s}?)", k)
		}
	}
	return " (known: " + placeholderList() + ", onsite:REGION)"
}

// ForPolicy returns the knowledge base with every placeholder of its answers
// and troubleshooting steps replaced by the value p gives it. The search
// index is shared; kb itself is not changed.
func (kb *KB) ForPolicy(p *policy.Policy) *KB {
	zh, en := placeholderValues(p)
	fill := func(s, lang string, vals map[string]string) string {
		if !strings.Contains(s, "{") {
			return s
		}
		return bracedText.ReplaceAllStringFunc(s, func(m string) string {
			ref := placeholderRef.FindStringSubmatch(m)
			switch {
			case ref == nil:
				return m
			case ref[1] == "onsite" && ref[2] != "":
				z, e := workingDays(p.OnsiteDays(ref[2]))
				return pick(lang, z, e)
			case ref[2] == "":
				if v, ok := vals[ref[1]]; ok {
					return v
				}
			}
			return m
		})
	}
	out := *kb
	out.entries = make([]*Entry, len(kb.entries))
	for i, e := range kb.entries {
		c := *e
		c.Answer = Bilingual{ZH: fill(e.Answer.ZH, "zh", zh), EN: fill(e.Answer.EN, "en", en)}
		out.entries[i] = &c
	}
	out.troubleshooting = make(map[string][]Step, len(kb.troubleshooting))
	for key, steps := range kb.troubleshooting {
		filled := make([]Step, len(steps))
		for i, s := range steps {
			filled[i] = Step{ZH: fill(s.ZH, "zh", zh), EN: fill(s.EN, "en", en), When: s.When, match: s.match}
		}
		out.troubleshooting[key] = filled
	}
	return &out
}

// placeholderValues returns the value of every unkeyed placeholder in
// Chinese and in English. Durations carry their unit ("15 天", "15 days",
// "1 working day") and amounts their currency ("50 元", "50 CNY"), so that
// a sentence reads right whatever the number.
func placeholderValues(p *policy.Policy) (zh, en map[string]string) {
	fees := p.Warranty.OutOfWarrantyFees
	zh, en = map[string]string{}, map[string]string{}
	set := func(name, z, e string) { zh[name], en[name] = z, e }
	days := func(name string, n int) { set(name, fmt.Sprintf("%d 天", n), plural(n, "day")) }
	working := func(name string, n int) { z, e := workingDays(n); set(name, z, e) }
	money := func(name string, m policy.Money) { z, e := amount(p.Currency, m); set(name, z, e) }

	days("return_days", p.Returns.ReturnDays)
	days("exchange_days", p.Returns.ExchangeDays)
	days("replaced_parts_days", p.Warranty.ReplacedPartsDays)
	days("quote_valid_days", p.Warranty.QuoteValidDays)
	money("inspection_fee", fees.Inspection)
	money("labour_fee", fees.Labour)
	money("estimate", fees.Inspection+fees.Labour)
	working("sla_first_response", p.SLA.FirstResponse)
	working("sla_repair", p.SLA.Repair)
	working("sla_inspection", p.SLA.Inspection)
	working("sla_complaint_answer", p.SLA.ComplaintAnswer)
	working("sla_complaint_resolution", p.SLA.ComplaintResolution)
	working("onsite_default", p.SLA.OnsiteVisit.Default)
	hours := openingHours(p.Calendar.Hours)
	set("opening_hours", hours, hours)
	z, e := warrantyPeriods(p)
	set("warranty_periods", z, e)
	products := func(name string, ok func(policy.Terms) bool) {
		var zs, es []string
		for _, pr := range p.Products {
			if t, err := p.TermsOf(pr.Model); err == nil && ok(t) {
				zs, es = append(zs, nameOf(pr, "zh")), append(es, nameOf(pr, "en"))
			}
		}
		set(name, list("zh", zs), list("en", es))
	}
	products("onsite_products", func(t policy.Terms) bool { return t.ServiceMode == policy.Onsite })
	products("mailin_products", func(t policy.Terms) bool { return t.ServiceMode != policy.Onsite })
	products("free_installation_products", func(t policy.Terms) bool { return t.Installation == policy.InstallFree })
	products("paid_installation_products", func(t policy.Terms) bool { return t.Installation == policy.InstallPaid })
	products("no_installation_products", func(t policy.Terms) bool { return t.Installation == policy.InstallNone })
	z, e = consumables(p)
	set("consumables", z, e)
	return zh, en
}

// nameOf is a product's name in lang, its model when it has none.
func nameOf(pr policy.Product, lang string) string {
	return cmp.Or(strings.TrimSpace(pr.Name.In(lang)), pr.Model)
}

// list writes names as lang writes a list, each once: "电视、空调和净水器",
// "TV, air conditioner and water purifier"; "无" / "none" when empty. An
// English name is written lower-case inside the sentence ("Air
// conditioner" → "air conditioner") unless its first word is an
// abbreviation ("TV", "HEPA filter").
func list(lang string, names []string) string {
	var items []string
	for _, n := range names {
		if lang == "en" {
			n = inSentence(n)
		}
		if n != "" && !slices.Contains(items, n) {
			items = append(items, n)
		}
	}
	sep, and, none := ", ", " and ", "none"
	if lang == "zh" {
		sep, and, none = "、", "和", "无"
	}
	switch len(items) {
	case 0:
		return none
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], sep) + and + items[len(items)-1]
}

// inSentence lower-cases the capital a name starts with, when the letter
// after it is lower-case: "Soundbar" → "soundbar", "TV" and "HEPA filter"
// stay.
func inSentence(name string) string {
	first, n := utf8.DecodeRuneInString(name)
	next, _ := utf8.DecodeRuneInString(name[n:])
	if unicode.IsUpper(first) && unicode.IsLower(next) {
		return string(unicode.ToLower(first)) + name[n:]
	}
	return name
}

// consumables lists every product's consumable parts, the products with the
// same parts together, in catalog order: "电视和音响的遥控器电池；耳机的耳罩
// 和电池" / "remote control battery (TV and soundbar); ear cushions and
// battery (headphones)"; "无" / "none" when no product has any.
func consumables(p *policy.Policy) (zh, en string) {
	type group struct{ zhParts, enParts, zhNames, enNames []string }
	var groups []*group
	byParts := map[string]*group{}
	for _, pr := range p.Products {
		if len(pr.Consumables) == 0 {
			continue
		}
		var g group
		for _, c := range pr.Consumables {
			g.zhParts, g.enParts = append(g.zhParts, c.In("zh")), append(g.enParts, c.In("en"))
		}
		key := strings.Join(g.zhParts, "\x00") + "\x01" + strings.Join(g.enParts, "\x00")
		if byParts[key] == nil {
			byParts[key] = &g
			groups = append(groups, &g)
		}
		at := byParts[key]
		at.zhNames, at.enNames = append(at.zhNames, nameOf(pr, "zh")), append(at.enNames, nameOf(pr, "en"))
	}
	if len(groups) == 0 {
		return list("zh", nil), list("en", nil)
	}
	var zs, es []string
	for _, g := range groups {
		zs = append(zs, list("zh", g.zhNames)+"的"+list("zh", g.zhParts))
		es = append(es, list("en", g.enParts)+" ("+list("en", g.enNames)+")")
	}
	return strings.Join(zs, "；"), strings.Join(es, "; ")
}

// workingDays writes a deadline: "3 个工作日", "3 working days".
func workingDays(n int) (zh, en string) {
	return fmt.Sprintf("%d 个工作日", n), plural(n, "working day")
}

func plural(n int, unit string) string {
	if n != 1 {
		unit += "s"
	}
	return fmt.Sprintf("%d %s", n, unit)
}

// amount writes an amount with its currency: "50 元" (yuan in Chinese),
// "50 CNY".
func amount(currency string, m policy.Money) (zh, en string) {
	zh = m.String() + " " + currency
	if currency == "CNY" {
		zh = m.String() + " 元"
	}
	return zh, m.String() + " " + currency
}

// openingHours writes the business hours with their breaks as open spans:
// "09:00–12:00, 13:30–18:00".
func openingHours(h policy.Hours) string {
	spans, start := []string{}, h.Start
	for _, b := range h.Breaks {
		spans = append(spans, start+"–"+b.Start)
		start = b.End
	}
	return strings.Join(append(spans, start+"–"+h.End), ", ")
}

// warrantyPeriods lists the warranty of every category, in the policy's
// order, with the products whose own warranty differs from their category's.
func warrantyPeriods(p *policy.Policy) (zh, en string) {
	var zs, es []string
	for _, c := range p.Categories {
		var zx, ex []string
		for _, pr := range p.Products {
			if pr.Category == c.ID && pr.WarrantyMonths != 0 && pr.WarrantyMonths != c.WarrantyMonths {
				z, e := period(pr.WarrantyMonths)
				zx = append(zx, pr.Model+" "+z)
				ex = append(ex, pr.Model+" "+e)
			}
		}
		z, e := period(c.WarrantyMonths)
		z, e = c.Name.In("zh")+" "+z, c.Name.In("en")+" "+e
		if len(zx) > 0 {
			z += "（" + strings.Join(zx, "，") + "）"
			e += " (" + strings.Join(ex, ", ") + ")"
		}
		zs, es = append(zs, z), append(es, e)
	}
	return strings.Join(zs, "；"), strings.Join(es, "; ")
}

// period writes a warranty length in years when it is whole years.
func period(months int) (zh, en string) {
	if months%12 == 0 && months > 0 {
		return fmt.Sprintf("%d 年", months/12), plural(months/12, "year")
	}
	return fmt.Sprintf("%d 个月", months), plural(months, "month")
}
