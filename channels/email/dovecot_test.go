package email

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/supportd/supportd/internal/dovecot"
)

// startDovecot starts a throwaway Dovecot for user imapUser, or skips the
// test when it is not installed (fails instead under
// SUPPORTD_INTEGRATION=1).
func startDovecot(t *testing.T) *dovecot.Server {
	t.Helper()
	d, err := dovecot.Start(t.Context(), dovecot.Options{User: imapUser, Password: imapPass})
	if errors.Is(err, dovecot.ErrNotInstalled) {
		if os.Getenv("SUPPORTD_INTEGRATION") == "1" {
			t.Fatal("SUPPORTD_INTEGRATION=1 but " + err.Error())
		}
		t.Skip(err.Error() + "; SUPPORTD_INTEGRATION=1 makes this a failure")
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Stop)
	return d
}

// appendAll appends mails to INBOX over IMAP, as mail delivered while the
// gateway was down.
func appendAll(t *testing.T, d *dovecot.Server, mails []string) {
	t.Helper()
	raws := make([][]byte, len(mails))
	for i, m := range mails {
		raws[i] = []byte(m)
	}
	if err := d.Append(t.Context(), "INBOX", raws...); err != nil {
		t.Fatal(err)
	}
}

// TestDovecot: against a real Dovecot, 500 mails queued while the gateway
// was down are each ingested once (RELIABILITY 4), and IDLE brings a new
// mail for a ticket in well under 2 s.
func TestDovecot(t *testing.T) {
	d := startDovecot(t)
	e := newEnv(t)
	host, port := hostPort(t, d.Addr)
	e.cfg.IMAP.Host, e.cfg.IMAP.Port = host, port
	e.cfg.IdleRestart, e.cfg.Watchdog = 25*time.Minute, 5*time.Minute // production values
	e.opts.SendInterval = time.Second

	const n = 500
	mails := make([]string, n)
	for i := range mails {
		mails[i] = customerMail{From: fmt.Sprintf("customer%03d@example.net", i), Subject: fmt.Sprintf("Case %d", i),
			MessageID: fmt.Sprintf("bulk%03d@example.net", i), Body: "I want to talk to a human agent"}.String()
	}
	mails[n-1] = customerMail{From: "customer499@example.net", Subject: "Case 499", Body: "I want to talk to a human agent"}.String() // no Message-ID
	appendAll(t, d, mails)

	start := time.Now()
	r := e.start()
	defer r.stop(t)
	e.eventually("500 mails ingested", 5*time.Minute, func() bool {
		return e.count(`SELECT count(*) FROM email_inbound WHERE status = 'done'`) == n
	})
	ingest := time.Since(start)
	e.eventually("500 replies", 2*time.Minute, func() bool { return e.sink.count() >= n && e.pending() == 0 })
	all := time.Since(start)
	if c := e.conversations(); c != n {
		t.Errorf("conversations = %d, want %d", c, n)
	}
	if c := e.inboundTurns(); c != n {
		t.Errorf("inbound messages = %d, want %d", c, n)
	}
	if c := len(e.tickets()); c != n {
		t.Errorf("tickets = %d, want %d", c, n)
	}
	time.Sleep(time.Second)
	if c := e.sink.count(); c != n {
		t.Errorf("replies = %d, want %d", c, n)
	}
	t.Logf("ingested %d mails in %s (%.0f mails/s), all replied in %s; %s, %d CPUs, race detector %v",
		n, ingest.Round(time.Millisecond), float64(n)/ingest.Seconds(), all.Round(time.Millisecond), runtime.GOARCH, runtime.NumCPU(), raceEnabled)

	// IDLE: a customer writes about their ticket.
	tk := e.tickets()[0] // the newest
	var owner string
	e.db.SQL().QueryRow(`SELECT channel_user FROM tickets WHERE id = ?`, tk.ID).Scan(&owner)
	e.eventually("the reader idles", 5*time.Second, func() bool { return strings.Contains(e.logs.String(), "idle=true") })
	time.Sleep(200 * time.Millisecond)
	start = time.Now()
	appendAll(t, d, []string{customerMail{From: owner, Subject: "Re: Case [" + tk.ID + "]", MessageID: "idle@example.net", Body: "Any news?"}.String()})
	e.eventually("the new mail joins the ticket", 10*time.Second, func() bool {
		var conv string
		e.db.SQL().QueryRow(`SELECT conversation_id FROM email_inbound WHERE dedupe_key = 'idle@example.net' AND status = 'done'`).Scan(&conv)
		return conv == tk.ConversationID
	})
	latency := time.Since(start)
	t.Logf("IDLE: new mail for %s handled %s after APPEND", tk.ID, latency.Round(time.Millisecond))
	if latency > 2*time.Second {
		t.Errorf("IDLE latency %s, want under 2s", latency)
	}
	e.eventually("checkpoint at the last UID", 5*time.Second, func() bool {
		cp, _ := e.db.Checkpoint(context.Background(), "INBOX")
		return cp.LastUID == n+1
	})
	c, err := imapclient.DialInsecure(d.Addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Login(imapUser, imapPass).Wait()
	st, err := c.Status("INBOX", &imap.StatusOptions{NumUnseen: true}).Wait()
	if err != nil || *st.NumUnseen != 0 {
		t.Errorf("unseen = %v (%v), want 0", st, err)
	}
}
