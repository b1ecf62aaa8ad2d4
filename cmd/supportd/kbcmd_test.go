package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// kb ask says what the knowledge base answers, with the answer's text, or
// why it answers nothing; it reads the configured knowledge base.
func TestKBAsk(t *testing.T) {
	code, out, errOut := cli(t, "kb", "ask", "how long is the warranty", "do you sell gift cards?", "我的电视坏了")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"\"how long is the warranty\"\n  answer: warranty-period (1.00, closest phrasing \"how long is the warranty\")\n  The warranty runs from the purchase date",
		"\"do you sell gift cards?\"\n  no answer: it shares one word with the closest phrasing and says \"gift\", which no phrasing has",
		"  closest: proof-of-purchase 0.50 (\"do I need the warranty card\")",
		"\"我的电视坏了\"\n  no answer: it reads as a request or a fault report",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	// The configured knowledge base, with an entry of its own.
	dir := t.TempDir()
	_, cfg, _ := cli(t, "config", "default")
	_, know, _ := cli(t, "config", "default", "--knowledge")
	know = strings.Replace(know, "\nfaq:\n", `
faq:
  - id: gift-cards
    questions:
      zh: [你们卖礼品卡吗]
      en: [do you sell gift cards]
    answer:
      zh: 礼品卡在门店有售。
      en: Gift cards are sold in our shops.
`, 1)
	os.WriteFile(filepath.Join(dir, "knowledge.yaml"), []byte(know), 0o600)
	os.WriteFile(filepath.Join(dir, "supportd.yaml"), []byte(strings.Replace(cfg, "  # knowledge: knowledge.yaml ", "  knowledge: knowledge.yaml ", 1)), 0o600)
	code, out, errOut = cli(t, "kb", "ask", "--config", filepath.Join(dir, "supportd.yaml"), "do you sell gift cards?")
	if code != 0 || !strings.Contains(out, "answer: gift-cards") || !strings.Contains(out, "Gift cards are sold in our shops.") {
		t.Errorf("with the configured knowledge base: exit %d\n%s%s", code, out, errOut)
	}
}

// kb test runs a file of questions: each that does not get its entry is
// printed with its line and why, then the tally; exit 1 unless all do.
func TestKBTest(t *testing.T) {
	dir := t.TempDir()
	file := func(name, text string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(text), 0o600)
		return p
	}
	good := file("good.yaml", `# questions customers asked last month
- text: 电视保修几年
  want: warranty-period
- text: do you sell gift cards?
  want: none
- {text: "what are your opening hours?", want: opening-hours, lang: en}
`)
	code, out, errOut := cli(t, "kb", "test", good)
	if code != 0 || out != "3 questions: 3 right, 0 answered wrongly, 0 not answered\n" {
		t.Errorf("all right: exit %d, %q %s", code, out, errOut)
	}

	bad := file("bad.yaml", `- text: 电视保修几年
  want: warranty-period
- text: do you sell gift cards?
  want: proof-of-purchase
- text: how long is the warranty
  want: none
`)
	code, out, errOut = cli(t, "kb", "test", bad)
	for _, want := range []string{
		`none   ` + bad + `:3 "do you sell gift cards?": no answer, want proof-of-purchase: it shares one word`,
		`wrong  ` + bad + `:5 "how long is the warranty": answered warranty-period, want none`,
		"3 questions: 1 right, 1 answered wrongly, 1 not answered\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if code != 1 || !strings.Contains(errOut, "2 of 3 questions did not get the entry they want") {
		t.Errorf("misses: exit %d, %q", code, errOut)
	}
}

func TestKBBadInput(t *testing.T) {
	dir := t.TempDir()
	file := func(name, text string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(text), 0o600)
		return p
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"kb"}, 2, "want 'kb ask QUESTION...' or 'kb test FILE'"},
		{[]string{"kb", "ask"}, 2, "give the questions as arguments"},
		{[]string{"kb", "ask", "--lang", "fr", "hi"}, 2, `--lang "fr": want zh or en`},
		{[]string{"kb", "test"}, 2, "missing argument"},
		{[]string{"kb", "test", filepath.Join(dir, "none.yaml")}, 1, "read questions"},
		{[]string{"kb", "test", file("map.yaml", "text: hi\n")}, 1, "want a list of questions"},
		{[]string{"kb", "test", file("syntax.yaml", "- text: [hi\n")}, 1, "syntax.yaml"},
		{[]string{"kb", "test", file("empty.yaml", "[]\n")}, 1, "no questions"},
		{[]string{"kb", "test", file("keys.yaml", "- text: hi\n  wnat: none\n- want: none\n- text: hi\n  want: warranty\n- text: hi\n  want: none\n  lang: fr\n")}, 1,
			"keys.yaml:\n  [0]: unknown key \"wnat\": the keys are text, want and lang (" + filepath.Join(dir, "keys.yaml") + ":1)\n" +
				"  [1].text: required (" + filepath.Join(dir, "keys.yaml") + ":3)\n" +
				"  [2].want: \"warranty\" is no entry of the embedded knowledge base (" + filepath.Join(dir, "keys.yaml") + ":4)\n" +
				"  [3].lang: \"fr\": want zh or en (" + filepath.Join(dir, "keys.yaml") + ":6)\n" +
				"  (to test your own knowledge base, give the configuration that names it: --config FILE)"},
	} {
		code, _, errOut := cli(t, c.args...)
		if code != c.code || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d %q, want %d containing %q", c.args, code, errOut, c.code, c.want)
		}
	}
}

// kb test names the knowledge base a wanted entry is missing from: the
// configured file, or the embedded one with how to test one's own.
func TestKBTestNamesTheKnowledgeBase(t *testing.T) {
	dir := t.TempDir()
	_, cfg, _ := cli(t, "config", "default")
	_, know, _ := cli(t, "config", "default", "--knowledge")
	os.WriteFile(filepath.Join(dir, "knowledge.yaml"), []byte(know), 0o600)
	os.WriteFile(filepath.Join(dir, "supportd.yaml"), []byte(strings.Replace(cfg, "  # knowledge: knowledge.yaml ", "  knowledge: knowledge.yaml ", 1)), 0o600)
	qs := filepath.Join(dir, "questions.yaml")
	os.WriteFile(qs, []byte("- {text: do you sell gift cards, want: gift-cards}\n"), 0o600)

	code, _, errOut := cli(t, "kb", "test", qs)
	if code != 1 || !strings.Contains(errOut, `"gift-cards" is no entry of the embedded knowledge base`) || !strings.Contains(errOut, "--config FILE") {
		t.Errorf("without --config: exit %d %q", code, errOut)
	}
	code, _, errOut = cli(t, "kb", "test", qs, "--config", filepath.Join(dir, "supportd.yaml"))
	if want := `"gift-cards" is no entry of ` + filepath.Join(dir, "knowledge.yaml"); code != 1 || !strings.Contains(errOut, want) || strings.Contains(errOut, "--config FILE") {
		t.Errorf("with --config: exit %d %q, want %q", code, errOut, want)
	}
}
