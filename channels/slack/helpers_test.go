package slack_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/slacktest"

	"github.com/supportd/supportd/channels/slack"
	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/dialog/kb"
	"github.com/supportd/supportd/policy"
	"github.com/supportd/supportd/store/sqlite"
)

const secret = "8f742231b10e8888abcd99yyyzzz85a5"

// call is one Web API call the fake Slack received.
type call struct {
	Method string
	Form   url.Values
	JSON   map[string]any
	At     time.Time
	TS     string // the ts given to a posted message
}

// fakeSlack is slacktest's server with the methods the desk uses recorded:
// posts get unique ts values and keep their metadata for conversations.*.
type fakeSlack struct {
	srv *slacktest.Server

	mu        sync.Mutex
	calls     []call
	seq       int
	limited   map[string]int // method → 429 answers still to give
	lost      map[string]int // method → answers still to lose after doing the call
	failing   map[string]int // method → calls still to answer 500 without doing them
	responses []map[string]any
	wsURL     func() string // the Socket Mode URL apps.connections.open gives
	opens     []string      // the URLs it gave
}

var users = map[string][2]string{
	"U1": {"Frank", "frank@example.com"},
	"U2": {"Grace", "grace@example.com"},
	"U3": {"Mallory", "mallory@example.com"},
}

func newFakeSlack(t *testing.T) *fakeSlack {
	f := &fakeSlack{limited: map[string]int{}, lost: map[string]int{}, failing: map[string]int{}}
	f.srv = slacktest.NewTestServer(func(c slacktest.Customize) {
		for _, m := range []string{"chat.postMessage", "chat.update", "chat.postEphemeral", "reactions.add", "views.open",
			"users.info", "users.lookupByEmail", "conversations.history", "conversations.replies"} {
			c.Handle("/"+m, f.handler(m))
		}
		c.Handle("/apps.connections.open", func(w http.ResponseWriter, r *http.Request) {
			f.mu.Lock()
			u := ""
			if f.wsURL != nil {
				u = fmt.Sprintf("%s?n=%d", f.wsURL(), len(f.opens)+1)
				f.opens = append(f.opens, u)
			}
			f.mu.Unlock()
			writeJSON(w, map[string]any{"ok": u != "", "url": u})
		})
		c.Handle("/respond", func(w http.ResponseWriter, r *http.Request) {
			var m map[string]any
			_ = json.NewDecoder(r.Body).Decode(&m)
			f.mu.Lock()
			f.responses = append(f.responses, m)
			f.mu.Unlock()
			_, _ = io.WriteString(w, "ok")
		})
	})
	f.srv.Start()
	t.Cleanup(f.srv.Stop)
	return f
}

func (f *fakeSlack) handler(method string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		c := call{Method: method, At: time.Now()}
		if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			_ = json.Unmarshal(body, &c.JSON)
		} else {
			c.Form, _ = url.ParseQuery(string(body))
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.limited[method] > 0 {
			f.limited[method]--
			f.calls = append(f.calls, call{Method: method + " (429)", At: c.At})
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = io.WriteString(w, `{"ok":false,"error":"ratelimited"}`)
			return
		}
		if f.failing[method] > 0 {
			f.failing[method]--
			f.calls = append(f.calls, call{Method: method + " (500)", At: c.At})
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		f.calls = append(f.calls, c)
		w.Header().Set("Content-Type", "application/json")
		switch method {
		case "chat.postMessage":
			f.seq++
			ts := fmt.Sprintf("1764000000.%06d", f.seq)
			f.calls[len(f.calls)-1].TS = ts
			if f.lost[method] > 0 { // posted, but the answer is lost
				f.lost[method]--
				w.WriteHeader(http.StatusBadGateway)
				return
			}
			writeJSON(w, map[string]any{"ok": true, "channel": c.Form.Get("channel"), "ts": ts})
		case "chat.update":
			writeJSON(w, map[string]any{"ok": true, "channel": c.Form.Get("channel"), "ts": c.Form.Get("ts")})
		case "chat.postEphemeral":
			writeJSON(w, map[string]any{"ok": true, "message_ts": "1.1"})
		case "users.info":
			id := c.Form.Get("user")
			u, ok := users[id]
			if !ok {
				writeJSON(w, map[string]any{"ok": false, "error": "user_not_found"})
				return
			}
			writeJSON(w, map[string]any{"ok": true, "user": map[string]any{"id": id, "name": strings.ToLower(u[0]),
				"real_name": u[0] + " Real", "profile": map[string]any{"email": u[1], "display_name": u[0]}}})
		case "users.lookupByEmail":
			for id, u := range users {
				if strings.EqualFold(u[1], c.Form.Get("email")) {
					writeJSON(w, map[string]any{"ok": true, "user": map[string]any{"id": id, "name": strings.ToLower(u[0]),
						"real_name": u[0] + " Real", "profile": map[string]any{"email": u[1], "display_name": u[0]}}})
					return
				}
			}
			writeJSON(w, map[string]any{"ok": false, "error": "users_not_found"})
		case "conversations.history", "conversations.replies":
			var msgs []map[string]any
			for _, p := range f.calls {
				if p.Method == "chat.postMessage" && p.Form.Get("channel") == c.Form.Get("channel") {
					var meta map[string]any
					_ = json.Unmarshal([]byte(p.Form.Get("metadata")), &meta)
					msgs = append(msgs, map[string]any{"type": "message", "ts": p.TS, "metadata": meta})
				}
			}
			writeJSON(w, map[string]any{"ok": true, "messages": msgs})
		default:
			writeJSON(w, map[string]any{"ok": true})
		}
	}
}

func writeJSON(w http.ResponseWriter, v any) { _ = json.NewEncoder(w).Encode(v) }

// rateLimit makes the next n calls of method answer 429.
func (f *fakeSlack) rateLimit(method string, n int) {
	f.mu.Lock()
	f.limited[method] = n
	f.mu.Unlock()
}

// loseAnswers makes the next n calls of method take effect without answering.
func (f *fakeSlack) loseAnswers(method string, n int) {
	f.mu.Lock()
	f.lost[method] = n
	f.mu.Unlock()
}

// fail makes the next n calls of method answer 500 without taking effect.
func (f *fakeSlack) fail(method string, n int) {
	f.mu.Lock()
	f.failing[method] = n
	f.mu.Unlock()
}

// called returns the calls of a method so far.
func (f *fakeSlack) called(method string) []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []call
	for _, c := range f.calls {
		if c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// decoded returns the form value v with JSON's HTML escapes undone.
func decoded(v string) string {
	return strings.NewReplacer(`\u0026`, "&", `\u003c`, "<", `\u003e`, ">").Replace(v)
}

// posts returns the messages posted whose text contains s.
func (f *fakeSlack) posts(s string) []call {
	var out []call
	for _, c := range f.called("chat.postMessage") {
		if strings.Contains(c.Form.Get("text"), s) || strings.Contains(decoded(c.Form.Get("blocks")), s) {
			out = append(out, c)
		}
	}
	return out
}

func (f *fakeSlack) responded() []map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]map[string]any(nil), f.responses...)
}

// clock is the business clock of a test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// harness is a desk on a real engine and SQLite file, with the fake Slack
// and the desk's HTTP endpoints on a local server.
type harness struct {
	t     *testing.T
	ctx   context.Context
	cfg   *config.Config
	eng   *dialog.Engine
	db    *sqlite.DB
	desk  *slack.Desk
	slack *fakeSlack
	web   *httptest.Server
	clock *clock
	n     int

	mu       sync.Mutex
	lastBody string
}

func newHarness(t *testing.T, tweak func(*config.Slack, *slack.Options)) *harness {
	t.Helper()
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	// A holiday of the next year: the calendar covers the time ahead, so no
	// calendar notice is posted (calendar_test.go posts one).
	cfg.Policy.Calendar.Holidays = append(cfg.Policy.Calendar.Holidays, policy.NewDate(2027, 1, 1))
	cfg.Policy.ApplyDefaults()
	h := &harness{t: t, cfg: cfg, slack: newFakeSlack(t),
		clock: &clock{t: time.Date(2026, 11, 25, 10, 0, 0, 0, cfg.Policy.Location())}}
	h.db, err = sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "supportd.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.db.Close() })
	sc := config.Slack{Enabled: true, BotToken: "xoxb-test", SigningSecret: secret, DefaultChannel: "C_DESK",
		Channels: map[string]string{"complaint": "C_COMPLAINTS", "repair": "C_REPAIRS"}, SLAInterval: time.Hour}
	o := slack.Options{Now: h.clock.Now,
		APIURL: h.slack.srv.GetAPIURL(), PostInterval: time.Millisecond, PollInterval: 50 * time.Millisecond}
	if tweak != nil {
		tweak(&sc, &o)
	}
	h.eng, err = dialog.New(dialog.Options{Policy: &cfg.Policy, Store: h.db, Knowledge: dialog.KnowledgeBase(kb.Default()), Now: h.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	o.Engine, o.Store, o.Config = h.eng, h.db, sc
	if w, ok := o.DB.(dbWrapper); ok {
		w.wrap(h.db) // the test's database in front of the harness's
	} else {
		o.DB = h.db
	}
	h.desk, err = slack.New(o)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	h.desk.Register(mux)
	h.web = httptest.NewServer(mux)
	t.Cleanup(h.web.Close)
	ctx, cancel := context.WithCancel(context.Background())
	h.ctx = ctx
	done := make(chan error, 1)
	go func() { done <- h.desk.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("Run did not return after cancel")
		}
	})
	return h
}

// dbWrapper is a test's slack.DB put in front of the harness's database
// (Options.DB set by a tweak): wrap gives it the database.
type dbWrapper interface{ wrap(db slack.DB) }

// say is a customer message on the web chat.
func (h *harness) say(user, text string) *dialog.Result {
	h.t.Helper()
	h.n++
	res, err := h.eng.Handle(context.Background(), dialog.Inbound{Channel: "webchat", User: user, ID: fmt.Sprintf("m%d", h.n), Text: text})
	if err != nil {
		h.t.Fatal(err)
	}
	return res
}

// sign returns Slack's signature of body at ts.
func sign(ts, body string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "v0:%s:%s", ts, body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}

// send posts a signed request to one of the desk's endpoints.
func (h *harness) send(path, contentType, body string) *http.Response {
	h.t.Helper()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	return h.sendWith(path, contentType, body, map[string]string{
		"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sign(ts, body)})
}

func (h *harness) sendWith(path, contentType, body string, headers map[string]string) *http.Response {
	h.t.Helper()
	req, err := http.NewRequest(http.MethodPost, h.web.URL+path, strings.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	h.mu.Lock()
	h.lastBody = string(b)
	h.mu.Unlock()
	return resp
}

func (h *harness) mustOK(resp *http.Response) {
	h.t.Helper()
	if resp.StatusCode != http.StatusOK {
		h.t.Fatalf("status %d, want 200", resp.StatusCode)
	}
}

// event posts a signed Events API callback.
func (h *harness) event(eventID string, inner map[string]any) *http.Response {
	body, _ := json.Marshal(map[string]any{"type": "event_callback", "team_id": "T1", "api_app_id": "A1",
		"event_id": eventID, "event_time": time.Now().Unix(), "event": inner})
	return h.send("/slack/events", "application/json", string(body))
}

// threadReply posts a message event: user replies in a thread.
func (h *harness) threadReply(eventID, user, channel, threadTS, text string) *http.Response {
	h.n++
	return h.event(eventID, map[string]any{"type": "message", "user": user, "text": text, "channel": channel,
		"channel_type": "channel", "thread_ts": threadTS, "ts": fmt.Sprintf("1764000500.%06d", h.n), "event_ts": "1"})
}

// claim presses Claim on a ticket's escalation message as user and waits
// until the ticket is assigned.
func (h *harness) claim(ticket, user, channel, threadTS string) {
	h.t.Helper()
	h.n++
	h.mustOK(h.press(fmt.Sprintf("claim-%d", h.n), user, "claim", ticket, channel, threadTS))
	eventually(h.t, "the claim", func() bool {
		tk, err := h.db.Get(context.Background(), ticket)
		return err == nil && tk.Assignee != "" // by the email of their Slack profile, not their id
	})
}

// claimAndReply claims ticket for user and replies in its thread, then
// waits until the customer's outbox holds outbox messages.
func (h *harness) claimAndReply(ticket, user, channel, threadTS, text string, outbox int) {
	h.t.Helper()
	h.claim(ticket, user, channel, threadTS)
	h.mustOK(h.threadReply(fmt.Sprintf("reply-%d", h.n), user, channel, threadTS, text))
	eventually(h.t, "the reply", func() bool { return len(h.outbox()) == outbox })
}

// interaction posts a signed interactivity payload.
func (h *harness) interaction(payload map[string]any) *http.Response {
	js, _ := json.Marshal(payload)
	return h.send("/slack/interactions", "application/x-www-form-urlencoded", url.Values{"payload": {string(js)}}.Encode())
}

// press presses a button of an escalation message.
func (h *harness) press(trigger, user, action, ticket, channel, ts string) *http.Response {
	return h.interaction(map[string]any{
		"type": "block_actions", "trigger_id": trigger, "user": map[string]any{"id": user},
		"channel":   map[string]any{"id": channel},
		"container": map[string]any{"type": "message", "message_ts": ts, "channel_id": channel},
		"message":   map[string]any{"ts": ts},
		"actions":   []map[string]any{{"action_id": action, "block_id": "actions:" + ticket, "value": ticket, "type": "button"}},
	})
}

// command posts a signed /ticket command.
func (h *harness) command(trigger, user, text string) *http.Response {
	form := url.Values{"command": {"/ticket"}, "text": {text}, "user_id": {user}, "channel_id": {"C_DESK"},
		"trigger_id": {trigger}, "response_url": {h.slack.srv.GetAPIURL() + "respond"}}
	return h.send("/slack/commands", "application/x-www-form-urlencoded", form.Encode())
}

// eventually waits until ok holds.
func eventually(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// root waits for a ticket's escalation message and returns its call.
func (h *harness) root(ticket string) call {
	h.t.Helper()
	var c call
	eventually(h.t, "the escalation of "+ticket, func() bool {
		for _, p := range h.slack.called("chat.postMessage") {
			if p.Form.Get("thread_ts") == "" && strings.Contains(p.Form.Get("text"), ticket+" ·") {
				c = p
				return true
			}
		}
		return false
	})
	return c
}

// rootTS returns the ts the fake gave the escalation message.
func (h *harness) thread(ticket string) (string, string) {
	h.t.Helper()
	h.root(ticket)
	var th sqlite.SlackThread
	eventually(h.t, "the thread record of "+ticket, func() bool {
		var ok bool
		th, ok, _ = h.db.SlackThread(context.Background(), ticket)
		return ok
	})
	return th.Channel, th.TS
}

// complaint files a complaint for user: ticket T-1001 when it is the first.
func (h *harness) complaint(user, text string) {
	h.say(user, "I want to make a complaint")
	h.say(user, text)
	h.say(user, "my email is jo@example.com")
}

// outbox returns the pending web chat messages from agents.
func (h *harness) outbox() []dialog.Message {
	h.t.Helper()
	ms, err := h.db.Pending(context.Background(), "webchat", 0)
	if err != nil {
		h.t.Fatal(err)
	}
	var out []dialog.Message
	for _, m := range ms {
		if m.From == dialog.FromAgent {
			out = append(out, m)
		}
	}
	return out
}

var _ = slackapi.New

// submitQuote submits the quote modal of ticket as user and returns the
// body of the answer: empty when the modal closes, its errors otherwise.
func (h *harness) submitQuote(trigger, user, ticket, channel, ts, amount, note string) string {
	h.t.Helper()
	meta, _ := json.Marshal(map[string]string{"t": ticket, "c": channel, "ts": ts})
	h.mustOK(h.interaction(map[string]any{"type": "view_submission", "trigger_id": trigger, "user": map[string]any{"id": user},
		"view": map[string]any{"callback_id": "supportd_quote", "private_metadata": string(meta), "state": map[string]any{"values": map[string]any{
			"amount": map[string]any{"amount": map[string]any{"type": "plain_text_input", "value": amount}},
			"note":   map[string]any{"note": map[string]any{"type": "plain_text_input", "value": note}},
		}}}}))
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.lastBody
}

// ephemeralsTo returns the texts shown to user alone.
func (h *harness) ephemeralsTo(user string) []string {
	var out []string
	for _, e := range h.slack.called("chat.postEphemeral") {
		if e.Form.Get("user") == user {
			out = append(out, e.Form.Get("text"))
		}
	}
	return out
}

// toldTo waits until user was shown a text containing s, and returns it.
func (h *harness) toldTo(user, s string) string {
	h.t.Helper()
	var text string
	eventually(h.t, "<@"+user+"> told "+s, func() bool {
		for _, e := range h.ephemeralsTo(user) {
			if strings.Contains(e, s) {
				text = e
				return true
			}
		}
		return false
	})
	return text
}

// msgBase is the second of the Slack messages the tests write themselves
// (msgTS): today's, so that the Send to customer shortcut takes them as
// recent.
var msgBase = time.Now().Unix()

// msgTS returns the ts of the nth message a test writes itself.
func msgTS(n int) string { return fmt.Sprintf("%d.%06d", msgBase, n) }
