package dialog_test

import (
	"strings"
	"testing"
	"time"
)

// A lone yes, no or "ok" as the customer's very first message answers
// nothing the bot asked: they are asked what they need (the menu), in
// their language, not said goodbye to nor passed to a person. After an
// exchange, "no" still ends it.
func TestLoneYesOrNoFirstGetsTheMenu(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	eng, _ := newEngine(t, &now)
	const menuZh, menuEn = "请问有什么可以帮您？直接描述问题就可以。", "How can I help? Just describe the problem."
	for i, tc := range []struct{ text, want string }{
		{"是", menuZh}, {"不", menuZh}, {"没有", menuZh}, {"嗯", menuZh}, {"好的", menuZh},
		{"yes", menuEn}, {"no", menuEn}, {"nope", menuEn}, {"ok", menuEn},
	} {
		t.Run(tc.text, func(t *testing.T) {
			if got := say(t, eng, "first"+string(rune('a'+i)), tc.text); got != tc.want {
				t.Errorf("%q first: the bot said %q, want %q", tc.text, got, tc.want)
			}
		})
	}
	t.Run("no after an exchange", func(t *testing.T) {
		say(t, eng, "later", "yes")
		if got := say(t, eng, "later", "no"); !strings.Contains(got, "Goodbye") {
			t.Errorf("no after the menu: the bot said %q, want goodbye", got)
		}
	})
}
