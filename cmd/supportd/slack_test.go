package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestServeSlack runs serve with the Slack desk enabled: its endpoints are
// on the server and verify Slack's signatures.
func TestServeSlack(t *testing.T) {
	dir := t.TempDir()
	addr := freeAddr(t)
	const secret = "test-signing-secret"
	cfg := filepath.Join(dir, "supportd.yaml")
	yaml := fmt.Sprintf("channels:\n  webchat:\n    enabled: false\n  slack:\n    enabled: true\n    bot_token: xoxb-1\n    signing_secret: %s\n    default_channel: C1\n", secret)
	if err := os.WriteFile(cfg, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	srv := startServe(t, "--config", cfg, "--data", dir, "--addr", addr)
	post := func(signed bool) (*http.Response, string) {
		body := `{"type":"url_verification","challenge":"c4llenge"}`
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/slack/events", strings.NewReader(body))
		if signed {
			ts := strconv.FormatInt(time.Now().Unix(), 10)
			mac := hmac.New(sha256.New, []byte(secret))
			fmt.Fprintf(mac, "v0:%s:%s", ts, body)
			req.Header.Set("X-Slack-Request-Timestamp", ts)
			req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, err.Error()
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp, string(b)
	}
	var resp *http.Response
	var body string
	for range 100 {
		if resp, body = post(true); resp != nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if resp == nil || resp.StatusCode != 200 || body != "c4llenge" {
		t.Fatalf("url_verification: %v %q\n%s", resp, body, srv.logs.String())
	}
	if resp, _ := post(false); resp == nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("unsigned request: %v, want 401", resp)
	}
	srv.cancel()
	srv.wait(t)
}
