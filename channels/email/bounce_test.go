package email

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/ticketing"
)

// dsn is a delivery status report of the mail with Message-ID mid to rcpt.
func dsn(id, mid, rcpt, action string) string {
	return "From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\nTo: " + support + "\nSubject: Undelivered Mail Returned to Sender\n" +
		"Message-ID: <" + id + ">\nAuto-Submitted: auto-replied\nMIME-Version: 1.0\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"r\"\n\n" +
		"--r\nContent-Type: text/plain\n\nThis is the mail system at host mx.example.com.\n\n" +
		"--r\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.com\n\n" +
		"Final-Recipient: rfc822; " + rcpt + "\nOriginal-Recipient: rfc822;" + rcpt + "\nAction: " + action + "\nStatus: 5.1.1\n" +
		"Diagnostic-Code: smtp; 550 5.1.1 <" + rcpt + ">: Recipient address rejected: User unknown\n\n" +
		"--r\nContent-Type: text/rfc822-headers\n\nFrom: Support <" + support + ">\nTo: " + rcpt + "\nSubject: Re: Broken TV\nMessage-ID: <" + mid + ">\n\n--r--\n"
}

// TestBounceReachesTheAgent: our reply to a customer bounces. The bounce is
// recorded automated and answered by nobody, and the agents learn it on the
// case's ticket (to whom, why), instead of waiting for an answer to a mail
// that never arrived. A "delayed" report is not a bounce.
func TestBounceReachesTheAgent(t *testing.T) {
	e := newEnv(t)
	r := e.start()
	defer r.stop(t)
	e.deliver("INBOX", customerMail{From: customer, Subject: "Broken TV", MessageID: "bo1@example.net",
		Body: "I want to talk to a human agent"}.String())
	first := e.waitMails(1)[0]
	e.eventually("a ticket", 5*time.Second, func() bool { return len(e.tickets()) == 1 })
	tk := e.tickets()[0]
	h := first.header(t)
	mid, _ := h.MessageID()

	e.deliver("INBOX", dsn("delay1@mx.example.com", mid, customer, "delayed"))
	e.deliver("INBOX", dsn("dsn1@mx.example.com", mid, customer, "failed"))
	e.eventually("the bounce recorded", 5*time.Second, func() bool {
		s := e.status("dsn1@mx.example.com")
		return s != "" && s != "processing"
	})
	if s := e.status("dsn1@mx.example.com"); s != "automated" {
		t.Errorf("bounce status %q, want automated", s)
	}
	evs, err := e.db.Events(context.Background(), tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	bounces := 0
	for _, ev := range evs {
		if strings.Contains(ev.Note, "bounced") {
			bounces++
			if !strings.Contains(ev.Note, customer) || !strings.Contains(ev.Note, "5.1.1") {
				t.Errorf("the bounce note does not say to whom and why: %q", ev.Note)
			}
		}
	}
	if bounces != 1 {
		t.Errorf("%d bounce notes on %s, want 1 (the delayed report is none): %+v", bounces, tk.ID, evs)
	}
	if !slices.ContainsFunc(e.tickets(), func(x *ticketing.Ticket) bool { return x.ID == tk.ID }) || len(e.tickets()) != 1 {
		t.Errorf("tickets: %d", len(e.tickets()))
	}
	e.settle(1) // nothing answers a bounce
}

// TestBounceWithoutTicketIsRecorded: the bot's answer to a customer's
// question (a conversation with no ticket) bounces. The bounce is recorded
// automated and answered by nobody, and it goes on the conversation, as an
// internal entry of its history (to whom, why), which the customer never
// receives: no mail, nothing pending, no ticket opened for it. The same
// bounce fetched again (another copy) adds nothing.
func TestBounceWithoutTicketIsRecorded(t *testing.T) {
	e := newEnv(t)
	r := e.start()
	defer r.stop(t)
	e.deliver("INBOX", customerMail{From: customer, Subject: "AC-35", MessageID: "nt1@example.net",
		Body: "How do I install the AC-35?"}.String())
	first := e.waitMails(1)[0]
	if n := len(e.tickets()); n != 0 {
		t.Fatalf("%d tickets for a question the bot answered", n)
	}
	h := first.header(t)
	mid, _ := h.MessageID()
	var conv string
	e.db.SQL().QueryRow(`SELECT conversation_id FROM messages WHERE channel = 'email' AND client_id = ?`, "nt1@example.net").Scan(&conv)
	if conv == "" {
		t.Fatal("the customer's mail is not in a conversation")
	}

	e.deliver("INBOX", dsn("dsn9@mx.example.com", mid, customer, "failed"))
	e.deliver("INBOX", dsn("dsn9@mx.example.com", mid, customer, "failed")) // another copy
	e.eventually("the bounce recorded", 5*time.Second, func() bool {
		s := e.status("dsn9@mx.example.com")
		return s != "" && s != "processing"
	})
	if s := e.status("dsn9@mx.example.com"); s != "automated" {
		t.Errorf("bounce status %q, want automated", s)
	}
	var recConv string
	e.db.SQL().QueryRow(`SELECT conversation_id FROM email_inbound WHERE dedupe_key = ?`, "dsn9@mx.example.com").Scan(&recConv)
	if recConv != conv {
		t.Errorf("the bounce's record names conversation %q, want %q", recConv, conv)
	}
	e.settle(1) // nothing answers a bounce, and the entry is mailed to nobody
	hist, err := e.db.History(context.Background(), conv, 0)
	if err != nil {
		t.Fatal(err)
	}
	var entries []dialog.Message
	for _, m := range hist {
		if strings.Contains(m.Text, "bounced") {
			entries = append(entries, m)
		}
	}
	if len(entries) != 1 {
		t.Fatalf("%d bounce entries in the conversation, want 1: %+v", len(entries), hist)
	}
	if m := entries[0]; m.From != dialog.FromSystem || m.Dir != dialog.In || !strings.Contains(m.Text, customer) ||
		!strings.Contains(m.Text, "5.1.1") || !strings.Contains(m.Text, mid) {
		t.Errorf("the bounce entry = %+v", m)
	}
	if n := e.pending(); n != 0 {
		t.Errorf("%d messages pending for the customer", n)
	}
	if n := len(e.tickets()); n != 0 {
		t.Errorf("%d tickets, want none", n)
	}
}
