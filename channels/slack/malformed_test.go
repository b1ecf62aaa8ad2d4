package slack_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/supportd/supportd/ticketing"
)

// Slack payloads that are signed right but cannot be read are refused with
// a clear answer, never queued, and change nothing: events whose inner
// event is malformed (400), a quote form that does not say its ticket (the
// modal says so), broken interaction and command bodies (400).
func TestMalformedPayloadsRefusedAndChangeNothing(t *testing.T) {
	h := newHarness(t, nil)
	paidRepair(h, "v9")
	h.thread("T-1001")
	for _, tc := range []struct{ name, path, ctype, body string }{
		{"inner event a string", "/slack/events", "application/json", `{"type":"event_callback","event_id":"EvBad1","event":"x"}`},
		{"inner event of wrong types", "/slack/events", "application/json", `{"type":"event_callback","event_id":"EvBad2","event":{"type":"message","channel":5,"user":"U1","text":"hi"}}`},
		{"event not JSON", "/slack/events", "application/json", `{"type":`},
		{"event without id", "/slack/events", "application/json", `{"type":"event_callback","event":{"type":"message"}}`},
		{"interaction not JSON", "/slack/interactions", "application/x-www-form-urlencoded", "payload=notjson"},
		{"interaction without payload", "/slack/interactions", "application/x-www-form-urlencoded", "x=1"},
		{"command form broken", "/slack/commands", "application/x-www-form-urlencoded", "%%%"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if resp := h.send(tc.path, tc.ctype, tc.body); resp.StatusCode != http.StatusBadRequest {
				t.Errorf("status %d, want 400", resp.StatusCode)
			}
		})
	}
	for _, meta := range []string{`"garbage"`, `{}`, `{"t":`} {
		body := h.interactionBody(meta)
		if !strings.Contains(body, `"response_action":"errors"`) || !strings.Contains(body, "this form cannot be read") {
			t.Errorf("quote form with metadata %s: answered %s", meta, body)
		}
	}
	var n int
	if err := h.db.SQL().QueryRow(`SELECT count(*) FROM slack_inbox`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d deliveries queued (%v), want none", n, err)
	}
	time.Sleep(200 * time.Millisecond)
	if tk, _ := h.db.Get(context.Background(), "T-1001"); tk.Quote != nil || tk.Status == ticketing.StatusWaitingCustomer {
		t.Errorf("T-1001 changed: %s, quote %+v", tk.Status, tk.Quote)
	}
}

// interactionBody submits a quote form of 300 with the private metadata
// given and returns the answer's body.
func (h *harness) interactionBody(meta string) string {
	h.t.Helper()
	h.mustOK(h.interaction(map[string]any{"type": "view_submission", "trigger_id": "m" + meta, "user": map[string]any{"id": "U1"},
		"view": map[string]any{"callback_id": "supportd_quote", "private_metadata": meta, "state": map[string]any{"values": map[string]any{
			"amount": map[string]any{"amount": map[string]any{"type": "plain_text_input", "value": "300"}}}}}}))
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.lastBody
}
