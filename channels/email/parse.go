package email

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	netmail "net/mail"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/charset" // GBK, GB18030, Big5, ... for bodies and RFC 2047 words
	"github.com/emersion/go-message/mail"
	"github.com/emersion/go-message/textproto"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// ErrMalformed: a mail that cannot be read (broken MIME, no sender). Such a
// mail is quarantined at once: reading it again gives the same result.
var ErrMalformed = errors.New("malformed mail")

// Mail is an inbound mail as the channel reads it.
type Mail struct {
	MessageID   string   // without angle brackets; "" when missing or unreadable
	InReplyTo   []string // without angle brackets
	References  []string // oldest first, as in the header
	From        string   // the customer's address, lower-cased: From, or Reply-To (useReplyTo)
	FromName    string   // decoded, control characters removed
	Sender      string   // the From address when Reply-To replaced it, else ""
	ReplyTo     string   // the one Reply-To address, lower-cased; "" when none or several
	ReplyToName string
	To, Cc      []string // the recipients' addresses, lower-cased, the unusable left out
	Subject     string   // decoded, control characters removed
	Date        time.Time
	Text        string // the body as plain text: text/plain, or sanitised HTML as text
	FromHTML    bool   // Text was converted from HTML
	Attachments []Part
	Skipped     []string // attachments over the size limit, by name
	Undecoded   []string // why a winmail.dat (TNEF) part was kept as it came, one per such part
	Header      mail.Header
	Report      bool // a multipart/report (delivery status, read receipt)
	// DeliveryStatus is the message/delivery-status part of a bounce (RFC
	// 3464), and Returned the header of the mail it returns (a
	// text/rfc822-headers part, or the header of a message/rfc822 one).
	DeliveryStatus, Returned string
	Hash                     string // a stable hash of the content: what dedupes a mail without Message-ID (only then set)
}

// Part is an attachment.
type Part struct {
	Name string
	Type string // as declared; the stored type is sniffed from the content
	Data []byte
}

// Key returns the dedupe key: the Message-ID, or the content hash when the
// mail has none. It is never empty.
func (m *Mail) Key() string {
	if m.MessageID != "" {
		return m.MessageID
	}
	return m.Hash
}

// maxHeaderBytes bounds the header of a mail (go-message's default is 1 MiB).
const maxHeaderBytes = 1 << 20

// Parse reads a raw mail. Attachments larger than maxAttachment bytes are
// skipped (named in Skipped). The error wraps ErrMalformed when the mail
// cannot be read at all; a mail with an unknown charset or transfer encoding
// in one part is read with that part as it is.
func Parse(raw []byte, maxAttachment int64) (*Mail, error) {
	e, err := message.ReadWithOptions(bytes.NewReader(raw), &message.ReadOptions{MaxHeaderBytes: maxHeaderBytes})
	if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	h := mail.Header{Header: e.Header}
	m := &Mail{Header: h}
	if m.MessageID = msgID(h); m.MessageID == "" {
		m.Hash = contentHash(raw)
	}
	m.InReplyTo = msgIDs(h, "In-Reply-To")
	m.References = msgIDs(h, "References")
	rawGBKHeaders(&h)
	m.From, m.FromName = senderOf(h)
	if m.From == "" {
		return m, fmt.Errorf("%w: no sender address", ErrMalformed)
	}
	if l, err := h.AddressList("Reply-To"); err == nil && len(l) == 1 {
		m.ReplyTo, m.ReplyToName = cleanAddr(l[0].Address), clean(l[0].Name)
	}
	m.To, m.Cc = addresses(h, "To"), addresses(h, "Cc")
	subject, _ := h.Subject()
	m.Subject = clean(subject)
	m.Date, _ = h.Date()
	mt, _, _ := h.ContentType()
	m.Report = strings.EqualFold(mt, "multipart/report") || strings.EqualFold(mt, "message/delivery-status")
	if err := m.readBody(e, maxAttachment); err != nil {
		return m, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return m, nil
}

// readBody walks the MIME tree: the first text/plain part is the body, or
// else (or when it is empty) the first text/html part, sanitised and
// converted; parts with a file name (a text part's unless it is inline) or
// an attachment disposition are attachments.
func (m *Mail) readBody(e *message.Entity, maxAttachment int64) error {
	var plain, html string
	var havePlain, haveHTML bool
	err := e.Walk(func(path []int, p *message.Entity, err error) error {
		if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
			return err
		}
		mt, params, _ := p.Header.ContentType()
		if strings.HasPrefix(mt, "multipart/") {
			return nil
		}
		disp, dparams, _ := p.Header.ContentDisposition()
		name := clean(dparams["filename"])
		if name == "" {
			name = clean(params["name"])
		}
		if name == "" {
			name = extendedName(p.Header.Get("Content-Disposition"), p.Header.Get("Content-Type"))
		}
		switch mt {
		case "message/delivery-status", "message/global-delivery-status":
			s, err := readText(p.Body)
			m.DeliveryStatus = s
			return err
		case "text/rfc822-headers", "message/rfc822-headers":
			s, err := readText(p.Body)
			m.Returned = s
			return err
		}
		if disp == "attachment" || name != "" && (!strings.HasPrefix(mt, "text/") || disp != "inline") || mt == "message/rfc822" {
			if err := m.attach(p.Body, name, mt, maxAttachment); err != nil || mt != "message/rfc822" || m.Returned != "" || len(m.Attachments) == 0 {
				return err
			}
			if last := m.Attachments[len(m.Attachments)-1]; last.Type == mt {
				head, _, _ := strings.Cut(strings.ReplaceAll(string(last.Data), "\r\n", "\n"), "\n\n")
				m.Returned = head
			}
			return nil
		}
		switch {
		case (mt == "text/plain" || mt == "") && !havePlain:
			s, err := readText(p.Body)
			if err != nil {
				return err
			}
			if strings.EqualFold(params["format"], "flowed") {
				s = unflow(s, strings.EqualFold(params["delsp"], "yes"))
			}
			plain, havePlain = s, true
		case mt == "text/html" && !haveHTML:
			s, err := readText(p.Body)
			if err != nil {
				return err
			}
			html, haveHTML = s, true
		case strings.HasPrefix(mt, "image/") || strings.HasPrefix(mt, "application/"):
			return m.attach(p.Body, name, mt, maxAttachment)
		}
		return nil
	})
	m.Text = plain
	if strings.TrimSpace(plain) == "" && haveHTML {
		m.Text, m.FromHTML = htmlToText(html), true // no text part, or an empty one beside the HTML
	}
	return err
}

// maxBodyBytes bounds the text read from one body part.
const maxBodyBytes = 1 << 20

func readText(r io.Reader) (string, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxBodyBytes))
	if err != nil {
		return "", err
	}
	if !utf8.Valid(b) {
		// No charset declared (or only in an HTML <meta>) and not UTF-8:
		// Chinese mail clients' bytes are GBK, read as its superset.
		if d, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b); err == nil {
			b = d
		}
	}
	s := strings.ReplaceAll(string(b), "\r\n", "\n")
	return strings.ToValidUTF8(s, "\uFFFD"), nil
}

func (m *Mail) attach(r io.Reader, name, mt string, limit int64) error {
	if name == "" {
		name = unnamed(mt)
	}
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return err
	}
	if int64(len(b)) > limit {
		m.Skipped = append(m.Skipped, name)
		return nil
	}
	if isTNEF(mt, name) {
		// Outlook's Rich Text mail: the files are inside. A stream that
		// cannot be read, or holds something that is not a file (an
		// embedded message), is kept as it came too: nothing is lost.
		files, left, err := decodeTNEF(b, limit)
		if err == nil && left > 0 {
			err = fmt.Errorf("%w: %d attachments without bytes (an embedded message or object)", ErrTNEF, left)
		}
		for _, f := range files {
			m.Attachments = append(m.Attachments, Part(f))
		}
		if err == nil {
			return nil
		}
		m.Undecoded = append(m.Undecoded, err.Error())
	}
	m.Attachments = append(m.Attachments, Part{Name: name, Type: mt, Data: b})
	return nil
}

// msgID returns the Message-ID without brackets, "" when missing. An id
// that does not parse is taken as it is, trimmed, when it is usable.
func msgID(h mail.Header) string {
	id, err := h.MessageID()
	if err != nil || id == "" {
		id = strings.Trim(strings.TrimSpace(h.Get("Message-Id")), "<>")
	}
	return usableID(id)
}

// usableID refuses ids that cannot be keys: empty, too long, or with
// spaces or control characters.
func usableID(id string) string {
	id = strings.TrimSpace(id)
	if id == "" || len(id) > 250 || !utf8.ValidString(id) {
		return ""
	}
	for _, r := range id {
		if r <= ' ' || r == 0x7f || r == '<' || r == '>' {
			return ""
		}
	}
	return id
}

var bracketed = regexp.MustCompile(`<([^<>\s]+)>`)

// msgIDs returns the ids of In-Reply-To or References, lenient about what
// sits between them.
func msgIDs(h mail.Header, key string) []string {
	var out []string
	for _, sm := range bracketed.FindAllStringSubmatch(h.Get(key), 50) {
		if id := usableID(sm[1]); id != "" {
			out = append(out, id)
		}
	}
	return out
}

var addrRe = regexp.MustCompile(`[A-Za-z0-9._%+\-=/!#$&'*?^{|}~]+@[A-Za-z0-9.\-\[\]:]+`)

// useReplyTo makes the Reply-To address the customer's when a mail names
// one other than From and the support address: a contact form or a shop
// relays the customer's mail from its own (often no-reply) address, and
// a reply belongs where the customer asked for it (RFC 5322 §3.6.2). The
// mail is then read as the Reply-To's; Sender keeps the From.
func (m *Mail) useReplyTo(support string) {
	if m.ReplyTo == "" || m.ReplyTo == m.From || m.ReplyTo == support {
		return
	}
	m.Sender = m.From
	m.From, m.FromName = m.ReplyTo, m.ReplyToName
}

// senderOf returns the From address, lower-cased, and its display name.
func senderOf(h mail.Header) (addr, name string) {
	if l, err := h.AddressList("From"); err == nil && len(l) > 0 {
		return cleanAddr(l[0].Address), clean(l[0].Name)
	}
	raw := h.Get("From")
	if a, err := netmail.ParseAddress(raw); err == nil {
		return cleanAddr(a.Address), clean(a.Name)
	}
	return cleanAddr(addrRe.FindString(raw)), ""
}

// maxRecipients bounds the addresses read from one To or Cc header.
const maxRecipients = 50

// addresses returns the addresses of an address-list header, lenient about
// what does not parse.
func addresses(h mail.Header, key string) []string {
	var raw []string
	if l, err := h.AddressList(key); err == nil {
		for _, a := range l {
			raw = append(raw, a.Address)
		}
	} else {
		raw = addrRe.FindAllString(h.Get(key), maxRecipients)
	}
	var out []string
	for _, a := range raw[:min(len(raw), maxRecipients)] {
		if a = cleanAddr(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}

// cleanAddr lower-cases an address and refuses one with spaces or control
// characters.
func cleanAddr(a string) string {
	a = strings.ToLower(strings.TrimSpace(a))
	if strings.ContainsFunc(a, func(r rune) bool { return r <= ' ' || r == 0x7f || r == '<' || r == '>' || r == '"' }) ||
		strings.Count(a, "@") != 1 || strings.HasPrefix(a, "@") || strings.HasSuffix(a, "@") {
		return ""
	}
	return a
}

// clean makes a header value safe for a header line: control characters
// (CR and LF above all) become spaces, runs of spaces shrink to one.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || r == '\u2028' || r == '\u2029' || r == '\u0085' {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// contentHash hashes what stays the same when a mail is delivered twice or
// to two mailboxes: the sender, recipients, date, subject and body, but not
// the headers servers add on the way (Received, Delivered-To, Return-Path).
func contentHash(raw []byte) string {
	hd := sha256.New()
	br := bufio.NewReader(bytes.NewReader(raw))
	h, err := textproto.ReadHeader(br)
	if err == nil {
		for _, k := range []string{"From", "To", "Cc", "Date", "Subject", "Content-Type"} {
			fmt.Fprintf(hd, "%s:%s\n", k, strings.Join(strings.Fields(h.Get(k)), " "))
		}
		fmt.Fprint(hd, "\n")
		_, _ = io.Copy(hd, br)
	} else {
		hd.Write(raw)
	}
	return "sha256:" + hex.EncodeToString(hd.Sum(nil)[:16])
}

// unflow joins the lines of a format=flowed body (RFC 3676, Apple Mail,
// Thunderbird) as they were written: a line ending in a space goes on on
// the next line of the same quote depth (the space removed too with
// delsp=yes); space-stuffing is undone. "-- " stays a signature line.
func unflow(s string, delsp bool) string {
	var out []string
	open := false // the last line of out goes on
	openDepth := 0
	for _, l := range strings.Split(s, "\n") {
		depth := len(l) - len(strings.TrimLeft(l, ">"))
		body := strings.TrimPrefix(l[depth:], " ") // space-stuffing
		flowed := body != "-- " && strings.HasSuffix(body, " ")
		if flowed && delsp {
			body = body[:len(body)-1]
		}
		if open && depth == openDepth {
			out[len(out)-1] += body
		} else {
			prefix := ""
			if depth > 0 {
				prefix = strings.Repeat(">", depth) + " "
			}
			out = append(out, prefix+body)
		}
		open, openDepth = flowed, depth
	}
	return strings.Join(out, "\n")
}

// rawGBKHeaders decodes the Subject and From of a header written in raw
// 8-bit GBK (older Chinese mail clients send it so, without RFC 2047
// words): as they are they would read as mojibake.
func rawGBKHeaders(h *mail.Header) {
	for _, k := range []string{"Subject", "From"} {
		v := h.Get(k)
		if v == "" || utf8.ValidString(v) || strings.Contains(v, "=?") {
			continue
		}
		if d, err := simplifiedchinese.GB18030.NewDecoder().String(v); err == nil {
			h.Set(k, d)
		}
	}
}

// extendedParam is an RFC 2231 parameter value in a charset Go's mime
// package does not read: filename*=GBK”%B7%A2%C6%B1.pdf.
var extendedParam = regexp.MustCompile(`(?i)\b(?:filename|name)\*=\s*"?([A-Za-z0-9_\-]+)'[^']*'([^";\s]+)`)

// extendedName returns an attachment's file name given as an RFC 2231
// value in another charset than UTF-8 (Chinese clients use GBK), decoded;
// "" when there is none.
func extendedName(headers ...string) string {
	for _, v := range headers {
		sm := extendedParam.FindStringSubmatch(v)
		if sm == nil {
			continue
		}
		raw, err := url.PathUnescape(sm[2])
		if err != nil {
			continue
		}
		r, err := charset.Reader(sm[1], strings.NewReader(raw))
		if err != nil {
			continue
		}
		b, err := io.ReadAll(io.LimitReader(r, 1024))
		if err == nil && utf8.Valid(b) {
			return clean(string(b))
		}
	}
	return ""
}

// unnamedExt are the extensions of the types of parts sent without a file
// name (an inline image, a mail forwarded as an attachment).
var unnamedExt = map[string]string{"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp",
	"image/heic": ".heic", "application/pdf": ".pdf", "message/rfc822": ".eml", "text/calendar": ".ics"}

// unnamed names a part sent without a file name after its type, so that
// an agent can open it: "attachment.png", "attachment.eml".
func unnamed(mt string) string {
	return "attachment" + unnamedExt[strings.ToLower(mt)]
}
