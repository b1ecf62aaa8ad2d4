package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/supportd/supportd/ticketing"
)

// The ticket statements. They are prepared once (parsing SQL costs more than
// running these statements) and bound to each transaction with
// Tx.StmtContext, which reuses the writer connection's prepared statement.
const (
	sqlNextSeq = `SELECT COALESCE(MAX(seq), ?) + 1 FROM tickets`

	sqlInsertTicket = `INSERT INTO tickets
		(seq, id, kind, status, assignee, customer_email, channel, channel_user, conversation_id,
		 created_at, updated_at, version, data)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

	sqlUpdateTicket = `UPDATE tickets SET
		status = ?, assignee = ?, customer_email = ?, channel = ?, channel_user = ?, conversation_id = ?,
		updated_at = ?, version = ?, data = ?
		WHERE seq = ? AND version = ?`

	sqlGetTicket = `SELECT data FROM tickets WHERE seq = ?`

	// sqlInsertEvent numbers the event after the ticket's last one.
	sqlInsertEvent = `INSERT INTO events (ticket_seq, seq, at, actor, channel, action, changes, note)
		SELECT ?1, COALESCE(MAX(seq), 0) + 1, ?2, ?3, ?4, ?5, ?6, ?7 FROM events WHERE ticket_seq = ?1`

	sqlEvents = `SELECT seq, at, actor, channel, action, changes, note FROM events WHERE ticket_seq = ? ORDER BY seq`
)

// The conversation statements (conversations.go). A LIMIT of -1 is no limit.
const (
	sqlGetConv = `SELECT id, rev, data FROM conversations WHERE id = ?`

	sqlFindConv = `SELECT id, rev, data FROM conversations WHERE channel = ? AND channel_user = ?
		ORDER BY updated_at DESC, rowid DESC LIMIT 1`

	// sqlInsertConv changes no row when the id is taken.
	sqlInsertConv = `INSERT INTO conversations (id, channel, channel_user, rev, updated_at, wake_at, data)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`

	sqlUpdateConv = `UPDATE conversations SET channel = ?, channel_user = ?, rev = ?, updated_at = ?, wake_at = ?, data = ?
		WHERE id = ? AND rev = ?`

	sqlConvExists = `SELECT EXISTS (SELECT 1 FROM conversations WHERE id = ?)`

	// sqlNextMsg returns no row for an unknown conversation.
	sqlNextMsg = `SELECT channel, channel_user,
		(SELECT COALESCE(MAX(seq), 0) + 1 FROM messages WHERE conversation_id = ?1)
		FROM conversations WHERE id = ?1`

	// sqlInsertMsg changes no row when the client id is in the conversation.
	sqlInsertMsg = `INSERT INTO messages (conversation_id, seq, dir, sender, channel, client_id, delivered_at, at, data)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (conversation_id, client_id) WHERE client_id <> '' DO NOTHING`

	// sqlSeen also returns what sqlNextMsg does, so that a turn that
	// checks its message id does not ask again to append (no row for an
	// unknown conversation).
	sqlSeen = `SELECT EXISTS (SELECT 1 FROM messages
			WHERE conversation_id = ?1 AND client_id = ?2 AND client_id <> '' AND dir = 'in'),
		channel, channel_user, (SELECT COALESCE(MAX(seq), 0) + 1 FROM messages WHERE conversation_id = ?1)
		FROM conversations WHERE id = ?1`

	// sqlDeliver sets the column only: it is the truth about delivery, and
	// readers take it over the copy in data (set when a message is stored
	// delivered).
	sqlDeliver = `UPDATE messages SET delivered_at = ?1
		WHERE conversation_id = ?2 AND seq = ?3 AND dir = 'out' AND delivered_at IS NULL`

	sqlOutboundExists = `SELECT EXISTS (SELECT 1 FROM messages WHERE conversation_id = ? AND seq = ? AND dir = 'out')`

	sqlHistory = `SELECT data, delivered_at FROM (SELECT seq, data, delivered_at FROM messages
		WHERE conversation_id = ? ORDER BY seq DESC LIMIT ?) ORDER BY seq`

	sqlPending = `SELECT data, delivered_at FROM messages WHERE channel = ? AND dir = 'out' AND delivered_at IS NULL
		ORDER BY at, conversation_id, seq LIMIT ?`

	sqlDue = `SELECT id FROM conversations WHERE wake_at IS NOT NULL AND wake_at <= ? ORDER BY wake_at, id LIMIT ?`
)

// statements are prepared on one pool.
type statements struct {
	nextSeq, insertTicket, updateTicket, getTicket, insertEvent, events *sql.Stmt

	getConv, findConv, insertConv, updateConv, convExists, nextMsg, insertMsg, seen *sql.Stmt
	deliver, outboundExists, history, pending, due                                  *sql.Stmt
}

// prepare prepares the statements on pool; write statements only when write.
func prepare(ctx context.Context, pool *sql.DB, write bool) (*statements, error) {
	var s statements
	list := []struct {
		dst   **sql.Stmt
		query string
		write bool
	}{
		{&s.nextSeq, sqlNextSeq, true},
		{&s.insertTicket, sqlInsertTicket, true},
		{&s.updateTicket, sqlUpdateTicket, true},
		{&s.insertEvent, sqlInsertEvent, true},
		{&s.getTicket, sqlGetTicket, false},
		{&s.events, sqlEvents, false},
		{&s.findConv, sqlFindConv, true},
		{&s.insertConv, sqlInsertConv, true},
		{&s.updateConv, sqlUpdateConv, true},
		{&s.nextMsg, sqlNextMsg, true},
		{&s.insertMsg, sqlInsertMsg, true},
		{&s.seen, sqlSeen, true},
		{&s.deliver, sqlDeliver, true},
		{&s.outboundExists, sqlOutboundExists, true},
		{&s.getConv, sqlGetConv, false},
		{&s.convExists, sqlConvExists, false},
		{&s.history, sqlHistory, false},
		{&s.pending, sqlPending, false},
		{&s.due, sqlDue, false},
	}
	for _, st := range list {
		if st.write && !write {
			continue
		}
		p, err := pool.PrepareContext(ctx, st.query)
		if err != nil {
			s.close()
			return nil, fmt.Errorf("prepare %q: %w", strings.Fields(st.query)[0:3], err)
		}
		*st.dst = p
	}
	return &s, nil
}

func (s *statements) close() {
	if s == nil {
		return
	}
	for _, p := range []*sql.Stmt{s.nextSeq, s.insertTicket, s.updateTicket, s.getTicket, s.insertEvent, s.events,
		s.getConv, s.findConv, s.insertConv, s.updateConv, s.convExists, s.nextMsg, s.insertMsg, s.seen,
		s.deliver, s.outboundExists, s.history, s.pending, s.due} {
		if p != nil {
			p.Close()
		}
	}
}

// seqOf returns the number in a ticket id made by ticketing.FormatID, or
// ErrNotFound for anything else: no such ticket can exist.
func seqOf(id string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimPrefix(id, "T-"), 10, 64)
	if err != nil || ticketing.FormatID(n) != id {
		return 0, ticketing.NotFound(id)
	}
	return n, nil
}
