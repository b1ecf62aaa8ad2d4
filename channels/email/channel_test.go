package email

import (
	"slices"

	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/dialog"

	"github.com/emersion/go-imap/v2"

	"github.com/supportd/supportd/ticketing"
)

const customer = "alice@example.net"

// waitMails waits until the sink holds n mails and returns them.
func (e *env) waitMails(n int) []received {
	e.t.Helper()
	e.eventually(fmt.Sprintf("%d mails sent", n), 10*time.Second, func() bool { return e.sink.count() >= n })
	return e.sink.received()
}

// repairAnswers are the customer's answers after the first mail, as in
// dialog/testdata/transcripts/repair_in_warranty_en.txt: one answer per
// mail, without numbers, answers the first question of each list, so the
// journey is seven mails (TestRepairInFourMails answers by number).
var repairAnswers = []string{"tried that, still broken", "order 88812345678", "no", "no", "no", "yes"}

// journey runs the repair journey by mail from a customer, each mail
// answering the bot's last mail, and returns the last mail received. The
// sink must hold `before` mails when it starts.
func (e *env) journey(from, idPrefix string, before int) received {
	e.t.Helper()
	e.deliver("INBOX", customerMail{From: from, Name: "Alice", Subject: "TV-55X no sound", MessageID: idPrefix + "1@example.net",
		Body: "My TV-55X has no sound, I bought it on 2026-04-10\n\n-- \nAlice\nSent with love"}.String())
	mails := e.waitMails(before + 1)
	last := mails[len(mails)-1]
	for i, a := range repairAnswers {
		e.deliver("INBOX", replyTo(last, e.t, from, fmt.Sprintf("%s%d@example.net", idPrefix, i+2), a))
		mails = e.waitMails(before + i + 2)
		last = mails[len(mails)-1]
	}
	return last
}

// TestRepairJourney: a repair over several mails, each a reply quoting the
// bot's last mail, threads into one conversation and ends in one ticket; the
// replies carry the ticket tag, threading headers and the loop headers.
func TestRepairJourney(t *testing.T) {
	e := newEnv(t)
	e.cfg.MaxAutoRepliesPerDay = 20 // seven bot replies in one day
	r := e.start()
	defer r.stop(t)
	e.deliver("INBOX", customerMail{From: customer, Name: "Alice", Subject: "TV-55X no sound", MessageID: "m1@example.net",
		Body: "My TV-55X has no sound, I bought it on 2026-04-10\n\n-- \nAlice\nSent with love"}.String())
	mails := e.waitMails(1)
	first := mails[0]
	h := first.header(t)
	if got := h.Get("Auto-Submitted"); got != "auto-replied" {
		t.Errorf("Auto-Submitted = %q", got)
	}
	if h.Get(LoopHeader) == "" {
		t.Errorf("no %s header", LoopHeader)
	}
	if irt, _ := h.MsgIDList("In-Reply-To"); len(irt) != 1 || irt[0] != "m1@example.net" {
		t.Errorf("In-Reply-To = %v", irt)
	}
	if subj, _ := h.Subject(); subj != "Re: TV-55X no sound" {
		t.Errorf("subject = %q", subj)
	}
	if txt := first.text(t); !strings.Contains(txt, "Did that solve the problem?") || !strings.Contains(txt, "Reply: Yes / No") {
		t.Errorf("first reply:\n%s", txt)
	}
	if first.To[0] != customer {
		t.Errorf("rcpt = %v", first.To)
	}
	answers := []string{"tried that, still broken", "order 88812345678", "no", "no", "no", "yes"}
	last := first
	for i, a := range answers {
		e.deliver("INBOX", replyTo(last, t, customer, fmt.Sprintf("m%d@example.net", i+2), a))
		mails = e.waitMails(i + 2)
		last = mails[len(mails)-1]
	}
	if n := e.conversations(); n != 1 {
		t.Fatalf("conversations = %d, want 1", n)
	}
	tks := e.tickets()
	if len(tks) != 1 || tks[0].Kind != ticketing.KindRepair || tks[0].ProofRef == "" || tks[0].Model != "TV-55X" {
		t.Fatalf("tickets = %+v", tks)
	}
	tk := tks[0]
	if tk.Channel != "email" || tk.ChannelUser != customer || tk.Customer.Email != customer || tk.Customer.Name != "Alice" {
		t.Errorf("ticket customer = %+v %q %q", tk.Customer, tk.Channel, tk.ChannelUser)
	}
	lh := last.header(t)
	subj, _ := lh.Subject()
	if subj != "Re: TV-55X no sound ["+tk.ID+"]" {
		t.Errorf("last subject = %q", subj)
	}
	if txt := last.text(t); !strings.Contains(txt, "Repair booked, ticket "+tk.ID) {
		t.Errorf("last reply:\n%s", txt)
	}
	// The stored history keeps the quoted text and signature; the bot read
	// the trimmed answer (it understood "no" three times).
	hist, err := e.db.History(t.Context(), tk.ConversationID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(hist[0].Text, "Sent with love") {
		t.Errorf("first stored message lost its signature: %q", hist[0].Text)
	}
	var quoted bool
	for _, m := range hist {
		quoted = quoted || strings.Contains(m.Text, "wrote:")
	}
	if !quoted {
		t.Error("stored messages lost the quoted history")
	}
	for uid := uint32(1); uid <= 7; uid++ {
		if !hasFlag(e.flags("INBOX", uid), imap.FlagSeen) {
			t.Errorf("mail %d not \\Seen", uid)
		}
	}
	if e.pending() != 0 {
		t.Errorf("outbox not drained: %d pending", e.pending())
	}
}

// TestReplyAfterAWeek: a customer answering our last mail a week later
// continues the same conversation and ticket; a new mail tagged with the
// ticket joins it only when it comes from that ticket's customer.
func TestReplyAfterAWeek(t *testing.T) {
	e := newEnv(t)
	e.cfg.MaxAutoRepliesPerDay = 20
	r := e.start()
	defer r.stop(t)
	last := e.journey(customer, "w", 0)
	tk := e.tickets()[0]
	e.clock.Add(7 * 24 * time.Hour)

	e.deliver("INBOX", replyTo(last, t, customer, "later@example.net", "Any news about my repair?"))
	mails := e.waitMails(8)
	h := mails[7].header(t)
	if subj, _ := h.Subject(); !strings.HasSuffix(subj, "["+tk.ID+"]") {
		t.Errorf("subject = %q, want the ticket tag", subj)
	}
	if n := e.conversations(); n != 1 {
		t.Errorf("conversations = %d, want 1", n)
	}
	if n := len(e.tickets()); n != 1 {
		t.Errorf("tickets = %d, want 1", n)
	}
	var conv string
	e.db.SQL().QueryRow(`SELECT conversation_id FROM email_inbound WHERE dedupe_key = 'later@example.net'`).Scan(&conv)
	if conv != tk.ConversationID {
		t.Errorf("the late reply went to %q, want the ticket's conversation %q", conv, tk.ConversationID)
	}

	// A fresh mail with the tag, from the customer: same conversation.
	e.deliver("INBOX", customerMail{From: customer, Subject: "About " + "[" + tk.ID + "]", MessageID: "tagged@example.net", Body: "Hello again"}.String())
	e.waitMails(9)
	e.db.SQL().QueryRow(`SELECT conversation_id FROM email_inbound WHERE dedupe_key = 'tagged@example.net'`).Scan(&conv)
	if conv != tk.ConversationID {
		t.Errorf("tagged mail from the customer went to %q, want %q", conv, tk.ConversationID)
	}
	// The same tag from someone else: a conversation of their own.
	e.deliver("INBOX", customerMail{From: "mallory@example.org", Subject: "Re: [" + tk.ID + "]", MessageID: "foreign@example.org", Body: "Cancel that repair"}.String())
	e.waitMails(10)
	e.db.SQL().QueryRow(`SELECT conversation_id FROM email_inbound WHERE dedupe_key = 'foreign@example.org'`).Scan(&conv)
	if conv == tk.ConversationID || conv == "" {
		t.Errorf("a stranger's tagged mail went to %q (the ticket's is %q)", conv, tk.ConversationID)
	}
	if n := e.conversations(); n != 2 {
		t.Errorf("conversations = %d, want 2", n)
	}
}

// TestAgentReply: an agent's reply goes out through the same outbox, in
// the thread, without the automatic-mail headers and past the daily cap.
func TestAgentReply(t *testing.T) {
	e := newEnv(t)
	e.cfg.MaxAutoRepliesPerDay = 7 // the journey uses them all
	r := e.start()
	defer r.stop(t)
	last := e.journey(customer, "a", 0)
	tk := e.tickets()[0]
	ctx := t.Context()
	if _, err := e.eng.Act(ctx, dialog.Action{Kind: dialog.ActClaim, TicketID: tk.ID, Agent: "wang", Channel: "cli"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.eng.Act(ctx, dialog.Action{Kind: dialog.ActReply, TicketID: tk.ID, Agent: "wang", Channel: "cli", Text: "A courier will pick it up tomorrow."}); err != nil {
		t.Fatal(err)
	}
	mails := e.waitMails(8)
	var agent *received
	for i := range mails[7:] {
		if strings.Contains(mails[7+i].text(t), "courier") {
			agent = &mails[7+i]
		}
	}
	if agent == nil {
		t.Fatalf("no agent reply among %d mails", len(mails))
	}
	h := agent.header(t)
	if h.Has("Auto-Submitted") || h.Has(LoopHeader) {
		t.Errorf("agent reply has automatic headers: %v", h.Header.Map())
	}
	lh := last.header(t)
	lastID, _ := lh.MessageID()
	if refs, _ := h.MsgIDList("References"); !slices.Contains(refs, lastID) {
		t.Errorf("References %v lack our last mail %s", refs, lastID)
	}
	if subj, _ := h.Subject(); !strings.HasSuffix(subj, "["+tk.ID+"]") {
		t.Errorf("subject = %q", subj)
	}
}

// TestDuplicates: the same Message-ID delivered twice, and to two
// mailboxes, is one turn and one reply.
func TestDuplicates(t *testing.T) {
	e := newEnv(t)
	if err := e.mem.Create("Complaints", nil); err != nil {
		t.Fatal(err)
	}
	e.cfg.Mailboxes = []config.Mailbox{{Name: "INBOX"}, {Name: "Complaints", Kind: "complaint"}}
	m := customerMail{From: customer, Subject: "Broken fridge", MessageID: "dup@example.net", Body: "My fridge RF-400 stopped cooling"}.String()
	e.deliver("INBOX", m)
	e.deliver("INBOX", m)
	e.deliver("Complaints", m)
	r := e.start()
	defer r.stop(t)
	e.eventually("three mails seen", 5*time.Second, func() bool {
		return hasFlag(e.flags("INBOX", 2), imap.FlagSeen) && hasFlag(e.flags("Complaints", 1), imap.FlagSeen)
	})
	e.waitMails(1)
	time.Sleep(300 * time.Millisecond) // a second reply would come within a sweep
	if n := e.inboundTurns(); n != 1 {
		t.Errorf("inbound messages = %d, want 1", n)
	}
	if n := e.sink.count(); n != 1 {
		t.Errorf("replies = %d, want 1", n)
	}
}

// TestMissingMessageID: three different mails without Message-ID are three
// conversations; the same one delivered twice is still one.
func TestMissingMessageID(t *testing.T) {
	e := newEnv(t)
	for i, body := range []string{"My TV-55X has no sound", "How do I install the AC-35?", "I want to return my kettle"} {
		m := customerMail{From: customer, Subject: fmt.Sprintf("Question %d", i), Body: body}.String()
		e.deliver("INBOX", m)
		if i == 0 {
			e.deliver("INBOX", "Received: from mx2.example.net by mx.shop.example\n"+m) // the same mail, by another route
		}
	}
	r := e.start()
	defer r.stop(t)
	e.waitMails(3)
	e.eventually("all four handled", 5*time.Second, func() bool { return e.count(`SELECT count(*) FROM email_inbound`) == 3 })
	if n := e.conversations(); n != 3 {
		t.Errorf("conversations = %d, want 3", n)
	}
	if n := e.count(`SELECT count(*) FROM email_inbound WHERE dedupe_key LIKE 'sha256:%' AND dedupe_key <> 'sha256:'`); n != 3 {
		t.Errorf("hash keys = %d, want 3", n)
	}
	time.Sleep(300 * time.Millisecond)
	if n := e.sink.count(); n != 3 {
		t.Errorf("replies = %d, want 3", n)
	}
}

// TestReplyToIsTheCustomer: a contact form relays the customer's mail from
// its no-reply address with the customer in Reply-To: the mail is answered,
// to the customer, and the conversation is theirs; a Reply-To naming the
// support address itself is not followed (the reply goes to From).
func TestReplyToIsTheCustomer(t *testing.T) {
	e := newEnv(t)
	r := e.start()
	defer r.stop(t)
	e.deliver("INBOX", "From: Shop website <noreply@shop-forms.example>\nReply-To: Li Lei <LiLei@example.net>\nTo: "+support+
		"\nSubject: Contact form\nMessage-ID: <form1@shop-forms.example>\n\nMy TV-55X has no sound, I bought it on 2026-04-10\n")
	first := e.waitMails(1)[0]
	h := first.header(t)
	if to := h.Get("To"); !strings.Contains(to, "lilei@example.net") || len(first.To) != 1 || first.To[0] != "lilei@example.net" {
		t.Errorf("reply went to %v (To: %s), want the Reply-To address", first.To, to)
	}
	if n := e.count(`SELECT COUNT(*) FROM conversations WHERE channel_user = 'lilei@example.net'`); n != 1 {
		t.Errorf("conversations of lilei@example.net = %d, want 1", n)
	}
	e.deliver("INBOX", "From: "+customer+"\nReply-To: "+support+"\nTo: "+support+
		"\nSubject: Question\nMessage-ID: <rt2@example.net>\n\nMy TV-55X has no sound, I bought it on 2026-04-10\n")
	if second := e.waitMails(2)[1]; len(second.To) != 1 || second.To[0] != customer {
		t.Errorf("reply went to %v, want From (%s): Reply-To names the support address", second.To, customer)
	}
}
