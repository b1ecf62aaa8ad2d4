package dialog_test

import (
	"testing"

	"github.com/supportd/supportd/dialog"
)

func TestClosing(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"thanks", true}, {"ok", true}, {"谢谢", true}, {"好的", true}, {"thanks, bye", true}, {"got it, thanks!", true},
		{"好的，谢谢", true}, {"收到，谢谢", true}, {"bye", true},
		{"My fridge", false}, {"But the", false}, {"ok but", false}, {"thanks, but it still leaks", false},
		{"ok?", false}, {"好的，那什么时候来", false}, {"", false},
	} {
		if got := dialog.Closing(tc.text); got != tc.want {
			t.Errorf("Closing(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}
