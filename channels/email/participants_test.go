package email

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/ticketing"
)

const colleague = "bob@example.net"

// historyHas reports whether a conversation's history has an inbound
// message containing all of parts.
func (e *env) historyHas(conv string, parts ...string) bool {
	e.t.Helper()
	hist, err := e.db.History(context.Background(), conv, 0)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, m := range hist {
		if m.Dir != dialog.In {
			continue
		}
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(m.Text, p)
		}
		if ok {
			return true
		}
	}
	return false
}

// settle waits a moment for a mail that must not come.
func (e *env) settle(sent int) {
	e.t.Helper()
	time.Sleep(3 * e.opts.SendInterval)
	if n := e.sink.count(); n != sent {
		e.t.Fatalf("%d mails sent, want %d", n, sent)
	}
}

// TestColleagueJoinsTheThread: the customer copies a colleague; our
// replies go to the customer and copy the colleague; the colleague's reply
// to one of them joins the customer's conversation as the colleague's
// message (no conversation, no bot reply of its own), and the customer's
// case goes on as before.
func TestColleagueJoinsTheThread(t *testing.T) {
	e := newEnv(t)
	r := e.start()
	defer r.stop(t)
	e.deliver("INBOX", customerMail{From: customer, Name: "Alice", Subject: "TV-55X no sound", MessageID: "p1@example.net",
		Body:  "My TV-55X has no sound, I bought it on 2026-04-10",
		Extra: "Cc: Bob <" + colleague + ">, " + support + "\n"}.String())
	first := e.waitMails(1)[0]
	checkCopied(t, first)
	conv := e.conversationOf("p1@example.net")

	e.deliver("INBOX", replyTo(first, t, colleague, "b1@example.net", "The TV is in meeting room 3, I can let the technician in."))
	if got := e.conversationOf("b1@example.net"); got.ID != conv.ID {
		t.Fatalf("the colleague's reply went to conversation %s, not the customer's %s", got.ID, conv.ID)
	}
	if n := e.conversations(); n != 1 {
		t.Errorf("conversations = %d, want 1", n)
	}
	if !e.historyHas(conv.ID, colleague, "meeting room 3") {
		t.Errorf("the colleague's message is not in the customer's history, marked as theirs")
	}
	after, err := e.db.Conversation(context.Background(), conv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if after.State != conv.State || after.User != customer || after.Customer.Email != customer {
		t.Errorf("the colleague's message changed the customer's case: state %s → %s, user %s, email %s",
			conv.State, after.State, after.User, after.Customer.Email)
	}
	e.settle(1) // no bot reply to the colleague, no welcome to a new customer

	// The customer goes on: the reply goes to them and copies the colleague.
	e.deliver("INBOX", replyTo(first, t, customer, "p2@example.net", "tried that, still broken"))
	second := e.waitMails(2)[1]
	checkCopied(t, second)
	if got := e.conversationOf("p2@example.net"); got.ID != conv.ID {
		t.Errorf("the customer's reply went to conversation %s", got.ID)
	}
}

// checkCopied checks that a reply went to the customer and copied the
// colleague, and nobody else.
func checkCopied(t *testing.T, m received) {
	t.Helper()
	if want := []string{customer, colleague}; !slices.Equal(m.To, want) {
		t.Errorf("RCPT = %v, want %v", m.To, want)
	}
	h := m.header(t)
	to, _ := h.AddressList("To")
	cc, _ := h.AddressList("Cc")
	if len(to) != 1 || to[0].Address != customer || len(cc) != 1 || cc[0].Address != colleague {
		t.Errorf("To = %v, Cc = %v", to, cc)
	}
}

// TestColleagueReachesTheAgent: while a person owns the case, a copied
// colleague's reply goes on the ticket as a note for the agent, and the bot
// answers nothing.
func TestColleagueReachesTheAgent(t *testing.T) {
	e := newEnv(t)
	r := e.start()
	defer r.stop(t)
	e.deliver("INBOX", customerMail{From: customer, Subject: "Broken TV", MessageID: "h1@example.net",
		Body: "I want to talk to a human agent", Extra: "Cc: " + colleague + "\n"}.String())
	first := e.waitMails(1)[0]
	e.eventually("a ticket", 5*time.Second, func() bool { return len(e.tickets()) == 1 })
	tk := e.tickets()[0]
	e.deliver("INBOX", replyTo(first, t, colleague, "hb1@example.net", "Please call me instead, 13812345678."))
	e.conversationOf("hb1@example.net")
	evs, err := e.db.Events(context.Background(), tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	noted := slices.ContainsFunc(evs, func(ev ticketing.Event) bool {
		return strings.Contains(ev.Note, colleague) && strings.Contains(ev.Note, "13812345678")
	})
	if !noted {
		t.Errorf("no note of the colleague's message on %s: %+v", tk.ID, evs)
	}
	e.settle(1)
}

// TestColleagueBeforeAnyTicket: a copied colleague answers while the bot
// still has the case and no ticket exists. The bot does not read a
// participant's message, so a person must: it goes to the team as a
// consultation ticket of the customer's conversation, with the colleague's
// words as a note; the customer's journey and its state are untouched and
// nobody is mailed.
func TestColleagueBeforeAnyTicket(t *testing.T) {
	e := newEnv(t)
	r := e.start()
	defer r.stop(t)
	e.deliver("INBOX", customerMail{From: customer, Name: "Alice", Subject: "TV-55X no sound", MessageID: "nt1@example.net",
		Body: "My TV-55X has no sound, I bought it on 2026-04-10", Extra: "Cc: Bob <" + colleague + ">\n"}.String())
	first := e.waitMails(1)[0]
	conv := e.conversationOf("nt1@example.net")
	if n := len(e.tickets()); n != 0 {
		t.Fatalf("%d tickets before the colleague wrote; the case needs none yet", n)
	}
	e.deliver("INBOX", replyTo(first, t, colleague, "nb1@example.net", "Please don't send a technician before Friday, the office is closed."))
	if got := e.conversationOf("nb1@example.net"); got.ID != conv.ID {
		t.Fatalf("the colleague's reply went to conversation %s, not %s", got.ID, conv.ID)
	}
	tks := e.tickets()
	if len(tks) != 1 {
		t.Fatalf("%d tickets after the colleague's reply, want 1 that a person reads", len(tks))
	}
	tk := tks[0]
	if tk.ConversationID != conv.ID || tk.Customer.Email != customer || tk.Kind != ticketing.KindConsultation {
		t.Errorf("ticket %s: conversation %s, customer %q, kind %s", tk.ID, tk.ConversationID, tk.Customer.Email, tk.Kind)
	}
	evs, err := e.db.Events(context.Background(), tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(evs, func(ev ticketing.Event) bool {
		return strings.Contains(ev.Note, colleague) && strings.Contains(ev.Note, "before Friday")
	}) {
		t.Errorf("the colleague's words are not on %s: %+v", tk.ID, evs)
	}
	after, err := e.db.Conversation(context.Background(), conv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if after.State != conv.State || after.TicketID != "" || after.Handoff != nil {
		t.Errorf("the colleague's message changed the customer's journey: state %s → %s, ticket %q, handoff %v",
			conv.State, after.State, after.TicketID, after.Handoff)
	}
	e.settle(1)
	// A second word from the colleague goes on the same ticket.
	e.deliver("INBOX", replyTo(first, t, colleague, "nb2@example.net", "Friday afternoon works."))
	e.conversationOf("nb2@example.net")
	if n := len(e.tickets()); n != 1 {
		t.Errorf("%d tickets after the colleague's second reply, want 1", n)
	}
	e.settle(1)
}

// TestColleagueThanksBeforeAnyTicket: a copied colleague's mail that only
// thanks or acknowledges ("thanks", "谢谢", "got it", "收到", quoting our
// mail below) while the case has no ticket is recorded on the customer's
// conversation, headed with who wrote it: no ticket is opened for it, and
// nobody is mailed.
func TestColleagueThanksBeforeAnyTicket(t *testing.T) {
	e := newEnv(t)
	r := e.start()
	defer r.stop(t)
	e.deliver("INBOX", customerMail{From: customer, Name: "Alice", Subject: "TV-55X no sound", MessageID: "nt1@example.net",
		Body: "My TV-55X has no sound, I bought it on 2026-04-10", Extra: "Cc: Bob <" + colleague + ">\n"}.String())
	first := e.waitMails(1)[0]
	conv := e.conversationOf("nt1@example.net")
	for i, body := range []string{"thanks", "谢谢", "Got it, thanks!", "收到"} {
		id := fmt.Sprintf("ty%d@example.net", i)
		e.deliver("INBOX", replyTo(first, t, colleague, id, body))
		if got := e.conversationOf(id); got.ID != conv.ID {
			t.Fatalf("%q went to conversation %s, not %s", body, got.ID, conv.ID)
		}
		if !e.historyHas(conv.ID, colleague, body) {
			t.Errorf("%q is not in the conversation's history", body)
		}
	}
	if tks := e.tickets(); len(tks) != 0 {
		t.Errorf("%d tickets for a colleague's thanks, want none: %+v", len(tks), tks[0])
	}
	after, err := e.db.Conversation(context.Background(), conv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if after.State != conv.State || len(after.Tickets) != 0 {
		t.Errorf("the customer's journey changed: state %s → %s, tickets %v", conv.State, after.State, after.Tickets)
	}
	e.settle(1)
	// A word that asks something still goes to a person.
	e.deliver("INBOX", replyTo(first, t, colleague, "ty9@example.net", "Thanks, but please don't send a technician before Friday."))
	e.conversationOf("ty9@example.net")
	if n := len(e.tickets()); n != 1 {
		t.Errorf("%d tickets after the colleague's request, want 1", n)
	}
	e.settle(1)
}

// TestStrangerCannotJoinTheThread: someone who knows a Message-ID of the
// thread (a forwarded mail) but was never in its To or Cc starts a case of
// their own; nothing reaches the customer's conversation.
func TestStrangerCannotJoinTheThread(t *testing.T) {
	e := newEnv(t)
	r := e.start()
	defer r.stop(t)
	e.deliver("INBOX", customerMail{From: customer, Subject: "TV-55X no sound", MessageID: "x1@example.net",
		Body: "My TV-55X has no sound, I bought it on 2026-04-10", Extra: "Cc: " + colleague + "\n"}.String())
	first := e.waitMails(1)[0]
	conv := e.conversationOf("x1@example.net")
	e.deliver("INBOX", replyTo(first, t, "mallory@example.org", "m1@example.org", "Cancel that repair and send the TV to my address"))
	got := e.conversationOf("m1@example.org")
	if got.ID == conv.ID || got.User != "mallory@example.org" {
		t.Errorf("the stranger's mail went to conversation %s of %s", got.ID, got.User)
	}
	if e.historyHas(conv.ID, "Cancel that repair") {
		t.Error("the stranger's text is in the customer's history")
	}
	// The stranger is not made a participant by writing: the customer's
	// next reply still copies only the colleague.
	e.deliver("INBOX", replyTo(first, t, customer, "x2@example.net", "tried that, still broken"))
	e.eventually("the customer's reply answered", 5*time.Second, func() bool {
		for _, m := range e.sink.received() {
			h := m.header(t)
			if irt, _ := h.MsgIDList("In-Reply-To"); slices.Contains(irt, "x2@example.net") {
				checkCopied(t, m)
				return true
			}
		}
		return false
	})
}

// TestReplyFromAnotherAddress: the customer answers from their work
// address, not on the thread. It is a case of its own (knowing an id is
// not enough to write into a case), but the agents of the case it answers
// learn of it on its ticket: who wrote and where it went, none of its text.
func TestReplyFromAnotherAddress(t *testing.T) {
	e := newEnv(t)
	r := e.start()
	defer r.stop(t)
	e.deliver("INBOX", customerMail{From: customer, Subject: "Broken TV", MessageID: "w1@example.net",
		Body: "I want to talk to a human agent"}.String())
	first := e.waitMails(1)[0]
	e.eventually("a ticket", 5*time.Second, func() bool { return len(e.tickets()) == 1 })
	tk := e.tickets()[0]
	conv := e.conversationOf("w1@example.net")
	const work = "alice.smith@corp.example"
	e.deliver("INBOX", replyTo(first, t, work, "w2@corp.example", "It's me, Alice, from my work address: the TV is at the office now."))
	got := e.conversationOf("w2@corp.example")
	if got.ID == conv.ID {
		t.Fatal("a reply from an address not on the thread joined the case")
	}
	evs, err := e.db.Events(context.Background(), tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	noted := slices.ContainsFunc(evs, func(ev ticketing.Event) bool {
		return strings.Contains(ev.Note, work) && strings.Contains(ev.Note, got.ID) && !strings.Contains(ev.Note, "office")
	})
	if !noted {
		t.Errorf("no note on %s of the reply from %s (conversation %s): %+v", tk.ID, work, got.ID, evs)
	}
	if e.historyHas(conv.ID, "work address") {
		t.Error("the other address's text is in the customer's history")
	}
}

// TestMessageIDsAreNotGuessable: our Message-IDs carry the conversation id,
// whose random part differs between two conversations started in the same
// moment: knowing one of our ids does not give another customer's.
func TestMessageIDsAreNotGuessable(t *testing.T) {
	e := newEnv(t)
	r := e.start()
	defer r.stop(t)
	for i, from := range []string{"one@example.net", "two@example.net"} {
		e.deliver("INBOX", customerMail{From: from, Subject: "TV-55X no sound", MessageID: fmt.Sprintf("g%d@example.net", i),
			Body: "My TV-55X has no sound"}.String())
	}
	mails := e.waitMails(2)
	var random []string
	for _, m := range mails {
		h := m.header(t)
		mid, _ := h.MessageID()
		local, _, _ := strings.Cut(mid, "@")
		parts := strings.Split(strings.TrimPrefix(local, msgIDPrefix), ".")
		conv := strings.TrimPrefix(parts[0], "c_")
		if len(conv) != 32 || strings.Trim(conv, "0123456789abcdef") != "" {
			t.Fatalf("Message-ID %q does not carry a 128-bit conversation id", mid)
		}
		random = append(random, conv[16:]) // UUIDv7's random 62 bits (and its variant)
	}
	if random[0] == random[1] {
		t.Errorf("two conversations' Message-IDs share their random part: %v", random)
	}
}
