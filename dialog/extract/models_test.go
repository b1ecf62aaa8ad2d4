package extract

import (
	"fmt"
	"sync"
	"testing"
)

var testCatalog = NewCatalog([]string{
	"TV-55X", "TV-65X", "WM-100", "RF-450", "KFR-35GW/BP", "AC-2000A", "AC-2000B",
	"DW-8800S", "tv-55x", // the same key twice: both returned
	"2026", "PLAIN", "小米10", // a plain number, a plain word, a non-ASCII key: never matched
})

type wantModel struct {
	model string
	exact bool
	dist  int
	text  string
}

func TestModels(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []wantModel
	}{
		{"exact", "TV-55X", []wantModel{{"TV-55X", true, 0, "TV-55X"}, {"tv-55x", true, 0, "TV-55X"}}},
		{"exact lower case", "my tv55x broke", []wantModel{{"TV-55X", true, 0, "tv55x"}, {"tv-55x", true, 0, "tv55x"}}},
		{"exact full-width", "ＴＶ５５Ｘ", []wantModel{{"TV-55X", true, 0, "ＴＶ５５Ｘ"}, {"tv-55x", true, 0, "ＴＶ５５Ｘ"}}},
		{"exact full-width hyphen", "型号ＷＭ－１００", []wantModel{{"WM-100", true, 0, "ＷＭ－１００"}}},
		{"exact with space", "TV 55X", []wantModel{{"TV-55X", true, 0, "TV 55X"}, {"tv-55x", true, 0, "TV 55X"}}},
		{"exact with spaced dash", "model WM - 100 please", []wantModel{{"WM-100", true, 0, "WM - 100"}}},
		{"exact em dash", "RF—450", []wantModel{{"RF-450", true, 0, "RF—450"}}},
		{"exact with slash", "空调KFR-35GW/BP漏水", []wantModel{{"KFR-35GW/BP", true, 0, "KFR-35GW/BP"}}},
		{"exact in chinese", "我的洗衣机不转了，去年3月买的，型号ＷＭ－１００", []wantModel{{"WM-100", true, 0, "ＷＭ－１００"}}},
		{"plural", "do you install the WM-100s?", []wantModel{{"WM-100", true, 0, "WM-100"}}},
		{"plural after a letter", "two TV-55Xs", []wantModel{{"TV-55X", true, 0, "TV-55X"}, {"tv-55x", true, 0, "TV-55X"}}},
		{"model ending in S is no plural", "DW-8800S", []wantModel{{"DW-8800S", true, 0, "DW-8800S"}}},
		{"model ending in S written small", "DW-8800s", []wantModel{{"DW-8800S", true, 0, "DW-8800s"}}},
		{"two models", "WM-100 and RF-450", []wantModel{{"WM-100", true, 0, "WM-100"}, {"RF-450", true, 0, "RF-450"}}},
		{"near substitution", "TV-55Y", []wantModel{{"TV-55X", false, 1, "TV-55Y"}, {"tv-55x", false, 1, "TV-55Y"}}},
		{"near with space", "TV 55Y", []wantModel{{"TV-55X", false, 1, "TV 55Y"}, {"tv-55x", false, 1, "TV 55Y"}}},
		{"near transposition", "WM-010", []wantModel{{"WM-100", false, 1, "WM-010"}}},
		{"near insertion", "RF-4500", []wantModel{{"RF-450", false, 1, "RF-4500"}}},
		{"near deletion", "RF-45", []wantModel{{"RF-450", false, 1, "RF-45"}}},
		{"near two edits on a long key", "DW-880", []wantModel{{"DW-8800S", false, 2, "DW-880"}}},
		{"hyphenated token not split", "WM-100-2", []wantModel{{"WM-100", false, 1, "WM-100-2"}}},
		{"near ties all returned", "AC-2000C", []wantModel{{"AC-2000A", false, 1, "AC-2000C"}, {"AC-2000B", false, 1, "AC-2000C"}}},
		{"closest only", "TV-65Y", []wantModel{{"TV-65X", false, 1, "TV-65Y"}}},
		{"exact before near", "RF-45 and WM-100", []wantModel{{"WM-100", true, 0, "WM-100"}, {"RF-450", false, 1, "RF-45"}}},
		{"near sorted by distance", "DW-880 or WM-10", []wantModel{{"WM-100", false, 1, "WM-10"}, {"DW-8800S", false, 2, "DW-880"}}},
		{"too far for a short key", "TV-5YY", nil},
		{"too far for a long key", "DW-8", nil},
		{"plain number", "2026", nil},
		{"plain number near a model", "RF 2026 450", nil},
		{"plain word", "plain", nil},
		{"unit is not a model", "220V 4K 5th", nil},
		{"non-ascii key never matched", "小米10", nil},
		{"part of a longer token", "XTV55XPRO", nil},
		{"nothing", "你好，我想问一下", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := testCatalog.Models(tc.text)
			checkModelMatches(t, tc.text, got)
			if len(got) != len(tc.want) {
				t.Fatalf("Models(%q) = %+v, want %+v", tc.text, got, tc.want)
			}
			for i, w := range tc.want {
				g := got[i]
				if g.Model != w.model || g.Exact != w.exact || g.Distance != w.dist || g.Text != w.text {
					t.Errorf("Models(%q)[%d] = %+v, want %+v", tc.text, i, g, w)
				}
			}
		})
	}
}

func checkModelMatches(t testing.TB, text string, got []ModelMatch) {
	t.Helper()
	for _, m := range got {
		if m.Start < 0 || m.End <= m.Start || m.End > len(text) || text[m.Start:m.End] != m.Text {
			t.Fatalf("bad offsets %d:%d for %q in %q", m.Start, m.End, m.Text, text)
		}
		if m.Exact != (m.Distance == 0) || m.Distance < 0 || m.Distance > 2 {
			t.Fatalf("inconsistent match %+v", m)
		}
	}
}

func TestModelsEmptyCatalog(t *testing.T) {
	if got := NewCatalog(nil).Models("TV-55X"); got != nil {
		t.Errorf("empty catalog matched %+v", got)
	}
}

func TestModelsConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 200 {
				text := fmt.Sprintf("型号TV-55%c, %d", 'W'+rune((i+j)%3), j)
				for _, m := range testCatalog.Models(text) {
					if m.Model != "TV-55X" && m.Model != "tv-55x" {
						t.Errorf("Models(%q) found %q", text, m.Model)
					}
				}
			}
		})
	}
	wg.Wait()
}

func TestOSA(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"TV55X", "TV55X", 0}, {"TV55Y", "TV55X", 1}, {"TV5X5", "TV55X", 1}, {"TV55", "TV55X", 1},
		{"", "ABC", 3}, {"CA", "ABC", 3}, {"ABCDEF", "BADCFE", 3},
	} {
		if got := osa([]byte(tc.a), tc.b); got != tc.want {
			t.Errorf("osa(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
