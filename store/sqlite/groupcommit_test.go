package sqlite_test

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/supportd/supportd/store/sqlite"
)

// holdWriter runs a write transaction that waits until release is closed,
// so that the writes queued meanwhile are committed together. It returns
// once the transaction runs.
func holdWriter(t *testing.T, db *sqlite.DB, release <-chan struct{}) <-chan error {
	t.Helper()
	started := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- db.WriteTx(context.Background(), func(_ context.Context, tx *sql.Tx) error {
			close(started)
			<-release
			_, err := tx.Exec(`INSERT INTO kv (k, v) VALUES ('holder', 'x')`)
			return err
		})
	}()
	<-started
	return done
}

func createKV(t *testing.T, db *sqlite.DB) {
	t.Helper()
	if err := db.WriteTx(context.Background(), func(_ context.Context, tx *sql.Tx) error {
		_, err := tx.Exec(`CREATE TABLE kv (k TEXT PRIMARY KEY, v BLOB)`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

func keys(t *testing.T, db *sqlite.DB) map[string]bool {
	t.Helper()
	rows, err := db.SQL().Query(`SELECT k FROM kv`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string]bool{}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			t.Fatal(err)
		}
		got[k] = true
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return got
}

// Writes that arrive while the writer is busy commit in one transaction, and
// one that fails or panics takes back only its own writes.
func TestGroupCommitIsolatesFailures(t *testing.T) {
	db := openTemp(t)
	createKV(t, db)
	if err := db.WriteTx(context.Background(), func(_ context.Context, tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO kv (k, v) VALUES ('taken', 'v')`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	held := holdWriter(t, db, release)
	before := sqlite.Batches(db)

	const n = 12
	errFailed := errors.New("refused by the caller")
	results := make([]any, n) // nil, an error, or a panic value
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			defer func() {
				if p := recover(); p != nil {
					results[i] = fmt.Sprint("panic: ", p)
				}
			}()
			err := db.WriteTx(context.Background(), func(_ context.Context, tx *sql.Tx) error {
				if _, err := tx.Exec(`INSERT INTO kv (k, v) VALUES (?, 'v')`, fmt.Sprint("k", i)); err != nil {
					return err
				}
				switch i % 4 {
				case 1:
					return errFailed
				case 2:
					if _, err := tx.Exec(`INSERT INTO kv (k, v) VALUES ('taken', 'again')`); err != nil {
						return err // a constraint failure inside the savepoint
					}
				case 3:
					panic("caller bug")
				}
				return nil
			})
			if err != nil {
				results[i] = err
			}
		})
	}
	waitFor(t, "writers queued", func() bool { return sqlite.Waiting(db) == n })
	close(release)
	wg.Wait()
	if err := <-held; err != nil {
		t.Fatal(err)
	}

	got := keys(t, db)
	for i := range n {
		k := fmt.Sprint("k", i)
		switch i % 4 {
		case 0:
			if results[i] != nil || !got[k] {
				t.Errorf("writer %d: result %v, stored %v; want committed", i, results[i], got[k])
			}
		case 1:
			if !errors.Is(asErr(results[i]), errFailed) || got[k] {
				t.Errorf("writer %d: result %v, stored %v; want its own error and nothing stored", i, results[i], got[k])
			}
		case 2:
			if asErr(results[i]) == nil || got[k] {
				t.Errorf("writer %d: result %v, stored %v; want the constraint error and nothing stored", i, results[i], got[k])
			}
		case 3:
			if results[i] != "panic: caller bug" || got[k] {
				t.Errorf("writer %d: result %v, stored %v; want the panic passed on and nothing stored", i, results[i], got[k])
			}
		}
	}
	if !got["holder"] {
		t.Error("the first transaction was not committed")
	}
	// The holder's commit, then the twelve queued writers together (a
	// writer that had not quite reached the queue may make one more).
	if b := sqlite.Batches(db) - before; b > 3 {
		t.Errorf("%d commits for 1 + %d writes queued together, want at most 3", b, n)
	}
}

func asErr(v any) error {
	err, _ := v.(error)
	return err
}

// A caller whose context ends while it waits for the writer gets its
// context's error at once, and its function never runs.
func TestWriteTxAbandonedWhileQueued(t *testing.T) {
	db := openTemp(t)
	createKV(t, db)
	release := make(chan struct{})
	held := holdWriter(t, db, release)
	defer func() {
		close(release)
		if err := <-held; err != nil {
			t.Error(err)
		}
	}()

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	ran := false
	err := db.WriteTx(ctx, func(_ context.Context, tx *sql.Tx) error { ran = true; return nil })
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("WriteTx while the writer is held: %v, want the context's deadline", err)
	}
	if ran {
		t.Fatal("the abandoned function ran")
	}
}

// A write whose caller gives up while its statement runs finishes and
// commits, with the writes sharing its transaction: interrupting the
// statement would make SQLite undo the whole transaction, the other callers'
// writes with it.
func TestWriteTxRunsToTheEndOnceStarted(t *testing.T) {
	db := openTemp(t)
	createKV(t, db)
	release := make(chan struct{})
	held := holdWriter(t, db, release)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	running := make(chan struct{})
	fns := []struct {
		ctx context.Context
		fn  func(context.Context, *sql.Tx) error
	}{
		{context.Background(), func(ctx context.Context, tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO kv (k, v) VALUES ('before', 'v')`)
			return err
		}},
		{ctx, func(ctx context.Context, tx *sql.Tx) error {
			close(running)
			// Long enough for the caller to give up while it runs.
			_, err := tx.ExecContext(ctx, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)
				INSERT INTO kv (k, v) SELECT 'long-' || i, 'v' FROM n`)
			return err
		}},
		{context.Background(), func(ctx context.Context, tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO kv (k, v) VALUES ('after', 'v')`)
			return err
		}},
	}
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, w := range fns {
		wg.Go(func() { errs[i] = db.WriteTx(w.ctx, w.fn) })
		waitFor(t, "the writer to queue", func() bool { return sqlite.Waiting(db) == int64(i+1) && parkedWriters() == i+2 })
	}
	close(release)
	<-running
	time.Sleep(20 * time.Millisecond)
	cancel()
	wg.Wait()
	if err := <-held; err != nil {
		t.Fatal(err)
	}
	got := keys(t, db)
	for i, k := range []string{"before", "long-200000", "after"} {
		if errs[i] != nil || !got[k] {
			t.Errorf("write %d: %v, %q stored: %v; want it committed", i, errs[i], k, got[k])
		}
	}
}

// Writes after Close are refused with ErrClosed, not left waiting.
func TestWriteTxAfterClose(t *testing.T) {
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "supportd.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	err = db.WriteTx(context.Background(), func(context.Context, *sql.Tx) error { return nil })
	if !errors.Is(err, sqlite.ErrClosed) {
		t.Fatalf("WriteTx after Close: %v, want ErrClosed", err)
	}
}

// The background checkpointer copies the WAL into the database file, so
// that the WAL starts over instead of growing with every write.
func TestCheckpointKeepsTheWALBounded(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "supportd.db")
	db, err := sqlite.Open(context.Background(), path, sqlite.WithCheckpointEvery(20*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	createKV(t, db)
	blob := make([]byte, 64<<10)
	write := func(round int) {
		for i := range 50 {
			if err := db.WriteTx(context.Background(), func(_ context.Context, tx *sql.Tx) error {
				_, err := tx.Exec(`INSERT INTO kv (k, v) VALUES (?, ?)`, fmt.Sprint(round, "-", i), blob)
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
	}
	size := func(p string) int64 {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	wal := path + "-wal"
	const written = 50 * 64 << 10
	for round := range 4 {
		write(round)
		// Once this round is in the database file, the next round reuses
		// the WAL from its start.
		waitFor(t, "the checkpoint", func() bool { return sqlite.Checkpointed(db) })
	}
	if got := size(wal); got > 2*written {
		t.Errorf("WAL is %d bytes after 4 rounds of %d bytes, want it reused (≤ %d)", got, written, 2*written)
	}
	if n := len(keys(t, db)); n != 200 {
		t.Errorf("%d rows, want 200", n)
	}
}

// Under writes that never pause, every background checkpoint has a commit
// land while it copies, and SQLite starts the WAL over only when a write
// begins with all of it copied: the writer finishes the copy between two
// batches, so that the WAL starts over (SQLite counts each time in the WAL
// file's header) instead of growing with every write.
func TestCheckpointKeepsTheWALBoundedUnderSteadyWrites(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "supportd.db")
	db, err := sqlite.Open(context.Background(), path, sqlite.WithCheckpointEvery(10*time.Millisecond), sqlite.WithWALRestartFrames(1000))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	createKV(t, db)
	blob := make([]byte, 64<<10)
	const writers, each = 4, 600
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				if err := db.WriteTx(context.Background(), func(_ context.Context, tx *sql.Tx) error {
					_, err := tx.Exec(`INSERT INTO kv (k, v) VALUES (?, ?)`, fmt.Sprint(w, "-", i), blob)
					return err
				}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	hdr := make([]byte, 32)
	f, err := os.Open(path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := io.ReadFull(f, hdr); err != nil {
		t.Fatal(err)
	}
	// 150 MB written in about a second: a WAL started over each time the
	// checkpointer (every 10 ms) and then the writer copied it, several
	// times; without the writer's part, none or once.
	if restarts := binary.BigEndian.Uint32(hdr[12:16]); restarts < 3 {
		t.Errorf("the WAL started over %d times while %d MB were written, want 3 or more", restarts, writers*each*len(blob)>>20)
	}
	if n := len(keys(t, db)); n != writers*each {
		t.Errorf("%d rows, want %d", n, writers*each)
	}
}

// parkedWriters counts the goroutines blocked in a WriteTx call: queued for
// the writer, or waiting for their transaction's outcome.
func parkedWriters() int {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	n := 0
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, " [select") && strings.Contains(g, ".(*groupCommit).do(") {
			n++
		}
	}
	return n
}

// waitFor polls cond until it holds, for at most 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// When a failure undoes the whole transaction (SQLite rolls back a
// transaction whose statement was interrupted; here the function says
// ROLLBACK itself), the writes committed with it so far are reported failed,
// not committed, and the writes queued after it run in a transaction of
// their own.
func TestGroupCommitFailureThatUndoesTheBatch(t *testing.T) {
	db := openTemp(t)
	createKV(t, db)
	release := make(chan struct{})
	held := holdWriter(t, db, release)

	errBroke := errors.New("the transaction is gone")
	fns := []func(context.Context, *sql.Tx) error{
		func(_ context.Context, tx *sql.Tx) error {
			_, err := tx.Exec(`INSERT INTO kv (k, v) VALUES ('before', 'v')`)
			return err
		},
		func(_ context.Context, tx *sql.Tx) error {
			if _, err := tx.Exec(`INSERT INTO kv (k, v) VALUES ('breaker', 'v')`); err != nil {
				return err
			}
			if _, err := tx.Exec(`ROLLBACK`); err != nil {
				return err
			}
			return errBroke
		},
		func(_ context.Context, tx *sql.Tx) error {
			_, err := tx.Exec(`INSERT INTO kv (k, v) VALUES ('after', 'v')`)
			return err
		},
	}
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Go(func() { errs[i] = db.WriteTx(context.Background(), fn) })
		// Queued writers are taken in the order they arrived: each is
		// parked on the queue before the next starts (Waiting counts it a
		// moment before it parks; the holder waits in do too).
		waitFor(t, "the writer to queue", func() bool { return sqlite.Waiting(db) == int64(i+1) && parkedWriters() == i+2 })
	}
	close(release)
	wg.Wait()
	if err := <-held; err != nil {
		t.Fatal(err)
	}
	got := keys(t, db)
	if errs[0] == nil || got["before"] {
		t.Errorf("the write before the failure: %v, stored %v; want an error and nothing stored", errs[0], got["before"])
	}
	if !errors.Is(errs[1], errBroke) || got["breaker"] {
		t.Errorf("the failing write: %v, stored %v; want its own error and nothing stored", errs[1], got["breaker"])
	}
	if errs[2] != nil || !got["after"] {
		t.Errorf("the write after the failure: %v, stored %v; want it committed", errs[2], got["after"])
	}
	if !got["holder"] {
		t.Error("the transaction before the batch was not committed")
	}
}

// TestGroupCommitOnOneCore: on a single core, writers that each wait for
// their previous write still share transactions: the writer lets the ready
// goroutines queue before it takes a batch.
func TestGroupCommitOnOneCore(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	db := openTemp(t)
	createKV(t, db)
	const writers, each = 8, 50
	before := sqlite.Batches(db)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				err := db.WriteTx(context.Background(), func(_ context.Context, tx *sql.Tx) error {
					_, err := tx.Exec(`INSERT INTO kv (k, v) VALUES (?, 'x')`, fmt.Sprintf("w%d-%d", w, i))
					return err
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if n := len(keys(t, db)); n != writers*each {
		t.Fatalf("rows = %d, want %d", n, writers*each)
	}
	batches := sqlite.Batches(db) - before
	if batches > writers*each/2 {
		t.Errorf("%d writes took %d transactions, want at most half as many", writers*each, batches)
	}
	t.Logf("%d writes in %d transactions", writers*each, batches)
}
