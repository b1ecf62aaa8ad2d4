package email

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/emersion/go-message/mail"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/dialog/kb"
	"github.com/supportd/supportd/internal/syncbuf"
	"github.com/supportd/supportd/store/sqlite"
	"github.com/supportd/supportd/ticketing"
)

const (
	support  = "service@shop.example"
	imapUser = "service"
	imapPass = "secret"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is a gateway's world: an in-memory IMAP server, an SMTP sink, a
// SQLite file, an engine; the channel is started and stopped on it.
type env struct {
	t       *testing.T
	cfg     config.Email
	all     *config.Config
	mem     *imapmemserver.User
	imapLn  net.Listener
	sink    *sink
	db      *sqlite.DB
	eng     *dialog.Engine
	clock   *clock
	dataDir string
	logs    *syncbuf.Buffer
	opts    Options
	noIdle  bool
	tls     *tls.Config // servers' TLS: implicit on IMAP, STARTTLS on SMTP
}

// withTLS serves IMAP over implicit TLS and SMTP with STARTTLS, with a
// certificate for 127.0.0.1 that the channel is told to trust.
func withTLS() envOption {
	return func(e *env, _ *imapserver.Options) {
		cert, pool := testCert(e.t)
		e.tls = &tls.Config{Certificates: []tls.Certificate{cert}}
		e.opts.TLSConfig = &tls.Config{RootCAs: pool}
	}
}

func testCert(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

type envOption func(*env, *imapserver.Options)

// withoutIdle puts a proxy in front of the IMAP server that removes IDLE
// (and IMAP4rev2, which implies it) from every capability list, as a server
// without IDLE would send it.
func withoutIdle() envOption {
	return func(e *env, o *imapserver.Options) {
		o.Caps = imap.CapSet{imap.CapIMAP4rev1: {}}
		e.noIdle = true
	}
}

// capFilter forwards connections to target, dropping IDLE from the
// server's CAPABILITY lines.
func capFilter(t *testing.T, target string) net.Listener {
	ln := listen(t)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			u, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			go func() { io.Copy(u, c); u.Close() }()
			go func() {
				defer c.Close()
				br := bufio.NewReader(u)
				for {
					line, err := br.ReadString('\n')
					if strings.Contains(line, "CAPABILITY") {
						line = strings.ReplaceAll(line, " IDLE", "")
					}
					if _, werr := io.WriteString(c, line); werr != nil || err != nil {
						return
					}
				}
			}()
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return ln
}

func newEnv(t *testing.T, opts ...envOption) *env {
	t.Helper()
	all, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, all: all, dataDir: t.TempDir(), logs: &syncbuf.Buffer{},
		clock: &clock{t: time.Date(2026, 11, 25, 10, 0, 0, 0, all.Policy.Location())}}
	e.opts = Options{SendInterval: 200 * time.Millisecond, RetryAfter: 100 * time.Millisecond,
		MinBackoff: 20 * time.Millisecond, MaxBackoff: 200 * time.Millisecond}
	user := imapmemserver.NewUser(imapUser, imapPass)
	for _, mb := range []string{"INBOX", "Handled"} {
		if err := user.Create(mb, nil); err != nil {
			t.Fatal(err)
		}
	}
	e.mem = user
	mem := imapmemserver.New()
	mem.AddUser(user)
	so := &imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}},
		InsecureAuth: true,
		Logger:       discardLogger{},
	}
	for _, o := range opts {
		o(e, so)
	}
	srv := imapserver.New(so)
	e.imapLn = listen(t)
	if e.tls != nil { // implicit TLS
		e.imapLn = tls.NewListener(e.imapLn, e.tls)
	}
	go srv.Serve(e.imapLn)
	t.Cleanup(func() { srv.Close() })
	e.sink = newSink(t, e.tls)

	e.db, err = sqlite.Open(t.Context(), filepath.Join(e.dataDir, "supportd.db"), sqlite.WithClock(e.clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.db.Close() })
	imapAddr := e.imapLn.Addr().String()
	if e.noIdle {
		imapAddr = capFilter(t, imapAddr).Addr().String()
	}
	host, port := hostPort(t, imapAddr)
	shost, sport := hostPort(t, e.sink.addr)
	e.cfg = config.Email{
		Enabled: true, Address: support,
		IMAP:        config.Endpoint{Host: host, Port: port, Username: imapUser, Password: imapPass, TLS: "none"},
		SMTP:        config.Endpoint{Host: shost, Port: sport, TLS: "none"},
		Mailboxes:   []config.Mailbox{{Name: "INBOX"}},
		IdleRestart: 2 * time.Second, PollInterval: 100 * time.Millisecond, Watchdog: 2 * time.Second,
	}
	if e.tls != nil {
		e.cfg.IMAP.TLS, e.cfg.SMTP.TLS = "implicit", "starttls"
	}
	return e
}

func listen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

func hostPort(t *testing.T, addr string) (string, int) {
	t.Helper()
	h, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	fmt.Sscan(p, &n)
	return h, n
}

type discardLogger struct{}

func (discardLogger) Printf(string, ...any) {}
func (discardLogger) Println(...any)        {}

// running is a started channel.
type running struct {
	ch     *Channel
	cancel context.CancelFunc
	done   chan error
}

// start builds an engine and a channel (a fresh process on the same data)
// and runs it; configure may set hooks.
func (e *env) start(configure ...func(*Channel)) *running {
	e.t.Helper()
	eng, err := dialog.New(dialog.Options{Policy: &e.all.Policy, Store: e.db, Knowledge: dialog.KnowledgeBase(kb.Default()), Now: e.clock.Now})
	if err != nil {
		e.t.Fatal(err)
	}
	e.eng = eng
	o := e.opts
	o.Engine, o.Store, o.Mail, o.Config, o.DataDir, o.Now = eng, e.db, e.db, e.cfg, e.dataDir, e.clock.Now
	o.Logger = slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ch, err := New(o)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, f := range configure {
		f(ch)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{ch: ch, cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- ch.Run(ctx) }()
	e.t.Cleanup(func() { r.stop(e.t) })
	return r
}

// stop cancels the channel and checks that it stops soon and cleanly.
func (r *running) stop(t *testing.T) {
	t.Helper()
	if r.cancel == nil {
		return
	}
	r.cancel()
	r.cancel = nil
	select {
	case err := <-r.done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return within 10s of cancellation")
	}
}

// deliver appends a mail to a mailbox, as a mail server delivering it.
func (e *env) deliver(mailbox, raw string) uint32 {
	e.t.Helper()
	raw = strings.ReplaceAll(strings.ReplaceAll(raw, "\r\n", "\n"), "\n", "\r\n")
	data, err := e.mem.Append(mailbox, bytes.NewReader([]byte(raw)), &imap.AppendOptions{})
	if err != nil {
		e.t.Fatal(err)
	}
	return uint32(data.UID)
}

// eventually waits until cond holds.
func (e *env) eventually(what string, d time.Duration, cond func() bool) {
	e.t.Helper()
	// The bounds are generous (4×) so that a loaded two-core machine under
	// the race detector does not fail a test that would pass; a real hang
	// still fails.
	d *= 4
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			e.t.Fatalf("timed out after %s waiting for %s\nlogs:\n%s", d, what, tail(e.logs.String(), 4000))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// count runs a counting query on the database.
func (e *env) count(query string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.db.SQL().QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

func (e *env) conversations() int {
	return e.count(`SELECT count(*) FROM conversations WHERE channel = 'email'`)
}

func (e *env) inboundTurns() int {
	return e.count(`SELECT count(*) FROM messages WHERE channel = 'email' AND dir = 'in'`)
}

func (e *env) tickets() []*ticketing.Ticket {
	e.t.Helper()
	l, err := e.db.List(context.Background(), ticketing.Filter{})
	if err != nil {
		e.t.Fatal(err)
	}
	return l
}

func (e *env) pending() int {
	return e.count(`SELECT count(*) FROM messages WHERE channel = 'email' AND dir = 'out' AND delivered_at IS NULL`)
}

func (e *env) status(key string) string {
	e.t.Helper()
	var s string
	err := e.db.SQL().QueryRowContext(context.Background(), `SELECT status FROM email_inbound WHERE dedupe_key = ?`, key).Scan(&s)
	if err != nil {
		return ""
	}
	return s
}

// client logs in to the IMAP server as another mail client would.
func (e *env) client() *imapclient.Client {
	e.t.Helper()
	c, err := imapclient.DialInsecure(e.imapLn.Addr().String(), nil)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := c.Login(imapUser, imapPass).Wait(); err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { c.Close() })
	return c
}

// flags returns the flags of a mail by UID in a mailbox; nil when it is gone.
func (e *env) flags(mailbox string, uid uint32) []imap.Flag {
	e.t.Helper()
	c := e.client()
	defer c.Logout()
	if _, err := c.Select(mailbox, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		e.t.Fatal(err)
	}
	msgs, err := c.Fetch(imap.UIDSetNum(imap.UID(uid)), &imap.FetchOptions{Flags: true, UID: true}).Collect()
	if err != nil {
		e.t.Fatal(err)
	}
	if len(msgs) == 0 {
		return nil
	}
	return msgs[0].Flags
}

func hasFlag(fs []imap.Flag, f imap.Flag) bool {
	for _, x := range fs {
		if strings.EqualFold(string(x), string(f)) {
			return true
		}
	}
	return false
}

// sink is an SMTP server that records what it receives.
type sink struct {
	t    *testing.T
	addr string
	srv  *smtp.Server

	mu       sync.Mutex
	mails    []received
	commands []string // MAIL and RCPT arguments, as received
	// cutAfterData, when > 0, makes the next that many DATA transfers end
	// with the connection closed instead of an answer.
	cutAfterData int
	// rcptError, when set, is returned to the next RCPT (and cleared).
	rcptError *smtp.SMTPError
	username  string
	password  string
}

type received struct {
	From string
	To   []string
	Data []byte
}

func newSink(t *testing.T, tlsConfig *tls.Config) *sink {
	s := &sink{t: t}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &sinkSession{s: s, conn: c}, nil }))
	s.srv.TLSConfig = tlsConfig // STARTTLS
	s.srv.Domain = "localhost"
	s.srv.AllowInsecureAuth = true
	s.srv.ReadTimeout = 10 * time.Second
	s.srv.WriteTimeout = 10 * time.Second
	s.srv.ErrorLog = discardLogger{}
	ln := listen(t)
	s.addr = ln.Addr().String()
	go s.srv.Serve(ln)
	t.Cleanup(func() { s.srv.Close() })
	return s
}

func (s *sink) received() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.mails...)
}

func (s *sink) count() int { return len(s.received()) }

type sinkSession struct {
	s    *sink
	conn *smtp.Conn
	from string
	to   []string
	auth bool
}

func (x *sinkSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (x *sinkSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != x.s.username || pass != x.s.password {
			return errors.New("bad credentials")
		}
		x.auth = true
		return nil
	}), nil
}

func (x *sinkSession) Mail(from string, _ *smtp.MailOptions) error {
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	if x.s.username != "" && !x.auth {
		return smtp.ErrAuthRequired
	}
	x.s.commands = append(x.s.commands, "MAIL "+from)
	x.from = from
	return nil
}

func (x *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	x.s.commands = append(x.s.commands, "RCPT "+to)
	if e := x.s.rcptError; e != nil {
		x.s.rcptError = nil
		return e
	}
	x.to = append(x.to, to)
	return nil
}

func (x *sinkSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	x.s.mu.Lock()
	x.s.mails = append(x.s.mails, received{From: x.from, To: x.to, Data: b})
	cut := x.s.cutAfterData > 0
	if cut {
		x.s.cutAfterData--
	}
	x.s.mu.Unlock()
	if cut {
		x.conn.Conn().Close()
	}
	return nil
}

func (x *sinkSession) Reset()        { x.from, x.to = "", nil }
func (x *sinkSession) Logout() error { return nil }

// header parses a received mail's header.
func (r received) header(t *testing.T) mail.Header {
	t.Helper()
	mr, err := mail.CreateReader(bytes.NewReader(r.Data))
	if err != nil {
		t.Fatalf("received mail does not parse: %v\n%s", err, r.Data)
	}
	return mr.Header
}

// text returns a received mail's text/plain part.
func (r received) text(t *testing.T) string {
	t.Helper()
	m, err := Parse(r.Data, 1<<20)
	if err != nil {
		t.Fatalf("received mail does not parse: %v", err)
	}
	return m.Text
}

// customerMail writes a customer's mail.
type customerMail struct {
	From, Name, Subject, MessageID, InReplyTo, References, Body string
	Extra                                                       string // more header lines
}

func (m customerMail) String() string {
	var b strings.Builder
	from := m.From
	if m.Name != "" {
		from = fmt.Sprintf("%s <%s>", m.Name, m.From)
	}
	fmt.Fprintf(&b, "From: %s\nTo: %s\nSubject: %s\nDate: Wed, 25 Nov 2026 10:00:00 +0800\n", from, support, m.Subject)
	if m.MessageID != "" {
		fmt.Fprintf(&b, "Message-ID: <%s>\n", m.MessageID)
	}
	if m.InReplyTo != "" {
		fmt.Fprintf(&b, "In-Reply-To: <%s>\n", m.InReplyTo)
	}
	if m.References != "" {
		fmt.Fprintf(&b, "References: %s\n", m.References)
	}
	b.WriteString(m.Extra)
	b.WriteString("MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n")
	b.WriteString(m.Body)
	b.WriteString("\n")
	return b.String()
}

// replyTo writes a customer's reply to a mail received from us, quoting it
// as mail clients do.
func replyTo(r received, t *testing.T, from, id, body string) string {
	h := r.header(t)
	mid, _ := h.MessageID()
	refs, _ := h.MsgIDList("References")
	refs = append(refs, mid)
	subject, _ := h.Subject()
	quoted := "> " + strings.ReplaceAll(strings.TrimSpace(r.text(t)), "\n", "\n> ")
	return customerMail{From: from, Subject: "Re: " + subject, MessageID: id, InReplyTo: mid,
		References: "<" + strings.Join(refs, "> <") + ">",
		Body:       body + "\n\nOn Wed, 25 Nov 2026 at 10:00, Support <" + support + "> wrote:\n" + quoted}.String()
}

// gbk encodes s in GBK.
func gbk(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
