package webchat

import (
	"fmt"
	"net/http"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/supportd/supportd/config"
)

// loadLimits lifts the limits for load tests: each session has its own
// address (X-Forwarded-For), and nobody is rate limited.
func loadLimits(w *config.Webchat) {
	w.ClientIPHeader = "X-Forwarded-For"
	w.Rate.Connection = config.Rate{PerSecond: 1e6, Burst: 1e6}
	w.Rate.Address = config.Rate{PerSecond: 1e6, Burst: 1e6}
}

// session is one load-test visitor: connect, hello, one message, the first
// bot reply.
func session(e *wsEnv, i int, replied func(), hold <-chan struct{}) error {
	hdr := http.Header{"X-Forwarded-For": {fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)}}
	conn, _, err := websocket.DefaultDialer.Dial(e.wsURL(), hdr)
	if err != nil {
		return fmt.Errorf("dial: %w", err)
	}
	defer conn.Close()
	_ = conn.SetReadDeadline(time.Now().Add(2 * time.Minute))
	if err := conn.WriteJSON(map[string]any{"v": 1, "type": "hello", "locale": "en"}); err != nil {
		return err
	}
	if err := readUntil(conn, func(f frame) bool { return f.Type == "welcome" }); err != nil {
		return fmt.Errorf("welcome: %w", err)
	}
	if err := conn.WriteJSON(map[string]any{"v": 1, "type": "message", "id": "m1", "text": "help"}); err != nil {
		return err
	}
	if err := readUntil(conn, func(f frame) bool { return f.Type == "message" && f.From == "bot" }); err != nil {
		return fmt.Errorf("reply: %w", err)
	}
	replied()
	<-hold // everyone is connected at once
	return nil
}

func readUntil(conn *websocket.Conn, match func(frame) bool) error {
	for {
		var f frame
		if err := conn.ReadJSON(&f); err != nil {
			return err
		}
		if f.Type == "error" {
			return fmt.Errorf("error frame %s: %s", f.Code, f.Message)
		}
		if match(f) {
			return nil
		}
	}
}

// TestManySessions runs 1,000 concurrent sessions; then every socket is
// closed and the goroutines return to the baseline.
func TestManySessions(t *testing.T) {
	n := 1000
	if testing.Short() {
		n = 100
	}
	e := newWSEnv(t, loadLimits)
	base := runtime.NumGoroutine()
	start := time.Now()
	hold := make(chan struct{})
	errs := make(chan error, n)
	var wg, ready sync.WaitGroup
	dial := make(chan struct{}, 64) // dials in flight: the listen backlog
	for i := range n {
		wg.Add(1)
		ready.Add(1)
		go func() {
			defer wg.Done()
			dial <- struct{}{}
			replied := sync.OnceFunc(func() { <-dial; ready.Done() })
			defer replied()
			errs <- session(e, i, replied, hold)
		}()
	}
	ready.Wait()
	peak := e.openSockets()
	t.Logf("%d sessions answered in %s; %d sockets open at once", n, time.Since(start).Round(time.Millisecond), peak)
	close(hold)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if peak != n {
		t.Errorf("%d sockets were open together, want %d", peak, n)
	}
	waitFor(t, 30*time.Second, "every socket to be closed", func() bool { return e.openSockets() == 0 })
	waitGoroutines(t, base, 30*time.Second)
	if got := metric(e.ch.m.conns); got != 0 {
		t.Errorf("connections gauge = %v", got)
	}
}
