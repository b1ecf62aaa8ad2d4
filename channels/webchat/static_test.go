package webchat

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/supportd/supportd/config"
)

// TestAssets: the widget's files are served from the embedded copies with
// their types and cache headers; a conditional request is answered 304.
func TestAssets(t *testing.T) {
	e := newWSEnv(t)
	cases := []struct{ path, file, typ, cache string }{
		{"/widget.js", "widget.js", "text/javascript; charset=utf-8", "public, max-age=300"},
		{"/widget.css", "widget.css", "text/css; charset=utf-8", "public, max-age=300"},
		{"/", "index.html", "text/html; charset=utf-8", "no-cache"},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join("assets", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			resp, err := http.Get(e.srv.URL + tc.path)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || !bytes.Equal(body, want) {
				t.Fatalf("GET %s: %d, %d bytes, want 200 and the %d bytes of %s", tc.path, resp.StatusCode, len(body), len(want), tc.file)
			}
			h := resp.Header
			if h.Get("Content-Type") != tc.typ || h.Get("Cache-Control") != tc.cache || h.Get("ETag") == "" || h.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("headers %v", h)
			}
			req, _ := http.NewRequest("GET", e.srv.URL+tc.path, nil)
			req.Header.Set("If-None-Match", h.Get("ETag"))
			resp, err = http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusNotModified {
				t.Errorf("conditional GET: %d, want 304", resp.StatusCode)
			}
		})
	}
	resp, err := http.Get(e.srv.URL + "/nothing-here")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("GET /nothing-here: %d, want 404 (only / is the demo page)", resp.StatusCode)
	}
}

// TestKey: without a secret a key is generated once in <data_dir>/webchat.key
// (0600) and kept across restarts; with a secret, the secret signs.
func TestKey(t *testing.T) {
	dir := t.TempDir()
	k1, err := loadKey("", dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(dir, keyFile))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", st.Mode().Perm())
	}
	k2, err := loadKey("", dir)
	if err != nil || !bytes.Equal(k1, k2) || len(k1) != 32 {
		t.Fatalf("second load: %x %v, want the same 32 bytes %x", k2, err, k1)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("the data directory has %d entries, want only the key", len(entries))
	}
	tok := signer{k1}.mint(newVisitor())
	if _, ok := (signer{k2}).visitor(tok); !ok {
		t.Error("a token does not survive a restart")
	}
	secret := strings.Repeat("s", 32)
	k3, err := loadKey(secret, dir)
	if err != nil || string(k3) != secret {
		t.Errorf("with a secret: %q %v", k3, err)
	}
	if _, ok := (signer{k3}).visitor(tok); ok {
		t.Error("a token of another key verifies")
	}
	os.WriteFile(filepath.Join(dir, keyFile), []byte("short\n"), 0o600)
	if _, err := loadKey("", dir); err == nil || !strings.Contains(err.Error(), keyFile) {
		t.Errorf("a broken key file: err = %v", err)
	}
	// The configured secret reaches the channel.
	e := newWSEnv(t, func(w *config.Webchat) { w.Secret = secret })
	if !bytes.Equal(e.ch.sign.key, []byte(secret)) {
		t.Error("the channel does not sign with channels.webchat.secret")
	}
	if _, err := os.Stat(filepath.Join(e.dataDir, keyFile)); err == nil {
		t.Error("a key file was made although a secret is configured")
	}
}

func TestNewNeedsEngineStoreDataDir(t *testing.T) {
	e := newWSEnv(t)
	for name, o := range map[string]Options{
		"no engine":   {Store: e.db, DataDir: t.TempDir()},
		"no store":    {Engine: e.eng, DataDir: t.TempDir()},
		"no data dir": {Engine: e.eng, Store: e.db},
	} {
		if _, err := New(o); err == nil {
			t.Errorf("%s: New succeeded", name)
		}
	}
}

// FuzzDecodeFrame: no client frame makes the decoder panic, and whatever it
// accepts is a known type with fields in their limits.
func FuzzDecodeFrame(f *testing.F) {
	for _, s := range []string{
		`{"v":1,"type":"hello","token":"","locale":"zh"}`,
		`{"v":1,"type":"message","id":"k1","text":"你好"}`,
		`{"v":1,"type":"choice","id":"k2","value":"intent:return","label":"退货"}`,
		`{"v":1,"type":"attachment","id":"k3","ref":"att_0123456789abcdef0123456789abcdef"}`,
		`{"v":1,"type":"typing"}`, `{"v":2}`, `[]`, `null`, `{"v":1,"type":"message","text":{"a":1}}`,
	} {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, hello bool) {
		fr, err := decodeFrame(data, hello)
		if (fr == nil) == (err == nil) {
			t.Fatalf("frame %v and error %v", fr, err)
		}
		if err != nil {
			if err.Code == "" || err.Msg == "" {
				t.Fatalf("error without code or message: %+v", err)
			}
			return
		}
		switch fr.Type {
		case typeHello, typeTyping:
		case typeMessage, typeChoice, typeAttachment:
			if !hello || fr.ID == "" || len([]rune(fr.ID)) > maxID || len([]rune(fr.Text)) > maxText {
				t.Fatalf("accepted %+v", fr)
			}
		default:
			t.Fatalf("accepted type %q", fr.Type)
		}
	})
}
