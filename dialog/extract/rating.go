package extract

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Rating returns the satisfaction score, 1 to 5, that text gives, in order
// of precedence:
//
//  1. an explicit score, the first in the text: "5分", "五分", "五星", "4颗星",
//     "4 stars", "4-star", "4/5", "4 out of 5", "I'd give it a 4", "★★★★" (☆
//     not counted); a score out of ten, "8/10", "8 out of 10", "8 of 10",
//     "I'd give it 9/10", "8.5/10", or said after the scale ("满分10分，给9分"),
//     is halved, rounding halves up (10/10 is 5, 7/10 is 4, 8.5/10 is 4);
//  2. words, the first phrase in the text: 非常满意 (5), 满意 (4), 一般 (3),
//     不满意 (2), 非常不满意 / 很差 (1), "very satisfied" (5), "satisfied" (4),
//     "ok" / "fine" / "average" / "meh" (3), "unsatisfied" / "dissatisfied" (2), "terrible" /
//     "very dissatisfied" (1), and the usual variants (好评, 差评, 还行, excellent,
//     awful …); an English phrase denied ("it wasn't fine", "not very good")
//     is 2, a bad one denied ("it wasn't bad") 3;
//  3. a message that is nothing but a number: "5", "５", "五", "4!";
//  4. a number that opens the message, set off by punctuation or by "but",
//     "because", 但是, 不过 … from what follows: "4 - friendly but late",
//     "5，师傅很专业", "3. slow", "4 but the technician was late", "4 但是来晚了";
//  5. a message of nothing but rating emoji: "👍" (4), "👍👍" (5), "😡" (1).
//
// ok is false when there is no score or when it is out of range ("6分", "0",
// "4.5分", "7, great", "7/5", "11/10"): the caller asks again. "5分钟" is a duration, not a score. Safe for
// concurrent use.
func Rating(text string) (score int, ok bool) {
	var buf [64]tok
	sc := newScan(text, buf[:])
	if v, found := sc.explicitScore(); found {
		return inRange(v)
	}
	lead, leads := sc.leadingNumber()
	if _, ok := inRange(lead); leads && !ok {
		return 0, false // "7, great": a score on another scale is asked again
	}
	if v, found := sc.ratingWords(); found {
		return v, true
	}
	if v, found := sc.bareNumber(); found {
		return inRange(v)
	}
	if leads {
		return inRange(lead)
	}
	return emojiScore(text)
}

// emojiScores rate the service with a face or a hand; a message of nothing
// else ("👍", "😡", "👍👍") is a rating as the words are.
var emojiScores = map[rune]int{
	'😍': 5, '🥰': 5, '🤩': 5, '💯': 5, '👏': 5, '❤': 5, '💖': 5, '🌟': 5,
	'👍': 4, '😊': 4, '🙂': 4, '😀': 4, '😃': 4, '😄': 4, '😁': 4, '👌': 4,
	'😐': 3, '😑': 3, '🤷': 3,
	'🙁': 2, '☹': 2, '😕': 2, '😒': 2, '👎': 2, '😞': 2,
	'😡': 1, '😠': 1, '🤬': 1, '😤': 1, '💩': 1,
}

// emojiScore returns the score of a message made only of rating emoji
// (and spaces, punctuation, variation selectors and skin tones): the first
// one's, one more for a thumbs-up said twice ("👍👍" is 5). Mixed faces
// ("👍👎") or any other character give none.
func emojiScore(text string) (int, bool) {
	score, thumbs := 0, 0
	for _, r := range text {
		if v, ok := emojiScores[r]; ok {
			if score != 0 && v != score {
				return 0, false
			}
			score = v
			if r == '👍' {
				thumbs++
			}
			continue
		}
		switch {
		case r == 0xFE0F || r == 0x200D || r >= 0x1F3FB && r <= 0x1F3FF: // variation selector, joiner, skin tones
		case r == ' ' || r == '!' || r == '！' || r == '.' || r == '。' || r == '~' || r == '\n':
		default:
			return 0, false
		}
	}
	if score == 4 && thumbs > 1 {
		score = 5
	}
	return score, score > 0
}

func inRange(v int64) (int, bool) {
	if v < 1 || v > 5 {
		return 0, false
	}
	return int(v), true
}

// score reads a number at token i: digits, Chinese numerals or English
// number words ("four").
func (sc *scan) score(i int) (v int64, j int, ok bool) {
	if v, _, j, ok := sc.zhNum(i); ok {
		return v, j, true
	}
	return sc.english(i, false)
}

// givesScore reports whether the words before token i give it a score:
// "give it a three", "I'd say four", "rate you a 4", "a solid four".
func (sc *scan) givesScore(i int) bool {
	k, article := sc.prevWord(i), false
	for k >= 0 && (sc.wordIs(k, "a") || sc.wordIs(k, "an") || sc.wordIs(k, "solid")) {
		k, article = sc.prevWord(k), true
	}
	if k < 0 {
		return article && sc.kindAt(i-1) == kSpace // "a solid four, …" opens the message
	}
	return sc.wordIs(k, "it") || sc.wordIs(k, "you") || sc.wordIs(k, "say") || sc.wordIs(k, "rate") || sc.wordIs(k, "give") || sc.wordIs(k, "rating")
}

// prevWord returns the word token before token i across white space, or -1.
func (sc *scan) prevWord(i int) int {
	for k := i - 1; k >= 0; k-- {
		switch sc.kindAt(k) {
		case kSpace:
			continue
		case kWord:
			return k
		}
		return -1
	}
	return -1
}

// isStar reports whether token i is a filled star (★ or ⭐).
func (sc *scan) isStar(i int) bool {
	return sc.kindAt(i) == kPunct && (sc.t[i].r == '★' || sc.t[i].r == '⭐')
}

// explicitScore finds the first explicit score in the message. A score out
// of ten ("8/10", "8 out of 10", "8 of 10", "8.5/10", "满分10分，给9分") is put
// on the scale of five (fromTen).
func (sc *scan) explicitScore() (v int64, found bool) {
	scaleFrom, scaleTo, ten := sc.tenScale()
	scaled := func(v int64) int64 { // a score said after "满分10分" is out of ten
		if ten {
			return fromTen(v)
		}
		return v
	}
	for i := 0; i < len(sc.t); i++ {
		if ten && i == scaleFrom {
			i = scaleTo - 1 // "满分10分" is the scale, not the score
			continue
		}
		if sc.isStar(i) {
			n := int64(0)
			for ; i < len(sc.t) && (sc.isStar(i) || sc.is(i, '☆') || sc.kindAt(i) == kSpace); i++ {
				if sc.isStar(i) {
					n++
				}
			}
			return n, true
		}
		if x10, ok := sc.decimal(i); ok {
			if sc.outOf(sc.sp(i+3)) == 10 {
				return (x10 + 10) / 20, true // 8.5/10 is 4, 9.5/10 is 5
			}
			continue // 4.5分
		}
		v, j, ok := sc.score(i)
		if !ok {
			continue
		}
		if sc.kindAt(i) == kNum && sc.gluedAfter(j) && !sc.is(j, '/') {
			continue // 1,000
		}
		k := sc.sp(j)
		switch sc.outOf(k) {
		case 5:
			return v, true
		case 10:
			return fromTen(v), true
		}
		switch {
		case sc.is(k, '星') && !sc.is(k+1, '期'):
			return scaled(v), true
		case sc.is(k, '分') && !sc.is(k+1, '钟') && !sc.is(k+1, '鐘') && !sc.is(k+1, '之'):
			return scaled(v), true
		case sc.isLits(k, "颗星", "顆星", "个星", "個星"):
			return scaled(v), true
		case sc.is(j, '-') && sc.isStarWord(j+1), sc.isStarWord(k):
			return scaled(v), true
		case sc.givesScore(i): // after "out of": "I'd give it 9/10"
			return scaled(v), true
		}
	}
	return 0, false
}

// outOf reads the scale a score names at token k: 5 for "/5", "out of 5",
// "of five", 10 for "/10", "out of ten", "of 10" (not "8/10/2026"), else 0.
func (sc *scan) outOf(k int) int {
	n := -1
	switch {
	case sc.is(k, '/') || sc.is(k, '／'):
		n = sc.sp(k + 1)
		if sc.kindAt(n) == kNum && sc.gluedAfter(n+1) {
			return 0 // a date: 8/10/2026
		}
	case sc.wordIs(k, "out") && sc.key(sc.sp(k+1), kwOf):
		n = sc.sp(sc.sp(k+1) + 1)
	case sc.key(k, kwOf):
		n = sc.sp(k + 1)
	default:
		return 0
	}
	switch {
	case sc.kindAt(n) == kNum && sc.t[n].val == 5 && sc.t[n].ndig == 1, sc.wordIs(n, "five"):
		return 5
	case sc.outOfTen(n), sc.wordIs(n, "ten"):
		return 10
	}
	return 0
}

// outOfTen reports whether token i is the number 10 of a score out of ten.
func (sc *scan) outOfTen(i int) bool {
	return sc.kindAt(i) == kNum && sc.t[i].val == 10 && sc.t[i].ndig == 2
}

// decimal reads a number with one or more decimals at token i ("8.5") as
// tenths (85).
func (sc *scan) decimal(i int) (int64, bool) {
	if sc.kindAt(i) != kNum || sc.gluedBefore(i) || !sc.is(i+1, '.') || sc.kindAt(i+2) != kNum || sc.is(i+3, '.') && sc.kindAt(i+4) == kNum {
		return 0, false
	}
	f := sc.t[i+2]
	first := f.val
	for d := 1; d < f.ndig; d++ {
		first /= 10
	}
	return sc.t[i].val*10 + first, f.ndig <= maxDigits && sc.t[i].ndig <= 2
}

// tenScale finds where a message says its score is out of ten before
// giving it: "满分10分", "满分是十分", "10分制", "on a scale of 1 to 10"; it
// returns the tokens [from, to) that say so.
func (sc *scan) tenScale() (from, to int, ok bool) {
	isTen := func(i int) (int, bool) {
		v, j, ok := sc.score(i)
		return j, ok && v == 10
	}
	for i := range sc.t {
		if j, ok := sc.lits(i, "满分", "滿分"); ok {
			j = sc.sp(j)
			if k, ok := sc.lits(j, "是", "为", "為", ":", "："); ok {
				j = sc.sp(k)
			}
			if e, ok := isTen(j); ok {
				if e = sc.sp(e); sc.is(e, '分') {
					e++
				}
				return i, e, true
			}
		}
		if e, ok := isTen(i); ok && sc.is(sc.sp(e), '分') && sc.is(sc.sp(e)+1, '制') {
			return i, sc.sp(e) + 2, true
		}
		if sc.wordIs(i, "scale") && sc.key(sc.sp(i+1), kwOf) {
			j := sc.sp(sc.sp(i+1) + 1)
			if v, e, ok := sc.score(j); ok && v == 1 {
				if e = sc.sp(e); sc.wordIs(e, "to") || sc.is(e, '-') {
					j = sc.sp(e + 1)
				}
			}
			if e, ok := isTen(j); ok {
				return i, e, true
			}
		}
	}
	return 0, 0, false
}

// fromTen puts a score out of ten on the scale of five, rounding halves up
// (10 → 5, 8 → 4, 7 → 4, 1 → 1); a score above ten stays out of range.
func fromTen(v int64) int64 {
	if v > 10 {
		return v
	}
	return (v + 1) / 2
}

// isLits reports whether one of lits matches at i.
func (sc *scan) isLits(i int, lits ...string) bool {
	_, ok := sc.lits(i, lits...)
	return ok
}

func (sc *scan) isStarWord(i int) bool {
	return sc.wordIs(i, "star") || sc.wordIs(i, "stars") || sc.wordIs(i, "points") || sc.wordIs(i, "point")
}

// ratingPhrase is a word or phrase that gives a score. English phrases are
// words separated by single spaces and match any white space.
type ratingPhrase struct {
	text  string
	score int
}

var ratingPhrases = []ratingPhrase{
	{"非常不满意", 1}, {"很不满意", 1}, {"十分不满意", 1}, {"特别不满意", 1}, {"极不满意", 1},
	{"非常差", 1}, {"很差", 1}, {"太差", 1}, {"极差", 1}, {"差评", 1}, {"差劲", 1}, {"糟糕", 1}, {"垃圾", 1}, {"太烂", 1}, {"很烂", 1},
	{"很不好", 1}, {"非常不好", 1},
	{"不满意", 2}, {"不太满意", 2}, {"不是很满意", 2}, {"不好", 2}, {"不太好", 2}, {"不满", 2},
	{"一般", 3}, {"还行", 3}, {"还可以", 3}, {"凑合", 3}, {"中评", 3}, {"马马虎虎", 3},
	{"满意", 4}, {"比较满意", 4}, {"挺满意", 4}, {"还满意", 4}, {"基本满意", 4}, {"不错", 4}, {"挺好", 4},
	{"非常满意", 5}, {"十分满意", 5}, {"特别满意", 5}, {"很满意", 5}, {"超满意", 5}, {"满分", 5},
	{"好评", 5}, {"非常好", 5}, {"很好", 5}, {"非常棒", 5}, {"很棒", 5}, {"完美", 5},

	{"very dissatisfied", 1}, {"very unsatisfied", 1}, {"extremely dissatisfied", 1},
	{"extremely unsatisfied", 1}, {"terrible", 1}, {"awful", 1}, {"horrible", 1}, {"worst", 1}, {"useless", 1},
	{"very bad", 1}, {"very poor", 1}, {"not satisfied at all", 1},
	{"unsatisfied", 2}, {"dissatisfied", 2}, {"not satisfied", 2}, {"not very satisfied", 2},
	{"bad", 2}, {"poor", 2}, {"not good", 2}, {"not great", 2},
	{"ok", 3}, {"okay", 3}, {"fine", 3}, {"not fine", 2}, {"average", 3}, {"so-so", 3}, {"so so", 3}, {"meh", 3}, {"neutral", 3}, {"not bad", 3},
	{"satisfied", 4}, {"quite satisfied", 4}, {"good", 4}, {"pretty good", 4},
	{"very satisfied", 5}, {"extremely satisfied", 5}, {"completely satisfied", 5},
	{"totally satisfied", 5}, {"excellent", 5}, {"perfect", 5}, {"very good", 5}, {"great", 5}, {"fantastic", 5}, {"amazing", 5},
}

// softeners may stand between a negation and what it denies: "not very
// good", "not really fine", "wasn't a great service".
var softeners = []string{"very", "really", "so", "that", "too", "all", "quite", "exactly", "particularly", "entirely", "overall",
	"super", "especially", "a", "an", "the"}

// negations deny what follows; a contraction typed without its apostrophe
// ("wasnt") is one word.
var negations = []string{"not", "never", "hardly", "nothing", "wasnt", "isnt", "werent", "arent", "dont", "didnt", "doesnt", "wont",
	"cant", "couldnt", "wouldnt"}

// negatedAt reports whether the words before token i deny it: a negation
// or a word ending in "n't" ("wasn't"), across softeners.
func (sc *scan) negatedAt(i int) bool {
	is := func(k int, ws []string) bool {
		return slices.ContainsFunc(ws, func(w string) bool { return sc.wordIs(k, w) })
	}
	k := sc.prevWord(i)
	for k >= 0 && is(k, softeners) {
		k = sc.prevWord(k)
	}
	if k < 0 {
		return false
	}
	if sc.wordIs(k, "t") && (sc.is(k-1, '\'') || sc.is(k-1, '’')) && sc.kindAt(k-2) == kWord {
		w := strings.ToLower(sc.s[sc.t[k-2].start:sc.t[k-2].end]) // "wasn", "'", "t"
		return strings.HasSuffix(w, "n")
	}
	return is(k, negations)
}

// phrase matches a rating phrase at token i and returns the token after it.
func (sc *scan) phrase(i int, p string) (int, bool) {
	if p[0] >= 0x80 {
		return sc.lit(i, p)
	}
	if sc.kindAt(i) != kWord || sc.gluedBefore(i) {
		return i, false
	}
	for {
		w, rest, more := strings.Cut(p, " ")
		if n := strings.IndexByte(w, '-'); n >= 0 { // so-so
			if !sc.wordIs(i, w[:n]) || !sc.is(i+1, '-') {
				return i, false
			}
			i, w = i+2, w[n+1:]
		}
		if !sc.wordIs(i, w) {
			return i, false
		}
		i++
		if !more {
			return i, true
		}
		if sc.kindAt(i) != kSpace {
			return i, false
		}
		i, p = i+1, rest
	}
}

// ratingFirst is the first rune of each rating phrase, lower case, so that
// only the phrases that can start at a token are tried.
var ratingFirst = func() []rune {
	fs := make([]rune, len(ratingPhrases))
	for i, p := range ratingPhrases {
		fs[i], _ = utf8.DecodeRuneInString(p.text)
	}
	return fs
}()

// ratingWords finds the first rating phrase, the longest one where several
// start at the same place.
func (sc *scan) ratingWords() (int, bool) {
	for i, t := range sc.t {
		var first rune
		switch t.kind {
		case kHan:
			first = t.r
		case kWord:
			r, _ := decodeFold(sc.s, t.start)
			first = r | 0x20
		default:
			continue
		}
		bestJ, best := i, 0
		for k, p := range ratingPhrases {
			if ratingFirst[k] != first {
				continue
			}
			if j, ok := sc.phrase(i, p.text); ok && j > bestJ {
				bestJ, best = j, p.score
			}
		}
		if best > 0 && t.kind == kWord && sc.negatedAt(i) {
			// "it wasn't fine", "not very good", "not really fine": low;
			// "it wasn't bad": middling, as "not bad".
			if best >= 3 {
				return 2, true
			}
			return 3, true
		}
		if best > 0 {
			return best, true
		}
	}
	return 0, false
}

// bareNumber returns the number when the message is nothing but one number
// with white space and punctuation around it.
// leadingNumber finds a number that opens the message and is followed,
// after spaces, by punctuation that is not part of a number ("4.5", "4/5").
func (sc *scan) leadingNumber() (int64, bool) {
	i := 0
	for i < len(sc.t) && sc.t[i].kind == kSpace {
		i++
	}
	v, j, ok := sc.score(i)
	if !ok || sc.kindAt(i) == kNum && sc.gluedAfter(j) {
		return 0, false
	}
	for j < len(sc.t) && sc.t[j].kind == kSpace {
		j++
	}
	if sc.kindAt(j) == kWord && sc.kindAt(j-1) == kSpace && (sc.wordIs(j, "but") || sc.wordIs(j, "though") || sc.wordIs(j, "because")) ||
		sc.isLits(j, "但是", "但", "不过", "可是", "因为") {
		return v, true // "4 but the technician was late", "4 但是师傅来晚了": the comment set off by its word
	}
	if sc.kindAt(j) != kPunct || sc.is(j, '/') || sc.is(j, '／') || sc.kindAt(j+1) == kNum {
		return 0, false
	}
	return v, true
}

func (sc *scan) bareNumber() (int64, bool) {
	found := false
	var v int64
	for i := 0; i < len(sc.t); {
		switch sc.t[i].kind {
		case kSpace, kPunct:
			i++
			continue
		}
		if found {
			return 0, false
		}
		n, j, ok := sc.score(i)
		if !ok || sc.kindAt(i) == kNum && sc.gluedAfter(j) {
			return 0, false
		}
		v, found, i = n, true, j
	}
	return v, found
}
