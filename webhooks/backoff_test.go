package webhooks

import (
	"testing"
	"time"
)

// The wait doubles from the minimum after each failure, never passes the
// cap, and keeps at least half of it (jitter takes the other half).
func TestBackoff(t *testing.T) {
	lo, hi := time.Second, 5*time.Minute
	cases := []struct {
		fails int
		full  time.Duration
	}{{1, time.Second}, {2, 2 * time.Second}, {3, 4 * time.Second}, {9, 256 * time.Second}, {10, hi}, {1000, hi}}
	for _, tc := range cases {
		for range 50 {
			if d := backoff(tc.fails, lo, hi); d < tc.full/2 || d > tc.full {
				t.Fatalf("backoff(%d) = %v, want %v to %v", tc.fails, d, tc.full/2, tc.full)
			}
		}
	}
}

func TestRetryAfter(t *testing.T) {
	for in, want := range map[string]time.Duration{"": 0, "30": 30 * time.Second, "-1": 0, "soon": 0,
		"Wed, 21 Oct 2026 07:28:00 GMT": 0} {
		if got := retryAfter(in); got != want {
			t.Errorf("retryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}
