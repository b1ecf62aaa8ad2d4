package sqlite

import (
	"context"
	"database/sql"
	"time"
)

// WithCheckpointEvery sets how often the checkpointer runs.
func WithCheckpointEvery(d time.Duration) Option { return withCheckpointEvery(d) }

// WithWALRestartFrames sets the WAL size, in pages, from which the writer
// lets it start over.
func WithWALRestartFrames(n int) Option { return withWALRestartFrames(n) }

// Batches returns how many write transactions were committed: one per batch.
func Batches(db *DB) int64 { return db.commits.batches.Load() }

// Waiting returns how many WriteTx calls wait for the writer.
func Waiting(db *DB) int64 { return db.commits.waiting.Load() }

// Checkpointed reports whether every committed write transaction has been
// copied into the database file by the checkpointer.
func Checkpointed(db *DB) bool {
	return db.commits.checkpointed.Load() == db.commits.commits.Load()
}

// MigrateTo creates the database at path with the embedded migrations applied
// up to version only, as an older supportd left it.
func MigrateTo(ctx context.Context, path string, version int64) error {
	conn, err := sql.Open("sqlite", dsn(path, nil))
	if err != nil {
		return err
	}
	defer conn.Close()
	p, err := migrator(conn)
	if err != nil {
		return err
	}
	_, err = p.UpTo(ctx, version)
	return err
}
