package kb

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/supportd/supportd/policy"
)

// normalize folds full-width forms to ASCII (policy.FoldWidth), lower-cases,
// drops apostrophes ("won't" becomes "wont") and combining marks, and turns
// every other rune that is neither a letter nor a digit into a space. The
// result starts and ends with a space and has no double spaces, so that a
// word is always found as " word ".
func normalize(s string) string {
	s = policy.FoldWidth(s)
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte(' ')
	space := true
	for _, r := range s {
		switch {
		case r == '\'' || r == '’' || r == '‘' || r == '`' || unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
			space = false
		case !space:
			b.WriteByte(' ')
			space = true
		}
	}
	if !space {
		b.WriteByte(' ')
	}
	return b.String()
}

// isLatin reports whether r belongs to a word written with spaces (Latin
// letters, digits and the like), as opposed to Chinese, Japanese or Korean
// characters, which are written without spaces.
func isLatin(r rune) bool {
	return (unicode.IsLetter(r) || unicode.IsDigit(r)) && !isCJK(r)
}

func isCJK(r rune) bool {
	return r >= 0x2E80 && (unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r))
}

// A rule rewrites one normalised phrase. A phrase that starts (ends) with a
// Latin word only matches at a word boundary; Chinese phrases match
// anywhere.
type rule struct {
	from, to           string
	wordStart, wordEnd bool
}

// replacer rewrites normalised text with the synonyms and the built-in
// fillers in one pass, left to right, longest phrase first. A canonical form
// is also a rule (to itself), so a longer canonical form is never broken by a
// shorter synonym inside it, and a replacement is never rewritten again.
type replacer struct {
	ascii [utf8.RuneSelf][]rule
	other map[rune][]rule
}

// newReplacer builds a replacer from normalised phrase → canonical pairs
// (the canonical form may be " " to drop the phrase). Earlier maps win over
// later ones for the same phrase.
func newReplacer(maps ...map[string]string) *replacer {
	all := map[string]string{}
	for i := len(maps) - 1; i >= 0; i-- {
		for from, to := range maps[i] {
			all[from] = to
		}
	}
	for _, to := range all {
		if t := strings.TrimSpace(to); t != "" {
			if _, ok := all[t]; !ok {
				all[t] = t
			}
		}
	}
	rp := &replacer{other: map[rune][]rule{}}
	for from, to := range all {
		first, _ := utf8.DecodeRuneInString(from)
		last, _ := utf8.DecodeLastRuneInString(from)
		ru := rule{from: from, to: pad(to), wordStart: isLatin(first), wordEnd: isLatin(last)}
		if first < utf8.RuneSelf {
			rp.ascii[first] = append(rp.ascii[first], ru)
		} else {
			rp.other[first] = append(rp.other[first], ru)
		}
	}
	byLength := func(a, b rule) int {
		if d := len(b.from) - len(a.from); d != 0 {
			return d
		}
		return strings.Compare(a.from, b.from)
	}
	for i := range rp.ascii {
		slices.SortFunc(rp.ascii[i], byLength)
	}
	for _, rs := range rp.other {
		slices.SortFunc(rs, byLength)
	}
	return rp
}

// pad puts a space before a canonical form that starts with a Latin word and
// after one that ends with one, so that "洗衣机warranty" becomes
// "washer warranty", not "washerwarranty". Chinese edges stay joined to
// their neighbours, to keep the bigrams across them.
func pad(to string) string {
	first, _ := utf8.DecodeRuneInString(to)
	last, _ := utf8.DecodeLastRuneInString(to)
	if isLatin(first) {
		to = " " + to
	}
	if isLatin(last) {
		to += " "
	}
	return to
}

func (rp *replacer) rules(r rune) []rule {
	if r < utf8.RuneSelf {
		return rp.ascii[r]
	}
	return rp.other[r]
}

// apply rewrites s, the output of normalize.
func (rp *replacer) apply(s string) string {
	var b strings.Builder
	done := 0 // s[:done] is in b
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if ru, ok := rp.match(s, i, r); ok {
			if b.Len() == 0 {
				b.Grow(len(s) + 16)
			}
			b.WriteString(s[done:i])
			b.WriteString(ru.to)
			i += len(ru.from)
			done = i
			continue
		}
		i += n
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

func (rp *replacer) match(s string, i int, r rune) (rule, bool) {
	rs := rp.rules(r)
	if len(rs) == 0 {
		return rule{}, false
	}
	for _, ru := range rs {
		if !strings.HasPrefix(s[i:], ru.from) {
			continue
		}
		if ru.wordStart && i > 0 {
			if p, _ := utf8.DecodeLastRuneInString(s[:i]); isLatin(p) {
				continue
			}
		}
		if end := i + len(ru.from); ru.wordEnd && end < len(s) {
			if nx, _ := utf8.DecodeRuneInString(s[end:]); isLatin(nx) {
				continue
			}
		}
		return ru, true
	}
	return rule{}, false
}

// fillers are dropped from every text before it is tokenised: polite
// wrappers and sentence particles that say nothing about the topic.
var fillers = func() map[string]string {
	m := map[string]string{}
	for _, f := range []string{
		// Chinese
		"请问一下", "请问", "你好", "您好", "在吗", "麻烦问一下", "麻烦问下", "想问一下", "想问下",
		"问一下", "问下", "我想问", "想问", "我想知道", "想知道", "想了解一下", "想了解", "咨询一下",
		"咨询下", "请教一下", "请教", "一下", "谢谢", "多谢", "麻烦了", "麻烦", "那个", "就是说",
		"告诉我", "帮忙看看",
		// English
		"hi", "hello", "hey", "dear", "thanks", "thank you", "please", "pls", "plz",
		"i want to know", "i would like to know", "id like to know", "i wonder", "i was wondering",
		"im wondering", "can you tell me", "could you tell me", "please tell me", "tell me",
		"let me know", "i have a question", "quick question", "may i ask", "can i ask",
	} {
		m[f] = " "
	}
	return m
}()
