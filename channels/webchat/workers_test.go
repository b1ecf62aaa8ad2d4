package webchat

import (
	"runtime"
	"sync"
	"testing"
)

// TestWorkers: frames handled one after another reuse one worker; frames
// handled at once each get their own; every worker ends once idle for
// workerKeep.
func TestWorkers(t *testing.T) {
	var p workers
	base := runtime.NumGoroutine()
	ran := 0
	for range 100 {
		p.do(func() { ran++ })
	}
	if ran != 100 {
		t.Fatalf("ran %d of 100", ran)
	}
	if n := runtime.NumGoroutine() - base; n != 1 {
		t.Errorf("%d workers after 100 frames in turn, want 1", n)
	}

	const at = 8
	release := make(chan struct{})
	var started, wg sync.WaitGroup
	started.Add(at)
	for range at {
		wg.Go(func() { p.do(func() { started.Done(); <-release }) })
	}
	started.Wait() // all eight run at once: eight workers
	close(release)
	wg.Wait()
	p.mu.Lock()
	idle := len(p.idle)
	p.mu.Unlock()
	if idle != at {
		t.Errorf("%d idle workers after %d frames at once, want %d", idle, at, at)
	}
	waitGoroutines(t, base, 10*workerKeep)
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.idle) != 0 {
		t.Errorf("%d workers still listed idle after they ended", len(p.idle))
	}
}
