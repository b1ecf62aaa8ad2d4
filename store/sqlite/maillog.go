package sqlite

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/supportd/supportd/channels/email/mailstore"
)

// The mail log, for operators (supportd mail): what became of every mail
// read and every mail sent.

var (
	inboundStatuses = []string{mailstore.StatusProcessing, mailstore.StatusDone, mailstore.StatusAutomated,
		mailstore.StatusOwn, mailstore.StatusQuarantined}
	outboundStatuses = []string{mailstore.SendQueued, mailstore.SendSending, mailstore.SendSent, mailstore.SendFailed,
		mailstore.SendAbandoned, mailstore.SendCapped}
)

// ErrBadStatus is returned for a status filter that names no status.
var ErrBadStatus = errors.New("unknown status")

func checkStatus(status string, known []string) error {
	if status != "" && !slices.Contains(known, status) {
		return fmt.Errorf("%w %q (want %s)", ErrBadStatus, status, strings.Join(known, ", "))
	}
	return nil
}

// InboundLog returns the records of the mails read, newest first, without
// their raw copies: all of them, or those in status; at most limit (0: no
// limit).
func (db *DB) InboundLog(ctx context.Context, status string, limit int) ([]mailstore.Inbound, error) {
	if err := checkStatus(status, inboundStatuses); err != nil {
		return nil, fmt.Errorf("mail log: %w", err)
	}
	n, err := sqlLimit(limit)
	if err != nil {
		return nil, fmt.Errorf("mail log: %w", err)
	}
	return db.queryInbound(ctx, "mail log", `SELECT dedupe_key, sender, status, attempts, conversation_id, mailbox,
		uid_validity, uid, subject, reason, NULL, received_at FROM email_inbound WHERE ?1 = '' OR status = ?1
		ORDER BY received_at DESC, dedupe_key LIMIT ?2`, status, n)
}

// InboundByKey returns every record with a dedupe key (one per sender),
// with their raw copies.
func (db *DB) InboundByKey(ctx context.Context, key string) ([]mailstore.Inbound, error) {
	return db.queryInbound(ctx, "mail "+key, `SELECT `+inboundColumns+` FROM email_inbound WHERE dedupe_key = ? ORDER BY sender`, key)
}

// queryInbound runs a query of inbound records; what names it in errors.
func (db *DB) queryInbound(ctx context.Context, what, query string, args ...any) ([]mailstore.Inbound, error) {
	rows, err := db.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var out []mailstore.Inbound
	for rows.Next() {
		r, err := scanInbound(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// OutboundLog returns the send records, the latest change first: all of
// them, or those in status; at most limit (0: no limit).
func (db *DB) OutboundLog(ctx context.Context, status string, limit int) ([]mailstore.Outbound, error) {
	if err := checkStatus(status, outboundStatuses); err != nil {
		return nil, fmt.Errorf("send log: %w", err)
	}
	n, err := sqlLimit(limit)
	if err != nil {
		return nil, fmt.Errorf("send log: %w", err)
	}
	rows, err := db.query(ctx, `SELECT `+outboundColumns+` FROM email_outbound WHERE ?1 = '' OR status = ?1
		ORDER BY updated_at DESC, message_id LIMIT ?2`, status, n)
	if err != nil {
		return nil, fmt.Errorf("send log: %w", err)
	}
	defer rows.Close()
	var out []mailstore.Outbound
	for rows.Next() {
		r, err := scanOutbound(rows)
		if err != nil {
			return nil, fmt.Errorf("send log: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("send log: %w", err)
	}
	return out, nil
}

// sqlLeftChats reads a channel's outbox through its index.
const sqlLeftChats = `SELECT m.conversation_id FROM messages m JOIN conversations c ON c.id = m.conversation_id
	WHERE m.channel = ?1 AND m.dir = 'out' AND m.delivered_at IS NULL
		AND coalesce(c.data ->> '$.customer.email', '') <> ''
	GROUP BY m.conversation_id
	HAVING min(m.at) <= ?2 OR EXISTS (SELECT 1 FROM email_threads t WHERE t.conversation_id = m.conversation_id)
	ORDER BY min(m.at)`

// LeftChats returns the conversations of a chat channel whose pending
// replies go by email (see mailstore.Store).
func (db *DB) LeftChats(ctx context.Context, channel string, staleBefore time.Time) ([]string, error) {
	ids, err := textColumn(db.query(ctx, sqlLeftChats, channel, formatTime(staleBefore)))
	if err != nil {
		return nil, fmt.Errorf("left chats: %w", err)
	}
	return ids, nil
}

const sqlMailedSeqs = `SELECT first_seq, last_seq FROM email_outbound
	WHERE conversation_id = ? AND status = 'sent' ORDER BY first_seq`

// MailedSeqs returns the ranges of a conversation's messages (first and last
// seq) that went out in mails sent: a web chat's replies mailed to a
// customer who had left.
func (db *DB) MailedSeqs(ctx context.Context, conversationID string) ([][2]int64, error) {
	rows, err := db.reader.QueryContext(ctx, sqlMailedSeqs, conversationID)
	if err != nil {
		return nil, fmt.Errorf("mailed messages of %s: %w", conversationID, err)
	}
	defer rows.Close()
	var out [][2]int64
	for rows.Next() {
		var r [2]int64
		if err := rows.Scan(&r[0], &r[1]); err != nil {
			return nil, fmt.Errorf("mailed messages of %s: %w", conversationID, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
