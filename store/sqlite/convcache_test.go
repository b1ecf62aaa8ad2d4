package sqlite

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/supportd/supportd/dialog"
)

// save writes c in a turn of db; fail makes the turn return an error after
// the save, so that it is undone.
func save(t *testing.T, db *DB, c *dialog.Conversation, fail bool) error {
	t.Helper()
	return db.Turn(context.Background(), func(tx dialog.Tx) error {
		if err := tx.Save(context.Background(), c); err != nil {
			return err
		}
		if fail {
			return errors.New("the turn fails after its save")
		}
		return nil
	})
}

// The cache of decoded conversations holds only committed content: a save
// undone with its turn leaves nothing behind, so the same rev written by
// another process is read as that process wrote it.
func TestConvCacheHoldsOnlyCommitted(t *testing.T) {
	path := filepath.Join(t.TempDir(), "supportd.db")
	open := func() *DB {
		db, err := Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	a, b := open(), open() // two processes on one file
	ctx := context.Background()
	c := &dialog.Conversation{ID: "c-1", Channel: "webchat", User: "v-1", Lang: "en", State: dialog.Idle, Slots: map[string]dialog.Slot{}}
	if err := save(t, a, c, false); err != nil { // rev 1, committed by a
		t.Fatal(err)
	}
	if got, err := a.Conversation(ctx, "c-1"); err != nil || got.Lang != "en" || a.convs.get("c-1", 1) == nil {
		t.Fatalf("after a's commit: %+v, %v, cached %v", got, err, a.convs.get("c-1", 1) != nil)
	}

	undone := c.Clone()
	undone.Lang = "undone"
	if err := save(t, a, undone, true); err == nil { // rev 2 in a, undone
		t.Fatal("the failing turn committed")
	}
	other, err := b.Conversation(ctx, "c-1")
	if err != nil {
		t.Fatal(err)
	}
	other.Lang = "zh"
	if err := save(t, b, other, false); err != nil { // rev 2, committed by b
		t.Fatal(err)
	}
	got, err := a.Conversation(ctx, "c-1")
	if err != nil || got.Rev != 2 || got.Lang != "zh" {
		t.Fatalf("a reads rev %d lang %q (%v), want rev 2 as b committed it (zh)", got.Rev, got.Lang, err)
	}

	// A copy from the cache is the caller's own.
	if err := save(t, a, got, false); err != nil { // rev 3 by a: cached
		t.Fatal(err)
	}
	x, _ := a.Conversation(ctx, "c-1")
	x.Slots["model"] = dialog.Slot{Value: "TV-55X"}
	y, _ := a.Conversation(ctx, "c-1")
	if y.Rev != 3 || len(y.Slots) != 0 {
		t.Errorf("a change to one copy reached the next: rev %d, slots %v", y.Rev, y.Slots)
	}
}

func TestConvCacheBounded(t *testing.T) {
	c := newConvCache()
	for i := range 3 * convCacheSize {
		c.put(&dialog.Conversation{ID: fmt.Sprint("c-", i), Rev: 1})
	}
	if n := c.len(); n != convCacheSize {
		t.Errorf("%d conversations kept, want the bound %d", n, convCacheSize)
	}
	last := fmt.Sprint("c-", 3*convCacheSize-1)
	if c.get(last, 1) == nil || c.get(last, 2) != nil {
		t.Errorf("the last one put: %v at rev 1, %v at rev 2", c.get(last, 1) != nil, c.get(last, 2) != nil)
	}
}
