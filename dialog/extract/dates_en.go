package extract

import "time"

// English date rules. Each reads a date starting exactly at token i; see
// Dates for the forms. Words are compared without regard to case or width.

// prev returns the index of the last token before i that is not white space.
func (sc *scan) prev(i int) int {
	i--
	for i >= 0 && sc.t[i].kind == kSpace {
		i--
	}
	return i
}

// enRelDay reads today, yesterday, tomorrow, (the) day before yesterday and
// (the) day after tomorrow.
func enRelDay(sc *scan, i int, r *resolver) (cand, bool) {
	w, ok := sc.word(i)
	if !ok || sc.gluedBefore(i) {
		return cand{}, false
	}
	off, j := 0, i+1
	switch {
	case w.cls == wKey && w.n == kwToday:
	case w.cls == wKey && w.n == kwYesterday:
		off = -1
	case w.cls == wKey && w.n == kwTomorrow:
		off = 1
	default:
		k, isDay := sc.theUnit(i, unitDay, "day")
		if !isDay {
			return cand{}, false
		}
		switch {
		case sc.key(k, kwBefore) && sc.key(sc.sp(k+1), kwYesterday):
			off = -2
		case sc.key(k, kwAfter) && sc.key(sc.sp(k+1), kwTomorrow):
			off = 2
		default:
			return cand{}, false
		}
		j = sc.sp(k+1) + 1
	}
	c, ok := r.day(r.today.AddDate(0, 0, off), true)
	c.j = j
	return c, ok
}

// theUnit reads "the day", "day", "the year"... at token i: the unit word
// name (not a plural or an abbreviation), and returns the token after it.
func (sc *scan) theUnit(i int, unit int16, name string) (int, bool) {
	if sc.key(i, kwThe) {
		i = sc.sp(i + 1)
	}
	if w, ok := sc.word(i); !ok || w.cls != wUnit || w.n != unit || !sc.wordIs(i, name) {
		return 0, false
	}
	return sc.sp(i + 1), true
}

// enYearBeforeLast reads "the year before last" (year), as 前年.
func enYearBeforeLast(sc *scan, i int, r *resolver) (cand, bool) {
	k, ok := sc.theUnit(i, unitYear, "year")
	if !ok || !sc.key(k, kwBefore) || !sc.key(sc.sp(k+1), kwLast) {
		return cand{}, false
	}
	c, ok := r.year(r.today.Year()-2, true)
	c.j = sc.sp(k+1) + 1
	return c, ok
}

// enCount reads the count before a unit: digits, number words, "a" or "an".
func (sc *scan) enCount(i int) (n int64, j int, ok bool) {
	if sc.kindAt(i) == kNum {
		if sc.t[i].ndig > maxDigits || sc.gluedBefore(i) || sc.gluedAfter(i+1) {
			return 0, i, false
		}
		return sc.t[i].val, i + 1, true
	}
	return sc.english(i, true)
}

// enAgo reads "N days ago", "three weeks ago", "a fortnight ago" (days),
// "2 months ago" and "a year ago" (month).
func enAgo(sc *scan, i int, r *resolver) (cand, bool) {
	n, j, ok := sc.enCount(i)
	if !ok || n < 1 {
		return cand{}, false
	}
	j = sc.sp(j)
	w, ok := sc.word(j)
	if !ok || w.cls != wUnit {
		return cand{}, false
	}
	k := sc.sp(j + 1)
	if !sc.key(k, kwAgo) {
		return cand{}, false
	}
	n = min(n, maxAgoDays+1)
	var c cand
	switch w.n {
	case unitDay:
		c, ok = r.daysAgo(n)
	case unitWeek:
		c, ok = r.daysAgo(7 * n)
	case unitFortnight:
		c, ok = r.daysAgo(14 * n)
	case unitMonth:
		c, ok = r.monthsAgo(n)
	default:
		c, ok = r.monthsAgo(12 * n)
	}
	c.j = k + 1
	return c, ok
}

// enLastThis reads last/this month (month), last/this year (year), last
// March (the most recent March before the current month), this March, an
// optional day after them (last March 5th), last Monday (the most recent
// Monday before today) and this Monday (in the current week).
func enLastThis(sc *scan, i int, r *resolver) (cand, bool) {
	last := sc.key(i, kwLast)
	if !last && !sc.key(i, kwThis) {
		return cand{}, false
	}
	j := sc.sp(i + 1)
	w, ok := sc.word(j)
	if !ok {
		return cand{}, false
	}
	var c cand
	switch {
	case w.cls == wUnit && w.n == unitMonth && sc.wordIs(j, "month"):
		if last {
			c, ok = r.monthsAgo(1)
		} else {
			c, ok = r.monthsAgo(0)
		}
	case w.cls == wUnit && w.n == unitWeek && sc.wordIs(j, "week"):
		if last {
			c, ok = r.week(-1)
		} else {
			c, ok = r.week(0)
		}
	case w.cls == wUnit && w.n == unitYear && sc.wordIs(j, "year"):
		if last {
			c, ok = r.year(r.today.Year()-1, true)
		} else {
			c, ok = r.year(r.today.Year(), true)
		}
	case w.cls == wMonth:
		if last {
			c, ok = r.monthBefore(int(w.n))
		} else {
			c, ok = r.ym(r.today.Year(), int(w.n), true)
		}
		if !ok {
			return cand{}, false
		}
		k := j + 1
		if sc.is(k, '.') {
			k++
		}
		if d, k2, found := sc.enDay(sc.sp(k)); found {
			c2, ok := r.ymd(c.date.Year(), int(w.n), d, true)
			c2.j = k2
			return c2, ok && d > 0
		}
	case w.cls == wWeekday:
		if last {
			c, ok = r.lastWeekday(time.Weekday(w.n), true)
		} else {
			c, ok = r.thisWeek(time.Weekday(w.n), 0)
		}
	default:
		return cand{}, false
	}
	c.j = j + 1
	return c, ok
}

// enDay reads a day of the month after a month name: "5", "5th", "05". found
// reports a one- or two-digit number there; d is 0 when it is no day (45).
func (sc *scan) enDay(i int) (d, j int, found bool) {
	if sc.kindAt(i) != kNum || sc.t[i].ndig > 2 || sc.gluedAfter(i+1) {
		return 0, i, false
	}
	if w, ok := sc.word(i + 1); ok && w.cls == wUnit {
		return 0, i, false // "March 3 days ago" is not March 3
	}
	if nw := sc.sp(i + 1); sc.kindAt(nw) == kWord && sc.t[nw].w.cls == wUnit {
		return 0, i, false
	}
	j = i + 1
	if sc.key(j, kwOrd) {
		j++
	}
	if v := sc.t[i].val; v >= 1 && v <= 31 {
		d = int(v)
	}
	return d, j, true
}

// enYear reads a year after a month or a day: ", 2026" or " 2026".
func (sc *scan) enYear(i int) (y, j int, ok bool) {
	k := sc.sp(i)
	if sc.is(k, ',') {
		k = sc.sp(k + 1)
	}
	if sc.kindAt(k) != kNum || sc.t[k].ndig != 4 || !sc.numEnd(k+1) {
		return 0, i, false
	}
	return int(sc.t[k].val), k + 1, true
}

// monthContext reports whether a weak month or weekday name at i reads as a
// date from the word before it.
func (sc *scan) monthContext(i int) bool {
	w, ok := sc.word(sc.prev(i))
	if !ok || w.cls != wKey {
		return false
	}
	switch w.n {
	case kwIn, kwLast, kwThis, kwOn, kwSince, kwOf, kwEarly, kwLate:
		return true
	}
	return false
}

// enMonthFirst reads "March 5", "Mar. 5th", "March 5, 2026" (day),
// "March 2026", "March of 2026" (month) and "March" alone (month, the most
// recent March whose first day is not after today).
func enMonthFirst(sc *scan, i int, r *resolver) (cand, bool) {
	w, ok := sc.word(i)
	if !ok || w.cls != wMonth || sc.gluedBefore(i) {
		return cand{}, false
	}
	m := int(w.n)
	j := i + 1
	if sc.is(j, '.') && w.weak {
		j++
	}
	if d, k, found := sc.enDay(sc.sp(j)); found {
		if d == 0 {
			return cand{}, false
		}
		var c cand
		if y, k2, ok := sc.enYear(k); ok {
			c, ok = r.ymd(y, m, d, false)
			c.j = k2
			return c, ok
		}
		c, ok = r.md(m, d)
		c.j = k
		return c, ok
	}
	k := j
	if sc.key(sc.sp(k), kwOf) {
		k = sc.sp(k) + 1
	}
	if y, k2, ok := sc.enYear(k); ok {
		c, ok := r.ym(y, m, false)
		c.j = k2
		return c, ok
	}
	if w.weak && !sc.monthContext(i) && !(sc.wordIs(i, "may") && sc.clauseEnds(i+1)) {
		return cand{}, false
	}
	c, ok := r.month(m, false)
	c.j = i + 1
	return c, ok
}

// clauseEnds reports whether nothing but space and punctuation (or a Chinese
// character) follows before the next word: "it was May." but not "I may be".
func (sc *scan) clauseEnds(i int) bool {
	k := sc.sp(i)
	switch sc.kindAt(k) {
	case 0, kPunct, kHan:
		return true
	}
	return false
}

// enDayFirst reads "5 March", "5th of March", "5 Mar 2026".
func enDayFirst(sc *scan, i int, r *resolver) (cand, bool) {
	if sc.kindAt(i) != kNum || sc.t[i].ndig > 2 || sc.gluedBefore(i) {
		return cand{}, false
	}
	j := i + 1
	if sc.key(j, kwOrd) {
		j++
	}
	j = sc.sp(j)
	if sc.key(j, kwOf) {
		j = sc.sp(j + 1)
	}
	w, ok := sc.word(j)
	if !ok || w.cls != wMonth {
		return cand{}, false
	}
	j++
	if sc.is(j, '.') && w.weak {
		j++
	}
	d, m := int(sc.t[i].val), int(w.n)
	var c cand
	if y, k, ok := sc.enYear(j); ok {
		c, ok = r.ymd(y, m, d, false)
		c.j = k
		return c, ok
	}
	c, ok = r.md(m, d)
	c.j = j
	return c, ok
}

// enWeekday reads "Friday" (the most recent Friday, today included; the
// next one for NextDates, not today after "next");
// abbreviations ("Fri") only after on/last/this/since.
func enWeekday(sc *scan, i int, r *resolver) (cand, bool) {
	w, ok := sc.word(i)
	if !ok || w.cls != wWeekday || sc.gluedBefore(i) {
		return cand{}, false
	}
	if w.weak && !sc.monthContext(i) {
		return cand{}, false
	}
	// "Friday next week": that day of next week (Monday to Sunday).
	if n := sc.sp(i + 1); sc.wordIs(n, "next") && sc.wordIs(sc.sp(n+1), "week") {
		c, ok := r.thisWeek(time.Weekday(w.n), 1)
		c.j = sc.sp(n+1) + 1
		return c, ok
	}
	c, ok := r.weekday(time.Weekday(w.n))
	if ok && r.ahead && c.date == r.today && sc.wordIs(sc.prev(i), "next") {
		c.date = c.date.AddDate(0, 0, 7) // "next Saturday" said on a Saturday: not today
	}
	c.j = i + 1
	return c, ok
}

// enInYear reads a year after "in" or "since": "in 2025" (year).
func enInYear(sc *scan, i int, r *resolver) (cand, bool) {
	if sc.kindAt(i) != kNum || sc.t[i].ndig != 4 || !sc.numEnd(i+1) {
		return cand{}, false
	}
	p := sc.prev(i)
	if p == i-1 || !sc.key(p, kwIn) && !sc.key(p, kwSince) {
		return cand{}, false
	}
	c, ok := r.year(int(sc.t[i].val), false)
	c.j = i + 1
	return c, ok
}
