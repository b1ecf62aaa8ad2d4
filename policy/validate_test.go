package policy

import (
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	cases := []struct {
		name   string
		change func(p *Policy)
		want   []string // "path: message fragment"
	}{
		{"valid", func(p *Policy) {}, nil},
		{"time zone", func(p *Policy) { p.Timezone = "Mars/Olympus" }, []string{`timezone: unknown time zone "Mars/Olympus"`}},
		{"currency", func(p *Policy) { p.Currency = "yuan" }, []string{`currency: "yuan" is not a currency code`}},
		{"workweek day", func(p *Policy) { p.Calendar.Workweek = []string{"mon", "funday", "mon"} },
			[]string{`calendar.workweek[1]: "funday" is not a day of the week`, `calendar.workweek[2]: "mon" is listed twice`}},
		{"hours", func(p *Policy) { p.Calendar.Hours = Hours{Start: "18:00", End: "9am"} }, []string{`calendar.hours.end: "9am" is not a time of day`}},
		{"hours reversed", func(p *Policy) { p.Calendar.Hours = Hours{Start: "18:00", End: "09:00"} }, []string{`calendar.hours.end: 09:00 is not after the start, 18:00`}},
		{"breaks", func(p *Policy) {
			p.Calendar.Hours = Hours{Start: "09:00", End: "18:00", Breaks: []Break{
				{"12:00", "13:30"}, {"noon", "13:00"}, {"15:00", "14:00"}, {"08:00", "09:30"}, {"13:00", "14:00"}, {"17:00", "18:30"}}}
		}, []string{
			`calendar.hours.breaks[1].start: "noon" is not a time of day`,
			`calendar.hours.breaks[2].end: 14:00 is not after the start, 15:00`,
			`calendar.hours.breaks[3]: 08:00–09:30 is not inside the business hours 09:00–18:00`,
			`calendar.hours.breaks[4]: 13:00–14:00 overlaps the break before it or is out of order`,
			`calendar.hours.breaks[5]: 17:00–18:30 is not inside the business hours 09:00–18:00`,
		}},
		{"rating days", func(p *Policy) { p.Feedback.RatingDays = 400 }, []string{`feedback.rating_days: must be 1 to 90`}},
		{"breaks all day", func(p *Policy) {
			p.Calendar.Hours = Hours{Start: "09:00", End: "18:00", Breaks: []Break{{"09:00", "12:00"}, {"12:00", "18:00"}}}
		}, []string{`calendar.hours.breaks: the breaks leave no business hours`}},
		{"holiday and workday", func(p *Policy) { p.Calendar.Workdays = append(p.Calendar.Workdays, p.Calendar.Holidays[0]) },
			[]string{`calendar.workdays[2]: 2026-10-01 is listed both as a holiday and as a working day`}},
		{"make-up day inside the workweek", func(p *Policy) { p.Calendar.Workdays = []Date{NewDate(2026, 10, 9)} },
			[]string{`calendar.workdays[0]: 2026-10-09 is a Friday, already a working day`}},
		{"duplicate holiday", func(p *Policy) { p.Calendar.Holidays = append(p.Calendar.Holidays, p.Calendar.Holidays[1]) },
			[]string{`calendar.holidays[5]: 2026-10-02 is listed twice`}},
		{"windows", func(p *Policy) { p.Returns = Returns{ReturnDays: 10, ExchangeDays: 7} }, []string{`returns.exchange_days: 7 is shorter than return_days (10)`}},
		{"negative fee", func(p *Policy) { p.Warranty.OutOfWarrantyFees.Labour = -1 }, []string{`warranty.out_of_warranty_fees.labour: must be 0 or more`}},
		{"negative SLA", func(p *Policy) { p.SLA.Repair = -2 }, []string{`sla.repair: must be 0 or more`}},
		{"region SLA", func(p *Policy) { p.SLA.OnsiteVisit.Regions["beijing"] = 0 }, []string{`sla.onsite_visit.regions.beijing: must be 1 to 260 working days`}},
		{"SLA of years", func(p *Policy) { p.SLA.Repair = 2000000000; p.SLA.OnsiteVisit.Regions["beijing"] = 400 }, []string{
			`sla.repair: 2000000000 working days is more than a year (at most 260)`, `sla.onsite_visit.regions.beijing: must be 1 to 260 working days`}},
		{"category", func(p *Policy) {
			p.Categories = append(p.Categories, Category{ID: "Home Electronics", WarrantyMonths: 0, Installation: "maybe"}, Category{ID: "small-appliances", Name: Text{"x", "y"}, WarrantyMonths: 12, Installation: InstallNone})
		}, []string{`categories[3].id: "Home Electronics": use lower-case`, `categories[3].name.zh: required`, `categories[3].name.en: required`,
			`categories[3].warranty_months: must be 1-240, got 0`, `categories[3].installation: "maybe" is not one of none, free, paid`, `categories[4].id: duplicate category "small-appliances"`}},
		{"products", func(p *Policy) {
			p.Products = append(p.Products, Product{Model: "ＴＶ－５５Ｘ", Category: "tv", Price: 0}, Product{Model: " ", Category: "home-electronics", Price: 1, Consumables: []Text{{}}})
		}, []string{`products[5].model: "ＴＶ－５５Ｘ" is the same model as "TV-55X"`, `products[5].category: unknown category "tv" (known: home-electronics, small-appliances, office-equipment)`,
			`products[5].price: must be a positive amount`, `products[6].model: required`, `products[6].consumables[0]: empty`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := testPolicy(t)
			tc.change(p)
			p.ApplyDefaults()
			var got []string
			for _, e := range p.Validate() {
				got = append(got, e.Error())
			}
			if len(got) != len(tc.want) {
				t.Fatalf("problems:\n%s\nwant %d:\n%s", strings.Join(got, "\n"), len(tc.want), strings.Join(tc.want, "\n"))
			}
			for i, w := range tc.want {
				if !strings.HasPrefix(got[i], w) {
					t.Errorf("problem %d = %q, want it to start with %q", i, got[i], w)
				}
			}
		})
	}
}

func TestDefaults(t *testing.T) {
	var p Policy
	p.ApplyDefaults()
	if p.Timezone != "Asia/Shanghai" || p.Currency != "CNY" || p.Location().String() != "Asia/Shanghai" {
		t.Errorf("zone %q currency %q location %v", p.Timezone, p.Currency, p.Location())
	}
	if p.Returns != (Returns{7, 15}) || p.Warranty.ReplacedPartsDays != 90 || p.Warranty.QuoteValidDays != 7 {
		t.Errorf("returns %+v warranty %+v", p.Returns, p.Warranty)
	}
	if p.SLA.FirstResponse != 1 || p.SLA.ComplaintAnswer != 3 || p.SLA.ComplaintResolution != 10 || p.SLA.OnsiteVisit.Default != 3 {
		t.Errorf("sla %+v", p.SLA)
	}
	if !p.IsWorkingDay(NewDate(2026, 11, 27)) || p.IsWorkingDay(NewDate(2026, 11, 28)) {
		t.Error("default workweek is Monday to Friday")
	}
	if errs := p.Validate(); len(errs) != 0 {
		t.Errorf("an empty policy with defaults is valid, got %v", errs)
	}
}
