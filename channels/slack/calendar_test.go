package slack_test

import (
	"strings"
	"testing"
	"time"

	"github.com/supportd/supportd/channels/slack"
	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/dialog/kb"
)

// When the holiday calendar has run out (no public holiday after today nor
// in the next year), the default channel is told once, with what to do; a
// calendar that covers the next year says nothing.
func TestCalendarRunOutIsToldOnce(t *testing.T) {
	h := newHarness(t, func(s *config.Slack, _ *slack.Options) { s.SLAInterval = 30 * time.Millisecond })
	demo, err := config.Load("") // its holidays end in October 2026; the clock is in November
	if err != nil {
		t.Fatal(err)
	}
	const notice = "The holiday calendar (policy.calendar.holidays) lists no public holiday after today, nor any in 2027"
	if n := len(h.slack.posts(notice)); n != 0 {
		t.Fatalf("notice posted %d times with a calendar covering 2027", n)
	}
	if err := h.eng.Reload(dialog.Options{Policy: &demo.Policy, Knowledge: dialog.KnowledgeBase(kb.Default())}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the calendar notice", func() bool { return len(h.slack.posts(notice)) == 1 })
	p := h.slack.posts(notice)[0]
	if p.Form.Get("channel") != "C_DESK" || p.Form.Get("thread_ts") != "" ||
		!strings.Contains(p.Form.Get("text"), "Add the public holidays and make-up working days (workdays) of 2027 to the configuration and reload supportd (SIGHUP).") {
		t.Errorf("the notice: %+v", p.Form)
	}
	time.Sleep(200 * time.Millisecond) // several checks
	if n := len(h.slack.posts(notice)); n != 1 {
		t.Errorf("notice posted %d times, want once", n)
	}

}
