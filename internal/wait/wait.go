// Package wait holds the one way the gateway's loops pause between
// attempts: for a while, or until their context ends.
package wait

import (
	"context"
	"time"
)

// For waits for d or until ctx ends, and reports whether d passed (false:
// ctx ended first). A d of zero or less returns at once, true unless ctx
// has ended.
func For(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
