package email

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/ticketing"
)

// ticketTag finds "[T-1001]" in a subject.
var ticketTag = regexp.MustCompile(`\[(T-[0-9]{1,12})\]`)

// replyPrefix matches the "Re:", "Fwd:", "回复：", "转发：" prefixes of a
// subject (Outlook's in other languages too: "AW:", "WG:", "TR:", "Antw:"),
// and a mail system's tag in front of one ("[EXTERNAL] RE:", "【外部邮件】回复："),
// which a company's server adds to every mail coming in and would otherwise
// pile up in the thread's subject.
var replyPrefix = regexp.MustCompile(`(?i)^\s*(\[[^\[\]]{1,30}\]\s*|【[^【】]{1,30}】\s*)?(re|fw|fwd|aw|wg|sv|vs|tr|antw|odp|答复|回复|回覆|转发|轉寄)\s*(\[\d+\])?\s*[:：]\s*`)

// baseSubject strips reply prefixes and ticket tags from a subject.
func baseSubject(s string) string {
	s = ticketTag.ReplaceAllString(s, "")
	for {
		t := replyPrefix.ReplaceAllString(s, "")
		if t == s {
			break
		}
		s = t
	}
	return strings.Join(strings.Fields(s), " ")
}

// thread finds the conversation a mail continues: the one of its
// In-Reply-To, then of any References id (the latest first), then of the
// ticket tagged in the subject, which counts only when the sender is that
// ticket's customer. It returns "" and how it decided. A conversation found
// by id is the sender's to write in only as its customer or participant
// (role); see docs/email.md, "Participants".
func (c *Channel) thread(ctx context.Context, m *Mail) (conversationID, how string, err error) {
	if id, ok, err := c.o.Mail.Thread(ctx, m.InReplyTo); err != nil || ok {
		return id, "in-reply-to", err
	}
	refs := slices.Clone(m.References)
	slices.Reverse(refs)
	if id, ok, err := c.o.Mail.Thread(ctx, refs); err != nil || ok {
		return id, "references", err
	}
	sm := ticketTag.FindStringSubmatch(m.Subject)
	if sm == nil {
		return c.threadBySubject(ctx, m)
	}
	tk, err := c.o.Store.Get(ctx, sm[1])
	if errors.Is(err, ticketing.ErrNotFound) {
		return "", "new (unknown ticket tag)", nil
	}
	if err != nil {
		return "", "", err
	}
	if tk.ConversationID == "" ||
		!(tk.Channel == ChannelName && tk.ChannelUser == m.From || strings.EqualFold(tk.Customer.Email, m.From)) {
		return "", "new (ticket tag of another customer)", nil
	}
	return tk.ConversationID, "ticket tag", nil
}

// bySubjectWithin is how far back a reply without threading ids is matched
// to our mails by its subject.
const bySubjectWithin = 30 * 24 * time.Hour

// threadBySubject finds the conversation of a reply that carries no
// Message-IDs at all (QQ Mail sends none, and its web client's replies to
// a case without a ticket tag would start it over): the latest mail we
// sent to its sender in the last bySubjectWithin whose subject is the
// reply's, "Re:" and tags aside. A mail that names ids we do not know, or
// that is not a reply, is a new case.
func (c *Channel) threadBySubject(ctx context.Context, m *Mail) (string, string, error) {
	subject := baseSubject(m.Subject)
	if len(m.InReplyTo) > 0 || len(m.References) > 0 || subject == "" || !isReply(m.Subject) {
		return "", "new", nil
	}
	sent, err := c.o.Mail.SentTo(ctx, m.From, c.now().Add(-bySubjectWithin), 50)
	if err != nil {
		return "", "", err
	}
	for _, l := range sent {
		if strings.EqualFold(baseSubject(l.Subject), subject) {
			return l.ConversationID, "subject of our mail to the sender", nil
		}
	}
	return "", "new", nil
}

// isReply reports whether a subject starts with a reply prefix ("Re:",
// "回复："), after a mail system's tag; not a forward's.
func isReply(subject string) bool {
	sm := replyPrefix.FindStringSubmatch(subject)
	if sm == nil {
		return false
	}
	switch strings.ToLower(sm[2]) {
	case "fw", "fwd", "wg", "tr", "转发", "轉寄":
		return false
	}
	return true
}

// maxParticipants bounds the participants of a conversation: the addresses
// our replies copy.
const maxParticipants = 10

// The roles of a mail's sender in the conversation its Message-IDs thread
// it into.
const (
	roleCustomer    = iota // the conversation's customer: the mail continues it
	roleParticipant        // an address copied on the thread: the mail joins it
	roleStranger           // anyone else: a new conversation of their own
)

// role says who a mail's sender is to the conversation conv its
// In-Reply-To or References found, and returns that conversation (nil when
// it is gone). Knowing a Message-ID of the thread is not enough to write
// into it: the sender must be the conversation's customer (its channel
// user, or the address its customer gave) or one of its participants, an
// address a mail of the thread had in To or Cc (recordParticipants).
func (c *Channel) role(ctx context.Context, conv string, m *Mail) (int, *dialog.Conversation, error) {
	cv, err := c.o.Store.Conversation(ctx, conv)
	if errors.Is(err, dialog.ErrNotFound) {
		return roleStranger, nil, nil
	}
	if err != nil {
		return 0, nil, err
	}
	if isCustomer(cv, m.From) {
		return roleCustomer, cv, nil
	}
	ps, err := c.o.Mail.Participants(ctx, conv)
	if err != nil {
		return 0, nil, err
	}
	if slices.Contains(ps, m.From) {
		return roleParticipant, cv, nil
	}
	return roleStranger, cv, nil
}

// isCustomer reports whether addr is the conversation's customer.
func isCustomer(cv *dialog.Conversation, addr string) bool {
	return cv.Channel == ChannelName && cv.User == addr || strings.EqualFold(cv.Customer.Email, addr)
}

// newParticipants returns the addresses of a mail's To and Cc that become
// participants of the conversation it was handled in: not the support
// address, the sender, the customer (customer), an automatic sender, or one
// already there (have), and no more than maxParticipants in all.
func (c *Channel) newParticipants(m *Mail, customer string, have []string) []string {
	var out []string
	for _, a := range slices.Concat(m.To, m.Cc) {
		if len(have)+len(out) >= maxParticipants {
			break
		}
		if a == c.id.address || a == m.From || a == m.Sender || strings.EqualFold(a, customer) ||
			automatedAddress(a) || slices.Contains(have, a) || slices.Contains(out, a) {
			continue
		}
		out = append(out, a)
	}
	return out
}
