package email

import (
	"strings"
	"testing"
	"time"

	"github.com/supportd/supportd/dialog"
)

// TestChatGoesOnByEmail: a web chat visitor hands off to a person, leaves
// an address and the page; the person's reply waits unread, then goes by
// email (only after ContinueChatsAfter); the customer's answer by email
// lands in the same conversation and ticket, and the next reply goes by
// email at once.
func TestChatGoesOnByEmail(t *testing.T) {
	e := newEnv(t)
	e.opts.ChatChannel = "webchat"
	r := e.start()
	defer r.stop(t)
	ctx := t.Context()
	const visitor, addr = "v-1", "jo@example.com"
	say := func(id, text string) *dialog.Result {
		t.Helper()
		res, err := e.eng.Handle(ctx, dialog.Inbound{Channel: "webchat", User: visitor, ID: id, Text: text})
		if err != nil {
			t.Fatal(err)
		}
		// The visitor is on the page: the web chat delivers what the bot says.
		for _, m := range res.Messages {
			if m.Dir == dialog.Out {
				if err := e.db.MarkDelivered(ctx, m.ConversationID, m.Seq, e.clock.Now()); err != nil {
					t.Fatal(err)
				}
			}
		}
		return res
	}
	res := say("w1", "can I talk to a real person please")
	if !strings.Contains(strings.Join(texts(res.Replies), "\n"), "type your email address here") {
		t.Fatalf("no invitation to leave an address: %q", texts(res.Replies))
	}
	say("w2", addr)
	tks := e.tickets()
	if len(tks) != 1 || tks[0].Customer.Email != addr {
		t.Fatalf("tickets = %+v", tks)
	}
	tk := tks[0]
	reply := func(text string) {
		t.Helper()
		if _, err := e.eng.Act(ctx, dialog.Action{Kind: dialog.ActReply, TicketID: tk.ID, Agent: "frank", Text: text}); err != nil {
			t.Fatal(err)
		}
	}
	chatPending := func() int {
		return e.count(`SELECT count(*) FROM messages WHERE channel = 'webchat' AND dir = 'out' AND delivered_at IS NULL`)
	}

	reply("Hi, this is Frank. Your order ships tomorrow.")
	time.Sleep(3 * e.opts.SendInterval) // three sweeps: the reply is fresh, the visitor may come back
	if n := e.sink.count(); n != 0 || chatPending() != 1 {
		t.Fatalf("a fresh chat reply went by email: %d mails, %d pending in the chat", n, chatPending())
	}
	e.clock.Add(11 * time.Minute) // past continue_chats_after (10m by default)
	first := e.waitMails(1)[0]
	if first.To[0] != addr {
		t.Errorf("rcpt = %v, want %s", first.To, addr)
	}
	txt := first.text(t)
	if !strings.Contains(txt, "the reply to your chat on our website") || !strings.Contains(txt, "Your order ships tomorrow") ||
		strings.Contains(txt, "passing you to a person") { // delivered in the chat already
		t.Errorf("first mail:\n%s", txt)
	}
	fh := first.header(t)
	if subj, _ := fh.Subject(); !strings.HasSuffix(subj, "["+tk.ID+"]") {
		t.Errorf("subject = %q, want the ticket tag", subj)
	}
	e.eventually("the chat reply marked delivered", 5*time.Second, func() bool { return chatPending() == 0 })

	e.deliver("INBOX", replyTo(first, t, addr, "jr1@example.net", "Thanks, can you deliver on Friday instead?"))
	e.eventually("the answer recorded", 5*time.Second, func() bool { return e.status("jr1@example.net") == "done" })
	if n := e.conversations(); n != 0 {
		t.Errorf("email conversations = %d, want 0: the answer belongs to the chat's", n)
	}
	var conv string
	e.db.SQL().QueryRow(`SELECT conversation_id FROM email_inbound WHERE dedupe_key = 'jr1@example.net'`).Scan(&conv)
	if conv != tk.ConversationID {
		t.Errorf("the answer went to %q, want the chat's conversation %q", conv, tk.ConversationID)
	}
	events, err := e.db.Events(ctx, tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	relayed := false
	for _, ev := range events {
		relayed = relayed || strings.Contains(ev.Note, "deliver on Friday")
	}
	if !relayed {
		t.Errorf("the answer is not on the ticket for the agent: %+v", events)
	}

	reply("Friday works, see you then.")
	second := e.waitMails(2)[1] // no ContinueChatsAfter wait: the chat went on by email
	sh := second.header(t)
	if irt, _ := sh.MsgIDList("In-Reply-To"); len(irt) != 1 || irt[0] != "jr1@example.net" {
		t.Errorf("second mail In-Reply-To = %v, want the customer's answer", irt)
	}
	if txt := second.text(t); !strings.Contains(txt, "Friday works") || strings.Contains(txt, "the reply to your chat") {
		t.Errorf("second mail:\n%s", txt)
	}

	// Someone else answering the same mail does not get into the chat.
	e.deliver("INBOX", replyTo(first, t, "mallory@example.org", "m1@example.org", "Cancel that order"))
	e.eventually("the stranger's mail recorded", 5*time.Second, func() bool { return e.status("m1@example.org") == "done" })
	e.db.SQL().QueryRow(`SELECT conversation_id FROM email_inbound WHERE dedupe_key = 'm1@example.org'`).Scan(&conv)
	if conv == tk.ConversationID || conv == "" {
		t.Errorf("a stranger's answer went to %q (the chat's is %q)", conv, tk.ConversationID)
	}
}

// TestChatWithoutAddressStays: a chat whose customer left no address keeps
// its replies for the chat, however long they wait.
func TestChatWithoutAddressStays(t *testing.T) {
	e := newEnv(t)
	e.opts.ChatChannel = "webchat"
	r := e.start()
	defer r.stop(t)
	res, err := e.eng.Handle(t.Context(), dialog.Inbound{Channel: "webchat", User: "v-2", ID: "w1", Text: "can I talk to a real person please"})
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Add(24 * time.Hour)
	time.Sleep(3 * e.opts.SendInterval)
	if n := e.sink.count(); n != 0 {
		t.Errorf("%d mails sent for a chat without an address", n)
	}
	if n := e.count(`SELECT count(*) FROM messages WHERE channel = 'webchat' AND dir = 'out' AND delivered_at IS NULL`); n != len(res.Replies) {
		t.Errorf("chat messages pending = %d, want %d", n, len(res.Replies))
	}
}

func texts(ms []dialog.Message) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Text
	}
	return out
}
