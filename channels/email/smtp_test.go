package email

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/supportd/supportd/channels/email/mailstore"
	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/ticketing"
)

func b64word(s string) string {
	return "=?utf-8?b?" + base64.StdEncoding.EncodeToString([]byte(s)) + "?="
}

// TestCRLFInjection (RELIABILITY 14): CR and LF in a name, a subject or an
// address never make a header or an SMTP command of their own.
func TestCRLFInjection(t *testing.T) {
	const evil = "evil@attacker.test"
	cases := []struct {
		name string
		run  func(e *env)
	}{
		{"name in an inbound mail", func(e *env) {
			e.deliver("INBOX", "From: "+b64word("Eve\r\nBcc: "+evil+"\r\nX-Injected: 1")+" <eve@example.net>\nTo: "+support+
				"\nSubject: hello\nMessage-ID: <n1@example.net>\n\nHow do I install the AC-35?\n")
		}},
		{"subject in an inbound mail", func(e *env) {
			e.deliver("INBOX", "From: eve@example.net\nTo: "+support+"\nSubject: "+b64word("Hi\r\nBcc: "+evil+"\nX-Injected: 1")+
				"\nMessage-ID: <n2@example.net>\n\nHow do I install the AC-35?\n")
		}},
		{"customer name given to the engine", func(e *env) {
			e.handle(dialog.Inbound{Channel: ChannelName, User: "eve@example.net", ID: "n3", Text: "How do I install the AC-35?",
				Customer: ticketing.Customer{Name: "Eve\r\nBcc: " + evil, Email: "eve@example.net"}})
		}},
		{"address given to the engine", func(e *env) {
			e.handle(dialog.Inbound{Channel: ChannelName, User: "eve@example.net>\r\nRCPT TO:<" + evil, ID: "n4", Text: "How do I install the AC-35?",
				Customer: ticketing.Customer{Email: "eve@example.net\r\nRCPT TO:<" + evil + ">"}})
		}},
		{"address with a newline only", func(e *env) {
			e.handle(dialog.Inbound{Channel: ChannelName, User: "eve@example.net\nBcc: " + evil, ID: "n5", Text: "How do I install the AC-35?"})
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			r := e.start()
			defer r.stop(t)
			tc.run(e)
			e.eventually("outbox drained", 5*time.Second, func() bool { return e.pending() == 0 && e.conversations() == 1 })
			time.Sleep(100 * time.Millisecond)
			for _, m := range e.sink.received() {
				h := m.header(t)
				for _, k := range []string{"Bcc", "X-Injected", "Rcpt"} {
					if h.Has(k) {
						t.Errorf("injected header %s: %q", k, h.Get(k))
					}
				}
				for _, to := range m.To {
					if strings.Contains(to, "attacker") {
						t.Errorf("mail sent to %q", to)
					}
				}
				head := string(m.Data[:strings.Index(string(m.Data), "\r\n\r\n")])
				for _, line := range strings.Split(head, "\r\n") {
					if strings.HasPrefix(strings.ToLower(line), "bcc:") || strings.HasPrefix(line, "X-Injected") {
						t.Errorf("header line %q", line)
					}
				}
			}
			e.sink.mu.Lock()
			defer e.sink.mu.Unlock()
			for _, c := range e.sink.commands {
				if strings.Contains(c, "attacker") {
					t.Errorf("SMTP command %q", c)
				}
			}
		})
	}
}

// handle runs a turn on the engine directly, as another part of the
// gateway would.
func (e *env) handle(in dialog.Inbound) {
	e.t.Helper()
	if _, err := e.eng.Handle(e.t.Context(), in); err != nil {
		e.t.Fatal(err)
	}
}

// TestMessageIDReusedOnRetry (RELIABILITY 15): a connection cut after DATA
// leaves the mail in doubt; it is sent once more with the same Message-ID,
// and never a third time.
func TestMessageIDReusedOnRetry(t *testing.T) {
	for _, tc := range []struct {
		name   string
		cuts   int
		status string
	}{
		{"cut once, then accepted", 1, mailstore.SendSent},
		{"cut every time", 100, mailstore.SendAbandoned},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.sink.cutAfterData = tc.cuts
			r := e.start()
			defer r.stop(t)
			e.deliver("INBOX", customerMail{From: customer, Subject: "Q", MessageID: "q@example.net", Body: "How do I install the AC-35?"}.String())
			e.waitMails(2)
			time.Sleep(500 * time.Millisecond) // several sweeps and backoffs
			mails := e.sink.received()
			if len(mails) != 2 {
				t.Fatalf("copies sent = %d, want 2", len(mails))
			}
			h0, h1 := mails[0].header(t), mails[1].header(t)
			id0, _ := h0.MessageID()
			id1, _ := h1.MessageID()
			if id0 == "" || id0 != id1 {
				t.Errorf("Message-IDs %q and %q, want the same", id0, id1)
			}
			rec, _, _ := e.db.Outbound(t.Context(), id0)
			if rec.Status != tc.status || rec.Attempts != 2 {
				t.Errorf("record = %+v, want %s after 2 attempts", rec, tc.status)
			}
			if e.pending() != 0 {
				t.Error("the outbox still holds the reply")
			}
		})
	}
}

// TestDoubtAfterRestart: a mail left "sending" by a process that died is
// resent once, with the same Message-ID, by the next process.
func TestDoubtAfterRestart(t *testing.T) {
	e := newEnv(t)
	e.sink.cutAfterData = 1
	e.opts.MinBackoff, e.opts.MaxBackoff = time.Hour, time.Hour // no retry in the first process
	r := e.start()
	e.deliver("INBOX", customerMail{From: customer, Subject: "Q", MessageID: "q@example.net", Body: "How do I install the AC-35?"}.String())
	e.waitMails(1)
	e.eventually("in doubt", 5*time.Second, func() bool {
		return e.count(`SELECT count(*) FROM email_outbound WHERE status = 'sending'`) == 1
	})
	r.stop(t)
	e.opts.MinBackoff, e.opts.MaxBackoff = 20*time.Millisecond, 200*time.Millisecond
	r2 := e.start()
	defer r2.stop(t)
	mails := e.waitMails(2)
	time.Sleep(400 * time.Millisecond)
	if n := e.sink.count(); n != 2 {
		t.Fatalf("copies = %d, want 2", n)
	}
	h0, h1 := mails[0].header(t), mails[1].header(t)
	if a, b := h0.Get("Message-Id"), h1.Get("Message-Id"); a != b {
		t.Errorf("Message-IDs differ: %s %s", a, b)
	}
}

// TestTransientRefusalRetried: a 4xx before DATA is retried with the same
// Message-ID and delivered once; a 5xx is given up.
func TestTransientRefusalRetried(t *testing.T) {
	for _, tc := range []struct {
		code   int
		copies int
		status string
	}{{451, 1, mailstore.SendSent}, {550, 0, mailstore.SendFailed}} {
		t.Run(fmt.Sprint(tc.code), func(t *testing.T) {
			e := newEnv(t)
			e.sink.rcptError = &smtp.SMTPError{Code: tc.code, EnhancedCode: smtp.EnhancedCode{tc.code / 100, 0, 0}, Message: "not now"}
			r := e.start()
			defer r.stop(t)
			e.deliver("INBOX", customerMail{From: customer, Subject: "Q", MessageID: "q@example.net", Body: "How do I install the AC-35?"}.String())
			e.eventually("outbox drained", 5*time.Second, func() bool { return e.conversations() == 1 && e.pending() == 0 })
			time.Sleep(300 * time.Millisecond)
			if n := e.sink.count(); n != tc.copies {
				t.Errorf("copies = %d, want %d", n, tc.copies)
			}
			if n := e.count(`SELECT count(*) FROM email_outbound WHERE status = ?`, tc.status); n != 1 {
				t.Errorf("records in %s = %d, want 1", tc.status, n)
			}
		})
	}
}

// TestSMTPAuth: the sender authenticates with AUTH PLAIN when a username is
// configured.
func TestSMTPAuth(t *testing.T) {
	e := newEnv(t)
	e.sink.username, e.sink.password = "bot", "pw"
	e.cfg.SMTP.Username, e.cfg.SMTP.Password = "bot", "pw"
	r := e.start()
	defer r.stop(t)
	e.deliver("INBOX", customerMail{From: customer, Subject: "Q", MessageID: "q@example.net", Body: "How do I install the AC-35?"}.String())
	e.waitMails(1)
}
