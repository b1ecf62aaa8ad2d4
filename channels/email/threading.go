package email

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"

	"github.com/supportd/supportd/ticketing"
)

// ticketTag finds "[T-1001]" in a subject.
var ticketTag = regexp.MustCompile(`\[(T-[0-9]{1,12})\]`)

// replyPrefix matches the "Re:", "Fwd:", "回复：", "转发：" prefixes of a subject.
var replyPrefix = regexp.MustCompile(`(?i)^\s*(re|fw|fwd|aw|sv|答复|回复|转发)\s*(\[\d+\])?\s*[:：]\s*`)

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
// ticket's customer. It returns "" and how it decided.
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
		return "", "new", nil
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
