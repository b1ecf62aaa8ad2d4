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

// statements are prepared on one pool.
type statements struct {
	nextSeq, insertTicket, updateTicket, getTicket, insertEvent, events *sql.Stmt
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
	for _, p := range []*sql.Stmt{s.nextSeq, s.insertTicket, s.updateTicket, s.getTicket, s.insertEvent, s.events} {
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
