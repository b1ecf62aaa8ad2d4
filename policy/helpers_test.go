package policy

import (
	"testing"
	"time"
)

func d(t testing.TB, s string) Date {
	t.Helper()
	v, err := ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func ptr[T any](v T) *T { return &v }

// testPolicy is a small company: the three categories of the standard, a
// product in each, and the 2026 National Day holidays with their make-up days.
func testPolicy(t testing.TB) *Policy {
	t.Helper()
	p := &Policy{
		Calendar: Calendar{
			Holidays: []Date{d(t, "2026-10-01"), d(t, "2026-10-02"), d(t, "2026-10-05"), d(t, "2026-10-06"), d(t, "2026-10-07")},
			Workdays: []Date{d(t, "2026-09-20"), d(t, "2026-10-10")},
		},
		Warranty: Warranty{OutOfWarrantyFees: Fees{Inspection: Yuan(50), Labour: Yuan(120)}},
		SLA:      SLA{OnsiteVisit: OnsiteSLA{Regions: map[string]int{"shanghai": 1}}},
		Categories: []Category{
			{ID: "home-electronics", Name: Text{"家用电子产品", "Home electronics"}, WarrantyMonths: 12},
			{ID: "small-appliances", Name: Text{"小型家用电器", "Small appliances"}, WarrantyMonths: 24},
			{ID: "office-equipment", Name: Text{"办公自动化设备", "Office equipment"}, WarrantyMonths: 36, Onsite: true, Installation: InstallFree},
		},
		Products: []Product{
			{Model: "TV-55X", Category: "home-electronics", Name: Text{"55英寸智能电视", "55-inch smart TV"}, Price: Yuan(3999), Installation: InstallPaid},
			{Model: "TV-65X", Category: "home-electronics", Name: Text{"65英寸智能电视", "65-inch smart TV"}, Price: Yuan(5999), InStock: ptr(false)},
			{Model: "AP-300", Category: "small-appliances", Name: Text{"空气净化器", "Air purifier"}, Price: Yuan(1599.5)},
			{Model: "PR-2000", Category: "office-equipment", Name: Text{"激光打印机", "Laser printer"}, Price: Yuan(1899), Onsite: ptr(false), Installation: InstallNone},
			{Model: "CP-3000", Category: "office-equipment", Name: Text{"复合机", "Copier"}, Price: Yuan(12999), WarrantyMonths: 60},
		},
	}
	p.ApplyDefaults()
	if errs := p.Validate(); len(errs) > 0 {
		t.Fatalf("test policy invalid: %v", errs)
	}
	return p
}

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}()
