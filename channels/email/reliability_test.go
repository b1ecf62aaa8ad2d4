package email

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"

	"github.com/supportd/supportd/channels/email/mailstore"
)

// crashed waits for Run to end with the test hooks' simulated crash.
func (r *running) crashed(t *testing.T) {
	t.Helper()
	select {
	case err := <-r.done:
		if !errors.Is(err, errStop) {
			t.Fatalf("Run = %v, want the simulated crash", err)
		}
		r.cancel()
		r.cancel = nil
	case <-time.After(10 * time.Second):
		t.Fatal("no crash")
	}
}

// TestCrashBeforeFlag (RELIABILITY 1): the process dies after the turn that
// books the repair committed and before the mail is flagged: after a
// restart there is exactly one ticket and one confirmation mail.
func TestCrashBeforeFlag(t *testing.T) {
	for _, tc := range []struct {
		name string
		hook func(c *Channel, f func(string) error)
	}{
		{"after the turn, before the record", func(c *Channel, f func(string) error) { c.afterTurn = f }},
		{"after the record, before the flag", func(c *Channel, f func(string) error) { c.afterRecord = f }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.cfg.MaxAutoRepliesPerDay = 20
			e.opts.SendInterval = time.Hour // only what the engine's notice sends goes out before the crash
			crashOn := "c7@example.net"     // the "yes" that books the repair
			r := e.start(func(c *Channel) {
				tc.hook(c, func(key string) error {
					if key == crashOn {
						return errStop
					}
					return nil
				})
			})
			e.deliver("INBOX", customerMail{From: customer, Subject: "TV-55X no sound", MessageID: "c1@example.net",
				Body: "My TV-55X has no sound, I bought it on 2026-04-10"}.String())
			last := e.waitMails(1)[0]
			for i, a := range repairAnswers {
				uid := e.deliver("INBOX", replyTo(last, t, customer, fmt.Sprintf("c%d@example.net", i+2), a))
				if i == len(repairAnswers)-1 {
					r.crashed(t)
					if hasFlag(e.flags("INBOX", uid), imap.FlagSeen) {
						t.Fatal("the crashed mail was flagged")
					}
					break
				}
				mails := e.waitMails(i + 2)
				last = mails[len(mails)-1]
			}
			if n := len(e.tickets()); n != 1 {
				t.Fatalf("tickets after the crash = %d, want 1 (the turn committed)", n)
			}
			r2 := e.start()
			defer r2.stop(t)
			e.eventually("the mail flagged after the restart", 5*time.Second, func() bool { return hasFlag(e.flags("INBOX", 7), imap.FlagSeen) })
			e.eventually("outbox drained", 5*time.Second, func() bool { return e.pending() == 0 })
			time.Sleep(300 * time.Millisecond)
			if n := len(e.tickets()); n != 1 {
				t.Errorf("tickets = %d, want 1", n)
			}
			booked := 0
			for _, m := range e.sink.received() {
				if strings.Contains(m.text(t), "Repair booked") {
					booked++
				}
			}
			if booked != 1 {
				t.Errorf("confirmation mails = %d, want 1", booked)
			}
			if n := e.inboundTurns(); n != 7 {
				t.Errorf("inbound messages = %d, want 7", n)
			}
		})
	}
}

// TestExpungeMidFetch (RELIABILITY 6): another client expunges mails
// between our search and our fetch: no error, and every mail handled is
// matched to its own content.
func TestExpungeMidFetch(t *testing.T) {
	e := newEnv(t)
	for i := 1; i <= 5; i++ {
		e.deliver("INBOX", customerMail{From: fmt.Sprintf("c%d@example.net", i), Subject: fmt.Sprintf("Case %d", i),
			MessageID: fmt.Sprintf("x%d@example.net", i), Body: fmt.Sprintf("How do I install the AC-35? (case %d)", i)}.String())
	}
	other := e.client()
	if _, err := other.Select("INBOX", nil).Wait(); err != nil {
		t.Fatal(err)
	}
	first := true
	r := e.start(func(c *Channel) {
		c.beforeFetch = func(_ string, uids []uint32) {
			if !first || len(uids) != 5 {
				return
			}
			first = false
			set := imap.UIDSetNum(2, 4)
			if err := other.Store(set, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Flags: []imap.Flag{imap.FlagDeleted}, Silent: true}, nil).Close(); err != nil {
				t.Error(err)
			}
			if err := other.UIDExpunge(set).Close(); err != nil {
				t.Error(err)
			}
		}
	})
	defer r.stop(t)
	e.waitMails(3)
	e.eventually("checkpoint at 5", 5*time.Second, func() bool {
		cp, _ := e.db.Checkpoint(context.Background(), "INBOX")
		return cp.LastUID == 5
	})
	rows, err := e.db.SQL().Query(`SELECT i.dedupe_key, m.data ->> '$.text' FROM email_inbound i
		JOIN messages m ON m.conversation_id = i.conversation_id AND m.client_id = i.dedupe_key`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var key, text string
		if err := rows.Scan(&key, &text); err != nil {
			t.Fatal(err)
		}
		n++
		num := strings.TrimSuffix(strings.TrimPrefix(key, "x"), "@example.net")
		if !strings.Contains(text, "(case "+num+")") {
			t.Errorf("mail %s stored with another mail's content: %q", key, text)
		}
		if num == "2" || num == "4" {
			t.Errorf("expunged mail %s was handled", key)
		}
	}
	if n != 3 {
		t.Errorf("handled = %d, want 3", n)
	}
	if strings.Contains(e.logs.String(), "level=ERROR") {
		t.Errorf("errors logged:\n%s", e.logs.String())
	}
}

// TestPoisonQuarantined (RELIABILITY 7): broken MIME, an oversized mail
// and a mail whose turn keeps failing are quarantined after bounded
// attempts, and the mail after them is processed.
func TestPoisonQuarantined(t *testing.T) {
	e := newEnv(t)
	e.cfg.MaxMessageBytes = 64 << 10
	e.cfg.MaxAttachmentBytes = 16 << 10
	broken := "From: " + customer + "\nSubject: broken\nMessage-ID: <broken@example.net>\nMIME-Version: 1.0\n" +
		"Content-Type: multipart/mixed; boundary=\"zz\"\n\n--zz\nContent-Type: text/plain\n\nhello\n--zz\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\n!!!! not base64 ****\n"
	huge := customerMail{From: customer, Subject: "huge", MessageID: "huge@example.net", Body: strings.Repeat("x", 100<<10)}.String()
	stuck := customerMail{From: customer, Subject: "stuck", MessageID: "stuck@example.net", Body: "My TV-55X has no sound"}.String()
	good := customerMail{From: "bob@example.net", Subject: "fine", MessageID: "good@example.net", Body: "How do I install the AC-35?"}.String()
	uBroken := e.deliver("INBOX", broken)
	uHuge := e.deliver("INBOX", huge)
	uStuck := e.deliver("INBOX", stuck)
	uGood := e.deliver("INBOX", good)
	attempts := 0
	r := e.start(func(c *Channel) {
		c.beforeTurn = func(key string) error {
			if key == "stuck@example.net" {
				attempts++
				return errors.New("database on fire")
			}
			return nil
		}
	})
	defer r.stop(t)
	e.waitMails(1)
	e.eventually("all quarantined", 5*time.Second, func() bool {
		return e.count(`SELECT count(*) FROM email_inbound WHERE status = 'quarantined'`) == 3
	})
	for _, k := range []string{"broken@example.net", "huge@example.net", "stuck@example.net"} {
		var raw []byte
		var reason string
		if err := e.db.SQL().QueryRow(`SELECT raw, reason FROM email_inbound WHERE dedupe_key = ?`, k).Scan(&raw, &reason); err != nil {
			t.Fatal(k, err)
		}
		if len(raw) == 0 || reason == "" {
			t.Errorf("%s: raw %d bytes, reason %q", k, len(raw), reason)
		}
	}
	if attempts != e.cfg.MaxAttempts && attempts != 3 {
		t.Errorf("attempts at the stuck mail = %d, want 3", attempts)
	}
	for _, u := range []uint32{uBroken, uHuge, uStuck} {
		// The record commits before the flags are stored on the server.
		e.eventually(fmt.Sprintf("uid %d flagged quarantined", u), 5*time.Second, func() bool {
			fs := e.flags("INBOX", u)
			return hasFlag(fs, quarantineFlag) && hasFlag(fs, imap.FlagFlagged)
		})
	}
	if !hasFlag(e.flags("INBOX", uGood), imap.FlagSeen) || e.status("good@example.net") != mailstore.StatusDone {
		t.Error("the good mail after the poison was not processed")
	}
	e.eventually("checkpoint past all", 5*time.Second, func() bool {
		cp, _ := e.db.Checkpoint(context.Background(), "INBOX")
		return cp.LastUID == uGood
	})
}

// TestAutomatedMailNotAnswered (RELIABILITY 9): automatic mail is recorded,
// with its raw copy, and never answered.
func TestAutomatedMailNotAnswered(t *testing.T) {
	cases := []struct{ name, from, extra, ctype string }{
		{"auto-submitted auto-replied", customer, "Auto-Submitted: auto-replied\n", ""},
		{"auto-submitted auto-generated", customer, "Auto-Submitted: auto-generated; owner-email=\"x@y\"\n", ""},
		{"precedence bulk", customer, "Precedence: bulk\n", ""},
		{"precedence list", customer, "Precedence: list\n", ""},
		{"precedence junk", customer, "Precedence: junk\n", ""},
		{"list-id", customer, "List-Id: <news.example.net>\n", ""},
		{"empty return-path", customer, "Return-Path: <>\n", ""},
		{"delivery status report", "postmaster@mx.example.net", "", "multipart/report; report-type=delivery-status; boundary=\"b\""},
		{"mailer-daemon", "MAILER-DAEMON@mx.example.net", "", ""},
		{"noreply sender", "noreply@shop.example.org", "", ""},
		{"no-reply sender", "no-reply@example.org", "", ""},
		{"x-auto-response-suppress", customer, "X-Auto-Response-Suppress: All\n", ""},
		// Automatic replies without the RFC 3834 headers.
		{"exchange inbox rule of the sender", customer, "X-MS-Exchange-Inbox-Rules-Loop: " + customer + "\nX-MS-Exchange-Generated-Message-Source: Mailbox Rules Agent\n", ""},
		{"x-loop", customer, "X-Loop: desk@vendor.example\n", ""},
		{"x-loop empty", customer, "X-Loop:\n", ""},
		{"x-autoreply", customer, "X-Autoreply: yes\n", ""},
		{"x-autorespond", customer, "X-Autorespond: Re: TV\n", ""},
	}
	e := newEnv(t)
	for i, tc := range cases {
		m := customerMail{From: tc.from, Subject: "Automatic: " + tc.name, MessageID: fmt.Sprintf("auto%d@example.net", i),
			Extra: tc.extra, Body: "My TV-55X has no sound"}.String()
		if tc.ctype != "" {
			m = strings.Replace(m, "Content-Type: text/plain; charset=utf-8\n\n",
				"Content-Type: "+tc.ctype+"\n\n--b\nContent-Type: text/plain\n\nDelivery failed\n--b\nContent-Type: message/delivery-status\n\nStatus: 5.1.1\n--b--\n", 1)
		}
		e.deliver("INBOX", m)
	}
	// People's mail: "Auto-Submitted: no", and Outlook's own X- headers.
	e.deliver("INBOX", customerMail{From: customer, Subject: "human", MessageID: "human@example.net",
		Extra: "Auto-Submitted: no\n", Body: "How do I install the AC-35?"}.String())
	control := e.deliver("INBOX", customerMail{From: "john.smith@contoso.example", Subject: "human too", MessageID: "human2@contoso.example",
		Extra: "X-MS-Has-Attach:\nX-MS-Exchange-Organization-SCL: 1\nX-Originating-IP: [203.0.113.7]\nX-Mailer: Microsoft Outlook 16.0\n",
		Body:  "How do I install the AC-35?"}.String())
	// A customer's mail that another mailbox's inbox rule redirected here
	// carries the rule's headers, naming that mailbox: it is answered.
	e.deliver("INBOX", customerMail{From: "wang.lei@example.org", Subject: "redirected", MessageID: "redirected@example.org",
		Extra: "X-MS-Exchange-Inbox-Rules-Loop: info@shop.example\nX-MS-Exchange-Generated-Message-Source: Mailbox Rules Agent\n",
		Body:  "How do I install the AC-35?"}.String())
	r := e.start()
	defer r.stop(t)
	e.eventually("all read", 5*time.Second, func() bool { return hasFlag(e.flags("INBOX", control), imap.FlagSeen) })
	e.waitMails(3) // the control mails' answers
	time.Sleep(300 * time.Millisecond)
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			key := fmt.Sprintf("auto%d@example.net", i)
			if st := e.status(key); st != mailstore.StatusAutomated {
				t.Errorf("status = %q, want automated", st)
			}
			var raw []byte
			e.db.SQL().QueryRow(`SELECT raw FROM email_inbound WHERE dedupe_key = ?`, key).Scan(&raw)
			if len(raw) == 0 {
				t.Error("raw copy not kept for audit")
			}
		})
	}
	if n := e.sink.count(); n != 3 {
		t.Errorf("replies = %d, want 3 (the control mails')", n)
	}
	if n := e.conversations(); n != 3 {
		t.Errorf("conversations = %d, want 3", n)
	}
}

// TestOwnMailIgnored (RELIABILITY 10): our own mail fetched back is ignored.
func TestOwnMailIgnored(t *testing.T) {
	e := newEnv(t)
	cases := []customerMail{
		{From: "someone@example.net", Subject: "loop header", MessageID: "own1@example.net", Extra: LoopHeader + ": " + support + "\n", Body: "Hi"},
		{From: support, Subject: "from ourselves", MessageID: "own2@example.net", Body: "Hi"},
		{From: "cc@example.net", Subject: "our id", MessageID: "supportd.c_123.4@shop.example", Body: "Hi"},
	}
	var last uint32
	for _, m := range cases {
		last = e.deliver("INBOX", m.String())
	}
	r := e.start()
	defer r.stop(t)
	e.eventually("all read", 5*time.Second, func() bool { return hasFlag(e.flags("INBOX", last), imap.FlagSeen) })
	time.Sleep(300 * time.Millisecond)
	for _, m := range cases {
		if st := e.status(m.MessageID); st != mailstore.StatusOwn {
			t.Errorf("%s: status %q, want own", m.Subject, st)
		}
	}
	if e.sink.count() != 0 || e.conversations() != 0 {
		t.Errorf("replies %d, conversations %d; want none", e.sink.count(), e.conversations())
	}
}

// TestVacationResponderCapped (RELIABILITY 11): a responder that answers
// every mail, without RFC 3834 headers, gets at most K automatic replies a
// day; the loop stops by itself.
func TestVacationResponderCapped(t *testing.T) {
	e := newEnv(t)
	const k = 3
	e.cfg.MaxAutoRepliesPerDay = k
	r := e.start()
	defer r.stop(t)
	e.deliver("INBOX", customerMail{From: "bob@example.net", Subject: "TV", MessageID: "v0@example.net", Body: "My TV-55X has no sound"}.String())
	// The responder answers every reply until the gateway records a capped
	// one: that record, not a quiet spell, ends the loop, so a slow machine
	// cannot cut it short.
	answered := 0
	capped := func() bool { return e.count(`SELECT count(*) FROM email_outbound WHERE status = 'capped'`) > 0 }
	for deadline := time.Now().Add(60 * time.Second); !capped(); {
		if time.Now().After(deadline) {
			t.Fatalf("no capped reply after %d answers", answered)
		}
		for _, m := range e.sink.received()[answered:] {
			answered++
			e.deliver("INBOX", replyTo(m, t, "bob@example.net", fmt.Sprintf("v%d@example.net", answered),
				"I am out of the office until Monday and will read your mail then."))
		}
		if answered > 20 {
			t.Fatal("the loop does not stop")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if n := e.sink.count(); n != k {
		t.Errorf("automatic replies = %d, want the cap %d", n, k)
	}
	if n := e.count(`SELECT count(*) FROM email_outbound WHERE status = 'capped'`); n < 1 {
		t.Errorf("capped records = %d, want some", n)
	}
	// A day later the cap is lifted.
	e.clock.Add(25 * time.Hour)
	e.deliver("INBOX", customerMail{From: "bob@example.net", Subject: "back", MessageID: "back@example.net", Body: "How do I install the AC-35?"}.String())
	e.waitMails(k + 1)
}

// TestUIDValidityChange (RELIABILITY 3): the mailbox is recreated with a
// new UIDVALIDITY and the same mails: nothing is handled twice.
func TestUIDValidityChange(t *testing.T) {
	e := newEnv(t)
	var mails []string
	for i := 1; i <= 3; i++ {
		m := customerMail{From: fmt.Sprintf("u%d@example.net", i), Subject: "Question", MessageID: fmt.Sprintf("uv%d@example.net", i), Body: "How do I install the AC-35?"}.String()
		if i == 3 {
			m = customerMail{From: "u3@example.net", Subject: "No id", Body: "How do I install the AC-35?"}.String()
		}
		mails = append(mails, m)
		e.deliver("INBOX", m)
	}
	r := e.start()
	e.waitMails(3)
	e.eventually("checkpoint at 3", 5*time.Second, func() bool { cp, _ := e.db.Checkpoint(context.Background(), "INBOX"); return cp.LastUID == 3 })
	r.stop(t)
	old, _ := e.db.Checkpoint(context.Background(), "INBOX")

	if err := e.mem.Delete("INBOX"); err != nil {
		t.Fatal(err)
	}
	if err := e.mem.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	for _, m := range mails {
		e.deliver("INBOX", m)
	}
	e.deliver("INBOX", customerMail{From: "u4@example.net", Subject: "New", MessageID: "uv4@example.net", Body: "How do I install the AC-35?"}.String())
	r2 := e.start()
	defer r2.stop(t)
	e.waitMails(4)
	e.eventually("new checkpoint", 5*time.Second, func() bool {
		cp, _ := e.db.Checkpoint(context.Background(), "INBOX")
		return cp.UIDValidity != old.UIDValidity && cp.LastUID == 4
	})
	time.Sleep(300 * time.Millisecond)
	if n := e.inboundTurns(); n != 4 {
		t.Errorf("inbound messages = %d, want 4", n)
	}
	if n := e.sink.count(); n != 4 {
		t.Errorf("replies = %d, want 4", n)
	}
	if !strings.Contains(e.logs.String(), "UIDVALIDITY changed") {
		t.Error("the UIDVALIDITY change was not logged")
	}
}

// TestDeletedConversationNotReimported (RELIABILITY 8): a mail whose
// conversation was deleted is not imported again when the mailbox is read
// from the start.
func TestDeletedConversationNotReimported(t *testing.T) {
	e := newEnv(t)
	e.deliver("INBOX", customerMail{From: customer, Subject: "Q", MessageID: "del@example.net", Body: "How do I install the AC-35?"}.String())
	r := e.start()
	e.waitMails(1)
	e.eventually("flagged", 5*time.Second, func() bool { return hasFlag(e.flags("INBOX", 1), imap.FlagSeen) })
	r.stop(t)
	err := e.db.WriteTx(context.Background(), func(_ context.Context, tx *sql.Tx) error {
		if _, err := tx.Exec(`DELETE FROM messages WHERE channel = 'email'`); err != nil {
			return err
		}
		_, err := tx.Exec(`DELETE FROM conversations WHERE channel = 'email'`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.SetCheckpoint(context.Background(), "INBOX", mailstore.Checkpoint{}); err != nil {
		t.Fatal(err)
	}
	r2 := e.start()
	defer r2.stop(t)
	e.eventually("read again", 5*time.Second, func() bool { cp, _ := e.db.Checkpoint(context.Background(), "INBOX"); return cp.LastUID == 1 })
	time.Sleep(200 * time.Millisecond)
	if n := e.conversations(); n != 0 {
		t.Errorf("conversations = %d, want 0: the mail was imported again", n)
	}
}
