package webchat

import (
	"bufio"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// The benchmarks compare a round trip through the channel (a message, the
// engine's turn on SQLite, the replies) with a plain gorilla echo server in
// the same run:
//
//	go test -run '^$' -bench 'RoundTrip|EchoBaseline' ./channels/webchat
//	go test -run TestIdleMemory -v ./channels/webchat -webchat.idle 2000

var idleConns = flag.Int("webchat.idle", 20, "idle connections TestIdleMemory opens (figures are logged, not asserted)")

// echoServer is the baseline: gorilla's echo example, one goroutine per
// connection that reads a message and writes it back.
func echoServer(tb testing.TB, open *atomic.Int64) *httptest.Server {
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		open.Add(1)
		defer open.Add(-1)
		for {
			typ, data, err := conn.ReadMessage()
			if err != nil {
				return
			}
			if err := conn.WriteMessage(typ, data); err != nil {
				return
			}
		}
	}))
	tb.Cleanup(srv.Close)
	return srv
}

// BenchmarkEchoBaseline: one message and its echo, over 1 and 100
// connections at once.
func BenchmarkEchoBaseline(b *testing.B) {
	for _, n := range []int{1, 100} {
		b.Run(fmt.Sprintf("sessions=%d", n), func(b *testing.B) {
			var open atomic.Int64
			srv := echoServer(b, &open)
			url := "ws" + strings.TrimPrefix(srv.URL, "http")
			conns := make([]*websocket.Conn, n)
			for i := range conns {
				c, _, err := websocket.DefaultDialer.Dial(url, nil)
				if err != nil {
					b.Fatal(err)
				}
				defer c.Close()
				conns[i] = c
			}
			msg := []byte(`{"v":1,"type":"message","id":"m1","text":"help"}`)
			spread(b, conns, func(c *websocket.Conn, _ int64) error {
				if err := c.WriteMessage(websocket.TextMessage, msg); err != nil {
					return err
				}
				_, _, err := c.ReadMessage()
				return err
			})
		})
	}
}

// BenchmarkRoundTrip: one customer message ("help") until its whole turn is
// received (echo, typing, the help text, the menu), over 1 and 100 sessions
// at once; first-reply-ns is the time to the first bot message.
func BenchmarkRoundTrip(b *testing.B) {
	for _, n := range []int{1, 100} {
		b.Run(fmt.Sprintf("sessions=%d", n), func(b *testing.B) {
			e := newWSEnv(b, loadLimits)
			conns := make([]*websocket.Conn, n)
			for i := range conns {
				hdr := http.Header{"X-Forwarded-For": {fmt.Sprintf("10.0.%d.%d", i>>8, i&255)}}
				c, _, err := websocket.DefaultDialer.Dial(e.wsURL(), hdr)
				if err != nil {
					b.Fatal(err)
				}
				defer c.Close()
				if err := c.WriteJSON(map[string]any{"v": 1, "type": "hello", "locale": "en"}); err != nil {
					b.Fatal(err)
				}
				if err := readUntil(c, func(f frame) bool { return f.Type == "welcome" }); err != nil {
					b.Fatal(err)
				}
				conns[i] = c
			}
			var first atomic.Int64
			spread(b, conns, func(c *websocket.Conn, i int64) error {
				start := time.Now()
				if err := c.WriteJSON(map[string]any{"v": 1, "type": "message", "id": fmt.Sprint("b", i), "text": "help"}); err != nil {
					return err
				}
				if err := readUntil(c, func(f frame) bool { return f.Type == "message" && f.From == "bot" }); err != nil {
					return err
				}
				first.Add(int64(time.Since(start)))
				return readUntil(c, func(f frame) bool { return f.Type == "message" && len(f.Choices) > 0 })
			})
			b.ReportMetric(float64(first.Load())/float64(b.N), "first-reply-ns")
		})
	}
}

// spread runs b.N operations over the connections, each connection one at a
// time.
func spread(b *testing.B, conns []*websocket.Conn, op func(*websocket.Conn, int64) error) {
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, len(conns))
	b.ResetTimer()
	for _, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1)
				if i > int64(b.N) {
					return
				}
				if err := op(c, i); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
}

// TestIdleMemory reports the memory the server holds per idle connection
// (a visitor who opened the widget), beside the echo server's per idle
// connection. The clients run in a child process so that only the server
// is measured. Figures are logged, not asserted: -webchat.idle N.
func TestIdleMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode")
	}
	n := *idleConns
	e := newWSEnv(t, loadLimits)
	perConn, gor := measureIdle(t, n, e.wsURL(), "webchat", func() int { return e.openSockets() })
	var open atomic.Int64
	echo := echoServer(t, &open)
	echoConn, echoGor := measureIdle(t, n, "ws"+strings.TrimPrefix(echo.URL, "http"), "echo", func() int { return int(open.Load()) })
	t.Logf("%d idle connections, %s, %d CPUs, race detector %v:", n, runtime.GOARCH, runtime.NumCPU(), raceEnabled)
	t.Logf("  webchat: %6.0f bytes/conn, %.1f goroutines/conn", perConn, gor)
	t.Logf("  echo:    %6.0f bytes/conn, %.1f goroutines/conn", echoConn, echoGor)
	if echoConn > 0 {
		t.Logf("  ratio:   %.2f", perConn/echoConn)
	}
}

// measureIdle opens n idle connections from a child process and returns the
// growth of the heap and stacks, and of the goroutines, per connection.
func measureIdle(t *testing.T, n int, url, mode string, open func() int) (bytesPerConn, goroutinesPerConn float64) {
	t.Helper()
	before := memInUse()
	g0 := runtime.NumGoroutine()
	cmd := exec.Command(os.Args[0], "-test.run=^TestIdleClientsHelper$")
	cmd.Env = append(os.Environ(), "WEBCHAT_IDLE_URL="+url, "WEBCHAT_IDLE_N="+strconv.Itoa(n), "WEBCHAT_IDLE_MODE="+mode)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		stdin.Close()
		_ = cmd.Wait()
		waitFor(t, 30*time.Second, "the idle connections to close", func() bool { return open() == 0 })
	}()
	sc := bufio.NewScanner(stdout)
	for sc.Scan() && sc.Text() != "ready" {
	}
	waitFor(t, 60*time.Second, "the idle connections", func() bool { return open() == n })
	after := memInUse()
	return float64(after-before) / float64(n), float64(runtime.NumGoroutine()-g0) / float64(n)
}

func memInUse() int64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return int64(m.HeapInuse + m.StackInuse)
}

// TestIdleClientsHelper is the child process of measureIdle and idleClients:
// it opens the connections, says "ready" and holds them, answering pings,
// until its stdin closes.
func TestIdleClientsHelper(t *testing.T) {
	url := os.Getenv("WEBCHAT_IDLE_URL")
	if url == "" {
		t.Skip("runs as the child process of TestIdleMemory and TestIdleSocketCost")
	}
	n, _ := strconv.Atoi(os.Getenv("WEBCHAT_IDLE_N"))
	d := websocket.Dialer{ReadBufferSize: 512, WriteBufferSize: 512}
	var conns []*websocket.Conn
	for i := range n {
		hdr := http.Header{"X-Forwarded-For": {fmt.Sprintf("10.1.%d.%d", i>>8&255, i&255)}}
		c, _, err := d.Dial(url, hdr)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		if mode := os.Getenv("WEBCHAT_IDLE_MODE"); mode != "echo" {
			if err := c.WriteJSON(map[string]any{"v": 1, "type": "hello", "locale": "en"}); err != nil {
				t.Fatal(err)
			}
			if err := readUntil(c, func(f frame) bool { return f.Type == "welcome" }); err != nil {
				t.Fatal(err)
			}
			if mode == "talked" { // one turn, answered
				if err := c.WriteJSON(map[string]any{"v": 1, "type": "message", "id": "m1", "text": "My WM-100 washing machine leaks water"}); err != nil {
					t.Fatal(err)
				}
				if err := readUntil(c, func(f frame) bool { return f.Type == "message" && f.From == "bot" }); err != nil {
					t.Fatal(err)
				}
			}
		} else {
			if err := c.WriteMessage(websocket.TextMessage, []byte("hello")); err != nil {
				t.Fatal(err)
			}
			if _, _, err := c.ReadMessage(); err != nil {
				t.Fatal(err)
			}
		}
		// Answer pings from now on, while the others open: opening them
		// all may take longer than the server's pong wait.
		go func() {
			for {
				if _, _, err := c.ReadMessage(); err != nil {
					return
				}
			}
		}()
	}
	fmt.Println("ready")
	_, _ = bufio.NewReader(os.Stdin).ReadString('\n')
	for _, c := range conns {
		c.Close()
	}
}
