package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	httppprof "net/http/pprof"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/gorilla/websocket"

	"github.com/supportd/supportd/channels/webchat"
	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/dialog/kb"
	"github.com/supportd/supportd/store/memory"
	"github.com/supportd/supportd/store/sqlite"
)

// The servers a child process runs.
const (
	modeSQLite = "gateway-sqlite"
	modeMemory = "gateway-memory"
	modeEcho   = "echo"
	modeBotkit = "botkit" // the peer, bench/botkit/bot.js under node
)

var allModes = []string{modeEcho, modeMemory, modeSQLite}

// wsPath is where every server accepts the socket.
const wsPath = "/chat/ws"

// benchSecret signs the visitors' tokens, so that no key file is written.
const benchSecret = "supportbench-not-a-secret-0123456789abcdef"

// serveChild is the child process: it serves mode on 127.0.0.1:0, prints
// "addr HOST:PORT", answers each "stats" line on stdin with a JSON line of
// serverStats, and stops when stdin closes (its parent's end).
func serveChild(ctx context.Context, mode, dataDir, cpuProfile string, stdin io.Reader, stdout io.Writer) error {
	if cpuProfile != "" {
		f, err := os.Create(cpuProfile)
		if err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	mux := http.NewServeMux()
	var wait func() error
	switch mode {
	case modeEcho:
		mux.Handle("GET "+wsPath, echoHandler())
		wait = func() error { return nil }
	case modeSQLite, modeMemory:
		stop, err := gateway(ctx, mode, dataDir, mux)
		if err != nil {
			return err
		}
		wait = stop
	default:
		return fmt.Errorf("unknown server %q", mode)
	}
	// Profiles of the running server, for a look during a run (the
	// harness logs the address): go tool pprof http://ADDR/debug/pprof/goroutine
	mux.HandleFunc("GET /debug/pprof/", httppprof.Index)
	mux.HandleFunc("GET /debug/pprof/profile", httppprof.Profile)
	mux.HandleFunc("GET /debug/pprof/trace", httppprof.Trace)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	fmt.Fprintf(stdout, "addr %s\n", ln.Addr())

	sc := bufio.NewScanner(stdin)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) != "stats" {
			continue
		}
		b, _ := json.Marshal(readStats())
		fmt.Fprintf(stdout, "%s\n", b)
	}
	// stdin closed: the parent is done with us.
	cancel()
	shut, done := context.WithTimeout(context.Background(), 5*time.Second)
	defer done()
	_ = srv.Shutdown(shut) // hijacked sockets are the channel's (or dropped with the process)
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return wait()
}

// gateway builds the web chat channel on the engine and the store of mode,
// registers it on mux and runs it until ctx ends; the returned function
// waits for it and closes the store.
func gateway(ctx context.Context, mode, dataDir string, mux *http.ServeMux) (func() error, error) {
	cfg, err := config.Load("")
	if err != nil {
		return nil, err
	}
	now := benchClock(cfg)
	var store interface {
		dialog.Store
		Close() error
	}
	if mode == modeSQLite {
		db, err := sqlite.Open(ctx, filepath.Join(dataDir, "supportd.db"), sqlite.WithClock(now))
		if err != nil {
			return nil, err
		}
		store = db
	} else {
		store = memory.New(memory.WithClock(now))
	}
	eng, err := dialog.New(dialog.Options{Policy: &cfg.Policy, Store: store, Knowledge: dialog.KnowledgeBase(kb.Default()), Now: now})
	if err != nil {
		store.Close()
		return nil, err
	}
	wc := cfg.Channels.Webchat
	wc.Enabled = true
	wc.Secret = benchSecret
	loadLimits(&wc)
	ch, err := webchat.New(webchat.Options{Engine: eng, Store: store, Config: wc, DataDir: dataDir, Now: now})
	if err != nil {
		store.Close()
		return nil, err
	}
	ch.Register(mux)
	done := make(chan error, 1)
	go func() { done <- ch.Run(ctx) }()
	return func() error {
		err := <-done
		return errors.Join(err, store.Close())
	}, nil
}

// loadLimits lifts the per-visitor limits that protect a real site from one
// abusive client: each session sends from its own address
// (X-Forwarded-For, in 198.18.0.0/15, the benchmarking range; only a header,
// every connection is on loopback), and nobody is rate limited. The other
// limits stay at their defaults.
func loadLimits(w *config.Webchat) {
	w.ClientIPHeader = "X-Forwarded-For"
	w.Rate.Connection = config.Rate{PerSecond: 1e6, Burst: 1e6}
	w.Rate.Address = config.Rate{PerSecond: 1e6, Burst: 1e6}
}

// benchClock is a clock that starts on Wednesday 25 Nov 2026, 10:00 in the
// policy's time zone (business open, the day the golden transcripts were
// written, so the scripts' dates mean the same on every run) and runs at
// the real pace.
func benchClock(cfg *config.Config) func() time.Time {
	base := time.Date(2026, 11, 25, 10, 0, 0, 0, cfg.Policy.Location())
	start := time.Now()
	return func() time.Time { return base.Add(time.Since(start)) }
}

// echoHandler is the ceiling: gorilla's echo example with the web chat
// channel's buffer sizes and frame limit, decoding each frame as JSON and
// writing it back encoded, one goroutine per connection.
func echoHandler() http.Handler {
	up := websocket.Upgrader{
		ReadBufferSize: 1024, WriteBufferSize: 4096, WriteBufferPool: &sync.Pool{},
		CheckOrigin: func(*http.Request) bool { return true },
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		go echoLoop(conn) // like the channel: the handler returns and net/http frees its buffers
	})
}

func echoLoop(conn *websocket.Conn) {
	defer conn.Close()
	conn.SetReadLimit(8 << 10)
	for {
		_, data, err := conn.ReadMessage()
		if err != nil {
			return
		}
		var v map[string]any
		if err := json.Unmarshal(data, &v); err != nil {
			v = map[string]any{"v": 1, "type": "error", "code": "bad_frame"}
		}
		out, _ := json.Marshal(v)
		if err := conn.WriteMessage(websocket.TextMessage, out); err != nil {
			return
		}
	}
}

// serverStats is what a child reports: its memory after two collections
// and the CPU time it has used.
type serverStats struct {
	RSS        int64 `json:"rss"`        // resident set, bytes (VmRSS)
	HeapInuse  int64 `json:"heap_inuse"` // Go heap spans in use
	StackInuse int64 `json:"stack_inuse"`
	Goroutines int   `json:"goroutines"`
	CPUNanos   int64 `json:"cpu_ns"` // user + system
}

func (s serverStats) goMem() int64 { return s.HeapInuse + s.StackInuse }

func readStats() serverStats {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	s := serverStats{HeapInuse: int64(m.HeapInuse), StackInuse: int64(m.StackInuse), Goroutines: runtime.NumGoroutine()}
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		s.CPUNanos = ru.Utime.Nano() + ru.Stime.Nano()
	}
	s.RSS = vmRSS()
	return s
}

// vmRSS reads the resident set size from /proc/self/status; 0 where there
// is none.
func vmRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			f := strings.Fields(rest)
			if len(f) >= 1 {
				kb, _ := strconv.ParseInt(f[0], 10, 64)
				return kb << 10
			}
		}
	}
	return 0
}
