package email

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-message/mail"

	"github.com/supportd/supportd/dialog"
)

func TestComposeHeadersAreSafe(t *testing.T) {
	cases := []struct {
		name string
		m    outMail
	}{
		{"name", outMail{ToName: "Eve\r\nBcc: evil@x.test"}},
		{"subject", outMail{Subject: "Hi\r\nBcc: evil@x.test"}},
		{"subject with bare LF", outMail{Subject: "Hi\nBcc: evil@x.test"}},
		{"from name", outMail{FromName: "Support\rBcc: evil@x.test"}},
		{"in-reply-to", outMail{InReplyTo: "a@b>\r\nBcc: <evil@x.test"}},
		{"references", outMail{References: []string{"a@b>\r\nBcc: <evil@x.test", "ok@x"}}},
		{"loop", outMail{Auto: true, Loop: "s@shop.example\r\nBcc: evil@x.test"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := tc.m
			m.From, m.To, m.MessageID, m.Date, m.Text = "s@shop.example", "c@example.net", "supportd.c.1@shop.example", time.Now(), "hi"
			if m.Subject == "" {
				m.Subject = "Re: x"
			}
			raw, err := m.bytes()
			if err != nil {
				t.Fatal(err)
			}
			r, err := mail.CreateReader(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			if r.Header.Has("Bcc") {
				t.Errorf("Bcc header injected:\n%s", raw)
			}
		})
	}
}

func TestComposeBody(t *testing.T) {
	m := outMail{From: "s@shop.example", To: "c@example.net", MessageID: "supportd.c.1@shop.example", Date: time.Now(), Auto: true, Loop: "s@shop.example",
		Subject: replySubject("Re: RE: 回复：TV [T-1001] broken", "T-1001", "en"),
		Text:    renderMessages([]dialog.Message{{Text: "<b>Hello</b> & welcome"}, {Text: "Did that solve it?", Choices: []dialog.Choice{{Value: "choice:yes", Label: "Yes"}, {Value: "choice:no", Label: "No"}}}}, "en")}
	raw, err := m.bytes()
	if err != nil {
		t.Fatal(err)
	}
	got, err := Parse(raw, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if got.Subject != "Re: TV broken [T-1001]" {
		t.Errorf("subject = %q", got.Subject)
	}
	if !strings.Contains(got.Text, "<b>Hello</b> & welcome") || !strings.Contains(got.Text, "Did that solve it?\nReply: Yes / No") {
		t.Errorf("text = %q", got.Text)
	}
	if !bytes.Contains(raw, []byte("&lt;b&gt;Hello&lt;/b&gt; &amp; welcome")) {
		t.Error("the HTML alternative is not escaped")
	}
	if got.Header.Get("Auto-Submitted") != "auto-replied" || got.Header.Get(LoopHeader) == "" {
		t.Error("automatic headers missing")
	}
	if zh := renderMessages([]dialog.Message{{Text: "是否摔过？", Choices: []dialog.Choice{{Label: "是"}, {Label: "否"}}}}, "zh"); !strings.Contains(zh, "回复：是 / 否") {
		t.Errorf("zh = %q", zh)
	}
	if id := messageID("c_1/2", 7, "shop.example"); id != "supportd.c_1-2.7@shop.example" || messageID("c_1/2", 7, "shop.example") != id {
		t.Errorf("message id = %q", id)
	}
}

func TestBackoffCappedWithJitter(t *testing.T) {
	b := backoff{min: 100 * time.Millisecond, max: time.Second}
	var last time.Duration
	for i := 0; i < 50; i++ {
		d := b.next()
		if d < 50*time.Millisecond || d > time.Second {
			t.Fatalf("delay %d = %s", i, d)
		}
		last = d
	}
	if last < 500*time.Millisecond {
		t.Errorf("not capped near max: %s", last)
	}
	b.reset()
	if d := b.next(); d > 100*time.Millisecond {
		t.Errorf("after reset: %s", d)
	}
}

func TestAutomatedClassification(t *testing.T) {
	parse := func(h string) *Mail {
		m, err := Parse([]byte(h+"Subject: x\r\n\r\nbody"), 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	for h, want := range map[string]bool{
		"From: a@b.example\r\nAuto-Submitted: no\r\n":           false,
		"From: a@b.example\r\nAuto-Submitted: Auto-Replied\r\n": true,
		"From: a@b.example\r\nPrecedence: first-class\r\n":      false,
		"From: a@b.example\r\nReturn-Path: <a@b.example>\r\n":   false,
		"From: a@b.example\r\nReturn-Path: <>\r\n":              true,
		"From: noreplyfan@b.example\r\n":                        false,
		"From: no-reply+123@b.example\r\n":                      true,
		"From: a@b.example\r\nX-Autoreply: yes\r\n":             true,
	} {
		if got := automated(parse(h)) != ""; got != want {
			t.Errorf("%q: automated %v, want %v", h, got, want)
		}
	}
	// Out-of-office replies sent without the headers, and newsletters.
	for subject, want := range map[string]bool{
		"Automatic reply: Re: TV-55X no sound": true, "Out of Office: Re: your repair": true, "自动回复: Re: 报修": true,
		"自動回覆：Re: 報修": true, "Re: TV-55X no sound": false, "Automatic washing machine broken": false,
		"[EXTERNAL] Automatic reply: TV": true, "回复：自动回复功能坏了吗": false,
	} {
		m, err := Parse([]byte("From: a@b.example\r\nSubject: "+subject+"\r\n\r\nI am away until Monday."), 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		if got := automated(m) != ""; got != want {
			t.Errorf("subject %q: automated %v, want %v", subject, got, want)
		}
	}
	// Holiday replies that say so only in their text (QQ Mail's).
	for body, want := range map[string]bool{
		"这是来自QQ邮箱的假期自动回复邮件。\r\n您好，我最近正在休假中，无法亲自回复您的邮件。":                                                true,
		"This is an automatic reply. I am out until Monday.":                                           true,
		"My washing machine's automatic reply light blinks. Is this an automatic response to a fault?": false,
	} {
		m, err := Parse([]byte("From: a@qq.example\r\nSubject: Re: 电视 [T-1001]\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"+body), 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		if got := automated(m) != ""; got != want {
			t.Errorf("body %q: automated %v, want %v", body, got, want)
		}
	}
	if automated(parse("From: news@b.example\r\nList-Unsubscribe: <mailto:u@b.example>\r\n")) == "" {
		t.Error("a newsletter (List-Unsubscribe) is not automated")
	}
	id := identity{address: "s@shop.example", idDomain: "shop.example"}
	if id.isOurs("c1.2@shop.example") || !id.isOurs("supportd.c1.2@SHOP.example") || id.isOurs("supportd.c1.2@other.example") {
		t.Error("isOurs")
	}
}
