package webhooks

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"time"

	"github.com/supportd/supportd/store/sqlite"
	"github.com/supportd/supportd/ticketing"
)

// Payload is the JSON body of one delivery: one event of a ticket's audit
// log and the ticket as it is when the delivery is made. Its json names are
// the public interface of the webhooks.
type Payload struct {
	// ID identifies the event, and the delivery: "T-1001:3" is the third
	// event of T-1001. A delivery sent again carries the same id.
	ID       string                      `json:"id"`
	Action   string                      `json:"action"` // created, updated, comment
	TicketID string                      `json:"ticket_id"`
	Seq      int64                       `json:"seq"` // the event's number in its ticket's log: 1, 2, 3...
	At       time.Time                   `json:"at"`
	Actor    string                      `json:"actor"`             // "bot", "customer", "agent:…", "cli"
	Channel  string                      `json:"channel,omitempty"` // where the change was made
	Changes  map[string]ticketing.Change `json:"changes,omitempty"` // field → {old, new}, on "updated"
	Note     string                      `json:"note,omitempty"`
	Ticket   Snapshot                    `json:"ticket"`
}

// Snapshot is what a delivery says of the ticket besides the event: its
// state, not the customer (a change to the customer's details is in the
// event's changes, as the audit log has it).
type Snapshot struct {
	ID        string              `json:"id"`
	Kind      string              `json:"kind"`
	Status    string              `json:"status"`
	Channel   string              `json:"channel"` // where the customer came in: webchat, email, cli
	Assignee  string              `json:"assignee"`
	Model     string              `json:"model,omitempty"`
	Due       ticketing.Deadlines `json:"due"`
	CreatedAt time.Time           `json:"created_at"`
	UpdatedAt time.Time           `json:"updated_at"`
	Version   int64               `json:"version"`
}

// EventID returns the id of a ticket's event: "T-1001:3".
func EventID(ticketID string, seq int64) string { return ticketID + ":" + strconv.FormatInt(seq, 10) }

func newPayload(we sqlite.WebhookEvent) Payload {
	ev, tk := we.Event, we.Ticket
	p := Payload{
		ID: EventID(ev.TicketID, ev.Seq), Action: ev.Action, TicketID: ev.TicketID, Seq: ev.Seq, At: ev.At.UTC(),
		Actor: ev.Actor, Channel: ev.Channel, Changes: ev.Changes, Note: ev.Note,
	}
	if tk != nil {
		p.Ticket = Snapshot{
			ID: tk.ID, Kind: string(tk.Kind), Status: string(tk.Status), Channel: tk.Channel, Assignee: tk.Assignee,
			Model: tk.Model, Due: tk.Due, CreatedAt: tk.CreatedAt, UpdatedAt: tk.UpdatedAt, Version: tk.Version,
		}
	}
	return p
}

// Sign returns the X-Supportd-Signature of body under secret:
// "sha256=" and the hex HMAC-SHA256 of the body.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify reports whether signature (an X-Supportd-Signature header) is
// body's under secret, in constant time: what a receiver written in Go
// calls on the raw body before decoding it.
func Verify(secret string, body []byte, signature string) bool {
	return hmac.Equal([]byte(Sign(secret, body)), []byte(signature))
}

func encode(p Payload) ([]byte, error) { return json.Marshal(p) }
