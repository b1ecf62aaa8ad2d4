package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-smtp"
	"golang.org/x/sync/errgroup"

	"github.com/supportd/supportd/channels/email"
	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/dialog/kb"
	"github.com/supportd/supportd/internal/dovecot"
	"github.com/supportd/supportd/store/sqlite"
	"github.com/supportd/supportd/ticketing"
)

// The email figures. A fresh Dovecot (internal/dovecot, pinned to the
// server's core) holds N queued customer mails; in every repetition, in
// alternating order, each reader drains its own freshly filled mailbox:
//
//   - bare-imap: a go-imap client (the channel's version) that logs in,
//     selects INBOX, searches the UIDs and, in the channel's batches,
//     fetches every mail whole (BODY.PEEK[]) and flags the batch \Seen;
//   - gateway-sqlite: the email channel wired as cmd/supportd wires it (the
//     dialog engine with the embedded knowledge base on store/sqlite, an
//     SMTP server on loopback that takes the replies and drops them),
//     counted until the N-th conversation is committed.
//
// Both run in this process (pinned with it to the load generator's core):
// Dovecot is the server of both. Then, with the channel idling (IDLE) on an
// empty mailbox beside a bare client idling too, mails are appended one at
// a time: each gives the time from the APPEND's completion to its turn
// committed in the store, and to the bare client's EXISTS.

// The email readers.
const (
	emailBare    = "bare-imap"
	emailGateway = "gateway-sqlite"
)

var emailReaders = []string{emailBare, emailGateway}

// emailResult is the email benchmark.
type emailResult struct {
	Dovecot   string      `json:"dovecot"`
	Mails     int         `json:"mails"`      // queued mails of every drain
	MailBytes int         `json:"mail_bytes"` // the size of one (CRLF)
	IdleMails int         `json:"idle_mails"` // mails of every IDLE run
	Gateway   string      `json:"gateway"`    // where the gateway ran
	Reps      []*emailRep `json:"repetitions"`
	Summary   []row       `json:"summary"` // ratios are gateway ÷ bare
	Skipped   string      `json:"skipped,omitempty"`
}

// emailRep is one repetition.
type emailRep struct {
	Drain map[string]drainResult `json:"drain"` // by reader
	Idle  idleLatency            `json:"idle"`
}

// drainResult is one reader draining the queued mails.
type drainResult struct {
	Mails     int     `json:"mails"`
	Seconds   float64 `json:"seconds"` // from connecting (starting the channel) to the last mail flagged (the last conversation committed)
	MailsPerS float64 `json:"mails_per_s"`
	// CPU time of this process (the reader; for the gateway also the SMTP
	// sink) and of Dovecot's processes over Seconds.
	CPUCores         float64 `json:"cpu_cores"`
	CPUPerMailUs     float64 `json:"cpu_per_mail_us"`
	DovecotCores     float64 `json:"dovecot_cores"`
	DovecotPerMailUs float64 `json:"dovecot_cpu_per_mail_us"`
	// The bare client's connection, login and SELECT, within Seconds.
	ConnectSeconds float64 `json:"connect_seconds,omitempty"`
	// The gateway's later milestones, from the same start: every mail
	// flagged \Seen and checkpointed, every reply handed to SMTP.
	SeenSeconds    float64 `json:"seen_seconds,omitempty"`
	RepliedSeconds float64 `json:"replied_seconds,omitempty"`
}

// idleLatency is the IDLE run: from APPEND done to the turn committed
// (gateway) and to the EXISTS received (bare), in ms.
type idleLatency struct {
	Mails   int          `json:"mails"`
	Gateway latencyStats `json:"gateway"`
	Bare    latencyStats `json:"bare"`
}

type latencyStats struct {
	P50ms float64 `json:"p50_ms"`
	P99ms float64 `json:"p99_ms"`
	MaxMs float64 `json:"max_ms"`
}

func statsOf(l *latencies) latencyStats {
	return latencyStats{P50ms: l.ms(50), P99ms: l.ms(99), MaxMs: l.ms(100)}
}

// emailPlan decides whether the email figures run: binErr is what looking
// for Dovecot gave. A smoke run skips them without Dovecot (skip says why)
// unless SUPPORTD_INTEGRATION=1; a full run fails at once.
func emailPlan(o *options, binErr error) (run bool, skip string, err error) {
	if !o.email {
		return false, "", nil
	}
	if binErr == nil {
		return true, "", nil
	}
	if o.smoke && os.Getenv("SUPPORTD_INTEGRATION") != "1" {
		return false, binErr.Error(), nil
	}
	return false, "", fmt.Errorf("email: %w; -email=false leaves the email figures out", binErr)
}

// emailRun runs the email benchmark, o.reps times.
func (b *bencher) emailRun(ctx context.Context) (*emailResult, error) {
	o := b.o
	version, err := dovecot.Version()
	if err != nil {
		return nil, err
	}
	res := &emailResult{Dovecot: version, Mails: o.emailMails, MailBytes: len(dovecot.CRLF(customerMail(0))), IdleMails: o.emailIdle,
		Gateway: "in this process, with the reader and the SMTP sink"}
	if b.cpu >= 0 {
		res.Gateway += fmt.Sprintf(" (core %d, GOMAXPROCS 1); Dovecot on core %d", b.clientCPU, b.cpu)
	}
	for r := range o.reps {
		rep := &emailRep{Drain: map[string]drainResult{}}
		res.Reps = append(res.Reps, rep)
		order := slices.Clone(emailReaders)
		if r%2 == 1 {
			slices.Reverse(order)
		}
		for _, rd := range order {
			b.logf("email rep %d: %s: %d queued mails", r+1, rd, o.emailMails)
			dr, err := b.drain(ctx, rd, r)
			if err != nil {
				res.summarise()
				return res, fmt.Errorf("email repetition %d: %s: %w", r+1, rd, err)
			}
			rep.Drain[rd] = dr
			b.logf("  %.0f mails/s (%.2fs), this process %.2f cores, %.0f µs CPU/mail, Dovecot %.2f cores", dr.MailsPerS, dr.Seconds, dr.CPUCores, dr.CPUPerMailUs, dr.DovecotCores)
		}
		b.logf("email rep %d: IDLE, %d mails one at a time", r+1, o.emailIdle)
		il, err := b.idleMails(ctx)
		rep.Idle = il
		if err != nil {
			res.summarise()
			return res, fmt.Errorf("email repetition %d: IDLE: %w", r+1, err)
		}
		b.logf("  APPEND → turn committed p50 %.0f ms, p99 %.0f ms; → bare EXISTS p50 %.0f ms", il.Gateway.P50ms, il.Gateway.P99ms, il.Bare.P50ms)
	}
	res.summarise()
	return res, nil
}

// startDovecot starts a Dovecot on the server's core.
func (b *bencher) startDovecot(ctx context.Context) (*dovecot.Server, error) {
	var prefix []string
	if b.cpu >= 0 {
		prefix = []string{"taskset", "-c", strconv.Itoa(b.cpu)}
	}
	return dovecot.Start(ctx, dovecot.Options{User: "service", Password: "bench-secret", Prefix: prefix})
}

// drain fills a fresh Dovecot with the queued mails and has reader rd
// drain them.
func (b *bencher) drain(ctx context.Context, rd string, rep int) (drainResult, error) {
	d, err := b.startDovecot(ctx)
	if err != nil {
		return drainResult{}, err
	}
	defer d.Stop()
	mails := make([][]byte, b.o.emailMails)
	for i := range mails {
		mails[i] = customerMail(i)
	}
	if err := d.Append(ctx, "INBOX", mails...); err != nil {
		return drainResult{}, fmt.Errorf("fill the mailbox: %w", err)
	}
	quiet(ctx, d.Pid())
	// Both readers run in this process: each starts from a collected heap,
	// not from the garbage the web chat runs before it left (the idle
	// run's 10,000 sockets).
	runtime.GC()
	prof := &profiler{}
	if b.o.profile != "" && b.o.cpuProfile == "" { // one CPU profile at a time
		prof.file = filepath.Join(b.o.profile, fmt.Sprintf("email-%s-%d.pprof", rd, rep+1))
	}
	defer prof.stop()
	var dr drainResult
	if rd == emailBare {
		dr, err = bareDrain(ctx, d, len(mails), prof)
	} else {
		dr, err = b.gatewayDrain(ctx, d, len(mails), prof)
	}
	if err != nil {
		return dr, err
	}
	if err := prof.err; err != nil {
		return dr, fmt.Errorf("cpu profile: %w", err)
	}
	if n, err := unseen(d); err != nil || n != 0 {
		return dr, fmt.Errorf("%d mails left unseen (%v)", n, err)
	}
	return dr, nil
}

// profiler is a CPU profile of this process over a drain; with no file it
// does nothing.
type profiler struct {
	file string
	f    *os.File
	err  error
}

func (p *profiler) start() {
	if p.file == "" {
		return
	}
	if p.f, p.err = os.Create(p.file); p.err != nil {
		return
	}
	if p.err = pprof.StartCPUProfile(p.f); p.err != nil {
		p.f.Close()
		p.f = nil
	}
}

// stop ends the profile; again, it does nothing.
func (p *profiler) stop() {
	if p.f != nil {
		pprof.StopCPUProfile()
		p.f.Close()
		p.f = nil
	}
}

// usage is a sample of the clock and of this process's and Dovecot's CPU
// time.
type usage struct {
	at       time.Time
	self, dc time.Duration
}

// begin samples at the start of a measurement: the clock last, so that
// reading /proc is not timed.
func begin(d *dovecot.Server) usage {
	dc := treeCPU(d.Pid())
	self := selfCPU()
	return usage{at: time.Now(), self: self, dc: dc}
}

// end samples at the end: the clock first.
func end(d *dovecot.Server) usage {
	at := time.Now()
	return usage{at: at, self: selfCPU(), dc: treeCPU(d.Pid())}
}

// fill sets the CPU figures of a drain from the samples before and after.
func (dr *drainResult) fill(n int, a, b usage) {
	dr.Mails = n
	dr.Seconds = b.at.Sub(a.at).Seconds()
	dr.MailsPerS = float64(n) / dr.Seconds
	dr.CPUCores = (b.self - a.self).Seconds() / dr.Seconds
	dr.CPUPerMailUs = float64((b.self-a.self)/time.Microsecond) / float64(n)
	dr.DovecotCores = (b.dc - a.dc).Seconds() / dr.Seconds
	dr.DovecotPerMailUs = float64((b.dc-a.dc)/time.Microsecond) / float64(n)
}

// bareDrain is the baseline: log in, select INBOX, search the UIDs, then
// per batch of the channel's size fetch every mail whole and flag the
// batch \Seen; prof covers that.
func bareDrain(ctx context.Context, d *dovecot.Server, n int, prof *profiler) (drainResult, error) {
	var dr drainResult
	prof.start()
	a := begin(d)
	c, err := imapclient.DialInsecure(d.Addr, nil)
	if err != nil {
		return dr, err
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	if err := c.Login(d.User, d.Password).Wait(); err != nil {
		return dr, err
	}
	if _, err := c.Select("INBOX", nil).Wait(); err != nil {
		return dr, err
	}
	connected := time.Now()
	all := &imap.SearchCriteria{UID: []imap.UIDSet{{imap.UIDRange{Start: 1, Stop: 0}}}}
	found, err := c.UIDSearch(all, nil).Wait()
	if err != nil {
		return dr, err
	}
	uids := found.AllUIDs()
	section := &imap.FetchItemBodySection{Peek: true}
	fetched := 0
	for batch := range slices.Chunk(uids, fetchBatch) {
		set := imap.UIDSetNum(batch...)
		cmd := c.Fetch(set, &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{section}})
		for msg := cmd.Next(); msg != nil; msg = cmd.Next() {
			buf, err := msg.Collect()
			if err != nil {
				cmd.Close()
				return dr, err
			}
			if len(buf.FindBodySection(section)) > 0 {
				fetched++
			}
		}
		if err := cmd.Close(); err != nil {
			return dr, err
		}
		flags := &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagSeen}}
		if err := c.Store(set, flags, nil).Close(); err != nil {
			return dr, err
		}
	}
	z := end(d)
	prof.stop()
	dr.fill(fetched, a, z)
	dr.ConnectSeconds = connected.Sub(a.at).Seconds()
	if fetched != n {
		return dr, fmt.Errorf("fetched %d mails of %d", fetched, n)
	}
	return dr, c.Logout().Wait()
}

// fetchBatch is the channel's default UID FETCH batch
// (channels.email.fetch_batch).
const fetchBatch = 50

// gatewayDrain starts the channel on the filled mailbox and measures until
// the n-th conversation is committed; then it waits for every mail to be
// flagged and every reply sent, and checks the store: n conversations, n
// tickets. prof covers the time until the n-th commit.
func (b *bencher) gatewayDrain(ctx context.Context, d *dovecot.Server, n int, prof *profiler) (drainResult, error) {
	var dr drainResult
	var mu sync.Mutex
	convs := map[string]bool{}
	all := make(chan usage, 1)
	gw, err := newEmailGateway(ctx, d, b.log, func(conv string) {
		mu.Lock()
		defer mu.Unlock()
		if convs[conv] {
			return
		}
		convs[conv] = true
		if len(convs) == n {
			all <- end(d)
		}
	})
	if err != nil {
		return dr, err
	}
	defer gw.close()
	prof.start()
	a := begin(d)
	stop := gw.run(ctx)
	defer stop()
	limit := time.Minute + time.Duration(n)*50*time.Millisecond
	var z usage
	select {
	case z = <-all:
	case <-time.After(limit):
		mu.Lock()
		got := len(convs)
		mu.Unlock()
		return dr, fmt.Errorf("%d conversations of %d after %s", got, n, limit)
	case <-ctx.Done():
		return dr, ctx.Err()
	}
	prof.stop()
	dr.fill(n, a, z)
	// Every mail flagged (the checkpoint moves after the flags) and every
	// reply sent.
	deadline := time.Now().Add(limit)
	for dr.SeenSeconds == 0 || dr.RepliedSeconds == 0 {
		if time.Now().After(deadline) {
			return dr, fmt.Errorf("after %s: seen at %.1fs, replies sent %d of %d", limit, dr.SeenSeconds, gw.sink.count(), n)
		}
		since := time.Since(a.at).Seconds()
		if dr.SeenSeconds == 0 {
			cp, err := gw.db.Checkpoint(ctx, "INBOX")
			if err != nil {
				return dr, err
			}
			if cp.LastUID >= uint32(n) {
				dr.SeenSeconds = since
			}
		}
		if dr.RepliedSeconds == 0 && gw.sink.count() >= n {
			dr.RepliedSeconds = since
		}
		if !sleepCtx(ctx, 5*time.Millisecond) {
			return dr, ctx.Err()
		}
	}
	if err := stop(); err != nil {
		return dr, err
	}
	return dr, gw.check(ctx, n)
}

// idleMails measures IDLE: the channel and a bare client idle on an empty
// mailbox; each mail appended gives two latencies.
func (b *bencher) idleMails(ctx context.Context) (idleLatency, error) {
	il := idleLatency{}
	d, err := b.startDovecot(ctx)
	if err != nil {
		return il, err
	}
	defer d.Stop()
	turns := make(chan time.Time, 16)
	gw, err := newEmailGateway(ctx, d, b.log, func(string) {
		select {
		case turns <- time.Now():
		default:
		}
	})
	if err != nil {
		return il, err
	}
	defer gw.close()
	stop := gw.run(ctx)
	defer stop()

	exists := make(chan time.Time, 16)
	bare, err := imapclient.DialInsecure(d.Addr, &imapclient.Options{
		UnilateralDataHandler: &imapclient.UnilateralDataHandler{
			Mailbox: func(m *imapclient.UnilateralDataMailbox) {
				if m.NumMessages != nil {
					select {
					case exists <- time.Now():
					default:
					}
				}
			},
		},
	})
	if err != nil {
		return il, err
	}
	defer bare.Close()
	if err := bare.Login(d.User, d.Password).Wait(); err != nil {
		return il, err
	}
	if _, err := bare.Select("INBOX", nil).Wait(); err != nil {
		return il, err
	}
	idle, err := bare.Idle()
	if err != nil {
		return il, err
	}
	defer idle.Close()
	appender, err := d.Dial()
	if err != nil {
		return il, err
	}
	defer appender.Close()

	// The channel has selected the mailbox once its checkpoint exists;
	// then it searches the empty mailbox and idles.
	for deadline := time.Now().Add(10 * time.Second); ; {
		cp, err := gw.db.Checkpoint(ctx, "INBOX")
		if err != nil {
			return il, err
		}
		if cp.UIDValidity != 0 {
			break
		}
		if time.Now().After(deadline) {
			return il, errors.New("the channel did not select the mailbox within 10s")
		}
		if !sleepCtx(ctx, 10*time.Millisecond) {
			return il, ctx.Err()
		}
	}
	gwLat, bareLat := newLatencies(), newLatencies()
	for i := range b.o.emailIdle {
		if !sleepCtx(ctx, idleSpacing) { // the channel is back in IDLE
			return il, ctx.Err()
		}
		drop(turns)
		drop(exists)
		if err := dovecot.AppendWith(appender, "INBOX", customerMail(i)); err != nil {
			return il, err
		}
		appended := time.Now()
		for _, w := range []struct {
			what string
			c    chan time.Time
			l    *latencies
		}{{"the turn", turns, gwLat}, {"the bare client's EXISTS", exists, bareLat}} {
			select {
			case t := <-w.c:
				w.l.record(t.Sub(appended))
			case <-time.After(10 * time.Second):
				return il, fmt.Errorf("mail %d: no %s within 10s of its APPEND", i+1, w.what)
			case <-ctx.Done():
				return il, ctx.Err()
			}
		}
		il.Mails++
	}
	il.Gateway, il.Bare = statsOf(gwLat), statsOf(bareLat)
	for deadline := time.Now().Add(30 * time.Second); gw.sink.count() < il.Mails; {
		if time.Now().After(deadline) {
			return il, fmt.Errorf("%d replies sent of %d after 30s", gw.sink.count(), il.Mails)
		}
		if !sleepCtx(ctx, 10*time.Millisecond) {
			return il, ctx.Err()
		}
	}
	if err := stop(); err != nil {
		return il, err
	}
	return il, gw.check(ctx, b.o.emailIdle)
}

// drop empties c.
func drop(c chan time.Time) {
	for {
		select {
		case <-c:
		default:
			return
		}
	}
}

// idleSpacing is the pause before each mail of the IDLE run: longer than
// Dovecot's delay between a change in a mailbox and its report to an idling
// client (0.5 s), so that the report of the previous mail's \Seen flag has
// gone out and the new mail waits out a delay of its own.
const idleSpacing = 700 * time.Millisecond

func sleepCtx(ctx context.Context, d time.Duration) bool {
	return sleepUntil(ctx, time.Now().Add(d))
}

// unseen counts the mails of INBOX without \Seen.
func unseen(d *dovecot.Server) (int, error) {
	c, err := d.Dial()
	if err != nil {
		return -1, err
	}
	defer c.Close()
	st, err := c.Status("INBOX", &imap.StatusOptions{NumUnseen: true}).Wait()
	if err != nil {
		return -1, err
	}
	return int(*st.NumUnseen), nil
}

// mailGateway is the email channel wired as cmd/supportd wires it: the
// dialog engine with the embedded knowledge base and its timers, on
// store/sqlite in a temporary directory, reading the Dovecot mailbox and
// sending through an SMTP sink.
type mailGateway struct {
	dir  string
	db   *sqlite.DB
	eng  *dialog.Engine
	ch   *email.Channel
	sink *smtpSink
	tick time.Duration
}

// newEmailGateway builds the gateway; onTurn is called with the
// conversation of every committed customer turn on email (it must not
// block). Warnings and errors are logged to log.
func newEmailGateway(ctx context.Context, d *dovecot.Server, log io.Writer, onTurn func(conversationID string)) (*mailGateway, error) {
	cfg, err := config.Load("")
	if err != nil {
		return nil, err
	}
	now := benchClock(cfg)
	dir, err := os.MkdirTemp("", "supportbench-email-")
	if err != nil {
		return nil, err
	}
	g := &mailGateway{dir: dir, tick: cfg.Dialog.TimerInterval}
	if g.sink, err = startSink(); err != nil {
		g.close()
		return nil, err
	}
	if g.db, err = sqlite.Open(ctx, filepath.Join(dir, "supportd.db"), sqlite.WithClock(now)); err != nil {
		g.close()
		return nil, err
	}
	g.eng, err = dialog.New(dialog.Options{Policy: &cfg.Policy, Store: g.db, Knowledge: dialog.KnowledgeBase(kb.Default()), Now: now})
	if err != nil {
		g.close()
		return nil, err
	}
	g.eng.OnCommit(func(c dialog.Commit) {
		if c.Channel == email.ChannelName && c.Customer {
			onTurn(c.ConversationID)
		}
	})
	imapHost, imapPort, _ := net.SplitHostPort(d.Addr)
	smtpHost, smtpPort, _ := net.SplitHostPort(g.sink.addr)
	mc := cfg.Channels.Email
	mc.Enabled, mc.Address = true, supportAddress
	mc.IMAP = config.Endpoint{Host: imapHost, Port: atoi(imapPort), Username: d.User, Password: d.Password, TLS: "none"}
	mc.SMTP = config.Endpoint{Host: smtpHost, Port: atoi(smtpPort), TLS: "none"}
	mc.Mailboxes = []config.Mailbox{{Name: "INBOX"}}
	lg := slog.New(slog.NewTextHandler(log, &slog.HandlerOptions{Level: slog.LevelWarn}))
	g.ch, err = email.New(email.Options{Engine: g.eng, Store: g.db, Mail: g.db, Config: mc, DataDir: dir, Logger: lg.With("channel", "email"), Now: now})
	if err != nil {
		g.close()
		return nil, err
	}
	return g, nil
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// run runs the engine's timers and the channel until the returned function
// is called; it returns their error (again: nil).
func (g *mailGateway) run(ctx context.Context) func() error {
	ctx, cancel := context.WithCancel(ctx)
	eg, gctx := errgroup.WithContext(ctx)
	eg.Go(func() error { return g.eng.Run(gctx, g.tick) })
	eg.Go(func() error { return g.ch.Run(gctx) })
	var once sync.Once
	var err error
	return func() error {
		once.Do(func() { cancel(); err = eg.Wait() })
		return err
	}
}

// check verifies the store after a run: n email conversations, each with
// its customer message and its ticket, and a reply sent for each.
func (g *mailGateway) check(ctx context.Context, n int) error {
	var convs, in int
	q := g.db.SQL()
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM conversations WHERE channel = 'email'`).Scan(&convs); err != nil {
		return err
	}
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM messages WHERE channel = 'email' AND dir = 'in'`).Scan(&in); err != nil {
		return err
	}
	tickets, err := g.db.List(ctx, ticketing.Filter{})
	if err != nil {
		return err
	}
	if convs != n || in != n || len(tickets) != n || g.sink.count() != n {
		return fmt.Errorf("store: %d conversations, %d customer messages, %d tickets, %d replies sent; want %d of each",
			convs, in, len(tickets), g.sink.count(), n)
	}
	return nil
}

func (g *mailGateway) close() {
	if g.db != nil {
		g.db.Close()
	}
	if g.sink != nil {
		g.sink.close()
	}
	os.RemoveAll(g.dir)
}

// supportAddress is the address the customers write to.
const supportAddress = "service@shop.example"

// customerMail is queued mail i: a customer asking for a person, as a mail
// client sends it (text and HTML alternatives) and as Dovecot's LDA stores
// it (Return-Path, Received). Every one has its own sender and Message-ID,
// so each is a new conversation with a ticket.
func customerMail(i int) []byte {
	return fmt.Appendf(nil, `Return-Path: <customer%04[1]d@example.net>
Received: from mail.example.net (mail.example.net [198.18.0.25])
	by mx.shop.example with ESMTPS id 4Xb%04[1]dQ for <%[2]s>;
	Wed, 25 Nov 2026 10:00:00 +0800 (CST)
From: Customer %[1]d <customer%04[1]d@example.net>
To: Support <%[2]s>
Subject: Case %[1]d: please call me back
Date: Wed, 25 Nov 2026 10:00:00 +0800
Message-ID: <bench%04[1]d.4f2a@mail.example.net>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="alt-%04[1]d"

--alt-%04[1]d
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Hello,

I want to talk to a human agent about my order, please. The last two
answers did not help, and I would rather explain it on the phone.

Best regards,
Customer %[1]d
--alt-%04[1]d
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: quoted-printable

<html><body><div dir=3D"ltr"><p>Hello,</p><p>I want to talk to a human agent=
 about my order, please. The last two answers did not help, and I would rath=
er explain it on the phone.</p><p>Best regards,<br>Customer %[1]d</p></div></=
body></html>
--alt-%04[1]d--
`, i, supportAddress)
}

// smtpSink is an SMTP server on loopback that takes every mail and drops
// it, counting them.
type smtpSink struct {
	addr string
	srv  *smtp.Server
	n    atomic.Int64
}

func startSink() (*smtpSink, error) {
	s := &smtpSink{}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &sinkSession{s: s}, nil }))
	s.srv.Domain = "localhost"
	s.srv.ReadTimeout, s.srv.WriteTimeout = 10*time.Second, 10*time.Second
	s.srv.ErrorLog = silent{}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s.addr = ln.Addr().String()
	go s.srv.Serve(ln) // ends with close
	return s, nil
}

func (s *smtpSink) count() int { return int(s.n.Load()) }
func (s *smtpSink) close()     { s.srv.Close() }

type sinkSession struct{ s *smtpSink }

func (x *sinkSession) Mail(string, *smtp.MailOptions) error { return nil }
func (x *sinkSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (x *sinkSession) Reset()                               {}
func (x *sinkSession) Logout() error                        { return nil }
func (x *sinkSession) Data(r io.Reader) error {
	if _, err := io.Copy(io.Discard, r); err != nil {
		return err
	}
	x.s.n.Add(1)
	return nil
}

type silent struct{}

func (silent) Printf(string, ...any) {}
func (silent) Println(...any)        {}

// selfCPU is this process's user + system time.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// treeCPU is the CPU time of a Dovecot: of the master pid and its live
// children (imap, auth, login processes), in nanoseconds
// (/proc/PID/schedstat), plus the children it has reaped (in clock
// ticks). With a taskset prefix the master is pid itself (taskset execs
// it).
func treeCPU(pid int) time.Duration {
	total := onCPU(pid) + reapedCPU(pid)
	for _, p := range children(pid) {
		total += onCPU(p)
	}
	return total
}

// children lists the live children of pid.
func children(pid int) []int {
	var out []int
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil || p == pid {
			continue
		}
		if f := procFields(p); len(f) > 1 && f[1] == strconv.Itoa(pid) { // field 4, the parent
			out = append(out, p)
		}
	}
	return out
}

// quiet waits up to 5 s until Dovecot has no imap process left (the one
// that served the filling connection has exited and been reaped), so that
// its CPU time is not counted in the drain's.
func quiet(ctx context.Context, pid int) {
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		busy := false
		for _, p := range children(pid) {
			if b, err := os.ReadFile("/proc/" + strconv.Itoa(p) + "/comm"); err == nil && strings.TrimSpace(string(b)) == "imap" {
				busy = true
			}
		}
		if !busy || !sleepCtx(ctx, 10*time.Millisecond) {
			return
		}
	}
}

// procFields are the fields of /proc/PID/stat after the command name
// (field 3 is the first).
func procFields(pid int) []string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return nil
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return nil
	}
	return strings.Fields(s[i+1:])
}

// onCPU is the time pid has run, from /proc/PID/schedstat.
func onCPU(pid int) time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/schedstat")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 0
	}
	ns, _ := strconv.ParseInt(f[0], 10, 64)
	return time.Duration(ns)
}

// reapedCPU is cutime + cstime of pid: its children that have ended.
func reapedCPU(pid int) time.Duration {
	f := procFields(pid)
	if len(f) < 15 {
		return 0
	}
	var ticks int64
	for _, s := range f[13:15] { // fields 16, 17
		v, _ := strconv.ParseInt(s, 10, 64)
		ticks += v
	}
	return time.Duration(ticks) * time.Second / clockTick
}
