package email

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/textproto"
	"regexp"
	"strings"
	"time"

	"github.com/supportd/supportd/dialog"
)

// A bounce (RFC 3464) of one of our mails means the customer did not get
// it: the agents must know, or they wait for an answer to a mail that never
// arrived. The bounce is recorded automated as any automatic mail, never
// answered; besides, the mail it returns is found by its Message-ID, and a
// note saying it bounced (to whom, why) goes on its conversation's ticket,
// or, when the conversation has none, in its history as an internal entry.

// bounce describes a bounce of one of our mails.
type bounce struct {
	messageID string // ours, without brackets
	recipient string // the address that failed, "" when not said
	status    string // "5.1.1 (user unknown)", "" when not said
}

// bounced returns the bounce a mail is of one of our mails, or false: a
// delivery report whose action is "failed" (not "delayed"), naming one of
// our Message-IDs in its returned header or its threading headers.
func (c *Channel) bounced(m *Mail) (bounce, bool) {
	if !m.Report || m.DeliveryStatus == "" {
		return bounce{}, false
	}
	var b bounce
	failed := false
	for _, l := range strings.Split(m.DeliveryStatus, "\n") {
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			continue
		}
		v = clean(v)
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "action":
			failed = failed || strings.EqualFold(v, "failed")
		case "final-recipient", "original-recipient":
			if _, a, ok := strings.Cut(v, ";"); ok && b.recipient == "" {
				b.recipient = cleanAddr(a)
			}
		case "status":
			if b.status == "" {
				b.status = v
			}
		case "diagnostic-code":
			if _, d, ok := strings.Cut(v, ";"); ok && len(b.status) < 200 {
				b.status = strings.TrimSpace(b.status + " (" + truncateText(strings.TrimSpace(d), 150) + ")")
			}
		}
	}
	if !failed {
		return bounce{}, false
	}
	ids := slicesConcat(returnedIDs(m.Returned), m.InReplyTo, m.References)
	for _, id := range ids {
		if c.id.isOurs(id) {
			b.messageID = id
			return b, true
		}
	}
	return bounce{}, false
}

var returnedID = regexp.MustCompile(`<([^<>\s]+)>`)

// returnedIDs returns the Message-ID of a returned mail's header.
func returnedIDs(header string) []string {
	if header == "" {
		return nil
	}
	h, err := textproto.NewReader(bufio.NewReader(strings.NewReader(strings.TrimSpace(header) + "\n\n"))).ReadMIMEHeader()
	if err != nil && len(h) == 0 {
		return nil
	}
	var out []string
	for _, sm := range returnedID.FindAllStringSubmatch(h.Get("Message-Id"), 1) {
		if id := usableID(sm[1]); id != "" {
			out = append(out, id)
		}
	}
	return out
}

// noteBounce tells the agents that a mail of ours bounced, and returns the
// conversation the mail belongs to ("" when the mail is not ours to know):
// a note on the conversation's ticket, or, when the conversation has no
// ticket, an internal entry in its history (dialog.FromSystem, once per
// bounce mail key), which the customer never receives.
func (c *Channel) noteBounce(ctx context.Context, key string, b bounce) (string, error) {
	out, found, err := c.o.Mail.Outbound(ctx, b.messageID)
	if err != nil || !found {
		return "", err
	}
	cv, err := c.o.Store.Conversation(ctx, out.ConversationID)
	if errors.Is(err, dialog.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	id := caseTicket(cv)
	to := b.recipient
	if to == "" {
		to = out.Recipient
	}
	note := fmt.Sprintf("Our mail to %s bounced, the customer did not get it: %s (Message-ID %s).", to, orUnknown(b.status), b.messageID)
	if id == "" {
		c.log.Info("a mail of a conversation without a ticket bounced: recorded on the conversation", "conversation", cv.ID)
		if err := c.o.Engine.Record(ctx, cv.ID, "bounce:"+key, note, time.Time{}); err != nil {
			return "", fmt.Errorf("record the bounce on conversation %s: %w", cv.ID, err)
		}
		return cv.ID, nil
	}
	if _, err := c.o.Engine.Act(ctx, dialog.Action{Kind: dialog.ActNote, TicketID: id, Agent: "email", Channel: ChannelName, Text: note}); err != nil {
		return "", fmt.Errorf("note the bounce on %s: %w", id, err)
	}
	return cv.ID, nil
}

// caseTicket is the ticket of a conversation the agents look at: the one a
// person owns, else the current or the last one; "" when it has none.
func caseTicket(cv *dialog.Conversation) string {
	id := cv.TicketID
	if cv.Handoff != nil {
		id = cv.Handoff.TicketID
	} else if id == "" && len(cv.Tickets) > 0 {
		id = cv.Tickets[len(cv.Tickets)-1]
	}
	return id
}

// noteStranger tells the agents of the case a reply named (by its
// Message-IDs) that someone not on it answered it from another address: a
// customer writing from their work address, or someone a mail was
// forwarded to. Their mail is a case of its own (conv); the note names it
// and the address, and carries none of its text.
func (c *Channel) noteStranger(ctx context.Context, cv *dialog.Conversation, from, conv string) error {
	id := caseTicket(cv)
	if id == "" {
		return nil
	}
	note := fmt.Sprintf("A reply to this case's mails came from %s, who is not on it; it was taken as a case of its own (conversation %s).", from, conv)
	if _, err := c.o.Engine.Act(ctx, dialog.Action{Kind: dialog.ActNote, TicketID: id, Agent: "email", Channel: ChannelName, Text: note}); err != nil {
		return fmt.Errorf("note the reply from another address on %s: %w", id, err)
	}
	return nil
}

func orUnknown(s string) string {
	if s == "" {
		return "no reason given"
	}
	return s
}

func truncateText(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

func slicesConcat(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}
