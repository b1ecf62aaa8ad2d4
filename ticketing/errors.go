package ticketing

import (
	"errors"
	"fmt"
)

// Sentinel errors. Stores wrap them with the detail (the ticket id, the field
// at fault); test for them with errors.Is.
var (
	// ErrNotFound: no ticket has the requested id.
	ErrNotFound = errors.New("ticket not found")
	// ErrInvalid: a ticket, a filter or an actor failed validation; the
	// wrapping message names the field.
	ErrInvalid = errors.New("invalid ticket")
	// ErrInvalidTransition: a status change not allowed by the transition
	// table. The error is a *TransitionError carrying both statuses.
	ErrInvalidTransition = errors.New("invalid status change")
)

// TransitionError reports a status change that the transition table forbids.
// errors.Is(err, ErrInvalidTransition) holds for it.
type TransitionError struct {
	From, To Status
}

// Error reads "invalid status change: resolved → assigned".
func (e *TransitionError) Error() string {
	return fmt.Sprintf("%v: %s → %s", ErrInvalidTransition, e.From, e.To)
}

// Unwrap returns ErrInvalidTransition.
func (e *TransitionError) Unwrap() error { return ErrInvalidTransition }

// invalidf returns an ErrInvalid wrapped with a message naming the field.
func invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...)
}

// NotFound returns ErrNotFound wrapped with the ticket id ("ticket not
// found: T-1001"), for store implementations.
func NotFound(id string) error {
	return fmt.Errorf("%w: %s", ErrNotFound, id)
}
