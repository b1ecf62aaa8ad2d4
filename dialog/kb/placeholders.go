package kb

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

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
// so that a sentence reads right whatever number the operator sets.
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
	for cat, steps := range kb.troubleshooting {
		filled := make([]Step, len(steps))
		for i, s := range steps {
			filled[i] = Step{ZH: fill(s.ZH, "zh", zh), EN: fill(s.EN, "en", en)}
		}
		out.troubleshooting[cat] = filled
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
	return zh, en
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
