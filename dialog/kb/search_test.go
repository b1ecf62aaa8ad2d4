package kb

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// TestEveryPhrasingAnswersItsEntry: each example phrasing in the embedded
// file is answered with its own entry, in both languages.
func TestEveryPhrasingAnswersItsEntry(t *testing.T) {
	kb := Default()
	for _, e := range kb.Entries() {
		for _, c := range []struct {
			lang string
			qs   []string
		}{{"zh", e.Questions.ZH}, {"en", e.Questions.EN}} {
			for _, q := range c.qs {
				got, ok := kb.Answer(q, c.lang)
				if ok && got.ID == e.ID {
					continue
				}
				ms := kb.Search(q, c.lang)
				t.Errorf("%s %q: Answer = %v, want %s; top: %s", e.ID, q, idOf(got, ok), e.ID, top(ms, 3))
			}
		}
	}
}

func TestSearchScores(t *testing.T) {
	kb := Default()
	for _, q := range []string{"保修期多久", "how long is the warranty", "TV保修多久", "asdfgh", ""} {
		ms := kb.Search(q, "en")
		for i, m := range ms {
			if math.IsNaN(m.Score) || m.Score <= 0 || m.Score > 1 {
				t.Errorf("%q: score %v out of (0, 1]", q, m.Score)
			}
			if i > 0 && m.Score > ms[i-1].Score {
				t.Errorf("%q: not sorted: %v after %v", q, m.Score, ms[i-1].Score)
			}
			if m.Phrasing == "" || m.Entry == nil {
				t.Errorf("%q: match %d incomplete: %+v", q, i, m)
			}
		}
	}
}

func idOf(e *Entry, ok bool) string {
	if !ok {
		return "none"
	}
	return e.ID
}

func top(ms []Match, n int) string {
	var b strings.Builder
	for i, m := range ms {
		if i == n {
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %.2f (%q)", m.Entry.ID, m.Score, m.Phrasing)
	}
	if b.Len() == 0 {
		return "nothing"
	}
	return b.String()
}

// A reply with nothing to ask ("no", "not sure", "不知道") matches no entry,
// though its words appear in phrasings ("what if I have no invoice");
// questions with those words and a topic still do.
func TestHedgesAreNoQuestion(t *testing.T) {
	k := Default()
	for _, q := range []string{"no", "no thanks", "not sure", "I don't know", "maybe", "yes", "不知道", "不是", "没有", "不确定"} {
		if e, ok := k.Answer(q, "en"); ok {
			t.Errorf("Answer(%q) = %s, want none", q, e.ID)
		}
	}
	for q, want := range map[string]string{"what is not covered by the warranty": "warranty-exclusions", "what if I have no invoice": "proof-of-purchase",
		"怎么知道还在不在保修期": "warranty-check", "warranty?": "warranty-period"} {
		if e, ok := k.Answer(q, "en"); !ok || e.ID != want {
			t.Errorf("Answer(%q) = %v %v, want %s", q, e, ok, want)
		}
	}
}

// Explain decides as Answer does, and says why when it gives no answer.
func TestExplainAgreesWithAnswer(t *testing.T) {
	kb := Default()
	reasons := map[string]bool{}
	var all []heldOut
	all = append(append(append(append(all, heldOutQuestions...), freshQuestions...), finalQuestions...), unseenQuestions...)
	for _, c := range noAnswer {
		all = append(all, heldOut{c.text, "en", ""}, heldOut{c.text, "zh", ""})
	}
	for _, h := range all {
		e, ok := kb.Answer(h.text, h.lang)
		v := kb.Explain(h.text, h.lang)
		switch {
		case ok && v.Entry != e:
			t.Errorf("%q: Answer %s, Explain %v", h.text, e.ID, v.Entry)
		case !ok && (v.Entry != nil || v.Reason == ""):
			t.Errorf("%q: no answer, Explain %v with reason %q", h.text, v.Entry, v.Reason)
		case !ok:
			reasons[v.Reason[:12]] = true
		}
		if len(v.Top) > 3 {
			t.Errorf("%q: %d closest entries", h.text, len(v.Top))
		}
	}
	if len(reasons) < 5 {
		t.Errorf("only %d kinds of reason seen: %v", len(reasons), reasons)
	}
}

// A Chinese word no phrasing has, right before the one word a question
// shares with the closest phrasing, makes it a question about something
// else, and Explain names the word; a misspelling of the phrasing's word
// there is still answered.
func TestUnknownChineseModifier(t *testing.T) {
	kb := Default()
	for _, tc := range []struct{ text, want, reason string }{
		{"有学生优惠吗", "", `says "学生", which no phrasing has`},
		{"现在有优惠吗", "product-price", ""},
		{"保秀期多久", "warranty-period", ""},
	} {
		v := kb.Explain(tc.text, "zh")
		got := ""
		if v.Entry != nil {
			got = v.Entry.ID
		}
		if got != tc.want || !strings.Contains(v.Reason, tc.reason) {
			t.Errorf("Explain(%q) = %q (%s), want %q (%s)", tc.text, got, v.Reason, tc.want, tc.reason)
		}
	}
}
