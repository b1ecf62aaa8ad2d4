package kb

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// valid is a minimal knowledge base; the cases below break it.
const valid = `faq:
  - id: warranty
    questions:
      zh: [保修多久]
      en: [how long is the warranty]
    answer:
      zh: 一年。
      en: One year.
`

func TestLoadErrors(t *testing.T) {
	for _, c := range []struct {
		name, src string
		want      []string // the problems, in order
	}{
		{"empty file", "", []string{
			"the knowledge base is empty: it needs at least a faq list",
		}},
		{"not YAML", "faq: [\n", []string{
			"not valid YAML: did not find expected node content (kb.yaml:1)",
		}},
		{"not a mapping", "- a\n- b\n", []string{
			"must be a mapping with faq, troubleshooting and synonyms (kb.yaml:1)",
		}},
		{"no faq", "synonyms: {}\n", []string{
			"faq: required: the list of questions and answers (kb.yaml:1)",
		}},
		{"faq not a list", "faq: {id: a}\n", []string{
			"faq: must be a list of entries (kb.yaml:1)",
		}},
		{"unknown top-level key", valid + "faqs: []\n", []string{
			`faqs: unknown key (did you mean "faq"?) (kb.yaml:9)`,
		}},
		{"answer without en", strings.Replace(valid, "      en: One year.\n", "", 1), []string{
			"faq[0].answer.en: required (kb.yaml:6)",
		}},
		{"empty answer", strings.Replace(valid, "en: One year.", `en: ""`, 1), []string{
			"faq[0].answer.en: required (kb.yaml:8)",
		}},
		{"no answer, misspelt questions", `faq:
  - id: a
    question:
      zh: [保修多久]
`, []string{
			"faq[0].questions: required: phrasings in zh and en (kb.yaml:2)",
			"faq[0].answer: required: a text in zh and en (kb.yaml:2)",
			`faq[0].question: unknown key (did you mean "questions"?) (kb.yaml:3)`,
		}},
		{"no en questions", strings.Replace(valid, "      en: [how long is the warranty]\n", "", 1), []string{
			"faq[0].questions.en: required (kb.yaml:3)",
		}},
		{"empty list of questions", strings.Replace(valid, "[how long is the warranty]", "[]", 1), []string{
			"faq[0].questions.en: must have at least one phrasing (kb.yaml:5)",
		}},
		{"empty and stop-word phrasings", strings.Replace(valid, "[保修多久]", "[保修多久, '', 请问]", 1), []string{
			"faq[0].questions.zh[1]: empty phrasing (kb.yaml:4)",
			`faq[0].questions.zh[2]: has no searchable words (only punctuation or words like "the", "请问") (kb.yaml:4)`,
		}},
		{"phrasing not a text", strings.Replace(valid, "[保修多久]", "[{a: b}]", 1), []string{
			"faq[0].questions.zh[0]: must be a text (kb.yaml:4)",
		}},
		{"unknown language", strings.Replace(valid, "en: One year.", "en: One year.\n      fr: Un an.", 1), []string{
			"faq[0].answer.fr: unknown key (known keys: zh, en) (kb.yaml:9)",
		}},
		{"bad and duplicate ids", valid + `  - id: warranty
    questions: {zh: [保修期从哪天算], en: [when does the warranty start]}
    answer: {zh: 购买日。, en: The purchase date.}
  - id: Bad Id
    questions: {zh: [可以退货吗], en: [can I return it]}
    answer: {zh: 可以。, en: Yes.}
`, []string{
			`faq[1].id: duplicate id "warranty" (first at line 2) (kb.yaml:9)`,
			`faq[2].id: "Bad Id": use lower-case letters, digits, - and _ (kb.yaml:12)`,
		}},
		{"same words in two entries", valid + `  - id: period
    questions: {zh: [保修期多久], en: ['the warranty: how long?']}
    answer: {zh: 一年。, en: One year.}
`, []string{
			"faq[1].questions.en[0]: has the same words as faq[0].questions.en[0] (line 5) of another entry (kb.yaml:10)",
		}},
		{"duplicate key", strings.Replace(valid, "  - id: warranty\n", "  - id: warranty\n    id: other\n", 1), []string{
			"faq[0].id: duplicate key (first at line 2) (kb.yaml:3)",
		}},
		{"alias", valid + "  - *x\n", []string{
			"not valid YAML: unknown anchor 'x' referenced",
		}},
		{"anchor and alias", strings.Replace(valid, "  - id: warranty", "  - &x\n    id: warranty", 1) + "  - *x\n", []string{
			"faq[1]: aliases (*x) are not supported: write the value out (kb.yaml:10)",
		}},
		{"troubleshooting", valid + `troubleshooting:
  Home!: []
  tv:
  office-equipment:
    - {zh: 重启。}
    - 重启
  TV-55X:
    - {zh: 重启。, en: Restart it.}
  tv 55x:
    - {zh: 重启。, en: Restart it.}
  WM-100:
    - {zh: 关水。, en: Close the tap., when: {zh: [漏水]}}
    - {zh: 关水。, en: Close the tap., when: }
    - {zh: 关水。, en: Close the tap., when: {zh: [漏水], en: [leak], de: [Leck]}}
    - {zh: 关水。, en: Close the tap., if: {zh: [漏水], en: [leak]}}
    - {zh: 关水。, en: Close the tap., when: {zh: [""], en: leak}}
`, []string{
			`troubleshooting.Home!: "Home!": use a category id (lower-case letters, digits, - and _) or a model (letters, digits, -, _, . and spaces) (kb.yaml:10)`,
			"troubleshooting.Home!: must have at least one step (kb.yaml:10)",
			"troubleshooting.tv: must have at least one step (kb.yaml:11)",
			"troubleshooting.office-equipment[0].en: required (kb.yaml:13)",
			"troubleshooting.office-equipment[1]: must be a mapping with zh and en texts (and when) (kb.yaml:14)",
			"troubleshooting.tv 55x: the same model as TV-55X (line 15): models are compared without case, spaces, - _ and . (kb.yaml:17)",
			"troubleshooting.WM-100[0].when.en: required (kb.yaml:20)",
			"troubleshooting.WM-100[1].when: required: phrasings in zh and en (kb.yaml:21)",
			"troubleshooting.WM-100[2].when.de: unknown key (known keys: zh, en) (kb.yaml:22)",
			"troubleshooting.WM-100[3].if: unknown key (known keys: zh, en, when) (kb.yaml:23)",
			"troubleshooting.WM-100[4].when.zh[0]: empty phrasing (kb.yaml:24)",
			"troubleshooting.WM-100[4].when.en: must be a list of phrasings (kb.yaml:24)",
		}},
		{"synonyms", valid + `synonyms:
  zh:
    质保: 保修
    保修: 维保
    "？": 问
    包修: 包修
  de: {}
`, []string{
			`synonyms.zh.质保: the canonical form "保修" is itself replaced (at synonyms.zh.保修): map to "维保" (kb.yaml:11)`,
			"synonyms.zh.？: the phrase has no letters or digits (kb.yaml:13)",
			"synonyms.zh.包修: maps to itself (kb.yaml:14)",
			"synonyms.de: unknown key (known keys: zh, en) (kb.yaml:15)",
		}},
		{"placeholders", strings.Replace(strings.Replace(valid, "一年。", "'{exchange_day}内，{return_days}内，{onsite:shanghai}。'", 1),
			"One year.", "'{Return Days}, {return_day}, {quote:x}, {}'", 1) + `troubleshooting:
  home-electronics:
    - {zh: "等 {sla_repair}。", en: "Wait {sla_repairs}."}
`, []string{
			"faq[0].answer.zh: unknown placeholder {exchange_day} (did you mean {exchange_days}?) (kb.yaml:7)",
			"faq[0].answer.en: malformed placeholder {Return Days}: a placeholder is lower-case letters and _ in braces, such as {exchange_days}, or {onsite:REGION} (kb.yaml:8)",
			"faq[0].answer.en: unknown placeholder {return_day} (did you mean {return_days}?) (kb.yaml:8)",
			"faq[0].answer.en: unknown placeholder {quote:x}: only {onsite:REGION} takes a key (kb.yaml:8)",
			"faq[0].answer.en: malformed placeholder {}: a placeholder is lower-case letters and _ in braces, such as {exchange_days}, or {onsite:REGION} (kb.yaml:8)",
			"troubleshooting.home-electronics[0].en: unknown placeholder {sla_repairs} (did you mean {sla_repair}?) (kb.yaml:11)",
		}},
		{"catalog list placeholders", strings.Replace(strings.Replace(valid, "一年。", "'上门：{onsite_products}；寄修：{mailin_products}；{consumables}；{free_installation_products}、{paid_installation_products}、{no_installation_products}。'", 1),
			"One year.", "'On site: {onsite_product}. {consumable}. {installation_products}. {onsite_products:shanghai}.'", 1), []string{
			"faq[0].answer.en: unknown placeholder {onsite_product} (did you mean {onsite_products}?) (kb.yaml:8)",
			"faq[0].answer.en: unknown placeholder {consumable} (did you mean {consumables}?) (kb.yaml:8)",
			"faq[0].answer.en: unknown placeholder {installation_products} (known: consumables, estimate, exchange_days, free_installation_products, inspection_fee, labour_fee, mailin_products, no_installation_products, onsite_default, onsite_products, opening_hours, paid_installation_products, quote_valid_days, replaced_parts_days, return_days, sla_complaint_answer, sla_complaint_resolution, sla_first_response, sla_inspection, sla_repair, warranty_periods, onsite:REGION) (kb.yaml:8)",
			"faq[0].answer.en: unknown placeholder {onsite_products:shanghai}: only {onsite:REGION} takes a key (kb.yaml:8)",
		}},
		{"duplicate synonym", valid + `synonyms:
  zh: {质保: 保修}
  en: {"Ｗarranty": guarantee, warranty: cover}
`, []string{
			"synonyms.en.warranty: duplicate synonym (first at synonyms.en.Ｗarranty, line 11) (kb.yaml:11)",
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			kb, err := Load("testdata/kb.yaml", []byte(c.src))
			if err == nil {
				t.Fatalf("Load succeeded with %d entries, want %d problems", len(kb.Entries()), len(c.want))
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("errors.Is(err, ErrInvalid) = false for %v", err)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not an *Error", err)
			}
			if got := strings.Join(problemStrings(e), "\n"); got != strings.Join(c.want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", got, strings.Join(c.want, "\n"))
			}
		})
	}
}

func problemStrings(e *Error) []string {
	out := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p.String()
	}
	return out
}

func TestLoadValid(t *testing.T) {
	kb, err := Load("kb.yaml", []byte(valid+`troubleshooting:
  home-electronics:
    - {zh: 重启。, en: Restart it.}
synonyms:
  zh: {质保: 保修}
  en: {guarantee: warranty}
`))
	if err != nil {
		t.Fatal(err)
	}
	es := kb.Entries()
	if len(es) != 1 || es[0].ID != "warranty" || es[0].Text("zh") != "一年。" || es[0].Text("en") != "One year." {
		t.Fatalf("entries = %+v", es)
	}
	if got := kb.Troubleshooting("", "home-electronics"); len(got) != 1 || got[0].Text("en") != "Restart it." {
		t.Errorf("Troubleshooting = %+v", got)
	}
	for _, q := range []string{"质保多久", "how long is the guarantee"} {
		if e, ok := kb.Answer(q, "en"); !ok || e.ID != "warranty" {
			t.Errorf("Answer(%q) = %v, %v: the synonym is not applied", q, e, ok)
		}
	}
}

func TestLoadFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "shop-kb.yaml")
	if err := os.WriteFile(path, []byte(valid), 0o600); err != nil {
		t.Fatal(err)
	}
	kb, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(kb.Entries()) != 1 {
		t.Errorf("%d entries, want 1", len(kb.Entries()))
	}

	if err := os.WriteFile(path, []byte(valid+"extra: 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = LoadFile(path)
	if want := `extra: unknown key (known keys: faq, troubleshooting, synonyms) (shop-kb.yaml:9)`; err == nil || err.Error() != want {
		t.Errorf("LoadFile: %v, want %s", err, want)
	}

	_, err = LoadFile(filepath.Join(dir, "missing.yaml"))
	if !errors.Is(err, fs.ErrNotExist) || errors.Is(err, ErrInvalid) {
		t.Errorf("LoadFile(missing) = %v, want a not-exist error", err)
	}
}

// TestDefaultLoads guards the embedded file: Default panics if it is broken.
func TestDefaultLoads(t *testing.T) {
	if _, err := Load(DefaultName, DefaultYAML()); err != nil {
		t.Fatalf("the embedded knowledge base is invalid:\n%v", err)
	}
	if first, second := Default(), Default(); first != second {
		t.Error("Default is not shared")
	}
}
