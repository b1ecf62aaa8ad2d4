package slack

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
)

// The kinds of inbox entries.
const (
	kindEvent       = "event"
	kindInteraction = "interaction"
	kindCommand     = "command"
)

// maxBody bounds a request from Slack.
const maxBody = 1 << 20

// enqueueTimeout bounds the wait for the database when a request is queued,
// so that Slack gets an answer well within its 3 seconds.
const enqueueTimeout = 2 * time.Second

// verified checks Slack's request signature over the raw body (and the
// timestamp's 5-minute window) before next sees the body: anything else is
// answered 401.
func (d *Desk) verified(next func(http.ResponseWriter, *http.Request, []byte)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
			return
		}
		sv, err := slackapi.NewSecretsVerifier(r.Header, d.cfg.SigningSecret)
		if err == nil {
			_, _ = sv.Write(body)
			err = sv.Ensure()
		}
		if err != nil {
			d.log.Warn("request refused: bad signature", "path", r.URL.Path, "err", err)
			http.Error(w, "invalid signature", http.StatusUnauthorized)
			return
		}
		next(w, r, body)
	})
}

// serveEvents answers the Events API: url_verification at once, callbacks
// once they are queued.
func (d *Desk) serveEvents(w http.ResponseWriter, r *http.Request, body []byte) {
	var outer struct {
		Type      string `json:"type"`
		Challenge string `json:"challenge"`
	}
	if err := json.Unmarshal(body, &outer); err != nil {
		http.Error(w, "not JSON", http.StatusBadRequest)
		return
	}
	if outer.Type == "url_verification" {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, outer.Challenge)
		return
	}
	if _, err := d.accept(r.Context(), kindEvent, body); err != nil {
		d.refuse(w, err)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// serveInteractions answers button presses and modal submissions.
func (d *Desk) serveInteractions(w http.ResponseWriter, r *http.Request, body []byte) {
	form, err := url.ParseQuery(string(body))
	if err != nil || form.Get("payload") == "" {
		http.Error(w, "no payload", http.StatusBadRequest)
		return
	}
	resp, err := d.accept(r.Context(), kindInteraction, []byte(form.Get("payload")))
	if err != nil {
		d.refuse(w, err)
		return
	}
	if resp != nil {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(resp)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// serveCommands answers slash commands; the answer itself follows through
// the command's response URL.
func (d *Desk) serveCommands(w http.ResponseWriter, r *http.Request, body []byte) {
	req := r.Clone(r.Context())
	req.Body = io.NopCloser(bytes.NewReader(body))
	req.Form, req.PostForm = nil, nil
	cmd, err := slackapi.SlashCommandParse(req)
	if err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	js, _ := json.Marshal(cmd)
	if _, err := d.accept(r.Context(), kindCommand, js); err != nil {
		d.refuse(w, err)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// errBadPayload is a request that cannot be processed: answered 400, never
// queued.
var errBadPayload = errors.New("bad payload")

func (d *Desk) refuse(w http.ResponseWriter, err error) {
	if errors.Is(err, errBadPayload) {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	// Not queued: Slack retries events; an agent presses again.
	d.log.Error("could not queue a Slack request", "err", err)
	http.Error(w, "try again", http.StatusServiceUnavailable)
}

// accept queues one delivery from Slack (an event callback, an interaction
// payload or a slash command, as JSON) durably and wakes the worker. It
// returns what Slack should get back at once: nil, or a modal's validation
// errors (then nothing is queued). The HTTP endpoints and Socket Mode share
// it; the caller acknowledges only after it returned no error.
func (d *Desk) accept(ctx context.Context, kind string, body []byte) (any, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), enqueueTimeout)
	defer cancel()
	key, resp, err := d.keyOf(ctx, kind, body)
	if err != nil || resp != nil {
		return resp, err
	}
	fresh, err := d.db.SlackEnqueue(ctx, key, kind, body, time.Now())
	if err != nil {
		return nil, err
	}
	if fresh {
		signal(d.wake)
	} else {
		d.log.Debug("duplicate delivery ignored", "key", key)
	}
	return nil, nil
}

// keyOf returns the inbox key of a delivery: the event id of an event, the
// trigger id of an interaction or command (a hash of the body when there is
// none). A quote modal that cannot be sent (an invalid amount, a ticket that
// takes no quote) gets its errors back instead.
func (d *Desk) keyOf(ctx context.Context, kind string, body []byte) (string, any, error) {
	var p struct {
		EventID   string `json:"event_id"`
		TriggerID string `json:"trigger_id"`
	}
	if err := json.Unmarshal(body, &p); err != nil {
		return "", nil, fmt.Errorf("%w: %v", errBadPayload, err)
	}
	switch kind {
	case kindEvent:
		if p.EventID == "" {
			return "", nil, fmt.Errorf("%w: event without event_id", errBadPayload)
		}
		// An event the worker could not read is refused now, not queued
		// to fail there.
		if _, err := slackevents.ParseEvent(body, slackevents.OptionNoVerifyToken()); err != nil {
			return "", nil, fmt.Errorf("%w: %v", errBadPayload, err)
		}
		return "ev:" + p.EventID, nil, nil
	case kindInteraction:
		var cb slackapi.InteractionCallback
		if err := json.Unmarshal(body, &cb); err != nil {
			return "", nil, fmt.Errorf("%w: %v", errBadPayload, err)
		}
		if cb.Type == "" {
			return "", nil, fmt.Errorf("%w: interaction without a type", errBadPayload)
		}
		if cb.Type == slackapi.InteractionTypeViewSubmission && cb.View.CallbackID == quoteCallback {
			if errs := d.checkQuote(ctx, cb); errs != nil {
				return "", errs, nil
			}
		}
	}
	if p.TriggerID != "" {
		return kind + ":" + p.TriggerID, nil, nil
	}
	sum := sha256.Sum256(body)
	return kind + ":" + hex.EncodeToString(sum[:16]), nil, nil
}
