package dialog_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/ticketing"
)

// sent numbers the messages say sends.
var sent int

// fixedKnowledge answers every question with one text.
type fixedKnowledge string

func (k fixedKnowledge) Answer(string, string) (string, bool)                  { return string(k), true }
func (fixedKnowledge) Troubleshooting(string, string, string, string) []string { return nil }

// say sends the customer's lines in user's conversation and returns the
// replies to the last one, joined.
func say(t *testing.T, eng *dialog.Engine, user string, lines ...string) string {
	t.Helper()
	var said []string
	for _, text := range lines {
		sent++
		res, err := eng.Handle(context.Background(), dialog.Inbound{Channel: "webchat", User: user, ID: fmt.Sprint("m", sent), Text: text, Lang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		said = said[:0]
		for _, m := range res.Replies {
			said = append(said, m.Text)
		}
	}
	return strings.Join(said, "\n")
}

// TestReloadAppliesToTheTurnsAfterIt: Reload puts a new policy, knowledge
// base and complaint owner in force for the next turn, on conversations
// begun before it too; the engine's store and registrations stay.
func TestReloadAppliesToTheTurnsAfterIt(t *testing.T) {
	now := time.Date(2026, 12, 2, 2, 0, 0, 0, time.UTC)
	var o dialog.Options
	eng, db := newEngine(t, &now, func(opts *dialog.Options) {
		opts.Knowledge = fixedKnowledge("Gift cards: not sold.")
		o = *opts
	})
	commits := 0
	eng.OnCommit(func(dialog.Commit) { commits++ })

	returnAsked := []string{"I want to return my TV-55X, it has no sound. I bought it 10 days ago", "order 88812345678"}
	if got := say(t, eng, "v1", returnAsked...); !strings.Contains(got, "Return is possible within 7 days") {
		t.Fatalf("before the reload, 10 days after purchase: %q, want the 7-day return window refused", got)
	}
	if got := say(t, eng, "v1", "do you sell gift cards?"); !strings.Contains(got, "Gift cards: not sold.") {
		t.Fatalf("knowledge before the reload: %q", got)
	}

	pol := *o.Policy
	pol.Returns.ReturnDays = 14
	o.Policy = &pol
	o.Knowledge = fixedKnowledge("Gift cards: sold in every shop.")
	o.ComplaintOwner = dialog.Owner{Agent: "Wang.Fang@example.com", Name: "王芳"}
	if err := eng.Reload(o); err != nil {
		t.Fatal(err)
	}
	if eng.Policy() != &pol || eng.ComplaintOwner() != (dialog.Owner{Agent: "wang.fang@example.com", Name: "王芳"}) {
		t.Errorf("Policy() %p (want %p), ComplaintOwner() %+v after the reload", eng.Policy(), &pol, eng.ComplaintOwner())
	}
	if got := say(t, eng, "v2", returnAsked...); strings.Contains(got, "Return is possible within") || !strings.Contains(got, "packaging") {
		t.Errorf("after return_days 14, 10 days after purchase: %q, want the return going on (packaging asked)", got)
	}
	if got := say(t, eng, "v1", "do you sell gift cards?"); !strings.Contains(got, "Gift cards: sold in every shop.") {
		t.Errorf("knowledge after the reload, in a conversation begun before it: %q", got)
	}
	if got := say(t, eng, "v3", "I want to make a complaint, the delivery man broke my door, phone 13800138000"); !strings.Contains(got, "王芳") {
		t.Errorf("complaint after the reload: %q, want the new owner named", got)
	}
	tks, err := db.List(context.Background(), ticketing.Filter{Kind: ticketing.KindComplaint})
	if err != nil || len(tks) != 1 || tks[0].Assignee != "wang.fang@example.com" {
		t.Fatalf("complaints %+v, %v: want one assigned to the new owner", tks, err)
	}
	if commits != 7 {
		t.Errorf("%d commits heard, want 7: the registrations made before the reload stay", commits)
	}

	o.Policy = nil
	if err := eng.Reload(o); err == nil || eng.Policy() != &pol {
		t.Errorf("reload without a policy: %v, policy in force %p; want an error and %p kept", err, eng.Policy(), &pol)
	}
}

// TestReloadWhileServing: turns and reloads at once (run with -race): every
// turn ends with an answer and the engine ends on the latest rules.
func TestReloadWhileServing(t *testing.T) {
	now := time.Date(2026, 12, 2, 2, 0, 0, 0, time.UTC)
	var o dialog.Options
	eng, _ := newEngine(t, &now, func(opts *dialog.Options) { o = *opts })
	ctx := context.Background()
	errs := make(chan error, 4)
	for g := range 4 {
		go func() {
			for i := range 10 {
				res, err := eng.Handle(ctx, dialog.Inbound{Channel: "webchat", User: fmt.Sprint("v", g), ID: fmt.Sprint(g, "-", i), Text: "what are your opening hours?", Lang: "en"})
				if err == nil && len(res.Replies) == 0 {
					err = fmt.Errorf("no reply to message %d of v%d", i, g)
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	var last *dialog.Options
	for i := range 20 {
		next := o
		pol := *o.Policy
		pol.Returns.ReturnDays = 7 + i
		next.Policy = &pol
		if err := eng.Reload(next); err != nil {
			t.Fatal(err)
		}
		last = &next
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if eng.Policy() != last.Policy {
		t.Errorf("policy in force is not the last one reloaded")
	}
}
