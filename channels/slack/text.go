package slack

import (
	"context"
	"regexp"
	"strings"
)

// keep is a rule that keeps a thread reply from the customer: a reply that
// begins with its mark is for the agents, and is kept as an internal note.
type keep struct {
	// mark matches at the start of the reply: in Slack's markup (<@U1>,
	// <!here>) when markup is set, else in its text made words.
	mark   *regexp.Regexp
	markup bool
	// strip removes the mark from the note.
	strip bool
	// hint tells the agent why the reply stayed internal and how to reach
	// the customer; "" when the mark says so itself (note:).
	hint string
}

// keeps are the rules, checked in order:
//   - "note:", "Note :", "internal:", "备注：", "内部: " (any case, a space
//     before the colon or not, an ASCII or a full-width colon);
//   - a mention of a member (<@U1>), of a user group (<!subteam^S1>) or of
//     everyone (<!here>, <!channel>, <!everyone>) first: agents address a
//     colleague so in the thread ("@Grace can you check the serial?"). A
//     mention later in the reply changes nothing.
var keeps = []keep{
	{mark: regexp.MustCompile(`^(?i:note|internal|备注|内部)\s*[:：]`), strip: true},
	{mark: regexp.MustCompile(`^<(?:@[UW][A-Z0-9]+|!subteam\^[A-Z0-9]+|!here|!channel|!everyone)(?:\|[^<>]*)?>`), markup: true,
		hint: "it begins with a mention, so it is taken as meant for your colleagues. To reply to the customer, begin with something else (mention a colleague later in the reply if needed)"},
}

// internal turns a thread reply's Slack text raw into plain text (see
// fromSlack) and reports which rule, if any, keeps it internal; the text is
// without a mark the rule strips.
func internal(raw string, name func(user string) string) (string, *keep) {
	text := fromSlack(raw, name)
	for i := range keeps {
		k := &keeps[i]
		if k.markup {
			if k.mark.MatchString(strings.TrimSpace(raw)) {
				return text, k
			}
			continue
		}
		if m := k.mark.FindString(text); m != "" {
			if k.strip {
				text = strings.TrimSpace(text[len(m):])
			}
			return text, k
		}
	}
	return text, nil
}

// sendMark begins a reply meant for the customer when thread replies are
// internal by default (channels.slack.thread_replies: internal): "reply:",
// "Customer :", "回复：", "客户: " (any case, a space before the colon or
// not, an ASCII or a full-width colon), like the note marks.
var sendMark = regexp.MustCompile(`^(?i:reply|customer|回复|客户)\s*[:：]`)

// unmarked is the rule that keeps a reply without a send mark when thread
// replies are internal by default; its hint is given once per ticket and
// assignee (internalHint), not on every reply.
var unmarked = keep{hint: internalHint}

// internalHint tells an agent once that their reply stayed internal, and
// how to reach the customer.
const internalHint = "Kept as an internal note: replies in ticket threads stay internal here (channels.slack.thread_replies: internal). " +
	"To send one to the customer, begin it with `reply:` (or `customer:`, `回复:`, `客户:`), or use *Send to customer* in the message's ⋯ menu."

// classify is internal for a desk whose thread replies are internal by
// default (byDefault): a reply with a note mark is a note, one with a send
// mark goes to the customer without the mark, and any other (one that begins
// with a mention too) is kept by unmarked. Otherwise it is internal.
func classify(raw string, name func(user string) string, byDefault bool) (string, *keep) {
	text, kept := internal(raw, name)
	if !byDefault || kept != nil && kept.hint == "" {
		return text, kept
	}
	if m := sendMark.FindString(text); m != "" {
		return strings.TrimSpace(text[len(m):]), nil
	}
	return text, &unmarked
}

// shortcutText is what the Send to customer shortcut sends of a thread
// message's Slack text raw: its text made words, without a note or a send
// mark (the agent chose to send it), mentions as names.
func shortcutText(raw string, name func(user string) string) string {
	text, _ := internal(raw, name)
	return strings.TrimSpace(strings.TrimPrefix(text, sendMark.FindString(text)))
}

// slackLink matches Slack's markup: <url|label>, <url>, <@U1>, <#C1|name>, <!here>.
var slackLink = regexp.MustCompile(`<([^<>|]*)(?:\|([^<>]*))?>`)

// bare is a link's target without its scheme, as Slack's label of a link
// it made of typed text shows it.
func bare(target string) string {
	for _, p := range []string{"mailto:", "tel:", "https://", "http://"} {
		if t, ok := strings.CutPrefix(target, p); ok {
			return t
		}
	}
	return target
}

var unescaper = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")

// fromSlack turns a Slack message's text into plain text for the customer:
// links as their label and address, a person mentioned by their name (from
// name, given a user id), Slack's emoji shortcodes as emoji and the
// workspace's custom ones dropped (emojify).
func fromSlack(s string, name func(user string) string) string {
	s = slackLink.ReplaceAllStringFunc(s, func(m string) string {
		sub := slackLink.FindStringSubmatch(m)
		target, label := sub[1], sub[2]
		switch {
		case strings.HasPrefix(target, "@"):
			return firstOf(name(target[1:]), label, "a colleague")
		case strings.HasPrefix(target, "#"):
			// A channel of the workspace: the customer cannot open it, and
			// Slack often sends it without its name (<#C1|>).
			return firstOf(label, "our team's channel")
		case strings.HasPrefix(target, "!"):
			return label
		case label != "" && label != target && label != bare(target):
			return label + " (" + strings.TrimPrefix(target, "mailto:") + ")"
		case label != "":
			// What the agent typed, which Slack made a link: an address,
			// a phone number, a site ("jo@example.com", not
			// "jo@example.com (jo@example.com)").
			return label
		}
		return strings.TrimPrefix(target, "mailto:")
	})
	s, _ = emojify(s)
	return strings.TrimSpace(unescaper.Replace(plainMarkup(s)))
}

// codeBlock and inlineCode match Slack's code markup: ```…``` and `…`.
var (
	codeBlock  = regexp.MustCompile("(?s)```\n?(.*?)\n?```")
	inlineCode = regexp.MustCompile("`([^`\n]+)`")
)

// emphasis matches Slack's *bold*, _italic_ and ~strike~ as Slack reads
// them: the mark at a word's edge (after the start, a space or an opening
// bracket, before the end, a space or punctuation), hugging its text.
var emphasis = func() []*regexp.Regexp {
	var out []*regexp.Regexp
	for _, m := range []string{`\*`, `_`, `~`} {
		out = append(out, regexp.MustCompile(`(^|[\s(\["'“‘（])`+m+`([^\s`+m+`](?:[^\n`+m+`]*[^\s`+m+`])?)`+m+`($|[\s.,;:!?)\]"'”’，。！？；：）])`))
	}
	return out
}()

// plainMarkup removes Slack's formatting marks, which customers on web chat
// and email would read as they are typed: *bold*, _italic_, ~strike~,
// `code` and ```code blocks``` become their text.
func plainMarkup(s string) string {
	s = codeBlock.ReplaceAllString(s, "$1")
	s = inlineCode.ReplaceAllString(s, "$1")
	for _, re := range emphasis {
		// Adjacent marks share the space between them: a second pass
		// finds the one the first pass's match consumed the edge of.
		for range 2 {
			s = re.ReplaceAllString(s, "$1$2$3")
		}
	}
	return s
}

// userName returns the name of a Slack user as customers would see it: the
// agent list's, else their display name; "" when Slack does not know them.
func (d *Desk) userName(ctx context.Context, user string) string {
	if a, ok, err := d.db.SlackAgent(ctx, user); err == nil && ok {
		return firstOf(d.listed(a.Email), a.Name)
	}
	u, err := d.api.user(ctx, user)
	if err != nil {
		return ""
	}
	return firstOf(d.listed(u.Profile.Email), u.Profile.DisplayName, u.RealName, u.Name)
}
