package dialog

import (
	"maps"
	"slices"
	"time"

	"github.com/supportd/supportd/ticketing"
)

// Conversation is the persisted state of one customer's dialog. Nothing of it
// is kept in memory between turns: every turn loads it, runs the flow and
// saves it with compare-and-swap on Rev.
type Conversation struct {
	ID       string             `json:"id"`
	Channel  string             `json:"channel"`
	User     string             `json:"user"` // the customer's id on the channel
	Customer ticketing.Customer `json:"customer"`
	Lang     string             `json:"lang"`              // "zh" or "en"
	Typed    bool               `json:"typed,omitempty"`   // the customer has typed a message: their language is known
	Flow     string             `json:"flow"`              // version of the flow definition (content hash)
	State    string             `json:"state"`             // the FSM state
	Asking   string             `json:"asking"`            // the slot being asked, "" when none
	Misses   int                `json:"misses"`            // answers to Asking that were not understood
	Slots    map[string]Slot    `json:"slots"`             // what the customer told us in the current journey
	Confirm  []Pending          `json:"confirm,omitempty"` // values waiting for the customer's confirmation, first asked first
	// Together lists the slots of the last message that asked several
	// questions at once, in their numbered order (Engine.AskTogether).
	Together []string   `json:"together,omitempty"`
	Back     []Snapshot `json:"back,omitempty"` // earlier questions, newest last, for "back"
	TicketID string     `json:"ticket_id"`      // the ticket of the current journey
	Tickets  []string   `json:"tickets"`        // every ticket of the conversation
	Handoff  *Handoff   `json:"handoff"`        // a human owns the conversation while set
	// Later is a second request of a message that asked for two things,
	// offered once the first is done.
	Later *Later `json:"later,omitempty"`
	// Subject is the title the customer gave the case (the first mail's
	// subject, Inbound.Subject): the subject of the tickets filed; "" when
	// none was given, and a ticket is titled by its content.
	Subject string `json:"subject,omitempty"`
	// Said is the customer's last message, to tell a message sent twice.
	Said    *Said     `json:"said,omitempty"`
	Timers  []Timer   `json:"timers,omitempty"`
	Turn    int       `json:"turn"`
	Rev     int64     `json:"rev"` // managed by the store
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`

	// Unanswered is what the customer wrote to the agent after the agent's
	// last reply, when the agent handed the conversation back (At: then):
	// often the first half of a sentence. The bot reads it with the
	// customer's next message when that comes soon after (unansweredWithin).
	Unanswered *Said `json:"unanswered,omitempty"`
}

// Said is what the customer said last, when, and to which question (the
// state and the slot asked): the same words to another question are a new
// answer, not the message sent twice.
type Said struct {
	Text   string    `json:"text"`
	At     time.Time `json:"at"`
	State  string    `json:"state,omitempty"`
	Asking string    `json:"asking,omitempty"`
	// Topic is what a follow-up without one asked of its product
	// ("warranty" for "电视呢" after "洗衣机保修多久"): the next follow-up
	// ("那打印机呢") asks the same.
	Topic string `json:"topic,omitempty"`
}

// Later is a request put off until the current journey ends: its intent
// and the words of the message that asked for it.
type Later struct {
	Intent string `json:"intent"`
	Text   string `json:"text"`
}

// Slot is one piece of information the customer gave.
type Slot struct {
	Value     string `json:"value"`               // normalised: a model, an ISO date, "yes", ...
	Raw       string `json:"raw,omitempty"`       // the text it came from
	Precision string `json:"precision,omitempty"` // for dates: day, month, year, week; relative for a day counted back from today ("a week ago")
	Confirmed bool   `json:"confirmed,omitempty"`
	Turn      int    `json:"turn"`
}

// Pending is a value the bot understood but asks the customer to confirm (a
// near-miss model, a month instead of a day).
type Pending struct {
	Name  string `json:"name"`
	Value Slot   `json:"value"`
}

// Snapshot is what "back" restores.
type Snapshot struct {
	State  string          `json:"state"`
	Asking string          `json:"asking"`
	Slots  map[string]Slot `json:"slots"`
}

// Handoff records that a human agent owns the conversation.
type Handoff struct {
	TicketID string    `json:"ticket_id"`
	Agent    string    `json:"agent,omitempty"` // "" until claimed
	Since    time.Time `json:"since"`
	Reason   string    `json:"reason"` // "complaint", "requested", "unanswered", "quote", ...
	Resume   string    `json:"resume"` // the state to return to on hand-back
	// Acked is when the bot last told a customer writing to an unclaimed
	// handoff that a person will answer; zero when it has not.
	Acked time.Time `json:"acked,omitzero"`
	// Unanswered is what the customer wrote since an agent last wrote to
	// them (the last few hundred characters), "" when an agent answered.
	Unanswered string `json:"unanswered,omitempty"`
}

// Timer is a system event due at a moment: a quote that expires, a rating
// reminder.
type Timer struct {
	Kind     string    `json:"kind"` // "quote_expiry", ...
	TicketID string    `json:"ticket_id,omitempty"`
	At       time.Time `json:"at"`
}

// Clone returns a deep copy of c.
func (c *Conversation) Clone() *Conversation {
	n := *c
	n.Slots = maps.Clone(c.Slots)
	n.Confirm = slices.Clone(c.Confirm)
	n.Together = slices.Clone(c.Together)
	n.Back = slices.Clone(c.Back)
	n.Tickets = slices.Clone(c.Tickets)
	if c.Handoff != nil {
		h := *c.Handoff
		n.Handoff = &h
	}
	if c.Unanswered != nil {
		u := *c.Unanswered
		n.Unanswered = &u
	}
	n.Timers = slices.Clone(c.Timers)
	return &n
}

// pending returns the first value waiting for confirmation, or nil.
func (c *Conversation) pending() *Pending {
	if len(c.Confirm) == 0 {
		return nil
	}
	return &c.Confirm[0]
}

// setPending queues a value for confirmation, replacing one for the same
// slot.
func (c *Conversation) setPending(p Pending) {
	c.dropPending(p.Name)
	c.Confirm = append(c.Confirm, p)
}

// dropPending removes the value waiting for a slot.
func (c *Conversation) dropPending(name string) {
	var keep []Pending
	for _, p := range c.Confirm {
		if p.Name != name {
			keep = append(keep, p)
		}
	}
	c.Confirm = keep
}

// WakeAt returns the earliest timer, or the zero time when there is none.
func (c *Conversation) WakeAt() time.Time {
	var at time.Time
	for _, t := range c.Timers {
		if at.IsZero() || t.At.Before(at) {
			at = t.At
		}
	}
	return at
}
