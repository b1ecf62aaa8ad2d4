package extract

import (
	"strings"
	"testing"
	"unicode/utf8"
)

var fuzzSeeds = []string{
	"", "2026-03-05", "2026/3/5", "2026.3.5", "2026年3月5日", "二〇二六年三月五号", "３月５日",
	"去年3月", "上个月15号", "上上周一", "半个月前", "一个多月前", "双十一", "2月29日", "2月30日",
	"March 5, 2026", "last March", "the day before yesterday", "twenty-one days ago",
	"actually it was May", "on Fri", "24/11/2026", "3/5", "3.5元", "TV-55X", "ＴＶ－５５Ｘ",
	"TV 55Y", "WM-100-2", "KFR-35GW/BP", "13812345678", "+86 138-1234-5678", "(0755) 1234567",
	"订单号：SO-20261124-0001", "wang.li@qq.com", "三百五十元", "3块5毛", "￥1,299.00",
	"一万二", "十十", "千万", "three hundred and fifty", "a a a hundred", "★★★★☆", "4/5",
	"5分钟", "非常不满意", "very dissatisfied", "99999999999999999999999天前",
	"我的洗衣机不转了，去年3月买的，型号ＷＭ－１００", "\xff\xfe", "上上上上上上个月", "a-b-c-1-2-3",
	"the 18th", "on the 31st", "是22号", "十八日", "WM-100s", "TV-55Xs", "09-1234-5678", "3/5/2025", "12/11",
}

func addSeeds(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
}

func FuzzDates(f *testing.F) {
	for i, s := range fuzzSeeds {
		f.Add(s, int16(i*37))
	}
	base := mustDate(f, novToday)
	f.Fuzz(func(t *testing.T, text string, shift int16) {
		today := base.AddDate(0, 0, int(shift)) // about ±90 years around 2026
		checkDateMatches(t, text, Dates(text, today))
	})
}

func FuzzDayAlone(f *testing.F) {
	for i, s := range fuzzSeeds {
		f.Add(s, int16(i*37), i%2 == 0)
	}
	base := mustDate(f, novToday)
	f.Fuzz(func(t *testing.T, text string, shift int16, ahead bool) {
		today := base.AddDate(0, 0, int(shift))
		if d, ok := DayAlone(text, today, ahead); ok {
			checkDateMatches(t, text, []DateMatch{d})
			if ahead && d.Date.Before(today) || !ahead && d.Date.After(today) {
				t.Fatalf("DayAlone(%q, %s, %v) = %s, on the wrong side of today", text, today, ahead, d.Date)
			}
		}
		if dm, md, ok := Ambiguous(text, today, ahead); ok {
			checkDateMatches(t, text, []DateMatch{dm})
			checkDateMatches(t, text, []DateMatch{md})
			if dm.Date == md.Date || dm.Text != md.Text {
				t.Fatalf("Ambiguous(%q) = %+v, %+v: not two readings of one date", text, dm, md)
			}
		}
	})
}

func FuzzModels(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, text string) {
		got := testCatalog.Models(text)
		checkModelMatches(t, text, got)
		for _, m := range got {
			if m.Exact && ModelKey(m.Text) != ModelKey(m.Model) {
				t.Fatalf("exact match %q has key %q, model %q has %q", m.Text, ModelKey(m.Text), m.Model, ModelKey(m.Model))
			}
			if !m.Exact && m.Distance > maxDist(len(ModelKey(m.Model))) {
				t.Fatalf("near match %+v too far", m)
			}
		}
	})
}

func FuzzNumbers(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, text string) {
		checkNumberMatches(t, text, Numbers(text))
	})
}

func FuzzRating(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, text string) {
		score, ok := Rating(text)
		if ok != (score >= 1 && score <= 5) || !ok && score != 0 {
			t.Fatalf("Rating(%q) = %d, %v", text, score, ok)
		}
	})
}

func FuzzAmount(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, text string) {
		fen, ok := Amount(text)
		if fen < 0 || !ok && fen != 0 {
			t.Fatalf("Amount(%q) = %d, %v", text, fen, ok)
		}
	})
}

func FuzzContact(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, text string) {
		if s, ok := OrderNumber(text); ok {
			if n := len(s); n < minOrderLen || n > maxOrderLen || strings.Trim(s, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-") != "" {
				t.Fatalf("OrderNumber(%q) = %q", text, s)
			}
		} else if s != "" {
			t.Fatalf("OrderNumber(%q) = %q, false", text, s)
		}
		if s, ok := Phone(text); ok {
			if d := strings.TrimPrefix(s, "+"); len(d) < 8 || strings.Trim(d, "0123456789-") != "" {
				t.Fatalf("Phone(%q) = %q", text, s)
			}
		}
		if s, ok := Email(text); ok {
			if strings.Count(s, "@") != 1 || !utf8.ValidString(s) {
				t.Fatalf("Email(%q) = %q", text, s)
			}
		}
	})
}
