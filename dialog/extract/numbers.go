package extract

// NumberMatch is a whole number found in a message.
type NumberMatch struct {
	Value int64  // never negative
	Text  string // the number as written
	Start int    // byte offset of Text in the message
	End   int    // byte offset just after Text
}

// Numbers returns the whole numbers in text, in order: Arabic digits (ASCII
// or full-width, with optional thousands commas "1,299"), Chinese numerals
// (零〇一二两三四五六七八九十百千万: 三百五十, 两千, 一万二 = 12000,
// 二〇二六 = 2026) and English number words (one … twenty, thirty … ninety,
// hundred, thousand: "twenty-one", "three hundred and fifty").
//
// Numbers is lexical: it does not know what a number counts, and "一般"
// yields 1. It leaves out what is not a whole number of its own: decimals
// and numbers joined by '.', '/', ':' or '-' ("3.5", "2026-03-05", "3/5",
// "10:30", "138-1234-5678", "3-5"), digits glued after letters ("TV-55",
// "A100"), runs longer than 18 digits (identifiers), and two-character
// Chinese digit runs without a unit ("三五天" means three to five days).
// Safe for concurrent use.
func Numbers(text string) []NumberMatch {
	var buf [64]tok
	sc := newScan(text, buf[:])
	var out []NumberMatch
	for i := 0; i < len(sc.t); {
		v, j, ok := sc.number(i)
		if !ok {
			i = max(j, i+1)
			continue
		}
		start, end := sc.t[i].start, sc.t[j-1].end
		out = append(out, NumberMatch{Value: v, Text: text[start:end], Start: start, End: end})
		i = j
	}
	return out
}

// number reads the number starting at token i. When there is none it
// returns a token index to resume from (past a rejected decimal, say).
func (sc *scan) number(i int) (v int64, j int, ok bool) {
	switch sc.t[i].kind {
	case kNum:
		return sc.arabic(i)
	case kHan:
		v, _, j, ok := sc.cnum(i)
		return v, j, ok
	case kWord:
		return sc.english(i, false)
	}
	return 0, i, false
}

// arabic reads a free-standing Arabic integer at token i, with thousands
// commas. Numbers glued to a preceding word and numbers joined to others by
// '.', '/', ':' or '-' (decimals, dates, times, phone numbers, ranges) are
// refused, and j then points past the whole sequence.
func (sc *scan) arabic(i int) (v int64, j int, ok bool) {
	j = i + 1
	for (sc.is(j, '.') || sc.is(j, '/') || sc.is(j, ':') || sc.is(j, '-')) && sc.kindAt(j+1) == kNum {
		j += 2
	}
	if j > i+1 || sc.gluedBefore(i) || sc.t[i].ndig > maxDigits {
		return 0, j, false
	}
	v = sc.t[i].val
	if sc.t[i].ndig <= 3 {
		for sc.is(j, ',') && sc.kindAt(j+1) == kNum && sc.t[j+1].ndig == 3 && v < 1e14 {
			v = v*1000 + sc.t[j+1].val
			j += 2
		}
		if sc.is(j, '.') && sc.kindAt(j+1) == kNum { // "1,299.50"
			return 0, j + 2, false
		}
	}
	return v, j, true
}

// Chinese numerals.

func cnDigit(r rune) int {
	switch r {
	case '零', '〇':
		return 0
	case '一':
		return 1
	case '二', '两', '兩':
		return 2
	case '三':
		return 3
	case '四':
		return 4
	case '五':
		return 5
	case '六':
		return 6
	case '七':
		return 7
	case '八':
		return 8
	case '九':
		return 9
	}
	return -1
}

func cnUnit(r rune) int64 {
	switch r {
	case '十':
		return 10
	case '百':
		return 100
	case '千':
		return 1000
	case '万', '萬':
		return 10000
	}
	return 0
}

// isCN reports whether token i is a Chinese numeral character.
func (sc *scan) isCN(i int) bool {
	return sc.kindAt(i) == kHan && (cnDigit(sc.t[i].r) >= 0 || cnUnit(sc.t[i].r) > 0)
}

// maxCN bounds the length of a Chinese numeral run.
const maxCN = 16

// cnum reads the Chinese numeral run that starts at token i. It must be the
// start of the run and begin with a digit or 十. n is the number of
// characters when the run is read digit by digit (二〇二六 → 2026, n = 4) and 0
// when it has units. j is the token after the run, also when ok is false.
func (sc *scan) cnum(i int) (v int64, n int, j int, ok bool) {
	if !sc.isCN(i) || sc.isCN(i-1) {
		return 0, 0, i, false
	}
	var rs [maxCN]rune
	j = i
	for sc.isCN(j) {
		if j-i < maxCN {
			rs[j-i] = sc.t[j].r
		}
		j++
	}
	if j-i > maxCN {
		return 0, 0, j, false
	}
	v, n, ok = parseCN(rs[:j-i])
	return v, n, j, ok
}

// parseCN parses a run of Chinese numeral characters; see cnum.
func parseCN(rs []rune) (v int64, n int, ok bool) {
	first := rs[0]
	if cnDigit(first) < 0 && first != '十' {
		return 0, 0, false
	}
	units, zeros := 0, 0
	for _, r := range rs {
		if cnUnit(r) > 0 {
			units++
		} else if cnDigit(r) == 0 {
			zeros++
		}
	}
	if units == 0 {
		// Digit by digit: 二〇二六. Two digits without a zero are a range (三五).
		if len(rs) == 2 && zeros == 0 {
			return 0, 0, false
		}
		for _, r := range rs {
			v = v*10 + int64(cnDigit(r))
		}
		if len(rs) == 1 {
			return v, 0, true
		}
		return v, len(rs), true
	}
	var total, section int64
	pending := int64(-1)
	lastUnit := int64(100000)
	zero, afterUnit := false, false
	for k, r := range rs {
		if d := cnDigit(r); d >= 0 {
			if pending >= 0 {
				return 0, 0, false
			}
			if d == 0 {
				zero = true
				continue
			}
			pending, afterUnit = int64(d), k > 0 && cnUnit(rs[k-1]) > 0
			continue
		}
		u := cnUnit(r)
		if u == 10000 {
			if pending >= 0 {
				section += pending
				pending = -1
			}
			if section == 0 || total != 0 {
				return 0, 0, false
			}
			total, section, lastUnit, zero = section*10000, 0, 10000, false
			continue
		}
		if u >= lastUnit {
			return 0, 0, false
		}
		if pending < 0 {
			if u != 10 || k != 0 {
				return 0, 0, false
			}
			pending = 1 // 十五
		}
		section += pending * u
		pending, lastUnit, zero = -1, u, false
	}
	if pending >= 0 {
		if afterUnit && !zero && lastUnit >= 100 {
			pending *= lastUnit / 10 // 三百五 = 350, 一万二 = 12000
		}
		section += pending
	}
	return total + section, 0, true
}

// English number words.

// english reads an English number phrase at token i: "three", "twenty-one",
// "a hundred", "three hundred and fifty", "two thousand five hundred". With
// article, a lone "a"/"an" counts as one (as in "a week ago").
func (sc *scan) english(i int, article bool) (v int64, j int, ok bool) {
	if sc.kindAt(i) != kWord || sc.gluedBefore(i) {
		return 0, i, false
	}
	var total, cur int64
	j = i
	end := i
	last := 0 // 0 nothing, 1 tens word, 2 other number word, 3 hundred, 4 thousand
	started := false
	for {
		w, isWord := sc.word(j)
		if !isWord {
			break
		}
		switch {
		case w.cls == wNumber:
			n := int64(w.n)
			switch {
			case last == 1 && n >= 1 && n <= 9:
				cur += n
				last = 2
			case last == 0 || last == 3 || last == 4:
				cur += n
				last = 2
				if n >= 20 && n%10 == 0 {
					last = 1
				}
			default:
				goto done
			}
		case w.cls == wKey && w.n == kwA && last == 0 && !started:
			k := sc.sp(j + 1)
			if sc.key(k, kwHundred) || sc.key(k, kwThousand) {
				cur = 1
				last = 2
			} else if article {
				cur = 1
				started = true
				end = j + 1
				goto done
			} else {
				goto done
			}
		case w.cls == wKey && w.n == kwHundred && (last == 1 || last == 2) && cur < 100:
			cur *= 100
			last = 3
		case w.cls == wKey && w.n == kwThousand && last != 0 && last != 4 && total == 0:
			total, cur = cur*1000, 0
			last = 4
		default:
			goto done
		}
		started = true
		j++
		end = j
		// Separators inside a phrase: a space, a hyphen, or " and " after hundred.
		k := j
		switch {
		case sc.kindAt(k) == kSpace:
			k++
		case sc.is(k, '-') && last == 1:
			k++
		}
		if last == 3 && sc.key(k, kwAnd) {
			if n := sc.sp(k + 1); n > k+1 {
				if nw, ok := sc.word(n); ok && nw.cls == wNumber {
					k = n
				}
			}
		}
		if nw, ok := sc.word(k); !ok || (nw.cls != wNumber && !(nw.cls == wKey && (nw.n == kwHundred || nw.n == kwThousand))) {
			break
		}
		j = k
	}
done:
	if !started {
		return 0, i, false
	}
	return total + cur, end, true
}
