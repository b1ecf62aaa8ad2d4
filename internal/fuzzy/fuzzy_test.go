package fuzzy

import "testing"

func TestDistance(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"addr", "addr", 0}, {"adr", "addr", 1}, {"categry", "category", 1},
		{"TV55", "TV55X", 1}, {"kitten", "sitting", 3}, {"", "abc", 3}, {"abc", "", 3},
	}
	for _, c := range cases {
		if got := Distance(c.a, c.b); got != c.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}
