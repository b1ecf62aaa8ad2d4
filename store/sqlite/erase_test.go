package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/supportd/supportd/channels/email/mailstore"
	"github.com/supportd/supportd/ticketing"
)

// The audit log stays append-only; migration 00014's one exception lets an
// erasure, and only while its ticket is in events_erasing inside the same
// transaction, change an event's note to the marker, an actor's address,
// and its changes, never its time, channel or action.
func TestEventsErasureOnly(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tk := &ticketing.Ticket{Kind: ticketing.KindRepair, Subject: "smoke", Customer: ticketing.Customer{Email: "a@example.com"}}
	if err := db.Create(ctx, tk, ticketing.By{Actor: "bot", Note: "the customer said: purple smoke"}); err != nil {
		t.Fatal(err)
	}
	seq, _ := seqOf(tk.ID)
	exec := func(erasing bool, query string, args ...any) error {
		return db.WriteTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
			if erasing {
				if _, err := tx.ExecContext(ctx, `INSERT INTO events_erasing (ticket_seq) VALUES (?)`, seq); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, query, args...); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `DELETE FROM events_erasing`)
			return err
		})
	}
	for _, tc := range []struct {
		name    string
		erasing bool
		query   string
		ok      bool
	}{
		{"update outside an erasure", false, `UPDATE events SET note = '[erased]' WHERE ticket_seq = ?`, false},
		{"delete outside an erasure", false, `DELETE FROM events WHERE ticket_seq = ?`, false},
		{"delete in an erasure", true, `DELETE FROM events WHERE ticket_seq = ?`, false},
		{"change the action", true, `UPDATE events SET action = 'comment' WHERE ticket_seq = ?`, false},
		{"change the time", true, `UPDATE events SET at = '2000-01-01T00:00:00.000000000Z' WHERE ticket_seq = ?`, false},
		{"another note", true, `UPDATE events SET note = 'all fine' WHERE ticket_seq = ?`, false},
		{"another actor", true, `UPDATE events SET actor = 'agent:U9' WHERE ticket_seq = ?`, false},
		{"the marker", true, `UPDATE events SET note = '[erased]', actor = 'bot:[erased]' WHERE ticket_seq = ?`, true},
	} {
		err := exec(tc.erasing, tc.query, seq)
		if (err == nil) != tc.ok {
			t.Errorf("%s: err %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
	evs, err := db.Events(ctx, tk.ID)
	if err != nil || len(evs) != 1 || evs[0].Note != Erased || evs[0].Action != ticketing.ActionCreated {
		t.Errorf("events: %+v, %v", evs, err)
	}
	var n int
	if err := db.SQL().QueryRowContext(ctx, `SELECT count(*) FROM events_erasing`).Scan(&n); err != nil || n != 0 {
		t.Errorf("events_erasing: %d rows, %v", n, err)
	}
}

// A mail read from a customer who was then forgotten is still known when
// it is delivered again: its record is found by the address's digest, and
// the record holds neither the address nor the subject nor the raw copy.
func TestErasedMailNotImportedAgain(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rec := mailstore.Inbound{Key: "k1@mail.example.net", Sender: "carol@example.com", Subject: "Carol's broken fridge",
		Status: mailstore.StatusQuarantined, Raw: []byte("From: carol@example.com\r\n\r\nhi"), At: time.Now()}
	if err := db.FinishInbound(ctx, rec, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := db.EraseCustomer(ctx, CustomerQuery{Email: "carol@example.com"}, "dpo", false); err != nil {
		t.Fatal(err)
	}
	got, found, err := db.Inbound(ctx, rec.Key, rec.Sender)
	if err != nil || !found || !got.Terminal() {
		t.Fatalf("the erased mail's record: %+v, found %v, %v", got, found, err)
	}
	if strings.Contains(got.Sender, "carol") || got.Subject != Erased || got.Raw != nil {
		t.Errorf("the record keeps %q, %q, %d raw bytes", got.Sender, got.Subject, len(got.Raw))
	}
	if _, err := db.EraseCustomer(ctx, CustomerQuery{Email: "carol@example.com"}, "dpo", false); err != ErrNoCustomer {
		t.Errorf("erasing again: %v, want ErrNoCustomer", err)
	}
	if _, err := db.EraseCustomer(ctx, CustomerQuery{Email: "dave@example.com"}, "", false); err == nil {
		t.Error("an erasure without an actor was accepted")
	}
}
