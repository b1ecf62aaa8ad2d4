package extract

import (
	"unicode"
	"unicode/utf8"
)

// The extractors share one tokenizer. A message is cut into tokens that
// cover it entirely, so that token i-1 always ends where token i starts:
// runs of white space, runs of Arabic digits, runs of ASCII letters, and
// single runes of anything else (one token per Han character, so that a rule
// can read "上个月15号" token by token). Full-width forms are folded as they
// are read, while offsets stay those of the original text.

type kind uint8

const (
	kSpace kind = iota + 1 // a run of white space
	kNum                   // a run of Arabic digits, ASCII or full-width
	kWord                  // a run of ASCII letters, ASCII or full-width
	kHan                   // one other letter: Han, kana, accented Latin …
	kPunct                 // one rune of anything else
)

// maxDigits is the longest digit run whose value is kept; longer runs are
// identifiers, not numbers.
const maxDigits = 18

type tok struct {
	start, end int   // byte offsets in the text
	val        int64 // kNum: value (0 when ndig > maxDigits)
	r          rune  // kHan, kPunct: the rune, width-folded
	ndig       int   // kNum: number of digits
	w          word  // kWord: what the word means to the date and number rules
	kind       kind
}

// wclass says what a known English word is.
type wclass uint8

const (
	wNone    wclass = iota
	wMonth          // n = 1..12
	wWeekday        // n = time.Weekday
	wNumber         // n = value of a number word (zero … ninety)
	wUnit           // n = a unit* constant
	wKey            // n = a kw* constant
)

type word struct {
	n    int16
	cls  wclass
	weak bool // a month or weekday name that is also an ordinary word or an abbreviation
}

const (
	unitDay = iota + 1
	unitWeek
	unitFortnight
	unitMonth
	unitYear
)

const (
	kwLast = iota + 1
	kwThis
	kwAgo
	kwToday
	kwYesterday
	kwTomorrow
	kwThe
	kwBefore
	kwAfter
	kwIn
	kwOn
	kwOf
	kwAnd
	kwOrd // st, nd, rd, th
	kwA   // a, an
	kwHundred
	kwThousand
	kwSince
	kwEarly
	kwLate
)

var vocab = func() map[string]word {
	m := map[string]word{}
	months := []string{"january", "february", "march", "april", "may", "june", "july",
		"august", "september", "october", "november", "december"}
	for i, s := range months {
		m[s] = word{n: int16(i + 1), cls: wMonth, weak: s == "may"}
	}
	for s, n := range map[string]int{"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6,
		"jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12} {
		m[s] = word{n: int16(n), cls: wMonth, weak: true}
	}
	days := []string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}
	for i, s := range days {
		m[s] = word{n: int16(i), cls: wWeekday}
	}
	for s, n := range map[string]int{"sun": 0, "mon": 1, "tue": 2, "tues": 2, "wed": 3,
		"thu": 4, "thur": 4, "thurs": 4, "fri": 5, "sat": 6} {
		m[s] = word{n: int16(n), cls: wWeekday, weak: true}
	}
	nums := []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
		"nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
		"seventeen", "eighteen", "nineteen", "twenty"}
	for i, s := range nums {
		m[s] = word{n: int16(i), cls: wNumber}
	}
	for i, s := range []string{"thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"} {
		m[s] = word{n: int16(30 + 10*i), cls: wNumber}
	}
	for s, n := range map[string]int{"day": unitDay, "days": unitDay, "week": unitWeek,
		"weeks": unitWeek, "fortnight": unitFortnight, "fortnights": unitFortnight,
		"month": unitMonth, "months": unitMonth, "year": unitYear, "years": unitYear} {
		m[s] = word{n: int16(n), cls: wUnit}
	}
	for s, n := range map[string]int{"last": kwLast, "this": kwThis, "ago": kwAgo,
		"today": kwToday, "yesterday": kwYesterday, "tomorrow": kwTomorrow, "the": kwThe,
		"before": kwBefore, "after": kwAfter, "in": kwIn, "on": kwOn, "of": kwOf,
		"and": kwAnd, "st": kwOrd, "nd": kwOrd, "rd": kwOrd, "th": kwOrd, "a": kwA,
		"an": kwA, "hundred": kwHundred, "thousand": kwThousand, "since": kwSince,
		"early": kwEarly, "late": kwLate} {
		m[s] = word{n: int16(n), cls: wKey}
	}
	return m
}()

// decodeFold returns the rune at s[i], width-folded, and its encoded length.
func decodeFold(s string, i int) (rune, int) {
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	return foldRune(r), n
}

func isDigit(r rune) bool  { return '0' <= r && r <= '9' }
func isLetter(r rune) bool { return 'a' <= r|0x20 && r|0x20 <= 'z' }
func isAlnum(r rune) bool  { return isDigit(r) || isLetter(r) }

func isSpace(r rune) bool {
	if r < utf8.RuneSelf {
		return r == ' ' || '\t' <= r && r <= '\r'
	}
	return unicode.IsSpace(r)
}

// tokenize appends the tokens of s to t and returns the extended slice.
func tokenize(s string, t []tok) []tok {
	for i := 0; i < len(s); {
		r, n := decodeFold(s, i)
		start := i
		switch {
		case isDigit(r):
			var v int64
			nd := 0
			for i < len(s) {
				r, n = decodeFold(s, i)
				if !isDigit(r) {
					break
				}
				if nd < maxDigits {
					v = v*10 + int64(r-'0')
				}
				nd++
				i += n
			}
			if nd > maxDigits {
				v = 0
			}
			t = append(t, tok{start: start, end: i, val: v, ndig: nd, kind: kNum})
		case isLetter(r):
			var lb [16]byte
			nl := 0
			for i < len(s) {
				r, n = decodeFold(s, i)
				if !isLetter(r) {
					break
				}
				if nl < len(lb) {
					lb[nl] = byte(r) | 0x20
				}
				nl++
				i += n
			}
			var w word
			if nl <= len(lb) {
				w = vocab[string(lb[:nl])]
			}
			t = append(t, tok{start: start, end: i, w: w, kind: kWord})
		case isSpace(r):
			for i < len(s) {
				r, n = decodeFold(s, i)
				if !isSpace(r) {
					break
				}
				i += n
			}
			t = append(t, tok{start: start, end: i, kind: kSpace})
		default:
			k := kPunct
			if unicode.IsLetter(r) || r == '〇' {
				k = kHan
			}
			i += n
			t = append(t, tok{start: start, end: i, r: r, kind: k})
		}
	}
	return t
}

// scan is a tokenized message. Results take their text from the caller's
// string, never from a scan, so that escape analysis keeps the tokens on the
// stack.
type scan struct {
	s string
	t []tok
}

// sp returns the first token at or after i that is not white space.
func (sc *scan) sp(i int) int {
	for i < len(sc.t) && sc.t[i].kind == kSpace {
		i++
	}
	return i
}

// is reports whether token i is the Han or punctuation rune r.
func (sc *scan) is(i int, r rune) bool {
	return i >= 0 && i < len(sc.t) && (sc.t[i].kind == kHan || sc.t[i].kind == kPunct) && sc.t[i].r == r
}

// lit matches the runes of lit against consecutive one-rune tokens from i
// and returns the index after them.
func (sc *scan) lit(i int, lit string) (int, bool) {
	for _, r := range lit {
		if !sc.is(i, r) {
			return i, false
		}
		i++
	}
	return i, true
}

// lits matches the first of lits that matches at i (list longer ones first).
func (sc *scan) lits(i int, lits ...string) (int, bool) {
	for _, l := range lits {
		if j, ok := sc.lit(i, l); ok {
			return j, true
		}
	}
	return i, false
}

// word returns the meaning of token i when it is a word.
func (sc *scan) word(i int) (word, bool) {
	if i < 0 || i >= len(sc.t) || sc.t[i].kind != kWord {
		return word{}, false
	}
	return sc.t[i].w, true
}

// key reports whether token i is the keyword kw.
func (sc *scan) key(i int, kw int) bool {
	w, ok := sc.word(i)
	return ok && w.cls == wKey && int(w.n) == kw
}

// wordIs reports whether token i is the word lit (lower-case ASCII),
// compared without regard to case or width.
func (sc *scan) wordIs(i int, lit string) bool {
	if i < 0 || i >= len(sc.t) || sc.t[i].kind != kWord {
		return false
	}
	s := sc.s[sc.t[i].start:sc.t[i].end]
	k := 0
	for j := 0; j < len(s); {
		r, n := decodeFold(s, j)
		if k >= len(lit) || byte(r)|0x20 != lit[k] {
			return false
		}
		k++
		j += n
	}
	return k == len(lit)
}

// kindAt returns the kind of token i, or 0 outside the message.
func (sc *scan) kindAt(i int) kind {
	if i < 0 || i >= len(sc.t) {
		return 0
	}
	return sc.t[i].kind
}

// gluedBefore reports whether the token before i binds to it as part of a
// larger token: a word, number or Chinese numeral directly before; a decimal
// point or colon after digits ("3.5", "10:30"), a comma between digits and
// three more ("1,000"); or a hyphen,
// slash or underscore after a word or number ("TV-55", "3/5", "A_3"). A
// comma or colon after a word does not bind: "tel:138…", "bought,March 5".
func (sc *scan) gluedBefore(i int) bool {
	switch sc.kindAt(i - 1) {
	case kWord, kNum:
		return true
	case kPunct:
		k := sc.kindAt(i - 2)
		switch sc.t[i-1].r {
		case ',': // a thousands separator: "1,000", not "HP-30，11月"
			return k == kNum && sc.kindAt(i) == kNum && sc.t[i].ndig == 3
		case '.', ':':
			return k == kNum
		case '-', '/', '_':
			return k == kNum || k == kWord
		}
	}
	return sc.isCN(i - 1)
}

// gluedAfter reports whether a number that ends just before token i goes
// on there: a digit run, or a decimal point, hyphen, slash, underscore or
// colon followed by digits ("3.5", "3/5", "10:30"), or a comma followed by
// three ("1,000").
func (sc *scan) gluedAfter(i int) bool {
	switch sc.kindAt(i) {
	case kNum:
		return true
	case kPunct:
		switch sc.t[i].r {
		case ',':
			return sc.kindAt(i+1) == kNum && sc.t[i+1].ndig == 3
		case '.', '-', '/', '_', ':':
			k := sc.kindAt(i + 1)
			return k == kNum
		}
	}
	return false
}

// newScan tokenizes s, into buf when it is large enough (a message has at
// most one token per rune), else into one slice of the right size.
func newScan(s string, buf []tok) scan {
	if len(s) > len(buf) {
		if n := utf8.RuneCountInString(s); n > len(buf) {
			buf = make([]tok, 0, n)
		}
	}
	return scan{s: s, t: tokenize(s, buf[:0])}
}
