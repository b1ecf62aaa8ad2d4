package main

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/pressly/goose/v3"

	"github.com/supportd/supportd/store/sqlite"
)

// The commands other than serve, those that read and those that act (agent
// actions, chat), do not migrate a database left by an older supportd (which
// would lock that supportd out): they say the schema is older and to run
// serve first, and leave the file as it was. Once serve's Open has migrated
// it, they work.
func TestOnlyServeMigrates(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "supportd.db")
	// The database as supportd with migrations up to 4 left it.
	conn, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, conn, os.DirFS("../../store/sqlite/migrations"), goose.WithDisableGlobalRegistry(true))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 4); err != nil {
		t.Fatal(err)
	}
	_, known, err := p.GetVersions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	conn.Close()

	reads := [][]string{
		{"tickets", "list"}, {"tickets", "show", "T-1001"}, {"report"},
		{"mail", "list"}, {"mail", "show", "<a@b>"}, {"mail", "sent"},
		{"tickets", "claim", "T-1001", "--agent", "alice"}, {"tickets", "reply", "T-1001", "--agent", "alice", "hello"},
		{"chat", "--json"},
		{"customer", "show", "--email", "a@example.com"},
		{"customer", "forget", "--email", "a@example.com", "--yes", "--operator", "dpo"},
		{"customer", "forget", "--user", "webchat:v_1", "--dry-run"},
	}
	want := "the database " + path + " has schema version 4, older than this supportd's (" + itoa(known) + "); only `supportd serve` migrates it. " +
		"Run `supportd serve` with this version first: it migrates the database, logging each migration (after that, older versions of supportd cannot open it)"
	for _, args := range reads {
		code, out, errOut := cli(t, append(args, "--data", dir)...)
		if code != 1 || !strings.Contains(errOut, want) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want 1 and %q", strings.Join(args, " "), code, out, errOut, want)
		}
		if v := fileSchemaVersion(t, path); v != 4 {
			t.Fatalf("%s migrated the database to version %d", strings.Join(args, " "), v)
		}
	}

	db, err := sqlite.Open(ctx, path) // as serve opens it
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, args := range [][]string{{"tickets", "list"}, {"report"}, {"mail", "list"}, {"mail", "sent"}} {
		if code, _, errOut := cli(t, append(args, "--data", dir)...); code != 0 {
			t.Errorf("%s on the migrated database: exit %d, %q", strings.Join(args, " "), code, errOut)
		}
	}
}

func fileSchemaVersion(t *testing.T, path string) int64 {
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

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
