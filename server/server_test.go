package server

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// start runs s until the test ends and returns its base URL and a function
// that stops it and returns Run's result.
func start(t *testing.T, s *Server) (string, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	actx, acancel := context.WithTimeout(ctx, 5*time.Second)
	defer acancel()
	addr, err := s.Addr(actx)
	if err != nil {
		cancel()
		t.Fatalf("server did not start: %v", err)
	}
	stopped := false
	stop := func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		return <-done
	}
	t.Cleanup(func() { stop() })
	return "http://" + addr.String(), stop
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestProbesAndMetrics(t *testing.T) {
	var dbErr error
	s := New(Options{Addr: "127.0.0.1:0", Version: "1.2.3", Ready: func(context.Context) error { return dbErr }})
	s.Handle("GET /hello", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTeapot)
	}))
	base, stop := start(t, s)

	if code, body := get(t, base+"/healthz"); code != 200 || body != "ok\n" {
		t.Errorf("/healthz = %d %q", code, body)
	}
	if code, body := get(t, base+"/readyz"); code != 200 || body != "ready\n" {
		t.Errorf("/readyz = %d %q", code, body)
	}
	dbErr = errors.New("database is closed")
	if code, body := get(t, base+"/readyz"); code != 503 || !strings.Contains(body, "database is closed") {
		t.Errorf("/readyz with the database down = %d %q, want 503 with the reason", code, body)
	}
	get(t, base+"/hello")
	get(t, base+"/hello")

	code, body := get(t, base+"/metrics")
	if code != 200 {
		t.Fatalf("/metrics = %d", code)
	}
	for _, want := range []string{
		`supportd_http_requests_total{code="418",route="GET /hello"} 2`,
		`supportd_http_requests_total{code="503",route="GET /readyz"} 1`,
		`supportd_build_info{version="1.2.3"} 1`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if err := stop(); err != nil {
		t.Errorf("Run after a clean stop = %v, want nil", err)
	}
}

func TestShutdownLetsRequestsFinish(t *testing.T) {
	entered := make(chan struct{})
	s := New(Options{Addr: "127.0.0.1:0", ShutdownTimeout: 5 * time.Second})
	s.Handle("GET /slow", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		time.Sleep(200 * time.Millisecond)
		io.WriteString(w, "finished")
	}))
	base, stop := start(t, s)

	got := make(chan string, 1)
	go func() {
		resp, err := http.Get(base + "/slow")
		if err != nil {
			got <- err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		got <- string(b)
	}()
	<-entered
	if err := stop(); err != nil {
		t.Errorf("Run = %v", err)
	}
	if body := <-got; body != "finished" {
		t.Errorf("request in flight during shutdown got %q, want it to finish", body)
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("server still accepts connections after shutdown")
	}
}

func TestShutdownIsBounded(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	entered := make(chan struct{})
	s := New(Options{Addr: "127.0.0.1:0", ShutdownTimeout: 100 * time.Millisecond})
	s.Handle("GET /stuck", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release
	}))
	base, stop := start(t, s)
	go http.Get(base + "/stuck")
	<-entered

	stopped := make(chan error, 1)
	go func() { stopped <- stop() }()
	select {
	case err := <-stopped:
		if err != nil {
			t.Errorf("Run = %v, want nil after a timed-out shutdown", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return although the shutdown timeout had passed")
	}
}

func TestListenError(t *testing.T) {
	s := New(Options{Addr: "127.0.0.1:0"})
	base, _ := start(t, s)
	other := New(Options{Addr: strings.TrimPrefix(base, "http://")})
	err := other.Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "listen on") {
		t.Errorf("second server on a taken port: %v", err)
	}
}
