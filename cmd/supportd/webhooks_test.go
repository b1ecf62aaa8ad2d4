package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/supportd/supportd/webhooks"
)

// check-config lists the webhooks by name and host, never their secret or
// the rest of their URL, and refuses a bad entry with its key and line.
func TestCheckConfigWebhooks(t *testing.T) {
	t.Setenv("CRM_SECRET", "very-secret-key")
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	os.WriteFile(good, []byte("webhooks:\n  - name: crm\n    url: https://crm.example.com/in?token=t0ken\n    secret: \"${CRM_SECRET}\"\n    events: [created]\n"), 0o600)
	code, out, errOut := cli(t, "check-config", good)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "webhooks (1):\n  crm                https://crm.example.com, signed, created, timeout 10s\n") {
		t.Errorf("summary lacks the webhook:\n%s", out)
	}
	if strings.Contains(out, "very-secret-key") || strings.Contains(out, "t0ken") {
		t.Errorf("summary shows the secret or the URL's token:\n%s", out)
	}
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("webhooks:\n  - name: crm\n    url: https://crm.example.com/\n  - name: crm\n    url: mailto:erp@example.com\n    events: [created, closed]\n"), 0o600)
	code, _, errOut = cli(t, "check-config", bad)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	for _, want := range []string{
		`webhooks[1].name: duplicate webhook name "crm" (also webhooks[0]) (bad.yaml:4)`,
		`webhooks[1].url: "mailto:erp@example.com" is not an http(s) URL (bad.yaml:5)`,
		`webhooks[1].events[1]: unknown event "closed" (want created, updated, comment) (bad.yaml:6)`,
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	// serve refuses it the same way, before opening anything.
	code, _, errOut = cli(t, "serve", "--config", bad, "--addr", freeAddr(t))
	if code != 1 || !strings.Contains(errOut, `webhooks[1].url: "mailto:erp@example.com" is not an http(s) URL (bad.yaml:5)`) {
		t.Errorf("serve with a bad webhook: exit %d: %s", code, errOut)
	}
}

// `supportd serve` with a webhook: a ticket opened in the web chat reaches
// the webhook at once (the engine's commit wakes it), signed, and the
// webhook metrics are on /metrics.
func TestServeWebhooks(t *testing.T) {
	type got struct{ id, event, sig string }
	deliveries := make(chan got, 100)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		sig := r.Header.Get("X-Supportd-Signature")
		if !webhooks.Verify("k3y", body, sig) {
			sig = "bad"
		}
		deliveries <- got{r.Header.Get("X-Supportd-Delivery"), r.Header.Get("X-Supportd-Event"), sig}
	}))
	defer recv.Close()
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "supportd.yaml")
	os.WriteFile(cfgPath, []byte("storage:\n  data_dir: data\nwebhooks:\n  - name: crm\n    url: "+recv.URL+"\n    secret: k3y\n"), 0o600)
	addr := freeAddr(t)
	srv := startServe(t, "--config", cfgPath, "--addr", addr)
	base := "http://" + addr
	var conn *websocket.Conn
	var err error
	for range 100 {
		if conn, _, err = websocket.DefaultDialer.Dial("ws://"+addr+"/chat/ws", http.Header{"Origin": {base}}); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("server never answered: %v\n%s", err, srv.logs.String())
	}
	defer conn.Close()
	conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	for _, f := range []map[string]any{{"v": 1, "type": "hello", "locale": "zh"}, {"v": 1, "type": "message", "id": "k1", "text": "转人工"}} {
		if err := conn.WriteJSON(f); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case d := <-deliveries:
		if d.id != "T-1001:1" || d.event != "created" || d.sig == "bad" || d.sig == "" {
			t.Errorf("first delivery = %+v, want T-1001:1 created, signed", d)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("no delivery\n%s", srv.logs.String())
	}
	// The delivery is counted once its answer is in, after the receiver
	// saw it: read the metrics until it shows (bounded).
	var metrics []byte
	for range 200 {
		m, err := http.Get(base + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		metrics, _ = io.ReadAll(m.Body)
		m.Body.Close()
		if strings.Contains(string(metrics), `supportd_webhook_deliveries_total{result="ok",webhook="crm"}`) {
			break
		}
		time.Sleep(25 * time.Millisecond)
	}
	if !strings.Contains(string(metrics), `supportd_webhook_deliveries_total{result="ok",webhook="crm"}`) {
		t.Errorf("/metrics lacks the webhook deliveries")
	}
	srv.cancel()
	srv.wait(t)
}
