package kb

import (
	"strings"
	"testing"

	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/policy"
)

// TestForPolicy: the embedded knowledge base states the policy it is filled
// with, every placeholder replaced, the units reading right for any number.
func TestForPolicy(t *testing.T) {
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	p := cfg.Policy
	p.Returns = policy.Returns{ReturnDays: 1, ExchangeDays: 30}
	p.Warranty.ReplacedPartsDays = 180
	p.Warranty.QuoteValidDays = 14
	p.Warranty.OutOfWarrantyFees = policy.Fees{Inspection: policy.Yuan(80), Labour: policy.Yuan(99.5)}
	p.SLA.Repair, p.SLA.Inspection, p.SLA.FirstResponse = 10, 5, 2
	p.SLA.OnsiteVisit = policy.OnsiteSLA{Default: 4, Regions: map[string]int{"shanghai": 1}}
	p.Calendar.Hours = policy.Hours{Start: "08:30", End: "17:30", Breaks: []policy.Break{{Start: "12:00", End: "13:00"}}}
	p.Categories = append([]policy.Category(nil), p.Categories...)
	p.Categories[0].WarrantyMonths = 18
	kb := Embedded().ForPolicy(&p)

	want := map[string][2]string{ // entry → what its zh and en answers say
		"exchange-policy":         {"自购买之日起 30 天内", "Within 30 days of purchase, a performance fault confirmed by inspection entitles you to an exchange or a repair (within 1 day you may also choose a return)"},
		"return-policy":           {"1 天内，产品出现性能故障的，可以选择退货、换货或维修；30 天内可以换货或维修；超过 30 天按保修维修处理", "Within 1 day of purchase"},
		"replaced-parts-warranty": {"另有 180 天保修", "their own warranty of 180 days"},
		"repair-quote":            {"报价有效期 14 天", "A quote is valid for 14 days"},
		"out-of-warranty-fees":    {"检测费 80 元加人工费 99.50 元，共 179.50 元", "an inspection fee of 80 CNY plus 99.50 CNY labour, 179.50 CNY in total"},
		"repair-time":             {"在 10 个工作日内修好", "within 10 working days"},
		"return-inspection":       {"在 5 个工作日内完成", "takes up to 5 working days"},
		"onsite-response-time":    {"一般在 4 个工作日内安排，上海 1 个工作日内，北京 4 个工作日内", "within 4 working days in general, within 1 working day in Shanghai and within 4 working days in Beijing"},
		"response-time":           {"2 个工作日内", "within 2 working days"},
		"opening-hours":           {"工作日 08:30–12:00, 13:00–17:30", "work 08:30–12:00, 13:00–17:30"},
		"warranty-period":         {"家用电子产品 18 个月；小型家用电器 2 年；大型家用电器 3 年；办公自动化设备 3 年", "Home electronics 18 months; Small appliances 2 years; Major appliances 3 years; Office equipment 3 years"},
	}
	for id, w := range want {
		e, ok := kb.Entry(id)
		if !ok {
			t.Fatalf("no entry %s", id)
		}
		for i, lang := range []string{"zh", "en"} {
			if got := e.Text(lang); !strings.Contains(got, w[i]) {
				t.Errorf("%s (%s) = %q, want it to say %q", id, lang, got, w[i])
			}
		}
	}
	for _, e := range kb.Entries() {
		if a := e.Answer.ZH + e.Answer.EN; strings.ContainsAny(a, "{}") {
			t.Errorf("%s: a placeholder is left: %q", e.ID, a)
		}
	}
	if e, _ := Embedded().Entry("exchange-policy"); !strings.Contains(e.Answer.EN, "{exchange_days}") {
		t.Errorf("ForPolicy changed the knowledge base it was called on: %q", e.Answer.EN)
	}
	if e, ok := kb.Answer("可以换货吗", "zh"); !ok || e.ID != "exchange-policy" {
		t.Errorf("Answer on the filled knowledge base = %v, %v", e, ok)
	}
}

// TestWarrantyPeriodsProducts: a product whose own warranty differs from its
// category's is named with it; a currency other than CNY is written as is.
func TestWarrantyPeriodsProducts(t *testing.T) {
	p := &policy.Policy{
		Currency:   "USD",
		Categories: []policy.Category{{ID: "tv", Name: policy.Text{Zh: "电视", En: "TVs"}, WarrantyMonths: 12}},
		Products: []policy.Product{
			{Model: "A1", Category: "tv", WarrantyMonths: 12},
			{Model: "B2", Category: "tv", WarrantyMonths: 24},
		},
	}
	p.Warranty.OutOfWarrantyFees.Inspection = policy.Yuan(30)
	zh, en := placeholderValues(p)
	if got, want := zh["warranty_periods"], "电视 1 年（B2 2 年）"; got != want {
		t.Errorf("zh warranty_periods = %q, want %q", got, want)
	}
	if got, want := en["warranty_periods"], "TVs 1 year (B2 2 years)"; got != want {
		t.Errorf("en warranty_periods = %q, want %q", got, want)
	}
	if zh["inspection_fee"] != "30 USD" || en["inspection_fee"] != "30 USD" {
		t.Errorf("inspection_fee = %q / %q, want 30 USD", zh["inspection_fee"], en["inspection_fee"])
	}
}
