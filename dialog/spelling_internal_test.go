package dialog

import "testing"

func TestRespelled(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"my refrigerater is not coling", "my refrigerator is not cooling"},
		{"The Prnter keeps jaming", "The printer keeps jamming"},
		{"my tellevision has no pictre", "my television has no picture"},
		{"is the printer in stock?", ""}, // "stock" is a word of its own, not "stuck"
		{"my fridge is not cooling", ""},
		{"asdf qwerty blorp", ""},
		{"my tv is brok", ""}, // too short to be read as misspelt
		{"我的冰箱不制冷", ""},
	} {
		got, ok := respelled(tc.text)
		if !ok {
			got = ""
		}
		if got != tc.want {
			t.Errorf("respelled(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}
