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
