package webchat

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/dialog"
)

// ChannelName is the dialog channel of web chat conversations.
const ChannelName = "webchat"

// Timeouts of the work a frame or an upload starts.
const (
	turnTimeout  = 30 * time.Second // one engine call, one delivery
	closeGrace   = time.Second      // a closing client's time to answer the close frame
	historyLimit = 200              // messages in a welcome
	sweepLimit   = 5000             // pending messages read by one sweep
)

// Options configure a Channel.
type Options struct {
	Engine  *dialog.Engine // required
	Store   dialog.Store   // required: the engine's store
	Config  config.Webchat // zero limits take their defaults
	DataDir string         // attachments and the generated key live here; required
	Logger  *slog.Logger
	Now     func() time.Time // nil: time.Now
	// Registry receives the channel's metrics; nil: not registered.
	Registry prometheus.Registerer
	// Mailed tells which replies of a chat went out by mail (the email
	// channel continues chats whose visitor left); the welcome marks them
	// in the history. nil: none is marked.
	Mailed MailLog
}

// MailLog is the part of the email channel's send log the web chat reads.
type MailLog interface {
	// MailedSeqs returns the ranges (first and last seq) of a
	// conversation's messages that went out in mails sent.
	MailedSeqs(ctx context.Context, conversationID string) ([][2]int64, error)
}

// Channel is the web chat channel. Make it with New, mount its handlers with
// Register and supervise it with Run; it is safe for concurrent use.
type Channel struct {
	eng    *dialog.Engine
	store  dialog.Store
	mailed MailLog
	cfg    config.Webchat // its AllowedOrigins as at start: allowed is the list in force
	// allowed is the origin allow-list in force (SetAllowedOrigins).
	allowed atomic.Pointer[[]string]
	dir     string // <data_dir>/attachments
	log     *slog.Logger
	now     func() time.Time
	sign    signer
	up      websocket.Upgrader
	addrs   *addrTable
	m       *metrics

	// ctx bounds the engine and store calls of the sockets; it ends when
	// Run's context does, after the sockets are closed.
	ctx    context.Context
	cancel context.CancelFunc

	hubMu sync.Mutex
	rooms map[string]*room    // conversation id → its open sockets
	fresh map[string]*pending // visitor → the conversation Greet gave it, not stored yet (or stored since by this process)
	moved map[string]moved    // a greeted conversation never stored → the one its visitor continued (Channel.superseded)

	moveMu sync.Mutex // one moveUploads at a time

	dirtyMu sync.Mutex
	dirty   map[*room]struct{} // rooms with news to deliver
	wake    chan struct{}

	connMu sync.Mutex
	conns  map[*client]struct{}
	closed bool           // Run ended: no new sockets
	wg     sync.WaitGroup // the sockets' goroutines

	work *workers // run the sockets' frames
}

// New returns a web chat channel on the engine and store. It registers with
// the engine's OnCommit, so it must be called before the engine serves,
// and loads the signing key (config secret, or <data_dir>/webchat.key,
// created on first use).
func New(o Options) (*Channel, error) {
	if o.Engine == nil || o.Store == nil {
		return nil, errors.New("webchat: engine and store are required")
	}
	if o.DataDir == "" {
		return nil, errors.New("webchat: a data directory is required")
	}
	cfg := o.Config
	cfg.ApplyDefaults()
	key, err := loadKey(cfg.Secret, o.DataDir)
	if err != nil {
		return nil, err
	}
	m, err := newMetrics(o.Registry)
	if err != nil {
		return nil, fmt.Errorf("webchat metrics: %w", err)
	}
	c := &Channel{
		eng: o.Engine, store: o.Store, mailed: o.Mailed, cfg: cfg, log: o.Logger, now: o.Now,
		dir:   filepath.Join(o.DataDir, "attachments"),
		sign:  signer{key: key},
		addrs: newAddrTable(cfg.MaxConnectionsPerAddress, cfg.Rate.Address.PerSecond, cfg.Rate.Address.Burst),
		m:     m,
		rooms: map[string]*room{}, fresh: map[string]*pending{}, moved: map[string]moved{}, dirty: map[*room]struct{}{}, wake: make(chan struct{}, 1),
		conns: map[*client]struct{}{}, work: &workers{keep: workerKeep},
	}
	c.SetAllowedOrigins(cfg.AllowedOrigins)
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.now == nil {
		c.now = time.Now
	}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	c.up = websocket.Upgrader{
		HandshakeTimeout: cfg.WriteTimeout,
		// Own small read buffers instead of net/http's: the handler returns
		// after the upgrade and net/http's buffers are freed (gorilla #761).
		ReadBufferSize:  1024,
		WriteBufferSize: 4096,
		WriteBufferPool: &sync.Pool{},
		CheckOrigin:     func(*http.Request) bool { return true }, // checked before Upgrade
		Error: func(w http.ResponseWriter, _ *http.Request, status int, _ error) {
			http.Error(w, http.StatusText(status), status)
		},
	}
	o.Engine.OnCommit(c.onCommit)
	return c, nil
}

// Mux is where Register mounts the handlers: an *http.ServeMux or the
// supportd server.
type Mux interface {
	Handle(pattern string, h http.Handler)
}

// Register mounts the socket (/chat/ws), the uploads (/chat/upload,
// /chat/upload/{ref}) and the widget's files (/widget.js, /widget.css, and
// the demo page at /).
func (c *Channel) Register(mux Mux) {
	mux.Handle("GET /chat/ws", http.HandlerFunc(c.serveSocket))
	mux.Handle("POST /chat/upload", http.HandlerFunc(c.serveUpload))
	mux.Handle("GET /chat/upload/{ref}", http.HandlerFunc(c.serveDownload))
	mux.Handle("OPTIONS /chat/upload", http.HandlerFunc(c.servePreflight))
	mux.Handle("OPTIONS /chat/upload/{ref}", http.HandlerFunc(c.servePreflight))
	registerAssets(mux)
}

// Run delivers what the engine commits for open sockets, and sweeps the
// outbox every sweep interval for what reached none (another process's
// commits, a missed notification). When ctx ends it closes every socket with
// 1000, waits for their goroutines, and returns nil. The sockets work before
// Run starts, but only Run delivers agent replies and timer messages at once.
func (c *Channel) Run(ctx context.Context) error {
	tk := time.NewTicker(c.cfg.SweepInterval)
	defer tk.Stop()
	c.log.Info("web chat running")
	for {
		select {
		case <-ctx.Done():
			c.shutdown()
			return nil
		case <-c.wake:
			c.deliverDirty()
		case <-tk.C:
			c.sweep()
			c.addrs.prune(c.now().Add(-time.Minute))
			c.prunePending(c.now().Add(-pendingKeep))
		}
	}
}

// shutdown closes every socket with 1000 and waits for their goroutines: at
// most the write timeout and the close grace, then the engine calls still
// running are cancelled.
func (c *Channel) shutdown() {
	c.connMu.Lock()
	c.closed = true
	open := make([]*client, 0, len(c.conns))
	for cl := range c.conns {
		open = append(open, cl)
	}
	c.connMu.Unlock()
	for _, cl := range open {
		cl.kill(websocket.CloseNormalClosure, "server shutting down")
	}
	done := make(chan struct{})
	go func() { c.wg.Wait(); close(done) }()
	t := time.NewTimer(c.cfg.WriteTimeout + 2*closeGrace)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		c.log.Warn("sockets still busy at shutdown: cancelling their work", "sockets", len(open))
	}
	c.cancel()
	<-done
	c.log.Info("web chat stopped", "closed", len(open))
}

// opContext bounds one engine call or delivery.
func (c *Channel) opContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.ctx, turnTimeout)
}
