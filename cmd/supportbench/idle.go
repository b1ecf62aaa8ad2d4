package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// idleResult is the server's memory per idle connection: a visitor who
// opened the widget (hello and welcome) and says nothing.
type idleResult struct {
	Conns         int     `json:"conns"`
	RSSPerConn    float64 `json:"rss_bytes_per_conn"`
	GoPerConn     float64 `json:"go_heap_stack_bytes_per_conn"` // HeapInuse + StackInuse
	GoroutinesPer float64 `json:"goroutines_per_conn"`
	OpenSeconds   float64 `json:"open_seconds"` // the time to open them all
	Before        serverStats
	After         serverStats
}

// idle opens n connections to the child, each with a hello answered (and,
// with a script, its first turn: a dialog under way), holds them (answering
// pings) and compares the child's memory before and after. The clients are
// this process; the server is the child, measured alone.
// whileHeld, when set, runs after the measurement, with the connections
// still open.
func idle(ctx context.Context, ch *child, t *target, n int, sc *script, whileHeld func() error) (idleResult, error) {
	r := idleResult{Conns: n}
	before, err := ch.stats(ctx)
	if err != nil {
		return r, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	conns := make([]*conn, n)
	defer func() {
		for _, c := range conns {
			if c != nil {
				_ = c.ws.Close()
			}
		}
	}()
	start := time.Now()
	deadline := start.Add(5 * time.Minute)
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for range 64 { // dials in flight
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n || ctx.Err() != nil {
					return
				}
				c, err := dial(ctx, t, i, deadline)
				if err == nil && sc != nil {
					if err = c.turn(newFrames(*sc), 0); err != nil {
						c.close()
					}
				}
				if err != nil {
					errs <- fmt.Errorf("idle connection %d: %w", i, err)
					cancel()
					return
				}
				_ = c.ws.SetReadDeadline(time.Time{})
				conns[i] = c
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return r, err
	}
	r.OpenSeconds = time.Since(start).Seconds()
	// Read (and so answer the server's pings) until the sockets close.
	for _, c := range conns {
		go func() {
			for {
				if _, _, err := c.ws.NextReader(); err != nil {
					return
				}
			}
		}()
	}
	if !sleepUntil(ctx, time.Now().Add(time.Second)) { // the last welcomes are written
		return r, ctx.Err()
	}
	after, err := ch.stats(ctx)
	if err != nil {
		return r, err
	}
	r.Before, r.After = before, after
	r.RSSPerConn = float64(after.RSS-before.RSS) / float64(n)
	r.GoPerConn = float64(after.goMem()-before.goMem()) / float64(n)
	r.GoroutinesPer = float64(after.Goroutines-before.Goroutines) / float64(n)
	if whileHeld != nil {
		return r, whileHeld()
	}
	return r, nil
}

// saveHeapProfile writes the heap profile of a Go server to file.
func saveHeapProfile(ctx context.Context, ch *child, file string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+ch.addr+"/debug/pprof/heap?gc=1", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("heap profile: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("heap profile: %s", resp.Status)
	}
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, resp.Body)
	return errors.Join(err, f.Close())
}
