package slack

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// Slack's standard shortcodes become the emoji the customer sees; the
// workspace's custom emoji, which have no Unicode form, are dropped rather
// than sent as ":partyparrot:"; colons that are no emoji stay.
func TestEmojify(t *testing.T) {
	cases := []struct {
		name, in, want string
		dropped        []string
	}{
		{"standard", "Done :white_check_mark: thanks :smile: :thumbsup:", "Done ✅ thanks 😄 👍", nil},
		{"plus one with a skin tone", "Got it :+1::skin-tone-2:", "Got it 👍", nil},
		{"skin tone on a wave", ":wave::skin-tone-5: hello", "👋 hello", nil},
		{"digits only, known", "That is :100:", "That is 💯", nil},
		{"custom between words", "Fixed :partyparrot: enjoy", "Fixed enjoy", []string{":partyparrot:"}},
		{"custom at the end", "All done! :partyparrot:", "All done!", []string{":partyparrot:"}},
		{"custom at the start", ":partyparrot: All done", "All done", []string{":partyparrot:"}},
		{"custom before punctuation", "Great :partyparrot:!", "Great!", []string{":partyparrot:"}},
		{"custom next to a standard one", "Yes :tada::partyparrot: :tada:", "Yes 🎉 🎉", []string{":partyparrot:"}},
		{"custom with a skin tone", "ok :blob-wave::skin-tone-3:", "ok", []string{":blob-wave:"}},
		{"custom at a line's start", "Hi\n:partyparrot: it works", "Hi\nit works", []string{":partyparrot:"}},
		{"custom in Chinese", "好的:partyparrot:谢谢", "好的谢谢", []string{":partyparrot:"}},
		{"only custom", ":partyparrot: :blob_thumbs:", "", []string{":partyparrot:", ":blob_thumbs:"}},
		{"a MAC address", "MAC 00:1a:2b:3c:4d:5e", "MAC 00:1a:2b:3c:4d:5e", nil},
		{"a path", "https://help.example.com/a:b:c/", "https://help.example.com/a:b:c/", nil},
		{"times", "at 10:30:00 or 9:15", "at 10:30:00 or 9:15", nil},
		{"a ratio of words", "mode:eco:on", "mode:eco:on", nil},
		{"uppercase is no shortcode", "Note:Important: yes", "Note:Important: yes", nil},
		{"no colons", "hello", "hello", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, dropped := emojify(tc.in)
			if got != tc.want || !slices.Equal(dropped, tc.dropped) {
				t.Errorf("emojify(%q) = %q, dropped %q; want %q, dropped %q", tc.in, got, dropped, tc.want, tc.dropped)
			}
		})
	}
}

// Every emoji in the table is one or a few runes of real emoji, never a
// shortcode or text.
func TestEmojiTable(t *testing.T) {
	for name, e := range emoji {
		if !shortcode.MatchString(":" + name + ":") {
			t.Errorf("%q is not matched as a shortcode", name)
		}
		if strings.HasPrefix(name, "skin-tone-") {
			if e != "" {
				t.Errorf("%q = %q, want dropped", name, e)
			}
			continue
		}
		if n := utf8.RuneCountInString(e); n == 0 || n > 2 || strings.ContainsAny(e, ":abcdefghijklmnopqrstuvwxyz") {
			t.Errorf("%q = %q", name, e)
		}
	}
}

func TestCodePoints(t *testing.T) {
	for in, want := range map[string]string{"1f9d0": "🧐", "1f468-200d-1f469-200d-1f467": "👨‍👩‍👧", "2764-fe0f": "❤️", "41": "", "zz": "", "": ""} {
		if got, ok := codePoints(in); got != want || ok != (want != "") {
			t.Errorf("codePoints(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
}

func FuzzEmojify(f *testing.F) {
	for _, s := range []string{"ok :+1::skin-tone-2:", ":partyparrot:", "a:b:c", "10:30:00", "好的:x:谢谢", "\n:y: z", "::"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, dropped := emojify(s)
		for _, d := range dropped {
			if !strings.Contains(s, d) || !shortcode.MatchString(d) {
				t.Errorf("emojify(%q) dropped %q", s, d)
			}
		}
		if utf8.ValidString(s) && !utf8.ValidString(out) {
			t.Errorf("emojify(%q) = %q, not UTF-8", s, out)
		}
		if len(dropped) == 0 && !strings.Contains(s, ":") && out != s {
			t.Errorf("emojify(%q) = %q without a colon", s, out)
		}
	})
}
