package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/supportd/supportd/ticketing"
)

// timeLayout is how times are kept in columns: UTC with a fixed number of
// fraction digits, so that text order is time order.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// Tickets returns the ticket operations on tx, which must be the transaction
// this DB's WriteTx passed to fn, so that a caller commits its own writes and
// ticket changes together. The result is valid until that fn returns and is
// not safe for concurrent use.
//
// Its statements run with ctx, the one a WriteTx function is given, whatever
// context its methods are called with (see WriteTx).
func (db *DB) Tickets(ctx context.Context, tx *sql.Tx) ticketing.Tx {
	return &ticketTx{ctx: ctx, tx: tx, st: db.write, now: db.now}
}

// InTx runs fn in one write transaction; see ticketing.Store and WriteTx.
func (db *DB) InTx(ctx context.Context, fn func(ticketing.Tx) error) error {
	return db.WriteTx(ctx, func(ctx context.Context, tx *sql.Tx) error { return fn(db.Tickets(ctx, tx)) })
}

// Create stores a new ticket in its own transaction; see ticketing.Tx.
func (db *DB) Create(ctx context.Context, t *ticketing.Ticket, by ticketing.By) error {
	return db.InTx(ctx, func(tx ticketing.Tx) error { return tx.Create(ctx, t, by) })
}

// Update changes a ticket in its own transaction; see ticketing.Tx.
func (db *DB) Update(ctx context.Context, id string, by ticketing.By, fn func(*ticketing.Ticket) error) (*ticketing.Ticket, error) {
	var t *ticketing.Ticket
	err := db.InTx(ctx, func(tx ticketing.Tx) error {
		var err error
		t, err = tx.Update(ctx, id, by, fn)
		return err
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// AddNote appends a comment in its own transaction; see ticketing.Tx.
func (db *DB) AddNote(ctx context.Context, id string, by ticketing.By, note string) error {
	return db.InTx(ctx, func(tx ticketing.Tx) error { return tx.AddNote(ctx, id, by, note) })
}

// Get reads a ticket as last committed.
func (db *DB) Get(ctx context.Context, id string) (*ticketing.Ticket, error) {
	return getTicket(ctx, db.read.getTicket, id)
}

// List returns the tickets matching f, newest (highest number) first.
func (db *DB) List(ctx context.Context, f ticketing.Filter) ([]*ticketing.Ticket, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	query, args := listQuery(f)
	return scanTickets(db.reader.QueryContext(ctx, query, args...))
}

// scanTickets decodes the tickets of a listQuery.
func scanTickets(rows *sql.Rows, err error) ([]*ticketing.Ticket, error) {
	if err != nil {
		return nil, fmt.Errorf("list tickets: %w", err)
	}
	defer rows.Close()
	var ts []*ticketing.Ticket
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return nil, fmt.Errorf("list tickets: %w", err)
		}
		t, err := decodeTicket(data)
		if err != nil {
			return nil, err
		}
		ts = append(ts, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list tickets: %w", err)
	}
	return ts, nil
}

// listQuery builds List's query. Each filter is on an indexed column.
func listQuery(f ticketing.Filter) (string, []any) {
	var where []string
	var args []any
	add := func(cond string, vs ...any) {
		where = append(where, cond)
		args = append(args, vs...)
	}
	if f.Kind != "" {
		add("kind = ?", string(f.Kind))
	}
	if f.Status != "" {
		add("status = ?", string(f.Status))
	}
	if f.Assignee != "" {
		add("assignee = ?", f.Assignee)
	}
	if f.Customer != "" {
		add("(customer_email = ? OR channel_user = ?)", f.Customer, f.Customer)
	}
	if !f.UpdatedSince.IsZero() {
		// A recent window is a small part of the table: said so, SQLite
		// searches the index instead of scanning every ticket in id order.
		add("likelihood(updated_at >= ?, 0.05)", formatTime(f.UpdatedSince))
	}
	q := "SELECT data FROM tickets"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY seq DESC"
	if f.Limit > 0 {
		q += " LIMIT ?"
		args = append(args, f.Limit)
	}
	return q, args
}

// Events returns a ticket's audit log, oldest first.
func (db *DB) Events(ctx context.Context, id string) ([]ticketing.Event, error) {
	seq, err := seqOf(id)
	if err != nil {
		return nil, err
	}
	rows, err := db.read.events.QueryContext(ctx, seq)
	if err != nil {
		return nil, fmt.Errorf("events of %s: %w", id, err)
	}
	defer rows.Close()
	var evs []ticketing.Event
	for rows.Next() {
		ev := ticketing.Event{TicketID: id}
		var at string
		var changes sql.NullString
		if err := rows.Scan(&ev.Seq, &at, &ev.Actor, &ev.Channel, &ev.Action, &changes, &ev.Note); err != nil {
			return nil, fmt.Errorf("events of %s: %w", id, err)
		}
		if ev.At, err = time.Parse(time.RFC3339Nano, at); err != nil {
			return nil, fmt.Errorf("events of %s: event %d: time %q: %w", id, ev.Seq, at, err)
		}
		if changes.Valid {
			if err := json.Unmarshal([]byte(changes.String), &ev.Changes); err != nil {
				return nil, fmt.Errorf("events of %s: event %d: %w", id, ev.Seq, err)
			}
		}
		evs = append(evs, ev)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("events of %s: %w", id, err)
	}
	if len(evs) == 0 { // every ticket has its "created" event
		return nil, ticketing.NotFound(id)
	}
	return evs, nil
}

// ticketTx implements ticketing.Tx on a write transaction.
type ticketTx struct {
	ctx context.Context // the WriteTx function's: its statements run with it
	tx  *sql.Tx
	st  *statements
	now func() time.Time
}

// stmt binds a prepared statement to the transaction.
func (x *ticketTx) stmt(ctx context.Context, s *sql.Stmt) *sql.Stmt { return x.tx.StmtContext(ctx, s) }

func (x *ticketTx) Get(_ context.Context, id string) (*ticketing.Ticket, error) {
	ctx := x.ctx
	return getTicket(ctx, x.stmt(ctx, x.st.getTicket), id)
}

// List returns the tickets matching f as the transaction sees them.
func (x *ticketTx) List(_ context.Context, f ticketing.Filter) ([]*ticketing.Ticket, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	query, args := listQuery(f)
	return scanTickets(x.tx.QueryContext(x.ctx, query, args...))
}

func (x *ticketTx) Create(_ context.Context, t *ticketing.Ticket, by ticketing.By) error {
	ctx := x.ctx
	if err := by.Validate(); err != nil {
		return err
	}
	c, err := ticketing.PrepareCreate(t)
	if err != nil {
		return err
	}
	var n int64
	if err := x.stmt(ctx, x.st.nextSeq).QueryRowContext(ctx, ticketing.FirstNumber-1).Scan(&n); err != nil {
		return fmt.Errorf("create ticket: next number: %w", err)
	}
	at := by.Time(x.now)
	c.ID, c.CreatedAt, c.UpdatedAt, c.Version = ticketing.FormatID(n), at, at, 1
	data, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("create ticket: %w", err)
	}
	if _, err := x.stmt(ctx, x.st.insertTicket).ExecContext(ctx,
		n, c.ID, c.Kind, c.Status, c.Assignee, c.Customer.Email, c.Channel, c.ChannelUser, c.ConversationID,
		formatTime(c.CreatedAt), formatTime(c.UpdatedAt), c.Version, string(data)); err != nil {
		return fmt.Errorf("create ticket %s: %w", c.ID, err)
	}
	if err := x.appendEvent(ctx, n, c.ID, at, by, ticketing.ActionCreated, nil, by.Note); err != nil {
		return err
	}
	*t = *c
	return nil
}

func (x *ticketTx) Update(_ context.Context, id string, by ticketing.By, fn func(*ticketing.Ticket) error) (*ticketing.Ticket, error) {
	ctx := x.ctx
	if err := by.Validate(); err != nil {
		return nil, err
	}
	cur, err := x.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	next, changes, err := ticketing.ApplyUpdate(cur, fn)
	if err != nil {
		return nil, err
	}
	if changes == nil {
		return cur, nil
	}
	seq, _ := seqOf(id) // valid: Get found it
	at := by.Time(x.now)
	next.Version, next.UpdatedAt = cur.Version+1, at
	data, err := json.Marshal(next)
	if err != nil {
		return nil, fmt.Errorf("update ticket %s: %w", id, err)
	}
	res, err := x.stmt(ctx, x.st.updateTicket).ExecContext(ctx,
		next.Status, next.Assignee, next.Customer.Email, next.Channel, next.ChannelUser, next.ConversationID,
		formatTime(next.UpdatedAt), next.Version, string(data), seq, cur.Version)
	if err != nil {
		return nil, fmt.Errorf("update ticket %s: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		// Impossible while the transaction holds the write lock from its read on.
		return nil, fmt.Errorf("update ticket %s: version %d changed underneath (%d rows, %v)", id, cur.Version, n, err)
	}
	if err := x.appendEvent(ctx, seq, id, at, by, ticketing.ActionUpdated, changes, by.Note); err != nil {
		return nil, err
	}
	return next, nil
}

func (x *ticketTx) AddNote(_ context.Context, id string, by ticketing.By, note string) error {
	ctx := x.ctx
	if err := by.Validate(); err != nil {
		return err
	}
	if strings.TrimSpace(note) == "" {
		return fmt.Errorf("%w: note: empty", ticketing.ErrInvalid)
	}
	if _, err := x.Get(ctx, id); err != nil {
		return err
	}
	seq, _ := seqOf(id)
	return x.appendEvent(ctx, seq, id, by.Time(x.now), by, ticketing.ActionComment, nil, note)
}

// appendEvent adds the next event of a ticket's log.
func (x *ticketTx) appendEvent(ctx context.Context, seq int64, id string, at time.Time, by ticketing.By,
	action string, changes map[string]ticketing.Change, note string) error {
	var raw sql.NullString
	if len(changes) > 0 {
		b, err := json.Marshal(changes)
		if err != nil {
			return fmt.Errorf("event of %s: %w", id, err)
		}
		raw = sql.NullString{String: string(b), Valid: true}
	}
	if _, err := x.stmt(ctx, x.st.insertEvent).ExecContext(ctx,
		seq, formatTime(at), by.Actor, by.Channel, action, raw, note); err != nil {
		return fmt.Errorf("event of %s: %w", id, err)
	}
	return nil
}

// getTicket reads one ticket with the prepared getTicket statement s.
func getTicket(ctx context.Context, s *sql.Stmt, id string) (*ticketing.Ticket, error) {
	seq, err := seqOf(id)
	if err != nil {
		return nil, err
	}
	var data string
	err = s.QueryRowContext(ctx, seq).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ticketing.NotFound(id)
	}
	if err != nil {
		return nil, fmt.Errorf("get ticket %s: %w", id, err)
	}
	return decodeTicket(data)
}

func decodeTicket(data string) (*ticketing.Ticket, error) {
	var t ticketing.Ticket
	if err := json.Unmarshal([]byte(data), &t); err != nil {
		return nil, fmt.Errorf("decode ticket: %w", err)
	}
	return &t, nil
}
