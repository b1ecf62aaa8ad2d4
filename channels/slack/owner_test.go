package slack_test

import (
	"context"
	"strings"
	"testing"

	"github.com/supportd/supportd/channels/slack"
	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/dialog/kb"
	"github.com/supportd/supportd/ticketing"
)

// With dialog.complaint_owner configured, a complaint is assigned to them
// when filed: its thread says so, mentioning them, so that the team sees who
// owns it; and the customer reads one name for them, the configured one, in
// the filing message and in their replies from Slack (whose display name is
// another).
func TestComplaintOwnerIsNamedInTheThreadAndToTheCustomer(t *testing.T) {
	for _, tc := range []struct {
		name   string
		agents map[string]string
	}{
		{name: "no agent list"},
		{name: "on the agent list", agents: map[string]string{"frank@example.com": "Frank Wang", "grace@example.com": "Grace"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, func(s *config.Slack, _ *slack.Options) { s.Agents = tc.agents })
			// The owner is the engine's, set here by a reload as serve
			// does on SIGHUP: the desk follows it.
			if err := h.eng.Reload(dialog.Options{Policy: &h.cfg.Policy, Knowledge: dialog.KnowledgeBase(kb.Default()),
				ComplaintOwner: dialog.Owner{Agent: "Frank@Example.com", Name: "Frank Wang"}}); err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			h.complaint("v1", "The fridge door is broken")
			tk, err := h.db.Get(ctx, "T-1001")
			if err != nil || tk.Assignee != "frank@example.com" || tk.Status != ticketing.StatusAssigned {
				t.Fatalf("the complaint: %+v, %v", tk, err)
			}
			told := ""
			for _, m := range h.pending() {
				if strings.Contains(m.Text, "T-1001") {
					told += m.Text + "\n"
				}
			}
			if !strings.Contains(told, "Frank Wang owns it") {
				t.Errorf("the customer was told %q, want Frank Wang named as the owner", told)
			}

			ch, ts := h.thread("T-1001")
			var note []call
			eventually(t, "the owner's note in the thread", func() bool {
				note = h.slack.posts("Assigned to <@U1> by configuration")
				return len(note) > 0
			})
			if len(note) != 1 || note[0].Form.Get("thread_ts") != ts || note[0].Form.Get("channel") != ch {
				t.Fatalf("the owner's note: %+v", note)
			}
			want := "📌 Assigned to <@U1> by configuration (complaint owner, dialog.complaint_owner) when it was filed: the customer was told that Frank Wang owns it."
			if got := note[0].Form.Get("text"); got != want {
				t.Errorf("the owner's note is\n%q, want\n%q", got, want)
			}

			// The owner replies without claiming: it is theirs already.
			h.mustOK(h.threadReply("E1", "U1", ch, ts, "We will replace the door on Friday."))
			eventually(t, "the owner's reply", func() bool { return len(h.outbox()) == 1 })
			if m := h.outbox()[0]; m.Agent != "Frank Wang" {
				t.Errorf("the customer reads the owner's reply as from %q, want Frank Wang, the name they were told", m.Agent)
			}

			// A later change of the ticket does not post the note again.
			h.mustOK(h.press("c2", "U1", "release", "T-1001", ch, ts))
			eventually(t, "the release", func() bool { return len(h.slack.posts("Released by <@U1>")) == 1 })
			if n := len(h.slack.posts("by configuration (complaint owner")); n != 1 {
				t.Errorf("the owner's note was posted %d times", n)
			}
		})
	}
}
