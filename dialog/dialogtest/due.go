package dialogtest

import (
	"slices"
	"testing"

	"github.com/supportd/supportd/dialog"
)

func testDue(t *testing.T, s dialog.Store) {
	ctx := t.Context()
	withTimers := func(id string, mins ...int) *dialog.Conversation {
		c := minimal(id, "webchat", "u-"+id)
		for i, m := range mins {
			tm := at(m)
			if i%2 == 1 {
				tm = tm.UTC() // zones must not change the order
			}
			c.Timers = append(c.Timers, dialog.Timer{Kind: "quote_expiry", At: tm})
		}
		return c
	}
	create(t, s,
		withTimers("a", 5, 2), // earliest 2
		withTimers("b", 1),
		withTimers("c"),
		withTimers("d", 10, 40),
	)
	due := func(t *testing.T, now, limit int, want []string) {
		t.Helper()
		got, err := s.Due(ctx, at(now), limit)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) && len(got)+len(want) > 0 {
			t.Errorf("Due(t0+%dm, %d) = %v, want %v", now, limit, got, want)
		}
	}
	cases := []struct {
		name       string
		now, limit int
		want       []string
	}{
		{"none yet", 0, 0, nil},
		{"exactly at the earliest timer", 1, 0, []string{"b"}},
		{"earliest first", 2, 0, []string{"b", "a"}},
		{"limit", 2, 1, []string{"b"}},
		{"only the earliest timer counts", 9, 0, []string{"b", "a"}},
		{"all with timers", 100, 0, []string{"b", "a", "d"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { due(t, tc.now, tc.limit, tc.want) })
	}

	t.Run("saved without timers, or with later ones", func(t *testing.T) {
		turn(t, s, func(tx dialog.Tx) error {
			a, err := tx.Load(ctx, "a")
			if err != nil {
				return err
			}
			a.Timers = nil
			if err := tx.Save(ctx, a); err != nil {
				return err
			}
			b, err := tx.Load(ctx, "b")
			if err != nil {
				return err
			}
			b.Timers[0].At = at(50)
			return tx.Save(ctx, b)
		})
		due(t, 9, 0, nil)
		due(t, 100, 0, []string{"d", "b"})
	})
}
