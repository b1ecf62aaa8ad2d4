package dialog_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/supportd/supportd/dialog"
)

// Every mistake in a texts file is reported with its key, file and line
// instead of reaching the customer: a key listed twice, a blank text, a
// malformed placeholder, a misspelt key (with the key meant), and an unknown
// key is unknown even when its languages are incomplete.
func TestLoadTextsReportsMistakes(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"duplicate", "greeting:\n  zh: 你好\n  en: Hi\nmenu:\n  zh: 菜单\n  en: Menu\ngreeting:\n  zh: 您好\n  en: Hello\n",
			"greeting: listed twice (first at line 1): remove one (texts.yaml:7)"},
		{"blank", "greeting:\n  zh: 你好\n  en: \"  \"\n",
			"greeting: the en text is only spaces: the customer would see an empty message (texts.yaml:1)"},
		{"capital placeholder", "consult.filed:\n  zh: 工单号 {Ticket}\n  en: ticket {ticket}\n",
			"consult.filed: malformed placeholder {Ticket}: a placeholder is lower-case letters and _ in braces, such as {model} (texts.yaml:1)"},
		{"space in placeholder", "consult.filed:\n  zh: 工单号 {ticket}\n  en: ticket {ticket number}\n",
			"consult.filed: malformed placeholder {ticket number}"},
		{"did you mean", "greting:\n  zh: 你好\n  en: hi\n", `greting: unknown text (texts.yaml:1); did you mean "greeting"?`},
		{"unknown before incomplete", "menuu: {zh: x}\n", `menuu: unknown text (texts.yaml:1); did you mean "menu"?`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "texts.yaml")
			if err := os.WriteFile(path, []byte(tc.src), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := dialog.LoadTexts(path)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v\nwant %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "needs both zh and en") {
				t.Errorf("an unknown key is not also asked for its languages: %v", err)
			}
		})
	}
}

// A Chinese text puts no space between a value filled in and the Chinese
// words around it ("您希望周末上门", not "您希望 周末 上门"); a space stays
// beside digits and Latin letters and between two values.
func TestChineseValuesUnspaced(t *testing.T) {
	def := dialog.DefaultTexts()
	for _, c := range []struct{ key, want string }{
		{"repair.visit_day_region", "您希望周末上门"},
		{"install.moved", "改到周末，"},
		{"noted.item", "地址 周末"},
	} {
		got := def.Format("zh", c.key, "day", "周末", "ticket", "T-1", "what", "地址", "value", "周末")
		if !strings.Contains(got, c.want) {
			t.Errorf("%s: %q, want %q in it", c.key, got, c.want)
		}
	}
	if got := def.Format("zh", "repair.visit_day_region", "day", "12月5日（周六）"); !strings.Contains(got, "您希望 12月5日（周六）上门") {
		t.Errorf("a date: %q, want 您希望 12月5日（周六）上门", got)
	}
	if got := def.Format("zh", "install.moved", "ticket", "T-1", "day", "x"); !strings.Contains(got, "工单 T-1）") {
		t.Errorf("a ticket: %q, want 工单 T-1）", got)
	}
}
