package ticketing

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"
)

// The actions an Event records.
const (
	ActionCreated = "created" // the ticket was created; Changes is empty
	ActionUpdated = "updated" // fields changed; Changes holds each one
	ActionComment = "comment" // a note was added; the ticket did not change
)

// Event is one entry of a ticket's audit log. The log is append-only: stores
// never change or delete an event.
//
// A "created" event carries no Changes: the ticket's first state is its
// current state with every later event's Changes undone, newest first.
type Event struct {
	Seq      int64             `json:"seq"` // 1, 2, 3... per ticket, in the order written
	TicketID string            `json:"ticket_id"`
	At       time.Time         `json:"at"`
	Actor    string            `json:"actor"`   // "bot", "customer", "agent:U123", "cli"
	Channel  string            `json:"channel"` // "webchat", "email", "slack", "cli"
	Action   string            `json:"action"`  // ActionCreated, ActionUpdated or ActionComment
	Changes  map[string]Change `json:"changes,omitempty"`
	Note     string            `json:"note,omitempty"`
}

// Change is the old and new value of one top-level field of the ticket's
// JSON, such as "status" or "customer". A field that was or became absent
// (an omitted pointer, empty details) is JSON null.
type Change struct {
	Old json.RawMessage `json:"old"`
	New json.RawMessage `json:"new"`
}

// By says who makes a change, through which channel, and why.
type By struct {
	Actor   string    // required: "bot", "customer", "agent:U123", "cli"
	Channel string    // "webchat", "email", "slack", "cli"
	Note    string    // recorded on the event of an Update
	At      time.Time // when; zero means the store's clock
}

// Validate reports a By that cannot be audited: the actor is required.
func (b By) Validate() error {
	if b.Actor == "" {
		return invalidf("actor: required, say who makes the change")
	}
	return nil
}

// Time returns b.At in UTC, or now() when b.At is zero.
func (b By) Time(now func() time.Time) time.Time {
	if b.At.IsZero() {
		return now().UTC()
	}
	return b.At.UTC()
}

// untracked are the JSON fields that change on every update and are not part
// of the diff.
var untracked = []string{"version", "updated_at"}

// Diff returns the field-level difference between two states of a ticket:
// for each top-level JSON field except version and updated_at whose encoding
// differs, its old and new value. It returns nil when nothing differs.
func Diff(before, after *Ticket) (map[string]Change, error) {
	b, err := fields(before)
	if err != nil {
		return nil, err
	}
	a, err := fields(after)
	if err != nil {
		return nil, err
	}
	var changes map[string]Change
	for _, k := range slices.Sorted(maps.Keys(merge(a, b))) {
		if slices.Contains(untracked, k) || bytes.Equal(b[k], a[k]) {
			continue
		}
		if changes == nil {
			changes = make(map[string]Change)
		}
		changes[k] = Change{Old: orNull(b[k]), New: orNull(a[k])}
	}
	return changes, nil
}

// fields encodes t and splits the JSON object into its top-level fields.
func fields(t *Ticket) (map[string]json.RawMessage, error) {
	c := t.Clone()
	c.normalize()
	raw, err := json.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("encode ticket %s: %w", t.ID, err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("decode ticket %s: %w", t.ID, err)
	}
	return m, nil
}

func merge(a, b map[string]json.RawMessage) map[string]json.RawMessage {
	m := maps.Clone(a)
	maps.Copy(m, b)
	return m
}

func orNull(v json.RawMessage) json.RawMessage {
	if v == nil {
		return json.RawMessage("null")
	}
	return v
}
