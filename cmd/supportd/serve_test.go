package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/supportd/supportd/internal/syncbuf"
)

// served is `supportd serve` running in the background of a test.
type served struct {
	logs   syncbuf.Buffer
	cancel context.CancelFunc // what SIGINT/SIGTERM do through signal.NotifyContext
	done   chan int
}

// startServe runs `supportd serve args...` until the test cancels it or ends.
func startServe(t *testing.T, args ...string) *served {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &served{cancel: cancel, done: make(chan int, 1)}
	go func() {
		s.done <- run(ctx, append([]string{"serve"}, args...), strings.NewReader(""), io.Discard, &s.logs)
	}()
	t.Cleanup(cancel)
	return s
}

// wait waits, after cancel, for serve to stop within a bounded time with
// exit code 0.
func (s *served) wait(t *testing.T) {
	t.Helper()
	select {
	case code := <-s.done:
		if code != 0 {
			t.Errorf("serve exited %d after cancellation, want 0\n%s", code, s.logs.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("serve did not stop after cancellation\n%s", s.logs.String())
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func TestServe(t *testing.T) {
	dir := t.TempDir()
	addr := freeAddr(t)
	srv := startServe(t, "--data", dir, "--addr", addr)

	var resp *http.Response
	var err error
	for i := 0; i < 100; i++ {
		if resp, err = http.Get("http://" + addr + "/readyz"); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("server never answered: %v\n%s", err, srv.logs.String())
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "ready\n" {
		t.Errorf("/readyz = %d %q", resp.StatusCode, body)
	}
	if _, err := os.Stat(filepath.Join(dir, "supportd.db")); err != nil {
		t.Errorf("database not created under --data: %v", err)
	}

	srv.cancel() // what SIGINT/SIGTERM do through signal.NotifyContext
	srv.wait(t)
	if !strings.Contains(srv.logs.String(), "stopped") {
		t.Errorf("no clean stop in the log:\n%s", srv.logs.String())
	}
}

func TestServeBadInput(t *testing.T) {
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"serve", "--addr", "8080"}, 2, "--addr"},
		{[]string{"serve", "--bogus"}, 2, "bogus"},
		{[]string{"serve", "extra"}, 2, "unexpected argument"},
		{[]string{"serve", "--config", "/nonexistent/supportd.yaml"}, 1, "read config"},
	}
	for _, tc := range cases {
		code, _, errOut := cli(t, tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d %q, want %d containing %q", tc.args, code, errOut, tc.code, tc.want)
		}
	}
	// A data directory that is a file: a clear error, exit 1.
	file := filepath.Join(t.TempDir(), "plain-file")
	os.WriteFile(file, []byte("x"), 0o600)
	if code, _, errOut := cli(t, "serve", "--data", file, "--addr", freeAddr(t)); code != 1 || !strings.Contains(errOut, "plain-file") {
		t.Errorf("data dir is a file: exit %d %q", code, errOut)
	}
}

// SIGHUP does not end serve: it logs that the configuration is read only at
// start and that a restart applies changes, and serve goes on answering.
func TestServeSIGHUP(t *testing.T) {
	addr := freeAddr(t)
	srv := startServe(t, "--data", t.TempDir(), "--addr", addr)
	ready := func() error {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	var err error
	for i := 0; i < 100; i++ {
		if err = ready(); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("server never answered: %v\n%s", err, srv.logs.String())
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	const want = "SIGHUP received: the configuration is not reloaded, it is read only at start; restart supportd to apply changes (still serving)"
	for i := 0; i < 100 && !strings.Contains(srv.logs.String(), want); i++ {
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(srv.logs.String(), want) {
		t.Fatalf("log lacks %q:\n%s", want, srv.logs.String())
	}
	if err := ready(); err != nil {
		t.Errorf("serve stopped answering after SIGHUP: %v", err)
	}
	srv.cancel()
	srv.wait(t)
}
