package email

import (
	"encoding/base64"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

func encode(t *testing.T, enc encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := enc.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseCharsets(t *testing.T) {
	cases := []struct {
		name, charset, subjectCharset, cte string
		enc                                encoding.Encoding
		subject, body                      string
	}{
		{"GBK base64", "GBK", "GBK", "base64", simplifiedchinese.GBK, "电视没有声音", "我的电视没有声音，发票见附件"},
		{"GB2312 declared, GBK content", "gb2312", "GB2312", "base64", simplifiedchinese.GBK, "洗衣机漏水", "洗衣机漏水了，镕字在GB2312之外"},
		{"GB18030 8bit", "GB18030", "GB18030", "8bit", simplifiedchinese.GB18030, "空调不制冷 €", "空调不制冷，型号AC-35 €𠀀"},
		{"Big5 quoted-printable", "Big5", "Big5", "quoted-printable", traditionalchinese.Big5, "電視沒有聲音", "我的電視沒有聲音"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := encode(t, tc.enc, tc.body)
			var enc string
			switch tc.cte {
			case "base64":
				enc = base64.StdEncoding.EncodeToString(body)
			case "quoted-printable":
				var b strings.Builder
				for _, c := range body {
					b.WriteString("=" + strings.ToUpper(string("0123456789abcdef"[c>>4])+string("0123456789abcdef"[c&15])))
				}
				enc = b.String()
			default:
				enc = string(body)
			}
			raw := "From: =?" + tc.subjectCharset + "?B?" + base64.StdEncoding.EncodeToString(encode(t, tc.enc, "客户")) + "?= <c@example.cn>\r\n" +
				"Subject: =?" + tc.subjectCharset + "?B?" + base64.StdEncoding.EncodeToString(encode(t, tc.enc, tc.subject)) + "?=\r\n" +
				"Message-ID: <x@example.cn>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=" + tc.charset +
				"\r\nContent-Transfer-Encoding: " + tc.cte + "\r\n\r\n" + enc + "\r\n"
			m, err := Parse([]byte(raw), 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			if m.Subject != tc.subject {
				t.Errorf("subject = %q, want %q", m.Subject, tc.subject)
			}
			if strings.TrimSpace(m.Text) != tc.body {
				t.Errorf("body = %q, want %q", m.Text, tc.body)
			}
			if m.FromName != "客户" || m.From != "c@example.cn" {
				t.Errorf("from = %q <%s>", m.FromName, m.From)
			}
		})
	}
}

func TestParseRFC2047Subjects(t *testing.T) {
	cases := map[string]string{
		"=?UTF-8?B?5oiR55qE55S16KeG?=":                   "我的电视",
		"=?utf-8?q?caf=C3=A9_au_lait?=":                  "café au lait",
		"Re: =?UTF-8?B?5oiR?= =?UTF-8?B?55qE?= TV":       "Re: 我的 TV",
		"=?UTF-8?B?5oiR?=\r\n =?UTF-8?B?55qE?=":          "我的",
		"=?iso-8859-1?q?=A1Hola!?=":                      "¡Hola!",
		"=?UTF-8?B?SGkNCkJjYzogZXZpbEB4LnRlc3Q=?= there": "Hi Bcc: evil@x.test there",
	}
	for in, want := range cases {
		raw := "From: a@b.example\r\nSubject: " + in + "\r\n\r\nbody\r\n"
		m, err := Parse([]byte(raw), 1<<20)
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		if m.Subject != want {
			t.Errorf("%q: subject %q, want %q", in, m.Subject, want)
		}
	}
}

func TestParseHTMLOnlySanitised(t *testing.T) {
	html := `<html><head><style>p{color:red}</style><script>alert('x')</script></head><body>
<p>My TV-55X has <b>no sound</b> &amp; no picture.</p><img src=x onerror=alert(1)><svg onload=alert(2)></svg>
<a href="javascript:alert(3)">click</a><div>Order 88812345678</div>
<blockquote>On Monday you wrote: old text</blockquote></body></html>`
	raw := "From: a@b.example\r\nSubject: html\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html
	m, err := Parse([]byte(raw), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if !m.FromHTML {
		t.Error("FromHTML not set")
	}
	for _, bad := range []string{"alert", "onerror", "<script", "javascript:", "<", "color:red"} {
		if strings.Contains(m.Text, bad) {
			t.Errorf("text keeps %q: %q", bad, m.Text)
		}
	}
	for _, good := range []string{"My TV-55X has no sound & no picture.", "Order 88812345678", "click"} {
		if !strings.Contains(m.Text, good) {
			t.Errorf("text lacks %q: %q", good, m.Text)
		}
	}
	if got := TrimQuoted(m.Text); strings.Contains(got, "old text") {
		t.Errorf("the HTML quote is not trimmed: %q", got)
	}
}

// What Chinese and some web mail clients send: GBK bytes with no charset
// declared (or only in an HTML <meta>), an empty text part beside the HTML,
// a named text attachment without a disposition.
func TestParseUndeclaredAndEmpty(t *testing.T) {
	gbk := string(encode(t, simplifiedchinese.GBK, "电视没有声音"))
	cases := []struct{ name, raw, want string }{
		{"GBK without a charset", "From: a@b.example\r\nSubject: x\r\nContent-Type: text/plain\r\n\r\n" + gbk + "\r\n", "电视没有声音"},
		{"GBK in HTML with a meta charset", "From: a@b.example\r\nSubject: x\r\nContent-Type: text/html\r\n\r\n<html><head><meta charset=gbk></head><body><p>" + gbk + "</p></body></html>\r\n", "电视没有声音"},
		{"empty text part beside the HTML", "From: a@b.example\r\nSubject: Question\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n" +
			"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n \r\n--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>My TV-55X has no sound</p>\r\n--b--\r\n", "My TV-55X has no sound"},
		{"a named text part is an attachment", "From: a@b.example\r\nSubject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n" +
			"--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>bought 2026-04-10, no sound</p>\r\n--b\r\nContent-Type: text/plain; name=\"log.txt\"\r\n\r\nERROR 42\r\n--b--\r\n", "bought 2026-04-10, no sound"},
	}
	for _, tc := range cases {
		m, err := Parse([]byte(tc.raw), 1<<20)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := strings.TrimSpace(m.Text); got != tc.want {
			t.Errorf("%s: body %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestParsePrefersPlain(t *testing.T) {
	raw := "From: a@b.example\r\nSubject: alt\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n" +
		"--b\r\nContent-Type: text/html\r\n\r\n<p>html version</p>\r\n--b\r\nContent-Type: text/plain\r\n\r\nplain version\r\n--b--\r\n"
	m, err := Parse([]byte(raw), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(m.Text) != "plain version" || m.FromHTML {
		t.Errorf("text = %q", m.Text)
	}
}

func TestParseKeys(t *testing.T) {
	base := "From: a@b.example\r\nTo: s@shop.example\r\nSubject: s\r\nDate: Wed, 25 Nov 2026 10:00:00 +0800\r\n"
	with := func(extra, body string) *Mail {
		m, err := Parse([]byte(extra+base+"\r\n"+body), 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	a := with("", "one")
	b := with("Received: from x by y\r\nDelivered-To: other@shop.example\r\n", "one")
	c := with("", "two")
	if a.Key() == "" || a.Key() != b.Key() {
		t.Errorf("the same mail by two routes: %q %q", a.Key(), b.Key())
	}
	if a.Key() == c.Key() {
		t.Error("two mails share a hash")
	}
	for _, id := range []string{"Message-ID: <>\r\n", "Message-ID:    \r\n", "Message-ID: <a b@c>\r\n"} {
		if m := with(id, "one"); m.MessageID != "" || !strings.HasPrefix(m.Key(), "sha256:") {
			t.Errorf("%q: id %q key %q", id, m.MessageID, m.Key())
		}
	}
	if m := with("Message-ID: <Abc.1@Example.net>\r\nIn-Reply-To: <p@x> (comment)\r\nReferences: <r1@x>\r\n <r2@x> junk <r3@x>\r\n", "x"); m.Key() != "Abc.1@Example.net" ||
		len(m.InReplyTo) != 1 || len(m.References) != 3 {
		t.Errorf("ids = %q %v %v", m.Key(), m.InReplyTo, m.References)
	}
}

func TestParseMalformed(t *testing.T) {
	for name, raw := range map[string]string{
		"no sender":   "Subject: x\r\n\r\nbody",
		"broken part": "From: a@b.example\r\nContent-Type: multipart/mixed; boundary=z\r\n\r\n--z\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!! ****\r\n--z--\r\n",
	} {
		if _, err := Parse([]byte(raw), 1<<20); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// FuzzParse: no input panics the parser; what it returns is safe to use
// as keys, headers and text.
func FuzzParse(f *testing.F) {
	f.Add([]byte("From: a@b.example\r\nSubject: =?GBK?B?ztK1xA==?=\r\nMessage-ID: <x@y>\r\n\r\nhello"))
	f.Add([]byte("From: \"Eve\r\n\" <e@x>\r\nContent-Type: multipart/mixed; boundary=q\r\n\r\n--q\r\nContent-Type: text/html\r\n\r\n<script>x</script><b>hi</b>\r\n--q--"))
	f.Add([]byte("From: a@b\r\nContent-Type: text/plain; charset=big5\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=A7=DA=\r\n"))
	f.Add([]byte("\x00\xff\r\n\r\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := Parse(raw, 1<<16)
		if m == nil {
			return
		}
		if m.Key() == "" {
			t.Fatal("empty dedupe key")
		}
		for _, s := range []string{m.Subject, m.FromName, m.From, m.MessageID} {
			if strings.ContainsAny(s, "\r\n") || !utf8.ValidString(s) {
				t.Fatalf("unsafe header value %q", s)
			}
		}
		if err == nil && !utf8.ValidString(m.Text) {
			t.Fatalf("invalid text %q", m.Text)
		}
	})
}

// TestParseFormatFlowed: Apple Mail and Thunderbird send format=flowed
// text; its soft line breaks are undone, so that a sentence (an order
// number, a numbered answer) is one line as the customer typed it.
func TestParseFormatFlowed(t *testing.T) {
	for _, tc := range []struct{ name, ct, body, want string }{
		{"delsp", "text/plain; charset=utf-8; format=flowed; delsp=yes",
			"1. The order number is 8881 \r\n2345678 and it was never dropped.\r\n2. no\r\n\r\n-- \r\nAlice\r\n",
			"1. The order number is 88812345678 and it was never dropped.\n2. no\n\n-- \nAlice\n"},
		{"without delsp", "text/plain; charset=utf-8; format=flowed",
			"I tried the reset but the TV still has no sound at all, even with \r\nheadphones plugged in.\r\n \r\n>> Did you try \r\n>> resetting it?\r\n",
			"I tried the reset but the TV still has no sound at all, even with headphones plugged in.\n\n>> Did you try resetting it?\n"},
		{"not flowed", "text/plain; charset=utf-8",
			"line one \r\nline two\r\n", "line one \nline two\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Parse([]byte("From: a@b.example\r\nSubject: x\r\nContent-Type: "+tc.ct+"\r\n\r\n"+tc.body), 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			if m.Text != tc.want {
				t.Errorf("Text = %q\nwant %q", m.Text, tc.want)
			}
		})
	}
}

// TestParseChineseRawHeaders: older Chinese clients write Subject and From
// in raw 8-bit GBK, and attachment names as RFC 2231 values in GBK; both
// are read as written (the subject is the ticket's title and our reply's,
// the name what the agent sees), not as mojibake or "attachment".
func TestParseChineseRawHeaders(t *testing.T) {
	g := func(s string) string { return string(encode(t, simplifiedchinese.GBK, s)) }
	raw := "From: " + g("张三") + " <zhang@example.cn>\r\nTo: s@shop.example\r\nSubject: " + g("回复：洗衣机不转") + "\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n" +
		"--b\r\nContent-Type: text/plain; charset=gbk\r\n\r\n" + g("发票在附件里") + "\r\n" +
		"--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename*=GBK''%B7%A2%C6%B1.pdf\r\n\r\nJVBERi0=\r\n--b--\r\n"
	m, err := Parse([]byte(raw), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "回复：洗衣机不转" || m.FromName != "张三" || m.From != "zhang@example.cn" {
		t.Errorf("Subject %q, From %q <%s>", m.Subject, m.FromName, m.From)
	}
	if len(m.Attachments) != 1 || m.Attachments[0].Name != "发票.pdf" {
		t.Errorf("attachments %+v, want 发票.pdf", m.Attachments)
	}
	if strings.TrimSpace(m.Text) != "发票在附件里" {
		t.Errorf("Text %q", m.Text)
	}
}

// TestParseUnnamedParts: an inline image or a mail forwarded as an
// attachment, sent without a file name, is named after its type, so that
// the agent can open it.
func TestParseUnnamedParts(t *testing.T) {
	raw := "From: a@b.example\r\nSubject: receipt\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n" +
		"--b\r\nContent-Type: text/plain\r\n\r\nsee below\r\n" +
		"--b\r\nContent-Type: image/png\r\nContent-Disposition: inline\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n" +
		"--b\r\nContent-Type: message/rfc822\r\n\r\nFrom: shop@x.example\r\nSubject: order\r\n\r\nthanks\r\n--b--\r\n"
	m, err := Parse([]byte(raw), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, a := range m.Attachments {
		names = append(names, a.Name)
	}
	if strings.Join(names, ",") != "attachment.png,attachment.eml" {
		t.Errorf("names %q, want attachment.png, attachment.eml", names)
	}
}
