package policy

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
)

// FieldError is one invalid policy setting. Path is relative to the policy
// section: "products[3].category".
type FieldError struct {
	Path string
	Msg  string
}

func (e FieldError) Error() string { return e.Path + ": " + e.Msg }

type problems []FieldError

func (ps *problems) add(path, format string, args ...any) {
	*ps = append(*ps, FieldError{Path: path, Msg: fmt.Sprintf(format, args...)})
}

var (
	currencyCode = regexp.MustCompile(`^[A-Z]{3}$`)
	categoryID   = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)
)

// Validate returns every problem with the policy, in the order of the
// configuration. Call it after ApplyDefaults.
func (p *Policy) Validate() []FieldError {
	var ps problems
	if _, err := time.LoadLocation(p.Timezone); err != nil || p.Timezone == "Local" {
		ps.add("timezone", "unknown time zone %q (want an IANA name such as Asia/Shanghai)", p.Timezone)
	}
	if !currencyCode.MatchString(p.Currency) {
		ps.add("currency", "%q is not a currency code such as CNY", p.Currency)
	}
	p.validateCalendar(&ps)
	p.validateTerms(&ps)
	p.validateCatalog(&ps)
	return ps
}

func (p *Policy) validateCalendar(ps *problems) {
	cal := &p.Calendar
	seen := map[time.Weekday]bool{}
	for i, d := range cal.Workweek {
		wd, ok := parseWeekday(d)
		switch {
		case !ok:
			ps.add(fmt.Sprintf("calendar.workweek[%d]", i), "%q is not a day of the week (mon, tue, wed, thu, fri, sat, sun)", d)
		case seen[wd]:
			ps.add(fmt.Sprintf("calendar.workweek[%d]", i), "%q is listed twice", d)
		}
		seen[wd] = true
	}
	open, err1 := parseClock(cal.Hours.Start)
	if err1 != nil {
		ps.add("calendar.hours.start", "%v", err1)
	}
	shut, err2 := parseClock(cal.Hours.End)
	if err2 != nil {
		ps.add("calendar.hours.end", "%v", err2)
	}
	if err1 == nil && err2 == nil && shut <= open {
		ps.add("calendar.hours.end", "%s is not after the start, %s", cal.Hours.End, cal.Hours.Start)
	}
	if err1 == nil && err2 == nil {
		validateBreaks(ps, cal.Hours, open, shut)
	}
	holiday := map[Date]bool{}
	for i, d := range cal.Holidays {
		if holiday[d] {
			ps.add(fmt.Sprintf("calendar.holidays[%d]", i), "%s is listed twice", d)
		}
		holiday[d] = true
	}
	workday := map[Date]bool{}
	for i, d := range cal.Workdays {
		path := fmt.Sprintf("calendar.workdays[%d]", i)
		switch {
		case holiday[d]:
			ps.add(path, "%s is listed both as a holiday and as a working day", d)
		case workday[d]:
			ps.add(path, "%s is listed twice", d)
		case p.idx.workweek[d.Weekday()]:
			ps.add(path, "%s is a %s, already a working day: make-up days are days outside the workweek", d, d.Weekday())
		}
		workday[d] = true
	}
	if len(seen) == 0 && len(cal.Workdays) == 0 {
		ps.add("calendar.workweek", "no working day: deadlines could never fall due")
	}
}

func (p *Policy) validateTerms(ps *problems) {
	r := p.Returns
	if r.ReturnDays < 0 {
		ps.add("returns.return_days", "must be 0 or more (0: returns on the day of purchase only), got %d", r.ReturnDays)
	}
	if r.ExchangeDays < r.ReturnDays {
		ps.add("returns.exchange_days", "%d is shorter than return_days (%d)", r.ExchangeDays, r.ReturnDays)
	}
	w := p.Warranty
	if w.ReplacedPartsDays < 1 {
		ps.add("warranty.replaced_parts_days", "must be 1 or more (days a replaced part is under warranty), got %d", w.ReplacedPartsDays)
	}
	if w.QuoteValidDays < 1 {
		ps.add("warranty.quote_valid_days", "must be 1 or more (days a quote waits for the customer's answer), got %d", w.QuoteValidDays)
	}
	if d := p.Feedback.RatingDays; d < 1 || d > 90 {
		ps.add("feedback.rating_days", "must be 1 to 90 (days a rating is waited for), got %d", d)
	}
	if w.OutOfWarrantyFees.Inspection < 0 {
		ps.add("warranty.out_of_warranty_fees.inspection", "must be 0 or more")
	}
	if w.OutOfWarrantyFees.Labour < 0 {
		ps.add("warranty.out_of_warranty_fees.labour", "must be 0 or more")
	}
	s := p.SLA
	for _, f := range []struct {
		key string
		v   int
	}{
		{"first_response", s.FirstResponse}, {"consultation", s.Consultation},
		{"onsite_visit.default", s.OnsiteVisit.Default}, {"repair", s.Repair}, {"inspection", s.Inspection},
		{"complaint_answer", s.ComplaintAnswer}, {"complaint_resolution", s.ComplaintResolution},
	} {
		nonNegative(ps, "sla."+f.key, f.v)
		if f.v > MaxDeadlineDays {
			ps.add("sla."+f.key, "%d working days is more than a year (at most %d)", f.v, MaxDeadlineDays)
		}
	}
	regions := make([]string, 0, len(s.OnsiteVisit.Regions))
	for k := range s.OnsiteVisit.Regions {
		regions = append(regions, k)
	}
	sort.Strings(regions)
	for _, k := range regions {
		if d := s.OnsiteVisit.Regions[k]; d < 1 || d > MaxDeadlineDays {
			ps.add("sla.onsite_visit.regions."+k, "must be 1 to %d working days", MaxDeadlineDays)
		}
	}
	if s.ComplaintResolution < s.ComplaintAnswer {
		ps.add("sla.complaint_resolution", "%d is shorter than complaint_answer (%d)", s.ComplaintResolution, s.ComplaintAnswer)
	}
}

func nonNegative(ps *problems, path string, v int) {
	if v < 0 {
		ps.add(path, "must be 0 or more")
	}
}

func (p *Policy) validateCatalog(ps *problems) {
	ids := map[string]bool{}
	for i, c := range p.Categories {
		path := fmt.Sprintf("categories[%d]", i)
		switch {
		case c.ID == "":
			ps.add(path+".id", "required")
		case !categoryID.MatchString(c.ID):
			ps.add(path+".id", "%q: use lower-case letters, digits, - and _", c.ID)
		case ids[c.ID]:
			ps.add(path+".id", "duplicate category %q", c.ID)
		}
		ids[c.ID] = true
		validateText(ps, path+".name", c.Name)
		if c.WarrantyMonths < 1 || c.WarrantyMonths > 240 {
			ps.add(path+".warranty_months", "must be 1-240, got %d", c.WarrantyMonths)
		}
		validateInstallation(ps, path+".installation", c.Installation)
	}
	known := make([]string, 0, len(p.Categories))
	for _, c := range p.Categories {
		known = append(known, c.ID)
	}
	models := map[string]string{}
	for i, pr := range p.Products {
		path := fmt.Sprintf("products[%d]", i)
		key := ModelKey(pr.Model)
		switch {
		case key == "":
			ps.add(path+".model", "required")
		case models[key] != "":
			ps.add(path+".model", "%q is the same model as %q", pr.Model, models[key])
		default:
			models[key] = pr.Model
		}
		if !ids[pr.Category] {
			ps.add(path+".category", "unknown category %q (known: %s)", pr.Category, strings.Join(known, ", "))
		}
		if pr.Price <= 0 {
			ps.add(path+".price", "must be a positive amount")
		}
		if pr.Name != (Text{}) {
			validateText(ps, path+".name", pr.Name)
		}
		if pr.WarrantyMonths < 0 || pr.WarrantyMonths > 240 {
			ps.add(path+".warranty_months", "must be 1-240, got %d", pr.WarrantyMonths)
		}
		if pr.Installation != "" {
			validateInstallation(ps, path+".installation", pr.Installation)
		}
		for j, c := range pr.Consumables {
			if strings.TrimSpace(c.Zh) == "" || strings.TrimSpace(c.En) == "" {
				ps.add(fmt.Sprintf("%s.consumables[%d]", path, j), "empty")
			}
		}
	}
}

func validateText(ps *problems, path string, t Text) {
	if strings.TrimSpace(t.Zh) == "" {
		ps.add(path+".zh", "required: the Chinese name")
	}
	if strings.TrimSpace(t.En) == "" {
		ps.add(path+".en", "required: the English name")
	}
}

func validateInstallation(ps *problems, path string, v Installation) {
	switch v {
	case InstallNone, InstallFree, InstallPaid:
	default:
		ps.add(path, "%q is not one of none, free, paid", v)
	}
}

// validateBreaks checks the breaks of business hours open–shut (minutes):
// each inside them, after the previous one, and leaving some hours open.
func validateBreaks(ps *problems, h Hours, open, shut int) {
	last, closed := open, 0
	for i, b := range h.Breaks {
		path := fmt.Sprintf("calendar.hours.breaks[%d]", i)
		from, err1 := parseClock(b.Start)
		if err1 != nil {
			ps.add(path+".start", "%v", err1)
		}
		to, err2 := parseClock(b.End)
		if err2 != nil {
			ps.add(path+".end", "%v", err2)
		}
		switch {
		case err1 != nil || err2 != nil:
		case to <= from:
			ps.add(path+".end", "%s is not after the start, %s", b.End, b.Start)
		case from < open || to > shut:
			ps.add(path, "%s–%s is not inside the business hours %s–%s", b.Start, b.End, h.Start, h.End)
		case from < last:
			ps.add(path, "%s–%s overlaps the break before it or is out of order (list breaks earliest first)", b.Start, b.End)
		default:
			last, closed = to, closed+to-from
		}
	}
	if closed > 0 && closed >= shut-open {
		ps.add("calendar.hours.breaks", "the breaks leave no business hours")
	}
}
