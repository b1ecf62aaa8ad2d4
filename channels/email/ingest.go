package email

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/supportd/supportd/channels/email/mailstore"
	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/ticketing"
)

// incoming is one mail fetched from a mailbox.
type incoming struct {
	mailbox     string
	uidValidity uint32
	uid         uint32
	raw         []byte // the whole mail, or only its header when tooLarge
	tooLarge    bool
}

// outcome is what became of a mail.
type outcome int

const (
	committed   outcome = iota // recorded for good: apply the mailbox's after-action
	quarantined                // given up: flag it for a person
	failed                     // not done: try again later
)

// newConversation is a conversation id no conversation has: it makes the
// engine start a new conversation instead of continuing the sender's latest
// one (an unthreaded mail is a new case).
const newConversation = "email:new"

// maxStoredRaw bounds the raw copy kept of automated and quarantined mail.
const maxStoredRaw = 1 << 20

// turnTimeout bounds the processing of one mail, which is not cancelled by
// shutdown half-way.
const turnTimeout = 30 * time.Second

// parsed is a fetched mail with what its record starts from: the dedupe
// key, the sender and the subject.
type parsed struct {
	in   incoming
	m    *Mail // nil when unreadable
	perr error // why it is not fully readable
	rec  mailstore.Inbound
}

// parse reads a fetched mail (the header alone when it is too large).
func (c *Channel) parse(in incoming) parsed {
	p := parsed{in: in, rec: mailstore.Inbound{Mailbox: in.mailbox, UIDValidity: in.uidValidity, UID: in.uid, At: c.now()}}
	if in.tooLarge {
		p.m, p.perr = Parse(in.raw, 0)
	} else {
		p.m, p.perr = Parse(in.raw, c.cfg.MaxAttachmentBytes)
	}
	if p.m != nil {
		for _, why := range p.m.Undecoded {
			c.log.Warn("winmail.dat kept as it came", "mailbox", in.mailbox, "uid", in.uid, "err", why)
		}
		p.m.useReplyTo(c.id.address)
		p.rec.Key, p.rec.Sender, p.rec.Subject = p.m.Key(), p.m.From, p.m.Subject
	} else {
		p.rec.Key = contentHash(in.raw)
	}
	return p
}

// lane is what orders a mail against others: its sender, or its dedupe key
// when the sender is unreadable. Mails of one lane go through in order, one
// at a time; lanes run side by side.
func (p *parsed) lane() string {
	if p.rec.Sender != "" {
		return "from:" + p.rec.Sender
	}
	return "key:" + p.rec.Key
}

// ingestLanes bounds how many senders' mails are processed at once. Their
// writes share transactions (store/sqlite's group commit), which is where
// the time of a mail goes.
const ingestLanes = 32

// ingestAll processes a batch of fetched mails: each sender's in the
// batch's order, up to ingestLanes senders at once. It returns each mail's
// outcome, in the batch's order, once all are done; errStop from any (a
// simulated crash) is returned after the others finished.
func (c *Channel) ingestAll(ctx context.Context, ins []incoming) ([]outcome, error) {
	ps := make([]parsed, len(ins))
	lanes := map[string][]int{}
	var order []string
	for i, in := range ins {
		ps[i] = c.parse(in)
		k := ps[i].lane()
		if _, ok := lanes[k]; !ok {
			order = append(order, k)
		}
		lanes[k] = append(lanes[k], i)
	}
	out := make([]outcome, len(ins))
	var stop atomic.Bool
	var wg sync.WaitGroup
	slots := make(chan struct{}, ingestLanes)
	for _, k := range order {
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			for _, i := range lanes[k] {
				if stop.Load() {
					out[i] = failed
					continue
				}
				o, err := c.ingest(ctx, ps[i])
				if err != nil {
					c.log.Error("mail not processed; will retry", "uid", ps[i].in.uid, "err", err)
					if errors.Is(err, errStop) {
						stop.Store(true)
					}
				}
				out[i] = o
			}
		})
	}
	wg.Wait()
	if stop.Load() {
		return nil, errStop
	}
	return out, nil
}

// ingest processes one mail: dedupe, loop checks, threading, the turn, the
// record. Mails of one lane (see parsed.lane) go through one at a time,
// across mailboxes too.
func (c *Channel) ingest(ctx context.Context, p parsed) (outcome, error) {
	defer c.lanes.lock(p.lane())()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), turnTimeout)
	defer cancel()

	in, m, perr, rec := p.in, p.m, p.perr, p.rec
	if in.tooLarge {
		return c.quarantine(ctx, rec, in.raw, fmt.Sprintf("larger than max_message_bytes (%d)", c.cfg.MaxMessageBytes))
	}
	if prev, found, err := c.o.Mail.Inbound(ctx, rec.Key, rec.Sender); err != nil {
		return failed, err
	} else if found && prev.Terminal() {
		if prev.Status == mailstore.StatusQuarantined {
			return quarantined, nil
		}
		return committed, nil // a duplicate, or a mail whose flag was lost
	}
	if perr != nil {
		if m != nil && m.From != "" {
			if why := automated(m); why != "" { // a broken bounce is still a bounce
				return c.finish(ctx, rec, m, mailstore.StatusAutomated, "", why, in.raw)
			}
		}
		return c.quarantine(ctx, rec, in.raw, perr.Error())
	}
	started, err := c.o.Mail.BeginInbound(ctx, rec)
	if err != nil {
		return failed, err
	}
	rec.Attempts = started.Attempts
	if rec.Attempts > c.cfg.MaxAttempts {
		return c.quarantine(ctx, rec, in.raw, fmt.Sprintf("gave up after %d attempts", c.cfg.MaxAttempts))
	}
	out, err := c.process(ctx, m, rec, in.raw)
	if errors.Is(err, errStop) {
		return failed, err
	}
	if err != nil && rec.Attempts >= c.cfg.MaxAttempts {
		c.log.Error("mail failed on its last attempt", "uid", in.uid, "err", err)
		return c.quarantine(ctx, rec, in.raw, fmt.Sprintf("failed %d times: %v", rec.Attempts, err))
	}
	return out, err
}

// process runs a mail that is neither a duplicate nor poison.
func (c *Channel) process(ctx context.Context, m *Mail, rec mailstore.Inbound, raw []byte) (outcome, error) {
	// A crash between the turn's commit and the record: the turn is there.
	// Only a mail tried before can have one: its turn follows its first
	// BeginInbound.
	if rec.Attempts > 1 {
		if conv, ok, err := c.o.Mail.CommittedIn(ctx, ChannelName, m.From, rec.Key); err != nil {
			return failed, err
		} else if ok {
			c.log.Warn("mail was committed before its record; reconciled", "uid", rec.UID)
			return c.finish(ctx, rec, m, mailstore.StatusDone, conv, "reconciled after a restart", nil)
		}
	}
	if why := c.id.own(m); why != "" {
		c.log.Info("own mail fetched back: ignored", "uid", rec.UID, "reason", why)
		return c.finish(ctx, rec, m, mailstore.StatusOwn, "", why, nil)
	}
	if why := automated(m); why != "" {
		c.log.Info("automated mail recorded, not answered", "uid", rec.UID, "reason", why)
		conv := ""
		if b, ok := c.bounced(m); ok {
			var err error
			if conv, err = c.noteBounce(ctx, rec.Key, b); err != nil {
				return failed, err
			}
			why = "bounce of " + b.messageID + ": " + orUnknown(b.status)
		}
		return c.finish(ctx, rec, m, mailstore.StatusAutomated, conv, why, raw)
	}
	conv, how, err := c.thread(ctx, m)
	if err != nil {
		return failed, err
	}
	role, customer := roleCustomer, m.From
	var repliedTo *dialog.Conversation     // the thread a stranger's reply named
	if conv != "" && how != "ticket tag" { // a tag counts only from the ticket's customer
		var cv *dialog.Conversation
		if role, cv, err = c.role(ctx, conv, m); err != nil {
			return failed, err
		}
		switch role {
		case roleStranger:
			conv, how, repliedTo = "", how+": sender not on the thread, new", cv
		case roleParticipant:
			how += ", participant"
			customer = recipient(cv)
		}
	}
	atts, err := c.saveAttachments(m.Attachments)
	if err != nil {
		return failed, err
	}
	msg := inboundFor(m, conv, rec.Key, atts, c.cfg.MaxAttachmentBytes)
	msg.Kind = c.mailboxKind(rec.Mailbox)
	msg.Participant = role == roleParticipant
	if c.beforeTurn != nil {
		if err := c.beforeTurn(rec.Key); err != nil {
			return failed, err
		}
	}
	res, err := c.o.Engine.Handle(ctx, msg)
	if err != nil {
		return failed, fmt.Errorf("turn: %w", err)
	}
	c.log.Debug("mail handled", "uid", rec.UID, "threading", how, "conversation", res.ConversationID, "duplicate", res.Duplicate)
	if c.afterTurn != nil {
		if err := c.afterTurn(rec.Key); err != nil {
			return failed, err
		}
	}
	if repliedTo != nil && !res.Duplicate {
		if err := c.noteStranger(ctx, repliedTo, m.From, res.ConversationID); err != nil {
			return failed, err
		}
	}
	have, err := c.o.Mail.Participants(ctx, res.ConversationID)
	if err != nil {
		return failed, err
	}
	rec.Participants = c.newParticipants(m, customer, have)
	return c.finish(ctx, rec, m, mailstore.StatusDone, res.ConversationID, how, nil)
}

// mailboxKind is the ticket kind configured for a mailbox ("" when none).
func (c *Channel) mailboxKind(name string) ticketing.Kind {
	for _, mb := range c.cfg.Mailboxes {
		if mb.Name == name {
			return ticketing.Kind(mb.Kind)
		}
	}
	return ""
}

// inboundFor builds the engine's message: the bot reads the reply without
// its quoted history, signature, salutation and sign-off, plus the answers
// written inline under quoted numbered questions, and the subject where the
// body does not say it (see reading); the history keeps the whole body, and
// the subject goes to the engine as the conversation's title.
func inboundFor(m *Mail, conv, key string, atts []dialog.Attachment, limit int64) dialog.Inbound {
	body := strings.TrimSpace(m.Text)
	subject := baseSubject(m.Subject)
	text := reading(subject, joinNonEmpty("\n", TrimCourtesy(TrimQuoted(body)), InlineAnswers(body)), conv == "")
	display := body
	if conv == "" {
		conv = newConversation
	}
	for _, s := range m.Skipped {
		display += "\n\n[attachment not stored, over the size limit: " + s + "]"
	}
	if display == text {
		display = ""
	}
	return dialog.Inbound{
		Channel: ChannelName, User: m.From, ConversationID: conv, ID: key,
		Text: text, Display: display, Subject: subject, Attachments: atts, TooLarge: m.Skipped, SizeLimit: limit,
		Customer: ticketing.Customer{Email: m.From, Name: m.FromName},
	}
}

func joinNonEmpty(sep string, parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, sep)
}

// finish records a mail's final status and links its Message-ID.
func (c *Channel) finish(ctx context.Context, rec mailstore.Inbound, m *Mail, status, conv, reason string, raw []byte) (outcome, error) {
	rec.Status, rec.ConversationID, rec.Reason = status, conv, reason
	rec.Raw = bounded(raw)
	var links []mailstore.Link
	if conv != "" && m.MessageID != "" && status == mailstore.StatusDone { // a bounce's conversation is not its thread
		links = append(links, mailstore.Link{MessageID: m.MessageID, ConversationID: conv, Dir: mailstore.In, Subject: m.Subject, At: c.now()})
	}
	if err := c.o.Mail.FinishInbound(ctx, rec, links); err != nil {
		return failed, err
	}
	c.wake() // a reply may wait for this record
	if c.afterRecord != nil {
		if err := c.afterRecord(rec.Key); err != nil {
			return failed, err
		}
	}
	return committed, nil
}

// quarantine records a poison mail, with its raw copy, for a person.
func (c *Channel) quarantine(ctx context.Context, rec mailstore.Inbound, raw []byte, reason string) (outcome, error) {
	rec.Status, rec.Reason, rec.Raw = mailstore.StatusQuarantined, reason, bounded(raw)
	if rec.Attempts == 0 {
		rec.Attempts = 1
	}
	c.log.Error("mail quarantined", "mailbox", rec.Mailbox, "uid", rec.UID, "reason", reason)
	if err := c.o.Mail.FinishInbound(ctx, rec, nil); err != nil {
		return failed, err
	}
	return quarantined, nil
}

func bounded(raw []byte) []byte {
	if len(raw) > maxStoredRaw {
		return raw[:maxStoredRaw]
	}
	return raw
}

// errStop is what test hooks return to simulate a crash.
var errStop = errors.New("stopped by a test hook")
