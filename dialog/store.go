package dialog

import (
	"context"
	"errors"
	"time"

	"github.com/supportd/supportd/ticketing"
)

// Errors of a Store, for errors.Is.
var (
	// ErrNotFound: no such conversation.
	ErrNotFound = errors.New("conversation not found")
	// ErrConflict: the conversation was saved by someone else since it was
	// loaded (its Rev moved on). The turn is retried from a fresh load.
	ErrConflict = errors.New("conversation changed concurrently")
)

// Store keeps conversations, their messages (history and outbox) and the
// tickets, so that one turn commits all of them together or none.
// Implementations are safe for concurrent use.
type Store interface {
	ticketing.Store

	// Turn runs fn in one write transaction: the conversation, its messages
	// and every ticket change made through the Tx commit together when fn
	// returns nil, and none does when fn returns an error (returned as it
	// is). The Tx is valid only until fn returns.
	Turn(ctx context.Context, fn func(Tx) error) error

	// Conversation returns the last committed state of a conversation.
	// Errors: ErrNotFound.
	Conversation(ctx context.Context, id string) (*Conversation, error)

	// History returns the last limit messages of a conversation (0: all),
	// oldest first, both directions. Errors: ErrNotFound.
	History(ctx context.Context, conversationID string, limit int) ([]Message, error)

	// Pending returns the outbound messages for channel that are not
	// delivered yet, oldest first, at most limit (0: all). This is the
	// outbox a channel drains after each commit.
	Pending(ctx context.Context, channel string, limit int) ([]Message, error)

	// MarkDelivered records that an outbound message reached its channel. It
	// is idempotent. Errors: ErrNotFound for an unknown message.
	MarkDelivered(ctx context.Context, conversationID string, seq int64, at time.Time) error

	// MarkDeliveredAll is MarkDelivered for several messages of one
	// conversation in one write transaction: all or none.
	MarkDeliveredAll(ctx context.Context, conversationID string, seqs []int64, at time.Time) error

	// Due returns the ids of conversations with a timer due at or before
	// now, earliest first, at most limit (0: all).
	Due(ctx context.Context, now time.Time, limit int) ([]string, error)
}

// Tx is the set of operations inside one turn's transaction. It must not be
// used from several goroutines at once.
type Tx interface {
	// Tickets returns the ticket operations of the same transaction.
	Tickets() ticketing.Tx

	// Load returns the conversation with this id, a copy the caller owns.
	// Errors: ErrNotFound.
	Load(ctx context.Context, id string) (*Conversation, error)

	// Find returns the most recently updated conversation of a user on a
	// channel. Errors: ErrNotFound.
	Find(ctx context.Context, channel, user string) (*Conversation, error)

	// Save stores c. A conversation with Rev 0 is inserted (its ID must be
	// set and new) and gets Rev 1; otherwise the stored Rev must equal c.Rev
	// (compare-and-swap) and c.Rev goes up by one. The earliest of c.Timers
	// is what Due looks at. Errors: ErrConflict.
	Save(ctx context.Context, c *Conversation) error

	// Seen reports whether an inbound message with this client id was
	// appended to the conversation already. An empty id is never seen.
	Seen(ctx context.Context, conversationID, clientID string) (bool, error)

	// Append adds a message to the conversation's history and sets m.Seq
	// (1, 2, 3, ... per conversation). An outbound message is pending until
	// MarkDelivered. A message whose ClientID is not empty and already in the
	// conversation is refused with an error and not stored: check Seen first.
	// Errors: ErrNotFound for an unknown conversation.
	Append(ctx context.Context, m *Message) error
}

// Direction says whether a message came from the customer or goes to them.
type Direction string

// The directions.
const (
	In  Direction = "in"
	Out Direction = "out"
)

// Sender is who wrote a message.
type Sender string

// The senders.
const (
	FromCustomer Sender = "customer"
	FromBot      Sender = "bot"
	FromAgent    Sender = "agent"
	// FromSystem is an entry of the gateway itself (Engine.Record: a
	// bounce of our mail on a conversation without a ticket), inbound: kept
	// in the history for the agents, never sent or shown to the customer.
	FromSystem Sender = "system"
)

// Message is one message of a conversation, in either direction. Outbound
// messages not yet delivered form the outbox.
type Message struct {
	ConversationID string     `json:"conversation_id"`
	Seq            int64      `json:"seq"`
	Dir            Direction  `json:"dir"`
	From           Sender     `json:"from"`
	Channel        string     `json:"channel"`             // the conversation's channel
	User           string     `json:"user"`                // the customer on that channel
	Text           string     `json:"text"`                // plain text, never HTML
	Choices        []Choice   `json:"choices,omitempty"`   // quick replies offered with an outbound message
	Input          Input      `json:"input,omitempty"`     // what an outbound message asks the customer to type, if a kind of its own
	TicketID       string     `json:"ticket_id,omitempty"` // the ticket the message is about, if any
	ClientID       string     `json:"client_id,omitempty"` // the channel's id of an inbound message, for dedupe
	Agent          string     `json:"agent,omitempty"`     // who, for FromAgent
	At             time.Time  `json:"at"`
	DeliveredAt    *time.Time `json:"delivered_at,omitempty"`
}

// Input is the kind of answer a bot message asks for, so that a channel can
// offer the right keyboard and autofill (the web chat does); "" is any text.
type Input string

const (
	InputEmail Input = "email" // an email address
	InputTel   Input = "tel"   // a phone number
)

// Choice is a quick reply: Value is what comes back when it is picked.
type Choice struct {
	Value string `json:"value"`
	Label string `json:"label"`
	// Name is what a screen reader says for a label that is not words
	// (★★★★ is "4 out of 5"), in the conversation's language; usually empty.
	Name string `json:"name,omitempty"`
}
