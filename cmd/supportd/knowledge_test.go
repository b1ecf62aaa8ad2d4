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
// days, as the return flow allows.
func TestKnowledgeStatesTheConfiguredPolicy(t *testing.T) {
	dir := t.TempDir()
	demo := string(config.Default())
	for _, kv := range [][2]string{{"exchange_days: 15", "exchange_days: 30"}, {"inspection: 50, labour: 120", "inspection: 80, labour: 150"}} {
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

	os.WriteFile(filepath.Join(dir, "kb.yaml"), []byte(strings.Replace(kbYAML, "{exchange_day}", "{exchange_days}", 1)), 0o600)
	code, out, errOut = cliIn(t, []string{"can I exchange it"}, "chat", "--config", cfgPath, "--data", filepath.Join(dir, "data"), "--lang", "en")
	if want := "You can exchange it within 15 days."; code != 0 || !strings.Contains(out, want) {
		t.Errorf("chat: exit %d, %q %q; want %q", code, out, errOut, want)
	}
}
