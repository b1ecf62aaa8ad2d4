package slack_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/supportd/supportd/ticketing"
)

// A courtesy reply right after Resolve ("Thanks for your patience!"), while
// the bot asks the customer to rate the service and they have not written
// since, does not reopen the ticket: the customer's score would go to the
// agent and be lost. It is kept as a note and the agent is told how to send
// it anyway; the customer's rating is recorded, which closes the ticket.
// The Send to customer shortcut sends such a reply.
func TestCourtesyReplyAfterResolveKeepsTheRating(t *testing.T) {
	h := newHarness(t, nil)
	ctx := context.Background()
	h.complaint("v1", "The fridge door is broken")
	ch, ts := h.thread("T-1001")
	h.claimAndReply("T-1001", "U1", ch, ts, "We will send a technician tomorrow.", 1)
	h.mustOK(h.press("r1", "U1", "resolve", "T-1001", ch, ts))
	eventually(t, "resolved", func() bool { return len(h.slack.posts("Resolved by")) == 1 })
	msg := msgTS(801)
	h.mustOK(h.replyAt("E2", "U1", ch, ts, msg, "Thanks for your patience!"))
	told := h.toldTo("U1", "Not sent to the customer: T-1001 is resolved and the bot is asking the customer to rate the service")
	if !strings.Contains(told, "Send to customer") || !strings.HasSuffix(told, "Kept as an internal note.") {
		t.Errorf("told %q", told)
	}
	time.Sleep(200 * time.Millisecond)
	if got := h.sentTexts(); len(got) != 1 {
		t.Errorf("the customer got %q", got)
	}
	if tk, _ := h.db.Get(ctx, "T-1001"); tk.Status != ticketing.StatusResolved {
		t.Fatalf("T-1001 is %s after the courtesy reply", tk.Status)
	}
	h.say("v1", "5")
	h.say("v1", "Quick and friendly")
	tk, _ := h.db.Get(ctx, "T-1001")
	if tk.Satisfaction == nil || tk.Satisfaction.Score != 5 || tk.Status != ticketing.StatusClosed {
		t.Errorf("after the score: %s, satisfaction %+v", tk.Status, tk.Satisfaction)
	}

	// The shortcut sends it anyway (here after the rating).
	h.mustOK(h.shortcut("s1", "U1", ch, ts, msg, "U1", "Thanks for your patience!"))
	eventually(t, "the reply sent anyway", func() bool { return len(h.sentTexts()) == 2 })
	if got := h.sentTexts()[1]; got != "Thanks for your patience!" {
		t.Errorf("the customer got %q", got)
	}
}
