// Package sqlite is the embedded SQLite store of supportd: tickets and their
// audit log (ticketing.Store) in one database file, with room for other
// packages' tables in the same file and the same transactions.
//
// # Writers and readers
//
// A DB holds two connection pools on the same file, in WAL mode:
//
//   - one writer connection. Every write transaction, ours and those of
//     WriteTx callers, runs on it, so writers of this process queue in Go
//     (database/sql hands the connection to the next waiter, bounded by the
//     caller's context) instead of competing for SQLite's write lock. No
//     writer of this process can get SQLITE_BUSY from another, and no time is
//     lost in SQLite's sleep-and-retry busy handler. Its transactions still
//     start with BEGIN IMMEDIATE (_txlock=immediate) so that a write lock held
//     by another process is waited for under busy_timeout at BEGIN, where
//     waiting is safe, rather than failing at the first write of a deferred
//     transaction, where SQLite cannot wait.
//   - a pool of read-only connections (query_only) for Get, List, Events and
//     SQL(). In WAL mode readers never block the writer nor wait for it; each
//     read sees the last committed state.
//
// The alternative, a pool of several writer connections each starting BEGIN
// IMMEDIATE, also avoids deadlocks, but its waiters sleep in SQLite's busy
// handler (polling, up to 100 ms apart), which wastes throughput, is unfair,
// and under sustained load lets a waiter exceed busy_timeout and get
// SQLITE_BUSY. One writer is as fast as SQLite can commit anyway: it has one
// write lock per file.
//
// Write transactions that arrive while the writer is busy are committed
// together (group commit, groupcommit.go), each in a savepoint of its own: a
// turn costs a share of one COMMIT instead of one, and the pages turns
// share (indexes, the last page of a table) are written to the WAL once.
// The WAL is copied back into the database file by a background
// checkpointer on a third connection, so no write waits for the file
// system's sync; under steady load the writer finishes the copy between two
// batches once the WAL reaches 64 MiB, so that the WAL starts over instead
// of growing as long as the load lasts (restartWAL).
//
// synchronous=NORMAL in WAL mode makes a commit durable against a crash of
// the process (not of the machine's power) without an fsync per commit.
// SQLITE_BUSY is not retried or hidden: if one surfaces it is a bug here.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // the "sqlite" database/sql driver

	"github.com/supportd/supportd/ticketing"
)

//go:embed migrations/*.sql
var migrations embed.FS

// busyTimeout is how long a connection waits for a lock held by another
// process (a CLI command next to the server) before SQLITE_BUSY.
const busyTimeout = 10 * time.Second

var _ ticketing.Store = (*DB)(nil)

// DB is an open SQLite database. It is safe for concurrent use; Close it when
// done.
type DB struct {
	path    string
	writer  *sql.DB      // exactly one connection: all writes
	reader  *sql.DB      // read-only connections
	write   *statements  // prepared on the writer
	read    *statements  // prepared on the readers
	commits *groupCommit // runs WriteTx calls on the writer
	convs   *convCache   // conversations this process committed, decoded
	// The other fixed queries, prepared on first use.
	writeStmts, readStmts *stmtCache
	now                   func() time.Time
	log                   *slog.Logger

	noMigrations bool // WithoutMigrations: the schema must be current already

	checkpointer     *sql.DB       // one connection: copies the WAL back (see checkpoint)
	checkpointed     chan struct{} // closed when the checkpointer stops
	checkpointEvery  time.Duration
	walRestartFrames int         // the WAL size from which the writer lets it start over (restartWAL)
	walRestart       atomic.Bool // the checkpointer asks the writer to let the WAL start over
}

// Option configures Open.
type Option func(*DB)

// WithClock sets the clock that stamps tickets and events when By.At is
// zero (default time.Now).
func WithClock(now func() time.Time) Option { return func(db *DB) { db.now = now } }

// WithLogger sets the logger (default: discard). Nothing about customers is
// logged.
func WithLogger(l *slog.Logger) Option { return func(db *DB) { db.log = l } }

// WithoutMigrations makes Open leave the schema as it is, for a program that
// only reads the database: applying the migrations would lock out the older
// supportd that may still serve it. A schema older than this program's is an
// *OutdatedError (matching ErrSchemaOutdated); a current one opens as usual.
func WithoutMigrations() Option { return func(db *DB) { db.noMigrations = true } }

// ErrSchemaOutdated is matched by the error of Open WithoutMigrations when
// the database's schema is older than this program's.
var ErrSchemaOutdated = errors.New("database schema is older than this program's")

// OutdatedError is a database whose schema is older than this program's,
// opened WithoutMigrations.
type OutdatedError struct {
	Version int64 // the database's schema version (0: no supportd schema)
	Known   int64 // the newest version this program knows
}

func (e *OutdatedError) Error() string {
	return fmt.Sprintf("the database schema is version %d, older than this program's (%d), and it was opened without migrating", e.Version, e.Known)
}

// Is makes an *OutdatedError match ErrSchemaOutdated.
func (e *OutdatedError) Is(target error) bool { return target == ErrSchemaOutdated }

// Open opens the database at path, creating it and its parent directories if
// needed, and applies the pending migrations (unless WithoutMigrations).
// ctx bounds the opening only.
func Open(ctx context.Context, path string, opts ...Option) (*DB, error) {
	db := &DB{now: time.Now, log: slog.New(slog.DiscardHandler), checkpointEvery: checkpointEvery, walRestartFrames: walRestartFrames, convs: newConvCache()}
	for _, o := range opts {
		o(db)
	}
	abs, err := prepareDir(path)
	if err != nil {
		return nil, err
	}
	db.path = abs
	if err := db.open(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", abs, err)
	}
	return db, nil
}

// prepareDir returns the absolute path and creates its directory.
func prepareDir(path string) (string, error) {
	if path == "" {
		return "", errors.New("open database: empty path")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("open database %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o750); err != nil {
		return "", fmt.Errorf("open database %s: create its directory: %w", abs, err)
	}
	if err := checkHeader(abs); err != nil {
		return "", fmt.Errorf("open database %s: %w", abs, err)
	}
	return abs, nil
}

// sqliteHeader starts every SQLite database file.
const sqliteHeader = "SQLite format 3\x00"

// checkHeader refuses a path that holds something other than a database:
// SQLite would otherwise take a short file for an empty database and
// overwrite it. A missing or empty file is a new database.
func checkHeader(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if fi.IsDir() {
		return errors.New("is a directory")
	}
	if fi.Size() == 0 {
		return nil
	}
	head := make([]byte, len(sqliteHeader))
	if _, err := io.ReadFull(f, head); err != nil || string(head) != sqliteHeader {
		return errors.New("not a database: the file exists and is not SQLite")
	}
	return nil
}

func (db *DB) open(ctx context.Context) error {
	var err error
	ms := int64(busyTimeout / time.Millisecond)
	db.writer, err = sql.Open("sqlite", dsn(db.path, url.Values{
		"_busy_timeout": {fmt.Sprint(ms)},
		"_journal_mode": {"WAL"},
		"_synchronous":  {"NORMAL"},
		"_foreign_keys": {"on"},
		"_txlock":       {"immediate"},
		// The checkpointer copies the WAL back; a batch of turns fits in
		// the page cache (4 MiB) without spilling to the WAL twice. Each
		// write of a batch runs in a savepoint, whose journal of the pages
		// it changes stays in memory (it lives only until the batch
		// commits) instead of spilling to a temporary file, a system call
		// per page: about a fifth of a persisted turn under load.
		// After a burst the WAL file is cut back to walSizeLimit when it
		// starts over, so that the disk space of a busy hour is returned.
		"_pragma": {"wal_autocheckpoint(0)", "cache_size(-4096)", "temp_store(MEMORY)", fmt.Sprintf("journal_size_limit(%d)", walSizeLimit)},
	}))
	if err != nil {
		return err
	}
	db.writer.SetMaxOpenConns(1)
	db.writer.SetMaxIdleConns(1)
	db.writer.SetConnMaxIdleTime(0)
	db.writer.SetConnMaxLifetime(0)
	var mode string
	for attempt := 1; ; attempt++ {
		// The first connection to a new file turns it to WAL; another
		// process doing so at the same moment makes this one busy at once
		// (that switch waits for no busy timeout): try again shortly.
		err := db.writer.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode)
		if err == nil {
			break
		}
		if !strings.Contains(err.Error(), "SQLITE_BUSY") || attempt == migrateAttempts {
			return fmt.Errorf("journal mode: %w", err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("journal mode: %w", err)
		case <-time.After(migrateRetry / 4):
		}
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("journal mode is %q, not WAL (is the file on a network file system?)", mode)
	}
	if err := db.migrate(ctx); err != nil {
		return err
	}
	if db.write, err = prepare(ctx, db.writer, true); err != nil {
		return err
	}
	db.checkpointer, err = sql.Open("sqlite", dsn(db.path, url.Values{
		"_busy_timeout": {fmt.Sprint(ms)},
	}))
	if err != nil {
		return err
	}
	db.checkpointer.SetMaxOpenConns(1)
	db.writeStmts = newStmtCache(db.writer)
	db.commits = newGroupCommit(db.writer, func() {
		db.writeStmts.prepareWanted()
		db.restartWAL()
	})
	db.checkpointed = make(chan struct{})
	go db.checkpoint(db.checkpointEvery)
	db.reader, err = sql.Open("sqlite", dsn(db.path, url.Values{
		"_busy_timeout": {fmt.Sprint(ms)},
		"_foreign_keys": {"on"},
		"_query_only":   {"on"},
	}))
	if err != nil {
		return err
	}
	n := max(4, runtime.GOMAXPROCS(0))
	db.reader.SetMaxOpenConns(n)
	db.reader.SetMaxIdleConns(n)
	db.read, err = prepare(ctx, db.reader, false)
	db.readStmts = newStmtCache(db.reader)
	return err
}

// dsn returns the modernc DSN for the file at the absolute path abs: a file:
// URI, so that any character in the path is escaped, with the driver's
// connection parameters.
func dsn(abs string, q url.Values) string {
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive: file:///C:/...
	}
	u := url.URL{Scheme: "file", Path: p, RawQuery: q.Encode()}
	return u.String()
}

// migrateAttempts and migrateRetry bound the wait for another process that
// applies the migrations to the same new file.
const (
	migrateAttempts = 30
	migrateRetry    = 100 * time.Millisecond
)

// migrator returns the goose provider of the embedded migrations on conn.
func migrator(conn *sql.DB) (*goose.Provider, error) {
	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return nil, err
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, conn, fsys, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	return p, nil
}

// checkSchema compares the database's schema version with the newest this
// program knows, on a query-only connection: nothing is written, not even
// goose's version table.
func (db *DB) checkSchema(ctx context.Context) error {
	conn, err := sql.Open("sqlite", dsn(db.path, url.Values{
		"_busy_timeout": {fmt.Sprint(int64(busyTimeout / time.Millisecond))},
		"_query_only":   {"on"},
	}))
	if err != nil {
		return err
	}
	defer conn.Close()
	p, err := migrator(conn)
	if err != nil {
		return err
	}
	srcs := p.ListSources()
	known := srcs[len(srcs)-1].Version
	var tables int
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'goose_db_version'").Scan(&tables); err != nil {
		return fmt.Errorf("schema version: %w", err)
	}
	if tables == 0 {
		return &OutdatedError{Version: 0, Known: known}
	}
	current, err := p.GetDBVersion(ctx)
	if err != nil {
		return fmt.Errorf("schema version: %w", err)
	}
	switch {
	case current > known:
		return newerSchema(current, known)
	case current < known:
		return &OutdatedError{Version: current, Known: known}
	}
	return nil
}

func newerSchema(current, known int64) error {
	return fmt.Errorf("the database schema is version %d, newer than this program knows (%d): use a newer supportd", current, known)
}

// migrate applies the embedded migrations with goose on the writer, or with
// WithoutMigrations only checks that none is pending.
func (db *DB) migrate(ctx context.Context) error {
	if db.noMigrations {
		return db.checkSchema(ctx)
	}
	p, err := migrator(db.writer)
	if err != nil {
		return err
	}
	var res []*goose.MigrationResult
	for attempt := 1; ; attempt++ {
		res, err = p.Up(ctx)
		if err == nil {
			break
		}
		// Another process opening the same new file at the same moment may
		// be applying them (a migration already applied fails here): wait
		// for it to finish, then nothing is left to do or the rest is ours.
		db.log.Debug("migration failed; checking whether another process applies them", "err", err)
		if pending, perr := p.HasPending(ctx); perr == nil && !pending {
			res = nil
			break
		}
		if attempt == migrateAttempts {
			return fmt.Errorf("migrations: %w", err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("migrations: %w", err)
		case <-time.After(migrateRetry):
		}
	}
	for _, r := range res {
		db.log.Info("migration applied", "version", r.Source.Version, "file", filepath.Base(r.Source.Path), "duration", r.Duration)
	}
	current, known, err := p.GetVersions(ctx)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if current > known {
		return newerSchema(current, known)
	}
	return nil
}

// Path returns the absolute path of the database file.
func (db *DB) Path() string { return db.path }

// SQL returns the read-only connection pool, for other packages' read
// queries on the same file. Writes through it fail (query_only): use
// WriteTx. The caller must not close it.
func (db *DB) SQL() *sql.DB { return db.reader }

// WriteTx runs fn in one write transaction (BEGIN IMMEDIATE) on the writer
// connection and commits when fn returns nil. When fn returns an error or
// panics, its writes are rolled back and the error (or panic) passed on.
//
// Write transactions run one at a time on the writer goroutine (see
// groupcommit.go): WriteTx waits for it while ctx allows, and calls that
// arrive while it is busy are committed together. So fn must be short and
// must not wait on the network or on another write of this DB (calling a DB
// write method from inside fn waits for fn's own transaction, until ctx
// ends): use tx, and db.Tickets(ctx, tx) for ticket writes. WriteTx returns
// only once fn's writes are committed or undone.
//
// ctx bounds the wait for the writer only. fn gets ctx without its
// cancellation, for its statements: once fn runs, it finishes. Its caller
// giving up then would interrupt a statement, and SQLite undoes the whole
// transaction of an interrupted write, with the other callers' writes that
// share it.
func (db *DB) WriteTx(ctx context.Context, fn func(context.Context, *sql.Tx) error) error {
	return db.commits.do(ctx, fn)
}

// Ping reports whether the database answers reads. It does not wait for the
// writer, so a busy writer does not make the store look down.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.reader.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("ping database: %w", err)
	}
	return nil
}

// Close closes both pools. It waits for transactions in flight to end.
func (db *DB) Close() error {
	if db.commits != nil {
		db.commits.close()
		<-db.checkpointed
	}
	db.read.close()
	db.write.close()
	errs := []error{db.readStmts.close(), db.writeStmts.close()}
	for _, p := range []*sql.DB{db.checkpointer, db.reader, db.writer} {
		if p != nil {
			errs = append(errs, p.Close())
		}
	}
	return errors.Join(errs...)
}
