package slack_test

import (
	"context"
	"database/sql"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/supportd/supportd/channels/slack"
	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/ticketing"
)

func TestSignaturesAreVerified(t *testing.T) {
	h := newHarness(t, nil)
	body := `{"type":"url_verification","challenge":"xyz"}`
	now := strconv.FormatInt(time.Now().Unix(), 10)
	old := strconv.FormatInt(time.Now().Add(-6*time.Minute).Unix(), 10)
	flipped := []byte(body)
	flipped[10] ^= 1
	cases := []struct {
		name    string
		body    string
		headers map[string]string
		want    int
	}{
		{"valid", body, map[string]string{"X-Slack-Request-Timestamp": now, "X-Slack-Signature": sign(now, body)}, 200},
		{"bad signature", body, map[string]string{"X-Slack-Request-Timestamp": now, "X-Slack-Signature": "v0=" + strings.Repeat("ab", 32)}, 401},
		{"old timestamp", body, map[string]string{"X-Slack-Request-Timestamp": old, "X-Slack-Signature": sign(old, body)}, 401},
		{"flipped byte", string(flipped), map[string]string{"X-Slack-Request-Timestamp": now, "X-Slack-Signature": sign(now, body)}, 401},
		{"missing headers", body, nil, 401},
		{"missing signature", body, map[string]string{"X-Slack-Request-Timestamp": now}, 401},
		{"missing timestamp", body, map[string]string{"X-Slack-Signature": sign(now, body)}, 401},
		{"signature without v0=", body, map[string]string{"X-Slack-Request-Timestamp": now, "X-Slack-Signature": strings.TrimPrefix(sign(now, body), "v0=")}, 401},
	}
	for _, path := range []string{"/slack/events", "/slack/interactions", "/slack/commands"} {
		for _, tc := range cases {
			if path != "/slack/events" && tc.want == 200 {
				continue
			}
			t.Run(path+"/"+tc.name, func(t *testing.T) {
				if resp := h.sendWith(path, "application/json", tc.body, tc.headers); resp.StatusCode != tc.want {
					t.Errorf("status %d, want %d", resp.StatusCode, tc.want)
				}
			})
		}
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.lastBody == "xyz" {
		t.Error("the last (refused) request was answered with the challenge")
	}
	jobs, _ := h.db.SlackJobs(context.Background(), time.Now().Add(time.Hour), 10)
	if len(jobs) != 0 {
		t.Errorf("refused requests were queued: %+v", jobs)
	}
}

func TestURLVerification(t *testing.T) {
	h := newHarness(t, nil)
	h.mustOK(h.send("/slack/events", "application/json", `{"type":"url_verification","challenge":"c4llenge"}`))
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.lastBody != "c4llenge" {
		t.Errorf("answer %q", h.lastBody)
	}
}

func TestAnswersFastWhileTheDatabaseIsBusy(t *testing.T) {
	h := newHarness(t, nil)
	held := make(chan struct{})
	go func() {
		_ = h.db.WriteTx(context.Background(), func(context.Context, *sql.Tx) error {
			close(held)
			time.Sleep(1500 * time.Millisecond)
			return nil
		})
	}()
	<-held
	start := time.Now()
	resp := h.event("EvBusy", map[string]any{"type": "reaction_added", "user": "U1"})
	if took := time.Since(start); resp.StatusCode != http.StatusOK || took > 3*time.Second {
		t.Errorf("status %d after %s, want 200 within 3s", resp.StatusCode, took)
	}
	var n int
	if err := h.db.SQL().QueryRow(`SELECT count(*) FROM slack_inbox WHERE key = 'ev:EvBusy'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("queued %d, %v", n, err)
	}
}

func TestRateLimitPausesTheMethodAndPostsOnce(t *testing.T) {
	h := newHarness(t, nil)
	h.slack.rateLimit("chat.postMessage", 1)
	h.complaint("v1", "The fridge door is broken")
	h.root("T-1001")
	var limited, posted []call
	limited = append(limited, h.slack.called("chat.postMessage (429)")...)
	posted = h.slack.posts("T-1001 · complaint")
	if len(limited) != 1 || len(posted) != 1 {
		t.Fatalf("%d answers 429, %d escalations posted; want 1 and 1", len(limited), len(posted))
	}
	if gap := posted[0].At.Sub(limited[0].At); gap < 900*time.Millisecond {
		t.Errorf("posted again %s after the 429, want Retry-After (1s) honoured", gap)
	}
}

func TestPostingIsPacedPerChannel(t *testing.T) {
	h := newHarness(t, func(_ *config.Slack, o *slack.Options) { o.PostInterval = 300 * time.Millisecond })
	h.complaint("v1", "The fridge door is broken")
	_, ts := h.thread("T-1001")
	for _, s := range []string{"one", "two", "three"} {
		h.say("v1", "message "+s)
	}
	eventually(t, "three relayed messages", func() bool { return len(h.slack.posts("message ")) == 3 })
	var at []time.Time
	for _, c := range h.slack.called("chat.postMessage") {
		if c.Form.Get("thread_ts") == ts || c.TS == ts {
			at = append(at, c.At)
		}
	}
	for i := 1; i < len(at); i++ {
		if gap := at[i].Sub(at[i-1]); gap < 250*time.Millisecond {
			t.Errorf("posts %d and %d to one channel %s apart, want about %s", i-1, i, gap, 300*time.Millisecond)
		}
	}
}

func TestSLAWarningsPostedOnceEach(t *testing.T) {
	h := newHarness(t, func(s *config.Slack, _ *slack.Options) { s.SLAInterval = 30 * time.Millisecond })
	h.complaint("v1", "The fridge door is broken") // Wed 25 Nov 10:00; answer due Mon 30 Nov 18:00
	ch, ts := h.thread("T-1001")
	h.mustOK(h.press("t1", "U1", "claim", "T-1001", ch, ts))
	eventually(t, "the claim", func() bool { return len(h.slack.posts("Claimed by")) == 1 })
	loc := h.cfg.Policy.Location()

	// 35 business hours from Wed 10:00 to Mon 18:00: 80% is Mon 11:00. The
	// weekend counts for nothing, though in clock time it is past 80%.
	for _, at := range []time.Time{
		time.Date(2026, 11, 29, 17, 0, 0, 0, loc), // Sunday
		time.Date(2026, 11, 30, 10, 50, 0, 0, loc),
	} {
		h.clock.Set(at)
		time.Sleep(200 * time.Millisecond)
		if n := len(h.slack.posts("80% of the working time")); n != 0 {
			t.Fatalf("%d warnings at %s, before 80%% of the business hours", n, at)
		}
	}
	h.clock.Set(time.Date(2026, 11, 30, 11, 10, 0, 0, loc))
	eventually(t, "the 80% warning", func() bool { return len(h.slack.posts("80% of the working time")) == 1 })
	time.Sleep(200 * time.Millisecond)
	w := h.slack.posts("80% of the working time")
	if len(w) != 1 || w[0].Form.Get("thread_ts") != ts || !strings.Contains(w[0].Form.Get("text"), "<@U1>") ||
		!strings.Contains(w[0].Form.Get("text"), "answer due Mon 18:00, today") {
		t.Fatalf("warnings: %+v", w)
	}
	h.clock.Set(time.Date(2026, 11, 30, 18, 1, 0, 0, loc))
	eventually(t, "the breach", func() bool { return len(h.slack.posts("deadline is breached")) == 1 })
	time.Sleep(200 * time.Millisecond)
	if a, b := len(h.slack.posts("80% of the working time")), len(h.slack.posts("deadline is breached")); a != 1 || b != 1 {
		t.Errorf("%d warnings and %d breaches, want one each", a, b)
	}
}

func TestTicketCommand(t *testing.T) {
	h := newHarness(t, nil)
	h.complaint("v1", "The fridge door is broken")
	ch, ts := h.thread("T-1001")
	h.mustOK(h.press("t1", "U1", "claim", "T-1001", ch, ts))
	eventually(t, "the claim", func() bool { return len(h.slack.posts("Claimed by")) == 1 })
	cases := []struct {
		text, user string
		want       []string
	}{
		{"T-1001", "U2", []string{"*T-1001* complaint · assigned · owner <@U1>", "The fridge door is broken", "jo@example.com", "answer due Mon 18:00, 3 working days", "Thread: <#C_COMPLAINTS>"}},
		{"t-1001", "U2", []string{"*T-1001*"}},
		{"mine", "U1", []string{"Your open tickets (1)", "*T-1001* complaint · assigned"}},
		{"mine", "U2", []string{"Your open tickets: none."}},
		{"open", "U2", []string{"Open tickets (1)", "T-1001"}},
		{"stats", "U2", []string{"Today (2026-11-25): 1 new ticket(s)", "deadlines: no deadline fell due yet", "average rating: no ratings yet"}},
		{"week", "U2", []string{"```\nReport 2026-11-19 – 2026-11-25 (Asia/Shanghai), as of 2026-11-25 ", "Tickets opened: 1 (done by now: 0)",
			"by kind:    complaint 1", "by channel: webchat 1", "met in time", "  first response ", "Ratings given: none\n```"}},
		{"T-9999", "U2", []string{"No ticket T-9999", "Usage"}},
		{"", "U2", []string{"Usage: `/ticket T-1001`"}},
	}
	for i, tc := range cases {
		h.mustOK(h.command("cmd-"+strconv.Itoa(i), tc.user, tc.text))
		var text string
		eventually(t, "the answer to /ticket "+tc.text, func() bool {
			r := h.slack.responded()
			if len(r) <= i {
				return false
			}
			text, _ = r[i]["text"].(string)
			return true
		})
		if r := h.slack.responded()[i]; r["response_type"] != "ephemeral" {
			t.Errorf("/ticket %s: response_type %v", tc.text, r["response_type"])
		}
		for _, w := range tc.want {
			if !strings.Contains(text, w) {
				t.Errorf("/ticket %s: %q lacks %q", tc.text, text, w)
			}
		}
	}
}

// /ticket week counts the questions the bot could not answer whose
// customer declined to pass them on, as supportd report does: no ticket was
// made of them.
func TestTicketWeekCountsDeclinedQuestions(t *testing.T) {
	h := newHarness(t, nil)
	h.say("v1", "do you sell gift cards?")
	h.say("v1", "no")
	h.mustOK(h.command("w1", "U2", "week"))
	var text string
	eventually(t, "the answer to /ticket week", func() bool {
		r := h.slack.responded()
		if len(r) == 0 {
			return false
		}
		text, _ = r[0]["text"].(string)
		return true
	})
	if want := "Unanswered questions: 0 passed on to a person, 1 declined\n  declined:\n    \"do you sell gift cards?\"\n```"; !strings.Contains(text, want) {
		t.Errorf("/ticket week: %q lacks %q", text, want)
	}
}

// /ticket stats counts the deadlines that fell due today, of tickets last
// changed days ago: T-1001 was never answered, T-1002 was answered on the
// day it came; both answers fell due on Monday at 18:00.
func TestStatsCountsDeadlinesOfOlderTickets(t *testing.T) {
	h := newHarness(t, nil)
	h.complaint("v1", "The fridge door is broken")        // Wed 25 Nov 10:00
	h.complaint("v2", "The washer leaks and nobody came") // T-1002
	ch, ts := h.thread("T-1002")
	h.mustOK(h.press("t1", "U1", "claim", "T-1002", ch, ts))
	eventually(t, "the claim", func() bool { return len(h.slack.posts("Claimed by")) == 1 })
	h.mustOK(h.threadReply("Ev1", "U1", ch, ts, "Sorry about that, a technician calls you today."))
	eventually(t, "the reply in the outbox", func() bool { return len(h.outbox()) == 1 })

	h.clock.Set(time.Date(2026, 11, 30, 19, 0, 0, 0, h.cfg.Policy.Location()))
	h.mustOK(h.command("cmd-stats", "U2", "stats"))
	var text string
	eventually(t, "the answer to /ticket stats", func() bool {
		r := h.slack.responded()
		if len(r) == 0 {
			return false
		}
		text, _ = r[0]["text"].(string)
		return true
	})
	if want := "Today (2026-11-30): 0 new ticket(s) · deadlines: 1 of 2 met · average rating: no ratings yet"; text != want {
		t.Errorf("/ticket stats = %q, want %q", text, want)
	}
}

// /ticket stats counts deadlines as the service report does: T-1003, which
// the customer cancelled unanswered before its answer was due, met no
// deadline and is not counted; its summary says its deadlines stopped.
func TestStatsDoesNotCountACancelledTicketAsMet(t *testing.T) {
	h := newHarness(t, nil)
	ctx := context.Background()
	h.complaint("v1", "The fridge door is broken")        // Wed 25 Nov 10:00
	h.complaint("v2", "The washer leaks and nobody came") // T-1002
	h.complaint("v3", "The oven is cold")                 // T-1003
	ch, ts := h.thread("T-1002")
	h.claimAndReply("T-1002", "U1", ch, ts, "Sorry about that, a technician calls you today.", 1)
	h.thread("T-1003")
	if _, err := h.db.Update(ctx, "T-1003", ticketing.By{Actor: "customer", Channel: "webchat", Note: "cancelled by the customer", At: h.clock.Now()},
		func(tk *ticketing.Ticket) error { tk.Status = ticketing.StatusCancelled; return nil }); err != nil {
		t.Fatal(err)
	}
	want := time.Date(2026, 11, 30, 19, 0, 0, 0, h.cfg.Policy.Location())
	h.clock.Set(want)
	if r, err := ticketing.ReportOf(ctx, h.db, time.Date(2026, 11, 24, 0, 0, 0, 0, h.cfg.Policy.Location()), want, want); err != nil {
		t.Fatal(err)
	} else if fr := r.Deadlines[0]; fr.Met != 1 || fr.Missed != 1 {
		t.Fatalf("the report's answers: %+v", fr)
	}
	h.mustOK(h.command("cmd-stats", "U2", "stats"))
	h.mustOK(h.command("cmd-t3", "U2", "T-1003"))
	var texts []string
	eventually(t, "the answers to /ticket", func() bool {
		r := h.slack.responded()
		if len(r) < 2 {
			return false
		}
		texts = nil
		for _, m := range r {
			s, _ := m["text"].(string)
			texts = append(texts, s)
		}
		return true
	})
	stats, summary := texts[0], texts[1]
	if strings.HasPrefix(summary, "Today") {
		stats, summary = summary, stats
	}
	if want := "Today (2026-11-30): 0 new ticket(s) · deadlines: 1 of 2 met · average rating: no ratings yet"; stats != want {
		t.Errorf("/ticket stats = %q, want %q", stats, want)
	}
	if !strings.Contains(summary, "answer stopped: cancelled") || strings.Contains(summary, " met") {
		t.Errorf("/ticket T-1003 = %q", summary)
	}
}

// TestSocketMode runs the desk over Socket Mode against a local WebSocket
// server: the first connection goes silent (no pings) and must be noticed
// as dead, the second is dropped; each reconnection asks for a fresh URL,
// and envelopes are acknowledged only once they are in the inbox.
func TestSocketMode(t *testing.T) {
	var h *harness
	var mu sync.Mutex
	acked := map[string]bool{}
	var problems []string
	upgrader := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	connections := 0
	ws := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		mu.Lock()
		connections++
		n := strconv.Itoa(connections)
		mu.Unlock()
		if r.URL.Query().Get("n") == "" {
			mu.Lock()
			problems = append(problems, "connected without a fresh URL")
			mu.Unlock()
		}
		stop := make(chan struct{})
		defer close(stop)
		if n != "1" { // the first connection never pings: a dead one
			go func() {
				tk := time.NewTicker(50 * time.Millisecond)
				defer tk.Stop()
				for {
					select {
					case <-stop:
						return
					case <-tk.C:
						if conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(time.Second)) != nil {
							return
						}
					}
				}
			}()
		}
		var wmu sync.Mutex
		send := func(v any) {
			wmu.Lock()
			defer wmu.Unlock()
			_ = conn.WriteJSON(v)
		}
		send(map[string]any{"type": "hello", "num_connections": 1})
		if n == "1" || n == "2" {
			env := "env-" + n
			payload := map[string]any{"type": "event_callback", "event_id": "EvSock" + n, "team_id": "T1",
				"event": map[string]any{"type": "reaction_added", "user": "U1"}}
			send(map[string]any{"type": "events_api", "envelope_id": env, "payload": payload, "accepts_response_payload": false})
			var ack struct {
				EnvelopeID string `json:"envelope_id"`
			}
			if err := conn.ReadJSON(&ack); err != nil {
				return
			}
			var queued int
			_ = h.db.SQL().QueryRow(`SELECT count(*) FROM slack_inbox WHERE key = ?`, "ev:EvSock"+n).Scan(&queued)
			mu.Lock()
			acked[ack.EnvelopeID] = true
			if queued != 1 {
				problems = append(problems, ack.EnvelopeID+" acknowledged before it was queued")
			}
			mu.Unlock()
			if n == "2" {
				return // drop the connection
			}
		}
		for { // hold the connection until the client goes away
			if _, _, err := conn.ReadMessage(); err != nil {
				return
			}
		}
	}))
	defer ws.Close()
	h = newHarness(t, func(s *config.Slack, o *slack.Options) {
		s.SocketMode, s.AppToken, s.SigningSecret = true, "xapp-1-test", ""
		o.PingInterval = 300 * time.Millisecond
	})
	h.slack.mu.Lock()
	h.slack.wsURL = func() string { return "ws" + strings.TrimPrefix(ws.URL, "http") + "/socket" }
	h.slack.mu.Unlock()

	eventually(t, "three connections", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return connections >= 3
	})
	mu.Lock()
	defer mu.Unlock()
	if !acked["env-1"] || !acked["env-2"] {
		t.Errorf("acknowledged: %v", acked)
	}
	for _, p := range problems {
		t.Error(p)
	}
	h.slack.mu.Lock()
	defer h.slack.mu.Unlock()
	seen := map[string]bool{}
	for _, u := range h.slack.opens {
		if seen[u] {
			t.Errorf("URL %s used twice", u)
		}
		seen[u] = true
	}
	if len(h.slack.opens) < 3 {
		t.Errorf("apps.connections.open called %d times for 3 connections", len(h.slack.opens))
	}
}
