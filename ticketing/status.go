package ticketing

import (
	"fmt"
	"slices"
)

// Status is where a ticket stands in the service flow.
type Status string

// The ticket statuses.
const (
	StatusNew             Status = "new"
	StatusOpen            Status = "open"
	StatusAssigned        Status = "assigned"
	StatusInProgress      Status = "in_progress"
	StatusWaitingCustomer Status = "waiting_customer"
	StatusResolved        Status = "resolved"
	StatusClosed          Status = "closed"
	StatusReopened        Status = "reopened"
	StatusCancelled       Status = "cancelled"
)

var statuses = []Status{
	StatusNew, StatusOpen, StatusAssigned, StatusInProgress, StatusWaitingCustomer,
	StatusResolved, StatusClosed, StatusReopened, StatusCancelled,
}

// transitions is the one table of allowed status changes: from → the statuses
// it may change to. A status missing on the left has no way out.
var transitions = map[Status][]Status{
	StatusNew:             {StatusOpen, StatusCancelled},
	StatusOpen:            {StatusAssigned, StatusResolved, StatusCancelled},
	StatusAssigned:        {StatusInProgress, StatusOpen, StatusCancelled}, // → open: unassigned
	StatusInProgress:      {StatusWaitingCustomer, StatusResolved, StatusCancelled},
	StatusWaitingCustomer: {StatusInProgress, StatusResolved, StatusCancelled},
	StatusResolved:        {StatusClosed, StatusReopened},
	StatusClosed:          {StatusReopened},
	StatusReopened:        {StatusAssigned, StatusInProgress, StatusCancelled},
	StatusCancelled:       nil,
}

// Statuses returns every valid status, in service-flow order. The caller owns
// the slice.
func Statuses() []Status { return slices.Clone(statuses) }

// Valid reports whether s is one of Statuses.
func (s Status) Valid() bool { return slices.Contains(statuses, s) }

// ParseStatus returns the status named s. The error lists the valid statuses.
func ParseStatus(s string) (Status, error) {
	if st := Status(s); st.Valid() {
		return st, nil
	}
	return "", fmt.Errorf("unknown ticket status %q (want %s)", s, list(statuses))
}

// CanTransition reports whether a ticket may change from status from to
// status to. Staying in the same status is not a change and reports false;
// stores treat it as no change at all (no error, no event).
func CanTransition(from, to Status) bool {
	return slices.Contains(transitions[from], to)
}

// Transitions returns the statuses a ticket in status from may change to, in
// the table's order (nil for cancelled or an unknown status). The caller owns
// the slice.
func Transitions(from Status) []Status { return slices.Clone(transitions[from]) }
