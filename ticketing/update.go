package ticketing

import "time"

// PrepareCreate returns the ticket a store should insert for t: a deep copy
// with the defaults applied (status new when empty, times in UTC), validated.
// At creation the status must be new or open, and ID must be empty (the store
// assigns it; a set ID means the ticket was created already). The store then
// fills ID, CreatedAt, UpdatedAt and Version.
func PrepareCreate(t *Ticket) (*Ticket, error) {
	if t == nil {
		return nil, invalidf("nil ticket")
	}
	if t.ID != "" {
		return nil, invalidf("id: assigned by the store, got %q (created twice?)", t.ID)
	}
	c := t.Clone()
	if c.Status == "" {
		c.Status = StatusNew
	}
	c.normalize()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if c.Status != StatusNew && c.Status != StatusOpen {
		return nil, invalidf("status: a new ticket is new or open, not %s", c.Status)
	}
	return c, nil
}

// ApplyUpdate runs fn on a deep copy of the stored ticket cur and checks the
// result. It returns the updated copy and the changes to record (nil when
// nothing changed, in which case the store writes nothing). An error from fn
// is returned as it is.
//
// The checks: ID, Kind and CreatedAt must not change (ErrInvalid); the result
// must Validate; a status change must be allowed by CanTransition
// (*TransitionError). Version and UpdatedAt are the store's: whatever fn sets
// there is discarded, and the store sets them when changes is not nil.
func ApplyUpdate(cur *Ticket, fn func(*Ticket) error) (*Ticket, map[string]Change, error) {
	next := cur.Clone()
	if err := fn(next); err != nil {
		return nil, nil, err
	}
	switch {
	case next.ID != cur.ID:
		return nil, nil, invalidf("id: cannot change (%s → %s)", cur.ID, next.ID)
	case next.Kind != cur.Kind:
		return nil, nil, invalidf("kind: cannot change (%s → %s)", cur.Kind, next.Kind)
	case !next.CreatedAt.Equal(cur.CreatedAt):
		return nil, nil, invalidf("created_at: cannot change (%s → %s)",
			cur.CreatedAt.Format(time.RFC3339Nano), next.CreatedAt.Format(time.RFC3339Nano))
	}
	next.Version, next.UpdatedAt, next.CreatedAt = cur.Version, cur.UpdatedAt, cur.CreatedAt
	next.normalize()
	if err := next.Validate(); err != nil {
		return nil, nil, err
	}
	if next.Status != cur.Status && !CanTransition(cur.Status, next.Status) {
		return nil, nil, &TransitionError{From: cur.Status, To: next.Status}
	}
	changes, err := Diff(cur, next)
	if err != nil {
		return nil, nil, err
	}
	return next, changes, nil
}
