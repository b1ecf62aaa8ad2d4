package slack_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/supportd/supportd/channels/slack"
	"github.com/supportd/supportd/config"
)

// An envelope the desk refuses (an event without an event id) is
// acknowledged over Socket Mode, as the HTTP endpoint answers it 400, and
// not queued: unacknowledged, Slack would send it again and again.
func TestSocketModeAcknowledgesARefusedEnvelope(t *testing.T) {
	var mu sync.Mutex
	var acked []string
	upgrader := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	ws := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		_ = conn.WriteJSON(map[string]any{"type": "hello", "num_connections": 1})
		_ = conn.WriteJSON(map[string]any{"type": "events_api", "envelope_id": "env-bad", "accepts_response_payload": false,
			"payload": map[string]any{"type": "event_callback", "team_id": "T1", "event": map[string]any{"type": "reaction_added", "user": "U1"}}})
		for {
			_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
			var ack struct {
				EnvelopeID string `json:"envelope_id"`
			}
			if err := conn.ReadJSON(&ack); err != nil {
				return
			}
			mu.Lock()
			acked = append(acked, ack.EnvelopeID)
			mu.Unlock()
		}
	}))
	defer ws.Close()
	h := newHarness(t, func(s *config.Slack, o *slack.Options) {
		s.SocketMode, s.AppToken, s.SigningSecret = true, "xapp-1-test", ""
		o.PingInterval = 10 * time.Second
	})
	h.slack.mu.Lock()
	h.slack.wsURL = func() string { return "ws" + strings.TrimPrefix(ws.URL, "http") + "/socket" }
	h.slack.mu.Unlock()
	eventually(t, "the refused envelope acknowledged", func() bool {
		mu.Lock()
		defer mu.Unlock()
		for _, a := range acked {
			if a == "env-bad" {
				return true
			}
		}
		return false
	})
	var n int
	if err := h.db.SQL().QueryRow(`SELECT count(*) FROM slack_inbox`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d deliveries queued (%v), want none", n, err)
	}
}
