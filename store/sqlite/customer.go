package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/ticketing"
)

// Erased is the marker that replaces erased text.
const Erased = "[erased]"

// ErasureNote is the note of the audit event that records an erasure.
const ErasureNote = "personal data erased"

// ErasedAddress returns what an erased email address is replaced with in
// the mail records: a one-way digest, so that a mail delivered again after
// the erasure is still recognised as read (never imported twice) while the
// record keeps no address.
func ErasedAddress(addr string) string {
	sum := sha256.Sum256([]byte("supportd/erased-address\x00" + strings.ToLower(strings.TrimSpace(addr))))
	return "erased:" + hex.EncodeToString(sum[:16])
}

// ErrNoCustomer is returned when nothing is stored about a customer.
var ErrNoCustomer = errors.New("nothing is stored about this customer")

// CustomerQuery selects a customer: by email address (every conversation,
// ticket and mail record under that address), or by channel and user id
// (the conversations of that user on the channel and their tickets and
// mail records). Exactly one of Email and User is set.
type CustomerQuery struct {
	Email   string
	Channel string
	User    string
}

func (q CustomerQuery) String() string {
	if q.Email != "" {
		return q.Email
	}
	return q.Channel + ":" + q.User
}

// CustomerData is everything stored in the database about one customer,
// the export of a data subject access request. Its JSON shape is public.
type CustomerData struct {
	Conversations []CustomerConversation `json:"conversations"`
	Tickets       []CustomerTicket       `json:"tickets"`
	MailsRead     []MailRead             `json:"mails_read"`
	MailsSent     []MailSent             `json:"mails_sent"`
	MailThreads   []MailThread           `json:"mail_threads"`
	Participants  []MailParticipant      `json:"mail_participants"`
}

// Empty reports whether nothing was found.
func (d *CustomerData) Empty() bool {
	return len(d.Conversations) == 0 && len(d.Tickets) == 0 && len(d.MailsRead) == 0 &&
		len(d.MailsSent) == 0 && len(d.Participants) == 0
}

// CustomerConversation is one conversation with every message, both
// directions, oldest first. State is the conversation as stored.
type CustomerConversation struct {
	ID       string               `json:"id"`
	Channel  string               `json:"channel"`
	User     string               `json:"user"`
	Created  time.Time            `json:"created"`
	Updated  time.Time            `json:"updated"`
	State    *dialog.Conversation `json:"state"`
	Messages []dialog.Message     `json:"messages"`
}

// CustomerTicket is a ticket with its audit log, oldest event first.
type CustomerTicket struct {
	Ticket *ticketing.Ticket `json:"ticket"`
	Events []ticketing.Event `json:"events"`
}

// MailRead is the record of a mail read (email_inbound). Raw is the copy
// kept of an automated or quarantined mail.
type MailRead struct {
	Key            string    `json:"key"`
	Sender         string    `json:"sender"`
	Status         string    `json:"status"`
	ConversationID string    `json:"conversation_id"`
	Subject        string    `json:"subject"`
	Reason         string    `json:"reason"`
	Raw            string    `json:"raw,omitempty"`        // as text, when it is UTF-8 (MIME mail is ASCII)
	RawBase64      []byte    `json:"raw_base64,omitempty"` // else its bytes, base64
	At             time.Time `json:"received_at"`
}

// MailSent is the record of a mail sent (email_outbound).
type MailSent struct {
	MessageID      string    `json:"message_id"`
	ConversationID string    `json:"conversation_id"`
	Recipient      string    `json:"recipient"`
	Auto           bool      `json:"auto"`
	Status         string    `json:"status"`
	Error          string    `json:"error,omitempty"`
	At             time.Time `json:"updated_at"`
}

// MailThread is a Message-ID of a conversation (email_threads).
type MailThread struct {
	MessageID      string    `json:"message_id"`
	ConversationID string    `json:"conversation_id"`
	Dir            string    `json:"dir"`
	Subject        string    `json:"subject"`
	At             time.Time `json:"at"`
}

// MailParticipant is an address copied on a conversation's mails.
type MailParticipant struct {
	ConversationID string    `json:"conversation_id"`
	Address        string    `json:"address"`
	Added          time.Time `json:"added_at"`
}

// querier is a read-only pool or a write transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// scope is what a query selects: conversation ids and ticket seqs.
type scope struct {
	convs   []string
	tickets []int64
	email   string // lower-cased, "" for a channel user
}

func (s scope) convsJSON() string { return jsonList(s.convs) }

func jsonList[T any](v []T) string {
	if v == nil {
		return "[]"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// scopeOf finds the conversations and tickets of a customer: those under
// the query's address or channel user, then the conversations of those
// tickets and the tickets of those conversations.
func scopeOf(ctx context.Context, q querier, cq CustomerQuery) (scope, error) {
	s := scope{email: strings.ToLower(cq.Email)}
	var err error
	if cq.Email != "" {
		s.convs, err = textColumn(q.QueryContext(ctx, `SELECT id FROM conversations WHERE lower(channel_user) = ?1
			OR lower(json_extract(data, '$.customer.email')) = ?1`, s.email))
	} else {
		s.convs, err = textColumn(q.QueryContext(ctx, `SELECT id FROM conversations WHERE channel = ? AND channel_user = ?`, cq.Channel, cq.User))
	}
	if err != nil {
		return s, err
	}
	for range 2 {
		var rows *sql.Rows
		if cq.Email != "" {
			rows, err = q.QueryContext(ctx, `SELECT seq, conversation_id FROM tickets WHERE customer_email = ?1
				OR lower(channel_user) = ?1 OR conversation_id IN (SELECT value FROM json_each(?2)) ORDER BY seq`, s.email, s.convsJSON())
		} else {
			rows, err = q.QueryContext(ctx, `SELECT seq, conversation_id FROM tickets WHERE (channel = ?1 AND channel_user = ?2)
				OR conversation_id IN (SELECT value FROM json_each(?3)) ORDER BY seq`, cq.Channel, cq.User, s.convsJSON())
		}
		if err != nil {
			return s, err
		}
		s.tickets = nil
		for rows.Next() {
			var seq int64
			var conv string
			if err := rows.Scan(&seq, &conv); err != nil {
				rows.Close()
				return s, err
			}
			s.tickets = append(s.tickets, seq)
			if conv != "" && !slices.Contains(s.convs, conv) {
				s.convs = append(s.convs, conv)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return s, err
		}
	}
	slices.Sort(s.convs)
	return s, nil
}

// The mail records of a scope: by the customer's address or by one of the
// conversations.
const (
	sqlCustomerInbound = `SELECT dedupe_key, sender, status, conversation_id, subject, reason, raw, received_at
		FROM email_inbound WHERE (?1 <> '' AND lower(sender) = ?1) OR conversation_id IN (SELECT value FROM json_each(?2))
		ORDER BY received_at`
	sqlCustomerOutbound = `SELECT message_id, conversation_id, recipient, auto, status, error, updated_at
		FROM email_outbound WHERE (?1 <> '' AND recipient = ?1) OR conversation_id IN (SELECT value FROM json_each(?2))
		ORDER BY created_at`
	sqlCustomerThreads = `SELECT message_id, conversation_id, dir, subject, at FROM email_threads
		WHERE conversation_id IN (SELECT value FROM json_each(?1)) ORDER BY at`
	sqlCustomerParticipants = `SELECT conversation_id, address, added_at FROM email_participants
		WHERE (?1 <> '' AND address = ?1) OR conversation_id IN (SELECT value FROM json_each(?2)) ORDER BY added_at`
)

// Customer returns everything stored about a customer. It is
// ErrNoCustomer when nothing is.
func (db *DB) Customer(ctx context.Context, cq CustomerQuery) (*CustomerData, error) {
	q := db.reader
	s, err := scopeOf(ctx, q, cq)
	if err != nil {
		return nil, fmt.Errorf("customer %s: %w", cq, err)
	}
	d := &CustomerData{}
	for _, id := range s.convs {
		c, err := db.Conversation(ctx, id)
		if errors.Is(err, dialog.ErrNotFound) {
			continue // a ticket's conversation that was never stored
		}
		if err != nil {
			return nil, err
		}
		msgs, err := db.History(ctx, id, 0)
		if err != nil {
			return nil, err
		}
		if msgs == nil {
			msgs = []dialog.Message{}
		}
		d.Conversations = append(d.Conversations, CustomerConversation{ID: c.ID, Channel: c.Channel, User: c.User,
			Created: c.Created, Updated: c.Updated, State: c, Messages: msgs})
	}
	for _, seq := range s.tickets {
		id := ticketing.FormatID(seq)
		t, err := db.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		evs, err := db.Events(ctx, id)
		if err != nil {
			return nil, err
		}
		d.Tickets = append(d.Tickets, CustomerTicket{Ticket: t, Events: evs})
	}
	if err := db.customerMail(ctx, q, s, d); err != nil {
		return nil, fmt.Errorf("customer %s: %w", cq, err)
	}
	if d.Empty() {
		return nil, ErrNoCustomer
	}
	return d, nil
}

// customerMail reads the mail records of a scope into d.
func (db *DB) customerMail(ctx context.Context, q querier, s scope, d *CustomerData) error {
	convs := s.convsJSON()
	err := eachRow(ctx, q, sqlCustomerInbound, []any{s.email, convs}, func(r *sql.Rows) error {
		var m MailRead
		var raw []byte
		var at string
		if err := r.Scan(&m.Key, &m.Sender, &m.Status, &m.ConversationID, &m.Subject, &m.Reason, &raw, &at); err != nil {
			return err
		}
		if utf8.Valid(raw) {
			m.Raw = string(raw)
		} else {
			m.RawBase64 = raw
		}
		m.At = parseTime(at)
		d.MailsRead = append(d.MailsRead, m)
		return nil
	})
	if err == nil {
		err = eachRow(ctx, q, sqlCustomerOutbound, []any{s.email, convs}, func(r *sql.Rows) error {
			var m MailSent
			var at string
			if err := r.Scan(&m.MessageID, &m.ConversationID, &m.Recipient, &m.Auto, &m.Status, &m.Error, &at); err != nil {
				return err
			}
			m.At = parseTime(at)
			d.MailsSent = append(d.MailsSent, m)
			return nil
		})
	}
	if err == nil {
		err = eachRow(ctx, q, sqlCustomerThreads, []any{convs}, func(r *sql.Rows) error {
			var m MailThread
			var at string
			if err := r.Scan(&m.MessageID, &m.ConversationID, &m.Dir, &m.Subject, &at); err != nil {
				return err
			}
			m.At = parseTime(at)
			d.MailThreads = append(d.MailThreads, m)
			return nil
		})
	}
	if err == nil {
		err = eachRow(ctx, q, sqlCustomerParticipants, []any{s.email, convs}, func(r *sql.Rows) error {
			var m MailParticipant
			var at string
			if err := r.Scan(&m.ConversationID, &m.Address, &at); err != nil {
				return err
			}
			m.Added = parseTime(at)
			d.Participants = append(d.Participants, m)
			return nil
		})
	}
	return err
}

func parseTime(s string) time.Time {
	t, _ := time.Parse(timeLayout, s)
	return t
}

func eachRow(ctx context.Context, q querier, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
