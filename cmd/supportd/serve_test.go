package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

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

// ready waits until serve answers /readyz on addr, and fails the test if
// it never does.
func (s *served) ready(t *testing.T, addr string) {
	t.Helper()
	var err error
	for range 100 {
		var resp *http.Response
		if resp, err = http.Get("http://" + addr + "/readyz"); err == nil {
			resp.Body.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("server never answered: %v\n%s", err, s.logs.String())
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

// SIGHUP reloads the configuration file while serving: an open chat gets
// answers by the edited policy and knowledge base at its next message, a
// change read only at start is logged by key, and a file that does not load
// changes nothing (logged with its line, counted in /metrics) while serving
// goes on.
func TestServeReloadsOnSIGHUP(t *testing.T) {
	dir := t.TempDir()
	_, cfg, _ := cli(t, "config", "default")
	_, know, _ := cli(t, "config", "default", "--knowledge")
	cfg = strings.Replace(cfg, "  # knowledge: knowledge.yaml ", "  knowledge: knowledge.yaml ", 1)
	cfgPath, knowPath := filepath.Join(dir, "supportd.yaml"), filepath.Join(dir, "knowledge.yaml")
	write := func(path, text string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(cfgPath, cfg)
	write(knowPath, know)
	addr := freeAddr(t)
	srv := startServe(t, "--config", cfgPath, "--data", filepath.Join(dir, "data"), "--addr", addr)
	base := "http://" + addr
	srv.ready(t, addr)
	if want := "send SIGHUP to apply changes to " + cfgPath; !strings.Contains(srv.logs.String(), want) {
		t.Errorf("the start log does not say %q:\n%s", want, srv.logs.String())
	}
	if want := "knowledge=" + knowPath; !strings.Contains(srv.logs.String(), want) {
		t.Errorf("the start log does not name the knowledge base read, %q:\n%s", want, srv.logs.String())
	}

	conn, _, err := websocket.DefaultDialer.Dial("ws://"+addr+"/chat/ws", http.Header{"Origin": {base}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	if err := conn.WriteJSON(map[string]any{"v": 1, "type": "hello", "locale": "en"}); err != nil {
		t.Fatal(err)
	}
	sent := 0
	ask := func(text string) string {
		t.Helper()
		sent++
		if err := conn.WriteJSON(map[string]any{"v": 1, "type": "message", "id": fmt.Sprint("k", sent), "text": text}); err != nil {
			t.Fatal(err)
		}
		for {
			var f struct{ Type, From, Text, ClientID string }
			if err := conn.ReadJSON(&f); err != nil {
				t.Fatalf("reading the answer to %q: %v", text, err)
			}
			if f.Type == "message" && f.From == "bot" {
				return f.Text
			}
		}
	}
	waitLog := func(logged string) {
		t.Helper()
		for i := 0; i < 200 && !strings.Contains(srv.logs.String(), logged); i++ {
			time.Sleep(20 * time.Millisecond)
		}
		if !strings.Contains(srv.logs.String(), logged) {
			t.Fatalf("the log lacks %q:\n%s", logged, srv.logs.String())
		}
	}
	hup := func(logged string) {
		t.Helper()
		if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
			t.Fatal(err)
		}
		waitLog(logged)
	}
	const question = "what is your return policy?"
	if got := ask(question); !strings.HasPrefix(got, "Within 7 days of purchase") {
		t.Fatalf("before the reload: %q", got)
	}
	outlet := func() int {
		t.Helper()
		c, resp, err := websocket.DefaultDialer.Dial("ws://"+addr+"/chat/ws", http.Header{"Origin": {"https://outlet.example.com"}})
		if resp == nil {
			t.Fatalf("no answer to a socket from the outlet site: %v", err)
		}
		if c != nil {
			c.Close()
		}
		return resp.StatusCode
	}
	if got := outlet(); got != http.StatusForbidden {
		t.Errorf("a socket from a site not allowed yet: %d", got)
	}

	// The operator edits the policy, the knowledge base and a key read
	// at start only, then signals.
	edited := strings.Replace(cfg, "return_days: 7", "return_days: 10", 1)
	edited = strings.Replace(edited, "shutdown_timeout: 10s", "shutdown_timeout: 20s", 1)
	edited = strings.Replace(edited, "    # allowed_origins: [https://www.example.com]", "    allowed_origins: [https://outlet.example.com]", 1)
	if edited == cfg || !strings.Contains(edited, "shutdown_timeout: 20s") || !strings.Contains(edited, "outlet.example.com") {
		t.Fatal("the default configuration no longer has the lines this test edits")
	}
	write(cfgPath, edited)
	write(knowPath, strings.Replace(know, "Returns and exchanges need the fault confirmed", "Every return or exchange needs the fault confirmed", 1))
	hup("configuration reloaded")
	if got := ask(question); !strings.HasPrefix(got, "Within 10 days of purchase") || !strings.Contains(got, "Every return or exchange needs") {
		t.Errorf("after the reload: %q, want the new return window and the new knowledge base", got)
	}
	waitLog("restart supportd to apply it\" component=config keys=server.shutdown_timeout\n")
	if got := outlet(); got != http.StatusSwitchingProtocols {
		t.Errorf("a socket from the site allowed by the reload: %d", got)
	}

	// A broken file: nothing changes, the error names the line.
	write(cfgPath, strings.Replace(edited, "return_days: 10", "return_days: ten", 1))
	hup("configuration not reloaded")
	logs := srv.logs.String()
	if i := strings.Index(logs, "configuration not reloaded"); !strings.Contains(logs[i:], "supportd.yaml:") || !strings.Contains(logs[i:], "return_days") {
		t.Errorf("the error does not name the key and the line:\n%s", logs[i:])
	}
	if got := ask(question); !strings.HasPrefix(got, "Within 10 days of purchase") {
		t.Errorf("after a failed reload: %q, want the rules in force kept", got)
	}
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`supportd_config_reloads_total{result="applied"} 1`, `supportd_config_reloads_total{result="failed"} 1`, "supportd_config_last_reload_successful 0"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	srv.cancel()
	srv.wait(t)
}

// A second serve on a database another serve runs on refuses to start,
// naming the process that holds it; the other commands work beside it, and
// once the first stops a new serve starts.
func TestOneServePerDatabase(t *testing.T) {
	dir := t.TempDir()
	addr := freeAddr(t)
	srv := startServe(t, "--data", dir, "--addr", addr)
	srv.ready(t, addr)
	code, _, errOut := cli(t, "serve", "--data", dir, "--addr", freeAddr(t))
	want := fmt.Sprintf("another supportd serve is running on the database %s (pid %d on ", filepath.Join(dir, "supportd.db"), os.Getpid())
	if code != 1 || !strings.Contains(errOut, want) {
		t.Errorf("second serve: exit %d %q, want 1 with %q", code, errOut, want)
	}
	if code, out, errOut := cli(t, "tickets", "list", "--data", dir); code != 0 || !strings.Contains(out, "no tickets") {
		t.Errorf("tickets list beside serve: exit %d %s%s", code, out, errOut)
	}
	srv.cancel()
	srv.wait(t)

	again := startServe(t, "--data", dir, "--addr", addr) // the first one's lock is gone
	again.ready(t, addr)
	again.cancel()
	again.wait(t)
}
