package ticketing

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/supportd/supportd/policy"
)

// Ticket is one customer case. Its JSON form is the public shape printed by
// `supportd tickets show --json`: the names of the json tags are part of the
// interface and must not change.
//
// ID, CreatedAt, UpdatedAt and Version are managed by the store. ID, Kind and
// CreatedAt never change after creation. All times are kept in UTC.
type Ticket struct {
	ID             string            `json:"id"` // "T-1001", see FormatID
	Kind           Kind              `json:"kind"`
	Status         Status            `json:"status"`
	Subject        string            `json:"subject"`
	Customer       Customer          `json:"customer"`
	Channel        string            `json:"channel"`         // where the case came in: "webchat", "email", "cli"
	ChannelUser    string            `json:"channel_user"`    // the visitor id or email address on that channel
	ConversationID string            `json:"conversation_id"` // the dialog conversation, if any
	Model          string            `json:"model"`           // product model, from the catalog
	PurchaseDate   policy.Date       `json:"purchase_date"`   // "" when unknown
	ProofRef       string            `json:"proof_ref"`       // order number or invoice reference
	Warranty       *WarrantyDecision `json:"warranty,omitempty"`
	Options        []string          `json:"options,omitempty"` // what the customer may choose: return, exchange, repair
	Region         string            `json:"region"`
	Details        map[string]string `json:"details,omitempty"` // address, preferred date, fault description, ...
	Due            Deadlines         `json:"due"`
	Assignee       string            `json:"assignee"`
	Quote          *Quote            `json:"quote,omitempty"`
	Satisfaction   *Satisfaction     `json:"satisfaction,omitempty"`
	CreatedAt      time.Time         `json:"created_at"`
	UpdatedAt      time.Time         `json:"updated_at"`
	Version        int64             `json:"version"` // 1 at creation, +1 on every update that changes something
}

// Customer is who the ticket is for.
type Customer struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone string `json:"phone"`
	Lang  string `json:"lang"` // "zh", "en"
}

// WarrantyDecision is the outcome of the warranty check. A nil
// *WarrantyDecision means the check has not been made.
type WarrantyDecision struct {
	Covered bool        `json:"covered"`
	Ends    policy.Date `json:"ends"`   // the last covered day
	Reason  string      `json:"reason"` // "in_warranty", "expired", "no_proof", ...
}

// Deadlines are the working-day deadlines of a ticket; nil means none.
type Deadlines struct {
	FirstResponse *time.Time `json:"first_response,omitempty"`
	Resolution    *time.Time `json:"resolution,omitempty"`
	Onsite        *time.Time `json:"onsite,omitempty"`
}

// Quote is the price of a paid repair, which needs the customer's consent
// before any work.
type Quote struct {
	Amount    policy.Money `json:"amount"` // ≥ 0
	Note      string       `json:"note"`
	Status    QuoteStatus  `json:"status"`
	ExpiresAt *time.Time   `json:"expires_at,omitempty"`
	// AcceptedAt is when the customer accepted it: the repair deadline
	// starts again then.
	AcceptedAt *time.Time `json:"accepted_at,omitempty"`
}

// QuoteStatus is where a quote stands.
type QuoteStatus string

// The quote statuses.
const (
	QuotePending  QuoteStatus = "pending"
	QuoteAccepted QuoteStatus = "accepted"
	QuoteDeclined QuoteStatus = "declined"
	QuoteExpired  QuoteStatus = "expired"
	// QuoteWithdrawn: the agent took it back before the customer answered;
	// a new quote may follow.
	QuoteWithdrawn QuoteStatus = "withdrawn"
)

var quoteStatuses = []QuoteStatus{QuotePending, QuoteAccepted, QuoteDeclined, QuoteExpired, QuoteWithdrawn}

// Valid reports whether q is a known quote status.
func (q QuoteStatus) Valid() bool { return slices.Contains(quoteStatuses, q) }

// ParseQuoteStatus returns the quote status named s.
func ParseQuoteStatus(s string) (QuoteStatus, error) {
	if q := QuoteStatus(s); q.Valid() {
		return q, nil
	}
	return "", fmt.Errorf("unknown quote status %q (want %s)", s, list(quoteStatuses))
}

// Satisfaction is the customer's rating once the service is done.
type Satisfaction struct {
	Score   int       `json:"score"` // 1 to 5
	Comment string    `json:"comment"`
	At      time.Time `json:"at"`
}

// FirstNumber is the number of the first ticket: its id is "T-1001".
const FirstNumber = 1001

const idPrefix = "T-"

// FormatID returns the human-readable id of the n-th ticket number ("T-1001").
func FormatID(n int64) string { return idPrefix + strconv.FormatInt(n, 10) }

// Clone returns a deep copy of t: nothing reachable from the copy is shared
// with t. A nil t gives nil.
func (t *Ticket) Clone() *Ticket {
	if t == nil {
		return nil
	}
	c := *t
	c.Warranty = clonePtr(t.Warranty)
	c.Options = slices.Clone(t.Options)
	c.Details = maps.Clone(t.Details)
	c.Due = Deadlines{
		FirstResponse: clonePtr(t.Due.FirstResponse),
		Resolution:    clonePtr(t.Due.Resolution),
		Onsite:        clonePtr(t.Due.Onsite),
	}
	if t.Quote != nil {
		q := *t.Quote
		q.ExpiresAt = clonePtr(t.Quote.ExpiresAt)
		c.Quote = &q
	}
	c.Satisfaction = clonePtr(t.Satisfaction)
	return &c
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// normalize puts t in its canonical stored form, so that equal tickets
// marshal to equal JSON: times in UTC without a monotonic reading, and empty
// options and details as nil.
func (t *Ticket) normalize() {
	utc := func(p *time.Time) {
		if p != nil {
			*p = p.UTC()
		}
	}
	utc(&t.CreatedAt)
	utc(&t.UpdatedAt)
	utc(t.Due.FirstResponse)
	utc(t.Due.Resolution)
	utc(t.Due.Onsite)
	if t.Quote != nil {
		utc(t.Quote.ExpiresAt)
	}
	if t.Satisfaction != nil {
		utc(&t.Satisfaction.At)
	}
	if len(t.Options) == 0 {
		t.Options = nil
	}
	if len(t.Details) == 0 {
		t.Details = nil
	}
}
