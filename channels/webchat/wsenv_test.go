package webchat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/dialog/kb"
	"github.com/supportd/supportd/store/sqlite"
)

// wsEnv is a web chat channel on a real SQLite file and the real engine,
// served by an httptest server, with Run running.
type wsEnv struct {
	t       testing.TB
	cfg     *config.Config
	db      *sqlite.DB
	eng     *dialog.Engine
	ch      *Channel
	srv     *httptest.Server
	reg     *prometheus.Registry
	dataDir string
	clock   *wsClock
	stop    func() // cancels Run and waits for it
}

// wsClock is the test's clock: fixed, movable.
type wsClock struct{ ns atomic.Int64 }

func (c *wsClock) now() time.Time  { return time.Unix(0, c.ns.Load()) }
func (c *wsClock) set(t time.Time) { c.ns.Store(t.UnixNano()) }

// wsStart is Wednesday 25 Nov 2026, 10:00 in the demo policy's time zone,
// when the golden transcripts of package dialog were written: business is
// open.
func wsStart(cfg *config.Config) time.Time {
	return time.Date(2026, 11, 25, 10, 0, 0, 0, cfg.Policy.Location())
}

// newWSEnv starts a channel; the mutators adjust its configuration. The
// limits are generous unless a test tightens them.
func newWSEnv(t testing.TB, mutate ...func(*config.Webchat)) *wsEnv {
	t.Helper()
	return newWSEnvLog(t, nil, mutate...)
}

// newWSEnvLog is newWSEnv with the channel's logger.
func newWSEnvLog(t testing.TB, lg *slog.Logger, mutate ...func(*config.Webchat)) *wsEnv {
	t.Helper()
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	e := &wsEnv{t: t, cfg: cfg, clock: &wsClock{}, dataDir: t.TempDir(), reg: prometheus.NewRegistry()}
	e.clock.set(wsStart(cfg))
	e.db, err = sqlite.Open(context.Background(), filepath.Join(e.dataDir, "supportd.db"), sqlite.WithClock(e.clock.now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.db.Close() })
	e.eng, err = dialog.New(dialog.Options{Policy: &cfg.Policy, Store: e.db, Knowledge: dialog.KnowledgeBase(kb.Default()), Now: e.clock.now})
	if err != nil {
		t.Fatal(err)
	}
	// The typing indicator at once, so that every turn has one.
	wc := config.Webchat{Enabled: true, AllowedOrigins: []string{"https://shop.example.com"}, TypingDelay: time.Millisecond}
	for _, m := range mutate {
		m(&wc)
	}
	e.ch, err = New(Options{Engine: e.eng, Store: e.db, Config: wc, DataDir: e.dataDir, Now: e.clock.now, Registry: e.reg, Logger: lg})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	e.ch.Register(mux)
	e.srv = httptest.NewServer(mux)
	t.Cleanup(e.srv.Close)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.ch.Run(ctx) }()
	var once sync.Once
	e.stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Run returned %v", err)
				}
			case <-time.After(30 * time.Second):
				t.Errorf("Run did not return after cancellation")
			}
		})
	}
	t.Cleanup(e.stop)
	return e
}

func (e *wsEnv) wsURL() string { return "ws" + strings.TrimPrefix(e.srv.URL, "http") + "/chat/ws" }

// frame is any server frame.
type frame struct {
	V              int               `json:"v"`
	Type           string            `json:"type"`
	Token          string            `json:"token"`
	ConversationID string            `json:"conversation_id"`
	Lang           string            `json:"lang"`
	Business       *business         `json:"business"`
	History        []wireMessage     `json:"history"`
	Seq            int64             `json:"seq"`
	From           string            `json:"from"`
	Text           string            `json:"text"`
	Choices        []dialog.Choice   `json:"choices"`
	Input          string            `json:"input"`
	Agent          string            `json:"agent"`
	ClientID       string            `json:"client_id"`
	At             time.Time         `json:"at"`
	Code           string            `json:"code"`
	Message        string            `json:"message"`
	ID             string            `json:"id"`
	Kind           string            `json:"kind"`
	Status         string            `json:"status"`
	Due            map[string]string `json:"due"`
}

// wsClient is a test client whose reader goroutine decodes every frame into
// a channel until the connection ends.
type wsClient struct {
	t      testing.TB
	conn   *websocket.Conn
	frames chan frame
	gone   chan struct{} // closed when the reader ends
	err    error         // why, once gone is closed
	seq    int
}

// dial connects with optional headers, failing the test on error.
func (e *wsEnv) dial(hdr http.Header) *wsClient {
	e.t.Helper()
	conn, resp, err := websocket.DefaultDialer.Dial(e.wsURL(), hdr)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		e.t.Fatalf("dial: %v (HTTP %d)", err, status)
	}
	return startClient(e.t, conn)
}

func startClient(t testing.TB, conn *websocket.Conn) *wsClient {
	c := &wsClient{t: t, conn: conn, frames: make(chan frame, 4096), gone: make(chan struct{})}
	go func() {
		defer close(c.gone)
		for {
			_, data, err := conn.ReadMessage()
			if err != nil {
				c.err = err
				return
			}
			var f frame
			if err := json.Unmarshal(data, &f); err != nil {
				c.err = fmt.Errorf("undecodable frame %q: %w", data, err)
				return
			}
			c.frames <- f
		}
	}()
	t.Cleanup(func() { conn.Close() })
	return c
}

func (c *wsClient) send(v any) {
	c.t.Helper()
	var err error
	if s, ok := v.(string); ok {
		err = c.conn.WriteMessage(websocket.TextMessage, []byte(s))
	} else {
		err = c.conn.WriteJSON(v)
	}
	if err != nil {
		c.t.Fatalf("send: %v", err)
	}
}

// next returns the next frame, failing after timeout.
func (c *wsClient) next(timeout time.Duration) frame {
	c.t.Helper()
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case f := <-c.frames:
		return f
	case <-c.gone:
		select {
		case f := <-c.frames:
			return f
		default:
		}
		c.t.Fatalf("connection ended while waiting for a frame: %v", c.err)
	case <-t.C:
		c.t.Fatalf("no frame within %s", timeout)
	}
	return frame{}
}

// until returns the frames up to and including the first that matches.
func (c *wsClient) until(timeout time.Duration, match func(frame) bool) []frame {
	c.t.Helper()
	deadline := time.Now().Add(timeout)
	var got []frame
	for {
		f := c.next(time.Until(deadline))
		got = append(got, f)
		if match(f) {
			return got
		}
	}
}

// hello sends hello and returns the welcome.
func (c *wsClient) hello(token, locale string) frame {
	c.t.Helper()
	c.send(map[string]any{"v": 1, "type": "hello", "token": token, "locale": locale})
	fs := c.until(10*time.Second, func(f frame) bool { return f.Type == "welcome" || f.Type == "error" })
	w := fs[len(fs)-1]
	if w.Type != "welcome" {
		c.t.Fatalf("hello answered %+v", w)
	}
	return w
}

// barrier returns every frame the server queued for this socket before it
// read the barrier: a frame of an unknown type, answered in order.
func (c *wsClient) barrier() []frame {
	c.t.Helper()
	c.send(map[string]any{"v": 1, "type": "barrier"})
	fs := c.until(30*time.Second, func(f frame) bool { return f.Type == "error" && f.Code == codeUnknownType })
	return fs[:len(fs)-1]
}

// say sends a message and returns what the turn queued to this socket.
func (c *wsClient) say(text string) []frame {
	c.t.Helper()
	c.seq++
	c.send(map[string]any{"v": 1, "type": "message", "id": fmt.Sprintf("m%d", c.seq), "text": text})
	return c.barrier()
}

// closeErr waits for the connection to end and returns the reader's error.
func (c *wsClient) closeErr(timeout time.Duration) error {
	c.t.Helper()
	t := time.NewTimer(timeout)
	defer t.Stop()
	for {
		select {
		case <-c.frames:
		case <-c.gone:
			return c.err
		case <-t.C:
			c.t.Fatalf("the connection is still open after %s", timeout)
			return nil
		}
	}
}

// closeCode returns the close code of a connection error, or -1.
func closeCode(err error) int {
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		return ce.Code
	}
	return -1
}

// replies returns the bot's and agents' messages among frames.
func replies(fs []frame) []frame {
	var out []frame
	for _, f := range fs {
		if f.Type == "message" && (f.From == "bot" || f.From == "agent" || f.From == "system") {
			out = append(out, f)
		}
	}
	return out
}

func ofType(fs []frame, typ string) []frame {
	var out []frame
	for _, f := range fs {
		if f.Type == typ {
			out = append(out, f)
		}
	}
	return out
}

// waitFor polls cond until it holds, failing after timeout.
func waitFor(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// waitGoroutines waits until the number of goroutines is back to base.
func waitGoroutines(t testing.TB, base int, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		n := runtime.NumGoroutine()
		if n <= base {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			t.Fatalf("%d goroutines, want at most %d after %s:\n%s", n, base, timeout, buf)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func metric(c prometheus.Collector) float64 { return testutil.ToFloat64(c) }

// openSockets is the number of sockets the channel counts.
func (e *wsEnv) openSockets() int {
	e.ch.connMu.Lock()
	defer e.ch.connMu.Unlock()
	return len(e.ch.conns)
}

// sockets returns the channel's open sockets.
func (e *wsEnv) sockets() map[*client]bool {
	e.ch.connMu.Lock()
	defer e.ch.connMu.Unlock()
	m := map[*client]bool{}
	for cl := range e.ch.conns {
		m[cl] = true
	}
	return m
}

// rawDial connects without a reader goroutine, with a small receive buffer,
// for clients that must stop reading.
func (e *wsEnv) rawDial(hdr http.Header) *websocket.Conn {
	e.t.Helper()
	d := websocket.Dialer{NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if tc, ok := c.(*net.TCPConn); ok {
			_ = tc.SetReadBuffer(4096)
		}
		return c, err
	}}
	conn, _, err := d.Dial(e.wsURL(), hdr)
	if err != nil {
		e.t.Fatalf("dial: %v", err)
	}
	e.t.Cleanup(func() { conn.Close() })
	return conn
}

func newTestLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}
