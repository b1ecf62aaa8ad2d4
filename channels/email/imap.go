package email

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net"
	"slices"
	"strconv"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-message/charset"

	"github.com/supportd/supportd/channels/email/mailstore"
	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/internal/wait"
)

// reader reads one mailbox: connect, catch up by UID from the checkpoint,
// then wait for news (IDLE, or polling) and catch up again, reconnecting
// with backoff when the connection fails or goes silent.
type reader struct {
	ch  *Channel
	box config.Mailbox
	log *slog.Logger
}

// quarantineFlag marks quarantined mail for a person.
const quarantineFlag = imap.Flag("$SupportdQuarantined")

// run reads the mailbox until ctx ends. It returns nil then; connection
// errors are retried forever.
func (r *reader) run(ctx context.Context) error {
	bo := backoff{min: r.ch.o.MinBackoff, max: r.ch.o.MaxBackoff}
	for {
		progressed, err := r.session(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if errors.Is(err, errStop) {
			return err
		}
		if progressed {
			bo.reset()
		}
		d := bo.next()
		r.log.Warn("imap connection lost; reconnecting", "err", err, "in", d.Round(time.Millisecond))
		if !wait.For(ctx, d) {
			return nil
		}
	}
}

// session is one connection: it returns why it ended, and whether it got as
// far as selecting the mailbox.
func (r *reader) session(ctx context.Context) (bool, error) {
	news := make(chan struct{}, 1)
	c, err := r.dial(ctx, news)
	if err != nil {
		return false, err
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()

	cfg := r.ch.cfg
	if err := r.do(c, func() error { return c.Login(cfg.IMAP.Username, cfg.IMAP.Password).Wait() }); err != nil {
		return false, fmt.Errorf("login: %w", err)
	}
	if cfg.After == "move" {
		// Make sure the folder exists; "already exists" is the usual answer.
		_ = r.do(c, func() error { return c.Create(cfg.MoveTo, nil).Wait() })
	}
	var sel *imap.SelectData
	if err := r.do(c, func() (err error) { sel, err = c.Select(r.box.Name, nil).Wait(); return err }); err != nil {
		return false, fmt.Errorf("select %q: %w", r.box.Name, err)
	}
	cp, err := r.checkpoint(ctx, sel.UIDValidity)
	if err != nil {
		return true, err
	}
	idle := c.Caps().Has(imap.CapIdle)
	r.log.Debug("mailbox selected", "uidvalidity", sel.UIDValidity, "last_uid", cp.LastUID, "idle", idle)
	for {
		pending, err := r.catchUp(ctx, c, &cp)
		if err != nil {
			return true, err
		}
		if err := r.wait(ctx, c, idle, news, pending); err != nil {
			return true, err
		}
		if ctx.Err() != nil {
			return true, nil
		}
	}
}

// dial connects as the configuration says (implicit TLS, STARTTLS or
// plain), with a dial timeout.
func (r *reader) dial(ctx context.Context, news chan struct{}) (*imapclient.Client, error) {
	ep := r.ch.cfg.IMAP
	addr := net.JoinHostPort(ep.Host, strconv.Itoa(ep.Port))
	opts := &imapclient.Options{
		TLSConfig:   r.ch.tlsConfig(ep.Host),
		WordDecoder: &mime.WordDecoder{CharsetReader: charset.Reader},
		Dialer:      &net.Dialer{Timeout: r.ch.cfg.Watchdog},
		UnilateralDataHandler: &imapclient.UnilateralDataHandler{
			Mailbox: func(d *imapclient.UnilateralDataMailbox) {
				if d.NumMessages != nil {
					notify(news)
				}
			},
		},
	}
	var c *imapclient.Client
	var err error
	switch ep.TLS {
	case "implicit":
		c, err = imapclient.DialTLS(addr, opts)
	case "none":
		c, err = imapclient.DialInsecure(addr, opts)
	default:
		c, err = imapclient.DialStartTLS(addr, opts)
	}
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", addr, err)
	}
	if err := r.do(c, c.WaitGreeting); err != nil {
		c.Close()
		return nil, fmt.Errorf("greeting from %s: %w", addr, err)
	}
	return c, nil
}

func notify(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// tlsConfig returns the TLS configuration for a server.
func (c *Channel) tlsConfig(host string) *tls.Config {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if c.o.TLSConfig != nil {
		cfg = c.o.TLSConfig.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName = host
	}
	return cfg
}

// do runs one IMAP exchange with a deadline: a server that does not answer
// within the watchdog time has its connection closed, which ends fn.
func (r *reader) do(c *imapclient.Client, fn func() error) error {
	t := time.AfterFunc(r.ch.cfg.Watchdog, func() {
		r.log.Warn("imap server did not answer in time; dropping the connection", "watchdog", r.ch.cfg.Watchdog)
		c.Close()
	})
	defer t.Stop()
	return fn()
}

// checkpoint loads the mailbox's checkpoint; a new UIDVALIDITY starts it
// over from UID 0 (dedupe keeps mail already handled from being handled
// again).
func (r *reader) checkpoint(ctx context.Context, uidValidity uint32) (mailstore.Checkpoint, error) {
	cp, err := r.ch.o.Mail.Checkpoint(ctx, r.box.Name)
	if err != nil {
		return cp, err
	}
	if cp.UIDValidity == uidValidity {
		return cp, nil
	}
	if cp.UIDValidity != 0 {
		r.log.Warn("UIDVALIDITY changed: reading the mailbox again from the start; dedupe skips mail handled before",
			"old", cp.UIDValidity, "new", uidValidity, "old_last_uid", cp.LastUID)
	}
	cp = mailstore.Checkpoint{UIDValidity: uidValidity}
	return cp, r.ch.o.Mail.SetCheckpoint(ctx, r.box.Name, cp)
}

// catchUp processes every mail above the checkpoint, in UID order and in
// batches, and moves the checkpoint over the mails committed without a gap.
// pending is true when a mail failed and must be tried again.
func (r *reader) catchUp(ctx context.Context, c *imapclient.Client, cp *mailstore.Checkpoint) (pending bool, err error) {
	var uids []imap.UID
	err = r.do(c, func() error {
		crit := &imap.SearchCriteria{UID: []imap.UIDSet{{imap.UIDRange{Start: imap.UID(cp.LastUID + 1), Stop: 0}}}}
		data, err := c.UIDSearch(crit, nil).Wait()
		if err != nil {
			return err
		}
		uids = data.AllUIDs()
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("uid search: %w", err)
	}
	// "n:*" matches the highest UID even below n.
	uids = slices.DeleteFunc(uids, func(u imap.UID) bool { return uint32(u) <= cp.LastUID })
	slices.Sort(uids)
	gap := false
	for batch := range slices.Chunk(uids, r.ch.cfg.FetchBatch) {
		if ctx.Err() != nil {
			return false, nil
		}
		results, err := r.fetchBatch(ctx, c, cp.UIDValidity, batch)
		if err != nil {
			return false, err
		}
		if err := r.afterActions(c, results); err != nil {
			return false, err
		}
		for _, u := range batch {
			if results[u] == failed {
				gap, pending = true, true
			}
			if !gap {
				cp.LastUID = uint32(u)
			}
		}
		if err := r.ch.o.Mail.SetCheckpoint(context.WithoutCancel(ctx), r.box.Name, *cp); err != nil {
			return false, err
		}
	}
	return pending, nil
}

// fetchBatch fetches a batch by UID (sizes first, so that an oversized mail
// is not downloaded) and processes each mail. A UID the server no longer
// has (expunged by another client) counts as done: the result is keyed by
// the UID each response carries, never by position.
func (r *reader) fetchBatch(ctx context.Context, c *imapclient.Client, uidValidity uint32, batch []imap.UID) (map[imap.UID]outcome, error) {
	if h := r.ch.beforeFetch; h != nil {
		h(r.box.Name, uidsOf(batch))
	}
	sizes := map[imap.UID]int64{}
	err := r.do(c, func() error {
		msgs, err := c.Fetch(imap.UIDSetNum(batch...), &imap.FetchOptions{UID: true, RFC822Size: true}).Collect()
		for _, m := range msgs {
			sizes[m.UID] = m.RFC822Size
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("fetch sizes: %w", err)
	}
	var small, large []imap.UID
	for _, u := range batch {
		if s, ok := sizes[u]; !ok {
			continue // expunged meanwhile
		} else if s > r.ch.cfg.MaxMessageBytes {
			large = append(large, u)
		} else {
			small = append(small, u)
		}
	}
	raws := map[imap.UID][]byte{}
	full := &imap.FetchItemBodySection{Peek: true}
	header := &imap.FetchItemBodySection{Peek: true, Specifier: imap.PartSpecifierHeader}
	for _, set := range []struct {
		uids    []imap.UID
		section *imap.FetchItemBodySection
	}{{small, full}, {large, header}} {
		if len(set.uids) == 0 {
			continue
		}
		err := r.do(c, func() error {
			cmd := c.Fetch(imap.UIDSetNum(set.uids...), &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{set.section}})
			for {
				msg := cmd.Next()
				if msg == nil {
					break
				}
				buf, err := msg.Collect()
				if err != nil {
					cmd.Close()
					return err
				}
				if buf.UID != 0 {
					raws[buf.UID] = buf.FindBodySection(set.section)
				}
			}
			return cmd.Close()
		})
		if err != nil {
			return nil, fmt.Errorf("fetch mail: %w", err)
		}
	}
	results := map[imap.UID]outcome{}
	var ins []incoming
	for _, u := range batch {
		raw, ok := raws[u]
		if !ok {
			r.log.Debug("mail expunged before it was read", "uid", u)
			results[u] = committed
			continue
		}
		ins = append(ins, incoming{mailbox: r.box.Name, uidValidity: uidValidity, uid: uint32(u), raw: raw, tooLarge: slices.Contains(large, u)})
	}
	outs, err := r.ch.ingestAll(ctx, ins)
	if err != nil {
		return nil, err
	}
	for i, in := range ins {
		results[imap.UID(in.uid)] = outs[i]
	}
	return results, nil
}

func uidsOf(us []imap.UID) []uint32 {
	out := make([]uint32, len(us))
	for i, u := range us {
		out[i] = uint32(u)
	}
	return out
}

// afterActions flags or moves the committed mails and flags the
// quarantined ones. A UID that is gone is no error.
func (r *reader) afterActions(c *imapclient.Client, results map[imap.UID]outcome) error {
	var done, bad imap.UIDSet
	for u, o := range results {
		switch o {
		case committed:
			done.AddNum(u)
		case quarantined:
			bad.AddNum(u)
		}
	}
	if len(done) > 0 {
		err := r.do(c, func() error {
			if r.ch.cfg.After == "move" {
				_, err := c.Move(done, r.ch.cfg.MoveTo).Wait()
				return err
			}
			return c.Store(done, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagSeen}}, nil).Close()
		})
		if err != nil {
			return fmt.Errorf("mark handled mail: %w", err)
		}
	}
	if len(bad) > 0 {
		// Quarantine is recorded already: a server that refuses the
		// keyword gets \Flagged alone, and a refusal of that is logged.
		for _, flags := range [][]imap.Flag{{imap.FlagFlagged, quarantineFlag}, {imap.FlagFlagged}} {
			err := r.do(c, func() error {
				return c.Store(bad, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: flags}, nil).Close()
			})
			if err == nil {
				break
			}
			var ie *imap.Error
			if !errors.As(err, &ie) {
				return fmt.Errorf("flag quarantined mail: %w", err) // the connection failed
			}
			r.log.Warn("the server refused the quarantine flags", "flags", flags, "err", err)
		}
	}
	return nil
}

// wait returns when there may be new mail: IDLE until the server reports
// some, the IDLE restart time or the watchdog is up; or, without IDLE, after
// the poll interval. With mail pending a retry, it waits at most RetryAfter.
// The command that follows (UID SEARCH) is the liveness probe.
func (r *reader) wait(ctx context.Context, c *imapclient.Client, idle bool, news chan struct{}, pending bool) error {
	cfg := r.ch.cfg
	d := cfg.PollInterval
	if idle {
		d = min(cfg.IdleRestart, cfg.Watchdog)
	}
	if pending {
		d = min(d, r.ch.o.RetryAfter)
	}
	if !idle {
		select {
		case <-ctx.Done():
		case <-news:
		case <-c.Closed():
			return errors.New("connection closed")
		case <-time.After(d):
		}
		return nil
	}
	var cmd *imapclient.IdleCommand
	if err := r.do(c, func() (err error) { cmd, err = c.Idle(); return err }); err != nil {
		return fmt.Errorf("idle: %w", err)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-news:
	case <-t.C:
	case <-c.Closed():
	}
	return r.do(c, func() error {
		if err := cmd.Close(); err != nil {
			return fmt.Errorf("end idle: %w", err)
		}
		if err := cmd.Wait(); err != nil {
			return fmt.Errorf("idle: %w", err)
		}
		return nil
	})
}
