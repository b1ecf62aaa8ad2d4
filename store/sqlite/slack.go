package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// The Slack agent desk's tables (migration 00004): what package
// channels/slack keeps durably. Every method is one statement and safe for
// concurrent use; reads use the read pool and see the last committed state.

// SlackJob is one delivery from Slack waiting in the inbox.
type SlackJob struct {
	ID       int64
	Key      string // the event id or trigger id: unique
	Kind     string // "event", "interaction", "command"
	Body     []byte
	Received time.Time
	Attempts int // failed attempts so far
}

// SlackThread is a ticket's escalation message in Slack.
type SlackThread struct {
	TicketID string
	Channel  string
	TS       string
	Rendered string // digest of the message as last posted
	PostedAt time.Time
}

// SlackPost is the record of one posted (or in-flight) message.
type SlackPost struct {
	Key      string
	Channel  string
	ThreadTS string
	TS       string // "" while in flight
	Started  time.Time
}

// SlackAgent is a Slack user known as an agent.
type SlackAgent struct {
	UserID  string
	Email   string
	Name    string // the name customers see
	Updated time.Time
}

// SlackEnqueue queues a delivery. It reports false, and queues nothing, when
// a delivery with the same key was queued before.
func (db *DB) SlackEnqueue(ctx context.Context, key, kind string, body []byte, at time.Time) (bool, error) {
	if key == "" {
		return false, errors.New("slack inbox: empty key")
	}
	res, err := db.execWrite(ctx, `INSERT INTO slack_inbox (key, kind, body, received_at, next_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`, key, kind, body, formatTime(at), formatTime(at))
	if err != nil {
		return false, fmt.Errorf("slack inbox: queue: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// SlackJobs returns up to limit deliveries to process at now, oldest first.
func (db *DB) SlackJobs(ctx context.Context, now time.Time, limit int) ([]SlackJob, error) {
	rows, err := db.query(ctx, `SELECT id, key, kind, body, received_at, attempts FROM slack_inbox
		WHERE done_at IS NULL AND next_at <= ? ORDER BY id LIMIT ?`, formatTime(now), limit)
	if err != nil {
		return nil, fmt.Errorf("slack inbox: %w", err)
	}
	defer rows.Close()
	var jobs []SlackJob
	for rows.Next() {
		var j SlackJob
		var at string
		if err := rows.Scan(&j.ID, &j.Key, &j.Kind, &j.Body, &at, &j.Attempts); err != nil {
			return nil, fmt.Errorf("slack inbox: %w", err)
		}
		j.Received, _ = time.Parse(timeLayout, at)
		jobs = append(jobs, j)
	}
	return jobs, rows.Err()
}

// SlackJobDone marks a delivery processed.
func (db *DB) SlackJobDone(ctx context.Context, id int64, at time.Time) error {
	_, err := db.execWrite(ctx, `UPDATE slack_inbox SET done_at = ? WHERE id = ?`, formatTime(at), id)
	if err != nil {
		return fmt.Errorf("slack inbox: done: %w", err)
	}
	return nil
}

// SlackJobFailed records a failed attempt: the delivery is tried again at
// next, or never again when final (it stays in the table with its error).
func (db *DB) SlackJobFailed(ctx context.Context, id int64, msg string, next time.Time, final bool) error {
	var done sql.NullString
	if final {
		done = sql.NullString{String: formatTime(next), Valid: true}
	}
	_, err := db.execWrite(ctx, `UPDATE slack_inbox SET attempts = attempts + 1, error = ?, next_at = ?, done_at = ?
		WHERE id = ?`, msg, formatTime(next), done, id)
	if err != nil {
		return fmt.Errorf("slack inbox: failed: %w", err)
	}
	return nil
}

// SlackThread returns a ticket's escalation message.
func (db *DB) SlackThread(ctx context.Context, ticketID string) (SlackThread, bool, error) {
	return db.scanThread(db.queryRow(ctx,
		`SELECT ticket_id, channel, ts, rendered, posted_at FROM slack_threads WHERE ticket_id = ?`, ticketID))
}

// SlackThreadAt returns the escalation message posted at ts in channel.
func (db *DB) SlackThreadAt(ctx context.Context, channel, ts string) (SlackThread, bool, error) {
	return db.scanThread(db.queryRow(ctx,
		`SELECT ticket_id, channel, ts, rendered, posted_at FROM slack_threads WHERE channel = ? AND ts = ?`, channel, ts))
}

func (db *DB) scanThread(row scanner) (SlackThread, bool, error) {
	var th SlackThread
	var at string
	err := row.Scan(&th.TicketID, &th.Channel, &th.TS, &th.Rendered, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return SlackThread{}, false, nil
	}
	if err != nil {
		return SlackThread{}, false, fmt.Errorf("slack thread: %w", err)
	}
	th.PostedAt, _ = time.Parse(timeLayout, at)
	return th, true, nil
}

// SlackSaveThread stores a ticket's escalation message, replacing the
// ticket's previous record.
func (db *DB) SlackSaveThread(ctx context.Context, th SlackThread) error {
	_, err := db.execWrite(ctx, `INSERT INTO slack_threads (ticket_id, channel, ts, rendered, posted_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (ticket_id) DO UPDATE SET
		channel = excluded.channel, ts = excluded.ts, rendered = excluded.rendered`,
		th.TicketID, th.Channel, th.TS, th.Rendered, formatTime(th.PostedAt))
	if err != nil {
		return fmt.Errorf("slack thread: save: %w", err)
	}
	return nil
}

// SlackPost returns the record of the post with this key.
func (db *DB) SlackPost(ctx context.Context, key string) (SlackPost, bool, error) {
	var p SlackPost
	var at string
	err := db.queryRow(ctx, `SELECT key, channel, thread_ts, ts, started_at FROM slack_posts WHERE key = ?`, key).
		Scan(&p.Key, &p.Channel, &p.ThreadTS, &p.TS, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return SlackPost{}, false, nil
	}
	if err != nil {
		return SlackPost{}, false, fmt.Errorf("slack post: %w", err)
	}
	p.Started, _ = time.Parse(timeLayout, at)
	return p, true, nil
}

// SlackBeginPost records that a post is about to be made. A record with the
// same key is kept as it is.
func (db *DB) SlackBeginPost(ctx context.Context, p SlackPost) error {
	_, err := db.execWrite(ctx, `INSERT INTO slack_posts (key, channel, thread_ts, started_at)
		VALUES (?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`, p.Key, p.Channel, p.ThreadTS, formatTime(p.Started))
	if err != nil {
		return fmt.Errorf("slack post: begin: %w", err)
	}
	return nil
}

// SlackPosted records the channel id and ts of a post made.
func (db *DB) SlackPosted(ctx context.Context, key, channel, ts string, at time.Time) error {
	res, err := db.execWrite(ctx, `UPDATE slack_posts SET channel = ?, ts = ?, posted_at = ? WHERE key = ?`,
		channel, ts, formatTime(at), key)
	if err != nil {
		return fmt.Errorf("slack post: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("slack post %s: not begun", key)
	}
	return nil
}

// SlackRelayed returns the seq of the last message of a conversation relayed
// to Slack, 0 when none.
func (db *DB) SlackRelayed(ctx context.Context, conversationID string) (int64, error) {
	var seq int64
	err := db.queryRow(ctx, `SELECT last_seq FROM slack_relay WHERE conversation_id = ?`, conversationID).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("slack relay: %w", err)
	}
	return seq, nil
}

// SlackSetRelayed moves a conversation's relay cursor forward to seq (never
// back).
func (db *DB) SlackSetRelayed(ctx context.Context, conversationID string, seq int64) error {
	_, err := db.execWrite(ctx, `INSERT INTO slack_relay (conversation_id, last_seq) VALUES (?, ?)
		ON CONFLICT (conversation_id) DO UPDATE SET last_seq = MAX(last_seq, excluded.last_seq)`, conversationID, seq)
	if err != nil {
		return fmt.Errorf("slack relay: %w", err)
	}
	return nil
}

// SlackMarkDeleted records that the message at ts in channel was deleted in
// Slack. Recording it again keeps the first record.
func (db *DB) SlackMarkDeleted(ctx context.Context, channel, ts string, at time.Time) error {
	if channel == "" || ts == "" {
		return errors.New("slack deleted: empty channel or ts")
	}
	_, err := db.execWrite(ctx, `INSERT INTO slack_deleted (channel, ts, deleted_at) VALUES (?, ?, ?)
		ON CONFLICT (channel, ts) DO NOTHING`, channel, ts, formatTime(at))
	if err != nil {
		return fmt.Errorf("slack deleted: %w", err)
	}
	return nil
}

// SlackDeleted reports whether the message at ts in channel was recorded as
// deleted.
func (db *DB) SlackDeleted(ctx context.Context, channel, ts string) (bool, error) {
	var one int
	err := db.queryRow(ctx, `SELECT 1 FROM slack_deleted WHERE channel = ? AND ts = ?`, channel, ts).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("slack deleted: %w", err)
	}
	return true, nil
}

// SlackEdit is the latest edit seen of a message in Slack.
type SlackEdit struct {
	Text      string // the text after the edit
	EditTS    string // Slack's ts of the edit
	FirstText string // the text before the first edit recorded
}

// SlackMarkEdited records that the message at ts in channel was edited, at
// Slack's editTS, from prev to text. An edit older (by editTS) than the one
// recorded changes nothing; the text before the first edit recorded is kept.
func (db *DB) SlackMarkEdited(ctx context.Context, channel, ts, editTS, prev, text string, at time.Time) error {
	if channel == "" || ts == "" {
		return errors.New("slack edited: empty channel or ts")
	}
	_, err := db.execWrite(ctx, `INSERT INTO slack_edited (channel, ts, text, edit_ts, first_text, edited_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (channel, ts) DO UPDATE SET
		text = excluded.text, edit_ts = excluded.edit_ts, edited_at = excluded.edited_at
		WHERE excluded.edit_ts > slack_edited.edit_ts`, channel, ts, text, editTS, prev, formatTime(at))
	if err != nil {
		return fmt.Errorf("slack edited: %w", err)
	}
	return nil
}

// SlackEdited returns the latest edit recorded of the message at ts in
// channel; false when none.
func (db *DB) SlackEdited(ctx context.Context, channel, ts string) (SlackEdit, bool, error) {
	var e SlackEdit
	err := db.queryRow(ctx, `SELECT text, edit_ts, first_text FROM slack_edited WHERE channel = ? AND ts = ?`, channel, ts).
		Scan(&e.Text, &e.EditTS, &e.FirstText)
	if errors.Is(err, sql.ErrNoRows) {
		return SlackEdit{}, false, nil
	}
	if err != nil {
		return SlackEdit{}, false, fmt.Errorf("slack edited: %w", err)
	}
	return e, true, nil
}

// SlackFill records that the call of a saved reply in the message at ts in
// channel, its Slack text call, sends text, unless a text is recorded for it
// already; it returns the text recorded (the first). A retry of the call
// sends what its first attempt filled, whatever the saved reply reads since.
func (db *DB) SlackFill(ctx context.Context, channel, ts, call, text string, at time.Time) (string, error) {
	if channel == "" || ts == "" {
		return "", errors.New("slack saved: empty channel or ts")
	}
	if _, err := db.execWrite(ctx, `INSERT INTO slack_saved (channel, ts, call, text, filled_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (channel, ts, call) DO NOTHING`, channel, ts, call, text, formatTime(at)); err != nil {
		return "", fmt.Errorf("slack saved: %w", err)
	}
	recorded, _, err := db.SlackFilled(ctx, channel, ts, call)
	return recorded, err
}

// SlackFilled returns the text recorded by SlackFill for the call (its Slack
// text) in the message at ts in channel; false when none.
func (db *DB) SlackFilled(ctx context.Context, channel, ts, call string) (string, bool, error) {
	var text string
	err := db.queryRow(ctx, `SELECT text FROM slack_saved WHERE channel = ? AND ts = ? AND call = ?`, channel, ts, call).Scan(&text)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("slack saved: %w", err)
	}
	return text, true, nil
}

// SlackAgent returns the agent record of a Slack user.
func (db *DB) SlackAgent(ctx context.Context, userID string) (SlackAgent, bool, error) {
	return scanAgent(db.queryRow(ctx,
		`SELECT user_id, email, name, updated_at FROM slack_agents WHERE user_id = ?`, userID))
}

// SlackAgentNamed returns the most recently seen Slack user known by name.
func (db *DB) SlackAgentNamed(ctx context.Context, name string) (SlackAgent, bool, error) {
	return scanAgent(db.queryRow(ctx,
		`SELECT user_id, email, name, updated_at FROM slack_agents WHERE name = ? ORDER BY updated_at DESC LIMIT 1`, name))
}

// SlackAgentByEmail returns the most recently seen Slack user with this
// email (lowercase).
func (db *DB) SlackAgentByEmail(ctx context.Context, email string) (SlackAgent, bool, error) {
	return scanAgent(db.queryRow(ctx,
		`SELECT user_id, email, name, updated_at FROM slack_agents WHERE email = ? ORDER BY updated_at DESC LIMIT 1`, email))
}

func scanAgent(row scanner) (SlackAgent, bool, error) {
	var a SlackAgent
	var at string
	err := row.Scan(&a.UserID, &a.Email, &a.Name, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return SlackAgent{}, false, nil
	}
	if err != nil {
		return SlackAgent{}, false, fmt.Errorf("slack agent: %w", err)
	}
	a.Updated, _ = time.Parse(timeLayout, at)
	return a, true, nil
}

// SlackSaveAgent stores what is known of a Slack user.
func (db *DB) SlackSaveAgent(ctx context.Context, a SlackAgent) error {
	_, err := db.execWrite(ctx, `INSERT INTO slack_agents (user_id, email, name, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET email = excluded.email, name = excluded.name, updated_at = excluded.updated_at`,
		a.UserID, a.Email, a.Name, formatTime(a.Updated))
	if err != nil {
		return fmt.Errorf("slack agent: %w", err)
	}
	return nil
}
