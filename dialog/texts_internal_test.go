package dialog

import "testing"

// TestFormatPlaceholders checks Format against the placeholder pattern: a
// placeholder is {name} with name in [a-z_]+, replaced where kv has it and
// kept as written where it does not; anything else is literal text.
func TestFormatPlaceholders(t *testing.T) {
	kv := []string{"a", "1", "long_name", "二", "x", "{a}"}
	for _, tc := range []struct{ tmpl, want string }{
		{"no placeholders", "no placeholders"},
		{"{a}", "1"},
		{"{a}{long_name}", "1二"},
		{"<{a}> and <{long_name}>", "<1> and <二>"},
		{"{{a}}", "{1}"},
		{"{unknown} {a}", "{unknown} 1"},
		{"{A} {a1} {} { a} {a", "{A} {a1} {} { a} {a"},
		{"{x}", "{a}"}, // a value is not expanded again
		{"{", "{"},
		{"价格 {a} 元", "价格 1 元"},
	} {
		texts := &Texts{m: map[string]Phrase{"k": {Zh: tc.tmpl, En: tc.tmpl}}}
		want := placeholder.ReplaceAllStringFunc(tc.tmpl, func(m string) string { return lookupKV(kv, m[1:len(m)-1], m) })
		if want != tc.want {
			t.Fatalf("%q: the pattern gives %q, the case says %q", tc.tmpl, want, tc.want)
		}
		if got := texts.Format("en", "k", kv...); got != tc.want {
			t.Errorf("Format(%q) = %q, want %q", tc.tmpl, got, tc.want)
		}
	}
	if got := (&Texts{}).Format("en", "missing.key", kv...); got != "missing.key" {
		t.Errorf("an unknown key gives %q, want the key", got)
	}
}

// TestFormatAllocations: a text with placeholders costs one allocation, the
// result; one without costs none. Texts are formatted several times a turn.
func TestFormatAllocations(t *testing.T) {
	def := DefaultTexts()
	if n := testing.AllocsPerRun(100, func() {
		_ = def.Format("zh", "consult.filed", "ticket", "T-1001", "deadline", "11月26日（周四）18:00")
	}); n > 1 {
		t.Errorf("a text with placeholders: %v allocations, want 1", n)
	}
	if n := testing.AllocsPerRun(100, func() { _ = def.Format("en", "greeting") }); n != 0 {
		t.Errorf("a text without placeholders: %v allocations, want 0", n)
	}
}
