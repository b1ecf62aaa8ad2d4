package webchat

import (
	"slices"
	"sync"
	"time"
)

// workerKeep is how long a socket's worker waits for its next frame before
// it ends.
const workerKeep = time.Second

// workers run the sockets' frames on goroutines kept between frames. A
// frame's turn runs the engine, whose calls go deep: on the socket's own
// reader it would grow that goroutine's stack at the socket's first turn,
// and again each time the garbage collector shrank the stack of the reader
// waiting for the next message, copying the stack every time (6% of the
// CPU of a gateway on the in-memory store at saturation). A busy worker's stack stays grown, and the
// readers stay small, as idle sockets should. The most recently used idle
// worker runs the next frame; one left idle for keep ends.
type workers struct {
	keep time.Duration

	mu      sync.Mutex
	idle    []*worker // the most recently used last
	started int       // workers started, ever
	running int       // workers not ended
}

type worker struct {
	p    *workers
	jobs chan func()
	done chan struct{}
}

// do runs f on a worker and returns once f has.
func (p *workers) do(f func()) {
	p.mu.Lock()
	var w *worker
	if n := len(p.idle); n > 0 {
		w = p.idle[n-1]
		p.idle[n-1] = nil
		p.idle = p.idle[:n-1]
	} else {
		w = &worker{p: p, jobs: make(chan func()), done: make(chan struct{})}
		p.started++
		p.running++
		go w.run()
	}
	p.mu.Unlock()
	w.jobs <- f
	<-w.done
	p.mu.Lock()
	p.idle = append(p.idle, w)
	p.mu.Unlock()
}

func (w *worker) run() {
	t := time.NewTimer(w.p.keep)
	for {
		select {
		case f := <-w.jobs:
			f()
			w.done <- struct{}{}
			t.Reset(w.p.keep)
		case <-t.C:
			if w.p.retire(w) {
				return
			}
			// Taken meanwhile: its frame is on the way.
		}
	}
}

// retire takes w off the idle list, as ended, and reports whether it was
// there.
func (p *workers) retire(w *worker) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, x := range p.idle {
		if x == w {
			p.idle = slices.Delete(p.idle, i, i+1)
			p.running--
			return true
		}
	}
	return false
}

// counts returns how many workers were started, run now, and are idle.
func (p *workers) counts() (started, running, idle int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.started, p.running, len(p.idle)
}
