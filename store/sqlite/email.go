package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/supportd/supportd/channels/email/mailstore"
)

// The email channel's state (migration 00003) lives in the same file as
// the conversations, so that reconciling after a crash can look at both.

var _ mailstore.Store = (*DB)(nil)

// Checkpoint returns a mailbox's IMAP checkpoint, zero when it has none.
func (db *DB) Checkpoint(ctx context.Context, mailbox string) (mailstore.Checkpoint, error) {
	var cp mailstore.Checkpoint
	err := db.queryRow(ctx,
		`SELECT uid_validity, last_uid FROM email_checkpoints WHERE mailbox = ?`, mailbox).Scan(&cp.UIDValidity, &cp.LastUID)
	if errors.Is(err, sql.ErrNoRows) {
		return mailstore.Checkpoint{}, nil
	}
	if err != nil {
		return cp, fmt.Errorf("email checkpoint of %q: %w", mailbox, err)
	}
	return cp, nil
}

// SetCheckpoint stores a mailbox's IMAP checkpoint.
func (db *DB) SetCheckpoint(ctx context.Context, mailbox string, cp mailstore.Checkpoint) error {
	return db.WriteTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := db.exec(ctx, tx, `INSERT INTO email_checkpoints (mailbox, uid_validity, last_uid, updated_at)
			VALUES (?, ?, ?, ?) ON CONFLICT (mailbox) DO UPDATE SET
			uid_validity = excluded.uid_validity, last_uid = excluded.last_uid, updated_at = excluded.updated_at`,
			mailbox, cp.UIDValidity, cp.LastUID, formatTime(db.now()))
		if err != nil {
			return fmt.Errorf("set email checkpoint of %q: %w", mailbox, err)
		}
		return nil
	})
}

const inboundColumns = `dedupe_key, sender, status, attempts, conversation_id, mailbox, uid_validity, uid,
	subject, reason, raw, received_at`

func scanInbound(row interface{ Scan(...any) error }) (mailstore.Inbound, error) {
	var r mailstore.Inbound
	var at string
	err := row.Scan(&r.Key, &r.Sender, &r.Status, &r.Attempts, &r.ConversationID, &r.Mailbox,
		&r.UIDValidity, &r.UID, &r.Subject, &r.Reason, &r.Raw, &at)
	if err != nil {
		return r, err
	}
	r.At, err = time.Parse(timeLayout, at)
	return r, err
}

// Inbound returns the record of a mail read before. The record of a mail
// whose sender's personal data was erased (EraseCustomer) is found by the
// digest of the address that replaced it, so that the mail is not imported
// again.
func (db *DB) Inbound(ctx context.Context, key, sender string) (mailstore.Inbound, bool, error) {
	r, err := scanInbound(db.queryRow(ctx,
		`SELECT `+inboundColumns+` FROM email_inbound WHERE dedupe_key = ?1 AND sender IN (?2, ?3)
		ORDER BY sender = ?2 DESC LIMIT 1`, key, sender, erasedAddr(sender)))
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	if err != nil {
		return r, false, fmt.Errorf("email inbound record: %w", err)
	}
	return r, true, nil
}

// BeginInbound records an attempt at a mail and returns its record.
func (db *DB) BeginInbound(ctx context.Context, rec mailstore.Inbound) (mailstore.Inbound, error) {
	if rec.Key == "" {
		return rec, errors.New("begin email inbound: empty dedupe key")
	}
	now := formatTime(db.now())
	at := now
	if !rec.At.IsZero() {
		at = formatTime(rec.At)
	}
	var out mailstore.Inbound
	err := db.WriteTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := db.exec(ctx, tx, `INSERT INTO email_inbound
			(dedupe_key, sender, status, attempts, mailbox, uid_validity, uid, subject, received_at, updated_at)
			VALUES (?, ?, 'processing', 1, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (dedupe_key, sender) DO UPDATE SET attempts = attempts + 1, updated_at = excluded.updated_at`,
			rec.Key, rec.Sender, rec.Mailbox, rec.UIDValidity, rec.UID, rec.Subject, at, now)
		if err != nil {
			return err
		}
		out, err = scanInbound(db.txQueryRow(ctx, tx,
			`SELECT `+inboundColumns+` FROM email_inbound WHERE dedupe_key = ? AND sender = ?`, rec.Key, rec.Sender))
		return err
	})
	if err != nil {
		return out, fmt.Errorf("begin email inbound: %w", err)
	}
	return out, nil
}

// FinishInbound stores a mail's final status and links its Message-IDs.
func (db *DB) FinishInbound(ctx context.Context, rec mailstore.Inbound, links []mailstore.Link) error {
	now := db.now()
	at := rec.At
	if at.IsZero() {
		at = now
	}
	err := db.WriteTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := db.exec(ctx, tx, `INSERT INTO email_inbound
			(dedupe_key, sender, status, attempts, conversation_id, mailbox, uid_validity, uid, subject, reason, raw, received_at, updated_at)
			VALUES (?, ?, ?, max(?, 1), ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (dedupe_key, sender) DO UPDATE SET status = excluded.status,
			conversation_id = excluded.conversation_id, reason = excluded.reason, raw = excluded.raw,
			mailbox = excluded.mailbox, uid_validity = excluded.uid_validity, uid = excluded.uid,
			subject = excluded.subject, updated_at = excluded.updated_at`,
			rec.Key, rec.Sender, rec.Status, rec.Attempts, rec.ConversationID, rec.Mailbox, rec.UIDValidity, rec.UID,
			rec.Subject, rec.Reason, rec.Raw, formatTime(at), formatTime(now))
		if err != nil {
			return err
		}
		if err := db.insertLinks(ctx, tx, links, now); err != nil {
			return err
		}
		return db.insertParticipants(ctx, tx, rec.ConversationID, rec.Participants, now)
	})
	if err != nil {
		return fmt.Errorf("finish email inbound: %w", err)
	}
	return nil
}

func (db *DB) insertLinks(ctx context.Context, tx *sql.Tx, links []mailstore.Link, now time.Time) error {
	for _, l := range links {
		if l.MessageID == "" || l.ConversationID == "" {
			continue
		}
		at := l.At
		if at.IsZero() {
			at = now
		}
		_, err := db.exec(ctx, tx, `INSERT INTO email_threads (message_id, conversation_id, dir, subject, at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING`,
			l.MessageID, l.ConversationID, l.Dir, l.Subject, formatTime(at))
		if err != nil {
			return fmt.Errorf("link message id: %w", err)
		}
	}
	return nil
}

func (db *DB) insertParticipants(ctx context.Context, tx *sql.Tx, conv string, addrs []string, now time.Time) error {
	if conv == "" {
		return nil
	}
	for _, a := range addrs {
		if a == "" {
			continue
		}
		_, err := db.exec(ctx, tx, `INSERT INTO email_participants (conversation_id, address, added_at)
			VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, conv, a, formatTime(now))
		if err != nil {
			return fmt.Errorf("add participant: %w", err)
		}
	}
	return nil
}

// Participants returns the participants of a conversation, oldest first
// (those of one mail by address).
func (db *DB) Participants(ctx context.Context, conversationID string) ([]string, error) {
	rows, err := db.query(ctx, `SELECT address FROM email_participants WHERE conversation_id = ?
		ORDER BY added_at, address`, conversationID)
	if err != nil {
		return nil, fmt.Errorf("email participants: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			return nil, fmt.Errorf("email participants: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("email participants: %w", err)
	}
	return out, nil
}

// sqlCommittedIn searches the partial index on email client ids.
const sqlCommittedIn = `SELECT m.conversation_id FROM messages m
	JOIN conversations c ON c.id = m.conversation_id
	WHERE m.client_id = ? AND m.client_id <> '' AND m.channel = ? AND m.dir = 'in' AND c.channel_user = ?
	LIMIT 1`

// CommittedIn finds the conversation holding an inbound message by its
// client id.
func (db *DB) CommittedIn(ctx context.Context, channel, user, clientID string) (string, bool, error) {
	if clientID == "" {
		return "", false, nil
	}
	var id string
	err := db.queryRow(ctx, sqlCommittedIn, clientID, channel, user).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("committed inbound message: %w", err)
	}
	return id, true, nil
}

// Thread returns the conversation of the first linked Message-ID of ids.
func (db *DB) Thread(ctx context.Context, ids []string) (string, bool, error) {
	for _, mid := range ids {
		if mid == "" {
			continue
		}
		var conv string
		err := db.queryRow(ctx, `SELECT conversation_id FROM email_threads WHERE message_id = ?`, mid).Scan(&conv)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return "", false, fmt.Errorf("email thread: %w", err)
		}
		return conv, true, nil
	}
	return "", false, nil
}

// Links returns a conversation's Message-IDs, oldest first.
func (db *DB) Links(ctx context.Context, conversationID string) ([]mailstore.Link, error) {
	return db.links(ctx, "email links", `SELECT message_id, conversation_id, dir, subject, at
		FROM email_threads WHERE conversation_id = ? ORDER BY at, rowid`, conversationID)
}

// SentTo returns the links of the mails sent to a recipient (or in doubt),
// as To or as a participant's Cc, since a moment, the newest first, at
// most limit.
func (db *DB) SentTo(ctx context.Context, recipient string, since time.Time, limit int) ([]mailstore.Link, error) {
	return db.links(ctx, "mails sent to", sqlSentTo, recipient, formatTime(since), limit)
}

// links runs a query of email_threads rows (message_id, conversation_id,
// dir, subject, at); what names it in errors.
func (db *DB) links(ctx context.Context, what, query string, args ...any) ([]mailstore.Link, error) {
	rows, err := db.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var out []mailstore.Link
	for rows.Next() {
		var l mailstore.Link
		var at string
		if err := rows.Scan(&l.MessageID, &l.ConversationID, &l.Dir, &l.Subject, &at); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		if l.At, err = time.Parse(timeLayout, at); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// sqlSentTo: the mails sent To the address, and those of the conversations
// it is a participant of (copied, Cc) since it became one.
const sqlSentTo = `SELECT message_id, conversation_id, dir, subject, at FROM (
	SELECT t.message_id, t.conversation_id, t.dir, t.subject, t.at
	FROM email_outbound o JOIN email_threads t ON t.message_id = o.message_id
	WHERE o.recipient = ?1 AND o.created_at >= ?2 AND o.status IN ('sending', 'sent')
	UNION
	SELECT t.message_id, t.conversation_id, t.dir, t.subject, t.at
	FROM email_participants p JOIN email_threads t ON t.conversation_id = p.conversation_id
	WHERE p.address = ?1 AND t.dir = 'out' AND t.at >= ?2 AND t.at >= p.added_at)
	ORDER BY at DESC LIMIT ?3`

const outboundColumns = `message_id, conversation_id, first_seq, last_seq, recipient, auto,
	status, attempts, error, updated_at`

func scanOutbound(row interface{ Scan(...any) error }) (mailstore.Outbound, error) {
	var r mailstore.Outbound
	var auto int
	var at string
	err := row.Scan(&r.MessageID, &r.ConversationID, &r.FirstSeq, &r.LastSeq, &r.Recipient, &auto, &r.Status, &r.Attempts, &r.Error, &at)
	if err != nil {
		return r, err
	}
	r.Auto = auto == 1
	r.At, err = time.Parse(timeLayout, at)
	return r, err
}

// Outbound returns the send record of a Message-ID.
func (db *DB) Outbound(ctx context.Context, messageID string) (mailstore.Outbound, bool, error) {
	r, err := scanOutbound(db.queryRow(ctx, `SELECT `+outboundColumns+` FROM email_outbound WHERE message_id = ?`, messageID))
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	if err != nil {
		return r, false, fmt.Errorf("email outbound record: %w", err)
	}
	return r, true, nil
}

// PutOutbound inserts or replaces a send record (its creation time is
// kept), links the Message-IDs of links and marks the conversation's
// messages in delivered delivered, in one transaction.
func (db *DB) PutOutbound(ctx context.Context, r mailstore.Outbound, links []mailstore.Link, delivered []int64) error {
	if r.MessageID == "" {
		return errors.New("put email outbound: empty message id")
	}
	at := r.At
	if at.IsZero() {
		at = db.now()
	}
	auto := 0
	if r.Auto {
		auto = 1
	}
	return db.WriteTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := db.exec(ctx, tx, `INSERT INTO email_outbound (message_id, conversation_id, first_seq, last_seq,
			recipient, auto, status, attempts, error, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO UPDATE SET
			last_seq = excluded.last_seq, recipient = excluded.recipient, auto = excluded.auto, status = excluded.status,
			attempts = excluded.attempts, error = excluded.error, updated_at = excluded.updated_at`,
			r.MessageID, r.ConversationID, r.FirstSeq, r.LastSeq, r.Recipient, auto, r.Status, r.Attempts, r.Error,
			formatTime(at), formatTime(at))
		if err != nil {
			return fmt.Errorf("put email outbound %s: %w", r.MessageID, err)
		}
		if err := db.insertLinks(ctx, tx, links, at); err != nil {
			return err
		}
		for _, seq := range delivered {
			if err := db.deliver(ctx, tx, r.ConversationID, seq, at); err != nil {
				return err
			}
		}
		return nil
	})
}

// AutoRepliesSince counts the automatic mails to a recipient sent (or in
// doubt) since a moment.
func (db *DB) AutoRepliesSince(ctx context.Context, recipient string, since time.Time) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT count(*) FROM email_outbound
		WHERE recipient = ? AND auto = 1 AND created_at >= ? AND status IN ('sending', 'sent', 'abandoned')`,
		recipient, formatTime(since)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count automatic replies: %w", err)
	}
	return n, nil
}
