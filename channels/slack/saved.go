package slack

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/ticketing"
)

// Saved replies (channels.slack.saved_replies): the assignee writes
// `!NAME` as a thread reply, optionally followed, after a space or a new
// line, by more text; the customer gets the saved reply in the
// conversation's language, its placeholders filled, and the text after the
// name below it after a blank line. It is an explicit send: it goes to the
// customer as a thread reply does in either mode of thread_replies, and is
// refused to others as their thread replies are. The thread says what was
// sent.

// SetSavedReplies puts new saved replies in force
// (channels.slack.saved_replies, read again on a configuration reload). It
// keeps no reference to replies beyond a copy. Safe for concurrent use.
func (d *Desk) SetSavedReplies(replies map[string]config.SavedReply) {
	r := maps.Clone(replies)
	d.savedList.Store(&r)
}

// savedReplies returns the saved replies in force.
func (d *Desk) savedReplies() map[string]config.SavedReply { return *d.savedList.Load() }

// savedMark is a thread reply calling a saved reply: `!NAME` (or `！NAME`,
// as a Chinese keyboard types it) as its first word. The name is read in
// any case. A first word that runs on past the name ("!warranty,") is a
// call too, of a name no saved reply has: the agent is told, rather than
// the customer sent "!warranty, …".
var savedMark = regexp.MustCompile(`^[!！]([A-Za-z0-9_-]\S*)(?:\s+|$)`)

// savedCall is a thread reply calling a saved reply: its name, and the
// Slack text after it (appended to the reply).
type savedCall struct{ name, rest string }

// callOf reports whether a thread reply's Slack text raw calls a saved
// reply, and which.
func callOf(raw string) (savedCall, bool) {
	raw = strings.TrimSpace(raw)
	m := savedMark.FindStringSubmatch(raw)
	if m == nil {
		return savedCall{}, false
	}
	return savedCall{name: strings.ToLower(m[1]), rest: raw[len(m[0]):]}, true
}

// sentCall is callOf for a reply sent with a send mark: `reply: !warranty`
// calls the saved reply as `!warranty` does (the customer never reads
// "!warranty").
func sentCall(raw string) (savedCall, bool) {
	raw = strings.TrimSpace(raw)
	return callOf(raw[len(sendMark.FindString(raw)):])
}

// threadCall reports whether a thread reply's Slack text raw calls a saved
// reply: `!NAME` first, or after a send mark where thread replies are
// internal by default and the mark is how a reply reaches the customer.
func (d *Desk) threadCall(raw string) (savedCall, bool) {
	if d.internalByDefault() {
		return sentCall(raw)
	}
	return callOf(raw)
}

// savedText returns what a call of a saved reply sends to the customer of
// ticket tk (conversation conv) from the agent the customer knows as agent:
// the reply in the conversation's language (lang) with its placeholders
// filled, and the text after the name (made plain with name, as a thread
// reply's) after a blank line. ok is false when no saved reply has the
// name.
func (d *Desk) savedText(c savedCall, tk *ticketing.Ticket, conv *dialog.Conversation, agent string, name func(user string) string) (text, lang string, ok bool) {
	r, ok := d.savedReplies()[c.name]
	if !ok {
		return "", "", false
	}
	lang, customer := dialog.Addressee(tk, conv)
	text = r.Text(lang, config.SavedValues{Ticket: tk.ID, Agent: agent, Customer: customer})
	if rest := fromSlack(c.rest, name); rest != "" {
		text += "\n\n" + rest
	}
	return text, lang, true
}

// fill is savedText for the call c written raw (its Slack text) in the
// message at ts in channel, as a send of it that began filled it (keepFill):
// a retry (a delivery cut short after the reply may have gone) sends, and
// looks for in the customer's history, that text, even when a reload
// changed or removed the saved reply since.
func (d *Desk) fill(ctx context.Context, channel, ts, raw string, c savedCall, tk *ticketing.Ticket, conv *dialog.Conversation, agent string, name func(user string) string) (text, lang string, ok bool, err error) {
	if text, ok, err = d.db.SlackFilled(ctx, channel, ts, raw); err != nil || ok {
		lang, _ = dialog.Addressee(tk, conv)
		return text, lang, ok, err
	}
	text, lang, ok = d.savedText(c, tk, conv, agent, name)
	return text, lang, ok, nil
}

// keepFill records, as a send of the call written raw in the message at ts
// in channel begins, the text it sends (see fill).
func (d *Desk) keepFill(ctx context.Context, channel, ts, raw, text string) error {
	_, err := d.db.SlackFill(ctx, channel, ts, raw, text, time.Now())
	return err
}

// unknownSaved tells an agent that no saved reply has the name they
// called, and which there are.
func (d *Desk) unknownSaved(name string) string {
	names := slices.Sorted(maps.Keys(d.savedReplies()))
	if len(names) == 0 {
		return fmt.Sprintf("Nothing was sent: `!%s` calls a saved reply, and none is configured (channels.slack.saved_replies).", esc(name))
	}
	for i, n := range names {
		names[i] = "`!" + n + "`"
	}
	how := ""
	if !config.IsSavedReplyName(name) {
		how = " A name is letters, digits, _ and -: write `!NAME` alone, or followed by a space or a new line and your text."
	}
	return fmt.Sprintf("Nothing was sent: there is no saved reply `%s`.%s The saved replies are %s (`/ticket replies` shows them).", esc(name), how, strings.Join(names, ", "))
}

// savedSent says in the thread which saved reply an agent (Slack user)
// sent and what the customer read, in the conversation's language.
func savedSent(user, name, lang, text string) string {
	language := "Chinese"
	if lang == "en" {
		language = "English"
	}
	lines := strings.Split(clip(text, 38000), "\n")
	for i, l := range lines {
		lines[i] = "> " + esc(l)
	}
	return fmt.Sprintf("📋 Saved reply `%s` sent to the customer by <@%s>, in %s:\n%s", esc(name), user, language, strings.Join(lines, "\n"))
}

// savedListing is /ticket replies' answer: every saved reply by name, with
// the first line of each language.
func (d *Desk) savedListing() string {
	replies := d.savedReplies()
	if len(replies) == 0 {
		return "No saved replies are configured (channels.slack.saved_replies)."
	}
	lines := []string{fmt.Sprintf("Saved replies (%d): write `!NAME` in a ticket's thread, as its assignee, to send one to the customer in the conversation's language; text after the name is added below it.", len(replies))}
	for _, name := range slices.Sorted(maps.Keys(replies)) {
		r := replies[name]
		lines = append(lines, fmt.Sprintf("• `!%s` 中文: %s\n      English: %s", name, esc(clip(firstLine(r.Zh), 100)), esc(clip(firstLine(r.En), 100))))
	}
	return strings.Join(lines, "\n")
}

// firstLine is the first line of s with text.
func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			return strings.TrimSpace(l)
		}
	}
	return ""
}
