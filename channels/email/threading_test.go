package email

import (
	"testing"
	"time"
)

// TestReplyWithoutThreadingHeaders: QQ Mail's replies carry neither
// In-Reply-To nor References. Answering the bot's first question, before
// the case has a ticket tag in its subject, the customer's reply continues
// the conversation (found by the subject of the mail we sent them) instead
// of starting the case over; a forward, a mail with unknown ids, another
// sender or an old subject does not.
func TestReplyWithoutThreadingHeaders(t *testing.T) {
	e := newEnv(t)
	r := e.start()
	defer r.stop(t)
	e.deliver("INBOX", customerMail{From: "zhang@qq.example", Subject: "TV-55X no sound", MessageID: "q1@qq.example",
		Body: "My TV-55X has no sound, I bought it on 2026-04-10"}.String())
	first := e.waitMails(1)[0]
	h1 := first.header(t)
	if s, _ := h1.Subject(); s != "Re: TV-55X no sound" {
		t.Fatalf("the bot's first reply has subject %q; this test wants one without a ticket tag", s)
	}
	conv := e.conversationOf("q1@qq.example")

	e.deliver("INBOX", customerMail{From: "zhang@qq.example", Subject: "回复：Re: TV-55X no sound", MessageID: "q2@qq.example",
		Body: "tried that, still broken\n\n------------------ 原始邮件 ------------------\n发件人: \"Support\"<" + support + ">;\n\n" + first.text(t)}.String())
	if got := e.conversationOf("q2@qq.example"); got.ID != conv.ID {
		t.Errorf("the QQ reply without threading headers started conversation %s, not continuing %s", got.ID, conv.ID)
	}
	second := e.waitMails(2)[1]
	h2 := second.header(t)
	if irt, _ := h2.MsgIDList("In-Reply-To"); len(irt) != 1 || irt[0] != "q2@qq.example" {
		t.Errorf("the answer's In-Reply-To = %v, want the QQ reply", irt)
	}

	for _, tc := range []customerMail{
		{From: "zhang@qq.example", Subject: "Fwd: TV-55X no sound", MessageID: "q3@qq.example", Body: "for my husband"},
		{From: "zhang@qq.example", Subject: "Re: TV-55X no sound", MessageID: "q4@qq.example", InReplyTo: "unknown@elsewhere.example", Body: "my fridge too"},
		{From: "li@qq.example", Subject: "回复：Re: TV-55X no sound", MessageID: "q5@qq.example", Body: "mine too"},
	} {
		e.deliver("INBOX", tc.String())
		if got := e.conversationOf(tc.MessageID); got.ID == conv.ID {
			t.Errorf("%s (%q from %s) joined the customer's conversation", tc.MessageID, tc.Subject, tc.From)
		}
	}
	e.clock.Add(31 * 24 * time.Hour)
	e.deliver("INBOX", customerMail{From: "zhang@qq.example", Subject: "回复：Re: TV-55X no sound", MessageID: "q6@qq.example", Body: "again"}.String())
	if got := e.conversationOf("q6@qq.example"); got.ID == conv.ID {
		t.Error("a reply to a mail sent over 30 days ago was threaded by its subject")
	}
}

// TestColleagueReplyWithoutThreadingHeaders: a copied colleague answers
// from QQ Mail (no In-Reply-To, no References): the reply joins the
// customer's conversation as the colleague's, found by the subject of the
// mail the colleague was copied on; the bot does not welcome them as a new
// customer.
func TestColleagueReplyWithoutThreadingHeaders(t *testing.T) {
	e := newEnv(t)
	r := e.start()
	defer r.stop(t)
	e.deliver("INBOX", customerMail{From: customer, Subject: "TV-55X no sound", MessageID: "cq1@example.net",
		Body: "My TV-55X has no sound, I bought it on 2026-04-10", Extra: "Cc: " + colleague + "\n"}.String())
	e.waitMails(1)
	conv := e.conversationOf("cq1@example.net")
	e.deliver("INBOX", customerMail{From: colleague, Subject: "回复：Re: TV-55X no sound", MessageID: "cq2@example.net",
		Body: "The TV is in meeting room 3."}.String())
	if got := e.conversationOf("cq2@example.net"); got.ID != conv.ID {
		t.Errorf("the colleague's reply started conversation %s of %s, not joining %s", got.ID, got.User, conv.ID)
	}
	if !e.historyHas(conv.ID, colleague, "meeting room 3") {
		t.Error("the colleague's message is not in the customer's history")
	}
	e.settle(1)
}
