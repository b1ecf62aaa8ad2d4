package dialogtest

import (
	"errors"
	"testing"

	"github.com/supportd/supportd/dialog"
)

func testRoundTrip(t *testing.T, s dialog.Store) {
	ctx := t.Context()
	assertAllSet(t, *full("c-1"), "Rev")
	in, want := full("c-1"), full("c-1")
	want.Rev = 1
	var inTurn *dialog.Conversation
	turn(t, s, func(tx dialog.Tx) error {
		if err := tx.Save(ctx, in); err != nil {
			return err
		}
		var err error
		inTurn, err = tx.Load(ctx, "c-1") // a turn sees its own writes
		return err
	})
	assertSame(t, "conversation after Save", in, want)
	assertSame(t, "loaded in the same turn", inTurn, want)
	assertSame(t, "committed conversation", mustConversation(t, s, "c-1"), want)
	var later *dialog.Conversation
	turn(t, s, func(tx dialog.Tx) error {
		var err error
		later, err = tx.Load(ctx, "c-1")
		return err
	})
	assertSame(t, "loaded in a later turn", later, want)

	// Nothing optional stays nothing; a zero Updated gets the store's clock.
	m := &dialog.Conversation{ID: "c-2", Channel: "email", User: "a@example.com"}
	create(t, s, m)
	if m.Rev != 1 || m.Updated.IsZero() {
		t.Errorf("minimal conversation after Save: rev %d updated %v, want 1 and the store's clock", m.Rev, m.Updated)
	}
	got := mustConversation(t, s, "c-2")
	assertSame(t, "minimal conversation", got, m)
	if got.Slots != nil || got.Confirm != nil || got.Back != nil || got.Tickets != nil || got.Handoff != nil || got.Timers != nil || got.Later != nil || got.Said != nil {
		t.Errorf("minimal conversation grew optional fields: %+v", got)
	}
}

// testSaveUpdate changes every kind of field and saves again.
func testSaveUpdate(t *testing.T, s dialog.Store) {
	ctx := t.Context()
	create(t, s, full("c-1"))
	var want *dialog.Conversation
	turn(t, s, func(tx dialog.Tx) error {
		c, err := tx.Load(ctx, "c-1")
		if err != nil {
			return err
		}
		c.State, c.Asking, c.Misses, c.Turn, c.Updated = "idle", "", 0, 6, at(9)
		c.Slots["fault"] = dialog.Slot{Value: "E21", Turn: 6}
		delete(c.Slots, "model")
		c.Confirm, c.Handoff, c.Back, c.Timers = nil, nil, nil, nil
		c.Tickets = append(c.Tickets, "T-1003")
		if err := tx.Save(ctx, c); err != nil {
			return err
		}
		if c.Rev != 2 {
			t.Errorf("rev after the second save: %d, want 2", c.Rev)
		}
		want = c.Clone()
		return nil
	})
	assertSame(t, "updated conversation", mustConversation(t, s, "c-1"), want)
}

// testCompareAndSwap loads one conversation twice and saves both copies:
// the second save conflicts and the stored state is the first one's.
func testCompareAndSwap(t *testing.T, s dialog.Store) {
	ctx := t.Context()
	cases := []struct {
		name string
		// run saves a then b, returning the error of b's save.
		run func(t *testing.T, id string, edit func(a, b *dialog.Conversation)) error
	}{
		{"loaded before two turns", func(t *testing.T, id string, edit func(a, b *dialog.Conversation)) error {
			a, b := mustConversation(t, s, id), mustConversation(t, s, id)
			edit(a, b)
			turn(t, s, func(tx dialog.Tx) error { return tx.Save(ctx, a) })
			return s.Turn(ctx, func(tx dialog.Tx) error { return tx.Save(ctx, b) })
		}},
		{"loaded twice in one turn", func(t *testing.T, id string, edit func(a, b *dialog.Conversation)) error {
			var errB error
			turn(t, s, func(tx dialog.Tx) error {
				a, err := tx.Load(ctx, id)
				if err != nil {
					return err
				}
				b, err := tx.Load(ctx, id)
				if err != nil {
					return err
				}
				edit(a, b)
				if err := tx.Save(ctx, a); err != nil {
					return err
				}
				errB = tx.Save(ctx, b)
				return nil // commit a
			})
			return errB
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id := "cas-" + tc.name
			create(t, s, full(id))
			var a, b *dialog.Conversation
			err := tc.run(t, id, func(x, y *dialog.Conversation) {
				a, b = x, y
				a.State, a.Turn, a.Slots["model"] = "repair.collect", 6, dialog.Slot{Value: "WM-200", Turn: 6}
				b.State, b.Turn = "return.collect", 7
			})
			if !errors.Is(err, dialog.ErrConflict) {
				t.Fatalf("second save: %v, want ErrConflict", err)
			}
			if a.Rev != 2 || b.Rev != 1 {
				t.Errorf("revs after the saves: %d and %d, want 2 and 1 (a refused save leaves Rev)", a.Rev, b.Rev)
			}
			assertSame(t, "stored after the conflict", mustConversation(t, s, id), a)

			// The retry from a fresh load succeeds.
			turn(t, s, func(tx dialog.Tx) error {
				c, err := tx.Load(ctx, id)
				if err != nil {
					return err
				}
				c.State = b.State
				return tx.Save(ctx, c)
			})
			if got := mustConversation(t, s, id); got.Rev != 3 || got.State != b.State || got.Turn != a.Turn {
				t.Errorf("after the retry: rev %d state %q turn %d, want 3, %q, %d", got.Rev, got.State, got.Turn, b.State, a.Turn)
			}
		})
	}
}

// testSaveRefused checks saves that must fail and leave the store as it was.
func testSaveRefused(t *testing.T, s dialog.Store) {
	ctx := t.Context()
	stored := full("c-1")
	create(t, s, stored)
	cases := []struct {
		name     string
		c        *dialog.Conversation
		conflict bool // must be ErrConflict
	}{
		{"rev 0 with an id taken", full("c-1"), false},
		{"rev ahead of the stored one", func() *dialog.Conversation { c := full("c-1"); c.Rev = 5; return c }(), true},
		{"rev of a conversation never saved", func() *dialog.Conversation { c := full("c-new"); c.Rev = 3; return c }(), false},
		{"no id", full(""), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.c.State = "changed"
			rev := tc.c.Rev
			var err error
			turn(t, s, func(tx dialog.Tx) error {
				err = tx.Save(ctx, tc.c)
				return nil // commit whatever the refused save left
			})
			if err == nil || (tc.conflict && !errors.Is(err, dialog.ErrConflict)) {
				t.Errorf("save: %v, want an error (ErrConflict: %v)", err, tc.conflict)
			}
			if tc.c.Rev != rev {
				t.Errorf("a refused save changed Rev from %d to %d", rev, tc.c.Rev)
			}
			assertSame(t, "stored conversation", mustConversation(t, s, "c-1"), stored)
			if _, err := s.Conversation(ctx, "c-new"); !errors.Is(err, dialog.ErrNotFound) {
				t.Errorf("c-new: %v, want ErrNotFound", err)
			}
		})
	}
}

func testFind(t *testing.T, s dialog.Store) {
	ctx := t.Context()
	conv := func(id, channel, user string, updated int) *dialog.Conversation {
		c := minimal(id, channel, user)
		c.Updated = at(updated)
		return c
	}
	create(t, s,
		conv("a", "webchat", "u1", 0),
		conv("b", "webchat", "u1", 2),
		conv("c", "webchat", "u1", 1),
		conv("d", "webchat", "u2", 3),
		conv("e", "email", "u1", 5),
	)
	find := func(t *testing.T, channel, user, want string) {
		t.Helper()
		turn(t, s, func(tx dialog.Tx) error {
			c, err := tx.Find(ctx, channel, user)
			switch {
			case want == "" && !errors.Is(err, dialog.ErrNotFound):
				t.Errorf("Find(%s, %s) = %v, %v; want ErrNotFound", channel, user, c, err)
			case want != "" && (err != nil || c.ID != want):
				t.Errorf("Find(%s, %s) = %v, %v; want %s", channel, user, c, err, want)
			case want != "" && c.Rev < 1:
				t.Errorf("Find(%s, %s) returned rev %d, want the stored one", channel, user, c.Rev)
			}
			return nil
		})
	}
	cases := []struct {
		name, channel, user, want string
	}{
		{"most recently updated of three", "webchat", "u1", "b"},
		{"the only one", "webchat", "u2", "d"},
		{"same user on another channel", "email", "u1", "e"},
		{"unknown user", "webchat", "u3", ""},
		{"known user, unknown channel", "slack", "u1", ""},
		{"user of another channel", "email", "u2", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { find(t, tc.channel, tc.user, tc.want) })
	}
	t.Run("after an older one is updated", func(t *testing.T) {
		turn(t, s, func(tx dialog.Tx) error {
			c, err := tx.Load(ctx, "a")
			if err != nil {
				return err
			}
			c.Updated = at(10)
			return tx.Save(ctx, c)
		})
		find(t, "webchat", "u1", "a")
	})
}

// testCopies checks that values returned by the store are the caller's.
func testCopies(t *testing.T, s dialog.Store) {
	ctx := t.Context()
	saved := full("c-1")
	create(t, s, saved)
	want := saved.Clone()
	mutate := func(c *dialog.Conversation) {
		c.Slots["model"] = dialog.Slot{Value: "changed"}
		c.Timers[0].At = at(-100)
		c.Tickets[0] = "T-9"
		c.Handoff.Agent = "U9"
	}
	mutate(saved) // the store keeps no reference to the saved value
	mutate(mustConversation(t, s, "c-1"))
	turn(t, s, func(tx dialog.Tx) error {
		c, err := tx.Load(ctx, "c-1")
		if err != nil {
			return err
		}
		mutate(c)
		return nil
	})
	assertSame(t, "stored after the caller changed returned copies", mustConversation(t, s, "c-1"), want)
}
