package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/supportd/supportd/ticketing"
)

// The outgoing webhooks' tables (migration 00013): a feed numbering every
// ticket event in commit order, and one cursor per configured webhook.
// Package webhooks delivers the feed. Every method is safe for concurrent
// use.

const (
	// sqlWebhookDrop deletes the cursors of webhooks no longer configured
	// (?1: a JSON array of the names configured).
	sqlWebhookDrop = `DELETE FROM webhook_cursors WHERE name NOT IN (SELECT value FROM json_each(?1))`
	// sqlWebhookAdd gives a new webhook a cursor at the end of the feed:
	// it receives the events committed from now on.
	sqlWebhookAdd = `INSERT INTO webhook_cursors (name, last_id, updated_at)
		VALUES (?1, (SELECT COALESCE(MAX(id), 0) FROM webhook_feed), ?2) ON CONFLICT (name) DO NOTHING`
	sqlWebhookCursors = `SELECT name, last_id FROM webhook_cursors`
	// sqlWebhookEvents reads the feed after a cursor with each event and
	// its ticket as it is now.
	sqlWebhookEvents = `SELECT f.id, e.ticket_seq, e.seq, e.at, e.actor, e.channel, e.action, e.changes, e.note, t.data
		FROM webhook_feed f
		JOIN events e ON e.ticket_seq = f.ticket_seq AND e.seq = f.seq
		JOIN tickets t ON t.seq = f.ticket_seq
		WHERE f.id > ? ORDER BY f.id LIMIT ?`
	sqlWebhookAdvance = `UPDATE webhook_cursors SET last_id = MAX(last_id, ?1), updated_at = ?2 WHERE name = ?3`
	// sqlWebhookPrune deletes a batch of the rows every cursor has passed
	// (all of them when no webhook is left).
	sqlWebhookPrune = `DELETE FROM webhook_feed WHERE id IN (SELECT id FROM webhook_feed
		WHERE id <= COALESCE((SELECT MIN(last_id) FROM webhook_cursors), 9223372036854775807) ORDER BY id LIMIT ?)`
)

// WebhookEvent is one ticket event of the webhook feed.
type WebhookEvent struct {
	ID     int64             // its number in the feed: numbers grow in commit order, with gaps
	Event  ticketing.Event   // the audit log entry
	Ticket *ticketing.Ticket // the ticket as it is now (a later event may have changed it)
}

// WebhookStart makes the cursors those of the webhooks named: a name
// without a cursor gets one at the end of the feed, so that it receives
// the events committed from now on; the cursors of other names (webhooks
// removed from the configuration) are deleted, so that they hold no feed
// rows back. With no names the feed stops being written. It returns the
// cursor of each name.
func (db *DB) WebhookStart(ctx context.Context, names []string, at time.Time) (map[string]int64, error) {
	list, err := json.Marshal(append([]string{}, names...))
	if err != nil {
		return nil, fmt.Errorf("webhook cursors: %w", err)
	}
	cursors := map[string]int64{}
	err = db.WriteTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := db.exec(ctx, tx, sqlWebhookDrop, string(list)); err != nil {
			return err
		}
		for _, n := range names {
			if _, err := db.exec(ctx, tx, sqlWebhookAdd, n, formatTime(at)); err != nil {
				return err
			}
		}
		rows, err := tx.QueryContext(ctx, sqlWebhookCursors)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var name string
			var id int64
			if err := rows.Scan(&name, &id); err != nil {
				return err
			}
			cursors[name] = id
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("webhook cursors: %w", err)
	}
	return cursors, nil
}

// WebhookEvents returns up to limit events of the feed after the number
// after, in feed order.
func (db *DB) WebhookEvents(ctx context.Context, after int64, limit int) ([]WebhookEvent, error) {
	rows, err := db.query(ctx, sqlWebhookEvents, after, limit)
	if err != nil {
		return nil, fmt.Errorf("webhook feed: %w", err)
	}
	defer rows.Close()
	var evs []WebhookEvent
	for rows.Next() {
		var we WebhookEvent
		var ticketSeq int64
		var at, data string
		var changes sql.NullString
		ev := &we.Event
		if err := rows.Scan(&we.ID, &ticketSeq, &ev.Seq, &at, &ev.Actor, &ev.Channel, &ev.Action, &changes, &ev.Note, &data); err != nil {
			return nil, fmt.Errorf("webhook feed: %w", err)
		}
		ev.TicketID = ticketing.FormatID(ticketSeq)
		if ev.At, err = time.Parse(time.RFC3339Nano, at); err != nil {
			return nil, fmt.Errorf("webhook feed: %d: time %q: %w", we.ID, at, err)
		}
		if changes.Valid {
			if err := json.Unmarshal([]byte(changes.String), &ev.Changes); err != nil {
				return nil, fmt.Errorf("webhook feed: %d: %w", we.ID, err)
			}
		}
		if we.Ticket, err = decodeTicket(data); err != nil {
			return nil, fmt.Errorf("webhook feed: %d: %w", we.ID, err)
		}
		evs = append(evs, we)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("webhook feed: %w", err)
	}
	return evs, nil
}

// WebhookAdvance moves a webhook's cursor forward to id (never back): the
// events up to id are done for it. A name without a cursor is ignored.
func (db *DB) WebhookAdvance(ctx context.Context, name string, id int64, at time.Time) error {
	if _, err := db.execWrite(ctx, sqlWebhookAdvance, id, formatTime(at), name); err != nil {
		return fmt.Errorf("webhook cursor %s: %w", name, err)
	}
	return nil
}

// WebhookPrune deletes up to batch rows of the feed that every cursor has
// passed, in a write transaction of its own. It reports how many it
// deleted and whether there may be more (then call it again).
func (db *DB) WebhookPrune(ctx context.Context, batch int) (int, bool, error) {
	res, err := db.execWrite(ctx, sqlWebhookPrune, batch)
	if err != nil {
		return 0, false, fmt.Errorf("webhook feed: prune: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, false, fmt.Errorf("webhook feed: prune: %w", err)
	}
	return int(n), int(n) == batch, nil
}
