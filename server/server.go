// Package server is supportd's HTTP front: health and readiness probes,
// Prometheus metrics, and the mount point for the channels (web chat, Slack
// callbacks) that later register their handlers on it.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Options configure a Server.
type Options struct {
	Addr            string
	ShutdownTimeout time.Duration
	Logger          *slog.Logger
	// Ready reports whether the server can serve customers (the database is
	// reachable). /readyz answers 503 with its error.
	Ready func(context.Context) error
	// Registry receives the server's metrics; nil makes a new one.
	Registry *prometheus.Registry
	// Version is reported by the supportd_build_info metric.
	Version string
}

// Server is the HTTP server. Register handlers with Handle before Run.
type Server struct {
	opts     Options
	mux      *http.ServeMux
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec

	mu   sync.Mutex
	addr net.Addr
	up   chan struct{}
}

// New returns a server with /healthz, /readyz and /metrics mounted.
func New(opts Options) *Server {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.ShutdownTimeout <= 0 {
		opts.ShutdownTimeout = 10 * time.Second
	}
	reg := opts.Registry
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	s := &Server{opts: opts, mux: http.NewServeMux(), reg: reg, up: make(chan struct{})}
	s.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "supportd_http_requests_total",
		Help: "HTTP requests served, by route and status code.",
	}, []string{"route", "code"})
	s.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "supportd_http_request_duration_seconds",
		Help:    "Time to serve an HTTP request, by route.",
		Buckets: prometheus.ExponentialBuckets(0.0005, 4, 8),
	}, []string{"route"})
	build := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "supportd_build_info",
		Help:        "Always 1; the version label names the running build.",
		ConstLabels: prometheus.Labels{"version": opts.Version},
	})
	build.Set(1)
	reg.MustRegister(s.requests, s.duration, build,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	s.Handle("GET /healthz", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	}))
	s.Handle("GET /readyz", http.HandlerFunc(s.readyz))
	s.mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
	return s
}

// Registry returns the metrics registry, for components that add metrics.
func (s *Server) Registry() *prometheus.Registry { return s.reg }

// Handle registers h for pattern (net/http ServeMux syntax), counting and
// timing its requests under the pattern's name. Call it before Run.
func (s *Server) Handle(pattern string, h http.Handler) {
	s.mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, code: http.StatusOK}
		h.ServeHTTP(rec, r)
		s.requests.WithLabelValues(pattern, strconv.Itoa(rec.code)).Inc()
		s.duration.WithLabelValues(pattern).Observe(time.Since(start).Seconds())
	}))
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if s.opts.Ready != nil {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := s.opts.Ready(ctx); err != nil {
			s.opts.Logger.Warn("not ready", "err", err)
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintf(w, "not ready: %v\n", err)
			return
		}
	}
	fmt.Fprintln(w, "ready")
}

// Addr returns the address the server listens on, once Run has bound it
// (useful with port 0). It blocks until then or until ctx is done.
func (s *Server) Addr(ctx context.Context) (net.Addr, error) {
	select {
	case <-s.up:
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.addr, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Run listens and serves until ctx is cancelled, then shuts down gracefully:
// it stops accepting, lets requests in flight finish for at most the
// shutdown timeout, and returns. It returns nil after a clean shutdown.
func (s *Server) Run(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.opts.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.opts.Addr, err)
	}
	s.mu.Lock()
	s.addr = ln.Addr()
	s.mu.Unlock()
	close(s.up)

	srv := &http.Server{
		Handler:           s.mux,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.opts.Logger.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	s.opts.Logger.Info("listening", "addr", ln.Addr().String())

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), s.opts.ShutdownTimeout)
	defer cancel()
	err = srv.Shutdown(sctx)
	if errors.Is(err, context.DeadlineExceeded) {
		srv.Close()
		s.opts.Logger.Warn("shutdown timed out; open connections closed", "timeout", s.opts.ShutdownTimeout)
		err = nil
	}
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", serr)
	}
	if err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	s.opts.Logger.Info("stopped")
	return nil
}

type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.code = code
	r.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the underlying writer (the web
// chat's WebSocket upgrade needs its Hijacker).
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
