package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/ticketing"
)

var _ dialog.Store = (*DB)(nil)

// Turn runs fn in one write transaction (see WriteTx): the conversations,
// messages and tickets written through the dialog.Tx commit together when fn
// returns nil; when fn returns an error or panics, none does and the error
// (or panic) is passed on. Turns run one at a time, so a conversation loaded
// and saved inside one turn never conflicts; ErrConflict comes from saving a
// copy read outside the turn or saved again since.
func (db *DB) Turn(ctx context.Context, fn func(dialog.Tx) error) error {
	return db.WriteTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		return fn(&convTx{ctx: ctx, db: db, tx: tx})
	})
}

// convTx implements dialog.Tx on a write transaction. Its statements run
// with ctx, the one WriteTx gives its function, whatever context its
// methods are called with: once a turn runs, it finishes (see WriteTx).
type convTx struct {
	ctx     context.Context
	db      *DB
	tx      *sql.Tx
	tickets ticketing.Tx
	next    nextMsg // the conversation appended to last in this transaction
}

// nextMsg is what Append needs of a conversation: its channel, its user and
// the seq of its next message.
type nextMsg struct {
	conversation, channel, user string
	seq                         int64
}

var _ dialog.Tx = (*convTx)(nil)

// stmt binds a prepared writer statement to the transaction.
func (x *convTx) stmt(ctx context.Context, s *sql.Stmt) *sql.Stmt { return x.tx.StmtContext(ctx, s) }

func (x *convTx) Tickets() ticketing.Tx {
	if x.tickets == nil {
		x.tickets = x.db.Tickets(x.ctx, x.tx)
	}
	return x.tickets
}

func (x *convTx) Load(_ context.Context, id string) (*dialog.Conversation, error) {
	ctx := x.ctx
	return x.db.scanConv(x.stmt(ctx, x.db.write.getConv).QueryRowContext(ctx, id), "load conversation "+id, id)
}

// Find's errors name the channel, not the user: a user id may be an email
// address or a phone number.
func (x *convTx) Find(_ context.Context, channel, user string) (*dialog.Conversation, error) {
	ctx := x.ctx
	row := x.stmt(ctx, x.db.write.findConv).QueryRowContext(ctx, channel, user)
	return x.db.scanConv(row, "find conversation on "+channel, "none for that user on "+channel)
}

func (x *convTx) Save(_ context.Context, c *dialog.Conversation) error {
	ctx := x.ctx
	if c == nil || c.ID == "" {
		return errors.New("save conversation: no id")
	}
	if c.Rev < 0 {
		return fmt.Errorf("save conversation %s: negative rev %d", c.ID, c.Rev)
	}
	var wake sql.NullString
	if at := c.WakeAt(); !at.IsZero() {
		wake = sql.NullString{String: formatTime(at), Valid: true}
	}
	old, oldUpdated := c.Rev, c.Updated
	if c.Updated.IsZero() {
		c.Updated = x.db.now()
	}
	c.Rev++
	err := x.write(ctx, c, old, wake)
	if err != nil { // c stays as the caller gave it
		c.Rev, c.Updated = old, oldUpdated
		return err
	}
	saved := c.Clone()
	x.db.commits.afterCommit(func() { x.db.convs.put(saved) })
	return nil
}

// write inserts c (old == 0) or updates it from rev old.
func (x *convTx) write(ctx context.Context, c *dialog.Conversation, old int64, wake sql.NullString) error {
	// Called directly, not through json.Marshal, which would copy and
	// re-compact the whole output of a Marshaler.
	data, err := c.MarshalJSON()
	if err != nil {
		return fmt.Errorf("save conversation %s: %w", c.ID, err)
	}
	if old == 0 {
		return x.insert(ctx, c, wake, data)
	}
	return x.update(ctx, c, old, wake, data)
}

// insert stores a new conversation. An id already taken is ErrConflict: the
// turn that created it first committed since this one's Find or Load.
func (x *convTx) insert(ctx context.Context, c *dialog.Conversation, wake sql.NullString, data []byte) error {
	res, err := x.stmt(ctx, x.db.write.insertConv).ExecContext(ctx,
		c.ID, c.Channel, c.User, c.Rev, formatTime(c.Updated), wake, string(data))
	if err != nil {
		return fmt.Errorf("save conversation %s: %w", c.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("save conversation %s: %w", c.ID, err)
	} else if n != 1 {
		return fmt.Errorf("save conversation %s: rev 0 but the id exists already: %w", c.ID, dialog.ErrConflict)
	}
	return nil
}

// update rewrites a conversation if its stored rev is still old.
func (x *convTx) update(ctx context.Context, c *dialog.Conversation, old int64, wake sql.NullString, data []byte) error {
	res, err := x.stmt(ctx, x.db.write.updateConv).ExecContext(ctx,
		c.Channel, c.User, c.Rev, formatTime(c.Updated), wake, string(data), c.ID, old)
	if err != nil {
		return fmt.Errorf("save conversation %s: %w", c.ID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("save conversation %s: %w", c.ID, err)
	}
	if n != 1 {
		return fmt.Errorf("save conversation %s: rev %d is not the stored one: %w", c.ID, old, dialog.ErrConflict)
	}
	return nil
}

func (x *convTx) Seen(_ context.Context, conversationID, clientID string) (bool, error) {
	ctx := x.ctx
	if clientID == "" {
		return false, nil
	}
	var seen bool
	next := nextMsg{conversation: conversationID}
	err := x.stmt(ctx, x.db.write.seen).QueryRowContext(ctx, conversationID, clientID).Scan(&seen, &next.channel, &next.user, &next.seq)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil // a conversation not saved yet has no messages
	}
	if err != nil {
		return false, fmt.Errorf("seen in conversation %s: %w", conversationID, err)
	}
	x.next = next // the turn appends to it next: no second query
	return seen, nil
}

// Append numbers m after the conversation's last message. An empty
// m.Channel or m.User is taken from the conversation and a zero m.At is the
// store's clock; m is updated in place only on success.
func (x *convTx) Append(_ context.Context, m *dialog.Message) error {
	ctx := x.ctx
	if m.Dir != dialog.In && m.Dir != dialog.Out {
		return fmt.Errorf("append to conversation %s: direction %q: must be %q or %q", m.ConversationID, m.Dir, dialog.In, dialog.Out)
	}
	next := x.next
	if next.conversation != m.ConversationID || next.conversation == "" {
		// The messages of a turn go to one conversation: read it once.
		next = nextMsg{conversation: m.ConversationID}
		err := x.stmt(ctx, x.db.write.nextMsg).QueryRowContext(ctx, m.ConversationID).Scan(&next.channel, &next.user, &next.seq)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("append: %w: %s", dialog.ErrNotFound, m.ConversationID)
		}
		if err != nil {
			return fmt.Errorf("append to conversation %s: %w", m.ConversationID, err)
		}
	}
	n := *m
	n.Seq = next.seq
	if n.Channel == "" {
		n.Channel = next.channel
	}
	if n.User == "" {
		n.User = next.user
	}
	if n.At.IsZero() {
		n.At = x.db.now()
	}
	if err := x.insertMessage(ctx, &n); err != nil {
		return err
	}
	next.seq++
	x.next = next
	*m = n
	return nil
}

func (x *convTx) insertMessage(ctx context.Context, m *dialog.Message) error {
	data, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("append to conversation %s: %w", m.ConversationID, err)
	}
	var delivered sql.NullString
	if m.DeliveredAt != nil {
		delivered = sql.NullString{String: formatTime(*m.DeliveredAt), Valid: true}
	}
	res, err := x.stmt(ctx, x.db.write.insertMsg).ExecContext(ctx,
		m.ConversationID, m.Seq, string(m.Dir), string(m.From), m.Channel, m.ClientID, delivered,
		formatTime(m.At), string(data))
	if err != nil {
		return fmt.Errorf("append to conversation %s: %w", m.ConversationID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("append to conversation %s: %w", m.ConversationID, err)
	} else if n != 1 {
		return fmt.Errorf("append to conversation %s: client id %q appended already", m.ConversationID, m.ClientID)
	}
	return nil
}

// Conversation returns the last committed state of a conversation.
func (db *DB) Conversation(ctx context.Context, id string) (*dialog.Conversation, error) {
	return db.scanConv(db.read.getConv.QueryRowContext(ctx, id), "conversation "+id, id)
}

// History returns the last limit messages of a conversation, oldest first.
func (db *DB) History(ctx context.Context, conversationID string, limit int) ([]dialog.Message, error) {
	n, err := sqlLimit(limit)
	if err != nil {
		return nil, fmt.Errorf("history of %s: %w", conversationID, err)
	}
	ms, err := queryMessages(ctx, db.read.history, "history of "+conversationID, conversationID, n)
	if err != nil || len(ms) > 0 {
		return ms, err
	}
	var exists bool
	if err := db.read.convExists.QueryRowContext(ctx, conversationID).Scan(&exists); err != nil {
		return nil, fmt.Errorf("history of %s: %w", conversationID, err)
	}
	if !exists {
		return nil, fmt.Errorf("history: %w: %s", dialog.ErrNotFound, conversationID)
	}
	return ms, nil
}

// Pending returns the undelivered outbound messages of channel, oldest first.
func (db *DB) Pending(ctx context.Context, channel string, limit int) ([]dialog.Message, error) {
	n, err := sqlLimit(limit)
	if err != nil {
		return nil, fmt.Errorf("pending of %s: %w", channel, err)
	}
	return queryMessages(ctx, db.read.pending, "pending of "+channel, channel, n)
}

// MarkDelivered records the delivery of an outbound message in its own write
// transaction. A message delivered already keeps its first time.
func (db *DB) MarkDelivered(ctx context.Context, conversationID string, seq int64, at time.Time) error {
	return db.MarkDeliveredAll(ctx, conversationID, []int64{seq}, at)
}

// MarkDeliveredAll records the delivery of several outbound messages of a
// conversation in one write transaction.
func (db *DB) MarkDeliveredAll(ctx context.Context, conversationID string, seqs []int64, at time.Time) error {
	if at.IsZero() {
		at = db.now()
	}
	return db.WriteTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		for _, seq := range seqs {
			if err := db.deliver(ctx, tx, conversationID, seq, at); err != nil {
				return err
			}
		}
		return nil
	})
}

// deliver marks one outbound message inside tx; one delivered already keeps
// its first time.
func (db *DB) deliver(ctx context.Context, tx *sql.Tx, conversationID string, seq int64, at time.Time) error {
	res, err := tx.StmtContext(ctx, db.write.deliver).ExecContext(ctx, formatTime(at), conversationID, seq)
	if err != nil {
		return fmt.Errorf("mark delivered %s/%d: %w", conversationID, seq, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	var exists bool
	if err := tx.StmtContext(ctx, db.write.outboundExists).QueryRowContext(ctx, conversationID, seq).Scan(&exists); err != nil {
		return fmt.Errorf("mark delivered %s/%d: %w", conversationID, seq, err)
	}
	if !exists {
		return fmt.Errorf("mark delivered: %w: %s has no outbound message %d", dialog.ErrNotFound, conversationID, seq)
	}
	return nil // delivered already
}

// Due returns the conversations whose earliest timer is at or before now.
func (db *DB) Due(ctx context.Context, now time.Time, limit int) ([]string, error) {
	n, err := sqlLimit(limit)
	if err != nil {
		return nil, fmt.Errorf("due conversations: %w", err)
	}
	ids, err := textColumn(db.read.due.QueryContext(ctx, formatTime(now), n))
	if err != nil {
		return nil, fmt.Errorf("due conversations: %w", err)
	}
	return ids, nil
}

// textColumn reads the one text column of a query's rows.
func textColumn(rows *sql.Rows, err error) ([]string, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// sqlLimit turns a limit where 0 means all into SQLite's, where -1 does.
func sqlLimit(limit int) (int, error) {
	switch {
	case limit < 0:
		return 0, fmt.Errorf("limit %d: must be ≥ 0", limit)
	case limit == 0:
		return -1, nil
	}
	return limit, nil
}

// scanConv decodes the one conversation row. what names the operation in
// errors, key the conversation looked for.
// scanConv reads a conversation row (id, rev, data), from the cache of
// decoded conversations when it has that rev.
func (db *DB) scanConv(row *sql.Row, what, key string) (*dialog.Conversation, error) {
	var id string
	var rev int64
	var data []byte
	err := row.Scan(&id, &rev, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: %s", dialog.ErrNotFound, key)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if c := db.convs.get(id, rev); c != nil {
		return c, nil
	}
	var c dialog.Conversation
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("%s: decode: %w", what, err)
	}
	c.Rev = rev
	return &c, nil
}

// queryMessages runs a prepared statement returning message data.
func queryMessages(ctx context.Context, s *sql.Stmt, what string, args ...any) ([]dialog.Message, error) {
	rows, err := s.QueryContext(ctx, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var ms []dialog.Message
	for rows.Next() {
		var data string
		var delivered sql.NullString
		if err := rows.Scan(&data, &delivered); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		var m dialog.Message
		if err := json.Unmarshal([]byte(data), &m); err != nil {
			return nil, fmt.Errorf("%s: decode message: %w", what, err)
		}
		m.DeliveredAt = nil
		if delivered.Valid {
			at, err := time.Parse(timeLayout, delivered.String)
			if err != nil {
				return nil, fmt.Errorf("%s: message %d: delivered_at: %w", what, m.Seq, err)
			}
			m.DeliveredAt = &at
		}
		ms = append(ms, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return ms, nil
}
