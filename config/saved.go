package config

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// SavedReply is one of the agents' saved replies
// (channels.slack.saved_replies): its text in both languages, with the
// placeholders {ticket}, {agent} and {customer}.
type SavedReply struct {
	Zh string `yaml:"zh"`
	En string `yaml:"en"`
}

// SavedReplyMax is the longest text of a saved reply, in characters: the
// longest message a customer may write on the web chat.
const SavedReplyMax = 4000

// savedReplyName is a saved reply's name, as agents type it after `!`.
var savedReplyName = regexp.MustCompile(`^[a-z0-9_-]{1,40}$`)

// IsSavedReplyName reports whether name is a valid saved reply name: 1 to
// 40 of a-z, 0-9, _ and -.
func IsSavedReplyName(name string) bool { return savedReplyName.MatchString(name) }

// savedPlaceholders are the placeholders of a saved reply's text, and what
// each is replaced by.
var savedPlaceholders = map[string]string{
	"ticket":   "the ticket's id",
	"agent":    "the name the customer sees for the agent",
	"customer": "the customer's name, when known",
}

// braced is any text in braces.
var braced = regexp.MustCompile(`\{[^{}\n]*\}`)

// SavedValues are what a saved reply's placeholders are replaced by.
type SavedValues struct {
	Ticket   string // {ticket}: the ticket's id, T-1001
	Agent    string // {agent}: the name the customer sees for the agent
	Customer string // {customer}: the customer's name, "" when not known
}

// Text returns the reply in lang ("en" is English, anything else Chinese)
// with its placeholders filled, without the white space around it (the
// line break that ends a YAML block). Without a customer's name (web chat does
// not ask it; an email sender may give none), {customer} is left out with
// the space and the comma that lead up to it, or with the comma and space
// that follow it at the start of a line: "Hi {customer}, thanks" reads "Hi,
// thanks", "您好，{customer}！" reads "您好！" and "{customer}，您好" reads
// "您好".
func (r SavedReply) Text(lang string, v SavedValues) string {
	s := r.Zh
	if lang == "en" {
		s = r.En
	}
	s = strings.NewReplacer("{ticket}", v.Ticket, "{agent}", v.Agent).Replace(s)
	if name := strings.TrimSpace(v.Customer); name != "" {
		return strings.TrimSpace(strings.ReplaceAll(s, "{customer}", name))
	}
	return strings.TrimSpace(dropCustomer(s))
}

// dropCustomer leaves out every {customer} of s, as SavedReply.Text says.
func dropCustomer(s string) string {
	const ph = "{customer}"
	var b strings.Builder
	for {
		i := strings.Index(s, ph)
		if i < 0 {
			return b.String() + s
		}
		before, after := s[:i], s[i+len(ph):]
		if strings.TrimLeft(before[strings.LastIndexByte(before, '\n')+1:], " \t") == "" {
			// At a line's start: what follows begins the line.
			after = strings.TrimLeft(trimComma(strings.TrimLeft(after, " \t"), strings.TrimPrefix), " \t")
		} else {
			before = strings.TrimRight(before, " \t")
			if r, _ := utf8.DecodeRuneInString(after); after == "" || r == '\n' || unicode.IsPunct(r) {
				before = strings.TrimRight(trimComma(before, strings.TrimSuffix), " \t")
			}
		}
		b.WriteString(before)
		s = after
	}
}

// trimComma removes one comma (, ， or 、) with trim (strings.TrimPrefix or
// strings.TrimSuffix).
func trimComma(s string, trim func(s, comma string) string) string {
	for _, c := range []string{",", "，", "、"} {
		if t := trim(s, c); t != s {
			return t
		}
	}
	return s
}

// validateSavedReplies checks channels.slack.saved_replies: valid names,
// both languages given, not blank, at most SavedReplyMax characters, and
// no braced text but the placeholders (it would reach the customer as
// written).
func (s *Slack) validateSavedReplies(l *loader) {
	for _, name := range slices.Sorted(maps.Keys(s.SavedReplies)) {
		r := s.SavedReplies[name]
		p := "channels.slack.saved_replies." + name
		if !IsSavedReplyName(name) {
			l.add(p, fmt.Sprintf("%q is not a saved reply name: 1 to 40 of a-z, 0-9, _ and - (agents type it after !, as !%s)", name, suggestName(name)))
		}
		for _, t := range []struct{ lang, text string }{{"zh", r.Zh}, {"en", r.En}} {
			lp := p + "." + t.lang
			switch n := utf8.RuneCountInString(t.text); {
			case strings.TrimSpace(t.text) == "":
				l.add(lp, "required: the reply in "+map[string]string{"zh": "Chinese", "en": "English"}[t.lang]+", not blank (a saved reply goes in the conversation's language)")
				continue
			case n > SavedReplyMax:
				l.add(lp, fmt.Sprintf("%d characters: at most %d", n, SavedReplyMax))
			}
			checkSavedPlaceholders(l, lp, t.text)
		}
	}
}

// checkSavedPlaceholders reports every braced text of s that is not a
// placeholder of saved replies, on its line.
func checkSavedPlaceholders(l *loader, path, s string) {
	for _, loc := range braced.FindAllStringIndex(s, -1) {
		m := s[loc[0]:loc[1]]
		if _, ok := savedPlaceholders[m[1:len(m)-1]]; ok {
			continue
		}
		line := strings.Count(s[:loc[0]], "\n")
		l.addIn(path, line, fmt.Sprintf("unknown placeholder %s: a saved reply may use {ticket} (%s), {agent} (%s) and {customer} (%s)",
			m, savedPlaceholders["ticket"], savedPlaceholders["agent"], savedPlaceholders["customer"]))
	}
}

// suggestName is name as a saved reply name could be: lower case, other
// characters as -.
func suggestName(name string) string {
	out := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return '-'
	}, name)
	if out == "" {
		return "name"
	}
	if len(out) > 40 {
		out = out[:40]
	}
	return out
}
