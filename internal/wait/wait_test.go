package wait

import (
	"context"
	"testing"
	"time"
)

func TestFor(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	if !For(ctx, time.Millisecond) || !For(ctx, 0) || !For(ctx, -time.Second) {
		t.Error("a live context: the wait must pass")
	}
	cancel()
	if For(ctx, time.Hour) || For(ctx, 0) {
		t.Error("an ended context: the wait must report it")
	}
}
