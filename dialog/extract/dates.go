package extract

import (
	"strconv"
	"strings"
	"time"

	"github.com/supportd/supportd/policy"
)

// Precision says how much of a date the customer gave.
type Precision int

const (
	PrecisionDay   Precision = iota // a calendar day: 2026-03-05, 昨天, 3 weeks ago
	PrecisionMonth                  // a month: 2026年3月, last March, 2个月前; Date is its 1st
	PrecisionYear                   // a year: 去年, last year; Date is its January 1st
	PrecisionWeek                   // a Monday-to-Sunday week: 上周, last week; Date is its Monday
)

// String returns "day", "month", "year" or "week".
func (p Precision) String() string {
	switch p {
	case PrecisionDay:
		return "day"
	case PrecisionMonth:
		return "month"
	case PrecisionYear:
		return "year"
	case PrecisionWeek:
		return "week"
	}
	return "Precision(" + strconv.Itoa(int(p)) + ")"
}

// DateMatch is a date expression found in a message.
type DateMatch struct {
	// Date is the day meant; for PrecisionMonth the 1st of the month, for
	// PrecisionYear January 1st. It is always a valid calendar date.
	Date      policy.Date
	Precision Precision
	// Relative reports that the date was computed from today by a relative
	// expression ("yesterday", "3周前", "last March", "去年3月", "上周三",
	// "on Friday"). A written-out date whose year was inferred ("3月5日",
	// "March 5", "in March") is not relative.
	Relative bool
	Text     string // the expression as written: text[Start:End]
	Start    int    // byte offset of Text in the message
	End      int    // byte offset just after Text
	// Weekday reports that the day was read from the name of a day of the
	// week ("Friday", "last Monday", "周三", "下周二").
	Weekday bool
}

// Dates returns every date expression in text, in order and without
// overlaps, resolved against today (which must be a valid date).
//
// Chinese: 2026年3月5日/号, 二〇二六年三月五日, 3月5号, 3月份, 2026年3月 and 26年3月
// (month), 2026年 (year), 今年/去年/前年/大前年 (year) with an optional month and
// day, 上个月/上上个月/这个月/本月 (month) with an optional day (上个月15号), 今天 昨天
// 前天 大前天 明天 后天, N天前, N周前, N个星期前, N个礼拜前, 半个月前 (days), N个月前,
// N年前, 半年前, N个多月前 (month), 周一 星期三 礼拜天 (the most recent such day,
// today included), 上周三 上星期五 (the previous Monday-to-Sunday week), 这周三
// 本周三, 上周 上个星期 上上周 这周 本周 上周末 (week), 双十一 双12. Numerals may be Arabic, full-width or Chinese (一 … 十, 二十一,
// 三十一, 〇).
//
// English, case-insensitive: March 5, Mar 5th, March 5, 2026, 5 March 2026,
// 5th of March, March 2026 (month), March / in March (month), last March (the
// most recent March before the current month: in March 2026 that is March
// 2025), this March, March last year / last year in March (month),
// last/this month (month), last/this week (week), last/this year and the year before last (year), in 2025
// (year), today, yesterday, tomorrow, the day before yesterday, N days/weeks/
// fortnights ago (days; weeks are 7 days), N months ago and N years ago
// (month), "a week ago", "three weeks ago", "twenty-one days ago", Friday /
// on Friday (the most recent Friday, today included), last Monday (the most
// recent Monday before today), this Monday (in the current Monday-to-Sunday
// week). "May" and abbreviated names (Mar, Fri) count only where they read as
// dates: before a day or year, after in/last/this/on/since/of, or, for May, at
// the end of a clause.
//
// Numeric: 2026-03-05, 2026/3/5, 2026.3.5, and day/month/year forms such as
// 24/11/2026 only when a single reading is a valid date: 3/5/2026 is
// ambiguous and skipped, as is 3/5 alone.
//
// A date written without a year is the most recent such date not after today
// (purchase dates are in the past). Expressions that resolve after today
// (2027年1月, 明天, 这周日) are still returned; the caller rejects them.
// Impossible dates (2月30日, 2026-02-30, 上个月31号 after a 30-day month) are not
// matched, never normalised into the next month. Relative amounts are bounded
// (100 years) and written years must lie in 1900–2100.
//
// Safe for concurrent use.
func Dates(text string, today policy.Date) []DateMatch {
	return dates(text, resolver{today: today})
}

// NextDates is Dates read forward, for a day to come (a visit to book): a
// date without a year ("29 November", "3月5号"), a bare month and a bare
// weekday ("Friday", "周五") are the next such one, today included. Relative
// expressions read as they say ("tomorrow", "下周三", "last Monday").
func NextDates(text string, today policy.Date) []DateMatch {
	return dates(text, resolver{today: today, ahead: true})
}

// DayAlone reads a message that says a day of the month and nothing else,
// as the answer to a question asking for a date: "18号", "十八日", "是22号",
// "the 18th", "on the 18th", "18th". The day is read as "18号买的" is: the
// most recent such day not after today, this month or the one before; with
// ahead (a visit to book) the next such day, today included, this month or
// the one after. The match is Relative (its month is a guess). False when
// text says more ("18号楼", "the 18th floor", "18") or the day does not
// exist in those months.
func DayAlone(text string, today policy.Date, ahead bool) (DateMatch, bool) {
	var buf [16]tok
	sc := newScan(text, buf[:])
	i := sc.sp(0)
	if j, ok := sc.lits(i, "就是", "是"); ok {
		i = sc.sp(j)
	}
	article := false
	if sc.key(i, kwOn) {
		i = sc.sp(i + 1)
	}
	if sc.key(i, kwThe) {
		i, article = sc.sp(i+1), true
	}
	start := i
	v, n, j, ok := sc.zhNum(i)
	if !ok || n > 2 || v < 1 || v > 31 {
		return DateMatch{}, false
	}
	end := j
	switch {
	case sc.key(j, kwOrd):
		end = j + 1
	default:
		if k, ok := sc.lits(sc.sp(j), "日", "号", "號"); ok {
			end = k
		} else if !article || sc.kindAt(i) != kNum {
			return DateMatch{}, false // "18" alone may be anything
		}
	}
	k := sc.sp(end)
	if j, ok := sc.lits(k, "吧", "啊", "的"); ok {
		k = j
	}
	for ; k < len(sc.t); k++ {
		if sc.t[k].kind != kSpace && (sc.t[k].kind != kPunct || !strings.ContainsRune(".!。！~", sc.t[k].r)) {
			return DateMatch{}, false
		}
	}
	r := resolver{today: today, ahead: ahead}
	c, ok := r.dayOfMonth(int(v))
	if !ok {
		return DateMatch{}, false
	}
	from, to := sc.t[start].start, sc.t[end-1].end
	return DateMatch{Date: c.date, Precision: PrecisionDay, Relative: true, Text: text[from:to], Start: from, End: to}, true
}

func dates(text string, r resolver) []DateMatch {
	var buf [64]tok
	sc := newScan(text, buf[:])
	var out []DateMatch
	for i := 0; i < len(sc.t); {
		best, ok := dateAt(&sc, i, &r)
		if !ok {
			i++
			continue
		}
		out = append(out, DateMatch{
			Date: best.date, Precision: best.prec, Relative: best.rel, Weekday: best.weekday,
			Text: text[sc.t[i].start:sc.t[best.j-1].end], Start: sc.t[i].start, End: sc.t[best.j-1].end,
		})
		i = max(best.j, i+1)
	}
	return monthOfYear(out, text)
}

// monthOfYear joins a bare month and a year said next to each other ("March
// last year", "last year in March", "in March of last year") into that
// month of that year: read apart they were this year's March and a whole
// year.
func monthOfYear(ms []DateMatch, text string) []DateMatch {
	for i := 0; i+1 < len(ms); i++ {
		a, b := ms[i], ms[i+1]
		month, year := a, b
		if a.Precision == PrecisionYear {
			month, year = b, a
		}
		if month.Precision != PrecisionMonth || year.Precision != PrecisionYear || month.Relative ||
			strings.ContainsAny(month.Text, "0123456789") {
			continue
		}
		switch strings.ToLower(strings.TrimSpace(strings.Trim(text[a.End:b.Start], " ,"))) {
		case "", "in", "of", "in the", "of the":
		default:
			continue
		}
		d := policy.NewDate(year.Date.Year(), month.Date.Month(), 1)
		ms[i] = DateMatch{Date: d, Precision: PrecisionMonth, Relative: year.Relative, Text: text[a.Start:b.End], Start: a.Start, End: b.End}
		ms = append(ms[:i+1], ms[i+2:]...)
	}
	return ms
}

// cand is a date a rule found at some token i; j is the token after it.
type cand struct {
	date    policy.Date
	prec    Precision
	rel     bool
	weekday bool // read from the name of a day of the week
	j       int
}

// dateAt returns the longest date any rule reads at token i. Each rule
// reads a date starting exactly at token i. The rules are called directly,
// not through a table of functions, so that the tokens stay on the stack.
func dateAt(sc *scan, i int, r *resolver) (cand, bool) {
	var best cand
	found := false
	try := func(c cand, ok bool) {
		if ok && (!found || c.j > best.j) {
			best, found = c, true
		}
	}
	switch sc.t[i].kind {
	case kNum:
		try(numericYMD(sc, i, r))
		try(numericDMY(sc, i, r))
		try(numericDM(sc, i, r))
		try(zhYearFirst(sc, i, r))
		try(zhMonthFirst(sc, i, r))
		try(zhDayOnly(sc, i, r))
		try(zhAgo(sc, i, r))
		try(enAgo(sc, i, r))
		try(enDayFirst(sc, i, r))
		try(enInYear(sc, i, r))
	case kHan:
		if !zhStart(sc.t[i].r) {
			break
		}
		try(zhYearFirst(sc, i, r))
		try(zhMonthFirst(sc, i, r))
		try(zhRelYear(sc, i, r))
		try(zhRelMonth(sc, i, r))
		try(zhRelDay(sc, i, r))
		try(zhAgo(sc, i, r))
		try(zhWeekday(sc, i, r))
		try(zhShuang(sc, i, r))
	case kWord:
		try(enRelDay(sc, i, r))
		try(enAgo(sc, i, r))
		try(enLastThis(sc, i, r))
		try(enYearBeforeLast(sc, i, r))
		try(enMonthFirst(sc, i, r))
		try(enWeekday(sc, i, r))
	}
	return best, found
}

// zhStart reports whether a Chinese date expression can start with r.
func zhStart(r rune) bool {
	if cnDigit(r) >= 0 || cnUnit(r) > 0 {
		return true
	}
	switch r {
	case '今', '去', '前', '大', '明', '上', '下', '这', '這', '本', '昨', '后', '後',
		'双', '雙', '半', '周', '週', '星', '礼', '禮':
		return true
	}
	return false
}

// Calendar arithmetic.

// resolver turns partial and relative dates into calendar dates: a date
// without a year, a bare month or weekday is the most recent one, or with
// ahead the next one (today included either way).
type resolver struct {
	today policy.Date
	ahead bool
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysIn(y, m int) int {
	switch m {
	case 2:
		if isLeap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func validDate(y, m, d int) bool {
	return m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m)
}

const minYear, maxYear = 1900, 2100

func mkDate(y, m, d int) policy.Date { return policy.NewDate(y, time.Month(m), d) }

// ymd returns the written-out date y-m-d, when it exists.
func (r *resolver) ymd(y, m, d int, rel bool) (cand, bool) {
	if y < minYear || y > maxYear || !validDate(y, m, d) {
		return cand{}, false
	}
	return cand{date: mkDate(y, m, d), prec: PrecisionDay, rel: rel}, true
}

// ym returns the month y-m.
func (r *resolver) ym(y, m int, rel bool) (cand, bool) {
	if y < minYear || y > maxYear || m < 1 || m > 12 {
		return cand{}, false
	}
	return cand{date: mkDate(y, m, 1), prec: PrecisionMonth, rel: rel}, true
}

// year returns the year y.
func (r *resolver) year(y int, rel bool) (cand, bool) {
	if y < minYear || y > maxYear {
		return cand{}, false
	}
	return cand{date: mkDate(y, 1, 1), prec: PrecisionYear, rel: rel}, true
}

// md returns the most recent m-d not after today (Feb 29 goes back to the
// last leap year), or ahead the next not before today; false when m-d never
// exists.
func (r *resolver) md(m, d int) (cand, bool) {
	t := r.today
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return cand{}, false
	}
	y, step := t.Year(), -1
	if r.ahead {
		step = 1
		if m < int(t.Month()) || m == int(t.Month()) && d < t.Day() {
			y++
		}
	} else if m > int(t.Month()) || m == int(t.Month()) && d > t.Day() {
		y--
	}
	for k := 0; k < 8; k, y = k+1, y+step {
		if validDate(y, m, d) {
			return r.ymd(y, m, d, false)
		}
	}
	return cand{}, false
}

// month returns the most recent month m whose first day is not after
// today, or ahead the next month m not ended before today.
func (r *resolver) month(m int, rel bool) (cand, bool) {
	y := r.today.Year()
	switch {
	case r.ahead && m < int(r.today.Month()):
		y++
	case !r.ahead && m > int(r.today.Month()):
		y--
	}
	return r.ym(y, m, rel)
}

// monthBefore returns the most recent month m before the current month
// ("last March": in March that is the previous year's).
func (r *resolver) monthBefore(m int) (cand, bool) {
	y := r.today.Year()
	if m >= int(r.today.Month()) {
		y--
	}
	return r.ym(y, m, true)
}

// Bounds on relative amounts, so that every result stays a sensible date.
const (
	maxAgoDays   = 36600
	maxAgoMonths = 1200
	maxAgoYears  = 100
)

// daysAgo returns today minus n days.
func (r *resolver) daysAgo(n int64) (cand, bool) {
	if n < 0 || n > maxAgoDays {
		return cand{}, false
	}
	return r.day(r.today.AddDate(0, 0, -int(n)), true)
}

// day wraps a computed date.
func (r *resolver) day(d policy.Date, rel bool) (cand, bool) {
	if d.Year() < minYear || d.Year() > maxYear {
		return cand{}, false
	}
	return cand{date: d, prec: PrecisionDay, rel: rel}, true
}

// monthsAgo returns the month n months before the current one.
func (r *resolver) monthsAgo(n int64) (cand, bool) {
	if n < 0 || n > maxAgoMonths {
		return cand{}, false
	}
	first := mkDate(r.today.Year(), int(r.today.Month()), 1).AddDate(0, -int(n), 0)
	return r.ym(first.Year(), int(first.Month()), true)
}

// week returns the Monday-to-Sunday week weeks from the current one
// (-1: last week), by its Monday.
func (r *resolver) week(weeks int) (cand, bool) {
	t := r.today
	monday := t.AddDate(0, 0, 7*weeks-(int(t.Weekday())+6)%7)
	if y := monday.Year(); y < minYear || y > maxYear {
		return cand{}, false
	}
	return cand{date: monday, prec: PrecisionWeek, rel: true}, true
}

// thisWeek returns the day with weekday wd in the current Monday-to-Sunday
// week shifted by weeks (−1: the previous week).
func (r *resolver) thisWeek(wd time.Weekday, weeks int) (cand, bool) {
	t := r.today
	monday := t.AddDate(0, 0, -((int(t.Weekday()) + 6) % 7))
	return r.weekdayDay(monday.AddDate(0, 0, 7*weeks+(int(wd)+6)%7))
}

// weekday returns the most recent day with weekday wd, or ahead the next
// one, today included.
func (r *resolver) weekday(wd time.Weekday) (cand, bool) {
	if r.ahead {
		return r.weekdayDay(r.today.AddDate(0, 0, (int(wd)-int(r.today.Weekday())+7)%7))
	}
	return r.lastWeekday(wd, false)
}

// lastWeekday returns the most recent day with weekday wd, today included
// unless strict.
func (r *resolver) lastWeekday(wd time.Weekday, strict bool) (cand, bool) {
	diff := (int(r.today.Weekday()) - int(wd) + 7) % 7
	if diff == 0 && strict {
		diff = 7
	}
	return r.weekdayDay(r.today.AddDate(0, 0, -diff))
}

// weekdayDay is day d read from the name of a day of the week.
func (r *resolver) weekdayDay(d policy.Date) (cand, bool) {
	c, ok := r.day(d, true)
	c.weekday = true
	return c, ok
}

// Numeric forms shared by both languages.

// isDateSep reports whether token i is a date separator '-', '/' or '.'.
func (sc *scan) dateSep(i int) rune {
	if sc.kindAt(i) == kPunct {
		switch r := sc.t[i].r; r {
		case '-', '/', '.':
			return r
		}
	}
	return 0
}

// numEnd reports whether a numeric date may end before token j: nothing that
// continues it follows (a digit, a letter, another separated number).
func (sc *scan) numEnd(j int) bool {
	switch sc.kindAt(j) {
	case kNum, kWord:
		return false
	}
	return sc.dateSep(j) == 0 || sc.kindAt(j+1) != kNum
}

// numericYMD reads 2026-03-05, 2026/3/5 and 2026.3.5.
func numericYMD(sc *scan, i int, r *resolver) (cand, bool) {
	t := sc.t
	if t[i].kind != kNum || t[i].ndig != 4 || sc.gluedBefore(i) {
		return cand{}, false
	}
	sep := sc.dateSep(i + 1)
	if sep == 0 || sc.kindAt(i+2) != kNum || t[i+2].ndig > 2 ||
		sc.dateSep(i+3) != sep || sc.kindAt(i+4) != kNum || t[i+4].ndig > 2 || !sc.numEnd(i+5) {
		return cand{}, false
	}
	c, ok := r.ymd(int(t[i].val), int(t[i+2].val), int(t[i+4].val), false)
	c.j = i + 5
	return c, ok
}

// numericDM reads a day and a month without a year, either way round, when
// exactly one reading is a date: "18/11", "11/18" (the most recent such
// day); with a point only before a verb of buying or receiving ("11.18买的"),
// as "12.30" alone may be a price or a time. "4/5", "8/10" read both ways
// and are no date (a rating says them).
func numericDM(sc *scan, i int, r *resolver) (cand, bool) {
	t := sc.t
	if t[i].kind != kNum || t[i].ndig > 2 || sc.gluedBefore(i) {
		return cand{}, false
	}
	sep := sc.dateSep(i + 1)
	if sep != '/' && sep != '.' || sc.kindAt(i+2) != kNum || t[i+2].ndig > 2 || !sc.numEnd(i+3) || sc.dateSep(i+3) != 0 {
		return cand{}, false
	}
	if sep == '.' {
		if _, ok := sc.lits(sc.sp(i+3), buyVerbs...); !ok {
			return cand{}, false
		}
	}
	a, b := int(t[i].val), int(t[i+2].val)
	if a == 24 && b == 7 {
		return cand{}, false // "24/7": all the time
	}
	okDM := a >= 1 && b >= 1 && b <= 12 && a <= daysIn(2024, b)
	okMD := a >= 1 && b >= 1 && a <= 12 && b <= daysIn(2024, a)
	var c cand
	var ok bool
	switch {
	case okDM && a == b:
		c, ok = r.md(a, a) // 5/5
	case okDM == okMD:
		return cand{}, false
	case okDM:
		c, ok = r.md(b, a)
	default:
		c, ok = r.md(a, b)
	}
	c.j = i + 3
	return c, ok
}

// Ambiguous finds the first numeric date in text that Dates skips because
// it reads both ways round, "3/5" or "3/5/2026" (day/month or month/day,
// two different valid dates), and returns both readings: dm reads the first
// number as the day (3 May), md as the month (5 March). Without a year each
// is resolved as Dates does (the most recent such day), or ahead as
// NextDates does. False when text has no such date.
func Ambiguous(text string, today policy.Date, ahead bool) (dm, md DateMatch, ok bool) {
	var buf [64]tok
	sc := newScan(text, buf[:])
	r := resolver{today: today, ahead: ahead}
	t := sc.t
	for i := range t {
		if t[i].kind != kNum || t[i].ndig > 2 || sc.gluedBefore(i) || sc.dateSep(i+1) != '/' ||
			sc.kindAt(i+2) != kNum || t[i+2].ndig > 2 {
			continue
		}
		a, b := int(t[i].val), int(t[i+2].val)
		j, y := i+3, 0
		if sc.dateSep(j) == '/' && sc.kindAt(j+1) == kNum && t[j+1].ndig == 4 {
			j, y = j+2, int(t[j+1].val)
		}
		if a == b || !sc.numEnd(j) {
			continue
		}
		var x, z cand
		var okX, okZ bool
		if y != 0 {
			x, okX = r.ymd(y, b, a, false)
			z, okZ = r.ymd(y, a, b, false)
		} else {
			x, okX = r.md(b, a)
			z, okZ = r.md(a, b)
		}
		if !okX || !okZ {
			continue
		}
		m := DateMatch{Precision: PrecisionDay, Text: text[t[i].start:t[j-1].end], Start: t[i].start, End: t[j-1].end}
		dm, md = m, m
		dm.Date, md.Date = x.date, z.date
		return dm, md, true
	}
	return DateMatch{}, DateMatch{}, false
}

// numericDMY reads day-month-year and month-day-year forms (24/11/2026,
// 11/24/2026) when exactly one reading is a valid date.
func numericDMY(sc *scan, i int, r *resolver) (cand, bool) {
	t := sc.t
	if t[i].kind != kNum || t[i].ndig > 2 || sc.gluedBefore(i) {
		return cand{}, false
	}
	sep := sc.dateSep(i + 1)
	if sep == 0 || sc.kindAt(i+2) != kNum || t[i+2].ndig > 2 ||
		sc.dateSep(i+3) != sep || sc.kindAt(i+4) != kNum || t[i+4].ndig != 4 || !sc.numEnd(i+5) {
		return cand{}, false
	}
	a, b, y := int(t[i].val), int(t[i+2].val), int(t[i+4].val)
	dm, dmOK := r.ymd(y, b, a, false)
	md, mdOK := r.ymd(y, a, b, false)
	var c cand
	switch {
	case dmOK && mdOK && a != b, !dmOK && !mdOK:
		return cand{}, false
	case dmOK:
		c = dm
	default:
		c = md
	}
	c.j = i + 5
	return c, true
}

// NextWeekday reads "next Saturday" said earlier in the same Monday-to-Sunday
// week as the coming Saturday (on a Wednesday): it may mean that one or the
// one a week later, coming and following. False when text says no "next"
// before a weekday name, or when it reads one way: "next Monday" said on a
// Wednesday is the coming Monday, and "next Saturday" said on a Saturday or a
// Sunday is the coming one after today. For a day to come (a visit to book).
func NextWeekday(text string, today policy.Date) (coming, following DateMatch, ok bool) {
	var buf [64]tok
	sc := newScan(text, buf[:])
	for i := range sc.t {
		if !sc.wordIs(i, "next") {
			continue
		}
		j := sc.sp(i + 1)
		w, isWord := sc.word(j)
		if !isWord || w.cls != wWeekday {
			continue
		}
		ahead := (int(w.n) - int(today.Weekday()) + 7) % 7
		if ahead == 0 || (int(today.Weekday())+6)%7+ahead > 6 {
			return DateMatch{}, DateMatch{}, false
		}
		m := DateMatch{Precision: PrecisionDay, Relative: true, Weekday: true, Text: text[sc.t[i].start:sc.t[j].end], Start: sc.t[i].start, End: sc.t[j].end}
		coming, following = m, m
		coming.Date, following.Date = today.AddDate(0, 0, ahead), today.AddDate(0, 0, ahead+7)
		return coming, following, true
	}
	return DateMatch{}, DateMatch{}, false
}
