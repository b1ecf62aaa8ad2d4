package email

import (
	"math/rand/v2"
	"time"
)

// backoff is a capped exponential backoff with full jitter: the n-th delay
// is random in [d/2, d] with d = min(max, min·2ⁿ). Not safe for concurrent
// use.
type backoff struct {
	min, max time.Duration
	n        int
}

func (b *backoff) next() time.Duration {
	d := b.min << min(b.n, 30)
	if d > b.max || d <= 0 {
		d = b.max
	}
	b.n++
	return d/2 + rand.N(d/2+1)
}

func (b *backoff) reset() { b.n = 0 }
