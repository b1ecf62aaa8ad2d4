package slack_test

import (
	"context"
	"testing"

	"github.com/supportd/supportd/dialog"
)

// An agent's reply written with Slack's markup reaches the customer as
// plain text, on web chat as in email: mentions by name, channels and
// formatting marks as the words they mark, emoji as emoji.
func TestReplyMarkupAsTheCustomerReadsIt(t *testing.T) {
	h := newHarness(t, nil)
	h.complaint("v1", "The fridge door is broken")
	for _, s := range []string{"I want to make a complaint", "The technician scratched my TV", "my email is jo@example.com"} {
		h.n++
		if _, err := h.eng.Handle(context.Background(), dialog.Inbound{Channel: "email", User: "jo@example.com", ID: "mail" + s, Text: s}); err != nil {
			t.Fatal(err)
		}
	}
	reply := "Hi, <@U2> and I see <#C9|> *really* _soon_ ~not~ :smile:\n```\nreset --all\n```\nthen press `OK` or write to <mailto:service@example.com|service@example.com>"
	want := "Hi, Grace and I see our team's channel really soon not 😄\nreset --all\nthen press OK or write to service@example.com"
	for i, ticket := range []string{"T-1001", "T-1002"} {
		ch, ts := h.thread(ticket)
		h.mustOK(h.press("c"+ticket, "U1", "claim", ticket, ch, ts))
		h.mustOK(h.threadReply("E"+ticket, "U1", ch, ts, reply))
		eventually(t, "the reply of "+ticket, func() bool { return len(h.agentMessages("webchat"))+len(h.agentMessages("email")) == i+1 })
	}
	for _, channel := range []string{"webchat", "email"} {
		got := h.agentMessages(channel)
		if len(got) != 1 || got[0].Text != want {
			t.Errorf("the %s customer reads %+v, want %q", channel, got, want)
		}
	}
}

// agentMessages returns the agents' messages waiting for the customers of a
// channel.
func (h *harness) agentMessages(channel string) []dialog.Message {
	h.t.Helper()
	ms, err := h.db.Pending(context.Background(), channel, 0)
	if err != nil {
		h.t.Fatal(err)
	}
	var out []dialog.Message
	for _, m := range ms {
		if m.From == dialog.FromAgent {
			out = append(out, m)
		}
	}
	return out
}
