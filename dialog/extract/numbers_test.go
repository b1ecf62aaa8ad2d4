package extract

import (
	"slices"
	"testing"
)

func TestNumbers(t *testing.T) {
	type nm struct {
		v    int64
		text string
	}
	tests := []struct {
		name string
		text string
		want []nm
	}{
		{"arabic", "买了2台", []nm{{2, "2"}}},
		{"full-width", "５台", []nm{{5, "５"}}},
		{"thousands commas", "1,299 yuan", []nm{{1299, "1,299"}}},
		{"several", "3 or 45, 678", []nm{{3, "3"}, {45, "45"}, {678, "678"}}},
		{"decimal skipped", "3.5元", nil},
		{"dotted skipped", "2026.3.5", nil},
		{"date skipped", "2026-03-05", nil},
		{"fraction skipped", "3/5", nil},
		{"time skipped", "10:30 到", nil},
		{"phone groups skipped", "138-1234-5678", nil},
		{"glued to a model", "TV-55X A100", nil},
		{"digits before letters kept", "5th", []nm{{5, "5"}}},
		{"too long", "1234567890123456789012", nil},
		{"chinese digit", "三", []nm{{3, "三"}}},
		{"chinese ten", "十", []nm{{10, "十"}}},
		{"chinese fifteen", "十五", []nm{{15, "十五"}}},
		{"chinese twenty-one", "二十一", []nm{{21, "二十一"}}},
		{"chinese 350", "三百五十", []nm{{350, "三百五十"}}},
		{"chinese 350 short", "三百五", []nm{{350, "三百五"}}},
		{"chinese 305", "三百零五", []nm{{305, "三百零五"}}},
		{"chinese 2000 两", "两千", []nm{{2000, "两千"}}},
		{"chinese 2500 short", "两千五", []nm{{2500, "两千五"}}},
		{"chinese 12000", "一万二", []nm{{12000, "一万二"}}},
		{"chinese 10086", "一万零八十六", []nm{{10086, "一万零八十六"}}},
		{"chinese digit by digit", "二〇二六", []nm{{2026, "二〇二六"}}},
		{"chinese zero", "零", []nm{{0, "零"}}},
		{"chinese range is no number", "三五天", nil},
		{"chinese leading unit is no number", "千万不要", nil},
		{"chinese malformed", "十十", nil},
		{"chinese in sentence", "等了三天，打了两次电话", []nm{{3, "三"}, {2, "两"}}},
		{"english one", "one", []nm{{1, "one"}}},
		{"english twenty", "twenty", []nm{{20, "twenty"}}},
		{"english twenty-one", "twenty-one", []nm{{21, "twenty-one"}}},
		{"english twenty one", "twenty one", []nm{{21, "twenty one"}}},
		{"english ninety", "NINETY", []nm{{90, "NINETY"}}},
		{"english hundred", "a hundred", []nm{{100, "a hundred"}}},
		{"english 350", "three hundred and fifty", []nm{{350, "three hundred and fifty"}}},
		{"english 2500", "two thousand five hundred", []nm{{2500, "two thousand five hundred"}}},
		{"english and not inside", "three and four", []nm{{3, "three"}, {4, "four"}}},
		{"english article alone", "a TV", nil},
		{"english two numbers", "one two", []nm{{1, "one"}, {2, "two"}}},
		{"mixed", "I waited 3 days and called twice, 两次", []nm{{3, "3"}, {2, "两"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Numbers(tc.text)
			checkNumberMatches(t, tc.text, got)
			var g []nm
			for _, m := range got {
				g = append(g, nm{m.Value, m.Text})
			}
			if !slices.Equal(g, tc.want) {
				t.Errorf("Numbers(%q) = %v, want %v", tc.text, g, tc.want)
			}
		})
	}
}

func checkNumberMatches(t testing.TB, text string, got []NumberMatch) {
	t.Helper()
	prevEnd := 0
	for _, m := range got {
		if m.Value < 0 {
			t.Fatalf("negative value %d for %q", m.Value, m.Text)
		}
		if m.Start < prevEnd || m.End <= m.Start || m.End > len(text) || text[m.Start:m.End] != m.Text {
			t.Fatalf("bad offsets %d:%d for %q in %q", m.Start, m.End, m.Text, text)
		}
		prevEnd = m.End
	}
}
