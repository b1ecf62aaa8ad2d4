package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/supportd/supportd/config"
)

// The embedded knowledge base states the configured policy, not the demo's
// numbers: with exchange_days: 30 the bot's answer about exchanges says 30
// days, as the return flow allows; with the laser printer repaired on site
// and installed for a fee, and another consumable for the rice cooker, the
// answers about service, installation and consumables say so.
func TestKnowledgeStatesTheConfiguredPolicy(t *testing.T) {
	dir := t.TempDir()
	demo := string(config.Default())
	for _, kv := range [][2]string{{"exchange_days: 15", "exchange_days: 30"}, {"inspection: 50, labour: 120", "inspection: 80, labour: 150"},
		{"      onsite: false\n      installation: none", "      onsite: true\n      installation: paid"},
		{"consumables: [{zh: 密封圈, en: sealing ring}]", "consumables: [{zh: 内胆, en: inner pot}]"}} {
		if !strings.Contains(demo, kv[0]) {
			t.Fatalf("the embedded configuration has no %q", kv[0])
		}
		demo = strings.Replace(demo, kv[0], kv[1], 1)
	}
	cfgPath := filepath.Join(dir, "supportd.yaml")
	if err := os.WriteFile(cfgPath, []byte(demo), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		lang, question string
		want           []string
	}{
		{"en", "can I exchange a product", []string{"Within 30 days of purchase, a performance fault confirmed by inspection entitles you to an exchange or a repair (within 7 days you may also choose a return)"}},
		{"zh", "可以换货吗", []string{"自购买之日起 30 天内，产品出现性能故障、经检测确认的，可以换货或维修（7 天内还可以选择退货）"}},
		{"zh", "退货政策是什么", []string{"30 天内可以换货或维修", "超过 30 天按保修维修处理"}},
		{"en", "how much is the inspection fee", []string{"an inspection fee of 80 CNY plus 150 CNY labour, 230 CNY in total"}},
		{"en", "do you offer on-site repair", []string{"We repair these on site: under-sink water purifier, 10 kg front-load washing machine, 450 L side-by-side refrigerator, laser printer, business projector and multifunction copier.",
			"service point: 55-inch smart TV, 65-inch smart TV, soundbar, wireless noise-cancelling headphones, air purifier, robot vacuum cleaner and smart rice cooker."}},
		{"zh", "安装收费吗", []string{"需要付费安装的产品：55英寸智能电视、65英寸智能电视和激光打印机。", "不需要专业安装的产品：回音壁音响、无线降噪耳机、空气净化器、扫地机器人和智能电饭煲。"}},
		{"en", "which parts are consumables", []string{"inner pot (smart rice cooker)"}},
	} {
		code, out, errOut := cliIn(t, []string{c.question}, "chat", "--config", cfgPath, "--data", filepath.Join(dir, "data"), "--lang", c.lang, "--user", c.lang+c.question)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", c.question, code, errOut)
		}
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: the answer lacks %q:\n%s", c.question, w, out)
			}
		}
		if strings.Contains(out, "{") {
			t.Errorf("%s: a placeholder reached the customer:\n%s", c.question, out)
		}
		if strings.Contains(out, "sealing ring") {
			t.Errorf("%s: the answer names a consumable the catalog no longer has:\n%s", c.question, out)
		}
	}
}

// An operator's knowledge base may use the placeholders; one that is not
// known is refused with its file and line, before serving.
func TestKnowledgePlaceholders(t *testing.T) {
	dir := t.TempDir()
	kbYAML := "faq:\n  - id: exchange\n    questions: {zh: [可以换货吗], en: [can I exchange it]}\n" +
		"    answer:\n      zh: \"{exchange_days}内可以换货。\"\n      en: \"You can exchange it within {exchange_day}.\"\n"
	os.WriteFile(filepath.Join(dir, "kb.yaml"), []byte(kbYAML), 0o600)
	cfgPath := filepath.Join(dir, "supportd.yaml")
	os.WriteFile(cfgPath, []byte("dialog:\n  knowledge: kb.yaml\n"), 0o600)
	code, out, errOut := cli(t, "check-config", cfgPath)
	want := "dialog.knowledge: faq[0].answer.en: unknown placeholder {exchange_day} (did you mean {exchange_days}?) (kb.yaml:6)"
	if code != 1 || !strings.Contains(errOut, want) || strings.Contains(out, "is valid") {
		t.Errorf("exit %d, stdout %q, stderr %q; want 1 and %q", code, out, errOut, want)
	}

	os.WriteFile(filepath.Join(dir, "kb.yaml"), []byte(strings.Replace(kbYAML, "{exchange_day}", "{mailin_product}", 1)), 0o600)
	code, out, errOut = cli(t, "check-config", cfgPath)
	want = "dialog.knowledge: faq[0].answer.en: unknown placeholder {mailin_product} (did you mean {mailin_products}?) (kb.yaml:6)"
	if code != 1 || !strings.Contains(errOut, want) || strings.Contains(out, "is valid") {
		t.Errorf("exit %d, stdout %q, stderr %q; want 1 and %q", code, out, errOut, want)
	}

	os.WriteFile(filepath.Join(dir, "kb.yaml"), []byte(strings.Replace(kbYAML, "within {exchange_day}", "within {exchange_days}, or send in the {mailin_products}", 1)), 0o600)
	code, out, errOut = cliIn(t, []string{"can I exchange it"}, "chat", "--config", cfgPath, "--data", filepath.Join(dir, "data"), "--lang", "en")
	if want := "You can exchange it within 15 days, or send in the 55-inch smart TV, 65-inch smart TV, soundbar, "; code != 0 || !strings.Contains(out, want) {
		t.Errorf("chat: exit %d, %q %q; want %q", code, out, errOut, want)
	}
}
