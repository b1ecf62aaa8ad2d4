package kb

import (
	"errors"
	"math"
	"strings"
	"testing"
)

var fuzzSeeds = []string{
	"", " ", "保修期多久", "how long is the warranty", "ｗａｒｒａｎｔｙ", "TV保修多久", "ＴＶ－５５Ｘ保修期多长",
	"我的洗衣机不转了", "I want to return my TV", "won't turn on", "warrenty", "retrun", "mcuh",
	"保不保修", "前几天", "？？？", "\xff\xfe\x00", "a", "的的的的", "ａ'ｂ’c", "e\u0301", "保修\u3000多久",
	strings.Repeat("保修", 60), strings.Repeat("warranty ", 30), "扫地机器人扫地机器人", "washingmachine",
}

// FuzzSearch: Search and Answer never panic, scores are finite, in (0, 1]
// and sorted, and Answer agrees with Search.
func FuzzSearch(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	kb := Default()
	f.Fuzz(func(t *testing.T, text string) {
		ms := kb.Search(text, "zh")
		for i, m := range ms {
			if math.IsNaN(m.Score) || math.IsInf(m.Score, 0) || m.Score <= 0 || m.Score > 1 {
				t.Fatalf("%q: score %v", text, m.Score)
			}
			if i > 0 && m.Score > ms[i-1].Score {
				t.Fatalf("%q: not sorted", text)
			}
			if m.Entry == nil || m.Phrasing == "" {
				t.Fatalf("%q: incomplete match %+v", text, m)
			}
		}
		if e, ok := kb.Answer(text, "en"); ok && (len(ms) == 0 || ms[0].Entry != e || ms[0].Score < AnswerMinScore) {
			t.Fatalf("%q: Answer %s disagrees with Search", text, e.ID)
		}
	})
}

// FuzzLoad: Load never panics, and either succeeds or returns an *Error.
func FuzzLoad(f *testing.F) {
	f.Add(valid)
	f.Add("faq: [")
	f.Add("faq:\n  - *x\n")
	f.Add("synonyms: {zh: {a: b, b: c}}\n")
	f.Add(string(defaultYAML[:2000]))
	f.Fuzz(func(t *testing.T, src string) {
		kb, err := Load("kb.yaml", []byte(src))
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not match ErrInvalid", err)
			}
			return
		}
		for _, e := range kb.Entries() {
			kb.Search(e.Questions.EN[0], "en")
		}
	})
}
