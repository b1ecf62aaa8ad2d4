package webchat

import (
	"strings"
	"sync"
	"time"

	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/ticketing"
)

// handle processes one client frame on the reader goroutine. Every refusal
// is an error frame; the connection stays open.
func (cl *client) handle(data []byte) {
	f, ferr := decodeFrame(data, cl.room != nil)
	if ferr != nil {
		cl.refuse(ferr)
		return
	}
	switch f.Type {
	case typeTyping:
		return // accepted; not relayed yet (no agent desk shows it) and never stored
	case typeHello:
		cl.hello(f)
		return
	}
	if !cl.connLimit.Allow() {
		cl.c.m.rateLimited.WithLabelValues("connection").Inc()
		cl.refuse(&frameError{Code: codeRateLimited, Msg: "too many messages from this connection; the message was dropped", ID: f.ID})
		return
	}
	if !cl.addrLimit.Allow() {
		cl.c.m.rateLimited.WithLabelValues("address").Inc()
		cl.refuse(&frameError{Code: codeRateLimited, Msg: "too many messages from this address; the message was dropped", ID: f.ID})
		return
	}
	in := dialog.Inbound{Channel: ChannelName, User: cl.visitor, ConversationID: cl.room.id, ID: f.ID, Text: f.Text, Lang: cl.lang, Live: true}
	if g := cl.room.greeting.Load(); g != nil {
		// The conversation is stored as greeted: that greeting, in its
		// language, whichever tab writes first.
		in.Greeted, in.Lang = g.at, g.lang
	}
	switch f.Type {
	case typeChoice:
		in.Text, in.Display = strings.TrimSpace(f.Value), strings.TrimSpace(f.Label)
	case typeAttachment:
		att, err := cl.c.attachment(cl.room.id, f.Ref)
		if err != nil {
			cl.refuse(&frameError{Code: codeUnknownAttachment, Msg: "no such upload in this conversation", ID: f.ID})
			return
		}
		in.Attachments = []dialog.Attachment{att}
		in.Display = att.Name // the history shows the file's name, and the caption below it
		if t := strings.TrimSpace(f.Text); t != "" {
			in.Display += "\n" + t
		}
	}
	cl.turn(in)
}

// hello opens or resumes the visitor's conversation and queues the welcome.
// A token this server did not mint starts a new visitor.
func (cl *client) hello(f *inFrame) {
	c := cl.c
	visitor, ok := c.sign.visitor(f.Token)
	if !ok {
		visitor = newVisitor()
	}
	ctx, cancel := c.opContext()
	defer cancel()
	// A new visitor is greeted without storing anything: one who opens the
	// chat and writes nothing leaves no conversation behind.
	res, err := c.eng.Greet(ctx, dialog.Inbound{Channel: ChannelName, User: visitor, Lang: f.Locale, Live: true, NewUser: !ok})
	if err != nil {
		c.log.Error("open a conversation", "err", err)
		cl.refuse(refuse(codeInternal, "the conversation could not be opened; send hello again"))
		return
	}
	var g *greeting
	if res.Fresh {
		g = &greeting{visitor: visitor, lang: res.Lang, at: res.Replies[0].At, msgs: res.Replies}
	}
	cl.visitor, cl.lang = visitor, f.Locale
	if err := c.join(cl, res.ConversationID, c.sign.mint(visitor), f.Locale, g); err != nil {
		c.log.Error("welcome", "conversation", res.ConversationID, "err", err)
		cl.refuse(refuse(codeInternal, "the conversation could not be opened; send hello again"))
		return
	}
	c.log.Debug("visitor connected", "conversation", res.ConversationID, "resumed", ok)
}

// turn runs a customer message through the engine and delivers what it
// committed: the customer's message to every tab, then the replies.
func (cl *client) turn(in dialog.Inbound) {
	c, r := cl.c, cl.room
	ctx, cancel := c.opContext()
	defer cancel()
	typed := c.typing(r)
	r.handling.Add(1)
	res, err := c.eng.Handle(ctx, in)
	r.handling.Add(-1)
	typed()
	var turn []dialog.Message
	var wrote []*ticketing.Ticket
	switch {
	case err != nil:
		c.log.Error("handle a message", "conversation", r.id, "err", err)
		cl.refuse(&frameError{Code: codeInternal, Msg: "the message could not be processed; send it again with the same id", ID: in.ID})
	case res.ConversationID != r.id && !in.Greeted.IsZero():
		// Greeted, and meanwhile another tab (or an upload) stored the
		// visitor's conversation, which the engine continued: move there.
		c.superseded(cl.visitor, r.id, res.ConversationID)
		c.leaveRoom(r, cl)
		cl.room = nil
		if err := c.join(cl, res.ConversationID, c.sign.mint(cl.visitor), cl.lang, nil); err != nil {
			c.log.Error("welcome", "conversation", res.ConversationID, "err", err)
			cl.refuse(refuse(codeInternal, "the conversation could not be opened; send hello again"))
		}
		return
	case res.ConversationID != r.id:
		c.log.Warn("the engine answered in another conversation", "conversation", r.id, "other", res.ConversationID)
	default:
		if !in.Greeted.IsZero() {
			c.stored(r)
		}
		turn, wrote = res.Messages, res.Tickets
	}
	c.deliver(r, turn, wrote)
}

var botTyping = encode(typingFrame{env(typeTyping), dialog.FromBot})

// typing shows the bot's typing indicator on the sockets of r when the turn
// that starts takes longer than the typing delay (at once when the delay is
// 1ms or less), unless an agent has the conversation. The function it
// returns ends the turn: no typing frame is queued after it, so none can
// follow the replies.
func (c *Channel) typing(r *room) (done func()) {
	if r.handedOff.Load() {
		return func() {}
	}
	if c.cfg.TypingDelay <= time.Millisecond {
		r.broadcast(botTyping)
		return func() {}
	}
	var mu sync.Mutex
	over := false
	t := time.AfterFunc(c.cfg.TypingDelay, func() {
		mu.Lock()
		defer mu.Unlock()
		if !over {
			r.broadcast(botTyping)
		}
	})
	return func() {
		t.Stop()
		mu.Lock()
		over = true
		mu.Unlock()
	}
}
