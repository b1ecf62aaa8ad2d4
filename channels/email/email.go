// Package email is the email channel: it reads the support mailboxes over
// IMAP (IDLE, or polling on servers without it), runs every customer mail
// through the dialog engine, and answers from the persisted outbox over
// SMTP.
//
// Nothing is lost and nothing is done twice: each mailbox has a checkpoint
// (UIDVALIDITY, last committed UID) and every mail read is recorded by its
// dedupe key (the Message-ID, or a content hash when it has none) before its
// mailbox flag is set; outbound mails carry a Message-ID derived from their
// conversation and first message, with a send state that makes a retry
// reuse it. See docs/email.md for the rules on threading, loops and doubt.
package email

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/supportd/supportd/channels/email/mailstore"
	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/dialog"
)

// ChannelName is the dialog channel of email conversations.
const ChannelName = "email"

// Options configure a Channel.
type Options struct {
	Engine  *dialog.Engine  // required
	Store   dialog.Store    // required: conversations, outbox, tickets
	Mail    mailstore.Store // required: checkpoints, dedupe, threads, send states (store/sqlite's DB)
	Config  config.Email    // after config's defaults and validation
	DataDir string          // attachments go to <DataDir>/attachments
	Logger  *slog.Logger    // nil: discard
	Now     func() time.Time
	// TLSConfig is used for implicit TLS and STARTTLS on both servers; nil:
	// the system's roots, the configured host as server name.
	TLSConfig *tls.Config
	// ChatChannel is the live chat channel (the web chat) whose replies the
	// channel sends by email when they wait unread for
	// Config.ContinueChatsAfter and the customer left an address; "" for
	// none.
	ChatChannel string

	// Tuning for tests; zero: the defaults.
	SendInterval time.Duration // how often the outbox is swept (default 30s)
	RetryAfter   time.Duration // retry of a mail whose turn failed (default 10s)
	MinBackoff   time.Duration // reconnect backoff (default 1s, capped at MaxBackoff)
	MaxBackoff   time.Duration // default 5m
}

// Channel is the email channel. Run it once.
type Channel struct {
	o     Options
	cfg   config.Email
	log   *slog.Logger
	now   func() time.Time
	id    identity
	kick  chan struct{} // wakes the sender
	lanes laneLocks     // one mail of a sender at a time through dedupe, threading and the turn

	// hooks for tests, nil in production; errStop from one stops Run (a
	// simulated crash)
	beforeTurn  func(key string) error // before the turn
	afterTurn   func(key string) error // after the turn committed, before the record is finished
	afterRecord func(key string) error // after the record, before the mailbox flag
	beforeFetch func(mailbox string, uids []uint32)
}

// New returns a channel. It registers with the engine's OnOutbound, so call
// it before the engine serves.
func New(o Options) (*Channel, error) {
	if o.Engine == nil || o.Store == nil || o.Mail == nil {
		return nil, errors.New("email: engine, store and mail store are required")
	}
	cfg := o.Config
	if cfg.Address == "" {
		return nil, errors.New("email: the support address is required")
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	setDefault(&o.SendInterval, 30*time.Second)
	setDefault(&o.RetryAfter, 10*time.Second)
	setDefault(&o.MinBackoff, time.Second)
	setDefault(&o.MaxBackoff, 5*time.Minute)
	applyDefaults(&cfg)
	c := &Channel{
		o: o, cfg: cfg, log: o.Logger, now: o.Now,
		id:   identity{address: strings.ToLower(cfg.Address), idDomain: strings.ToLower(cfg.MessageIDDomain)},
		kick: make(chan struct{}, 1),
	}
	o.Engine.AskTogether(ChannelName) // one mail with every question it can ask, not one per question
	if o.ChatChannel != "" {
		o.Engine.ReachByEmail(o.ChatChannel)
	}
	o.Engine.OnOutbound(func(channel, _ string) {
		if channel == ChannelName {
			c.wake()
		}
	})
	return c, nil
}

// applyDefaults fills what config's defaults fill, for a Config built in
// code.
func applyDefaults(cfg *config.Email) {
	cfg.ApplyDefaults()
	if len(cfg.Mailboxes) == 0 {
		cfg.Mailboxes = []config.Mailbox{{Name: "INBOX"}}
	}
}

func setDefault[T int | int64 | time.Duration](p *T, v T) {
	if *p <= 0 {
		*p = v
	}
}

// wake asks the sender to drain the outbox now. It never blocks.
func (c *Channel) wake() {
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

// Run reads every mailbox and sends the outbox until ctx ends, then returns
// nil once every part has stopped (each network operation is bounded, so
// shutdown is too). It returns an error only when a part cannot run at all.
func (c *Channel) Run(ctx context.Context) error {
	g, gctx := errgroup.WithContext(ctx)
	for _, mb := range c.cfg.Mailboxes {
		r := &reader{ch: c, box: mb, log: c.log.With("mailbox", mb.Name)}
		g.Go(func() error { return r.run(gctx) })
	}
	s := &sender{ch: c, log: c.log.With("part", "smtp")}
	g.Go(func() error { return s.run(gctx) })
	if err := g.Wait(); err != nil {
		return fmt.Errorf("email: %w", err)
	}
	return nil
}
