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

func (x *tx) msgs(id string) []dialog.Message {
	if ms, ok := x.messages[id]; ok {
		return ms
	}
	return x.base.messages[id]
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
		return nil, fmt.Errorf("find conversation on %s: %w", channel, dialog.ErrNotFound)
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
	x.convs[c.ID] = c.Clone()
	return nil
}

func (x *tx) Seen(_ context.Context, conversationID, clientID string) (bool, error) {
	if clientID == "" {
		return false, nil
	}
	for _, m := range x.msgs(conversationID) {
		if m.Dir == dialog.In && m.ClientID == clientID {
			return true, nil
		}
	}
	return false, nil
}

func (x *tx) Append(_ context.Context, m *dialog.Message) error {
	c, ok := x.conv(m.ConversationID)
	if !ok {
		return fmt.Errorf("append to conversation %s: %w", m.ConversationID, dialog.ErrNotFound)
	}
	ms := x.msgs(m.ConversationID)
	if m.ClientID != "" {
		for _, o := range ms {
			if o.ClientID == m.ClientID {
				return fmt.Errorf("append to conversation %s: client id %q is there already", m.ConversationID, m.ClientID)
			}
		}
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
	m.Seq = int64(len(ms) + 1)
	x.messages[m.ConversationID] = append(slices.Clone(ms), cloneMessage(*m))
	return nil
}

func cloneMessage(m dialog.Message) dialog.Message {
	m.Choices = slices.Clone(m.Choices)
	if m.DeliveredAt != nil {
		d := *m.DeliveredAt
		m.DeliveredAt = &d
	}
	return m
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
		ms := d.messages[conversationID]
		if limit > 0 && len(ms) > limit {
			ms = ms[len(ms)-limit:]
		}
		for _, m := range ms {
			out = append(out, cloneMessage(m))
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
		for _, ms := range d.messages {
			for _, m := range ms {
				if m.Dir == dialog.Out && m.DeliveredAt == nil && m.Channel == channel {
					out = append(out, cloneMessage(m))
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
		ms := slices.Clone(x.msgs(conversationID))
		for _, seq := range seqs {
			if seq < 1 || int(seq) > len(ms) || ms[seq-1].Dir != dialog.Out {
				return fmt.Errorf("mark delivered %s/%d: %w", conversationID, seq, dialog.ErrNotFound)
			}
			if ms[seq-1].DeliveredAt == nil {
				d := at.UTC()
				ms[seq-1].DeliveredAt = &d
			}
		}
		x.messages[conversationID] = ms
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
