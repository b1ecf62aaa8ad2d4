package main

import (
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// TestServeWebchat: `supportd serve` on the default configuration mounts the
// web chat: the widget is served, a visitor chats over the socket through
// the server's handler chain, the key is kept in the data directory and the
// channel's metrics are on /metrics; the socket is closed with 1000 at
// shutdown.
func TestServeWebchat(t *testing.T) {
	dir := t.TempDir()
	addr := freeAddr(t)
	srv := startServe(t, "--data", dir, "--addr", addr)
	base := "http://" + addr
	var resp *http.Response
	var err error
	for range 100 {
		if resp, err = http.Get(base + "/widget.js"); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("server never answered: %v\n%s", err, srv.logs.String())
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/javascript") {
		t.Fatalf("/widget.js = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}

	conn, _, err := websocket.DefaultDialer.Dial("ws://"+addr+"/chat/ws", http.Header{"Origin": {base}})
	if err != nil {
		t.Fatalf("dial through the server: %v", err)
	}
	defer conn.Close()
	conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	if err := conn.WriteJSON(map[string]any{"v": 1, "type": "hello", "locale": "zh"}); err != nil {
		t.Fatal(err)
	}
	var welcome struct {
		Type, Token string
		History     []struct{ From, Text string }
	}
	if err := conn.ReadJSON(&welcome); err != nil || welcome.Type != "welcome" || len(welcome.History) == 0 {
		t.Fatalf("welcome = %+v, %v", welcome, err)
	}
	if st, err := os.Stat(filepath.Join(dir, "webchat.key")); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("webchat.key in the data directory: %v", err)
	}
	m, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(m.Body)
	m.Body.Close()
	if !strings.Contains(string(body), "supportd_webchat_connections 1") {
		t.Errorf("/metrics lacks the open socket")
	}

	srv.cancel()
	var ce *websocket.CloseError
	for {
		if _, _, err = conn.ReadMessage(); err != nil {
			break
		}
	}
	if !errors.As(err, &ce) || ce.Code != websocket.CloseNormalClosure {
		t.Errorf("socket at shutdown: %v, want close 1000", err)
	}
	srv.wait(t)
	if strings.Contains(srv.logs.String(), "level=ERROR") {
		t.Errorf("errors in the log:\n%s", srv.logs.String())
	}
}
