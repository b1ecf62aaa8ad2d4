package kb

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/supportd/supportd/config"
)

// TestDefaultContent: the embedded knowledge base is complete enough for the
// demo company.
func TestDefaultContent(t *testing.T) {
	kb := Default()
	es := kb.Entries()
	if len(es) < 30 {
		t.Errorf("%d FAQ entries, want at least 30", len(es))
	}
	for _, e := range es {
		if len(e.Questions.ZH) < 4 || len(e.Questions.EN) < 4 {
			t.Errorf("%s: %d zh and %d en phrasings, want at least 4 each", e.ID, len(e.Questions.ZH), len(e.Questions.EN))
		}
		if e.Text("zh") == "" || e.Text("en") == "" || e.Text("zh") == e.Text("en") {
			t.Errorf("%s: answers %q / %q", e.ID, e.Text("zh"), e.Text("en"))
		}
		for _, a := range []string{e.Answer.ZH, e.Answer.EN} {
			if strings.ContainsAny(a, "<>*#`") || strings.Contains(a, "\n") {
				t.Errorf("%s: answer is not plain text on one line: %q", e.ID, a)
			}
		}
		if spaceBetweenCJK(e.Answer.ZH) {
			t.Errorf("%s: a space between two Chinese characters (a folded YAML line?): %q", e.ID, e.Answer.ZH)
		}
	}
	for _, key := range kb.TroubleshootingKeys() {
		steps := kb.troubleshooting[key]
		if len(steps) < 3 || len(steps) > 5 {
			t.Errorf("%s: %d troubleshooting steps, want 3-5", key, len(steps))
		}
		for i, s := range steps {
			if s.Text("zh") == "" || s.Text("en") == "" {
				t.Errorf("%s[%d]: step %+v", key, i, s)
			}
		}
	}
}

// TestDefaultMatchesDemoPolicy: filled with the demo policy
// (config/default.yaml), the answers state its numbers, and there are
// troubleshooting steps for each of its categories, and for some of its
// models.
func TestDefaultMatchesDemoPolicy(t *testing.T) {
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	p := cfg.Policy
	kb := Default()

	for _, c := range p.Categories {
		if len(kb.Troubleshooting("", c.ID)) == 0 {
			t.Errorf("no troubleshooting steps for the category %s", c.ID)
		}
	}
	if err := kb.CheckTroubleshooting(&p); err != nil {
		t.Errorf("troubleshooting keys: %v", err)
	}

	years := func(m int) (string, string) { return fmt.Sprintf("%d 年", m/12), fmt.Sprintf("%d year", m/12) }
	fees := p.Warranty.OutOfWarrantyFees
	want := map[string][]string{ // entry → numbers both answers must state
		"return-policy":           {fmt.Sprint(p.Returns.ReturnDays), fmt.Sprint(p.Returns.ExchangeDays)},
		"exchange-policy":         {fmt.Sprint(p.Returns.ReturnDays), fmt.Sprint(p.Returns.ExchangeDays)},
		"replaced-parts-warranty": {fmt.Sprint(p.Warranty.ReplacedPartsDays)},
		"out-of-warranty-fees":    {fees.Inspection.String(), fees.Labour.String(), (fees.Inspection + fees.Labour).String()},
		"repair-quote":            {fmt.Sprint(p.Warranty.QuoteValidDays)},
		"repair-time":             {fmt.Sprint(p.SLA.Repair)},
		"return-inspection":       {fmt.Sprint(p.SLA.Inspection)},
		"onsite-response-time":    {fmt.Sprint(p.SLA.OnsiteVisit.Default), fmt.Sprint(p.SLA.OnsiteVisit.Regions["shanghai"]), fmt.Sprint(p.SLA.OnsiteVisit.Regions["beijing"])},
		"complaint":               {fmt.Sprint(p.SLA.ComplaintAnswer), fmt.Sprint(p.SLA.ComplaintResolution)},
		"response-time":           {fmt.Sprint(p.SLA.FirstResponse)},
		"opening-hours":           {strings.TrimPrefix(p.Calendar.Hours.Start, "0"), p.Calendar.Hours.End},
	}
	for id, nums := range want {
		e, ok := kb.Entry(id)
		if !ok {
			t.Errorf("no entry %s", id)
			continue
		}
		for _, n := range nums {
			for _, a := range []string{e.Answer.ZH, e.Answer.EN} {
				if !strings.Contains(a, n) {
					t.Errorf("%s: %q does not state %s", id, a, n)
				}
			}
		}
	}
	period, _ := kb.Entry("warranty-period")
	for _, c := range p.Categories {
		zh, en := years(c.WarrantyMonths)
		if !strings.Contains(period.Answer.ZH, zh) || !strings.Contains(period.Answer.EN, en) {
			t.Errorf("warranty-period does not state %s (%s) for %s", zh, en, c.ID)
		}
	}
}

func TestText(t *testing.T) {
	s := Step{ZH: "重启", EN: "Restart"}
	e := &Entry{Answer: Bilingual{ZH: "一年", EN: "One year"}}
	for _, c := range []struct{ lang, step, answer string }{
		{"zh", "重启", "一年"},
		{"zh-CN", "重启", "一年"},
		{"ZH_hans", "重启", "一年"},
		{"en", "Restart", "One year"},
		{"en-GB", "Restart", "One year"},
		{"", "Restart", "One year"},
		{"zhx", "Restart", "One year"},
	} {
		if got := s.Text(c.lang); got != c.step {
			t.Errorf("Step.Text(%q) = %q, want %q", c.lang, got, c.step)
		}
		if got := e.Text(c.lang); got != c.answer {
			t.Errorf("Entry.Text(%q) = %q, want %q", c.lang, got, c.answer)
		}
	}
}

func TestAccessorsReturnCopies(t *testing.T) {
	kb := Default()
	es := kb.Entries()
	es[0] = nil
	if kb.Entries()[0] == nil {
		t.Error("Entries shares its slice")
	}
	for _, model := range []string{"", "WP-8"} {
		steps := kb.Troubleshooting(model, "small-appliances")
		steps[0].ZH = "x"
		if kb.Troubleshooting(model, "small-appliances")[0].ZH == "x" {
			t.Errorf("Troubleshooting(%q) shares its slice", model)
		}
	}
	if kb.Troubleshooting("XX-1", "no-such-category") != nil {
		t.Error("Troubleshooting of an unknown model and category is not nil")
	}
	if _, ok := kb.Entry("no-such-entry"); ok {
		t.Error("Entry found an unknown id")
	}
}

// TestConcurrentUse runs searches from many goroutines (meaningful under
// -race) and checks that they agree with a sequential run.
func TestConcurrentUse(t *testing.T) {
	kb := Default()
	queries := []string{"保修期多久", "how long is the warranty", "TV保修多久", "我要退货", "asdf", ""}
	want := make([]string, len(queries))
	for i, q := range queries {
		want[i] = top(kb.Search(q, "zh"), 3)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				k := (g + i) % len(queries)
				if got := top(kb.Search(queries[k], "zh"), 3); got != want[k] {
					t.Errorf("Search(%q) = %s, want %s", queries[k], got, want[k])
					return
				}
				kb.Answer(queries[k], "en")
			}
		})
	}
	wg.Wait()
}

func spaceBetweenCJK(s string) bool {
	rs := []rune(s)
	for i := 1; i+1 < len(rs); i++ {
		if rs[i] == ' ' && cjkOrPunct(rs[i-1]) && cjkOrPunct(rs[i+1]) {
			return true
		}
	}
	return false
}

func cjkOrPunct(r rune) bool {
	return isCJK(r) || (r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF)
}

// TestDefaultTroubleshooting: with the demo policy, a category's steps name
// none of its products (each category has several: a step for one of them
// belongs under its model), and the models with steps of their own get
// steps for that product: the water purifier's leak, the robot vacuum's dock
// and brushes.
func TestDefaultTroubleshooting(t *testing.T) {
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	kb := Default()
	// The product names of the demo catalog, as the synonyms write them.
	products := []string{"tv", "soundbar", "headphones", "airpurifier", "robotvacuum", "ricecooker",
		"waterpurifier", "washer", "fridge", "printer", "projector", "copier"}
	for _, c := range cfg.Policy.Categories {
		for i, s := range kb.Troubleshooting("", c.ID) {
			for _, text := range []string{s.ZH, s.EN} {
				words := strings.Fields(kb.idx.rep.apply(normalize(text)))
				for _, p := range products {
					if slices.Contains(words, p) {
						t.Errorf("%s[%d] names a product (%s): %q", c.ID, i, p, text)
					}
				}
			}
		}
	}
	for _, c := range []struct {
		model    string
		want     []string // in the steps, zh and en
		category string   // whose steps the model's replace
	}{
		{"WP-8", []string{"进水阀", "inlet valve", "接头", "fitting", "滤瓶", "filter housings"}, "small-appliances"},
		{"VC-20", []string{"充电座", "dock", "边刷", "side brush", "主刷", "main brush"}, "small-appliances"},
		{"WM-100", []string{"排水过滤器", "drain filter"}, "major-appliances"},
		{"RF-450", []string{"不制冷", "isn't cooling"}, "major-appliances"},
		{"HP-30", []string{"蓝牙", "Bluetooth", "30 分钟", "30 minutes"}, "home-electronics"},
		{"PJ-700", []string{"灯泡", "lamp", "信号源", "input source"}, "office-equipment"},
	} {
		terms, err := cfg.Policy.TermsOf(c.model)
		if err != nil || terms.Category.ID != c.category {
			t.Fatalf("%s: terms %+v, %v", c.model, terms.Category, err)
		}
		var all string
		for _, s := range kb.Troubleshooting(c.model, c.category) {
			all += s.ZH + "\n" + s.EN + "\n"
		}
		for _, w := range c.want {
			if !strings.Contains(all, w) {
				t.Errorf("%s: the steps do not mention %q:\n%s", c.model, w, all)
			}
		}
		if slices.EqualFunc(kb.Troubleshooting(c.model, c.category), kb.Troubleshooting("", c.category), func(a, b Step) bool { return a.ZH == b.ZH && a.EN == b.EN }) {
			t.Errorf("%s gets its category's steps", c.model)
		}
	}
	// The other products of a category get its steps, which speak of no
	// dock or inlet valve.
	for _, s := range kb.Troubleshooting("AP-300", "small-appliances") {
		if strings.Contains(s.EN, "dock") || strings.Contains(s.EN, "inlet valve") || strings.Contains(s.ZH, "充电座") {
			t.Errorf("AP-300 step %q", s.EN)
		}
	}
}

// TestInstallationAnswers: questions about the installation visit (how long
// it takes, who installs, what to prepare, what the process is) get answers
// about that, which speak of installing (the dialog takes no other answer to
// a question about installing), not the booking steps or the fees.
func TestInstallationAnswers(t *testing.T) {
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	first := fmt.Sprint(cfg.Policy.SLA.FirstResponse)
	kb := Default()
	for _, c := range []struct {
		id        string
		questions []string
		zh, en    []string // what the answers say
	}{
		{"installation-duration",
			[]string{"安装大概要几个小时", "安装要多长时间", "安装要多久", "how long does the installation take", "how long will the install take"},
			[]string{"一次上门", "小时", first + " 个工作日内", "安装"}, []string{"single visit", "an hour or two", first + " working day", "installed"}},
		{"installation-who",
			[]string{"安装是谁来装", "谁来安装", "who does the installation", "who installs it"},
			[]string{"我们自己的技术人员", "授权的服务商", "安装"}, []string{"our own technicians", "service partner we have authorised", "installed"}},
		{"installation-preparation",
			[]string{"安装前需要准备什么", "安装之前我要准备什么", "what should I prepare before installation", "what do I need to have ready for the installer"},
			[]string{"插座", "进水口", "排水", "墙面", "空间", "安装"}, []string{"socket", "water supply", "drain", "wall", "space", "install"}},
		{"installation-presence",
			[]string{"需要我在家吗", "安装时家里要有人吗", "我不在家能装吗", "do I need to be home?", "do I have to be home for the installation", "does an adult have to be there"},
			[]string{"成年人", "开门", "安装"}, []string{"An adult", "let them in", "installation"}},
		{"installation-process",
			[]string{"安装流程是怎样的", "我想了解一下WM-100的安装流程", "洗衣机的安装流程是怎样的", "安装要经过哪些步骤", "安装的过程", "WM-100安装步骤是什么",
				"what's the installation process for the WM-100?", "how does installation work", "what are the installation steps"},
			[]string{"预约", first + " 个工作日内", "操作规程", "安装质量", "基本使用方法", "1 到 5 分", "安装"},
			[]string{"the address", first + " working day", "installation procedure", "done properly", "basics of using it", "from 1 to 5", "install"}},
	} {
		e, ok := kb.Entry(c.id)
		if !ok {
			t.Errorf("no entry %s", c.id)
			continue
		}
		for _, q := range c.questions {
			if got, ok := kb.Answer(q, "zh"); !ok || got.ID != c.id {
				t.Errorf("Answer(%q) = %s, want %s; top: %s", q, idOf(got, ok), c.id, top(kb.Search(q, "zh"), 3))
			}
		}
		for _, w := range c.zh {
			if !strings.Contains(e.Text("zh"), w) {
				t.Errorf("%s: the zh answer does not say %q: %s", c.id, w, e.Text("zh"))
			}
		}
		for _, w := range c.en {
			if !strings.Contains(e.Text("en"), w) {
				t.Errorf("%s: the en answer does not say %q: %s", c.id, w, e.Text("en"))
			}
		}
	}
}
