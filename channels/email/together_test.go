package email

import (
	"fmt"
	"strings"
	"testing"

	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/ticketing"
)

// TestRepairInFourMails: by email the bot asks the remaining questions in
// one numbered list and reads the numbered answers, so the repair takes
// four mails; the answers may also be written inline, under the quoted
// questions.
func TestRepairInFourMails(t *testing.T) {
	for _, tc := range []struct {
		name    string
		answers func(list received) string // the customer's reply to the list
	}{
		{"numbered on top", func(list received) string {
			return replyTo(list, t, customer, "n3@example.net", "1. order 88812345678\n2. no, it was never dropped\n3. no\n4. no")
		}},
		{"inline under the questions", func(list received) string {
			h := list.header(t)
			mid, _ := h.MessageID()
			subject, _ := h.Subject()
			var body strings.Builder
			body.WriteString("Answers below.\n\nOn Wed, 25 Nov 2026 at 10:00, Support <" + support + "> wrote:\n")
			answers := []string{"order 88812345678", "no, never", "no", "no"}
			n := 0
			for _, l := range strings.Split(strings.TrimSpace(list.text(t)), "\n") {
				body.WriteString("> " + l + "\n")
				if strings.HasPrefix(l, fmt.Sprintf("%d. ", n+1)) && n < len(answers) {
					body.WriteString(answers[n] + "\n")
					n++
				}
			}
			return customerMail{From: customer, Subject: "Re: " + subject, MessageID: "n3@example.net", InReplyTo: mid, Body: body.String()}.String()
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			r := e.start()
			defer r.stop(t)
			e.deliver("INBOX", customerMail{From: customer, Name: "Alice", Subject: "TV-55X no sound", MessageID: "n1@example.net",
				Body: "Hello,\n\nMy TV-55X has no sound, I bought it on 2026-04-10\n\nBest regards,\nAlice"}.String())
			steps := e.waitMails(1)[0]
			e.deliver("INBOX", replyTo(steps, t, customer, "n2@example.net", "tried that, still broken"))
			list := e.waitMails(2)[1]
			txt := list.text(t)
			for _, q := range []string{"each on its own line with its number", "1. Please give your proof of purchase",
				"2. Has the product been dropped", "3. Has anyone not authorised", "4. Is the problem only with a consumable part"} {
				if !strings.Contains(txt, q) {
					t.Fatalf("the list mail lacks %q:\n%s", q, txt)
				}
			}
			if strings.Contains(txt, "Reply: Yes / No") {
				t.Errorf("the list mail offers one yes/no for four questions:\n%s", txt)
			}
			e.deliver("INBOX", tc.answers(list))
			summary := e.waitMails(3)[2]
			if txt := summary.text(t); !strings.Contains(txt, "Proof of purchase: order 88812345678") ||
				!strings.Contains(txt, "Dropped or wet: No") || !strings.Contains(txt, "Consumable part only: No") {
				t.Fatalf("third mail is not the summary of the answers:\n%s", txt)
			}
			if txt := summary.text(t); strings.Contains(txt, "Hello,") || strings.Contains(txt, "Best regards") || strings.Contains(txt, "Alice") {
				t.Errorf("the fault description keeps the mail's salutation or sign-off:\n%s", txt)
			}
			e.deliver("INBOX", replyTo(summary, t, customer, "n4@example.net", "yes"))
			booked := e.waitMails(4)[3]
			tks := e.tickets()
			if len(tks) != 1 || tks[0].Kind != ticketing.KindRepair || tks[0].ProofRef != "order:88812345678" ||
				tks[0].Details["misuse"] != "no" || tks[0].Details["opened"] != "no" || tks[0].Warranty == nil || !tks[0].Warranty.Covered {
				t.Fatalf("tickets = %+v", tks)
			}
			if txt := booked.text(t); !strings.Contains(txt, "Repair booked, ticket "+tks[0].ID) {
				t.Errorf("fourth mail:\n%s", txt)
			}
		})
	}
}

// TestRatingInOneMail: by email the rating request asks for the comment in
// the same reply, and a reply with both closes the ticket with them.
func TestRatingInOneMail(t *testing.T) {
	e := newEnv(t)
	r := e.start()
	defer r.stop(t)
	e.deliver("INBOX", customerMail{From: customer, Subject: "Help", MessageID: "r1@example.net", Body: "I want to talk to a real person please"}.String())
	e.waitMails(1)
	tks := e.tickets()
	if len(tks) != 1 {
		t.Fatalf("tickets = %d, want 1", len(tks))
	}
	if _, err := e.eng.Act(t.Context(), dialog.Action{Kind: dialog.ActResolve, TicketID: tks[0].ID, Agent: "frank"}); err != nil {
		t.Fatal(err)
	}
	ask := e.waitMails(2)[1]
	if txt := ask.text(t); !strings.Contains(txt, "a comment is welcome in the same reply") || strings.Contains(txt, "★") {
		t.Fatalf("rating mail:\n%s", txt)
	}
	e.deliver("INBOX", replyTo(ask, t, customer, "r2@example.net", "4 - friendly, but the answer took two days"))
	thanks := e.waitMails(3)[2]
	if txt := thanks.text(t); !strings.Contains(txt, "Thanks for your feedback") {
		t.Errorf("third mail:\n%s", txt)
	}
	tk, err := e.db.Get(t.Context(), tks[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if tk.Status != ticketing.StatusClosed || tk.Satisfaction == nil || tk.Satisfaction.Score != 4 ||
		tk.Satisfaction.Comment != "4 - friendly, but the answer took two days" {
		t.Errorf("ticket %s: status %s, satisfaction %+v", tk.ID, tk.Status, tk.Satisfaction)
	}
}
