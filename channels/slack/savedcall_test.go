package slack

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCallOf(t *testing.T) {
	cases := []struct {
		name, in string
		ok       bool
		call     savedCall
	}{
		{"alone", "!warranty", true, savedCall{name: "warranty"}},
		{"spaces around", "  !warranty \n", true, savedCall{name: "warranty"}},
		{"capitals", "!Warranty", true, savedCall{name: "warranty"}},
		{"full-width mark", "！visit", true, savedCall{name: "visit"}},
		{"text after a space", "!visit bring the receipt", true, savedCall{name: "visit", rest: "bring the receipt"}},
		{"text after a new line", "!visit\n\nbring *the* receipt", true, savedCall{name: "visit", rest: "bring *the* receipt"}},
		{"run on into punctuation", "!visit, tomorrow", true, savedCall{name: "visit,", rest: "tomorrow"}},
		{"a mark alone", "!", false, savedCall{}},
		{"marks", "!!! urgent", false, savedCall{}},
		{"later in the reply", "see !visit", false, savedCall{}},
		{"a note", "note: !visit", false, savedCall{}},
		{"a mention", "!<@U1>", false, savedCall{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			call, ok := callOf(c.in)
			if ok != c.ok || call != c.call {
				t.Errorf("callOf(%q) = %+v, %v; want %+v, %v", c.in, call, ok, c.call, c.ok)
			}
		})
	}
}

func TestSentCall(t *testing.T) {
	cases := []struct {
		name, in string
		ok       bool
		call     savedCall
	}{
		{"no mark", "!warranty", true, savedCall{name: "warranty"}},
		{"reply:", "reply: !warranty", true, savedCall{name: "warranty"}},
		{"Customer :, text after", "Customer : !visit at 9", true, savedCall{name: "visit", rest: "at 9"}},
		{"回复：, full-width", "回复：！visit", true, savedCall{name: "visit"}},
		{"a note", "note: !visit", false, savedCall{}},
		{"text first", "reply: see !visit", false, savedCall{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			call, ok := sentCall(c.in)
			if ok != c.ok || call != c.call {
				t.Errorf("sentCall(%q) = %+v, %v; want %+v, %v", c.in, call, ok, c.call, c.ok)
			}
		})
	}
}

func FuzzCallOf(f *testing.F) {
	for _, s := range []string{"!warranty", "！visit more", "!a\n\nb", "!", "!!x", "! x", "!x,y z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		call, ok := callOf(s)
		if !ok {
			if call != (savedCall{}) {
				t.Errorf("callOf(%q) = %+v for no call", s, call)
			}
			return
		}
		trimmed := strings.TrimSpace(s)
		if !strings.HasPrefix(trimmed, "!") && !strings.HasPrefix(trimmed, "！") {
			t.Errorf("callOf(%q) took a reply not beginning with ! for a call", s)
		}
		if call.name == "" || strings.ContainsFunc(call.name, func(r rune) bool { return r == ' ' || r == '\n' || r == '\t' }) {
			t.Errorf("callOf(%q) = name %q", s, call.name)
		}
		if utf8.ValidString(s) && !strings.HasSuffix(trimmed, call.rest) {
			t.Errorf("callOf(%q) = rest %q, not the reply's end", s, call.rest)
		}
	})
}
