package dialog_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/supportd/supportd/dialog"
)

// What the customer wrote to the agent since the agent's last reply, handed
// back unanswered, is read by the bot with the customer's next message, once,
// when it comes within minutes; words the agent answered, a closing
// ("thanks"), a later message or a command are not joined.
func TestHandbackKeepsTheUnansweredWords(t *testing.T) {
	for _, tc := range []struct {
		name   string
		before []string // the customer's messages after the agent's reply
		reply  bool     // the agent answers them before the hand back
		wait   time.Duration
		next   string
		kept   bool // kept at the hand back
		joined bool // the bot reads them with next
	}{
		{"half a sentence", []string{"My fridge"}, false, time.Minute, "is making a loud noise", true, true},
		{"two halves", []string{"My", "fridge"}, false, time.Minute, "is making a loud noise", true, true},
		{"answered", []string{"My fridge"}, true, time.Minute, "is making a loud noise", false, false},
		{"a closing", []string{"thanks"}, false, time.Minute, "is making a loud noise", false, false},
		{"too late", []string{"My fridge"}, false, 10 * time.Minute, "is making a loud noise", true, false},
		{"a command", []string{"My fridge"}, false, time.Minute, "cmd:menu", true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
			eng, db := newEngine(t, &now)
			ctx := context.Background()
			n := 0
			say := func(text string) *dialog.Result {
				t.Helper()
				n++
				res, err := eng.Handle(ctx, dialog.Inbound{Channel: "webchat", User: "v", ID: fmt.Sprint("m", n), Text: text})
				if err != nil {
					t.Fatal(err)
				}
				return res
			}
			act := func(a dialog.Action) {
				t.Helper()
				a.TicketID, a.Agent = "T-1001", "ann"
				if _, err := eng.Act(ctx, a); err != nil {
					t.Fatal(err)
				}
			}
			res := say("can I talk to a real person please")
			act(dialog.Action{Kind: dialog.ActReply, Text: "Hi, Ann here. How can I help?"})
			for _, s := range tc.before {
				say(s)
			}
			if tc.reply {
				act(dialog.Action{Kind: dialog.ActReply, Text: "Which product is it?"})
			}
			act(dialog.Action{Kind: dialog.ActHandback})
			c, err := db.Conversation(ctx, res.ConversationID)
			if err != nil {
				t.Fatal(err)
			}
			if kept := c.Unanswered != nil; kept != tc.kept {
				t.Fatalf("kept %+v, want %t", c.Unanswered, tc.kept)
			}
			if tc.kept && c.Unanswered.Text != strings.Join(tc.before, " ") {
				t.Errorf("kept %q", c.Unanswered.Text)
			}
			now = now.Add(tc.wait)
			var said []string
			for _, m := range say(tc.next).Replies {
				said = append(said, m.Text)
			}
			if joined := strings.Contains(strings.Join(said, "\n"), "RF-450"); joined != tc.joined {
				t.Errorf("the bot said %q: read with the fridge %t, want %t", said, joined, tc.joined)
			}
			if c, _ := db.Conversation(ctx, res.ConversationID); c.Unanswered != nil {
				t.Errorf("still kept after the next message: %+v", c.Unanswered)
			}
		})
	}
}
