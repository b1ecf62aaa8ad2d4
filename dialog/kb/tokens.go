package kb

import (
	"strings"
	"unicode/utf8"
)

// Token kinds, with their weights in the vectors.
const (
	kindWord    uint8 = iota // an English (or other spaced-script) word, stemmed
	kindBigram               // two adjacent Chinese characters
	kindUnigram              // one Chinese character, at a low weight
)

type token struct {
	s    string
	kind uint8
	junk bool // an unknown bigram across a word boundary; see markJunk
}

func (t token) latin() bool { return t.kind == kindWord }

// tokenize appends the tokens of s, the output of normalize and the
// replacer, to dst. Latin words are stemmed and stop words dropped; runs of
// Chinese characters give their bigrams and the unigrams of characters that
// are not stop characters. Particles and pronouns (the zhBreak set) end a run,
// so "电视的保修" gives 电视 and 保修 and no bigram across 的.
func tokenize(s string, dst []token) []token {
	wordStart := -1 // start of the Latin word being read
	prev := -1      // start of the previous character of the Chinese run
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case isCJK(r):
			if wordStart >= 0 {
				dst = appendWord(dst, s[wordStart:i])
				wordStart = -1
			}
			if zhBreak[r] {
				prev = -1
				break
			}
			if prev >= 0 {
				dst = append(dst, token{s: s[prev : i+n], kind: kindBigram})
			}
			if !zhStop[r] {
				dst = append(dst, token{s: s[i : i+n], kind: kindUnigram})
			}
			prev = i
		case isLatin(r):
			prev = -1
			if wordStart < 0 {
				wordStart = i
			}
		default:
			prev = -1
			if wordStart >= 0 {
				dst = appendWord(dst, s[wordStart:i])
				wordStart = -1
			}
		}
		i += n
	}
	if wordStart >= 0 {
		dst = appendWord(dst, s[wordStart:])
	}
	return dst
}

func appendWord(dst []token, w string) []token {
	if enStop[w] {
		return dst
	}
	if w = stem(w); w == "" || enStop[w] {
		return dst
	}
	return append(dst, token{s: w, kind: kindWord})
}

// stem removes the most common English inflections: plurals, -ing and -ed,
// then a final e, so that "charges", "charging", "charged" and "charge" all
// become "charg", and "batteries" becomes "battery". Words with a digit or a
// non-ASCII letter, and short words, are kept as they are.
func stem(w string) string {
	if len(w) < 3 {
		return w
	}
	for i := 0; i < len(w); i++ {
		if c := w[i]; c < 'a' || c > 'z' {
			return w
		}
	}
	if len(w) == 3 {
		if w[2] == 's' && w[1] != 's' && w[1] != 'u' {
			return w[:2] // tvs
		}
		return w
	}
	switch {
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "ied") && len(w) > 4:
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "sses"):
		w = w[:len(w)-2]
	case strings.HasSuffix(w, "ss"), strings.HasSuffix(w, "us"), strings.HasSuffix(w, "is"):
		// glass, status, analysis
	case strings.HasSuffix(w, "s"):
		w = w[:len(w)-1]
	case strings.HasSuffix(w, "ing") && len(w) > 5:
		w = undouble(w[:len(w)-3])
	case strings.HasSuffix(w, "ed") && len(w) > 4 && !strings.HasSuffix(w, "eed"):
		w = undouble(w[:len(w)-2])
	}
	if len(w) > 3 && w[len(w)-1] == 'e' {
		w = w[:len(w)-1]
	}
	return w
}

// undouble turns "shipp" into "ship" (but keeps "install", "buzz", "pass").
func undouble(w string) string {
	n := len(w)
	if n >= 3 && w[n-1] == w[n-2] && !strings.ContainsRune("aeiouyslz", rune(w[n-1])) {
		return w[:n-1]
	}
	return w
}

// enStop are English words that say nothing about the topic. Words that carry
// it ("no", "not", "long", "much", "want") are kept.
var enStop = setOf(
	"a", "an", "the", "is", "are", "was", "were", "be", "been", "being", "am", "do", "does",
	"did", "doing", "done", "i", "me", "my", "mine", "myself", "you", "your", "yours", "we",
	"us", "our", "it", "its", "itself", "this", "that", "these", "those", "he", "she", "they",
	"them", "their", "his", "her", "to", "of", "in", "on", "at", "for", "with", "from", "by",
	"about", "into", "and", "or", "but", "if", "so", "as", "than", "then", "what", "whats",
	"how", "hows", "when", "where", "which", "who", "whom", "why", "can", "could", "would",
	"should", "will", "shall", "may", "might", "must", "there", "here", "please", "hi",
	"hello", "hey", "thanks", "thank", "just", "also", "any", "some", "get", "got", "have",
	"has", "had", "im", "ive", "id", "ill", "youre", "very", "too", "really", "ok", "okay",
	"one", "there", "theres", "up", "out", "all", "own", "like", "s", "t", "d", "ll", "re", "ve", "m",
)

// zhBreak are Chinese particles and pronouns that end a run of characters:
// they make noise bigrams ("的保", "视的") in any phrasing.
var zhBreak = runeSet("的了吗呢吧啊呀哦嘛哈啦么什怎我你您他她它们是")

// zhStop are characters too common to count on their own as unigrams (they
// still count inside bigrams).
var zhStop = runeSet("一个下在有和与就也都还要想请问这那些哪什怎样可以能会多少几吗么到给把被让对从用")

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

func runeSet(s string) map[rune]bool {
	m := map[rune]bool{}
	for _, r := range s {
		m[r] = true
	}
	return m
}

// questionForm are the tokens that ask how long, how much or how many: they
// tell questions on one topic apart, but the topic words must weigh more.
var questionForm = setOf("多少", "少钱", "多久", "多长", "长时", "时间", "几年", "几天", "可以", "如何", "哪些", "long", "much", "many", "last")

// hedges are the words of a reply that has nothing to ask ("no", "not sure",
// "I don't know", "不知道"): they may weigh in a phrasing's score but are no
// topic of it, so that such a reply alone matches no entry.
var hedges = setOf("no", "not", "nope", "yes", "yeah", "dont", "don", "know", "sure", "think", "idea", "maybe",
	"知道", "不知", "确定", "清楚", "觉得", "没有", "不是")
