package email

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/supportd/supportd/channels/email/mailstore"
	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/internal/wait"
)

// sender drains the email outbox over SMTP: each conversation's pending
// messages go out as one mail (agents' messages apart from the bot's),
// with a Message-ID derived from the conversation and the first message.
//
// Doubt: the send state is recorded "sending" just before the data is
// handed over. If the connection dies after that and before the server's
// answer, nobody knows whether the server took the mail. Such a mail is
// resent once, with the same Message-ID (receiving systems and clients
// drop a second copy with the same id); if that ends in doubt too, it is
// marked abandoned and logged, and never sent again.
type sender struct {
	ch   *Channel
	log  *slog.Logger
	conn *smtp.Client // open during a drain, nil otherwise

	mu  sync.Mutex
	raw net.Conn // conn's connection, closed by abort
}

// abort closes the connection of the session under way, from any
// goroutine: shutdown does not wait for a slow server.
func (s *sender) abort() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.raw != nil {
		s.raw.Close()
	}
}

// shutdownGrace is how long a mail being handed over may take to finish
// once the channel is stopping.
const shutdownGrace = 5 * time.Second

// maxDoubtfulAttempts is how often a mail in doubt is handed over at most.
const maxDoubtfulAttempts = 2

// run drains the outbox at start, when the engine commits replies, and
// every SendInterval, until ctx ends; failures back off.
func (s *sender) run(ctx context.Context) error {
	bo := backoff{min: s.ch.o.MinBackoff, max: s.ch.o.MaxBackoff}
	for {
		err := s.drain(ctx)
		s.hangUp()
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			d := bo.next()
			s.log.Warn("sending mail failed; retrying", "err", err, "in", d.Round(time.Millisecond))
			if !wait.For(ctx, d) {
				return nil
			}
			continue
		}
		bo.reset()
		t := time.NewTimer(s.ch.o.SendInterval)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-s.ch.kick:
		case <-t.C:
		}
		t.Stop()
	}
}

// drain sends every pending email message. It goes on past a failed mail
// and returns the first transient error.
func (s *sender) drain(ctx context.Context) error {
	// On shutdown the mail being handed over gets a grace period, so that a
	// stop does not leave it in doubt; then its connection is closed.
	hard, cancelHard := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelHard()
	done := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		t := time.NewTimer(shutdownGrace)
		defer t.Stop()
		select {
		case <-done:
		case <-t.C:
			cancelHard()
			s.abort()
		}
	})
	defer func() { close(done); stop() }()
	msgs, err := s.ch.o.Store.Pending(ctx, ChannelName, 0)
	if err != nil {
		return err
	}
	chats, err := s.leftChats(ctx)
	if err != nil {
		return err
	}
	var first error
	for _, run := range append(runs(msgs), runs(chats)...) {
		if ctx.Err() != nil {
			return nil
		}
		if err := s.send(hard, run); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// leftChats returns the pending messages of the chat channel that go by
// email: those of conversations with an email address whose oldest reply
// waited unread for ContinueChatsAfter (the customer left), and all those
// of conversations that went on by email already.
func (s *sender) leftChats(ctx context.Context) ([]dialog.Message, error) {
	if s.ch.o.ChatChannel == "" {
		return nil, nil
	}
	ids, err := s.ch.o.Mail.LeftChats(ctx, s.ch.o.ChatChannel, s.ch.now().Add(-s.ch.cfg.ContinueChatsAfter))
	if err != nil {
		return nil, err
	}
	var out []dialog.Message
	for _, id := range ids {
		hist, err := s.ch.o.Store.History(ctx, id, chatHistory)
		if err != nil {
			return nil, err
		}
		for _, m := range hist {
			if m.Dir == dialog.Out && m.DeliveredAt == nil {
				out = append(out, m)
			}
		}
	}
	return out, nil
}

// chatHistory bounds the messages read back from a chat that goes on by
// email: its pending replies are among the last ones.
const chatHistory = 100

// runs groups pending messages by conversation, in order, and splits each
// group where the sender changes between the bot and an agent: agents'
// replies are not automatic mail.
func runs(msgs []dialog.Message) [][]dialog.Message {
	var order []string
	groups := map[string][]dialog.Message{}
	for _, m := range msgs {
		if _, ok := groups[m.ConversationID]; !ok {
			order = append(order, m.ConversationID)
		}
		groups[m.ConversationID] = append(groups[m.ConversationID], m)
	}
	var out [][]dialog.Message
	for _, id := range order {
		g := groups[id]
		start := 0
		for i := 1; i <= len(g); i++ {
			if i == len(g) || isAuto(g[i]) != isAuto(g[start]) {
				out = append(out, g[start:i])
				start = i
			}
		}
	}
	return out
}

func isAuto(m dialog.Message) bool { return m.From != dialog.FromAgent }

// split cuts a run after the message seq last.
func split(run []dialog.Message, last int64) (upTo, rest []dialog.Message) {
	for i, m := range run {
		if m.Seq > last {
			return run[:i], run[i:]
		}
	}
	return run, nil
}

// send sends one run as one mail, or finds out it was sent.
func (s *sender) send(ctx context.Context, run []dialog.Message) error {
	conv, err := s.ch.o.Store.Conversation(ctx, run[0].ConversationID)
	if err != nil {
		return err
	}
	if wait, err := s.recording(ctx, conv); err != nil || wait {
		return err // sent once the mail is recorded: ingest wakes the sender
	}
	mid := messageID(conv.ID, run[0].Seq, s.ch.cfg.MessageIDDomain)
	rec, found, err := s.ch.o.Mail.Outbound(ctx, mid)
	if err != nil {
		return err
	}
	if !found {
		rec = mailstore.Outbound{MessageID: mid, ConversationID: conv.ID, FirstSeq: run[0].Seq,
			LastSeq: run[len(run)-1].Seq, Recipient: recipient(conv), Auto: isAuto(run[0]), Status: mailstore.SendQueued}
	}
	switch rec.Status {
	case mailstore.SendSent, mailstore.SendFailed, mailstore.SendAbandoned, mailstore.SendCapped:
		done, rest := split(run, rec.LastSeq)
		if err := s.delivered(ctx, done); err != nil || len(rest) == 0 {
			return err
		}
		return s.send(ctx, rest)
	case mailstore.SendSending:
		run, _ = split(run, rec.LastSeq) // the rest goes in a mail of its own, next time
		if rec.Attempts >= maxDoubtfulAttempts {
			s.log.Error("mail in doubt twice: not sending it again", "message_id", mid, "conversation", conv.ID)
			return s.finish(ctx, rec, mailstore.SendAbandoned, "in doubt twice", run)
		}
		s.log.Warn("mail in doubt: sending it once more with the same Message-ID", "message_id", mid)
	case mailstore.SendQueued:
		rec.LastSeq = max(rec.LastSeq, run[len(run)-1].Seq) // nothing was handed over yet
	}
	if rec.Recipient == "" {
		s.log.Warn("conversation has no usable email address: reply not sent", "conversation", conv.ID)
		return s.finish(ctx, rec, mailstore.SendFailed, "no usable recipient address", run)
	}
	if rec.Auto && rec.Attempts == 0 {
		n, err := s.ch.o.Mail.AutoRepliesSince(ctx, rec.Recipient, s.ch.now().Add(-24*time.Hour))
		if err != nil {
			return err
		}
		if n >= s.ch.cfg.MaxAutoRepliesPerDay {
			s.log.Warn("automatic replies to this sender reached the daily cap: reply not sent", "conversation", conv.ID, "cap", s.ch.cfg.MaxAutoRepliesPerDay)
			return s.finish(ctx, rec, mailstore.SendCapped, "daily cap of automatic replies", run)
		}
	}
	cc, err := s.copied(ctx, conv.ID, rec.Recipient)
	if err != nil {
		return err
	}
	raw, link, err := s.compose(ctx, conv, rec, cc, run)
	if err != nil {
		return err
	}
	err = s.transmit(ctx, &rec, cc, raw, link)
	var se *smtp.SMTPError
	switch {
	case err == nil:
		s.log.Debug("mail sent", "message_id", mid, "conversation", conv.ID)
		return s.finish(ctx, rec, mailstore.SendSent, "", run)
	case errors.As(err, &se) && se.Code >= 500:
		s.log.Warn("mail refused by the server for good", "message_id", mid, "code", se.Code)
		return s.finish(ctx, rec, mailstore.SendFailed, err.Error(), run)
	default:
		return fmt.Errorf("send %s: %w", mid, err)
	}
}

// recording reports whether the conversation's latest mail is still being
// recorded (its turn committed a moment ago): its Message-ID and subject
// are linked only then, and the reply needs them for threading. A record
// left unfinished by a crash is waited for a minute at most.
func (s *sender) recording(ctx context.Context, conv *dialog.Conversation) (bool, error) {
	hist, err := s.ch.o.Store.History(ctx, conv.ID, 20)
	if err != nil {
		return false, err
	}
	for i := len(hist) - 1; i >= 0; i-- {
		m := hist[i]
		if m.Dir != dialog.In || m.ClientID == "" || m.From == dialog.FromSystem {
			continue
		}
		if s.ch.now().Sub(m.At) > time.Minute {
			return false, nil
		}
		rec, found, err := s.ch.o.Mail.Inbound(ctx, m.ClientID, recipient(conv))
		return found && rec.Status == mailstore.StatusProcessing, err
	}
	return false, nil
}

// recipient returns the conversation's address: the customer's email, or
// the channel user (the sender's address), "" when neither is usable.
func recipient(conv *dialog.Conversation) string {
	if a := cleanAddr(conv.User); a != "" {
		return a
	}
	return cleanAddr(conv.Customer.Email)
}

// finish records a final send state and marks the run delivered, in one
// write.
func (s *sender) finish(ctx context.Context, rec mailstore.Outbound, status, why string, run []dialog.Message) error {
	rec.Status, rec.Error, rec.At = status, why, s.ch.now()
	return s.ch.o.Mail.PutOutbound(ctx, rec, nil, seqsOf(run))
}

// delivered marks a run (one conversation's messages) delivered in one
// write.
func (s *sender) delivered(ctx context.Context, run []dialog.Message) error {
	if len(run) == 0 {
		return nil
	}
	return s.ch.o.Store.MarkDeliveredAll(ctx, run[0].ConversationID, seqsOf(run), s.ch.now())
}

func seqsOf(run []dialog.Message) []int64 {
	seqs := make([]int64, len(run))
	for i, m := range run {
		seqs[i] = m.Seq
	}
	return seqs
}

// copied returns whom a conversation's mail copies: its participants (the
// addresses its customer copied on the thread), without the recipient.
func (s *sender) copied(ctx context.Context, conv, recipient string) ([]string, error) {
	ps, err := s.ch.o.Mail.Participants(ctx, conv)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(ps, func(a string) bool { return a == recipient || cleanAddr(a) == "" }), nil
}

// compose builds the mail of a run to the recipient, copied to cc, and the
// link of its Message-ID to the conversation.
func (s *sender) compose(ctx context.Context, conv *dialog.Conversation, rec mailstore.Outbound, cc []string, run []dialog.Message) ([]byte, mailstore.Link, error) {
	links, err := s.ch.o.Mail.Links(ctx, conv.ID)
	if err != nil {
		return nil, mailstore.Link{}, err
	}
	var subject, inReplyTo string
	var refs []string
	for _, l := range links {
		if l.MessageID == rec.MessageID {
			continue
		}
		if l.Dir == mailstore.In {
			if subject == "" {
				subject = l.Subject
			}
			inReplyTo = l.MessageID
		}
		refs = append(refs, l.MessageID)
	}
	if len(refs) > 10 {
		refs = append(refs[:1], refs[len(refs)-9:]...)
	}
	ticket := conv.TicketID
	if ticket == "" && len(conv.Tickets) > 0 {
		ticket = conv.Tickets[len(conv.Tickets)-1] // the journey ended: its ticket is still the subject
	}
	for _, m := range run {
		if m.TicketID != "" {
			ticket = m.TicketID
		}
	}
	name := conv.Customer.Name
	cfg := s.ch.cfg
	m := outMail{
		From: cfg.Address, FromName: cfg.FromName, To: rec.Recipient, ToName: name, Cc: cc,
		Subject: replySubject(subject, ticket, conv.Lang), MessageID: rec.MessageID, InReplyTo: inReplyTo, References: refs,
		Auto: rec.Auto, Loop: cfg.Address, Date: s.ch.now(), Text: renderMessages(run, conv.Lang),
	}
	if conv.Channel != ChannelName && len(links) == 0 {
		m.Text = chatIntro(conv.Lang) + "\n\n" + m.Text // the first mail of a chat that goes on by email
	}
	raw, err := m.bytes()
	if err != nil {
		return nil, mailstore.Link{}, err
	}
	return raw, mailstore.Link{MessageID: rec.MessageID, ConversationID: conv.ID, Dir: mailstore.Out, Subject: m.Subject, At: s.ch.now()}, nil
}

// transmit hands a mail to the SMTP server, for the recipient and the
// addresses copied (one the server refuses for good is left out; the
// recipient must be taken). The record goes to "sending" (attempts + 1),
// with the mail's Message-ID linked to its conversation, just before DATA:
// from then on a failure leaves the mail in doubt, and a reply to it
// threads.
func (s *sender) transmit(ctx context.Context, rec *mailstore.Outbound, cc []string, raw []byte, link mailstore.Link) (err error) {
	defer func() {
		if err != nil {
			s.hangUp() // the session's state is unknown
		}
	}()
	c, err := s.client(ctx)
	if err != nil {
		return err
	}
	if err := c.Mail(s.ch.cfg.Address, &smtp.MailOptions{Size: int64(len(raw))}); err != nil {
		return err
	}
	if err := c.Rcpt(rec.Recipient, nil); err != nil {
		return err
	}
	for _, a := range cc {
		var se *smtp.SMTPError
		if err := c.Rcpt(a, nil); errors.As(err, &se) && se.Code >= 500 {
			s.log.Warn("copy of a mail refused by the server: left out", "message_id", rec.MessageID, "code", se.Code)
		} else if err != nil {
			return err
		}
	}
	rec.Status, rec.Attempts, rec.At = mailstore.SendSending, rec.Attempts+1, s.ch.now()
	if err := s.ch.o.Mail.PutOutbound(context.WithoutCancel(ctx), *rec, []mailstore.Link{link}, nil); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(raw); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}

// client returns the open SMTP session, or opens one: TLS as configured,
// EHLO, AUTH PLAIN when a username is set.
func (s *sender) client(ctx context.Context) (*smtp.Client, error) {
	if s.conn != nil {
		if err := s.conn.Reset(); err == nil {
			return s.conn, nil
		}
		s.hangUp()
	}
	ep := s.ch.cfg.SMTP
	addr := net.JoinHostPort(ep.Host, strconv.Itoa(ep.Port))
	timeout := s.ch.cfg.Watchdog
	d := &net.Dialer{Timeout: timeout}
	var conn net.Conn
	var err error
	if ep.TLS == "implicit" {
		conn, err = (&tls.Dialer{NetDialer: d, Config: s.ch.tlsConfig(ep.Host)}).DialContext(ctx, "tcp", addr)
	} else {
		conn, err = d.DialContext(ctx, "tcp", addr)
	}
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", addr, err)
	}
	s.mu.Lock()
	s.raw = conn
	s.mu.Unlock()
	var c *smtp.Client
	if ep.TLS == "starttls" {
		if c, err = smtp.NewClientStartTLS(conn, s.ch.tlsConfig(ep.Host)); err != nil {
			conn.Close()
			return nil, fmt.Errorf("starttls %s: %w", addr, err)
		}
	} else {
		c = smtp.NewClient(conn)
		if err := c.Hello(s.ch.cfg.MessageIDDomain); err != nil {
			c.Close()
			return nil, fmt.Errorf("hello %s: %w", addr, err)
		}
	}
	c.CommandTimeout, c.SubmissionTimeout = timeout, timeout
	if ep.Username != "" {
		if err := c.Auth(sasl.NewPlainClient("", ep.Username, ep.Password)); err != nil {
			c.Close()
			return nil, fmt.Errorf("auth %s: %w", addr, err)
		}
	}
	s.conn = c
	return c, nil
}

// hangUp ends the SMTP session, if any.
func (s *sender) hangUp() {
	if s.conn != nil {
		_ = s.conn.Quit()
		s.conn.Close()
		s.conn = nil
	}
	s.mu.Lock()
	s.raw = nil
	s.mu.Unlock()
}
