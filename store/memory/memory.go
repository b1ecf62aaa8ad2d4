// Package memory is an in-memory store of tickets, conversations and their
// messages: the same contracts as store/sqlite (ticketing.Store and
// dialog.Store, checked by the same conformance suites), with nothing
// written to disk. It serves demos, tests of other parts, and benchmarks that
// measure the gateway without the database.
//
// Writers take turns: a transaction holds the store's write lock from its
// start to its end, and its changes are staged and applied only when it
// commits, so a failed or panicking transaction leaves no trace. Readers see
// the last committed state and never wait for a writer's whole transaction.
package memory

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/ticketing"
)

var (
	_ ticketing.Store = (*Store)(nil)
	_ dialog.Store    = (*Store)(nil)
)

// ErrClosed is returned by every call on a closed store.
var ErrClosed = errors.New("memory store is closed")

// Store is an in-memory store. It is safe for concurrent use.
type Store struct {
	write sync.Mutex   // held for a whole write transaction
	tx    tx           // the write transaction, reused: guarded by write
	mu    sync.RWMutex // guards data for readers and the commit
	data  *data
	now   func() time.Time
}

// data is the committed state.
type data struct {
	closed   bool
	next     int64 // the number of the last ticket
	tickets  map[string]*ticketing.Ticket
	events   map[string][]ticketing.Event
	convs    map[string]*dialog.Conversation
	messages map[string]*messageLog
	byUser   map[[2]string][]string // (channel, user) → conversation ids
}

// Option configures New.
type Option func(*Store)

// WithClock sets the clock used for times the caller leaves zero.
func WithClock(now func() time.Time) Option { return func(s *Store) { s.now = now } }

// New returns an empty store.
func New(opts ...Option) *Store {
	s := &Store{now: time.Now, data: &data{
		next:     ticketing.FirstNumber - 1,
		tickets:  map[string]*ticketing.Ticket{},
		events:   map[string][]ticketing.Event{},
		convs:    map[string]*dialog.Conversation{},
		messages: map[string]*messageLog{},
		byUser:   map[[2]string][]string{},
	}}
	for _, o := range opts {
		o(s)
	}
	return s
}

// tx is one write transaction: reads see its own staged changes first. The
// store has one, reused by every transaction with its maps and buffers.
type tx struct {
	s         *Store
	base      *data
	next      int64
	tickets   map[string]*ticketing.Ticket
	events    map[string][]ticketing.Event // appended in this transaction
	convs     map[string]*dialog.Conversation
	added     messageLog // messages appended in this transaction, of any conversation
	addedTo   []string   // the conversation of each message in added
	delivered []delivery // deliveries recorded in this transaction
}

// delivery is a message's first delivery, staged.
type delivery struct {
	conversationID string
	seq            int64
	at             time.Time
}

// begin takes the write lock and starts a transaction.
func (s *Store) begin() (*tx, error) {
	s.write.Lock()
	s.mu.RLock()
	base, closed := s.data, s.data.closed
	s.mu.RUnlock()
	if closed {
		s.write.Unlock()
		return nil, ErrClosed
	}
	x := &s.tx
	x.s, x.base, x.next = s, base, base.next
	clear(x.tickets)
	clear(x.events)
	clear(x.convs)
	clear(x.addedTo) // drop the references to ids
	x.added.recs, x.added.buf, x.added.pending = x.added.recs[:0], x.added.buf[:0], 0
	x.addedTo, x.delivered = x.addedTo[:0], x.delivered[:0]
	return x, nil
}

// commit applies the staged changes and releases the write lock.
func (x *tx) commit() {
	s := x.s
	s.mu.Lock()
	d := s.data
	d.next = x.next
	maps.Copy(d.tickets, x.tickets)
	for id, evs := range x.events {
		d.events[id] = append(d.events[id], evs...)
	}
	for id, c := range x.convs {
		if _, known := d.convs[id]; !known {
			k := [2]string{c.Channel, c.User}
			d.byUser[k] = append(d.byUser[k], id)
		}
		d.convs[id] = c
	}
	for i, id := range x.addedTo {
		l := d.messages[id]
		if l == nil {
			l = newMessageLog(len(x.addedTo), len(x.added.buf)) // room for this transaction's messages
			d.messages[id] = l
		}
		l.copyFrom(&x.added, i)
	}
	for _, dv := range x.delivered {
		d.messages[dv.conversationID].deliver(dv.seq, dv.at)
	}
	s.mu.Unlock()
	s.write.Unlock()
}

func (x *tx) rollback() { x.s.write.Unlock() }

// run runs fn in a transaction: commit on nil, rollback on an error or a
// panic (passed on).
func (s *Store) run(fn func(*tx) error) (err error) {
	x, err := s.begin()
	if err != nil {
		return err
	}
	committed := false
	defer func() {
		if !committed {
			x.rollback()
		}
	}()
	if err := fn(x); err != nil {
		return err
	}
	committed = true
	x.commit()
	return nil
}

// read runs fn on the committed state.
func (s *Store) read(fn func(*data) error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.data.closed {
		return ErrClosed
	}
	return fn(s.data)
}

// ---- tickets -----------------------------------------------------------

func (x *tx) ticket(id string) (*ticketing.Ticket, bool) {
	if t, ok := x.tickets[id]; ok {
		return t, true
	}
	t, ok := x.base.tickets[id]
	return t, ok
}

func (x *tx) putTicket(t *ticketing.Ticket) {
	if x.tickets == nil {
		x.tickets = map[string]*ticketing.Ticket{}
	}
	x.tickets[t.ID] = t
}

func (x *tx) eventCount(id string) int { return len(x.base.events[id]) + len(x.events[id]) }

func (x *tx) addEvent(id string, at time.Time, by ticketing.By, action string, changes map[string]ticketing.Change, note string) {
	if x.events == nil {
		x.events = map[string][]ticketing.Event{}
	}
	x.events[id] = append(x.events[id], ticketing.Event{
		Seq: int64(x.eventCount(id) + 1), TicketID: id, At: at.UTC(), Actor: by.Actor, Channel: by.Channel,
		Action: action, Changes: changes, Note: note,
	})
}

func (x *tx) Get(_ context.Context, id string) (*ticketing.Ticket, error) {
	t, ok := x.ticket(id)
	if !ok {
		return nil, ticketing.NotFound(id)
	}
	return t.Clone(), nil
}

func (x *tx) Create(_ context.Context, t *ticketing.Ticket, by ticketing.By) error {
	if err := by.Validate(); err != nil {
		return err
	}
	c, err := ticketing.PrepareCreate(t)
	if err != nil {
		return err
	}
	x.next++
	at := by.Time(x.s.now)
	c.ID, c.CreatedAt, c.UpdatedAt, c.Version = ticketing.FormatID(x.next), at, at, 1
	x.putTicket(c.Clone())
	x.addEvent(c.ID, at, by, ticketing.ActionCreated, nil, by.Note)
	*t = *c
	return nil
}

func (x *tx) Update(_ context.Context, id string, by ticketing.By, fn func(*ticketing.Ticket) error) (*ticketing.Ticket, error) {
	if err := by.Validate(); err != nil {
		return nil, err
	}
	cur, ok := x.ticket(id)
	if !ok {
		return nil, ticketing.NotFound(id)
	}
	next, changes, err := ticketing.ApplyUpdate(cur.Clone(), fn)
	if err != nil {
		return nil, err
	}
	if changes == nil {
		return cur.Clone(), nil
	}
	at := by.Time(x.s.now)
	next.Version, next.UpdatedAt = cur.Version+1, at
	x.putTicket(next.Clone())
	x.addEvent(id, at, by, ticketing.ActionUpdated, changes, by.Note)
	return next, nil
}

func (x *tx) AddNote(_ context.Context, id string, by ticketing.By, note string) error {
	if err := by.Validate(); err != nil {
		return err
	}
	if strings.TrimSpace(note) == "" {
		return fmt.Errorf("%w: note: empty", ticketing.ErrInvalid)
	}
	if _, ok := x.ticket(id); !ok {
		return ticketing.NotFound(id)
	}
	x.addEvent(id, by.Time(x.s.now), by, ticketing.ActionComment, nil, note)
	return nil
}

// Create, Update, AddNote and Get on the Store are one-call transactions
// (Get reads the committed state).
func (s *Store) Create(ctx context.Context, t *ticketing.Ticket, by ticketing.By) error {
	return s.InTx(ctx, func(x ticketing.Tx) error { return x.Create(ctx, t, by) })
}

func (s *Store) Update(ctx context.Context, id string, by ticketing.By, fn func(*ticketing.Ticket) error) (*ticketing.Ticket, error) {
	var out *ticketing.Ticket
	err := s.InTx(ctx, func(x ticketing.Tx) error {
		var err error
		out, err = x.Update(ctx, id, by, fn)
		return err
	})
	return out, err
}

func (s *Store) AddNote(ctx context.Context, id string, by ticketing.By, note string) error {
	return s.InTx(ctx, func(x ticketing.Tx) error { return x.AddNote(ctx, id, by, note) })
}

func (s *Store) Get(_ context.Context, id string) (*ticketing.Ticket, error) {
	var out *ticketing.Ticket
	err := s.read(func(d *data) error {
		t, ok := d.tickets[id]
		if !ok {
			return ticketing.NotFound(id)
		}
		out = t.Clone()
		return nil
	})
	return out, err
}

// InTx runs fn in one transaction.
func (s *Store) InTx(ctx context.Context, fn func(ticketing.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.run(func(x *tx) error { return fn(x) })
}

// List returns the matching tickets, newest first.
func (s *Store) List(_ context.Context, f ticketing.Filter) ([]*ticketing.Ticket, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	var out []*ticketing.Ticket
	err := s.read(func(d *data) error {
		for _, t := range d.tickets {
			if matches(t, f) {
				out = append(out, t.Clone())
			}
		}
		return nil
	})
	return newestFirst(out, f.Limit), err
}

// List returns the tickets matching f as the transaction sees them.
func (x *tx) List(_ context.Context, f ticketing.Filter) ([]*ticketing.Ticket, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	var out []*ticketing.Ticket
	for id, t := range x.base.tickets {
		if _, changed := x.tickets[id]; !changed && matches(t, f) {
			out = append(out, t.Clone())
		}
	}
	for _, t := range x.tickets {
		if matches(t, f) {
			out = append(out, t.Clone())
		}
	}
	return newestFirst(out, f.Limit), nil
}

// matches reports whether t passes filter f.
func matches(t *ticketing.Ticket, f ticketing.Filter) bool {
	switch {
	case f.Kind != "" && t.Kind != f.Kind, f.Status != "" && t.Status != f.Status, f.Assignee != "" && t.Assignee != f.Assignee:
		return false
	case f.Customer != "" && !strings.EqualFold(t.Customer.Email, f.Customer) && t.ChannelUser != f.Customer:
		return false
	case !f.UpdatedSince.IsZero() && t.UpdatedAt.Before(f.UpdatedSince):
		return false
	}
	return true
}

// newestFirst sorts ts by number, highest first, and keeps the first limit
// (0: all).
func newestFirst(ts []*ticketing.Ticket, limit int) []*ticketing.Ticket {
	slices.SortFunc(ts, func(a, b *ticketing.Ticket) int { return cmp.Compare(number(b.ID), number(a.ID)) })
	if limit > 0 && len(ts) > limit {
		ts = ts[:limit]
	}
	return ts
}

func number(id string) int64 {
	var n int64
	fmt.Sscanf(strings.TrimPrefix(id, "T-"), "%d", &n)
	return n
}

// Events returns a ticket's log, oldest first.
func (s *Store) Events(_ context.Context, id string) ([]ticketing.Event, error) {
	var out []ticketing.Event
	err := s.read(func(d *data) error {
		if _, ok := d.tickets[id]; !ok {
			return ticketing.NotFound(id)
		}
		for _, e := range d.events[id] {
			e.Changes = maps.Clone(e.Changes)
			out = append(out, e)
		}
		return nil
	})
	return out, err
}

// Ping reports whether the store is open.
func (s *Store) Ping(context.Context) error { return s.read(func(*data) error { return nil }) }

// Close empties the store; later calls fail with ErrClosed.
func (s *Store) Close() error {
	s.write.Lock()
	defer s.write.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data = &data{closed: true}
	return nil
}
