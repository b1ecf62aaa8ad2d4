package email

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"strings"
	"time"

	"github.com/emersion/go-message/mail"

	"github.com/supportd/supportd/dialog"
)

// outMail is a mail to a customer, before encoding.
type outMail struct {
	From, FromName string
	To, ToName     string
	Cc             []string // the conversation's participants
	Subject        string
	MessageID      string   // without brackets
	InReplyTo      string   // without brackets; "" when none
	References     []string // without brackets
	Auto           bool     // an automatic mail: RFC 3834 and loop headers
	Loop           string   // the loop header's value
	Date           time.Time
	Text           string
}

// bytes encodes the mail: text/plain with a simple HTML alternative (the
// text, escaped). Every header value is cleaned first, so that no CR or LF
// given in a name, subject or address starts a header of its own.
func (o outMail) bytes() ([]byte, error) {
	var h mail.Header
	h.SetDate(o.Date)
	h.SetAddressList("From", []*mail.Address{{Name: clean(o.FromName), Address: cleanAddr(o.From)}})
	h.SetAddressList("To", []*mail.Address{{Name: clean(o.ToName), Address: cleanAddr(o.To)}})
	var cc []*mail.Address
	for _, a := range o.Cc {
		if a = cleanAddr(a); a != "" {
			cc = append(cc, &mail.Address{Address: a})
		}
	}
	if len(cc) > 0 {
		h.SetAddressList("Cc", cc)
	}
	h.SetSubject(clean(o.Subject))
	h.SetMessageID(usableID(o.MessageID))
	if id := usableID(o.InReplyTo); id != "" {
		h.SetMsgIDList("In-Reply-To", []string{id})
	}
	var refs []string
	for _, r := range o.References {
		if id := usableID(r); id != "" {
			refs = append(refs, id)
		}
	}
	h.SetMsgIDList("References", refs)
	if o.Auto {
		h.Set("Auto-Submitted", "auto-replied")
		h.Set("X-Auto-Response-Suppress", "All")
		h.Set(LoopHeader, clean(o.Loop))
	}
	var buf bytes.Buffer
	w, err := mail.CreateInlineWriter(&buf, h)
	if err != nil {
		return nil, fmt.Errorf("compose: %w", err)
	}
	for _, part := range []struct{ typ, body string }{
		{"text/plain", o.Text},
		{"text/html", textToHTML(o.Text)},
	} {
		var ph mail.InlineHeader
		ph.SetContentType(part.typ, map[string]string{"charset": "utf-8"})
		pw, err := w.CreatePart(ph)
		if err != nil {
			return nil, fmt.Errorf("compose: %w", err)
		}
		if _, err := io.WriteString(pw, part.body); err != nil {
			return nil, fmt.Errorf("compose: %w", err)
		}
		if err := pw.Close(); err != nil {
			return nil, fmt.Errorf("compose: %w", err)
		}
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("compose: %w", err)
	}
	return buf.Bytes(), nil
}

// textToHTML renders plain text as a simple HTML document: every character
// escaped, paragraphs and line breaks kept.
func textToHTML(s string) string {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html><body>\n")
	for _, p := range strings.Split(s, "\n\n") {
		if strings.TrimSpace(p) == "" {
			continue
		}
		lines := strings.Split(p, "\n")
		for i, l := range lines {
			lines[i] = html.EscapeString(l)
		}
		b.WriteString("<p>" + strings.Join(lines, "<br>\n") + "</p>\n")
	}
	b.WriteString("</body></html>\n")
	return b.String()
}

// renderMessages writes a conversation's messages as one mail body: each
// message a paragraph, quick replies as a line the customer can answer
// with ("Reply: Yes / No", "回复：是 / 否").
func renderMessages(msgs []dialog.Message, lang string) string {
	var paras []string
	for _, m := range msgs {
		p := strings.TrimSpace(m.Text)
		if len(m.Choices) > 0 {
			labels := make([]string, len(m.Choices))
			for i, ch := range m.Choices {
				labels[i] = ch.Label
			}
			prefix := "Reply: "
			if lang == "zh" {
				prefix = "回复："
			}
			p = joinNonEmpty("\n", p, prefix+strings.Join(labels, " / "))
		}
		if p != "" {
			paras = append(paras, p)
		}
	}
	return strings.Join(paras, "\n\n") + "\n"
}

// chatIntro opens the first mail of a chat that goes on by email.
func chatIntro(lang string) string {
	if lang == "zh" {
		return "您好，这是对您在我们网站在线客服中咨询的回复。您可以直接回复本邮件继续沟通。"
	}
	return "Hello, this is the reply to your chat on our website. You can answer this email to go on."
}

// replySubject is "Re: <original subject> [T-1001]".
func replySubject(original, ticket, lang string) string {
	s := baseSubject(original)
	if s == "" {
		s = "Your support request"
		if lang == "zh" {
			s = "您的售后服务请求"
		}
	}
	s = "Re: " + s
	if ticket != "" {
		s += " [" + ticket + "]"
	}
	return s
}

// messageID derives the Message-ID of the mail that starts with a
// conversation's message seq: a retry of the same mail reuses it.
func messageID(conversationID string, seq int64, domain string) string {
	conv := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '-'
	}, conversationID)
	return fmt.Sprintf("%s%s.%d@%s", msgIDPrefix, conv, seq, domain)
}
