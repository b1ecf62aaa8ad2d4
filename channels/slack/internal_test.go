package slack_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/supportd/supportd/channels/slack"
	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/dialog/kb"
	"github.com/supportd/supportd/store/sqlite"
	"github.com/supportd/supportd/ticketing"
)

// internalDesk is a desk whose thread replies stay internal unless marked
// (channels.slack.thread_replies: internal), with T-1001 claimed by Frank
// (U1); it returns the ticket's thread.
func internalDesk(t *testing.T) (*harness, string, string) {
	t.Helper()
	h := newHarness(t, func(s *config.Slack, _ *slack.Options) { s.ThreadReplies = config.ThreadRepliesInternal })
	h.complaint("v1", "The fridge door is broken")
	ch, ts := h.thread("T-1001")
	h.mustOK(h.press("claim-1", "U1", "claim", "T-1001", ch, ts))
	eventually(t, "the claim", func() bool {
		tk, err := h.db.Get(context.Background(), "T-1001")
		return err == nil && tk.Assignee == "frank@example.com"
	})
	return h, ch, ts
}

// notes returns the internal notes on a ticket.
func (h *harness) notes(ticket string) []string {
	h.t.Helper()
	evs, err := h.db.Events(context.Background(), ticket)
	if err != nil {
		h.t.Fatal(err)
	}
	var out []string
	for _, ev := range evs {
		if ev.Action == ticketing.ActionComment {
			out = append(out, ev.Note)
		}
	}
	return out
}

// hasNote waits until ticket has the note text.
func (h *harness) hasNote(ticket, text string) {
	h.t.Helper()
	eventually(h.t, "the note "+text, func() bool {
		for _, n := range h.notes(ticket) {
			if n == text {
				return true
			}
		}
		return false
	})
}

// count returns how many texts contain s.
func count(texts []string, s string) int {
	n := 0
	for _, t := range texts {
		if strings.Contains(t, s) {
			n++
		}
	}
	return n
}

// With thread replies internal by default, the assignee's unmarked reply is
// a note that the customer never gets, and they are told once (not on every
// reply) how to reach the customer; a reply marked reply: (any case, a
// full-width colon, 回复:) goes to the customer without its mark; a note:
// stays a note; a colleague's unmarked reply is a note, without a word.
func TestInternalThreadRepliesNeedASendMark(t *testing.T) {
	h, ch, ts := internalDesk(t)
	if blocks := decoded(h.root("T-1001").Form.Get("blocks")); !strings.Contains(blocks, "Replies in ticket threads stay internal") || !strings.Contains(blocks, "`reply:`") {
		t.Errorf("the escalation does not say that replies stay internal:\n%s", blocks)
	}

	h.mustOK(h.threadReply("Ev1", "U1", ch, ts, "Let me check with the workshop first"))
	h.hasNote("T-1001", "Let me check with the workshop first")
	hint := h.toldTo("U1", "Kept as an internal note")
	for _, want := range []string{"thread_replies: internal", "`reply:`", "Send to customer"} {
		if !strings.Contains(hint, want) {
			t.Errorf("hint %q lacks %q", hint, want)
		}
	}
	h.mustOK(h.threadReply("Ev2", "U1", ch, ts, "<@U2> do we have the hinge in stock?"))
	h.hasNote("T-1001", "Grace do we have the hinge in stock?")
	h.mustOK(h.threadReply("Ev3", "U1", ch, ts, "REPLY： Hello, a new hinge is on its way."))
	eventually(t, "the marked reply for the customer", func() bool { return len(h.outbox()) == 1 })
	if m := h.outbox()[0]; m.Text != "Hello, a new hinge is on its way." || m.Agent != "Frank" {
		t.Errorf("the customer got %+v, want the reply without its mark", m)
	}
	h.mustOK(h.threadReply("Ev4", "U1", ch, ts, "回复: 师傅明天上午到。"))
	eventually(t, "the second marked reply", func() bool { return len(h.outbox()) == 2 })
	if m := h.outbox()[1]; m.Text != "师傅明天上午到。" {
		t.Errorf("the customer got %q, want the reply without 回复:", m.Text)
	}
	h.mustOK(h.threadReply("Ev5", "U1", ch, ts, "note: customer sounds upset"))
	h.mustOK(h.threadReply("Ev6", "U2", ch, ts, "I can take this one"))
	h.mustOK(h.threadReply("Ev7", "U1", ch, ts, "One more thought for the team"))
	h.hasNote("T-1001", "customer sounds upset")
	h.hasNote("T-1001", "I can take this one")
	h.hasNote("T-1001", "One more thought for the team")

	if n := len(h.outbox()); n != 2 {
		t.Errorf("%d agent messages for the customer, want the 2 marked replies", n)
	}
	for _, m := range h.outbox() {
		if strings.Contains(m.Text, "workshop") || strings.Contains(m.Text, "hinge in stock") || strings.Contains(m.Text, "thought") {
			t.Errorf("an internal reply reached the customer: %q", m.Text)
		}
	}
	if n := count(h.ephemeralsTo("U1"), "Kept as an internal note"); n != 1 {
		t.Errorf("the hint was shown %d times, want once per ticket", n)
	}
	if got := h.ephemeralsTo("U2"); len(got) != 0 {
		t.Errorf("the colleague was told %q, want nothing: replies are internal anyway", got)
	}
	if n := len(h.slack.called("reactions.add")); n != 2 {
		t.Errorf("%d ✅, want one per reply sent", n)
	}
}

// A reply: of someone who may not reach the customer is a note, and they
// are told why, as in the default mode.
func TestInternalThreadReplyMarkedByAColleagueIsTold(t *testing.T) {
	h, ch, ts := internalDesk(t)
	h.mustOK(h.threadReply("Ev1", "U2", ch, ts, "reply: I will call you"))
	h.hasNote("T-1001", "I will call you")
	h.toldTo("U2", "assigned to <@U1>, and only the assignee's replies go to the customer")
	if n := len(h.outbox()); n != 0 {
		t.Errorf("%d agent messages for the customer, want none", n)
	}
}

// /ticket help says where thread replies go, in either mode.
func TestTicketHelpSaysWhereRepliesGo(t *testing.T) {
	for _, tc := range []struct{ mode, want string }{
		{config.ThreadRepliesCustomer, "replies in ticket threads go to the customer. Begin one with `note:`"},
		{config.ThreadRepliesInternal, "Replies in ticket threads stay internal (notes). To send one to the customer, begin it with `reply:`"},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			h := newHarness(t, func(s *config.Slack, _ *slack.Options) { s.ThreadReplies = tc.mode })
			h.mustOK(h.command("t1", "U1", "help"))
			eventually(t, "the help", func() bool {
				for _, r := range h.slack.responded() {
					if text, _ := r["text"].(string); strings.Contains(text, "Usage:") && strings.Contains(text, tc.want) {
						return true
					}
				}
				return false
			})
		})
	}
}

// A desk is not started with a mode it does not know.
func TestUnknownThreadRepliesModeRefused(t *testing.T) {
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "supportd.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	eng, err := dialog.New(dialog.Options{Policy: &cfg.Policy, Store: db, Knowledge: dialog.KnowledgeBase(kb.Default())})
	if err != nil {
		t.Fatal(err)
	}
	_, err = slack.New(slack.Options{Engine: eng, Store: db, DB: db,
		Config: config.Slack{BotToken: "xoxb-1", SigningSecret: "s", ThreadReplies: "private"}})
	if err == nil || !strings.Contains(err.Error(), `channels.slack.thread_replies: "private" is not one of customer, internal`) {
		t.Fatalf("New = %v, want thread_replies refused", err)
	}
}
