package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/supportd/supportd/internal/wait"
)

// runSocket holds the Socket Mode connection: every (re)connection asks
// apps.connections.open for a fresh URL, a connection Slack stops pinging is
// taken for dead and replaced, and every envelope is acknowledged only once
// it is queued durably (unacknowledged, Slack sends it again).
func (d *Desk) runSocket(ctx context.Context) error {
	opts := []slackapi.Option{slackapi.OptionAppLevelToken(d.cfg.AppToken)}
	if d.opts.APIURL != "" {
		opts = append(opts, slackapi.OptionAPIURL(d.opts.APIURL))
	}
	lg := d.log.With("transport", "socket_mode")
	backoff := time.Second
	for ctx.Err() == nil {
		client := socketmode.New(slackapi.New(d.cfg.BotToken, opts...),
			socketmode.OptionPingInterval(d.opts.PingInterval),
			socketmode.OptionLog(slog.NewLogLogger(lg.Handler(), slog.LevelDebug)))
		err := d.socketSession(ctx, client, lg)
		if ctx.Err() != nil {
			return nil
		}
		// RunContext reconnects by itself; it returns on errors it does not
		// retry, such as a revoked token: wait, then start afresh.
		pause := backoff + rand.N(backoff/2+1)
		lg.Error("socket mode stopped; starting again", "err", err, "in", pause)
		if !wait.For(ctx, pause) {
			return nil
		}
		backoff = min(2*backoff, 5*time.Minute)
	}
	return nil
}

// socketSession runs one socket mode client until it stops.
func (d *Desk) socketSession(ctx context.Context, client *socketmode.Client, lg *slog.Logger) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- client.RunContext(ctx) }()
	for {
		select {
		case err := <-done:
			return err
		case evt := <-client.Events:
			switch evt.Type {
			case socketmode.EventTypeConnected:
				lg.Info("socket mode connected")
			case socketmode.EventTypeConnectionError, socketmode.EventTypeIncomingError:
				lg.Warn("socket mode", "event", evt.Type, "detail", fmt.Sprint(evt.Data))
			case socketmode.EventTypeEventsAPI:
				d.envelope(ctx, client, evt, kindEvent, lg)
			case socketmode.EventTypeInteractive:
				d.envelope(ctx, client, evt, kindInteraction, lg)
			case socketmode.EventTypeSlashCommand:
				d.envelope(ctx, client, evt, kindCommand, lg)
			}
		}
	}
}

// envelope queues one request from Slack and then acknowledges it.
func (d *Desk) envelope(ctx context.Context, client *socketmode.Client, evt socketmode.Event, kind string, lg *slog.Logger) {
	if evt.Request == nil {
		return
	}
	resp, err := d.accept(ctx, kind, evt.Request.Payload)
	if errors.Is(err, errBadPayload) {
		// Refused, as the HTTP endpoints answer 400: acknowledged, or
		// Slack would send it again and again.
		lg.Warn("socket mode: refused", "envelope", evt.Request.EnvelopeID, "err", err)
		err, resp = nil, nil
	}
	if err != nil {
		// Not acknowledged: Slack sends it again.
		lg.Error("socket mode: could not queue", "envelope", evt.Request.EnvelopeID, "err", err)
		return
	}
	if resp != nil {
		err = client.AckCtx(ctx, evt.Request.EnvelopeID, resp)
	} else {
		err = client.AckCtx(ctx, evt.Request.EnvelopeID, nil)
	}
	if err != nil {
		lg.Warn("socket mode: ack", "envelope", evt.Request.EnvelopeID, "err", err)
	}
}
