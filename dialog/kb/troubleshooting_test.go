package kb

import (
	"errors"
	"slices"
	"testing"

	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/policy"
)

// A troubleshooting key that is neither a policy category nor a model of its
// catalog is reported with its line and the category or model meant; the
// categories and models the policy has pass, a model in any spelling the
// catalog accepts.
func TestCheckTroubleshooting(t *testing.T) {
	src := valid + `troubleshooting:
  wearables:
    - {zh: 充电, en: Charge it.}
  wearable:
    - {zh: 重启, en: Restart it.}
  phone:
    - {zh: 重启, en: Restart it.}
  WB-100:
    - {zh: 充电, en: Charge it.}
  wb 200:
    - {zh: 充电, en: Charge it.}
  WB-300:
    - {zh: 充电, en: Charge it.}
`
	k, err := Load("kb.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	p := &policy.Policy{
		Categories: []policy.Category{{ID: "home-electronics"}, {ID: "wearables"}},
		Products:   []policy.Product{{Model: "WB-100", Category: "wearables"}, {Model: "WB-200", Category: "wearables"}},
	}
	err = k.CheckTroubleshooting(p)
	want := `troubleshooting.wearable: neither a category nor a model of the policy (did you mean "wearables"?): its steps would never be offered (kb.yaml:12)` + "\n" +
		`troubleshooting.phone: neither a category nor a model of the policy (categories: home-electronics, wearables; models: WB-100, WB-200): its steps would never be offered (kb.yaml:14)` + "\n" +
		`troubleshooting.WB-300: neither a category nor a model of the policy (did you mean "WB-100" or "WB-200"?): its steps would never be offered (kb.yaml:20)`
	if err == nil || err.Error() != want || !errors.Is(err, ErrInvalid) {
		t.Fatalf("err =\n%v\nwant\n%s", err, want)
	}
	p.Categories = append(p.Categories, policy.Category{ID: "wearable"}, policy.Category{ID: "phone"})
	p.Products = append(p.Products, policy.Product{Model: "wb300", Category: "phone"})
	if err := k.CheckTroubleshooting(p); err != nil {
		t.Errorf("every key a category or a model: %v", err)
	}
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	if err := Default().CheckTroubleshooting(&cfg.Policy); err != nil {
		t.Errorf("the embedded knowledge base against the demo policy: %v", err)
	}
}

// Steps keyed by a model replace its category's for that model, found in
// any spelling of the model; the other products of the category get the
// category's steps.
func TestTroubleshootingByModel(t *testing.T) {
	k, err := Load("kb.yaml", []byte(valid+`troubleshooting:
  small-appliances:
    - {zh: 插好电源。, en: Plug it in.}
  WP-8:
    - {zh: 关闭进水阀。, en: Close the inlet valve.}
    - {zh: 拧紧接头。, en: Tighten the fittings.}
`))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		model, category string
		want            []string
	}{
		{"WP-8", "small-appliances", []string{"Close the inlet valve.", "Tighten the fittings."}},
		{"wp 8", "small-appliances", []string{"Close the inlet valve.", "Tighten the fittings."}},
		{"AP-300", "small-appliances", []string{"Plug it in."}},
		{"", "small-appliances", []string{"Plug it in."}},
		{"WP-8", "", []string{"Close the inlet valve.", "Tighten the fittings."}},
		{"AP-300", "office-equipment", nil},
	} {
		got := k.Troubleshooting(c.model, c.category)
		var texts []string
		for _, s := range got {
			texts = append(texts, s.Text("en"))
		}
		if !slices.Equal(texts, c.want) {
			t.Errorf("Troubleshooting(%q, %q) = %q, want %q", c.model, c.category, texts, c.want)
		}
	}
	if got := k.Troubleshooting("WP-8", "small-appliances")[0].Text("zh"); got != "关闭进水阀。" {
		t.Errorf("zh step %q", got)
	}
}

// A step with when is offered for the symptoms it names, in either
// language, with every step without when; a description naming none of them
// gets every step. Words written with spaces match at a word's start.
func TestStepsForFault(t *testing.T) {
	k, err := Load("kb.yaml", []byte(valid+`troubleshooting:
  WM-100:
    - {zh: 插好电源。, en: Plug it in., when: {zh: [不开机], en: [won't start, dead]}}
    - {zh: 拧紧进水管。, en: Tighten the inlet hose., when: {zh: [漏水], en: [leak, puddle]}}
    - {zh: 清理过滤器。, en: Clean the filter., when: {zh: [不排水], en: [drain]}}
    - {zh: 告诉我故障代码。, en: Tell me the error code.}
`))
	if err != nil {
		t.Fatal(err)
	}
	all := []string{"Plug it in.", "Tighten the inlet hose.", "Clean the filter.", "Tell me the error code."}
	for _, c := range []struct {
		fault string
		want  []string
	}{
		{"it's leaking water from the bottom", []string{"Tighten the inlet hose.", "Tell me the error code."}},
		{"洗衣机漏水了", []string{"Tighten the inlet hose.", "Tell me the error code."}},
		{"there's a PUDDLE under it", []string{"Tighten the inlet hose.", "Tell me the error code."}},
		{"它不排水，还漏水", []string{"Tighten the inlet hose.", "Clean the filter.", "Tell me the error code."}},
		{"It WON’T start", []string{"Plug it in.", "Tell me the error code."}},
		{"it doesn't work", all},
		{"", all},
		{"it is undrainable", all}, // not at a word's start
	} {
		var got []string
		for _, s := range k.StepsFor("WM-100", "major-appliances", c.fault) {
			got = append(got, s.Text("en"))
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("StepsFor(%q) = %q, want %q", c.fault, got, c.want)
		}
	}
	if n := len(k.Troubleshooting("WM-100", "")); n != 4 {
		t.Errorf("Troubleshooting gives %d steps, want all 4", n)
	}
}
