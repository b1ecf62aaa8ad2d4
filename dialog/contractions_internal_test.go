package dialog

import (
	"regexp"
	"testing"
)

// contractionRef is the rule restoreContractions follows, as a regexp.
var contractionRef = regexp.MustCompile(`\b(wo|do|does|ca|is|did|was|are|have|has|could|would|should)nt\b`)

func TestRestoreContractions(t *testing.T) {
	for in, want := range map[string]string{
		"my tv wont turn on":                 "my tv won't turn on",
		"it doesnt work and i cant reset it": "it doesn't work and i can't reset it",
		"wont":                               "won't",
		"isnt it? shouldnt be":               "isn't it? shouldn't be",
		"i want to exchange it":              "i want to exchange it",
		"the front panel, in a moment":       "the front panel, in a moment",
		"dont_x wontx xwont":                 "dont_x wontx xwont",
		"didn't and didnt":                   "didn't and didn't",
		"électriquewont éwont 洗衣机wont":       "électriquewont éwon't 洗衣机won't",
		"hasnt2 hasnt-it":                    "hasnt2 hasn't-it",
		"":                                   "",
	} {
		if got := restoreContractions(in); got != want {
			t.Errorf("restoreContractions(%q) = %q, want %q", in, got, want)
		}
		if ref := contractionRef.ReplaceAllString(in, "${1}n't"); ref != want {
			t.Errorf("the rule's regexp gives %q for %q, the table %q", ref, in, want)
		}
	}
}

// FuzzRestoreContractions: the scan and the rule's regexp agree.
func FuzzRestoreContractions(f *testing.F) {
	for _, s := range []string{"wont", "i want it", "doesnt, cant", "x_dont", "é wasnt", "nt", "ntnt wontnt"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := restoreContractions(s), contractionRef.ReplaceAllString(s, "${1}n't"); got != want {
			t.Fatalf("restoreContractions(%q) = %q, the regexp %q", s, got, want)
		}
	})
}

func BenchmarkFolded(b *testing.B) {
	for b.Loop() {
		folded("I want to exchange my TV-65X, the screen flickers. Bought it on November 15")
	}
}
