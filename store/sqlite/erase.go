package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/ticketing"
)

// Erasure counts what EraseCustomer erased (or, dry, would erase).
type Erasure struct {
	Conversations    []string `json:"conversations"` // their ids: the web chat's uploads are kept under them
	Messages         int      `json:"messages"`
	UndeliveredDrops int      `json:"undelivered_dropped"` // replies not yet delivered, no longer sent
	Tickets          []string `json:"tickets"`
	Events           int      `json:"events_redacted"`
	MailsRead        int      `json:"mails_read"`
	RawCopies        int      `json:"raw_copies_deleted"`
	MailsSent        int      `json:"mails_sent"`
	MailThreads      int      `json:"mail_threads"`
	Participants     int      `json:"mail_participants_deleted"`
	SlackEvents      int      `json:"slack_events_deleted"`
	// SlackThreads are the tickets' threads in Slack: copies of the
	// customer's messages that are not erased from here.
	SlackThreads []ErasedThread `json:"slack_threads"`
}

// ErasedThread is the Slack thread of a ticket erased.
type ErasedThread struct {
	TicketID string `json:"ticket_id"`
	Channel  string `json:"channel"`
	TS       string `json:"ts"`
}

// EraseCustomer erases the personal data of a customer in one transaction,
// keeping what the service statistics read (ticket kinds, statuses, times,
// deadlines, ratings' scores, models, warranty decisions):
//
//   - the text of every message of their conversations, both directions,
//     becomes Erased (replies not delivered yet are marked delivered, so
//     that the marker is never sent);
//   - their conversations lose the customer's name, email and phone, what
//     they told the bot (slots, the last message, the subject), and an
//     email address as the conversation's user becomes ErasedAddress;
//   - their tickets are updated by actor (the operator) with the note
//     ErasureNote: customer cleared, subject, details, proof of purchase,
//     the rating's comment and the quote's note erased; then every event
//     of the ticket has its note (but ErasureNote's), an actor carrying an
//     address, and the personal fields of its changes erased, through the
//     one path migration 00014 allows;
//   - mail records keep no address (ErasedAddress) or subject, raw copies
//     are deleted, participant records deleted, and Slack events about
//     their tickets' threads already processed are deleted.
//
// With dry it only counts, writing nothing. It is ErrNoCustomer when
// nothing is stored about the customer. Files (web chat uploads) are the
// caller's: see Erasure.Conversations.
func (db *DB) EraseCustomer(ctx context.Context, cq CustomerQuery, actor string, dry bool) (*Erasure, error) {
	if strings.TrimSpace(actor) == "" {
		return nil, fmt.Errorf("%w: actor: required, say who erases", ticketing.ErrInvalid)
	}
	var er *Erasure
	errDry := errors.New("dry run")
	err := db.WriteTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		s, err := scopeOf(ctx, tx, cq)
		if err != nil {
			return err
		}
		x := &eraser{ctx: ctx, db: db, tx: tx, s: s, now: db.now().UTC(), er: &Erasure{Conversations: s.convs}}
		er = x.er
		if err := x.count(); err != nil {
			return err
		}
		if len(s.convs) == 0 && len(s.tickets) == 0 && er.MailsRead == 0 && er.MailsSent == 0 && er.Participants == 0 {
			return ErrNoCustomer
		}
		if dry {
			return errDry
		}
		return x.erase(actor)
	})
	switch {
	case errors.Is(err, errDry):
		return er, nil
	case errors.Is(err, ErrNoCustomer):
		return nil, err
	case err != nil:
		return nil, fmt.Errorf("erase customer %s: %w", cq, err)
	}
	return er, nil
}

// eraser is one erasure inside its transaction.
type eraser struct {
	ctx context.Context
	db  *DB
	tx  *sql.Tx
	s   scope
	now time.Time
	er  *Erasure
}

func (x *eraser) scalar(query string, args ...any) (int, error) {
	var n int
	err := x.tx.QueryRowContext(x.ctx, query, args...).Scan(&n)
	return n, err
}

// count fills in what would be erased.
func (x *eraser) count() error {
	convs, email := x.s.convsJSON(), x.s.email
	for _, seq := range x.s.tickets {
		x.er.Tickets = append(x.er.Tickets, ticketing.FormatID(seq))
	}
	var err error
	for _, c := range []struct {
		n     *int
		query string
		args  []any
	}{
		{&x.er.Messages, `SELECT count(*) FROM messages WHERE conversation_id IN (SELECT value FROM json_each(?1))`, []any{convs}},
		{&x.er.UndeliveredDrops, `SELECT count(*) FROM messages WHERE conversation_id IN (SELECT value FROM json_each(?1))
			AND dir = 'out' AND delivered_at IS NULL`, []any{convs}},
		{&x.er.Events, `SELECT count(*) FROM events WHERE ticket_seq IN (SELECT value FROM json_each(?1))`, []any{jsonList(x.s.tickets)}},
		{&x.er.MailsRead, `SELECT count(*) FROM email_inbound WHERE (?1 <> '' AND lower(sender) = ?1)
			OR conversation_id IN (SELECT value FROM json_each(?2))`, []any{email, convs}},
		{&x.er.RawCopies, `SELECT count(*) FROM email_inbound WHERE ((?1 <> '' AND lower(sender) = ?1)
			OR conversation_id IN (SELECT value FROM json_each(?2))) AND raw IS NOT NULL`, []any{email, convs}},
		{&x.er.MailsSent, `SELECT count(*) FROM email_outbound WHERE (?1 <> '' AND recipient = ?1)
			OR conversation_id IN (SELECT value FROM json_each(?2))`, []any{email, convs}},
		{&x.er.MailThreads, `SELECT count(*) FROM email_threads WHERE conversation_id IN (SELECT value FROM json_each(?1))`, []any{convs}},
		{&x.er.Participants, `SELECT count(*) FROM email_participants WHERE (?1 <> '' AND address = ?1)
			OR conversation_id IN (SELECT value FROM json_each(?2))`, []any{email, convs}},
		{&x.er.SlackEvents, sqlSlackOfTickets("count(*)"), []any{jsonList(x.er.Tickets)}},
	} {
		if *c.n, err = x.scalar(c.query, c.args...); err != nil {
			return err
		}
	}
	return eachRow(x.ctx, x.tx, `SELECT ticket_id, channel, ts FROM slack_threads
		WHERE ticket_id IN (SELECT value FROM json_each(?1)) ORDER BY ticket_id`, []any{jsonList(x.er.Tickets)},
		func(r *sql.Rows) error {
			var t ErasedThread
			err := r.Scan(&t.TicketID, &t.Channel, &t.TS)
			x.er.SlackThreads = append(x.er.SlackThreads, t)
			return err
		})
}

// sqlSlackOfTickets selects the processed Slack events about the threads of
// some tickets (?1, a JSON list of ids): their body names the thread's ts.
func sqlSlackOfTickets(what string) string {
	return `SELECT ` + what + ` FROM slack_inbox i WHERE i.done_at IS NOT NULL AND EXISTS (SELECT 1 FROM slack_threads t
		WHERE t.ticket_id IN (SELECT value FROM json_each(?1)) AND instr(i.body, t.ts) > 0)`
}

func (x *eraser) erase(actor string) error {
	for _, step := range []func() error{x.conversations, x.messages, func() error { return x.tickets(actor) }, x.mail} {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// erasedUser is what a conversation's or ticket's user id becomes: an email
// address is replaced, a visitor id (random, no personal data) is kept.
func erasedUser(u string) string {
	if strings.Contains(u, "@") {
		return ErasedAddress(u)
	}
	return u
}

func (x *eraser) conversations() error {
	ct := &convTx{ctx: x.ctx, db: x.db, tx: x.tx}
	for _, id := range x.s.convs {
		c, err := ct.Load(x.ctx, id)
		if errors.Is(err, dialog.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		c = c.Clone()
		c.User = erasedUser(c.User)
		c.Customer = ticketing.Customer{Lang: c.Customer.Lang}
		c.Slots = map[string]dialog.Slot{}
		c.Confirm, c.Together, c.Back, c.Later, c.Said, c.Unanswered = nil, nil, nil, nil, nil, nil
		if c.Subject != "" {
			c.Subject = Erased
		}
		if c.Handoff != nil && c.Handoff.Unanswered != "" {
			c.Handoff.Unanswered = Erased
		}
		if err := ct.Save(x.ctx, c); err != nil {
			return err
		}
	}
	return nil
}

func (x *eraser) messages() error {
	type row struct {
		conv string
		seq  int64
		data string
	}
	var rows []row
	err := eachRow(x.ctx, x.tx, `SELECT conversation_id, seq, data FROM messages
		WHERE conversation_id IN (SELECT value FROM json_each(?1)) ORDER BY conversation_id, seq`, []any{x.s.convsJSON()},
		func(r *sql.Rows) error {
			var w row
			err := r.Scan(&w.conv, &w.seq, &w.data)
			rows = append(rows, w)
			return err
		})
	if err != nil {
		return err
	}
	for _, w := range rows {
		var m dialog.Message
		if err := json.Unmarshal([]byte(w.data), &m); err != nil {
			return fmt.Errorf("message %s/%d: %w", w.conv, w.seq, err)
		}
		if m.Text != "" {
			m.Text = Erased
		}
		m.Choices, m.User = nil, erasedUser(m.User)
		if m.Dir == dialog.Out && m.DeliveredAt == nil {
			at := x.now
			m.DeliveredAt = &at
		}
		data, err := json.Marshal(m)
		if err != nil {
			return err
		}
		var delivered any
		if m.DeliveredAt != nil {
			delivered = formatTime(*m.DeliveredAt)
		}
		if _, err := x.tx.ExecContext(x.ctx, `UPDATE messages SET data = ?, delivered_at = ? WHERE conversation_id = ? AND seq = ?`,
			string(data), delivered, w.conv, w.seq); err != nil {
			return fmt.Errorf("message %s/%d: %w", w.conv, w.seq, err)
		}
	}
	return nil
}

// eraseTicket clears the customer's personal data from a ticket.
func eraseTicket(t *ticketing.Ticket) error {
	t.Customer = ticketing.Customer{Lang: t.Customer.Lang}
	t.ChannelUser = erasedUser(t.ChannelUser)
	t.Subject = erasedText(t.Subject)
	t.ProofRef = erasedText(t.ProofRef)
	eraseDetails(t.Details)
	if t.Satisfaction != nil {
		t.Satisfaction.Comment = erasedText(t.Satisfaction.Comment)
	}
	if t.Quote != nil {
		t.Quote.Note = erasedText(t.Quote.Note)
	}
	return nil
}

// keptDetails are the ticket details the dialog fills with a value of its
// own (a yes/no answer, a choice, an amount, a model, a ticket id), not with
// the customer's words: an erasure keeps them. Every other detail (the
// fault, the address, the phone, a complaint, a question, dates the
// customer gave, and any key added later) is erased.
var keptDetails = map[string]bool{
	"misuse": true, "opened": true, "consumable": true, "service_mode": true, "estimate": true,
	"option": true, "packaging": true, "installation": true, "exchange_to": true, "price_difference": true,
	"parts_warranty_ends": true, "previous_ticket": true, "about_ticket": true,
}

func eraseDetails(m map[string]string) {
	for k, v := range m {
		if !keptDetails[k] {
			m[k] = erasedText(v)
		}
	}
}

func erasedText(s string) string {
	if s == "" {
		return ""
	}
	return Erased
}

func (x *eraser) tickets(actor string) error {
	tk := x.db.Tickets(x.ctx, x.tx)
	by := ticketing.By{Actor: actor, Channel: "cli", Note: ErasureNote, At: x.now}
	for _, seq := range x.s.tickets {
		id := ticketing.FormatID(seq)
		before, err := tk.Get(x.ctx, id)
		if err != nil {
			return err
		}
		after, err := tk.Update(x.ctx, id, by, eraseTicket)
		if err != nil {
			return err
		}
		if after.Version == before.Version { // nothing to clear: the erasure is still on record
			if err := tk.AddNote(x.ctx, id, by, ErasureNote); err != nil {
				return err
			}
		}
		if err := x.redactEvents(seq); err != nil {
			return fmt.Errorf("events of %s: %w", id, err)
		}
	}
	return nil
}

// redactEvents rewrites the events of a ticket through the path migration
// 00014 allows: inside this transaction, while the ticket is in
// events_erasing.
func (x *eraser) redactEvents(seq int64) error {
	if _, err := x.tx.ExecContext(x.ctx, `INSERT INTO events_erasing (ticket_seq) VALUES (?)`, seq); err != nil {
		return err
	}
	type ev struct {
		seq           int64
		actor, note   string
		changes       sql.NullString
		nActor, nNote string
		nChanges      sql.NullString
	}
	var evs []ev
	err := eachRow(x.ctx, x.tx, `SELECT seq, actor, note, changes FROM events WHERE ticket_seq = ? ORDER BY seq`, []any{seq},
		func(r *sql.Rows) error {
			var e ev
			err := r.Scan(&e.seq, &e.actor, &e.note, &e.changes)
			evs = append(evs, e)
			return err
		})
	if err != nil {
		return err
	}
	for _, e := range evs {
		e.nActor, e.nNote, e.nChanges = e.actor, e.note, e.changes
		if kind, who, ok := strings.Cut(e.actor, ":"); ok && strings.Contains(who, "@") {
			e.nActor = kind + ":" + Erased
		}
		if e.note != ErasureNote {
			e.nNote = erasedText(e.note)
		}
		if e.changes.Valid {
			c, err := redactChanges(e.changes.String)
			if err != nil {
				return fmt.Errorf("event %d: %w", e.seq, err)
			}
			e.nChanges.String = c
		}
		if e.nActor == e.actor && e.nNote == e.note && e.nChanges == e.changes {
			continue
		}
		if _, err := x.tx.ExecContext(x.ctx, `UPDATE events SET actor = ?, note = ?, changes = ? WHERE ticket_seq = ? AND seq = ?`,
			e.nActor, e.nNote, e.nChanges, seq, e.seq); err != nil {
			return fmt.Errorf("event %d: %w", e.seq, err)
		}
	}
	_, err = x.tx.ExecContext(x.ctx, `DELETE FROM events_erasing WHERE ticket_seq = ?`, seq)
	return err
}

// redactChanges erases the personal fields of an event's changes (a JSON
// object of field: {old, new}), as eraseTicket does on the ticket.
func redactChanges(raw string) (string, error) {
	var changes map[string]ticketing.Change
	if err := json.Unmarshal([]byte(raw), &changes); err != nil {
		return "", err
	}
	for field, c := range changes {
		var err error
		if c.Old, err = redactField(field, c.Old); err != nil {
			return "", fmt.Errorf("%s: %w", field, err)
		}
		if c.New, err = redactField(field, c.New); err != nil {
			return "", fmt.Errorf("%s: %w", field, err)
		}
		changes[field] = c
	}
	b, err := json.Marshal(changes)
	return string(b), err
}

// redactField erases a ticket field's JSON value when it holds personal data.
func redactField(field string, v json.RawMessage) (json.RawMessage, error) {
	if len(v) == 0 || string(v) == "null" {
		return v, nil
	}
	switch field {
	case "subject", "proof_ref":
		return redactJSON[string](v, func(s *string) { *s = erasedText(*s) })
	case "channel_user":
		return redactJSON[string](v, func(s *string) { *s = erasedUser(*s) })
	case "customer":
		return redactJSON[ticketing.Customer](v, func(c *ticketing.Customer) {
			c.Name, c.Email, c.Phone = erasedText(c.Name), erasedText(c.Email), erasedText(c.Phone)
		})
	case "details":
		return redactJSON[map[string]string](v, func(m *map[string]string) { eraseDetails(*m) })
	case "satisfaction":
		return redactJSON[ticketing.Satisfaction](v, func(s *ticketing.Satisfaction) { s.Comment = erasedText(s.Comment) })
	case "quote":
		return redactJSON[ticketing.Quote](v, func(q *ticketing.Quote) { q.Note = erasedText(q.Note) })
	}
	return v, nil
}

func redactJSON[T any](v json.RawMessage, fn func(*T)) (json.RawMessage, error) {
	var x T
	if err := json.Unmarshal(v, &x); err != nil {
		return nil, err
	}
	fn(&x)
	return json.Marshal(x)
}

// mail erases the mail records of the scope.
func (x *eraser) mail() error {
	convs, email := x.s.convsJSON(), x.s.email
	type key struct{ k, sender string }
	var keys []key
	err := eachRow(x.ctx, x.tx, `SELECT dedupe_key, sender FROM email_inbound WHERE (?1 <> '' AND lower(sender) = ?1)
		OR conversation_id IN (SELECT value FROM json_each(?2))`, []any{email, convs}, func(r *sql.Rows) error {
		var k key
		err := r.Scan(&k.k, &k.sender)
		keys = append(keys, k)
		return err
	})
	if err != nil {
		return err
	}
	for _, k := range keys {
		if _, err := x.tx.ExecContext(x.ctx, `UPDATE email_inbound SET sender = ?, raw = NULL,
			subject = CASE WHEN subject = '' THEN '' ELSE ? END, updated_at = ?
			WHERE dedupe_key = ? AND sender = ?`, erasedAddr(k.sender), Erased, formatTime(x.now), k.k, k.sender); err != nil {
			return fmt.Errorf("mail read %s: %w", k.k, err)
		}
	}
	var sent []key
	err = eachRow(x.ctx, x.tx, `SELECT message_id, recipient FROM email_outbound WHERE (?1 <> '' AND recipient = ?1)
		OR conversation_id IN (SELECT value FROM json_each(?2))`, []any{email, convs}, func(r *sql.Rows) error {
		var k key
		err := r.Scan(&k.k, &k.sender)
		sent = append(sent, k)
		return err
	})
	if err != nil {
		return err
	}
	for _, k := range sent {
		if _, err := x.tx.ExecContext(x.ctx, `UPDATE email_outbound SET recipient = ?,
			error = CASE WHEN error = '' THEN '' ELSE ? END WHERE message_id = ?`,
			erasedAddr(k.sender), Erased, k.k); err != nil {
			return fmt.Errorf("mail sent %s: %w", k.k, err)
		}
	}
	for _, st := range []struct {
		query string
		args  []any
	}{
		{`UPDATE email_threads SET subject = CASE WHEN subject = '' THEN '' ELSE ?2 END
			WHERE conversation_id IN (SELECT value FROM json_each(?1))`, []any{convs, Erased}},
		{`UPDATE questions_declined SET question = ?2 WHERE conversation_id IN (SELECT value FROM json_each(?1))`, []any{convs, Erased}},
		{`DELETE FROM email_participants WHERE (?1 <> '' AND address = ?1)
			OR conversation_id IN (SELECT value FROM json_each(?2))`, []any{email, convs}},
		{`DELETE FROM slack_inbox WHERE id IN (` + sqlSlackOfTickets("i.id") + `)`, []any{jsonList(x.er.Tickets)}},
	} {
		if _, err := x.tx.ExecContext(x.ctx, st.query, st.args...); err != nil {
			return err
		}
	}
	return nil
}

// erasedAddr is an address of a mail record once erased: its digest
// (ErasedAddress); an empty or already erased one stays as it is.
func erasedAddr(a string) string {
	if a == "" || strings.HasPrefix(a, "erased:") {
		return a
	}
	return ErasedAddress(a)
}

// Vacuum rewrites the database file with its live data only (VACUUM) and
// empties the write-ahead log (a TRUNCATE checkpoint): after an erasure, the
// erased values leave no copy in free pages of the file or in the log. It
// holds the write lock while it runs, which on a large database takes a
// while; writers of other processes wait (busy_timeout) meanwhile.
func (db *DB) Vacuum(ctx context.Context) error {
	if _, err := db.checkpointer.ExecContext(ctx, "VACUUM"); err != nil {
		return fmt.Errorf("vacuum: %w", err)
	}
	var busy, frames, copied int
	if err := db.checkpointer.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &frames, &copied); err != nil {
		return fmt.Errorf("vacuum: checkpoint: %w", err)
	}
	if busy != 0 {
		return errors.New("vacuum: the write-ahead log is in use by another connection; it is emptied at its next checkpoint")
	}
	return nil
}
