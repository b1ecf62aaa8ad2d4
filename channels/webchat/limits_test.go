package webchat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/internal/syncbuf"
)

// TestOrigin: an upgrade from an origin not on the allow-list is refused
// with 403 (RELIABILITY 21); the server's own origin and "*" are allowed.
func TestOrigin(t *testing.T) {
	e := newWSEnv(t)
	star := newWSEnv(t, func(w *config.Webchat) { w.AllowedOrigins = []string{"*"} })
	cases := []struct {
		name   string
		env    *wsEnv
		origin string
		status int
	}{
		{"allowed", e, "https://shop.example.com", 101},
		{"allowed, other case", e, "https://SHOP.example.com", 101},
		{"own origin", e, e.srv.URL, 101},
		{"no origin (not a browser)", e, "", 101},
		{"other site", e, "https://evil.example.net", 403},
		{"allowed host, other scheme", e, "http://shop.example.com", 403},
		{"allowed host, other port", e, "https://shop.example.com:8443", 403},
		{"lookalike", e, "https://shop.example.com.evil.net", 403},
		{"null", e, "null", 403},
		{"star", star, "https://anyone.example.org", 101},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			hdr := http.Header{}
			if tc.origin != "" {
				hdr.Set("Origin", tc.origin)
			}
			conn, resp, err := websocket.DefaultDialer.Dial(tc.env.wsURL(), hdr)
			if resp == nil {
				t.Fatalf("no response: %v", err)
			}
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d (%v)", resp.StatusCode, tc.status, err)
			}
			if conn != nil {
				conn.Close()
			}
		})
	}
	if got := metric(e.ch.m.refused.WithLabelValues("origin")); got != 5 {
		t.Errorf("refused by origin = %v, want 5", got)
	}
}

// TestAllowedOriginsChangedWhileServing: an origin added to the allow-list
// while serving (SetAllowedOrigins, as a configuration reload does) opens
// sockets and uploads at once; one removed is refused from then on.
func TestAllowedOriginsChangedWhileServing(t *testing.T) {
	e := newWSEnv(t)
	status := func(origin string) int {
		t.Helper()
		conn, resp, err := websocket.DefaultDialer.Dial(e.wsURL(), http.Header{"Origin": {origin}})
		if resp == nil {
			t.Fatalf("no response: %v", err)
		}
		if conn != nil {
			conn.Close()
		}
		return resp.StatusCode
	}
	const outlet = "https://outlet.example.com"
	if got := status(outlet); got != 403 {
		t.Fatalf("before: %d, want 403", got)
	}
	e.ch.SetAllowedOrigins([]string{"https://shop.example.com", outlet})
	if got := status(outlet); got != 101 {
		t.Errorf("after adding %s: %d, want 101", outlet, got)
	}
	req, _ := http.NewRequest(http.MethodOptions, e.srv.URL+"/chat/upload", nil)
	req.Header.Set("Origin", outlet)
	req.Header.Set("Access-Control-Request-Method", "POST")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 204 || resp.Header.Get("Access-Control-Allow-Origin") != outlet {
		t.Errorf("upload preflight from the added origin: %d %q", resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"))
	}
	e.ch.SetAllowedOrigins([]string{outlet})
	if got := status("https://shop.example.com"); got != 403 {
		t.Errorf("after removing shop.example.com: %d, want 403", got)
	}
}

// TestOversizeFrame: a frame over the read limit closes the socket with 1009
// (RELIABILITY 22); its goroutines end.
func TestOversizeFrame(t *testing.T) {
	e := newWSEnv(t, func(w *config.Webchat) { w.MaxFrameBytes = 1024 })
	base := runtime.NumGoroutine()
	c := e.dial(nil)
	c.hello("", "en")
	text := strings.Repeat("a", 1000) // at the limit with the envelope: fine
	if err := c.conn.WriteJSON(map[string]any{"v": 1, "type": "message", "id": "ok", "text": text[:900]}); err != nil {
		t.Fatal(err)
	}
	c.barrier()
	if err := c.conn.WriteJSON(map[string]any{"v": 1, "type": "message", "id": "big", "text": strings.Repeat("字", 400)}); err != nil {
		t.Fatal(err)
	}
	err := c.closeErr(10 * time.Second)
	if closeCode(err) != websocket.CloseMessageTooBig {
		t.Fatalf("closed with %v, want 1009", err)
	}
	var ce *websocket.CloseError
	if errors.As(err, &ce) && ce.Text != "frame larger than 1024 bytes" {
		t.Errorf("close reason %q, want one that names the limit", ce.Text)
	}
	c.conn.Close()
	waitGoroutines(t, base, 10*time.Second)
	if n := e.openSockets(); n != 0 {
		t.Errorf("%d sockets still counted", n)
	}
}

// TestLongestMessageFits: the longest valid message, 4000 characters of 4
// bytes each in UTF-8 (emoji), or 4000 Chinese characters, fits in the
// smallest frame limit the configuration accepts: the server answers it
// instead of closing the socket with 1009.
func TestLongestMessageFits(t *testing.T) {
	cases := []struct {
		name  string
		frame map[string]any
		want  string // the answer's type
	}{
		{"emoji", map[string]any{"type": "message", "text": strings.Repeat("😀", 4000)}, "message"},
		{"chinese", map[string]any{"type": "message", "text": strings.Repeat("我的电视没有声音", 500)}, "message"},
		{"quotes and lines", map[string]any{"type": "message", "text": strings.Repeat("\"\n", 2000)}, "message"},
		{"caption", map[string]any{"type": "attachment", "ref": "att_" + strings.Repeat("a", 32), "text": strings.Repeat("😀", 4000)}, "error"},
	}
	e := newWSEnv(t, func(w *config.Webchat) { w.MaxFrameBytes = config.MinFrameBytes })
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := e.dial(nil)
			defer c.conn.Close()
			c.hello("", "zh")
			id := strings.Repeat("😀", 64) // the longest id
			tc.frame["v"], tc.frame["id"] = 1, id
			c.send(tc.frame)
			fs := c.until(10*time.Second, func(f frame) bool {
				return f.Type == "error" || (f.Type == "message" && f.ClientID == id)
			})
			if got := fs[len(fs)-1]; got.Type != tc.want {
				t.Errorf("answered %+v, want a %s frame", got, tc.want)
			}
		})
	}
}

// TestPongTimeout: a client that stops answering pings is closed within the
// pong wait (RELIABILITY 22), and its goroutines end.
func TestPongTimeout(t *testing.T) {
	const pongWait = 300 * time.Millisecond
	e := newWSEnv(t, func(w *config.Webchat) { w.PingInterval = 100 * time.Millisecond; w.PongWait = pongWait })
	base := runtime.NumGoroutine()
	alive := e.dial(nil)
	alive.hello("", "en")

	conn := e.rawDial(nil)
	conn.SetPingHandler(func(string) error { return nil }) // reads, never answers
	start := time.Now()
	if err := conn.WriteJSON(map[string]any{"v": 1, "type": "hello"}); err != nil {
		t.Fatal(err)
	}
	var err error
	for err == nil {
		_, _, err = conn.ReadMessage()
	}
	took := time.Since(start)
	if closeCode(err) != websocket.CloseInternalServerErr {
		t.Errorf("closed with %v, want 1011", err)
	}
	if took > pongWait+time.Second {
		t.Errorf("closed after %s, want within the pong wait %s", took, pongWait)
	}
	// The client that answers pings stays, well past the pong wait.
	time.Sleep(3 * pongWait)
	if fs := alive.say("help"); len(replies(fs)) == 0 {
		t.Errorf("the live client got no answer: %+v", fs)
	}
	conn.Close()
	alive.conn.Close()
	waitGoroutines(t, base, 10*time.Second)
}

// TestSlowConsumer: a tab that stops reading overflows its send queue and is
// dropped with 1011; the other tab of the same conversation gets every
// message and keeps working (RELIABILITY 23).
func TestSlowConsumer(t *testing.T) {
	e := newWSEnv(t, func(w *config.Webchat) { w.SendQueue = 16; w.WriteTimeout = 20 * time.Second })
	fast := e.dial(nil)
	w := fast.hello("", "zh")
	id := handOff(t, fast)

	known := e.sockets()
	slow := e.rawDial(nil) // reads the welcome, then nothing
	if err := slow.WriteJSON(map[string]any{"v": 1, "type": "hello", "token": w.Token}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := slow.ReadMessage(); err != nil {
		t.Fatal(err)
	}
	// Small kernel buffers on both ends, so that a few messages fill them
	// and the send queue has to take the rest.
	for cl := range e.sockets() {
		if !known[cl] {
			_ = tcpConn(cl.conn.UnderlyingConn()).(*net.TCPConn).SetWriteBuffer(4096)
		}
	}
	big := strings.Repeat("长", 2500) // 7.5 KB a message
	ctx := context.Background()
	var sent int
	for sent = 0; metric(e.ch.m.slowDropped) == 0; sent++ {
		if sent > 1000 {
			t.Fatal("the slow client was never dropped")
		}
		text := fmt.Sprint(sent, big)
		if _, err := e.eng.Act(ctx, dialog.Action{Kind: dialog.ActReply, TicketID: id, Agent: "ann", Text: text}); err != nil {
			t.Fatal(err)
		}
		fast.until(10*time.Second, func(f frame) bool { return f.Type == "message" && f.From == "agent" && f.Text == text })
	}
	t.Logf("dropped after %d agent replies of %d bytes", sent, len(big))
	if fs := fast.say("还在吗？"); len(ofType(fs, "message")) == 0 {
		t.Errorf("the fast tab stopped working: %+v", fs)
	}
	// Reading again, the slow tab finds what was written, then the close.
	var err error
	n := 0
	for ; err == nil; n++ {
		_, _, err = slow.ReadMessage()
	}
	if closeCode(err) != websocket.CloseInternalServerErr {
		t.Errorf("slow tab closed with %v after %d frames, want 1011", err, n)
	}
	if n >= sent+16 {
		t.Errorf("the slow tab read %d frames of %d sent: it was not dropped", n, sent)
	}
	if n := metric(e.ch.m.slowDropped); n != 1 {
		t.Errorf("%v clients dropped, want 1", n)
	}
}

// TestRateLimit: frames beyond the per-connection and per-address token
// buckets are refused with rate_limited and dropped (RELIABILITY 27).
func TestRateLimit(t *testing.T) {
	t.Run("connection", func(t *testing.T) {
		e := newWSEnv(t, func(w *config.Webchat) {
			w.Rate.Connection = config.Rate{PerSecond: 0.001, Burst: 3}
		})
		c := e.dial(nil)
		c.hello("", "en")
		for i := range 5 {
			c.send(map[string]any{"v": 1, "type": "message", "id": fmt.Sprint("r", i), "text": "help"})
		}
		fs := c.barrier()
		errs := ofType(fs, "error")
		if len(errs) != 2 || errs[0].Code != codeRateLimited || errs[0].ID != "r3" || errs[1].ID != "r4" {
			t.Errorf("errors %+v, want r3 and r4 rate limited", errs)
		}
		if echoes := countFrom(fs, "customer"); echoes != 3 {
			t.Errorf("%d messages processed, want 3", echoes)
		}
		// Another connection has its own bucket.
		d := e.dial(nil)
		d.hello("", "en")
		if errs := ofType(d.say("help"), "error"); len(errs) != 0 {
			t.Errorf("a fresh connection was limited: %+v", errs)
		}
		if got := metric(e.ch.m.rateLimited.WithLabelValues("connection")); got != 2 {
			t.Errorf("metric = %v, want 2", got)
		}
	})
	t.Run("address", func(t *testing.T) {
		e := newWSEnv(t, func(w *config.Webchat) {
			w.Rate.Address = config.Rate{PerSecond: 0.001, Burst: 4}
			w.ClientIPHeader = "X-Forwarded-For"
		})
		from := func(ip string) http.Header { return http.Header{"X-Forwarded-For": {"10.9.9.9, " + ip}} }
		a, b, other := e.dial(from("192.0.2.1")), e.dial(from("192.0.2.1")), e.dial(from("192.0.2.2"))
		for _, c := range []*wsClient{a, b, other} {
			c.hello("", "en")
		}
		for i := range 3 {
			a.send(map[string]any{"v": 1, "type": "message", "id": fmt.Sprint("a", i), "text": "help"})
			b.send(map[string]any{"v": 1, "type": "message", "id": fmt.Sprint("b", i), "text": "help"})
		}
		fa, fb := a.barrier(), b.barrier()
		limited := len(ofType(fa, "error")) + len(ofType(fb, "error"))
		processed := countFrom(fa, "customer") + countFrom(fb, "customer")
		if limited != 2 || processed != 4 {
			t.Errorf("%d processed and %d limited, want 4 and 2 for the address", processed, limited)
		}
		if errs := ofType(other.say("help"), "error"); len(errs) != 0 {
			t.Errorf("another address was limited: %+v", errs)
		}
		if got := metric(e.ch.m.rateLimited.WithLabelValues("address")); got != 2 {
			t.Errorf("metric = %v, want 2", got)
		}
	})
}

func countFrom(fs []frame, from string) int {
	n := 0
	for _, f := range fs {
		if f.Type == "message" && f.From == from {
			n++
		}
	}
	return n
}

// TestConnectionsPerAddress: the sockets beyond the maximum of one address
// are closed with 1008 right after the upgrade; other addresses, and the
// same address after one closed, connect.
func TestConnectionsPerAddress(t *testing.T) {
	e := newWSEnv(t, func(w *config.Webchat) { w.MaxConnectionsPerAddress = 3; w.ClientIPHeader = "X-Real-IP" })
	ip := func(a string) http.Header { return http.Header{"X-Real-Ip": {a}} }
	var open []*wsClient
	for range 3 {
		c := e.dial(ip("2001:db8::1"))
		c.hello("", "en")
		open = append(open, c)
	}
	// The same /64 is the same address.
	excess := e.dial(ip("2001:db8::2"))
	if err := excess.closeErr(10 * time.Second); closeCode(err) != websocket.ClosePolicyViolation {
		t.Fatalf("fourth socket: %v, want close 1008", err)
	}
	e.dial(ip("2001:db8:0:1::1")).hello("", "en") // another /64
	e.dial(ip("192.0.2.7")).hello("", "en")
	open[0].conn.Close()
	waitFor(t, 10*time.Second, "the closed socket to be uncounted", func() bool { return e.ch.addrs.open("2001:db8::/64") == 2 })
	e.dial(ip("2001:db8::3")).hello("", "en")
	if got := metric(e.ch.m.refused.WithLabelValues("address_limit")); got != 1 {
		t.Errorf("refused = %v, want 1", got)
	}
}

// TestBadFrames: every malformed frame gets its error code and the
// connection stays open.
func TestBadFrames(t *testing.T) {
	e := newWSEnv(t)
	c := e.dial(nil)
	before := []struct{ name, frame, code string }{
		{"not JSON", `hello`, codeBadFrame},
		{"truncated JSON", `{"v":1,"type":"hel`, codeBadFrame},
		{"array", `[1,2]`, codeBadFrame},
		{"null", `null`, codeBadFrame},
		{"string", `"hello"`, codeBadFrame},
		{"missing v", `{"type":"hello"}`, codeUnsupported},
		{"wrong v", `{"v":2,"type":"hello"}`, codeUnsupported},
		{"v as text", `{"v":"1","type":"hello"}`, codeUnsupported},
		{"v as true", `{"v":true,"type":"hello"}`, codeUnsupported},
		{"v of 1.5", `{"v":1.5,"type":"hello"}`, codeUnsupported},
		{"v of 10e-2", `{"v":10e-2,"type":"hello"}`, codeUnsupported},
		{"v of null", `{"v":null,"type":"hello"}`, codeUnsupported},
		{"unknown type", `{"v":1,"type":"subscribe"}`, codeUnknownType},
		{"message before hello", `{"v":1,"type":"message","id":"x","text":"hi"}`, codeHelloFirst},
		{"token of the wrong type", `{"v":1,"type":"hello","token":5}`, codeBadFrame},
	}
	after := []struct{ name, frame, code string }{
		{"second hello", `{"v":1,"type":"hello"}`, codeBadFrame},
		{"empty text", `{"v":1,"type":"message","id":"e1","text":"  "}`, codeBadMessage},
		{"no text", `{"v":1,"type":"message","id":"e2"}`, codeBadMessage},
		{"too long text", `{"v":1,"type":"message","id":"e3","text":"` + strings.Repeat("x", 4001) + `"}`, codeBadMessage},
		{"no id", `{"v":1,"type":"message","text":"hi"}`, codeBadMessage},
		{"too long id", `{"v":1,"type":"message","id":"` + strings.Repeat("i", 65) + `","text":"hi"}`, codeBadMessage},
		{"choice without value", `{"v":1,"type":"choice","id":"c1","value":""}`, codeBadMessage},
		{"attachment without ref", `{"v":1,"type":"attachment","id":"a1"}`, codeUnknownAttachment},
		{"path as ref", `{"v":1,"type":"attachment","id":"a2","ref":"../../supportd.db"}`, codeUnknownAttachment},
		{"text of the wrong type", `{"v":1,"type":"message","id":"e4","text":["hi"]}`, codeBadFrame},
		{"unknown type after hello", `{"v":1,"type":"ping"}`, codeUnknownType},
	}
	run := func(cases []struct{ name, frame, code string }) {
		for _, tc := range cases {
			c.send(tc.frame)
			f := c.next(10 * time.Second)
			if f.Type != "error" || f.Code != tc.code || f.Message == "" {
				t.Errorf("%s: got %+v, want error %s", tc.name, f, tc.code)
			}
		}
	}
	run(before)
	if err := c.conn.WriteMessage(websocket.BinaryMessage, []byte(`{"v":1,"type":"hello"}`)); err != nil {
		t.Fatal(err)
	}
	if f := c.next(10 * time.Second); f.Code != codeBadFrame {
		t.Errorf("binary frame: %+v", f)
	}
	// 1.0 and 1e0 are the number 1.
	c.send(`{"v":1.0,"type":"hello","token":"","locale":"en"}`)
	if f := c.next(10 * time.Second); f.Type != "welcome" {
		t.Fatalf("hello with v 1.0: %+v, want the welcome", f)
	}
	c.barrier()
	c.send(`{"v":1e0,"type":"message","id":"v1e0","text":"help"}`)
	fs := c.until(10*time.Second, func(f frame) bool { return f.Type == "error" || f.ClientID == "v1e0" })
	if f := fs[len(fs)-1]; f.Type != "message" {
		t.Errorf("message with v 1e0: %+v, want its echo", f)
	}
	c.barrier()
	run(after)
	// Unknown fields are ignored, and the connection still works.
	c.send(`{"v":1,"type":"typing","extra":{"x":1}}`)
	fs = c.say("help")
	if len(replies(fs)) == 0 || len(ofType(fs, "error")) != 0 {
		t.Errorf("after the bad frames: %+v", fs)
	}
}

// TestControlCharacters: C0 control characters other than tab and line
// feed, and DEL, are removed from what the customer writes before it is
// echoed, stored or relayed; CR LF ends a line as LF; a text of controls
// only is empty.
func TestControlCharacters(t *testing.T) {
	e := newWSEnv(t)
	c := e.dial(nil)
	w := c.hello("", "en")
	c.send(map[string]any{"v": 1, "type": "message", "id": "k1", "text": "my TV\x00 beeps\x07\r\nmodel\tTV-55X\x1b[31m\x7f\rthanks"})
	fs := c.until(10*time.Second, func(f frame) bool { return f.Type == "message" && f.ClientID == "k1" })
	const want = "my TV beeps\nmodel\tTV-55X[31m\nthanks"
	if got := fs[len(fs)-1].Text; got != want {
		t.Errorf("echoed %q, want %q", got, want)
	}
	hist, err := e.db.History(context.Background(), w.ConversationID, 0)
	if err != nil {
		t.Fatal(err)
	}
	stored := 0
	for _, m := range hist {
		if m.Dir == dialog.In {
			if m.Text != want {
				t.Errorf("stored %q, want %q", m.Text, want)
			}
			stored++
		}
	}
	if stored != 1 {
		t.Errorf("%d customer messages stored, want 1", stored)
	}
	c.send(map[string]any{"v": 1, "type": "message", "id": "k2", "text": "\x00\x01\x1b"})
	fs = c.until(10*time.Second, func(f frame) bool { return f.Type == "error" || f.ClientID == "k2" })
	if f := fs[len(fs)-1]; f.Type != "error" || f.Code != codeBadMessage || f.ID != "k2" {
		t.Errorf("a text of control characters only: %+v, want bad_message", f)
	}
}

// TestShutdown: when Run's context ends, every socket is closed with 1000
// and Run returns nil; a later upgrade is closed at once.
func TestShutdown(t *testing.T) {
	e := newWSEnv(t)
	base := runtime.NumGoroutine()
	var cs []*wsClient
	for range 5 {
		c := e.dial(nil)
		c.hello("", "en")
		cs = append(cs, c)
	}
	e.stop()
	for _, c := range cs {
		if err := c.closeErr(10 * time.Second); closeCode(err) != websocket.CloseNormalClosure {
			t.Errorf("closed with %v, want 1000", err)
		}
	}
	late := e.dial(nil)
	if err := late.closeErr(10 * time.Second); closeCode(err) != websocket.CloseNormalClosure {
		t.Errorf("a socket after shutdown: %v, want close 1000", err)
	}
	for _, c := range append(cs, late) {
		c.conn.Close()
	}
	waitGoroutines(t, base-1, 10*time.Second) // Run is gone too
}

// TestLogsNoCustomerText: nothing the customer writes reaches the log at
// INFO.
func TestLogsNoCustomerText(t *testing.T) {
	var buf syncbuf.Buffer
	e := newWSEnvLog(t, newTestLogger(&buf))
	c := e.dial(nil)
	w := c.hello("", "en")
	c.say("my phone is 13800138000 and my TV-55X broke")
	e.upload(t, w.Token, "secret-invoice.png", pngBytes())
	for _, s := range []string{"13800138000", "TV-55X", "secret-invoice"} {
		if strings.Contains(buf.String(), s) {
			t.Errorf("the log has %q:\n%s", s, buf.String())
		}
	}
	if !strings.Contains(buf.String(), "attachment stored") {
		t.Errorf("no INFO line for the upload:\n%s", buf.String())
	}
}

// TestOversizeMemory: large frames are refused from their header, not
// buffered: a hundred 1 MiB frames leave the heap where it was.
func TestOversizeMemory(t *testing.T) {
	e := newWSEnv(t)
	before := memInUse()
	payload := make([]byte, 1<<20)
	for i := range payload {
		payload[i] = 'a'
	}
	for range 100 {
		conn := e.rawDial(nil)
		if err := conn.WriteMessage(websocket.TextMessage, payload); err != nil {
			continue // closed while writing: fine
		}
		var err error
		for err == nil {
			_, _, err = conn.ReadMessage()
		}
		if closeCode(err) != websocket.CloseMessageTooBig && !strings.Contains(err.Error(), "reset") {
			t.Fatalf("closed with %v, want 1009", err)
		}
		conn.Close()
	}
	waitFor(t, 10*time.Second, "the sockets to close", func() bool { return e.openSockets() == 0 })
	if grew := memInUse() - before; grew > 16<<20 {
		t.Errorf("the heap grew by %d bytes after 100 MiB of refused frames", grew)
	}
}

// TestScriptStaysText: markup a customer types comes back as the same
// plain text, escaped in the JSON, never interpreted (RELIABILITY 26: the
// widget inserts texts as text).
func TestScriptStaysText(t *testing.T) {
	e := newWSEnv(t)
	conn := e.rawDial(nil)
	if err := conn.WriteJSON(map[string]any{"v": 1, "type": "hello", "locale": "en"}); err != nil {
		t.Fatal(err)
	}
	evil := `<img src=x onerror=alert(1)> <svg onload=alert(2)> <a href="javascript:alert(3)">x</a> & "q"`
	if err := conn.WriteJSON(map[string]any{"v": 1, "type": "message", "id": "<b>", "text": evil}); err != nil {
		t.Fatal(err)
	}
	for {
		_, data, err := conn.ReadMessage()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), `"from":"customer"`) {
			continue
		}
		if strings.ContainsAny(string(data), "<>&") {
			t.Errorf("markup is not escaped in the frame: %s", data)
		}
		var f frame
		_ = json.Unmarshal(data, &f)
		if f.Text != evil || f.ClientID != "<b>" {
			t.Errorf("text %q id %q, want them unchanged", f.Text, f.ClientID)
		}
		return
	}
}
