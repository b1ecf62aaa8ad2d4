package ticketing

import (
	"context"
	"time"
)

// Tx is the set of ticket operations inside one write transaction. A Store is
// a Tx whose every call is its own transaction; Store.InTx gives a Tx whose
// calls share one, so that later packages (the dialog engine) can commit
// their own writes and ticket changes together.
//
// Every write appends to the ticket's audit log in the same transaction. A Tx
// obtained from InTx is valid only until fn returns and must not be used from
// several goroutines at once.
type Tx interface {
	// Create stores t as a new ticket. t.ID must be empty; t.Status must be
	// empty (meaning new), new or open. On success t is updated in place:
	// ID (T-1001, T-1002, ...), Status, CreatedAt = UpdatedAt = by.At (or the
	// store's clock), Version 1, times in UTC; a "created" event with by.Note
	// is appended. If the surrounding transaction later rolls back, t keeps
	// these values and cannot be created again as it is (build it anew).
	// Errors: ErrInvalid.
	Create(ctx context.Context, t *Ticket, by By) error

	// Get returns the ticket with this id, a copy the caller owns.
	// Errors: ErrNotFound, wrapped with the id.
	Get(ctx context.Context, id string) (*Ticket, error)

	// Update reads the ticket, calls fn on a copy, checks the result (see
	// ApplyUpdate) and writes it, all in one transaction, so that concurrent
	// updates never lose one another. If fn returns an error, nothing is
	// written and that error is returned. If nothing changed, nothing is
	// written: no event, no version bump. Otherwise Version goes up by one,
	// UpdatedAt becomes by.At (or the clock) and an "updated" event records
	// the changes and by.Note. It returns the ticket as stored.
	// fn may run more than once in some implementations: it must only modify
	// the ticket. Errors: ErrNotFound, ErrInvalid, ErrInvalidTransition.
	Update(ctx context.Context, id string, by By, fn func(*Ticket) error) (*Ticket, error)

	// AddNote appends a "comment" event with note (by.Note is not used). The
	// ticket itself, its version included, does not change.
	// Errors: ErrNotFound, ErrInvalid (empty note).
	AddNote(ctx context.Context, id string, by By, note string) error

	// List returns the tickets matching f, newest first, as the
	// transaction sees them (its own writes included). Errors: ErrInvalid
	// (an unknown kind or status, a negative limit).
	List(ctx context.Context, f Filter) ([]*Ticket, error)
}

// Store keeps tickets and their audit logs. Implementations are safe for
// concurrent use.
type Store interface {
	Tx

	// InTx runs fn in one write transaction: every call on the Tx commits
	// together when fn returns nil, and none does when fn returns an error
	// (returned as it is) or panics. Calls on the Store itself from inside fn
	// are not part of the transaction and may wait for it to end: use the Tx.
	InTx(ctx context.Context, fn func(Tx) error) error

	// Events returns the audit log of a ticket, oldest first.
	// Errors: ErrNotFound.
	Events(ctx context.Context, id string) ([]Event, error)

	// Ping reports whether the store answers.
	Ping(ctx context.Context) error

	// Close releases the store. Calls after Close fail.
	Close() error
}

// Filter selects tickets for Store.List. Zero fields match everything.
type Filter struct {
	Kind     Kind
	Status   Status
	Assignee string
	Customer string // the customer's email (case-insensitive) or the channel user (exact)
	// UpdatedSince keeps the tickets changed (or created) at or after it.
	UpdatedSince time.Time
	Limit        int // at most this many tickets; 0 means no limit
}

// Validate checks f: a known kind and status when set, a limit ≥ 0.
func (f Filter) Validate() error {
	if f.Kind != "" && !f.Kind.Valid() {
		return invalidf("filter kind: %v", kindError(f.Kind))
	}
	if f.Status != "" && !f.Status.Valid() {
		_, err := ParseStatus(string(f.Status))
		return invalidf("filter status: %v", err)
	}
	if f.Limit < 0 {
		return invalidf("filter limit: must be ≥ 0, got %d", f.Limit)
	}
	return nil
}
