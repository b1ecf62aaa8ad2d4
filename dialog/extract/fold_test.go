package extract

import "testing"

func TestFoldWidth(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"ascii unchanged", "TV-55x", "TV-55x"},
		{"full-width letters and digits", "ＴＶ－５５ｘ", "TV-55x"},
		{"ideographic space", "TV\u300055X", "TV 55X"},
		{"chinese kept", "３月５日", "3月5日"},
		{"full-width punctuation", "：＃（）", ":#()"},
		{"empty", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := FoldWidth(tc.in); got != tc.want {
				t.Errorf("FoldWidth(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestFoldWidthNoAllocation(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { _ = FoldWidth("nothing to fold here, 没有全角") }); n != 0 {
		t.Errorf("FoldWidth allocated %v times on text with nothing to fold", n)
	}
}

func TestModelKey(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"hyphen", "TV-55X", "TV55X"},
		{"lower case", "tv-55x", "TV55X"},
		{"space", "TV 55X", "TV55X"},
		{"full-width", "ＴＶ－５５Ｘ", "TV55X"},
		{"em dash", "TV—55X", "TV55X"},
		{"en dash and underscore", "TV–55_X", "TV55X"},
		{"dot", "WM.100", "WM100"},
		{"ideographic space", "WM\u3000100", "WM100"},
		{"slash kept", "KFR-35GW/BP", "KFR35GW/BP"},
		{"minus sign", "RF\u2212450", "RF450"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ModelKey(tc.in); got != tc.want {
				t.Errorf("ModelKey(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
