package webchat

import (
	"sync"
	"testing"
	"time"
)

// TestWorkers: frames handled one after another reuse one worker; frames
// handled at once each get their own, and go back to be reused; a worker
// idle for its keep ends.
func TestWorkers(t *testing.T) {
	p := &workers{keep: time.Hour}
	ran := 0
	for range 100 {
		p.do(func() { ran++ })
	}
	if started, _, _ := p.counts(); ran != 100 || started != 1 {
		t.Fatalf("100 frames in turn: %d ran on %d workers, want 100 on 1", ran, started)
	}

	const at = 8
	release := make(chan struct{})
	var started, wg sync.WaitGroup
	started.Add(at)
	for range at {
		wg.Go(func() { p.do(func() { started.Done(); <-release }) })
	}
	started.Wait() // all eight run at once
	close(release)
	wg.Wait()
	if n, running, idle := p.counts(); n != at || running != at || idle != at {
		t.Errorf("%d frames at once: %d workers started, %d running, %d idle; want %d each (the first one reused)", at, n, running, idle, at)
	}

	q := &workers{keep: 20 * time.Millisecond}
	for range 3 {
		wg.Go(func() { q.do(func() {}) })
	}
	wg.Wait()
	deadline := time.Now().Add(10 * time.Second)
	for {
		n, running, idle := q.counts()
		if running == 0 && idle == 0 {
			if n == 0 {
				t.Error("no worker started")
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d workers still running (%d idle) long after their keep", running, idle)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
