package tickettest

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/supportd/supportd/ticketing"
)

func testInTxCommit(t *testing.T, s ticketing.Store) {
	ctx := context.Background()
	a := mustCreate(t, s, minimal(ticketing.KindRepair), bot(0))
	var b *ticketing.Ticket
	err := s.InTx(ctx, func(tx ticketing.Tx) error {
		b = minimal(ticketing.KindComplaint)
		if err := tx.Create(ctx, b, bot(1)); err != nil {
			return err
		}
		if _, err := tx.Update(ctx, b.ID, agent(2), func(x *ticketing.Ticket) error { x.Status = ticketing.StatusOpen; return nil }); err != nil {
			return err
		}
		got, err := tx.Get(ctx, b.ID) // sees its own writes
		if err != nil {
			return err
		}
		if got.Status != ticketing.StatusOpen || got.Version != 2 {
			t.Errorf("inside the transaction: status %q version %d, want open 2", got.Status, got.Version)
		}
		if _, err := tx.Update(ctx, a.ID, agent(3), func(x *ticketing.Ticket) error { x.Subject = "linked"; return nil }); err != nil {
			return err
		}
		return tx.AddNote(ctx, a.ID, agent(4), "see "+b.ID)
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := mustGet(t, s, b.ID); got.Status != ticketing.StatusOpen || got.Version != 2 {
		t.Errorf("committed: status %q version %d", got.Status, got.Version)
	}
	if got := mustGet(t, s, a.ID); got.Subject != "linked" {
		t.Errorf("committed: subject %q", got.Subject)
	}
	if evs := mustEvents(t, s, b.ID); len(evs) != 2 {
		t.Errorf("events of %s: %d, want 2", b.ID, len(evs))
	}
	if evs := mustEvents(t, s, a.ID); len(evs) != 3 || evs[2].Action != ticketing.ActionComment {
		t.Errorf("events of %s: %+v, want created, updated, comment", a.ID, evs)
	}
	if ts := mustList(t, s, ticketing.Filter{}); !slices.Equal(ids(ts), []string{b.ID, a.ID}) {
		t.Errorf("tickets %v", ids(ts))
	}
}

// rollbackFn creates a ticket, changes a and comments on it, all inside one
// transaction; the caller then makes it fail.
func rollbackFn(t *testing.T, a *ticketing.Ticket, created *string, fail func() error) func(ticketing.Tx) error {
	ctx := context.Background()
	return func(tx ticketing.Tx) error {
		b := minimal(ticketing.KindComplaint)
		if err := tx.Create(ctx, b, bot(1)); err != nil {
			t.Errorf("create in tx: %v", err)
			return err
		}
		*created = b.ID
		if _, err := tx.Update(ctx, a.ID, agent(2), func(x *ticketing.Ticket) error {
			x.Status, x.Subject = ticketing.StatusOpen, "changed"
			return nil
		}); err != nil {
			t.Errorf("update in tx: %v", err)
			return err
		}
		if err := tx.AddNote(ctx, a.ID, agent(3), "note"); err != nil {
			t.Errorf("note in tx: %v", err)
			return err
		}
		return fail()
	}
}

func assertRolledBack(t *testing.T, s ticketing.Store, a *ticketing.Ticket, created string) {
	t.Helper()
	if created == "" {
		t.Fatal("the transaction did not run")
	}
	if ts := mustList(t, s, ticketing.Filter{}); !slices.Equal(ids(ts), []string{a.ID}) {
		t.Errorf("after rollback tickets are %v, want only %s", ids(ts), a.ID)
	}
	if created != a.ID {
		if _, err := s.Get(context.Background(), created); !errors.Is(err, ticketing.ErrNotFound) {
			t.Errorf("rolled-back ticket %s: %v, want ErrNotFound", created, err)
		}
		if _, err := s.Events(context.Background(), created); !errors.Is(err, ticketing.ErrNotFound) {
			t.Errorf("events of rolled-back ticket %s: %v, want ErrNotFound", created, err)
		}
	}
	assertUnchanged(t, s, a, 1)
}

func testInTxRollback(t *testing.T, s ticketing.Store) {
	a := mustCreate(t, s, minimal(ticketing.KindRepair), bot(0))
	var created string
	err := s.InTx(context.Background(), rollbackFn(t, a, &created, func() error { return errBoom }))
	if !errors.Is(err, errBoom) {
		t.Fatalf("err = %v, want fn's error", err)
	}
	assertRolledBack(t, s, a, created)
	// The store still works.
	if tk := mustCreate(t, s, minimal(ticketing.KindRepair), bot(5)); mustGet(t, s, tk.ID).ID != tk.ID {
		t.Error("create after rollback")
	}
}

func testInTxPanic(t *testing.T, s ticketing.Store) {
	a := mustCreate(t, s, minimal(ticketing.KindRepair), bot(0))
	var created string
	func() {
		defer func() {
			if r := recover(); r != errBoom {
				t.Errorf("recovered %v, want the panic to pass through", r)
			}
		}()
		_ = s.InTx(context.Background(), rollbackFn(t, a, &created, func() error { panic(errBoom) }))
	}()
	assertRolledBack(t, s, a, created)
	if tk := mustCreate(t, s, minimal(ticketing.KindRepair), bot(5)); mustGet(t, s, tk.ID).ID != tk.ID {
		t.Error("create after a panic in InTx")
	}
}
