package webhooks

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/internal/wait"
	"github.com/supportd/supportd/store/sqlite"
)

// hook is one webhook's worker: the only goroutine that moves its cursor.
type hook struct {
	d      *Dispatcher
	cfg    config.Webhook
	client *http.Client
	wake   chan struct{}
	cursor int64 // the last feed number done (acknowledged or skipped), durably
	fails  int   // failed attempts in a row at the event at the head
}

func newHook(d *Dispatcher, c config.Webhook) *hook {
	return &hook{
		d: d, cfg: c, wake: make(chan struct{}, 1),
		client: &http.Client{
			Transport: d.o.Transport,
			Timeout:   c.Timeout,
			// A redirect is an answer, not a 2xx: the body and its
			// signature go to the configured URL only.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
}

// errDelivery is a delivery the receiver did not acknowledge.
type errDelivery struct {
	status     int           // 0: no answer
	err        error         // the transport's error, without the URL
	retryAfter time.Duration // the receiver's Retry-After, 0 when none
}

func (e *errDelivery) Error() string {
	if e.status != 0 {
		return fmt.Sprintf("answered %d", e.status)
	}
	return e.err.Error()
}

// run delivers the feed in order until ctx ends. A failure is tried again,
// the same event, after a backoff; a webhook's failures delay no other.
func (h *hook) run(ctx context.Context) error {
	poll := time.NewTicker(h.d.o.PollInterval)
	defer poll.Stop()
	for {
		err := h.drain(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			h.fails++
			h.d.m.failing.WithLabelValues(h.cfg.Name).Set(float64(h.fails))
			pause := backoff(h.fails, h.d.o.MinBackoff, h.d.o.MaxBackoff)
			var de *errDelivery
			if errors.As(err, &de) && de.retryAfter > pause {
				pause = min(de.retryAfter, h.d.o.MaxBackoff)
			}
			h.d.log.Warn("webhook delivery failed; trying the same event again", "webhook", h.cfg.Name,
				"after", h.cursor, "attempt", h.fails, "retry_in", pause.Round(time.Millisecond), "err", err)
			if !wait.For(ctx, pause) {
				return nil
			}
			continue
		}
		if h.fails > 0 { // recovered without a delivery: a read that failed, or only skipped events
			h.fails = 0
			h.d.m.failing.WithLabelValues(h.cfg.Name).Set(0)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-h.wake:
		case <-poll.C:
		}
	}
}

// drain delivers every event after the cursor, in order, and returns nil
// once the feed is exhausted, or the first failure. The cursor moves
// durably after each acknowledged event, and past the events the webhook's
// filter skips.
func (h *hook) drain(ctx context.Context) error {
	for {
		evs, err := h.d.o.Store.WebhookEvents(ctx, h.cursor, h.d.o.Batch)
		if err != nil {
			return err
		}
		if len(evs) == 0 {
			return nil
		}
		skipped := h.cursor
		for _, ev := range evs {
			if !wants(h.cfg.Events, ev.Event.Action) {
				skipped = ev.ID
				continue
			}
			if err := h.deliver(ctx, ev); err != nil {
				return errors.Join(err, h.advance(ctx, skipped))
			}
			if err := h.advance(ctx, ev.ID); err != nil {
				// Acknowledged but not recorded: it is sent again.
				return err
			}
		}
		if err := h.advance(ctx, skipped); err != nil {
			return err
		}
	}
}

// advance records that the events up to id are done.
func (h *hook) advance(ctx context.Context, id int64) error {
	if id <= h.cursor {
		return nil
	}
	if err := h.d.o.Store.WebhookAdvance(ctx, h.cfg.Name, id, h.d.o.Now()); err != nil {
		return err
	}
	h.cursor = id
	h.d.m.cursor.WithLabelValues(h.cfg.Name).Set(float64(id))
	return nil
}

// deliver posts one event and reports whether it was acknowledged (2xx).
func (h *hook) deliver(ctx context.Context, ev sqlite.WebhookEvent) error {
	p := newPayload(ev)
	body, err := encode(p)
	if err != nil {
		return fmt.Errorf("encode %s: %w", p.ID, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.cfg.URL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("request: %w", stripURL(err))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", h.d.o.UserAgent)
	req.Header.Set("X-Supportd-Event", p.Action)
	req.Header.Set("X-Supportd-Delivery", p.ID)
	if h.cfg.Secret != "" {
		req.Header.Set("X-Supportd-Signature", Sign(h.cfg.Secret, body))
	}
	start := time.Now()
	resp, err := h.client.Do(req)
	h.d.m.duration.WithLabelValues(h.cfg.Name).Observe(time.Since(start).Seconds())
	if err != nil {
		h.d.m.deliveries.WithLabelValues(h.cfg.Name, resultError).Inc()
		return fmt.Errorf("event %s: %w", p.ID, &errDelivery{err: stripURL(err)})
	}
	// Read a little of the body so that the connection can be reused; it
	// is not kept or logged.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		h.d.m.deliveries.WithLabelValues(h.cfg.Name, resultStatus).Inc()
		return fmt.Errorf("event %s: %w", p.ID, &errDelivery{status: resp.StatusCode, retryAfter: retryAfter(resp.Header.Get("Retry-After"))})
	}
	h.d.m.deliveries.WithLabelValues(h.cfg.Name, resultOK).Inc()
	if h.fails > 0 {
		h.d.log.Info("webhook delivering again", "webhook", h.cfg.Name, "event", p.ID, "failed_attempts", h.fails)
		h.fails = 0
		h.d.m.failing.WithLabelValues(h.cfg.Name).Set(0)
	}
	return nil
}

// stripURL returns the error of a request without its URL, which may carry
// a token in its query.
func stripURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// retryAfter reads a Retry-After header given in seconds; 0 otherwise.
func retryAfter(v string) time.Duration {
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return 0
	}
	return time.Duration(n) * time.Second
}
