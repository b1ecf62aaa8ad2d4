package extract

import (
	"testing"
	"time"

	"github.com/supportd/supportd/policy"
)

func mustDate(t testing.TB, s string) policy.Date {
	t.Helper()
	d, err := policy.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// Today in the tests: Tuesday 2026-11-24, and Tuesday 2026-03-10 for the
// cases that depend on today being in March.
const (
	novToday   = "2026-11-24"
	marchToday = "2026-03-10"
)

type wantDate struct {
	date string
	prec Precision
	rel  bool
	text string
}

type dateCase struct {
	name  string
	text  string
	today string // novToday when empty
	want  []wantDate
}

func day(date, text string) wantDate      { return wantDate{date, PrecisionDay, false, text} }
func relDay(date, text string) wantDate   { return wantDate{date, PrecisionDay, true, text} }
func month(date, text string) wantDate    { return wantDate{date, PrecisionMonth, false, text} }
func relMonth(date, text string) wantDate { return wantDate{date, PrecisionMonth, true, text} }
func year(date, text string) wantDate     { return wantDate{date, PrecisionYear, false, text} }
func relYear(date, text string) wantDate  { return wantDate{date, PrecisionYear, true, text} }
func relWeek(date, text string) wantDate  { return wantDate{date, PrecisionWeek, true, text} }

func runDateCases(t *testing.T, cases []dateCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			today := novToday
			if tc.today != "" {
				today = tc.today
			}
			got := Dates(tc.text, mustDate(t, today))
			checkDateMatches(t, tc.text, got)
			if len(got) != len(tc.want) {
				t.Fatalf("Dates(%q) = %d matches %v, want %d %v", tc.text, len(got), got, len(tc.want), tc.want)
			}
			for i, w := range tc.want {
				g := got[i]
				if g.Date.String() != w.date || g.Precision != w.prec || g.Relative != w.rel || g.Text != w.text {
					t.Errorf("Dates(%q)[%d] = {%s %s rel=%v %q}, want {%s %s rel=%v %q}",
						tc.text, i, g.Date, g.Precision, g.Relative, g.Text, w.date, w.prec, w.rel, w.text)
				}
			}
		})
	}
}

// checkDateMatches checks what holds for every result: offsets and text
// agree, matches are ordered without overlaps, and every date is a valid date
// of its precision.
func checkDateMatches(t testing.TB, text string, got []DateMatch) {
	t.Helper()
	prevEnd := 0
	for _, m := range got {
		if m.Start < prevEnd || m.End <= m.Start || m.End > len(text) || text[m.Start:m.End] != m.Text {
			t.Fatalf("bad offsets %d:%d for %q in %q (previous end %d)", m.Start, m.End, m.Text, text, prevEnd)
		}
		prevEnd = m.End
		if m.Date.IsZero() {
			t.Fatalf("zero date for %q", m.Text)
		}
		if back, err := policy.ParseDate(m.Date.String()); err != nil || !back.Equal(m.Date) {
			t.Fatalf("date %v for %q does not round-trip: %v", m.Date, m.Text, err)
		}
		switch m.Precision {
		case PrecisionDay:
		case PrecisionMonth:
			if m.Date.Day() != 1 {
				t.Fatalf("month precision %v not on the 1st for %q", m.Date, m.Text)
			}
		case PrecisionYear:
			if m.Date.Day() != 1 || m.Date.Month() != 1 {
				t.Fatalf("year precision %v not on Jan 1 for %q", m.Date, m.Text)
			}
		case PrecisionWeek:
			if m.Date.Weekday() != time.Monday {
				t.Fatalf("week precision %v not on a Monday for %q", m.Date, m.Text)
			}
		default:
			t.Fatalf("bad precision %d for %q", m.Precision, m.Text)
		}
	}
}

func TestDatesNumeric(t *testing.T) {
	runDateCases(t, []dateCase{
		{"iso", "2026-03-05", "", []wantDate{day("2026-03-05", "2026-03-05")}},
		{"iso slashes", "2026/3/5", "", []wantDate{day("2026-03-05", "2026/3/5")}},
		{"iso dots", "2026.3.5", "", []wantDate{day("2026-03-05", "2026.3.5")}},
		{"iso full-width", "２０２６－０３－０５买的", "", []wantDate{day("2026-03-05", "２０２６－０３－０５")}},
		{"iso in a sentence", "bought on 2025-12-31, broke today", "", []wantDate{day("2025-12-31", "2025-12-31"), relDay("2026-11-24", "today")}},
		{"iso after today still returned", "2027-01-05", "", []wantDate{day("2027-01-05", "2027-01-05")}},
		{"iso invalid day", "2026-02-30", "", nil},
		{"iso invalid month", "2026-13-01", "", nil},
		{"iso year out of range", "1066-10-14", "", nil},
		{"day month year unambiguous", "24/11/2026", "", []wantDate{day("2026-11-24", "24/11/2026")}},
		{"month day year unambiguous", "11/24/2026", "", []wantDate{day("2026-11-24", "11/24/2026")}},
		{"same day and month", "5/5/2026", "", []wantDate{day("2026-05-05", "5/5/2026")}},
		{"ambiguous day month year", "3/5/2026", "", nil},
		{"bare 3/5 ambiguous", "3/5", "", nil},
		{"month day without year", "bought it 11/18, left side dead", "", []wantDate{day("2026-11-18", "11/18")}},
		{"day month without year", "bought it 18/11", "", []wantDate{day("2026-11-18", "18/11")}},
		{"day month without year, not yet this year", "bought 30/12", "", []wantDate{day("2025-12-30", "30/12")}},
		{"same day and month without year", "5/5", "", []wantDate{day("2026-05-05", "5/5")}},
		{"month point day before 买", "耳机11.18买的", "", []wantDate{day("2026-11-18", "11.18")}},
		{"a point alone is no date", "花了12.30", "", nil},
		{"a score out of ten is no date", "8/10", "", nil},
		{"an invalid day", "11/31", "", nil},
		{"all the time", "it buzzes 24/7", "", nil},
		{"price", "3.5元", "", nil},
		{"price with year-like number", "2026.50元", "", nil},
		{"model number", "TV-55X", "", nil},
		{"phone number", "13812345678", "", nil},
		{"plain year", "2026", "", nil},
		{"version", "v2026.3.5.1", "", nil},
		{"dotted continues", "2026.3.5.1", "", nil},
		{"order number with date inside", "SO-2026-03-05", "", nil},
	})
}

func TestDatesChinese(t *testing.T) {
	runDateCases(t, []dateCase{
		{"year month day 日", "2026年3月5日", "", []wantDate{day("2026-03-05", "2026年3月5日")}},
		{"year month day 号", "2026年3月5号", "", []wantDate{day("2026-03-05", "2026年3月5号")}},
		{"spaces between parts", "2026 年 3 月 5 日", "", []wantDate{day("2026-03-05", "2026 年 3 月 5 日")}},
		{"month day 号", "3月5号", "", []wantDate{day("2026-03-05", "3月5号")}},
		{"month day 日", "3月5日", "", []wantDate{day("2026-03-05", "3月5日")}},
		{"month day later in year goes back a year", "12月5日买的", "", []wantDate{day("2025-12-05", "12月5日")}},
		{"month day today", "11月24号", "", []wantDate{day("2026-11-24", "11月24号")}},
		{"feb 29 goes back to a leap year", "2月29日", "", []wantDate{day("2024-02-29", "2月29日")}},
		{"year month", "2026年3月", "", []wantDate{month("2026-03-01", "2026年3月")}},
		{"two-digit year month", "26年3月买的", "", []wantDate{month("2026-03-01", "26年3月")}},
		{"two-digit year last century", "98年3月", "", []wantDate{month("1998-03-01", "98年3月")}},
		{"year alone", "2025年买的", "", []wantDate{year("2025-01-01", "2025年")}},
		{"month alone", "3月买的", "", []wantDate{month("2026-03-01", "3月")}},
		{"month 份", "3月份买的", "", []wantDate{month("2026-03-01", "3月份")}},
		{"month alone after this month", "12月买的", "", []wantDate{month("2025-12-01", "12月")}},
		{"last year month", "去年3月", "", []wantDate{relMonth("2025-03-01", "去年3月")}},
		{"last year month day", "去年3月5号", "", []wantDate{relDay("2025-03-05", "去年3月5号")}},
		{"this year month", "今年1月", "", []wantDate{relMonth("2026-01-01", "今年1月")}},
		{"year before last", "前年", "", []wantDate{relYear("2024-01-01", "前年")}},
		{"three years ago 大前年", "大前年", "", []wantDate{relYear("2023-01-01", "大前年")}},
		{"last year", "去年买的", "", []wantDate{relYear("2025-01-01", "去年")}},
		{"this year", "今年", "", []wantDate{relYear("2026-01-01", "今年")}},
		{"last month day", "上个月15号", "", []wantDate{relDay("2026-10-15", "上个月15号")}},
		{"last month day 上月", "上月15日", "", []wantDate{relDay("2026-10-15", "上月15日")}},
		{"last month", "上个月", "", []wantDate{relMonth("2026-10-01", "上个月")}},
		{"month before last", "上上个月", "", []wantDate{relMonth("2026-09-01", "上上个月")}},
		{"this month day 这个月", "这个月3号", "", []wantDate{relDay("2026-11-03", "这个月3号")}},
		{"this month day 本月", "本月3日", "", []wantDate{relDay("2026-11-03", "本月3日")}},
		{"this month", "本月", "", []wantDate{relMonth("2026-11-01", "本月")}},
		{"this month 31st does not exist", "这个月31号", "", nil},
		{"today", "今天", "", []wantDate{relDay("2026-11-24", "今天")}},
		{"yesterday", "昨天坏的", "", []wantDate{relDay("2026-11-23", "昨天")}},
		{"day before yesterday", "前天", "", []wantDate{relDay("2026-11-22", "前天")}},
		{"three days ago 大前天", "大前天", "", []wantDate{relDay("2026-11-21", "大前天")}},
		{"tomorrow after today", "明天", "", []wantDate{relDay("2026-11-25", "明天")}},
		{"N days ago digits", "3天前", "", []wantDate{relDay("2026-11-21", "3天前")}},
		{"N days ago numeral", "三天前", "", []wantDate{relDay("2026-11-21", "三天前")}},
		{"N days ago 以前", "十天以前", "", []wantDate{relDay("2026-11-14", "十天以前")}},
		{"two weeks ago", "两周前", "", []wantDate{relDay("2026-11-10", "两周前")}},
		{"three weeks ago", "3周前", "", []wantDate{relDay("2026-11-03", "3周前")}},
		{"three 星期 ago", "3个星期前", "", []wantDate{relDay("2026-11-03", "3个星期前")}},
		{"two 礼拜 ago", "两个礼拜之前", "", []wantDate{relDay("2026-11-10", "两个礼拜之前")}},
		{"half a month ago", "半个月前", "", []wantDate{relDay("2026-11-09", "半个月前")}},
		{"two months ago", "2个月前", "", []wantDate{relMonth("2026-09-01", "2个月前")}},
		{"bought N days ago without 前", "买了3天就坏了", "", []wantDate{relDay("2026-11-21", "3天")}},
		{"bought two months ago without 前", "才买了两个月", "", []wantDate{relMonth("2026-09-01", "两个月")}},
		{"used for N days is no date", "用了3天就坏了", "", nil},
		{"more than a month ago", "一个多月前", "", []wantDate{relMonth("2026-10-01", "一个多月前")}},
		{"a year ago", "一年前", "", []wantDate{relMonth("2025-11-01", "一年前")}},
		{"ten years ago", "10年前", "", []wantDate{relMonth("2016-11-01", "10年前")}},
		{"half a year ago", "半年前", "", []wantDate{relMonth("2026-05-01", "半年前")}},
		{"last week wednesday", "上周三", "", []wantDate{relDay("2026-11-18", "上周三")}},
		{"last week friday 星期", "上星期五", "", []wantDate{relDay("2026-11-20", "上星期五")}},
		{"last week sunday 个礼拜", "上个礼拜天", "", []wantDate{relDay("2026-11-22", "上个礼拜天")}},
		{"two weeks back monday", "上上周一", "", []wantDate{relDay("2026-11-09", "上上周一")}},
		{"this week wednesday is future", "这周三", "", []wantDate{relDay("2026-11-25", "这周三")}},
		{"monday most recent", "周一", "", []wantDate{relDay("2026-11-23", "周一")}},
		{"weekday today", "周二", "", []wantDate{relDay("2026-11-24", "周二")}},
		{"wednesday last week", "星期三", "", []wantDate{relDay("2026-11-18", "星期三")}},
		{"sunday 日", "周日", "", []wantDate{relDay("2026-11-22", "周日")}},
		{"sunday 天", "礼拜天", "", []wantDate{relDay("2026-11-22", "礼拜天")}},
		{"after a model and a comma", "耳机HP-30，11月22日买的", "", []wantDate{day("2026-11-22", "11月22日")}},
		{"day without 号 before 买", "耳机HP-30左耳没声，11月18买的", "", []wantDate{day("2026-11-18", "11月18")}},
		{"day without 号 before 收到", "去年3月5收到的", "", []wantDate{relDay("2025-03-05", "去年3月5")}},
		{"day alone before 买: this month", "18号买的耳机", "", []wantDate{relDay("2026-11-18", "18号")}},
		{"day alone after today: last month", "28号买的", "", []wantDate{relDay("2026-10-28", "28号")}},
		{"day alone before anything else is no date", "18号楼3号线5号电池", "", nil},
		{"a count after a month is no day", "11月18个订单", "", []wantDate{month("2026-11-01", "11月")}},
		{"last week", "上周买的", "", []wantDate{relWeek("2026-11-16", "上周")}},
		{"last week 个星期", "上个星期刚买的", "", []wantDate{relWeek("2026-11-16", "上个星期")}},
		{"last week 礼拜", "上礼拜", "", []wantDate{relWeek("2026-11-16", "上礼拜")}},
		{"week before last", "上上周", "", []wantDate{relWeek("2026-11-09", "上上周")}},
		{"last weekend", "上周末买的", "", []wantDate{relWeek("2026-11-16", "上周末")}},
		{"this week", "这周买的", "", []wantDate{relWeek("2026-11-23", "这周")}},
		{"this week 本周", "本周", "", []wantDate{relWeek("2026-11-23", "本周")}},
		{"next week is future", "下周", "", []wantDate{relWeek("2026-11-30", "下周")}},
		{"a week is no date", "一周", "", nil},
		{"weekly is no date", "每周", "", nil},
		{"per week is no weekday", "一周三次", "", nil},
		{"three days a week", "每周三天", "", nil},
		{"numerals eleven", "十一月十一日", "", []wantDate{day("2026-11-11", "十一月十一日")}},
		{"numerals twenty", "上个月二十号", "", []wantDate{relDay("2026-10-20", "上个月二十号")}},
		{"numerals twenty-one", "十月二十一日", "", []wantDate{day("2026-10-21", "十月二十一日")}},
		{"numerals thirty-one", "十月三十一号", "", []wantDate{day("2026-10-31", "十月三十一号")}},
		{"numerals with 〇", "二〇二六年三月五日", "", []wantDate{day("2026-03-05", "二〇二六年三月五日")}},
		{"numerals with 零", "二零二五年十二月", "", []wantDate{month("2025-12-01", "二零二五年十二月")}},
		{"full-width digits", "３月５日", "", []wantDate{day("2026-03-05", "３月５日")}},
		{"invalid feb 30", "2月30日", "", nil},
		{"invalid feb 30 with year", "2026年2月30日", "", nil},
		{"invalid last year feb 29", "去年2月29号", "", nil},
		{"month 13", "13月", "", nil},
		{"double eleven", "双十一买的", "", []wantDate{day("2026-11-11", "双十一")}},
		{"double twelve digits", "双12", "", []wantDate{day("2025-12-12", "双12")}},
		{"AA battery is no date", "5号电池", "", nil},
		{"three months is no date", "保修3个月", "", nil},
		{"range of days is no date", "三五天前", "", nil},
		{"several dates", "3月5号买的，昨天坏了", "", []wantDate{day("2026-03-05", "3月5号"), relDay("2026-11-23", "昨天")}},
		{"several slots", "我的洗衣机不转了，去年3月买的，型号ＷＭ－１００", "", []wantDate{relMonth("2025-03-01", "去年3月")}},
		{"correction", "不对，是去年5月买的", "", []wantDate{relMonth("2025-05-01", "去年5月")}},
		{"march today 去年3月", "去年3月", marchToday, []wantDate{relMonth("2025-03-01", "去年3月")}},
		{"march today 3月", "3月买的", marchToday, []wantDate{month("2026-03-01", "3月")}},
		{"march today 3月15号", "3月15号", marchToday, []wantDate{day("2025-03-15", "3月15号")}},
	})
}

func TestDatesEnglish(t *testing.T) {
	runDateCases(t, []dateCase{
		{"month day", "March 5", "", []wantDate{day("2026-03-05", "March 5")}},
		{"day month", "5 March", "", []wantDate{day("2026-03-05", "5 March")}},
		{"abbreviated ordinal", "Mar 5th", "", []wantDate{day("2026-03-05", "Mar 5th")}},
		{"abbreviation with dot", "bought it Mar. 5", "", []wantDate{day("2026-03-05", "Mar. 5")}},
		{"month day year", "March 5, 2026", "", []wantDate{day("2026-03-05", "March 5, 2026")}},
		{"day month year", "5 March 2026", "", []wantDate{day("2026-03-05", "5 March 2026")}},
		{"ordinal of month", "on the 5th of March", "", []wantDate{day("2026-03-05", "5th of March")}},
		{"month day later in year", "December 25", "", []wantDate{day("2025-12-25", "December 25")}},
		{"month year", "March 2026", "", []wantDate{month("2026-03-01", "March 2026")}},
		{"in month", "I bought it in March", "", []wantDate{month("2026-03-01", "March")}},
		{"in month after this month", "in December", "", []wantDate{month("2025-12-01", "December")}},
		{"last month name", "last March", "", []wantDate{relMonth("2026-03-01", "last March")}},
		{"last month name day", "last March 5th", "", []wantDate{relDay("2026-03-05", "last March 5th")}},
		{"this month name", "this May", "", []wantDate{relMonth("2026-05-01", "this May")}},
		{"last month", "last month", "", []wantDate{relMonth("2026-10-01", "last month")}},
		{"last week", "I bought it last week", "", []wantDate{relWeek("2026-11-16", "last week")}},
		{"this week", "this week", "", []wantDate{relWeek("2026-11-23", "this week")}},
		{"a week ago is a day", "a week ago", "", []wantDate{relDay("2026-11-17", "a week ago")}},
		{"this month", "earlier this month", "", []wantDate{relMonth("2026-11-01", "this month")}},
		{"last year", "last year", "", []wantDate{relYear("2025-01-01", "last year")}},
		{"this year", "this year", "", []wantDate{relYear("2026-01-01", "this year")}},
		{"year before last", "the year before last", "", []wantDate{relYear("2024-01-01", "the year before last")}},
		{"year before last without the", "year before last", "", []wantDate{relYear("2024-01-01", "year before last")}},
		{"month of the year before last", "december the year before last", "", []wantDate{relMonth("2024-12-01", "december the year before last")}},
		{"month of the year before last with of", "in March of the year before last", "", []wantDate{relMonth("2024-03-01", "March of the year before last")}},
		{"year before last in month", "the year before last in May", "", []wantDate{relMonth("2024-05-01", "the year before last in May")}},
		{"month of last year", "March last year", "", []wantDate{relMonth("2025-03-01", "March last year")}},
		{"last year in month", "I bought it last year in March", "", []wantDate{relMonth("2025-03-01", "last year in March")}},
		{"month of the year", "in March of last year", "", []wantDate{relMonth("2025-03-01", "March of last year")}},
		{"month this year", "December this year", "", []wantDate{relMonth("2026-12-01", "December this year")}},
		{"month and year apart", "in March, and it broke last year", "", []wantDate{month("2026-03-01", "March"), relYear("2025-01-01", "last year")}},
		{"in year", "bought in 2025", "", []wantDate{year("2025-01-01", "2025")}},
		{"yesterday", "it broke yesterday", "", []wantDate{relDay("2026-11-23", "yesterday")}},
		{"today", "today", "", []wantDate{relDay("2026-11-24", "today")}},
		{"day before yesterday", "the day before yesterday", "", []wantDate{relDay("2026-11-22", "the day before yesterday")}},
		{"day before yesterday without the", "day before yesterday", "", []wantDate{relDay("2026-11-22", "day before yesterday")}},
		{"days ago", "3 days ago", "", []wantDate{relDay("2026-11-21", "3 days ago")}},
		{"one day ago", "1 day ago", "", []wantDate{relDay("2026-11-23", "1 day ago")}},
		{"weeks ago in words", "three weeks ago", "", []wantDate{relDay("2026-11-03", "three weeks ago")}},
		{"a week ago", "a week ago", "", []wantDate{relDay("2026-11-17", "a week ago")}},
		{"a fortnight ago", "a fortnight ago", "", []wantDate{relDay("2026-11-10", "a fortnight ago")}},
		{"compound number", "twenty-one days ago", "", []wantDate{relDay("2026-11-03", "twenty-one days ago")}},
		{"months ago", "2 months ago", "", []wantDate{relMonth("2026-09-01", "2 months ago")}},
		{"a year ago", "a year ago", "", []wantDate{relMonth("2025-11-01", "a year ago")}},
		{"last monday", "last Monday", "", []wantDate{relDay("2026-11-23", "last Monday")}},
		{"last tuesday on a tuesday", "last Tuesday", "", []wantDate{relDay("2026-11-17", "last Tuesday")}},
		{"this monday", "this Monday", "", []wantDate{relDay("2026-11-23", "this Monday")}},
		{"on friday", "on Friday", "", []wantDate{relDay("2026-11-20", "Friday")}},
		{"friday bare", "it stopped Friday night", "", []wantDate{relDay("2026-11-20", "Friday")}},
		{"weekday today", "tuesday", "", []wantDate{relDay("2026-11-24", "tuesday")}},
		{"abbreviated weekday after on", "on Fri", "", []wantDate{relDay("2026-11-20", "Fri")}},
		{"abbreviated weekday alone", "I sat down", "", nil},
		{"case-insensitive", "LAST MARCH and YESTERDAY", "", []wantDate{relMonth("2026-03-01", "LAST MARCH"), relDay("2026-11-23", "YESTERDAY")}},
		{"full-width letters", "Ｍａｒｃｈ ５", "", []wantDate{day("2026-03-05", "Ｍａｒｃｈ ５")}},
		{"correction may", "actually it was May", "", []wantDate{month("2026-05-01", "May")}},
		{"may with day", "May 5th", "", []wantDate{day("2026-05-05", "May 5th")}},
		{"may the verb", "I may be wrong", "", nil},
		{"may the verb at the start", "May I ask something?", "", nil},
		{"abbreviation alone", "Mar the finish", "", nil},
		{"invalid february 30", "Feb 30", "", nil},
		{"not ago", "in 3 days", "", nil},
		{"march today last march", "last March", marchToday, []wantDate{relMonth("2025-03-01", "last March")}},
		{"march today in march", "in March", marchToday, []wantDate{month("2026-03-01", "March")}},
		{"february today in march", "in March", "2026-02-10", []wantDate{month("2025-03-01", "March")}},
		{"march today march 15", "March 15", marchToday, []wantDate{day("2025-03-15", "March 15")}},
		{"comma without space", "bought it,March 5", "", []wantDate{day("2026-03-05", "March 5")}},
		{"time is no day", "March 10:30", "", []wantDate{month("2026-03-01", "March")}},
		{"several", "bought March 5, broke 3 days ago", "", []wantDate{day("2026-03-05", "March 5"), relDay("2026-11-21", "3 days ago")}},
	})
}

func TestPrecisionString(t *testing.T) {
	for p, want := range map[Precision]string{PrecisionDay: "day", PrecisionMonth: "month", PrecisionYear: "year", PrecisionWeek: "week", 7: "Precision(7)"} {
		if got := p.String(); got != want {
			t.Errorf("Precision(%d).String() = %q, want %q", int(p), got, want)
		}
	}
}

func TestDatesRelativeBounds(t *testing.T) {
	today := mustDate(t, novToday)
	for _, text := range []string{"99999999天前", "500年前", "9999 years ago", "100000 weeks ago", "3000年"} {
		if got := Dates(text, today); len(got) != 0 {
			t.Errorf("Dates(%q) = %v, want nothing", text, got)
		}
	}
}

// NextDates reads a day to come: a date without a year, a bare month or
// weekday is the next one, today included; the rest reads as in Dates.
func TestNextDates(t *testing.T) {
	today := mustDate(t, novToday) // Tuesday 2026-11-24
	for text, want := range map[string]string{
		"Friday": "2026-11-27", "on Friday afternoon": "2026-11-27", "周二": "2026-11-24", "周一上午": "2026-11-30",
		"29 November": "2026-11-29", "3月5号": "2027-03-05", "11月24日": "2026-11-24", "11月23日": "2027-11-23",
		"明天下午": "2026-11-25", "后天": "2026-11-26", "下周三": "2026-12-02", "last Monday": "2026-11-23",
		"December": "2026-12-01", "in March": "2027-03-01", "2026-10-01": "2026-10-01", "2月29号": "2028-02-29",
		"Tuesday next week": "2026-12-01", "friday next week": "2026-12-04", "on Monday next week": "2026-11-30",
	} {
		got := NextDates(text, today)
		checkDateMatches(t, text, got)
		if len(got) != 1 || got[0].Date.String() != want {
			t.Errorf("NextDates(%q) = %v, want %s", text, got, want)
		}
	}
	if got := Dates("Friday", today); len(got) != 1 || got[0].Date.String() != "2026-11-20" {
		t.Errorf("Dates(Friday) = %v, want the last one, 2026-11-20", got)
	}
}

// TestDatesWeekday: a day read from the name of a day of the week is
// flagged Weekday; other days, "today" and "days ago" among them, are not.
func TestDatesWeekday(t *testing.T) {
	today := mustDate(t, novToday)
	for text, want := range map[string]bool{
		"Friday": true, "last Monday": true, "this Friday": true, "on Fri": true, "周三": true, "下周二": true, "上星期五": true, "礼拜天": true,
		"today": false, "3 days ago": false, "明天": false, "上周": false, "the 16th of December": false, "12月16日": false,
	} {
		got := NextDates(text, today)
		if len(got) != 1 || got[0].Weekday != want {
			t.Errorf("NextDates(%q) = %+v, want one date, Weekday %v", text, got, want)
		}
	}
	if coming, _, ok := NextWeekday("next Saturday", today); !ok || !coming.Weekday {
		t.Errorf("NextWeekday(next Saturday) = %+v, %v, want a Weekday match", coming, ok)
	}
}

// TestDayAlone: a day of the month said alone, as the answer to a question
// asking for a date, is the most recent such day (or ahead the next one),
// as "18号买的" is; a number with anything else is none.
func TestDayAlone(t *testing.T) {
	for _, tc := range []struct {
		text  string
		ahead bool
		want  string // "" for none
		said  string
	}{
		{"18号", false, "2026-11-18", "18号"},
		{"22号", false, "2026-11-22", "22号"},
		{"是18号", false, "2026-11-18", "18号"},
		{"十八日", false, "2026-11-18", "十八日"},
		{"２８号。", false, "2026-10-28", "２８号"}, // 28 November is still to come
		{"the 18th", false, "2026-11-18", "18th"},
		{"on the 18th", false, "2026-11-18", "18th"},
		{"On the 28th.", false, "2026-10-28", "28th"},
		{"24th", false, "2026-11-24", "24th"},       // today
		{"31号", false, "2026-10-31", "31号"},         // no 31 November
		{"on the 18th", true, "2026-12-18", "18th"}, // booked: the next 18th
		{"28号", true, "2026-11-28", "28号"},
		{"the 24th", true, "2026-11-24", "24th"},
		{"18", false, "", ""},
		{"18号楼", false, "", ""},
		{"the 18th floor", false, "", ""},
		{"3号线", false, "", ""},
		{"for the 2nd time", false, "", ""},
		{"32号", false, "", ""},
	} {
		d, ok := DayAlone(tc.text, mustDate(t, novToday), tc.ahead)
		got, said := "", ""
		if ok {
			got, said = d.Date.String(), d.Text
			if !d.Relative || d.Precision != PrecisionDay || tc.text[d.Start:d.End] != d.Text {
				t.Errorf("DayAlone(%q) = %+v, want a relative day with its offsets", tc.text, d)
			}
		}
		if got != tc.want || said != tc.said {
			t.Errorf("DayAlone(%q, ahead %v) = %q %q, want %q %q", tc.text, tc.ahead, got, said, tc.want, tc.said)
		}
	}
}

// TestAmbiguous: a numeric date that reads both ways round gives both
// readings; one that reads one way only, or none, is not ambiguous.
func TestAmbiguous(t *testing.T) {
	for _, tc := range []struct {
		text   string
		ahead  bool
		dm, md string // "" when not ambiguous
		said   string
	}{
		{"3/5", false, "2026-05-03", "2026-03-05", "3/5"},
		{"I bought it on 3/5.", false, "2026-05-03", "2026-03-05", "3/5"},
		{"3/5", true, "2027-05-03", "2027-03-05", "3/5"},
		{"12/11", true, "2027-11-12", "2026-12-11", "12/11"},
		{"3/5/2025", false, "2025-05-03", "2025-03-05", "3/5/2025"},
		{"18/11", false, "", "", ""}, // one reading only: Dates reads it
		{"5/5", false, "", "", ""},
		{"2026/3/5", false, "", "", ""},
		{"3.5", false, "", "", ""},
		{"3/5/26", false, "", "", ""},
		{"no date here", false, "", "", ""},
	} {
		dm, md, ok := Ambiguous(tc.text, mustDate(t, novToday), tc.ahead)
		var gotDM, gotMD, said string
		if ok {
			gotDM, gotMD, said = dm.Date.String(), md.Date.String(), dm.Text
		}
		if gotDM != tc.dm || gotMD != tc.md || said != tc.said {
			t.Errorf("Ambiguous(%q, %v) = %q %q %q, want %q %q %q", tc.text, tc.ahead, gotDM, gotMD, said, tc.dm, tc.md, tc.said)
		}
	}
}

func TestNextWeekday(t *testing.T) {
	wed := policy.NewDate(2026, time.December, 2)
	for _, tc := range []struct {
		name, text        string
		today             policy.Date
		coming, following string
		ok                bool
	}{
		{"saturday said on wednesday", "next Saturday if possible", wed, "2026-12-05", "2026-12-12", true},
		{"thursday said on wednesday", "next thu", wed, "2026-12-03", "2026-12-10", true},
		{"monday said on wednesday", "next Monday", wed, "", "", false},
		{"wednesday said on wednesday", "next Wednesday", wed, "", "", false},
		{"saturday said on sunday", "next Saturday", policy.NewDate(2026, time.December, 6), "", "", false},
		{"no next", "Saturday", wed, "", "", false},
		{"next week", "next week", wed, "", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, f, ok := NextWeekday(tc.text, tc.today)
			if ok != tc.ok || ok && (c.Date.String() != tc.coming || f.Date.String() != tc.following) {
				t.Errorf("NextWeekday(%q) = %v %v %v, want %s %s %v", tc.text, c.Date, f.Date, ok, tc.coming, tc.following, tc.ok)
			}
		})
	}
}

func TestNextDatesNextWeekdayNotToday(t *testing.T) {
	sat := policy.NewDate(2026, time.December, 5)
	for text, want := range map[string]string{"next saturday": "2026-12-12", "saturday": "2026-12-05", "next monday": "2026-12-07"} {
		ds := NextDates(text, sat)
		if len(ds) != 1 || ds[0].Date.String() != want {
			t.Errorf("NextDates(%q) on Sat 5 Dec = %v, want %s", text, ds, want)
		}
	}
}
