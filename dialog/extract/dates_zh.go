package extract

import "time"

// Chinese date rules. Each reads a date starting exactly at token i; see
// Dates for the forms. Components may be separated by spaces ("2026 年 3 月").

// zhNum reads a free-standing Arabic number (ASCII or full-width) or a
// Chinese numeral at token i. ndig is the number of digits when written digit
// by digit (2026, 二〇二六) and 0 for numerals with units (二十一).
func (sc *scan) zhNum(i int) (v int64, ndig, j int, ok bool) {
	switch sc.kindAt(i) {
	case kNum:
		if sc.t[i].ndig > maxDigits || sc.gluedBefore(i) || sc.is(i+1, '.') && sc.kindAt(i+2) == kNum {
			return 0, 0, i, false
		}
		return sc.t[i].val, sc.t[i].ndig, i + 1, true
	case kHan:
		v, n, j, ok := sc.cnum(i)
		return v, n, j, ok
	}
	return 0, 0, i, false
}

// zhDay reads a day of the month written "5日", "5号", "五號" at token i.
func (sc *scan) zhDay(i int) (d, j int, ok bool) {
	v, n, j, ok := sc.zhNum(i)
	if !ok || n > 2 || v < 1 || v > 31 {
		return 0, i, false
	}
	if k, ok := sc.lits(sc.sp(j), "日", "号", "號"); ok {
		return int(v), k, true
	}
	// "11月18买的", "3月5到的": in speech the day often goes without 日 or
	// 号 right before a verb of buying or receiving; a number before
	// anything else (11月18个, 3月5天) is no day.
	if sc.t[i].kind == kNum {
		if _, ok := sc.lits(j, buyVerbs...); ok {
			return int(v), j, true
		}
	}
	return 0, i, false
}

// zhMonth reads "3月", "三月", "3月份" at token i.
func (sc *scan) zhMonth(i int) (m, j int, ok bool) {
	v, n, j, ok := sc.zhNum(i)
	if !ok || n > 2 || v < 1 || v > 12 {
		return 0, i, false
	}
	if j, ok = sc.lit(sc.sp(j), "月"); !ok {
		return 0, i, false
	}
	if k, ok := sc.lit(j, "份"); ok {
		j = k
	}
	return int(v), j, true
}

// zhMonthDay reads a month and an optional day after it, both in year y;
// with a day that does not exist the whole expression fails.
func (sc *scan) zhMonthDay(i, y int, rel bool, r *resolver) (cand, bool) {
	m, j, ok := sc.zhMonth(i)
	if !ok {
		return cand{}, false
	}
	if d, k, ok := sc.zhDay(sc.sp(j)); ok {
		c, ok := r.ymd(y, m, d, rel)
		c.j = k
		return c, ok
	}
	c, ok := r.ym(y, m, rel)
	c.j = j
	return c, ok
}

// zhYearFirst reads 2026年 (year), 2026年3月 (month), 2026年3月5日, 二〇二六年三月五号
// and two-digit years before a month (26年3月).
func zhYearFirst(sc *scan, i int, r *resolver) (cand, bool) {
	v, n, j, ok := sc.zhNum(i)
	if !ok || n != 4 && n != 2 {
		return cand{}, false
	}
	if j, ok = sc.lit(sc.sp(j), "年"); !ok {
		return cand{}, false
	}
	y := int(v)
	if n == 2 {
		y += 2000
		if y > r.today.Year() {
			y -= 100
		}
	}
	if c, ok := sc.zhMonthDay(sc.sp(j), y, false, r); ok {
		return c, true
	} else if sc.dayFollows(sc.sp(j)) || n == 2 {
		return cand{}, false // 2026年2月30日, or 26年 alone
	}
	c, ok := r.year(y, false)
	c.j = j
	return c, ok
}

// dayFollows reports whether a month with a day starts at i, valid or not.
func (sc *scan) dayFollows(i int) bool {
	_, j, ok := sc.zhMonth(i)
	if !ok {
		return false
	}
	v, _, k, ok := sc.zhNum(sc.sp(j))
	_, ok2 := sc.lits(sc.sp(k), "日", "号", "號")
	return ok && ok2 && v >= 0
}

// zhMonthFirst reads 3月5日, 三月五号, 3月 and 3月份 without a year: the most
// recent such day or month.
func zhMonthFirst(sc *scan, i int, r *resolver) (cand, bool) {
	p := i - 1
	for sc.kindAt(p) == kSpace {
		p--
	}
	if sc.is(p, '年') || sc.is(p, '个') || sc.is(p, '個') {
		return cand{}, false // the year did not parse: 1800年3月
	}
	m, j, ok := sc.zhMonth(i)
	if !ok {
		return cand{}, false
	}
	if d, k, ok := sc.zhDay(sc.sp(j)); ok {
		c, ok := r.md(m, d)
		c.j = k
		return c, ok
	}
	if sc.dayFollows(i) {
		return cand{}, false
	}
	c, ok := r.month(m, false)
	c.j = j
	return c, ok
}

// buyVerbs follow a day of purchase written without its month or its 号
// ("11月18买的", "18号买的", "5号到的").
var buyVerbs = []string{"买", "购", "下单", "入手", "收到", "到货", "送到", "到的", "拿到", "提货", "安装", "装的"}

// zhDayOnly reads a day of the month alone before a verb of buying or
// receiving ("18号买的", "5号收到的"): the most recent such day, this month
// or the one before. A day alone before anything else is no date ("3号线",
// "5号电池", "18号楼").
func zhDayOnly(sc *scan, i int, r *resolver) (cand, bool) {
	p := i - 1
	for sc.kindAt(p) == kSpace {
		p--
	}
	if sc.is(p, '月') || sc.kindAt(p) == kNum || sc.kindAt(i) != kNum {
		return cand{}, false
	}
	v, n, j, ok := sc.zhNum(i)
	if !ok || n > 2 || v < 1 || v > 31 {
		return cand{}, false
	}
	k, ok := sc.lits(sc.sp(j), "日", "号", "號")
	if !ok {
		return cand{}, false
	}
	if _, ok := sc.lits(sc.sp(k), buyVerbs...); !ok {
		return cand{}, false
	}
	past := *r
	past.ahead = false // bought or received: a day gone by, also read forward
	c, ok := past.dayOfMonth(int(v))
	c.j = k
	return c, ok
}

// dayOfMonth returns day d of the current month or the one before: the most
// recent such day not after today, or ahead the next one not before today
// (this month or the one after). It is relative: the month is a guess.
func (r *resolver) dayOfMonth(d int) (cand, bool) {
	t := r.today
	y, m, step := t.Year(), int(t.Month()), -1
	if r.ahead {
		step = 1
	}
	for k := range 2 {
		if k > 0 || !r.ahead && d <= t.Day() || r.ahead && d >= t.Day() {
			if c, ok := r.ymd(y, m, d, true); ok {
				return c, true
			}
		}
		if m += step; m == 0 {
			y, m = y-1, 12
		} else if m == 13 {
			y, m = y+1, 1
		}
	}
	return cand{}, false
}

// zhRelYear reads 今年, 去年, 前年, 大前年, 明年 (year), optionally followed by a
// month and a day: 去年3月 (month), 去年3月5号 (day).
func zhRelYear(sc *scan, i int, r *resolver) (cand, bool) {
	var off int
	j, ok := 0, false
	for _, e := range [...]struct {
		lit string
		off int
	}{{"大前年", -3}, {"前年", -2}, {"去年", -1}, {"今年", 0}, {"明年", 1}} {
		if j, ok = sc.lit(i, e.lit); ok {
			off = e.off
			break
		}
	}
	if !ok {
		return cand{}, false
	}
	y := r.today.Year() + off
	if c, ok := sc.zhMonthDay(sc.sp(j), y, true, r); ok {
		return c, true
	} else if sc.dayFollows(sc.sp(j)) {
		return cand{}, false
	}
	c, ok := r.year(y, true)
	c.j = j
	return c, ok
}

// shang reads one to three 上 at i, the start of their run (上上个月: two months
// back), and returns minus their count and the token after them; j == i when
// there is no such run.
func (sc *scan) shang(i int) (off, j int) {
	if sc.is(i-1, '上') {
		return 0, i
	}
	for j = i; sc.is(j, '上'); j++ {
		if j-i == 3 {
			return 0, i
		}
	}
	return i - j, j
}

// zhRelMonth reads 上个月, 上月, 上上个月, 这个月, 这月, 本月, 下个月 (month),
// optionally followed by a day: 上个月15号, 本月3日.
func zhRelMonth(sc *scan, i int, r *resolver) (cand, bool) {
	off, j := 0, i
	switch {
	case sc.is(i, '上'):
		if off, j = sc.shang(i); j == i {
			return cand{}, false
		}
	case sc.is(i, '下'):
		off, j = 1, i+1
	case sc.is(i, '这') || sc.is(i, '這') || sc.is(i, '本'):
		j = i + 1
	default:
		return cand{}, false
	}
	if sc.is(j, '个') || sc.is(j, '個') {
		j++
	}
	j, ok := sc.lit(j, "月")
	if !ok {
		return cand{}, false
	}
	first := mkDate(r.today.Year(), int(r.today.Month()), 1).AddDate(0, off, 0)
	y, m := first.Year(), int(first.Month())
	if v, _, k, ok := sc.zhNum(sc.sp(j)); ok {
		if k2, ok := sc.lits(sc.sp(k), "日", "号", "號"); ok {
			if v > 31 {
				return cand{}, false
			}
			c, ok := r.ymd(y, m, int(v), true)
			c.j = k2
			return c, ok
		}
	}
	c, ok := r.ym(y, m, true)
	c.j = j
	return c, ok
}

// zhRelDay reads 今天, 昨天, 前天, 大前天, 明天, 后天 and their variants.
func zhRelDay(sc *scan, i int, r *resolver) (cand, bool) {
	for _, e := range [...]struct {
		lit string
		off int
	}{{"大前天", -3}, {"前天", -2}, {"昨天", -1}, {"昨日", -1}, {"今天", 0}, {"今日", 0},
		{"大后天", 3}, {"大後天", 3}, {"明天", 1}, {"明日", 1}, {"后天", 2}, {"後天", 2}} {
		if j, ok := sc.lit(i, e.lit); ok {
			c, ok := r.day(r.today.AddDate(0, 0, e.off), true)
			c.j = j
			return c, ok
		}
	}
	return cand{}, false
}

// zhAgo reads N天前, N周前, N个星期前, N个礼拜前, 半个月前 (days), N个月前, N个多月前,
// N年前, N年多前, 半年前 (month); 之前 and 以前 work like 前, and after 买了
// none is needed (买了3天就坏了: bought three days ago).
func zhAgo(sc *scan, i int, r *resolver) (cand, bool) {
	bought := sc.isLitsBefore(i, "买了", "買了")
	var n int64
	var j int
	half := sc.is(i, '半')
	if half {
		j = i + 1
	} else {
		v, _, k, ok := sc.zhNum(i)
		if !ok || v < 1 {
			return cand{}, false
		}
		n, j = v, k
	}
	j = sc.sp(j)
	unit := 0
	if k, ok := sc.lits(j, "天", "日"); ok && !half {
		unit, j = unitDay, k
	} else if k, ok := sc.lits(j, "个星期", "個星期", "个礼拜", "個禮拜", "个禮拜", "星期", "礼拜", "禮拜", "周", "週"); ok && !half {
		unit, j = unitWeek, k
	} else if k, ok := sc.lits(j, "个多月", "個多月", "个月", "個月"); ok {
		unit, j = unitMonth, k
	} else if k, ok := sc.lits(j, "年多", "多年", "年"); ok {
		unit, j = unitYear, k
	} else {
		return cand{}, false
	}
	k, ok := sc.lits(sc.sp(j), "之前", "以前", "前")
	switch {
	case !ok && !bought:
		return cand{}, false
	case !ok:
		k = j
	}
	var c cand
	switch {
	case half && unit == unitMonth:
		c, ok = r.daysAgo(15)
	case half: // 半年
		c, ok = r.monthsAgo(6)
	case unit == unitDay:
		c, ok = r.daysAgo(n)
	case unit == unitWeek:
		c, ok = r.daysAgo(7 * min(n, maxAgoDays))
	case unit == unitMonth:
		c, ok = r.monthsAgo(n)
	default:
		c, ok = r.monthsAgo(12 * min(n, maxAgoYears+1))
	}
	c.j = k
	return c, ok
}

// zhWeekdayChar returns the weekday named by the character after 周/星期/礼拜.
func zhWeekdayChar(rn rune) (time.Weekday, bool) {
	switch rn {
	case '日', '天':
		return time.Sunday, true
	case '一', '二', '三', '四', '五', '六':
		return time.Weekday(cnDigit(rn)), true
	}
	return 0, false
}

// zhWeekday reads 周一, 星期三, 礼拜天 (the most recent such day, today included),
// 上周三, 上星期五, 上个礼拜五, 上上周一 (previous Monday-to-Sunday weeks), 这周三, 本周三
// and 下周三; without the day, 上周, 上个星期, 上上周, 这周, 本周 and 下周 are the
// week (上周末 too: the weekend is within it).
func zhWeekday(sc *scan, i int, r *resolver) (cand, bool) {
	weeks, j, bare := 0, i, false
	switch {
	case sc.is(i, '上'):
		if weeks, j = sc.shang(i); j == i {
			return cand{}, false
		}
	case sc.is(i, '下'):
		weeks, j = 1, i+1
	case sc.is(i, '这') || sc.is(i, '這') || sc.is(i, '本'):
		j = i + 1
	default:
		bare = true
		if sc.isCN(i-1) || sc.kindAt(i-1) == kNum || sc.is(i-1, '每') || sc.is(i-1, '几') {
			return cand{}, false // 一周三次, 每周一
		}
	}
	if !bare && (sc.is(j, '个') || sc.is(j, '個')) {
		j++
	}
	j, ok := sc.lits(j, "星期", "礼拜", "禮拜", "周", "週")
	if !ok {
		return cand{}, false
	}
	if !sc.is(j, '日') && !sc.is(j, '天') && !sc.isCN(j) {
		if bare {
			return cand{}, false
		}
		if sc.is(j, '末') {
			j++
		}
		c, ok := r.week(weeks)
		c.j = j
		return c, ok
	}
	wd, ok := zhWeekdayChar(sc.t[j].r)
	if !ok || sc.isCN(j+1) {
		return cand{}, false
	}
	j++
	if bare {
		if _, ok := sc.lits(j, "次", "天", "个", "個", "遍", "回", "趟", "小时"); ok {
			return cand{}, false // 周三天: three days a week
		}
		c, ok := r.weekday(wd)
		c.j = j
		return c, ok
	}
	c, ok := r.thisWeek(wd, weeks)
	c.j = j
	return c, ok
}

// zhShuang reads the shopping festivals 双十一 / 双11 (November 11) and
// 双十二 / 双12 (December 12).
func zhShuang(sc *scan, i int, r *resolver) (cand, bool) {
	if !sc.is(i, '双') && !sc.is(i, '雙') {
		return cand{}, false
	}
	v, _, j, ok := sc.zhNum(i + 1)
	if !ok || v != 11 && v != 12 {
		return cand{}, false
	}
	c, ok := r.md(int(v), int(v))
	c.j = j
	return c, ok
}
