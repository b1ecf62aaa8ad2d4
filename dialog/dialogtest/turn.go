package dialogtest

import (
	"errors"
	"testing"

	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/ticketing"
)

// work is one turn's writes: a new conversation, a ticket created through
// the turn's ticket Tx, an inbound message and the reply about the ticket.
type work struct {
	conv    *dialog.Conversation
	ticket  *ticketing.Ticket
	in, out *dialog.Message
}

func newWork(id string) *work {
	c := minimal(id, "webchat", "v-"+id)
	return &work{
		conv:   c,
		ticket: &ticketing.Ticket{Kind: ticketing.KindRepair, Subject: "drum does not turn", Channel: c.Channel, ChannelUser: c.User, ConversationID: id},
		in:     message(c, dialog.In, 1),
		out:    message(c, dialog.Out, 2),
	}
}

// fn returns the turn; end decides how it finishes.
func (w *work) fn(t *testing.T, end func() error) func(tx dialog.Tx) error {
	ctx := t.Context()
	return func(tx dialog.Tx) error {
		if err := tx.Tickets().Create(ctx, w.ticket, ticketing.By{Actor: "bot", Channel: "webchat", At: at(1)}); err != nil {
			return err
		}
		w.conv.TicketID, w.conv.Tickets = w.ticket.ID, []string{w.ticket.ID}
		if err := tx.Save(ctx, w.conv); err != nil {
			return err
		}
		w.out.TicketID = w.ticket.ID
		for _, m := range []*dialog.Message{w.in, w.out} {
			if err := tx.Append(ctx, m); err != nil {
				return err
			}
		}
		// The turn sees its own ticket.
		if tk, err := tx.Tickets().Get(ctx, w.ticket.ID); err != nil || tk.ConversationID != w.conv.ID {
			t.Errorf("ticket inside the turn: %+v, %v", tk, err)
		}
		return end()
	}
}

func testTurnCommit(t *testing.T, s dialog.Store) {
	w := newWork("c-1")
	turn(t, s, w.fn(t, func() error { return nil }))
	c := mustConversation(t, s, "c-1")
	if c.Rev != 1 || c.TicketID == "" || c.TicketID != w.ticket.ID {
		t.Errorf("committed conversation: rev %d ticket %q, want 1 and %q", c.Rev, c.TicketID, w.ticket.ID)
	}
	if h := mustHistory(t, s, "c-1", 0); len(h) != 2 || h[1].TicketID != w.ticket.ID {
		t.Errorf("committed history: %+v", h)
	}
	if p := mustPending(t, s, "webchat", 0); len(p) != 1 || p[0].ConversationID != "c-1" || p[0].Seq != 2 {
		t.Errorf("committed outbox: %v, want [c-1/2]", keys(p))
	}
	tk, err := s.Get(t.Context(), w.ticket.ID)
	if err != nil || tk.ConversationID != "c-1" || tk.Version != 1 {
		t.Errorf("committed ticket: %+v, %v", tk, err)
	}
	if evs, err := s.Events(t.Context(), w.ticket.ID); err != nil || len(evs) != 1 {
		t.Errorf("events of the committed ticket: %+v, %v", evs, err)
	}
}

// testTurnRollback: a turn that fails leaves no conversation, no message and
// no ticket; the store works afterwards.
func testTurnRollback(t *testing.T, s dialog.Store) {
	ctx := t.Context()
	cases := []struct {
		name string
		run  func(fn func(dialog.Tx) error) error
	}{
		{"fn returns an error", func(fn func(dialog.Tx) error) error { return s.Turn(ctx, fn) }},
		{"fn panics", func(fn func(dialog.Tx) error) (err error) {
			defer func() {
				if r := recover(); r != errBoom {
					t.Errorf("recovered %v, want the panic to pass through", r)
				}
				err = errBoom
			}()
			return s.Turn(ctx, func(tx dialog.Tx) error {
				_ = fn(tx)
				panic(errBoom)
			})
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWork("c-1")
			err := tc.run(w.fn(t, func() error { return errBoom }))
			if !errors.Is(err, errBoom) {
				t.Fatalf("turn: %v, want fn's error", err)
			}
			if w.ticket.ID == "" || w.in.Seq == 0 || w.conv.Rev == 0 {
				t.Fatal("the turn did not run")
			}
			if _, err := s.Conversation(ctx, "c-1"); !errors.Is(err, dialog.ErrNotFound) {
				t.Errorf("rolled-back conversation: %v, want ErrNotFound", err)
			}
			if _, err := s.History(ctx, "c-1", 0); !errors.Is(err, dialog.ErrNotFound) {
				t.Errorf("history of the rolled-back conversation: %v, want ErrNotFound", err)
			}
			if p := mustPending(t, s, "webchat", 0); len(p) != 0 {
				t.Errorf("rolled-back outbox: %v", keys(p))
			}
			if _, err := s.Get(ctx, w.ticket.ID); !errors.Is(err, ticketing.ErrNotFound) {
				t.Errorf("rolled-back ticket %s: %v, want ErrNotFound", w.ticket.ID, err)
			}
			if ts, err := s.List(ctx, ticketing.Filter{}); err != nil || len(ts) != 0 {
				t.Errorf("tickets after rollback: %d, %v", len(ts), err)
			}
		})
	}
	// The same work, built anew, commits afterwards.
	testTurnCommit(t, s)
}
