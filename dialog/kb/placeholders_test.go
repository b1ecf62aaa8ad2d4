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

// TestProductListsFollowThePolicy: the answers naming which products are
// repaired or installed on site, and the consumables of each, list what the
// policy says, in each language's way ("A、B和C" / "A, B and C"), and change
// when the operator changes the catalog.
func TestProductListsFollowThePolicy(t *testing.T) {
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	demo := Embedded().ForPolicy(&cfg.Policy)
	say := func(kb *KB, id string) [2]string {
		t.Helper()
		e, ok := kb.Entry(id)
		if !ok {
			t.Fatalf("no entry %s", id)
		}
		return [2]string{e.Text("zh"), e.Text("en")}
	}
	check := func(what string, got [2]string, want [2]string) {
		t.Helper()
		for i := range got {
			if !strings.Contains(got[i], want[i]) {
				t.Errorf("%s:\n%q\nwant it to say\n%q", what, got[i], want[i])
			}
		}
	}
	check("demo service-mode", say(demo, "service-mode"), [2]string{
		"提供上门维修的产品：厨下净水器、10公斤滚筒洗衣机、450升对开门冰箱、商务投影仪和多功能数码复合机。" +
			"需要寄修或送到服务网点维修的产品：55英寸智能电视、65英寸智能电视、回音壁音响、无线降噪耳机、空气净化器、扫地机器人、智能电饭煲和激光打印机。",
		"We repair these on site: under-sink water purifier, 10 kg front-load washing machine, 450 L side-by-side refrigerator, business projector and multifunction copier. " +
			"These are repaired by mail-in or drop-off at a service point: 55-inch smart TV, 65-inch smart TV, soundbar, wireless noise-cancelling headphones, air purifier, robot vacuum cleaner, smart rice cooker and laser printer.",
	})
	check("demo installation", say(demo, "installation"), [2]string{
		"免费上门安装调试的产品：厨下净水器、10公斤滚筒洗衣机、450升对开门冰箱、商务投影仪和多功能数码复合机。需要付费安装的产品：55英寸智能电视和65英寸智能电视。" +
			"不需要专业安装的产品：回音壁音响、无线降噪耳机、空气净化器、扫地机器人、智能电饭煲和激光打印机。",
		"Installed and set up on site for free: under-sink water purifier, 10 kg front-load washing machine, 450 L side-by-side refrigerator, business projector and multifunction copier. " +
			"Installed for a fee: 55-inch smart TV and 65-inch smart TV. No professional installation needed: soundbar, wireless noise-cancelling headphones, air purifier, robot vacuum cleaner, smart rice cooker and laser printer.",
	})
	check("demo consumables", say(demo, "consumables"), [2]string{
		"各产品的耗材：55英寸智能电视、65英寸智能电视和回音壁音响的遥控器电池；无线降噪耳机的耳罩和电池；空气净化器的HEPA 滤网和活性炭滤网；" +
			"扫地机器人的电池、边刷和防尘滤网；智能电饭煲的密封圈；厨下净水器的滤芯；10公斤滚筒洗衣机的排水过滤器；450升对开门冰箱的净水滤芯；" +
			"激光打印机的硒鼓和感光鼓；商务投影仪的灯泡和防尘滤网；多功能数码复合机的硒鼓、感光鼓和订书钉。",
		"The consumables are: remote control battery (55-inch smart TV, 65-inch smart TV and soundbar); ear cushions and battery (wireless noise-cancelling headphones); " +
			"HEPA filter and carbon filter (air purifier); battery, side brush and dust filter (robot vacuum cleaner); sealing ring (smart rice cooker); filter cartridge (under-sink water purifier); " +
			"drain filter (10 kg front-load washing machine); water filter (450 L side-by-side refrigerator); toner cartridge and drum unit (laser printer); lamp and dust filter (business projector); " +
			"toner cartridge, drum unit and staples (multifunction copier).",
	})

	// The operator's catalog: the TVs installed for free and repaired on
	// site, the printer repaired on site, the copier gone, the rice cooker's
	// sealing ring no longer a consumable and a new air conditioner.
	p := cfg.Policy
	p.Products = nil
	yes, no := true, false
	for _, pr := range cfg.Policy.Products {
		switch pr.Model {
		case "TV-55X", "TV-65X":
			pr.Installation, pr.Onsite = policy.InstallFree, &yes
		case "PR-2000":
			pr.Onsite = &yes
		case "RC-5":
			pr.Consumables = nil
		case "CP-3000":
			continue
		case "WP-8":
			pr.Onsite = &no
		}
		p.Products = append(p.Products, pr)
	}
	p.Products = append(p.Products, policy.Product{Model: "AC-9", Category: "major-appliances", Price: policy.Yuan(3999),
		Name: policy.Text{Zh: "空调", En: "Air conditioner"}, Consumables: []policy.Text{{Zh: "遥控器电池", En: "remote control battery"}}})
	p.Index()
	mine := Embedded().ForPolicy(&p)
	check("the operator's service-mode", say(mine, "service-mode"), [2]string{
		"提供上门维修的产品：55英寸智能电视、65英寸智能电视、10公斤滚筒洗衣机、450升对开门冰箱、激光打印机、商务投影仪和空调。" +
			"需要寄修或送到服务网点维修的产品：回音壁音响、无线降噪耳机、空气净化器、扫地机器人、智能电饭煲和厨下净水器。",
		"We repair these on site: 55-inch smart TV, 65-inch smart TV, 10 kg front-load washing machine, 450 L side-by-side refrigerator, laser printer, business projector and air conditioner. " +
			"These are repaired by mail-in or drop-off at a service point: soundbar, wireless noise-cancelling headphones, air purifier, robot vacuum cleaner, smart rice cooker and under-sink water purifier.",
	})
	check("the operator's installation", say(mine, "installation"), [2]string{
		"免费上门安装调试的产品：55英寸智能电视、65英寸智能电视、厨下净水器、10公斤滚筒洗衣机、450升对开门冰箱、商务投影仪和空调。需要付费安装的产品：无。",
		"Installed and set up on site for free: 55-inch smart TV, 65-inch smart TV, under-sink water purifier, 10 kg front-load washing machine, 450 L side-by-side refrigerator, business projector and air conditioner. Installed for a fee: none.",
	})
	check("the operator's consumables", say(mine, "consumables"), [2]string{
		"各产品的耗材：55英寸智能电视、65英寸智能电视、回音壁音响和空调的遥控器电池；无线降噪耳机的耳罩和电池；",
		"The consumables are: remote control battery (55-inch smart TV, 65-inch smart TV, soundbar and air conditioner); ear cushions and battery",
	})
	for _, a := range say(mine, "consumables") {
		if strings.Contains(a, "密封圈") || strings.Contains(a, "sealing ring") || strings.Contains(a, "复合机") || strings.Contains(a, "copier") {
			t.Errorf("consumables still name what the catalog dropped: %q", a)
		}
	}
}

// TestListsInEachLanguage: a list reads as the language writes one; an
// English name loses its capital inside a sentence unless its first word is
// an abbreviation.
func TestListsInEachLanguage(t *testing.T) {
	for _, tc := range []struct {
		items  []string
		zh, en string
	}{
		{nil, "无", "none"},
		{[]string{"TV"}, "TV", "TV"},
		{[]string{"TV", "Air conditioner"}, "TV和Air conditioner", "TV and air conditioner"},
		{[]string{"TV", "Air conditioner", "Water purifier"}, "TV、Air conditioner和Water purifier", "TV, air conditioner and water purifier"},
		{[]string{"HEPA filter", "55-inch smart TV", "HEPA filter"}, "HEPA filter和55-inch smart TV", "HEPA filter and 55-inch smart TV"},
	} {
		if got := list("zh", tc.items); got != tc.zh {
			t.Errorf("zh %q = %q, want %q", tc.items, got, tc.zh)
		}
		if got := list("en", tc.items); got != tc.en {
			t.Errorf("en %q = %q, want %q", tc.items, got, tc.en)
		}
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
