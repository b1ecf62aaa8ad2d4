package email

import (
	"regexp"
	"strings"
)

// LoopHeader marks every automatic mail the gateway sends; its value is the
// support address. Mail that comes back with it is ours.
const LoopHeader = "X-Supportd-Loop"

// msgIDPrefix starts the local part of every Message-ID the gateway makes.
const msgIDPrefix = "supportd."

// identity is what tells our own mail from a customer's.
type identity struct {
	address  string // the support address, lower-cased
	idDomain string // the domain of our Message-IDs, lower-cased
}

// own returns why a mail is our own (sent by the gateway and fetched back:
// a CC to ourselves, a copy in a shared mailbox), or "".
func (id identity) own(m *Mail) string {
	switch {
	case m.Header.Get(LoopHeader) != "":
		return "our loop header"
	case id.address != "" && (m.From == id.address || m.Sender == id.address):
		return "from our own address"
	case id.isOurs(m.MessageID):
		return "our Message-ID"
	}
	return ""
}

// isOurs reports whether a Message-ID is one the gateway made.
func (id identity) isOurs(mid string) bool {
	local, domain, ok := strings.Cut(mid, "@")
	return ok && strings.HasPrefix(local, msgIDPrefix) && strings.EqualFold(domain, id.idDomain)
}

// automatedHeaders mark automatic mail sent without the RFC 3834 headers,
// whatever their value: Microsoft Exchange's out-of-office, procmail's and
// other responders' loop header, and vacation responders' own. Exchange's
// inbox-rule header is not among them: see ruleReply.
var automatedHeaders = []string{"X-Auto-Response-Suppress", "X-Loop", "X-Autoreply", "X-Autorespond", "X-Auto-Reply"}

// ruleReply reports whether an Exchange inbox rule of the sender's own
// mailbox made the mail (a "thank you, we received…" reply): the rule's
// loop header names the mailbox whose rule acted. A rule that redirects
// mail (info@ to the support address) leaves the customer as the sender,
// and that mail is a customer's, answered; so is Exchange's
// X-MS-Exchange-Generated-Message-Source, which rules' copies carry too.
func ruleReply(m *Mail) bool {
	for _, v := range m.Header.Values("X-MS-Exchange-Inbox-Rules-Loop") {
		if a := strings.Trim(strings.TrimSpace(v), "<>"); a != "" && strings.EqualFold(a, m.From) {
			return true
		}
	}
	return false
}

// automatedSenders are local parts of addresses that only send automatic
// mail.
var automatedSenders = []string{"mailer-daemon", "postmaster", "noreply", "no-reply", "no_reply", "donotreply", "do-not-reply", "do_not_reply"}

// automatedAddress reports whether an address only sends automatic mail
// (automatedSenders).
func automatedAddress(addr string) bool {
	local, _, _ := strings.Cut(addr, "@")
	for _, s := range automatedSenders {
		if local == s || strings.HasPrefix(local, s+"+") || strings.HasPrefix(local, s+"-") {
			return true
		}
	}
	return false
}

// automated returns why a mail was sent by a machine (RFC 3834 and the
// usual conventions), or "". Such mail is recorded and never answered.
func automated(m *Mail) string {
	h := m.Header
	if v := headerToken(h.Get("Auto-Submitted")); v != "" && v != "no" {
		return "Auto-Submitted: " + v
	}
	switch v := headerToken(h.Get("Precedence")); v {
	case "bulk", "list", "junk", "auto_reply":
		return "Precedence: " + v
	}
	if h.Has("List-Id") {
		return "List-Id"
	}
	if h.Has("Return-Path") {
		if rp := strings.TrimSpace(h.Get("Return-Path")); rp == "" || rp == "<>" {
			return "empty Return-Path"
		}
	}
	if m.Report {
		return "delivery or disposition report"
	}
	for _, k := range automatedHeaders {
		if h.Has(k) {
			return k
		}
	}
	if ruleReply(m) {
		return "X-MS-Exchange-Inbox-Rules-Loop: the sender's own rule"
	}
	if automatedAddress(m.From) {
		return "automated sender"
	}
	if h.Has("List-Unsubscribe") {
		return "List-Unsubscribe" // a newsletter
	}
	// An out-of-office reply without the headers: by its subject (also
	// behind a mail system's tag) or what it opens with.
	for _, subject := range []string{strings.ToLower(m.Subject), strings.ToLower(subjectTag.ReplaceAllString(m.Subject, ""))} {
		for _, p := range autoSubjects {
			if strings.HasPrefix(subject, p) {
				return "subject: " + p
			}
		}
	}
	opening := strings.ToLower(strings.TrimSpace(m.Text))
	opening = opening[:min(len(opening), 300)]
	for _, p := range autoOpenings {
		if strings.Contains(opening, p) {
			return "auto-reply text"
		}
	}
	return ""
}

// subjectTag is a mail system's tag in front of a subject ("[EXTERNAL] ").
var subjectTag = regexp.MustCompile(`^\s*(\[[^\[\]]{1,30}\]|【[^【】]{1,30}】)\s*`)

// autoOpenings are said at the top of automatic replies whose header does
// not say so: QQ Mail's and NetEase's holiday replies, and the usual
// English ones.
var autoOpenings = []string{"这是来自qq邮箱的假期自动回复邮件", "这是一封自动回复邮件", "此邮件为自动回复", "本邮件为自动回复", "此为自动回复",
	"this is an automatic reply", "this is an automated reply", "this is an auto-reply", "this is an automated response",
	"this is an automatic response", "this is an auto-generated"}

// autoSubjects start the subjects of automatic replies sent without the
// headers that say so (some mail clients' out-of-office replies).
var autoSubjects = []string{"automatic reply:", "auto reply:", "autoreply:", "auto-reply:", "out of office", "out of the office",
	"自动回复", "自動回覆", "自动答复", "休假自动回复"}

// headerToken returns a header's first token, lower-cased: "auto-replied"
// of "auto-replied; owner-email=...".
func headerToken(v string) string {
	v, _, _ = strings.Cut(v, ";")
	v = strings.ToLower(clean(v))
	if len(v) > 40 { // it ends up in logs and records: bounded
		v = strings.ToValidUTF8(v[:40], "")
	}
	return v
}
