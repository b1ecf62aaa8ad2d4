package webchat

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/ticketing"
)

// A room is the set of open sockets of one conversation. Deliveries to a
// room run one at a time (mu): each takes what its sockets have not been
// sent yet (by seq; a turn's own messages, or read from the store), queues
// it to each, and marks the outbound
// messages delivered. Every message therefore reaches every socket once and
// in order, whoever triggers the delivery and however often.
//
// Lock order: room.mu before Channel.hubMu. hubMu is never held while
// waiting for anything else, so onCommit never blocks.
type room struct {
	id string

	// handling counts this room's sockets inside Engine.Handle; each
	// delivers after it returns, so notifications meanwhile can be skipped.
	handling atomic.Int32
	// announced is the last message seq a commit of this process announced
	// for the conversation: a socket that delivers its own turn reads the
	// store only when something else was committed beside it.
	announced atomic.Int64
	// handedOff is true while an agent has the conversation (the bot does
	// not answer, so it shows no typing): known from the welcome and every
	// commit, so that a turn need not read the conversation.
	handedOff atomic.Bool
	// greeting is the greeting shown while the conversation is not stored
	// (Engine.Greet): a visitor who opened the chat and has not written
	// yet. The room's first turn stores it; nil after that.
	greeting atomic.Pointer[greeting]
	// visitor is set on a room made for a greeting: the visitor whose
	// pending conversation it is (Channel.fresh).
	visitor string

	mu      sync.Mutex
	clients map[*client]struct{}
	dead    bool // removed from the hub; join again
}

// onCommit is the engine's notification after a commit. It must not
// block: it notes the conversation's state and marks the room for Run to
// deliver what the commit appended, unless a socket of the room is inside
// Handle and delivers right after it.
func (c *Channel) onCommit(cm dialog.Commit) {
	if cm.Channel != ChannelName || cm.ConversationID == "" {
		return
	}
	c.hubMu.Lock()
	r := c.rooms[cm.ConversationID]
	c.hubMu.Unlock()
	if r == nil {
		return // nobody connected: the next welcome has it
	}
	r.handedOff.Store(cm.State == dialog.HandedOff)
	if cm.LastSeq == 0 {
		return
	}
	for {
		old := r.announced.Load()
		if cm.LastSeq <= old || r.announced.CompareAndSwap(old, cm.LastSeq) {
			break
		}
	}
	if r.handling.Load() > 0 {
		return
	}
	c.markDirty(r)
}

func (c *Channel) markDirty(r *room) {
	c.dirtyMu.Lock()
	c.dirty[r] = struct{}{}
	c.dirtyMu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// deliverDirty delivers to every room marked since the last call.
func (c *Channel) deliverDirty() {
	c.dirtyMu.Lock()
	rooms := c.dirty
	c.dirty = map[*room]struct{}{}
	c.dirtyMu.Unlock()
	for r := range rooms {
		c.deliver(r, nil, nil)
	}
}

// sweep delivers the outbox of every conversation with an open socket, for
// the messages no notification announced (another process committed them).
func (c *Channel) sweep() {
	ctx, cancel := c.opContext()
	defer cancel()
	pending, err := c.store.Pending(ctx, ChannelName, sweepLimit)
	if err != nil {
		if c.ctx.Err() == nil {
			c.log.Error("sweep the outbox", "err", err)
		}
		return
	}
	ids := map[string]bool{}
	for _, m := range pending {
		ids[m.ConversationID] = true
	}
	all := len(pending) == sweepLimit // more than one read shows: try every room
	var rooms []*room
	c.hubMu.Lock()
	for id, r := range c.rooms {
		if all || ids[id] {
			rooms = append(rooms, r)
		}
	}
	c.hubMu.Unlock()
	for _, r := range rooms {
		c.deliver(r, nil, nil)
	}
}

// join adds a socket to its conversation's room and queues the welcome: the
// history, with what was not delivered yet (marked delivered now), and the
// conversation's tickets.
//
// g is the greeting of a conversation not stored yet (Engine.Greet), nil
// for a stored one. A visitor has one such conversation at a time: a tab
// greeted while the channel remembers the visitor's (pending) joins that
// one, with its greeting as first shown.
func (c *Channel) join(cl *client, conversationID, token, lang string, g *greeting) error {
	for {
		c.hubMu.Lock()
		if g != nil {
			if p := c.fresh[g.visitor]; p != nil {
				conversationID = p.id
				if p.stored {
					g = nil
				} else {
					g = &greeting{visitor: p.g.visitor, lang: p.g.lang, at: p.g.at}
				}
			} else {
				c.fresh[g.visitor] = &pending{id: conversationID, g: greeting{visitor: g.visitor, lang: g.lang, at: g.at}}
			}
		}
		r := c.rooms[conversationID]
		if r == nil {
			r = &room{id: conversationID, clients: map[*client]struct{}{}}
			if g != nil {
				r.greeting.Store(g)
				r.visitor = g.visitor
			}
			c.rooms[r.id] = r
		}
		c.hubMu.Unlock()

		r.mu.Lock()
		if r.dead {
			r.mu.Unlock()
			continue
		}
		r.clients[cl] = struct{}{}
		cl.room = r
		err := c.welcome(r, cl, token, lang)
		r.mu.Unlock()
		if err != nil {
			c.leaveRoom(r, cl)
			cl.room = nil
		}
		return err
	}
}

// leaveRoom removes a socket from its room, and the room from the hub when
// it was the last.
func (c *Channel) leaveRoom(r *room, cl *client) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.clients, cl)
	if len(r.clients) > 0 || r.dead {
		return
	}
	r.dead = true
	c.hubMu.Lock()
	if c.rooms[r.id] == r {
		delete(c.rooms, r.id)
	}
	if p := c.fresh[r.visitor]; p != nil && p.id == r.id {
		p.left = c.now()
	}
	c.hubMu.Unlock()
}

// pendingKeep is how long the channel remembers a visitor's conversation
// not stored yet after the visitor's last socket closed.
const pendingKeep = time.Hour

// A pending is the conversation Greet gave a visitor, remembered while a
// socket has it and pendingKeep after: a reload, a reconnect or another
// page of the site brings the visitor back to the same conversation and
// greeting, and to an upload made meanwhile.
type pending struct {
	id     string
	g      greeting  // without messages
	left   time.Time // when the last socket closed; zero while one is open
	stored bool      // the first turn stored it: the store has it now
}

// prunePending forgets the conversations not stored whose visitors left
// before before, with the uploads made into them: nothing refers to those.
func (c *Channel) prunePending(before time.Time) {
	var gone []string
	c.hubMu.Lock()
	for v, p := range c.fresh {
		if c.rooms[p.id] == nil && !p.left.IsZero() && p.left.Before(before) {
			delete(c.fresh, v)
			if !p.stored {
				gone = append(gone, p.id)
			}
		}
	}
	for from, m := range c.moved {
		if m.at.Before(before) {
			delete(c.moved, from)
		}
	}
	c.hubMu.Unlock()
	for _, id := range gone {
		c.dropUploads(id)
	}
}

// A greeting is what a visitor was shown of a conversation not stored yet.
type greeting struct {
	visitor string
	lang    string
	at      time.Time // when: the greeting as of then is the same greeting
	// msgs is the greeting for the first socket's welcome. The room keeps
	// no messages after it (they would cost every idle visitor's memory):
	// another tab's welcome makes them again, as of at.
	msgs []dialog.Message
}

// stored notes that r's conversation is stored: its sockets' next turns
// need no greeting, and a tab that joins is welcomed from the store (a tab
// greeted before the store had it still joins it, as the visitor's).
func (c *Channel) stored(r *room) {
	r.greeting.Store(nil)
	c.hubMu.Lock()
	if p := c.fresh[r.visitor]; p != nil && p.id == r.id {
		p.stored = true
	}
	c.hubMu.Unlock()
}

// superseded notes that the visitor's greeted conversation, from, never
// stored, was continued in to, which the store had already (another tab, an
// upload, another process stored it): the uploads made into from move to
// to, and the visitor's tabs and uploads go to to from now on.
func (c *Channel) superseded(visitor, from, to string) {
	c.hubMu.Lock()
	if p := c.fresh[visitor]; p != nil && p.id == from && !p.stored {
		delete(c.fresh, visitor)
	}
	c.moved[from] = moved{to: to, at: c.now()} // for an upload still being written there
	c.hubMu.Unlock()
	c.moveUploads(from, to)
}

// moved is where a superseded greeting's uploads went, and when.
type moved struct {
	to string
	at time.Time
}

// movedTo returns the conversation that the greeted conversation id was
// continued in, or "" when it was not superseded.
func (c *Channel) movedTo(id string) string {
	c.hubMu.Lock()
	defer c.hubMu.Unlock()
	return c.moved[id].to
}

// welcome queues the welcome frame and the ticket frames for a socket that
// joins r. r.mu is held.
func (c *Channel) welcome(r *room, cl *client, token, lang string) error {
	ctx, cancel := c.opContext()
	defer cancel()
	if g := r.greeting.Load(); g != nil {
		msgs := g.msgs
		if msgs != nil {
			// The first socket's: the room keeps none.
			r.greeting.CompareAndSwap(g, &greeting{visitor: g.visitor, lang: g.lang, at: g.at})
		} else {
			res, err := c.eng.Greet(ctx, dialog.Inbound{Channel: ChannelName, User: g.visitor, Lang: g.lang, At: g.at, NewUser: true})
			if err != nil {
				return err
			}
			msgs = res.Replies
		}
		w := welcomeFrame{envelope: env("welcome"), Token: token, ConversationID: r.id, Lang: g.lang,
			Business: c.business(), History: make([]wireMessage, 0, len(msgs))}
		for _, m := range msgs {
			w.History = append(w.History, toWire(m))
		}
		cl.cursor = int64(len(msgs))
		cl.enqueue(encode(w))
		// A turn of another tab may have stored it since the greeting was
		// taken: deliver what is there beyond the greeting.
		if r.announced.Load() > cl.cursor {
			c.markDirty(r)
		}
		return nil
	}
	conv, err := c.store.Conversation(ctx, r.id)
	if err != nil {
		return err
	}
	hist, err := c.store.History(ctx, r.id, historyLimit)
	if err != nil {
		return err
	}
	if conv.Lang != "" {
		lang = conv.Lang
	}
	w := welcomeFrame{envelope: env("welcome"), Token: token, ConversationID: r.id, Lang: lang,
		Business: c.business(), History: make([]wireMessage, 0, len(hist))}
	mailed, err := c.mailedSeqs(ctx, r.id)
	if err != nil {
		return err
	}
	for _, m := range hist {
		if m.From == dialog.FromSystem {
			continue // the agents' record, not the customer's
		}
		wm := toWire(m)
		if m.Dir == dialog.Out && mailed(m.Seq) {
			wm.Via = "email"
		}
		w.History = append(w.History, wm)
	}
	if len(hist) > 0 {
		cl.cursor = hist[len(hist)-1].Seq
	}
	r.handedOff.Store(conv.State == dialog.HandedOff)
	cl.enqueue(encode(w))
	tickets := conv.Tickets
	if len(tickets) > 5 {
		tickets = tickets[len(tickets)-5:]
	}
	for _, id := range tickets {
		t, err := c.store.Get(ctx, id)
		if err != nil {
			return err
		}
		cl.tickets[id] = t.Version
		cl.enqueue(encodeTicket(t))
	}
	return c.markDelivered(ctx, hist)
}

// mailedSeqs returns whether a message of conversation id went out by mail
// (Options.Mailed), for the welcome's history.
func (c *Channel) mailedSeqs(ctx context.Context, id string) (func(seq int64) bool, error) {
	if c.mailed == nil {
		return func(int64) bool { return false }, nil
	}
	ranges, err := c.mailed.MailedSeqs(ctx, id)
	if err != nil {
		return nil, err
	}
	return func(seq int64) bool {
		for _, r := range ranges {
			if seq >= r[0] && seq <= r[1] {
				return true
			}
		}
		return false
	}, nil
}

// business is the welcome's business hours, by the engine's policy in
// force.
func (c *Channel) business() *business {
	pol, now := c.eng.Policy(), c.now()
	b := &business{Open: pol.IsOpen(now)}
	if !b.Open {
		if next, err := pol.NextOpening(now); err == nil {
			b.NextOpen = &next
		}
	}
	return b
}

// deliver queues to each socket of r the messages it has not been sent, then
// the tickets those messages are about when they changed, and marks the
// outbound messages delivered. turn is what a turn of this process just
// committed to the conversation: when nothing else is new, the store is not
// read; nil: read what is new. wrote are tickets as that turn left them
// (Result.Tickets): shown without reading them back.
func (c *Channel) deliver(r *room, turn []dialog.Message, wrote []*ticketing.Ticket) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.clients) == 0 {
		return
	}
	ctx, cancel := c.opContext()
	defer cancel()
	after := int64(-1)
	for cl := range r.clients {
		if after < 0 || cl.cursor < after {
			after = cl.cursor
		}
	}
	msgs := turn
	if n := len(turn); n == 0 || turn[0].Seq > after+1 || r.announced.Load() > turn[n-1].Seq {
		var err error
		if msgs, err = c.since(ctx, r.id, after); err != nil {
			if c.ctx.Err() == nil {
				c.log.Error("read the conversation to deliver", "conversation", r.id, "err", err)
			}
			return // the sweep tries again
		}
	}
	if len(msgs) == 0 {
		return
	}
	frames := make([][]byte, len(msgs))
	for i, m := range msgs {
		frames[i] = encodeMessage(m)
	}
	tickets := make(map[string]*ticketing.Ticket, len(wrote))
	for _, t := range wrote {
		tickets[t.ID] = t
	}
	for cl := range r.clients {
		about := map[string]bool{}
		for i, m := range msgs {
			if m.Seq <= cl.cursor {
				continue
			}
			cl.cursor = m.Seq
			if m.From == dialog.FromSystem {
				continue // the agents' record, not the customer's
			}
			cl.enqueue(frames[i])
			if m.Dir == dialog.Out && m.TicketID != "" {
				about[m.TicketID] = true
			}
		}
		for id := range about {
			c.sendTicket(ctx, cl, id, tickets)
		}
	}
	if err := c.markDelivered(ctx, msgs); err != nil && c.ctx.Err() == nil {
		c.log.Error("mark delivered", "conversation", r.id, "err", err)
	}
}

// sendTicket queues a ticket frame when the socket has not seen this version
// of the ticket. cache holds the tickets read by this delivery.
func (c *Channel) sendTicket(ctx context.Context, cl *client, id string, cache map[string]*ticketing.Ticket) {
	t, ok := cache[id]
	if !ok {
		var err error
		if t, err = c.store.Get(ctx, id); err != nil {
			c.log.Error("read a ticket to deliver", "ticket", id, "err", err)
			return
		}
		cache[id] = t
	}
	if cl.tickets[id] == t.Version {
		return
	}
	cl.tickets[id] = t.Version
	cl.enqueue(encodeTicket(t))
}

// since returns the messages of a conversation after seq, oldest first.
func (c *Channel) since(ctx context.Context, id string, seq int64) ([]dialog.Message, error) {
	// Most deliveries need the last few messages: read a small window and
	// widen it while it does not reach back to seq.
	var msgs []dialog.Message
	for window := 8; ; window *= 4 {
		var err error
		if msgs, err = c.store.History(ctx, id, window); err != nil {
			return nil, err
		}
		if len(msgs) < window || msgs[0].Seq <= seq+1 {
			break
		}
	}
	i := 0
	for i < len(msgs) && msgs[i].Seq <= seq {
		i++
	}
	return msgs[i:], nil
}

// markDelivered records the delivery of the outbound messages among msgs
// that were not delivered yet.
func (c *Channel) markDelivered(ctx context.Context, msgs []dialog.Message) error {
	byConv := map[string][]int64{}
	var order []string
	for _, m := range msgs {
		if m.Dir != dialog.Out || m.DeliveredAt != nil {
			continue
		}
		if _, ok := byConv[m.ConversationID]; !ok {
			order = append(order, m.ConversationID)
		}
		byConv[m.ConversationID] = append(byConv[m.ConversationID], m.Seq)
	}
	now := c.now()
	for _, conv := range order { // one write per conversation, not per message
		if err := c.store.MarkDeliveredAll(ctx, conv, byConv[conv], now); err != nil {
			return err
		}
	}
	return nil
}

// broadcast queues a frame to every socket of r.
func (r *room) broadcast(frame []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for cl := range r.clients {
		cl.enqueue(frame)
	}
}
