package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/ticketing"
)

var (
	_ dialog.QuestionLog    = (*convTx)(nil)
	_ ticketing.QuestionLog = (*DB)(nil)
)

// KeepDeclined records, in the turn's transaction, a question the customer
// declined to pass on to a person (migration 00016).
func (x *convTx) KeepDeclined(_ context.Context, conversationID, channel, question string, at time.Time) error {
	if _, err := x.tx.ExecContext(x.ctx, `INSERT INTO questions_declined (conversation_id, channel, question, at) VALUES (?, ?, ?, ?)`,
		conversationID, channel, question, formatTime(at)); err != nil {
		return fmt.Errorf("keep a declined question of %s: %w", conversationID, err)
	}
	return nil
}

// DeclinedQuestions returns the questions customers declined to pass on to
// a person from from to to (exclusive), newest first.
func (db *DB) DeclinedQuestions(ctx context.Context, from, to time.Time) ([]ticketing.DeclinedQuestion, error) {
	rows, err := db.query(ctx, `SELECT channel, question, at FROM questions_declined WHERE at >= ? AND at < ? ORDER BY at DESC, rowid DESC`,
		formatTime(from), formatTime(to))
	if err != nil {
		return nil, fmt.Errorf("declined questions: %w", err)
	}
	defer rows.Close()
	var out []ticketing.DeclinedQuestion
	for rows.Next() {
		var q ticketing.DeclinedQuestion
		var at string
		if err := rows.Scan(&q.Channel, &q.Question, &at); err != nil {
			return nil, fmt.Errorf("declined questions: %w", err)
		}
		if q.At, err = time.Parse(timeLayout, at); err != nil {
			return nil, fmt.Errorf("declined questions: %w", err)
		}
		out = append(out, q)
	}
	return out, rows.Err()
}
