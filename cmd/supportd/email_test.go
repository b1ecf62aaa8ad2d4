package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/emersion/go-smtp"

	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/store/sqlite"
)

// mailSink records the mail an SMTP client sends.
type mailSink struct {
	mu    sync.Mutex
	mails [][]byte
}

func (s *mailSink) NewSession(*smtp.Conn) (smtp.Session, error) { return &mailSinkSession{s: s}, nil }

type mailSinkSession struct{ s *mailSink }

func (x *mailSinkSession) Reset()                               {}
func (x *mailSinkSession) Logout() error                        { return nil }
func (x *mailSinkSession) Mail(string, *smtp.MailOptions) error { return nil }
func (x *mailSinkSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (x *mailSinkSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	x.s.mu.Lock()
	x.s.mails = append(x.s.mails, b)
	x.s.mu.Unlock()
	return err
}

// TestServeEmail: with channels.email enabled, `supportd serve` reads the
// mailbox and answers by SMTP.
func TestServeEmail(t *testing.T) {
	user := imapmemserver.NewUser("service", "pw")
	user.Create("INBOX", nil)
	mem := imapmemserver.New()
	mem.AddUser(user)
	isrv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}},
		InsecureAuth: true,
	})
	iln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go isrv.Serve(iln)
	defer isrv.Close()
	sink := &mailSink{}
	ssrv := smtp.NewServer(sink)
	ssrv.AllowInsecureAuth = true
	sln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go ssrv.Serve(sln)
	defer ssrv.Close()

	dir := t.TempDir()
	_, iport, _ := net.SplitHostPort(iln.Addr().String())
	_, sport, _ := net.SplitHostPort(sln.Addr().String())
	cfg := fmt.Sprintf(`channels:
  webchat:
    enabled: false
  email:
    enabled: true
    address: service@shop.example
    imap: {host: 127.0.0.1, port: %s, tls: none, username: service, password: pw}
    smtp: {host: 127.0.0.1, port: %s, tls: none}
    poll_interval: 100ms
`, iport, sport)
	path := filepath.Join(dir, "supportd.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	raw := "From: alice@example.net\r\nTo: service@shop.example\r\nSubject: AC\r\nMessage-ID: <s1@example.net>\r\n\r\nHow do I install the AC-35?\r\n"
	if _, err := user.Append("INBOX", bytes.NewReader([]byte(raw)), &imap.AppendOptions{}); err != nil {
		t.Fatal(err)
	}

	srv := startServe(t, "--config", path, "--data", dir, "--addr", freeAddr(t))
	deadline := time.Now().Add(10 * time.Second)
	for {
		sink.mu.Lock()
		n := len(sink.mails)
		sink.mu.Unlock()
		if n > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no reply sent\n%s", srv.logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	srv.cancel()
	srv.wait(t)
	if strings.Contains(srv.logs.String(), "alice@example.net") {
		t.Errorf("a customer address in the log:\n%s", srv.logs.String())
	}
}

// TestContinueChatsSwitch: with the web chat and email on, a chat handed to a
// person invites the visitor to leave an address, unless
// channels.email.continue_chats is false.
func TestContinueChatsSwitch(t *testing.T) {
	for _, tc := range []struct {
		setting string
		offered bool
	}{{"", true}, {"    continue_chats: true\n", true}, {"    continue_chats: false\n", false}} {
		t.Run(strings.TrimSpace(tc.setting), func(t *testing.T) {
			src := "channels:\n  webchat:\n    enabled: true\n  email:\n    enabled: true\n    address: service@shop.example\n" +
				"    imap: {host: 127.0.0.1}\n    smtp: {host: 127.0.0.1}\n" + tc.setting
			cfg, err := config.Parse("supportd.yaml", []byte(src), func(string) (string, bool) { return "", false })
			if err != nil {
				t.Fatal(err)
			}
			db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "supportd.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			eng, err := newEngine(cfg, db, time.Now)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := emailChannel(cfg, eng, db, slog.New(slog.DiscardHandler)); err != nil {
				t.Fatal(err)
			}
			res, err := eng.Handle(context.Background(), dialog.Inbound{Channel: "webchat", User: "v1", ID: "m1", Text: "can I talk to a real person please"})
			if err != nil {
				t.Fatal(err)
			}
			var texts []string
			for _, m := range res.Replies {
				texts = append(texts, m.Text)
			}
			all := strings.Join(texts, "\n")
			if offered := strings.Contains(all, "type your email address"); offered != tc.offered || res.State != dialog.HandedOff {
				t.Errorf("state %s, replies %q: email offered %v, want %v", res.State, all, offered, tc.offered)
			}
		})
	}
}
