package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// ErrClosed is returned by writes to a DB that is closing.
var ErrClosed = errors.New("sqlite: database closed")

// maxBatch bounds the write transactions committed together.
const maxBatch = 128

// A groupCommit runs the write transactions of a DB on one goroutine that
// owns the writer connection. When transactions arrive while it is busy, the
// next commit takes all of them: one BEGIN, one COMMIT and one WAL write of
// each page they share, instead of one each. Every caller's function runs
// inside a savepoint of its own, so a function that fails undoes only its
// own writes; the others commit. A caller learns its outcome only after the
// COMMIT, so a write it was told succeeded is committed.
type groupCommit struct {
	db      *sql.DB
	between func()         // run after each batch, while no transaction is open
	queue   chan *writeReq // unbuffered: a request is taken or not
	closing chan struct{}
	done    chan struct{}
	once    sync.Once
	commits atomic.Int64 // committed transactions, for the checkpointer
	current *writeReq    // the request whose function runs; the writer goroutine's
	batches atomic.Int64 // COMMITs, for tests
	// checkpointed is commits when the last complete checkpoint began: the
	// database file holds every transaction up to there.
	checkpointed atomic.Int64
	waiting      atomic.Int64 // callers between arriving and being taken, for tests
}

// A writeReq is one WriteTx call. Its state moves once from queued to
// running (taken by the writer) or to abandoned (its caller's context ended
// first): exactly one side acts on it.
type writeReq struct {
	ctx      context.Context
	fn       func(context.Context, *sql.Tx) error
	after    []func() // run once its writes are committed (afterCommit)
	state    atomic.Int32
	err      error
	panicked any
	done     chan struct{}
}

const (
	queued int32 = iota
	running
	abandoned
)

func newGroupCommit(db *sql.DB, between func()) *groupCommit {
	g := &groupCommit{db: db, between: between, queue: make(chan *writeReq), closing: make(chan struct{}), done: make(chan struct{})}
	go g.loop()
	return g
}

// do runs fn in a write transaction and returns once it is committed or
// undone; see DB.WriteTx.
func (g *groupCommit) do(ctx context.Context, fn func(context.Context, *sql.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("begin write: %w", err)
	}
	r := &writeReq{ctx: ctx, fn: fn, done: make(chan struct{})}
	g.waiting.Add(1)
	select {
	case g.queue <- r:
		g.waiting.Add(-1)
	case <-ctx.Done():
		g.waiting.Add(-1)
		return fmt.Errorf("begin write: %w", ctx.Err())
	case <-g.closing:
		g.waiting.Add(-1)
		return ErrClosed
	}
	select {
	case <-r.done:
	case <-ctx.Done():
		if r.state.CompareAndSwap(queued, abandoned) {
			return fmt.Errorf("begin write: %w", ctx.Err())
		}
		<-r.done // running: its outcome is on the way
	}
	if r.panicked != nil {
		panic(r.panicked)
	}
	return r.err
}

// close stops taking writes, lets the transaction in progress finish and
// waits for the writer goroutine.
func (g *groupCommit) close() {
	g.once.Do(func() { close(g.closing) })
	<-g.done
}

func (g *groupCommit) loop() {
	defer close(g.done)
	batch := make([]*writeReq, 0, maxBatch)
	for {
		select {
		case r := <-g.queue:
			batch = append(batch[:0], r)
		case <-g.closing:
			return
		}
		// Let the goroutines that are ready to run (on a single core, all
		// of them wait for this one) reach the queue first.
		runtime.Gosched()
	more:
		for len(batch) < maxBatch {
			select {
			case r := <-g.queue:
				batch = append(batch, r)
			default:
				break more
			}
		}
		g.run(batch)
		clear(batch) // the finished requests hold their callers' closures
		if g.between != nil {
			g.between()
		}
	}
}

// run commits a batch: every request still wanted, each in its savepoint.
func (g *groupCommit) run(batch []*writeReq) {
	live := batch[:0]
	for _, r := range batch {
		if r.state.CompareAndSwap(queued, running) {
			live = append(live, r)
		} else {
			close(r.done) // abandoned: nobody reads its outcome
		}
	}
	for len(live) > 0 {
		live = g.commit(live)
	}
}

// commit runs reqs in one transaction and finishes them, except the ones
// after a failure that undid the whole transaction (SQLite rolls back a
// transaction whose statement was interrupted): those are returned, to run
// in a transaction of their own.
func (g *groupCommit) commit(reqs []*writeReq) (rest []*writeReq) {
	finish := func(rs []*writeReq, err error) {
		for _, r := range rs {
			if r.err == nil && r.panicked == nil {
				r.err = err
			}
			if r.err == nil && r.panicked == nil {
				for _, f := range r.after {
					f()
				}
			}
			close(r.done)
		}
	}
	tx, err := g.db.BeginTx(context.Background(), nil)
	if err != nil {
		finish(reqs, fmt.Errorf("begin write: %w", err))
		return nil
	}
	if len(reqs) == 1 { // alone: the transaction is its savepoint
		r := reqs[0]
		if g.call(r, tx); r.err != nil || r.panicked != nil {
			_ = tx.Rollback()
			finish(reqs, nil)
			return nil
		}
		finish(reqs, commitErr(tx.Commit()))
		g.commits.Add(1)
		g.batches.Add(1)
		return nil
	}
	for i, r := range reqs {
		if _, err := tx.Exec("SAVEPOINT w"); err != nil {
			_ = tx.Rollback()
			finish(reqs, fmt.Errorf("begin write: %w", err))
			return nil
		}
		if g.call(r, tx); r.err == nil && r.panicked == nil {
			if _, err := tx.Exec("RELEASE w"); err != nil {
				_ = tx.Rollback()
				finish(reqs, fmt.Errorf("commit: %w", err))
				return nil
			}
			continue
		}
		if _, err := tx.Exec("ROLLBACK TO w"); err != nil {
			// The transaction is gone, and the writes of the requests
			// before this one with it.
			_ = tx.Rollback()
			finish(reqs[:i+1], fmt.Errorf("write transaction undone by a failure in another: %w", err))
			return reqs[i+1:]
		}
		if _, err := tx.Exec("RELEASE w"); err != nil {
			_ = tx.Rollback()
			finish(reqs, fmt.Errorf("commit: %w", err))
			return nil
		}
	}
	finish(reqs, commitErr(tx.Commit()))
	g.commits.Add(int64(len(reqs)))
	g.batches.Add(1)
	return nil
}

func commitErr(err error) error {
	if err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// call runs a request's function, catching its panic.
func (g *groupCommit) call(r *writeReq, tx *sql.Tx) {
	g.current, r.after = r, nil // a request run again starts afresh
	defer func() {
		g.current = nil
		if p := recover(); p != nil {
			r.panicked = p
		}
	}()
	r.err = r.fn(context.WithoutCancel(r.ctx), tx)
}

// afterCommit runs f once the writes of the transaction function that calls
// it are committed, on the writer goroutine; never when they are undone. It
// must be called from inside a WriteTx function, and f must be quick.
func (g *groupCommit) afterCommit(f func()) {
	g.current.after = append(g.current.after, f)
}

// checkpointEvery is how often the WAL is copied back into the database
// file when something was committed.
const checkpointEvery = time.Second

// withCheckpointEvery sets how often the checkpointer runs (tests).
func withCheckpointEvery(d time.Duration) Option { return func(db *DB) { db.checkpointEvery = d } }

// checkpoint copies committed pages from the WAL into the database file in
// the background, on a connection of its own, so that no write transaction
// waits for the file system's sync: the writer connection's automatic
// checkpoint is off. A PASSIVE checkpoint never blocks readers or the
// writer; the next write after a complete one starts the WAL over.
func (db *DB) checkpoint(every time.Duration) {
	defer close(db.checkpointed)
	t := time.NewTicker(every)
	defer t.Stop()
	var last int64
	for {
		select {
		case <-db.commits.closing:
			return
		case <-t.C:
		}
		n := db.commits.commits.Load()
		if n == last {
			continue
		}
		last = n
		var busy, frames, copied int
		err := db.checkpointer.QueryRow("PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied)
		switch {
		case err != nil:
			db.log.Warn("checkpoint the write-ahead log", "err", err)
		case busy == 0 && frames == copied:
			db.commits.checkpointed.Store(n) // the WAL starts over at the next write
			if db.commits.commits.Load() != n && frames >= db.walRestartFrames {
				db.walRestart.Store(true) // unless a write came in meanwhile: see restartWAL
			}
		}
		// The next one a whole interval after this one ended: a long
		// checkpoint does not start the next at once, and the writer's
		// own (restartWAL) does not find one running.
		t.Reset(every)
	}
}

// walRestartFrames is the size of the WAL, in pages, from which the writer
// lets it start over (restartWAL): 64 MiB. walSizeLimit is the size the WAL
// file is cut back to when it starts over, above what steady load leaves
// in it (walRestartFrames and the second of writes before the next
// checkpoint): cutting it back costs the next commit a truncation, 15 to
// 20 ms, so it is done only after a burst.
const (
	walRestartFrames = 64 << 20 / 4096
	walSizeLimit     = 256 << 20
)

// withWALRestartFrames sets the WAL size, in pages, from which the writer
// lets it start over (tests).
func withWALRestartFrames(n int) Option { return func(db *DB) { db.walRestartFrames = n } }

// restartWAL runs on the writer goroutine between two batches, when no
// transaction is open. SQLite starts the WAL over only when a write
// transaction begins with every frame of the WAL copied into the database
// file; the background checkpoint copies while writes go on, so under
// steady load a commit always lands during it and the WAL grew for as long
// as the load lasted (some 40 MB a second at saturation on a small
// machine). When the checkpointer has just copied a WAL of
// walRestartFrames or more, but not the writes made meanwhile, the writer
// copies those itself (a PASSIVE checkpoint on its own connection, during
// which nothing is written: 5 to 30 ms at saturation, two of them syncs),
// and its next write starts the WAL over. A reader still on an older
// snapshot makes SQLite keep the WAL; the next checkpoint asks again.
func (db *DB) restartWAL() {
	if !db.walRestart.CompareAndSwap(true, false) {
		return
	}
	var busy, frames, copied int
	if err := db.writer.QueryRow("PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied); err != nil {
		db.log.Warn("checkpoint the write-ahead log before it starts over", "err", err)
	}
}
