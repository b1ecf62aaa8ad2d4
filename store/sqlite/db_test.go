package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/supportd/supportd/store/sqlite"
	"github.com/supportd/supportd/ticketing"
	"github.com/supportd/supportd/ticketing/tickettest"
)

// openTemp opens a fresh database file in t's temporary directory.
func openTemp(t testing.TB, opts ...sqlite.Option) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "data", "supportd.db"), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return db
}

func TestConformance(t *testing.T) {
	tickettest.Run(t, func(t *testing.T) ticketing.Store { return openTemp(t) })
}

func TestReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "supportd.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	by := ticketing.By{Actor: "cli", Channel: "cli"}
	first := &ticketing.Ticket{Kind: ticketing.KindRepair, Subject: "before restart", Details: map[string]string{"fault": "E1"}}
	if err := db.Create(ctx, first, by); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Update(ctx, first.ID, by, func(tk *ticketing.Ticket) error { tk.Status = ticketing.StatusOpen; return nil }); err != nil {
		t.Fatal(err)
	}
	versions := migrationRows(t, db)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := db.Get(ctx, "T-1001")
	if err != nil {
		t.Fatal(err)
	}
	if got.Subject != "before restart" || got.Status != ticketing.StatusOpen || got.Version != 2 || got.Details["fault"] != "E1" {
		t.Errorf("after reopen: %+v", got)
	}
	if evs, err := db.Events(ctx, "T-1001"); err != nil || len(evs) != 2 {
		t.Errorf("events after reopen: %d, %v", len(evs), err)
	}
	second := &ticketing.Ticket{Kind: ticketing.KindRepair}
	if err := db.Create(ctx, second, by); err != nil {
		t.Fatal(err)
	}
	if second.ID != "T-1002" {
		t.Errorf("sequence after reopen gave %s, want T-1002", second.ID)
	}
	if again := migrationRows(t, db); again != versions {
		t.Errorf("reopening changed the migration table: %d rows, then %d", versions, again)
	}
}

// migrationRows counts goose's version rows.
func migrationRows(t *testing.T, db *sqlite.DB) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow(`SELECT count(*) FROM goose_db_version`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n < 2 { // version 0 and 00001_tickets at least
		t.Fatalf("goose_db_version has %d rows", n)
	}
	return n
}

func TestPragmas(t *testing.T) {
	db := openTemp(t)
	var mode string
	if err := db.SQL().QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode %q, %v; want wal", mode, err)
	}
	var busy, fk int
	if err := db.SQL().QueryRow(`PRAGMA busy_timeout`).Scan(&busy); err != nil || busy != 10000 {
		t.Errorf("reader busy_timeout %d, %v", busy, err)
	}
	if err := db.SQL().QueryRow(`PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != 1 {
		t.Errorf("reader foreign_keys %d, %v", fk, err)
	}
	var sync, temp, walLimit int
	err := db.WriteTx(context.Background(), func(_ context.Context, tx *sql.Tx) error {
		if err := tx.QueryRow(`PRAGMA synchronous`).Scan(&sync); err != nil {
			return err
		}
		if err := tx.QueryRow(`PRAGMA journal_size_limit`).Scan(&walLimit); err != nil {
			return err
		}
		if err := tx.QueryRow(`PRAGMA temp_store`).Scan(&temp); err != nil {
			return err
		}
		if err := tx.QueryRow(`PRAGMA busy_timeout`).Scan(&busy); err != nil {
			return err
		}
		return tx.QueryRow(`PRAGMA foreign_keys`).Scan(&fk)
	})
	if err != nil || sync != 1 || busy != 10000 || fk != 1 || temp != 2 {
		t.Errorf("writer: synchronous %d (want 1 NORMAL), busy_timeout %d, foreign_keys %d, temp_store %d (want 2 MEMORY), %v", sync, busy, fk, temp, err)
	}
	if walLimit != 256<<20 { // the WAL file cut back to 256 MiB when it starts over after a burst
		t.Errorf("writer: journal_size_limit %d, want %d", walLimit, 256<<20)
	}
}

func TestReadPoolIsReadOnly(t *testing.T) {
	db := openTemp(t)
	_, err := db.SQL().Exec(`CREATE TABLE t (x INTEGER)`)
	if err == nil || !strings.Contains(err.Error(), "readonly") {
		t.Errorf("write through SQL(): %v, want a read-only error", err)
	}
}

func TestEventsAppendOnly(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	tk := &ticketing.Ticket{Kind: ticketing.KindRepair}
	if err := db.Create(ctx, tk, ticketing.By{Actor: "bot"}); err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		`UPDATE events SET note = 'rewritten' WHERE ticket_seq = 1001`,
		`DELETE FROM events WHERE ticket_seq = 1001`,
		`DELETE FROM tickets WHERE seq = 1001`, // its events refer to it
	} {
		err := db.WriteTx(ctx, func(_ context.Context, tx *sql.Tx) error {
			_, err := tx.Exec(stmt)
			return err
		})
		if err == nil {
			t.Errorf("%s: succeeded", stmt)
		} else if strings.HasPrefix(stmt, "UPDATE events") || strings.HasPrefix(stmt, "DELETE FROM events") {
			if !strings.Contains(err.Error(), "events are append-only") {
				t.Errorf("%s: %v, want 'events are append-only'", stmt, err)
			}
		}
	}
	evs, err := db.Events(ctx, "T-1001")
	if err != nil || len(evs) != 1 || evs[0].Note != "" {
		t.Errorf("events after refused rewrites: %+v, %v", evs, err)
	}
}

func TestOpenBadPath(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "not-a-dir")
	if err := os.WriteFile(file, []byte(strings.Repeat("not a database\n", 400)), 0o600); err != nil {
		t.Fatal(err)
	}
	short := filepath.Join(dir, "short")
	if err := os.WriteFile(short, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, path, want string
	}{
		{"file where a directory should be", filepath.Join(file, "supportd.db"), "create its directory"},
		{"a directory", dir, "is a directory"},
		{"empty", "", "empty path"},
		{"not a database", file, "not a database"},
		{"a short file", short, "not a database"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db, err := sqlite.Open(context.Background(), tc.path)
			if err == nil {
				db.Close()
				t.Fatal("opened")
			}
			if !strings.Contains(err.Error(), tc.want) || (tc.path != "" && !strings.Contains(err.Error(), tc.path)) {
				t.Errorf("error %q should name the path and say %q", err, tc.want)
			}
		})
	}
	if b, err := os.ReadFile(short); err != nil || string(b) != "x" {
		t.Errorf("a refused file was changed: %q, %v", b, err)
	}
}

func TestOddPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a dir?#%", "x y.db")
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Create(context.Background(), &ticketing.Ticket{Kind: ticketing.KindRepair}, ticketing.By{Actor: "cli"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("database not at the given path: %v", err)
	}
}

func TestClock(t *testing.T) {
	now := time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC)
	db := openTemp(t, sqlite.WithClock(func() time.Time { return now }))
	tk := &ticketing.Ticket{Kind: ticketing.KindRepair}
	if err := db.Create(context.Background(), tk, ticketing.By{Actor: "bot"}); err != nil {
		t.Fatal(err)
	}
	evs, err := db.Events(context.Background(), tk.ID)
	if err != nil || !tk.CreatedAt.Equal(now) || !evs[0].At.Equal(now) {
		t.Errorf("created %v, event %v, %v; want %v", tk.CreatedAt, evs, err, now)
	}
}

// TestConcurrentOpen opens one new file from several goroutines at once, as
// a server and a CLI command starting together would: every Open succeeds
// and the migrations are applied once.
func TestConcurrentOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "supportd.db")
	const n = 5
	dbs := make([]*sqlite.DB, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { dbs[i], errs[i] = sqlite.Open(context.Background(), path) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("open %d: %v", i, err)
			continue
		}
		defer dbs[i].Close()
	}
	if t.Failed() {
		return
	}
	var applied int
	if err := dbs[0].SQL().QueryRow(`SELECT count(*) FROM goose_db_version WHERE version_id = 1`).Scan(&applied); err != nil || applied != 1 {
		t.Errorf("migration 1 recorded %d times, %v", applied, err)
	}
	tk := &ticketing.Ticket{Kind: ticketing.KindRepair}
	if err := dbs[n-1].Create(context.Background(), tk, ticketing.By{Actor: "cli"}); err != nil || tk.ID != "T-1001" {
		t.Errorf("create after concurrent opens: %s, %v", tk.ID, err)
	}
}

func TestOpenNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "supportd.db")
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	err = db.WriteTx(context.Background(), func(_ context.Context, tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO goose_db_version (version_id, is_applied) VALUES (99999, 1)`)
		return err
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	if db, err := sqlite.Open(context.Background(), path); err == nil || !strings.Contains(err.Error(), "newer") {
		if err == nil {
			db.Close()
		}
		t.Errorf("open a database from the future: %v", err)
	} else {
		t.Log(err)
	}
}

// A program that only reads opens the database WithoutMigrations: an older
// schema is reported with its version and left as it is, so the older
// supportd that wrote it can still open it; a current one opens as usual.
// Open without the option migrates it and logs each migration.
func TestOpenWithoutMigrations(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "supportd.db")
	if err := sqlite.MigrateTo(ctx, path, 4); err != nil {
		t.Fatal(err)
	}
	_, err := sqlite.Open(ctx, path, sqlite.WithoutMigrations())
	var old *sqlite.OutdatedError
	if !errors.Is(err, sqlite.ErrSchemaOutdated) || !errors.As(err, &old) || old.Version != 4 {
		t.Fatalf("open an older database without migrating: %v; want an *OutdatedError of version 4", err)
	}
	if want := fmt.Sprintf("the database schema is version 4, older than this program's (%d), and it was opened without migrating", old.Known); !strings.Contains(err.Error(), want) {
		t.Errorf("error %q lacks %q", err, want)
	}
	if v := schemaVersion(t, path); v != 4 {
		t.Errorf("after opening without migrating the schema is version %d, want 4 still", v)
	}

	var logs strings.Builder
	db, err := sqlite.Open(ctx, path, sqlite.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if want := `msg="migration applied" version=5 file=00005_tickets_updated.sql`; !strings.Contains(logs.String(), want) {
		t.Errorf("the log lacks %q:\n%s", want, logs.String())
	}
	if n := strings.Count(logs.String(), `msg="migration applied"`); int64(n) != old.Known-4 {
		t.Errorf("%d migrations logged, want %d:\n%s", n, old.Known-4, logs.String())
	}
	if v := schemaVersion(t, path); v != old.Known {
		t.Errorf("after Open the schema is version %d, want %d", v, old.Known)
	}

	db, err = sqlite.Open(ctx, path, sqlite.WithoutMigrations())
	if err != nil {
		t.Fatalf("open a current database without migrating: %v", err)
	}
	defer db.Close()
	if _, err := db.List(ctx, ticketing.Filter{}); err != nil {
		t.Errorf("list: %v", err)
	}
}

// schemaVersion reads goose's version of the file at path directly.
func schemaVersion(t *testing.T, path string) int64 {
	t.Helper()
	conn, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var v int64
	if err := conn.QueryRow(`SELECT max(version_id) FROM goose_db_version WHERE is_applied`).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}
