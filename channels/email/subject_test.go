package email

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/supportd/supportd/dialog"
)

func TestReading(t *testing.T) {
	for _, tc := range []struct {
		name, subject, body string
		new                 bool
		want                string
	}{
		{"body repeats the subject", "WM-100 leaking", "My WM-100 has been leaking since Monday", true, "My WM-100 has been leaking since Monday"},
		{"body repeats it, model without hyphen", "WM-100 leaking", "my wm100 is leaking", true, "my wm100 is leaking"},
		{"body repeats it in full-width", "ＷＭ-１００ leaking", "My WM-100 is leaking", true, "My WM-100 is leaking"},
		{"the subject has the model and fault", "WM-100 leaking", "see photo", true, "WM-100 leaking\nsee photo"},
		{"the subject has the model only", "WM-100", "It is leaking from the bottom", true, "WM-100\nIt is leaking from the bottom"},
		{"empty body", "洗衣机不转了", "", true, "洗衣机不转了"},
		{"empty body of a reply", "WM-100 leaking", "", false, "WM-100 leaking"},
		{"Chinese subject the body says", "洗衣机漏水", "我的洗衣机一直在漏水，去年买的", true, "我的洗衣机一直在漏水，去年买的"},
		{"Chinese subject with a model", "WM-100漏水", "见附件照片", true, "WM-100漏水\n见附件照片"},
		{"Chinese subject with a model the body has", "WM-100漏水", "我的WM-100漏水了", true, "我的WM-100漏水了"},
		{"the body says it with other endings", "Leaking washer", "my washer leaks", true, "my washer leaks"},
		{"filler subject", "Question", "How do I install the AC-35?", true, "How do I install the AC-35?"},
		{"Chinese filler subject", "售后问题", "电视没有声音", true, "电视没有声音"},
		{"a reply's subject is not read", "TV-55X no sound", "order 88812345678", false, "order 88812345678"},
		{"no subject", "", "My TV-55X has no sound", true, "My TV-55X has no sound"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := reading(tc.subject, tc.body, tc.new); got != tc.want {
				t.Errorf("reading(%q, %q, %t) = %q, want %q", tc.subject, tc.body, tc.new, got, tc.want)
			}
		})
	}
}

// TestSubjectIsTheTitle: the first mail's subject is the conversation's
// title and not glued into what the bot reads or the history keeps; the
// bot reads it only where the body does not say it, so a mail with an
// empty body, or with the model and fault only in its subject, is still
// understood.
func TestSubjectIsTheTitle(t *testing.T) {
	for _, tc := range []struct {
		name, subject, body string
		history             string // the stored customer message
		fault               string // the fault slot's value
		model               string
	}{
		{name: "body says it all", subject: "WM-100 leaking",
			body:    "My WM-100 has been leaking water since Monday, bought on 2026-04-10",
			history: "My WM-100 has been leaking water since Monday, bought on 2026-04-10",
			fault:   "My WM-100 has been leaking water since Monday", model: "WM-100"}, // the purchase date has its own slot
		{name: "model and fault only in the subject", subject: "WM-100 leaking", body: "see photo",
			history: "see photo", fault: "WM-100 leaking, see photo", model: "WM-100"},
		{name: "empty body", subject: "My WM-100 is leaking", body: "",
			history: "My WM-100 is leaking", fault: "My WM-100 is leaking", model: "WM-100"},
		{name: "only a signature", subject: "洗衣机WM-100漏水", body: "-- \n王先生\n13812345678",
			history: "-- \n王先生\n13812345678", fault: "洗衣机WM-100漏水", model: "WM-100"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			r := e.start()
			defer r.stop(t)
			e.deliver("INBOX", customerMail{From: customer, Subject: tc.subject, MessageID: "s1@example.net", Body: tc.body}.String())
			e.waitMails(1)
			conv := e.conversationOf("s1@example.net")
			if conv.Subject != tc.subject {
				t.Errorf("conversation subject = %q, want %q", conv.Subject, tc.subject)
			}
			if got := conv.Slots["fault"].Value; got != tc.fault {
				t.Errorf("fault = %q, want %q (state %s)", got, tc.fault, conv.State)
			}
			if got := conv.Slots["model"].Value; got != tc.model {
				t.Errorf("model = %q, want %q", got, tc.model)
			}
			hist, err := e.db.History(context.Background(), conv.ID, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(hist) == 0 || hist[0].Dir != dialog.In || hist[0].Text != tc.history {
				t.Errorf("history starts with %+v, want the customer's %q", hist[:min(1, len(hist))], tc.history)
			}
		})
	}
}

// TestTicketTitledBySubject: the ticket a mail's case files has the mail's
// subject as its subject, and the fault description without it.
func TestTicketTitledBySubject(t *testing.T) {
	e := newEnv(t)
	r := e.start()
	defer r.stop(t)
	e.deliver("INBOX", customerMail{From: customer, Subject: "Complaint about your technician", MessageID: "c1@example.net",
		Body: "I want to complain: the technician who came to install my AC-35 yesterday was two hours late and rude."}.String())
	e.waitMails(1)
	e.eventually("a ticket", 5*time.Second, func() bool { return len(e.tickets()) == 1 })
	tk := e.tickets()[0]
	if tk.Subject != "Complaint about your technician" {
		t.Errorf("ticket subject = %q", tk.Subject)
	}
	conv := e.conversationOf("c1@example.net")
	if got := conv.Slots["complaint"].Value; strings.Contains(got, "Complaint about") {
		t.Errorf("complaint text has the subject glued in: %q", got)
	}
}

// conversationOf returns the conversation a mail was handled in.
func (e *env) conversationOf(key string) *dialog.Conversation {
	e.t.Helper()
	var id string
	e.eventually("mail "+key+" recorded", 5*time.Second, func() bool {
		err := e.db.SQL().QueryRow(`SELECT conversation_id FROM email_inbound WHERE dedupe_key = ? AND status = 'done'`, key).Scan(&id)
		return err == nil && id != ""
	})
	c, err := e.db.Conversation(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// TestReplySubjectOneRe: our reply's subject has "Re:" once, whatever the
// customer's client and mail system put in front of the subject.
func TestReplySubjectOneRe(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"plain", "TV-55X no sound", "Re: TV-55X no sound [T-1001]"},
		{"Re Re", "Re:Re: TV-55X no sound", "Re: TV-55X no sound [T-1001]"},
		{"QQ", "回复：Re: 洗衣机不转 [T-1001]", "Re: 洗衣机不转 [T-1001]"},
		{"Outlook in German", "AW: WG: TV-55X no sound", "Re: TV-55X no sound [T-1001]"},
		{"Outlook in French", "TR: RE: TV-55X no sound", "Re: TV-55X no sound [T-1001]"},
		{"Outlook in Dutch", "Antw: TV-55X no sound", "Re: TV-55X no sound [T-1001]"},
		{"Traditional Chinese", "回覆: 電視沒有聲音", "Re: 電視沒有聲音 [T-1001]"},
		{"external tag", "[EXTERNAL] RE: TV-55X no sound [T-1001]", "Re: TV-55X no sound [T-1001]"},
		{"external tag twice", "[External] Re: [External] RE: TV-55X no sound", "Re: TV-55X no sound [T-1001]"},
		{"chinese external tag", "【外部邮件】回复：洗衣机不转", "Re: 洗衣机不转 [T-1001]"},
		{"a tag that is the subject's", "[Urgent] TV-55X no sound", "Re: [Urgent] TV-55X no sound [T-1001]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := replySubject(tc.in, "T-1001", "en"); got != tc.want {
				t.Errorf("replySubject(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
