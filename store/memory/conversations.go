package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/ticketing"
)

// Turn runs fn in one transaction (see dialog.Store).
func (s *Store) Turn(ctx context.Context, fn func(dialog.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.run(func(x *tx) error { return fn(x) })
}

func (x *tx) Tickets() ticketing.Tx { return x }

func (x *tx) conv(id string) (*dialog.Conversation, bool) {
	if c, ok := x.convs[id]; ok {
		return c, true
	}
	c, ok := x.base.convs[id]
	return c, ok
}

// count returns the number of messages of a conversation, staged ones
// included.
func (x *tx) count(id string) int {
	n := x.base.messages[id].len()
	for _, to := range x.addedTo {
		if to == id {
			n++
		}
	}
	return n
}

// hasClientID reports whether a message of the conversation, staged ones
// included, has this client id; only an inbound one when in is set.
func (x *tx) hasClientID(id, clientID string, in bool) bool {
	if x.base.messages[id].hasClientID(clientID, in) {
		return true
	}
	for i, to := range x.addedTo {
		if to == id && x.added.is(int64(i+1), clientID, in) {
			return true
		}
	}
	return false
}

func (x *tx) Load(_ context.Context, id string) (*dialog.Conversation, error) {
	c, ok := x.conv(id)
	if !ok {
		return nil, fmt.Errorf("load conversation %s: %w", id, dialog.ErrNotFound)
	}
	return c.Clone(), nil
}

func (x *tx) Find(_ context.Context, channel, user string) (*dialog.Conversation, error) {
	var best *dialog.Conversation
	consider := func(c *dialog.Conversation) {
		if c.Channel == channel && c.User == user && (best == nil || c.Updated.After(best.Updated)) {
			best = c
		}
	}
	for _, id := range x.base.byUser[[2]string{channel, user}] {
		if _, staged := x.convs[id]; !staged {
			consider(x.base.convs[id])
		}
	}
	for _, c := range x.convs {
		consider(c)
	}
	if best == nil {
		return nil, noConversation{channel} // every new customer's first turn: cheap to make
	}
	return best.Clone(), nil
}

func (x *tx) Save(_ context.Context, c *dialog.Conversation) error {
	if c == nil || c.ID == "" {
		return fmt.Errorf("save conversation: the id is required")
	}
	cur, exists := x.conv(c.ID)
	switch {
	case c.Rev == 0 && exists:
		return fmt.Errorf("save conversation %s: it exists already: %w", c.ID, dialog.ErrConflict)
	case c.Rev != 0 && !exists:
		return fmt.Errorf("save conversation %s: %w", c.ID, dialog.ErrNotFound)
	case c.Rev != 0 && cur.Rev != c.Rev:
		return fmt.Errorf("save conversation %s at rev %d (stored %d): %w", c.ID, c.Rev, cur.Rev, dialog.ErrConflict)
	}
	if c.Updated.IsZero() {
		c.Updated = x.s.now()
	}
	c.Rev++
	if x.convs == nil {
		x.convs = map[string]*dialog.Conversation{}
	}
	x.convs[c.ID] = c.Clone()
	return nil
}

func (x *tx) Seen(_ context.Context, conversationID, clientID string) (bool, error) {
	if clientID == "" {
		return false, nil
	}
	return x.hasClientID(conversationID, clientID, true), nil
}

func (x *tx) Append(_ context.Context, m *dialog.Message) error {
	c, ok := x.conv(m.ConversationID)
	if !ok {
		return fmt.Errorf("append to conversation %s: %w", m.ConversationID, dialog.ErrNotFound)
	}
	if m.ClientID != "" && x.hasClientID(m.ConversationID, m.ClientID, false) {
		return fmt.Errorf("append to conversation %s: client id %q is there already", m.ConversationID, m.ClientID)
	}
	if m.Channel == "" {
		m.Channel = c.Channel
	}
	if m.User == "" {
		m.User = c.User
	}
	if m.At.IsZero() {
		m.At = x.s.now()
	}
	m.Seq = int64(x.count(m.ConversationID) + 1)
	x.added.add(m)
	x.addedTo = append(x.addedTo, m.ConversationID)
	return nil
}

// Conversation returns the committed state of a conversation.
func (s *Store) Conversation(_ context.Context, id string) (*dialog.Conversation, error) {
	var out *dialog.Conversation
	err := s.read(func(d *data) error {
		c, ok := d.convs[id]
		if !ok {
			return fmt.Errorf("conversation %s: %w", id, dialog.ErrNotFound)
		}
		out = c.Clone()
		return nil
	})
	return out, err
}

// History returns the last limit messages, oldest first.
func (s *Store) History(_ context.Context, conversationID string, limit int) ([]dialog.Message, error) {
	if limit < 0 {
		return nil, fmt.Errorf("history: negative limit %d", limit)
	}
	var out []dialog.Message
	err := s.read(func(d *data) error {
		if _, ok := d.convs[conversationID]; !ok {
			return fmt.Errorf("history of %s: %w", conversationID, dialog.ErrNotFound)
		}
		l := d.messages[conversationID]
		first := int64(1)
		if n := l.len(); limit > 0 && n > limit {
			first = int64(n - limit + 1)
		}
		if n := int64(l.len()) - first + 1; n > 0 {
			out = make([]dialog.Message, 0, n)
		}
		for seq := first; seq <= int64(l.len()); seq++ {
			out = append(out, l.message(conversationID, seq))
		}
		return nil
	})
	return out, err
}

// Pending returns a channel's undelivered outbound messages, oldest first.
func (s *Store) Pending(_ context.Context, channel string, limit int) ([]dialog.Message, error) {
	if limit < 0 {
		return nil, fmt.Errorf("pending: negative limit %d", limit)
	}
	var out []dialog.Message
	err := s.read(func(d *data) error {
		for id, l := range d.messages {
			if l.pending == 0 {
				continue
			}
			for seq := int64(1); seq <= int64(len(l.recs)); seq++ {
				if r := l.recs[seq-1]; r.out && !r.delivered && string(l.channel(seq)) == channel {
					out = append(out, l.message(id, seq))
				}
			}
		}
		return nil
	})
	slices.SortFunc(out, func(a, b dialog.Message) int {
		return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.ConversationID, b.ConversationID), cmp.Compare(a.Seq, b.Seq))
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, err
}

// MarkDelivered records the first delivery of an outbound message.
func (s *Store) MarkDelivered(ctx context.Context, conversationID string, seq int64, at time.Time) error {
	return s.MarkDeliveredAll(ctx, conversationID, []int64{seq}, at)
}

// MarkDeliveredAll records the first delivery of several outbound messages
// of a conversation, all or none.
func (s *Store) MarkDeliveredAll(_ context.Context, conversationID string, seqs []int64, at time.Time) error {
	return s.run(func(x *tx) error {
		l := x.base.messages[conversationID]
		for _, seq := range seqs {
			if seq < 1 || int(seq) > l.len() || !l.recs[seq-1].out {
				return fmt.Errorf("mark delivered %s/%d: %w", conversationID, seq, dialog.ErrNotFound)
			}
		}
		for _, seq := range seqs {
			x.delivered = append(x.delivered, delivery{conversationID, seq, at})
		}
		return nil
	})
}

// Due returns conversations with a timer due at or before now, earliest
// first.
func (s *Store) Due(_ context.Context, now time.Time, limit int) ([]string, error) {
	if limit < 0 {
		return nil, fmt.Errorf("due: negative limit %d", limit)
	}
	type due struct {
		id string
		at time.Time
	}
	var ds []due
	err := s.read(func(d *data) error {
		for id, c := range d.convs {
			if w := c.WakeAt(); !w.IsZero() && !w.After(now) {
				ds = append(ds, due{id, w})
			}
		}
		return nil
	})
	slices.SortFunc(ds, func(a, b due) int { return cmp.Or(a.at.Compare(b.at), cmp.Compare(a.id, b.id)) })
	if limit > 0 && len(ds) > limit {
		ds = ds[:limit]
	}
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.id
	}
	return out, err
}

// noConversation is Find's ErrNotFound.
type noConversation struct{ channel string }

func (e noConversation) Error() string {
	return "find conversation on " + e.channel + ": " + dialog.ErrNotFound.Error()
}

func (e noConversation) Unwrap() error { return dialog.ErrNotFound }
