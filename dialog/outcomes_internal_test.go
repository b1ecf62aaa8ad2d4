package dialog

import (
	"testing"

	"github.com/supportd/supportd/policy"
)

// TestBareDay: a day of the month said alone as the day a fault began is
// the latest such day up to today; a count or a building number is none.
func TestBareDay(t *testing.T) {
	today := policy.NewDate(2026, 11, 25)
	for _, tc := range []struct {
		text string
		want string // "" for none
	}{
		{"my mistake, it went silent on the 20th", "2026-11-20"},
		{"it's been dead since the 3rd", "2026-11-03"},
		{"it started on the 28th", "2026-10-28"}, // 28 November is still to come
		{"是19号开始没声音的", "2026-11-19"},
		{"从20号起就没声音", "2026-11-20"},
		{"sorry, it's the 2nd time the sound went out", ""},
		{"不对，地址是18号楼", ""},
		{"11月20号开始没声音", ""}, // a month and a day: extract.Dates reads it
		{"on the 31st", "2026-10-31"},
	} {
		d, ok := bareDay(tc.text, today)
		got := ""
		if ok {
			got = d.String()
		}
		if got != tc.want {
			t.Errorf("bareDay(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}
