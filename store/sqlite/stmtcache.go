package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// A stmtCache holds statements of one pool prepared by their text, so that
// a query run again is not parsed again. It is for the fixed queries of
// this package (the email and Slack tables): its size is the number of such
// queries.
//
// On the writer a statement cannot be prepared while a transaction holds
// the one connection: a write that misses runs unprepared and asks for its
// statement, which the writer goroutine prepares between transactions
// (prepareWanted).
type stmtCache struct {
	pool   *sql.DB
	mu     sync.Mutex
	m      map[string]*sql.Stmt
	wanted map[string]bool
}

func newStmtCache(pool *sql.DB) *stmtCache {
	return &stmtCache{pool: pool, m: map[string]*sql.Stmt{}, wanted: map[string]bool{}}
}

// get returns the statement, preparing it now on a miss.
func (c *stmtCache) get(ctx context.Context, query string) (*sql.Stmt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.m[query]; ok {
		return s, nil
	}
	s, err := c.pool.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.m[query] = s
	return s, nil
}

// lookup returns the statement when it is prepared, and on a miss asks for
// it to be prepared later.
func (c *stmtCache) lookup(query string) (*sql.Stmt, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.m[query]
	if !ok {
		c.wanted[query] = true
	}
	return s, ok
}

// prepareWanted prepares the statements asked for by lookup. The pool must
// have a free connection.
func (c *stmtCache) prepareWanted() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for q := range c.wanted {
		if s, err := c.pool.Prepare(q); err == nil {
			c.m[q] = s
		}
		delete(c.wanted, q) // a query that does not prepare runs unprepared and reports its error
	}
}

func (c *stmtCache) close() error {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for q, s := range c.m {
		errs = append(errs, s.Close())
		delete(c.m, q)
	}
	return errors.Join(errs...)
}

// scanner is a *sql.Row, or the error that kept the query from running.
type scanner interface{ Scan(dest ...any) error }

type failedRow struct{ err error }

func (r failedRow) Scan(...any) error { return r.err }

// queryRow runs a fixed read query on the readers.
func (db *DB) queryRow(ctx context.Context, query string, args ...any) scanner {
	s, err := db.readStmts.get(ctx, query)
	if err != nil {
		return failedRow{err}
	}
	return s.QueryRowContext(ctx, args...)
}

// query runs a fixed read query on the readers.
func (db *DB) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	s, err := db.readStmts.get(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.QueryContext(ctx, args...)
}

// exec runs a fixed write statement in tx, a transaction of WriteTx.
func (db *DB) exec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	if s, ok := db.writeStmts.lookup(query); ok {
		return tx.StmtContext(ctx, s).ExecContext(ctx, args...)
	}
	return tx.ExecContext(ctx, query, args...)
}

// txQueryRow runs a fixed query in tx, a transaction of WriteTx.
func (db *DB) txQueryRow(ctx context.Context, tx *sql.Tx, query string, args ...any) scanner {
	if s, ok := db.writeStmts.lookup(query); ok {
		return tx.StmtContext(ctx, s).QueryRowContext(ctx, args...)
	}
	return tx.QueryRowContext(ctx, query, args...)
}

// execWrite runs one fixed write statement in a write transaction of its
// own (committed with the others waiting, see WriteTx).
func (db *DB) execWrite(ctx context.Context, query string, args ...any) (sql.Result, error) {
	var res sql.Result
	err := db.WriteTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var err error
		res, err = db.exec(ctx, tx, query, args...)
		return err
	})
	return res, err
}
