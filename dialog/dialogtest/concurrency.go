package dialogtest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/supportd/supportd/dialog"
)

// testConcurrentConversations has 50 goroutines run 20 turns each on a
// conversation of their own (RELIABILITY item 29): no turn may fail, and
// every conversation ends with 20 saves and 40 messages.
func testConcurrentConversations(t *testing.T, s dialog.Store) {
	const goroutines, turns = 50, 20
	ctx := t.Context()
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			id := fmt.Sprintf("c-%02d", g)
			for i := range turns {
				err := s.Turn(ctx, func(tx dialog.Tx) error {
					c, err := tx.Load(ctx, id)
					if errors.Is(err, dialog.ErrNotFound) && i == 0 {
						c, err = minimal(id, "webchat", "u-"+id), nil
					}
					if err != nil {
						return err
					}
					c.Turn++
					c.Updated = at(i)
					if err := tx.Save(ctx, c); err != nil { // first: the first turn creates it
						return err
					}
					if err := tx.Append(ctx, message(c, dialog.In, 2*i)); err != nil {
						return err
					}
					return tx.Append(ctx, message(c, dialog.Out, 2*i+1))
				})
				if err != nil {
					t.Errorf("%s turn %d: %v", id, i, err)
					return
				}
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	for g := range goroutines {
		id := fmt.Sprintf("c-%02d", g)
		c := mustConversation(t, s, id)
		h := mustHistory(t, s, id, 0)
		if c.Rev != turns || c.Turn != turns || !slices.Equal(seqs(h), seqsTo(2*turns)) {
			t.Errorf("%s: rev %d turn %d, messages %v; want %d, %d and seq 1 to %d", id, c.Rev, c.Turn, seqs(h),
				turns, turns, 2*turns)
		}
	}
	if p := mustPending(t, s, "webchat", 0); len(p) != goroutines*turns {
		t.Errorf("%d messages pending, want %d", len(p), goroutines*turns)
	}
}

// testRacingTurns has 10 goroutines take 10 turns each on one conversation,
// each turn loading it, appending a message and saving it. Half of them load
// the committed state before the turn (optimistic: they may conflict), half
// inside it. A conflicting turn is retried from a fresh load; in the end no
// update is lost: rev = 1 + turns, Turn counts every turn and the messages
// are numbered without a gap.
func testRacingTurns(t *testing.T, s dialog.Store) {
	const goroutines, turns = 10, 10
	ctx := t.Context()
	create(t, s, minimal("hot", "webchat", "u-hot"))
	var conflicts atomic.Int64
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range turns {
				m := message(minimal("hot", "webchat", "u-hot"), dialog.In, g*turns+i)
				for attempt := 0; ; attempt++ {
					if attempt == 1000 {
						t.Errorf("goroutine %d turn %d: still conflicting after %d attempts", g, i, attempt)
						return
					}
					err := racingTurn(ctx, s, g%2 == 0, m)
					if errors.Is(err, dialog.ErrConflict) {
						conflicts.Add(1)
						m.Seq = 0
						continue
					}
					if err != nil {
						t.Errorf("goroutine %d turn %d: %v", g, i, err)
						return
					}
					break
				}
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	const total = goroutines * turns
	c := mustConversation(t, s, "hot")
	if c.Rev != 1+total || c.Turn != total {
		t.Errorf("rev %d turn %d, want %d and %d: an update was lost", c.Rev, c.Turn, 1+total, total)
	}
	h := mustHistory(t, s, "hot", 0)
	if !slices.Equal(seqs(h), seqsTo(total)) {
		t.Errorf("messages %v, want seq 1 to %d without a gap", seqs(h), total)
	}
	var clientIDs []string
	for _, m := range h {
		clientIDs = append(clientIDs, m.ClientID)
	}
	slices.Sort(clientIDs)
	if n := len(slices.Compact(clientIDs)); n != total {
		t.Errorf("%d distinct client ids, want %d: a turn's message was lost or stored twice", n, total)
	}
	t.Logf("%d turns committed, %d conflicts retried", total, conflicts.Load())
}

// racingTurn loads the conversation (before the turn when optimistic),
// appends m and saves.
func racingTurn(ctx context.Context, s dialog.Store, optimistic bool, m *dialog.Message) error {
	var before *dialog.Conversation
	if optimistic {
		var err error
		if before, err = s.Conversation(ctx, "hot"); err != nil {
			return err
		}
	}
	return s.Turn(ctx, func(tx dialog.Tx) error {
		c := before
		if c == nil {
			var err error
			if c, err = tx.Load(ctx, "hot"); err != nil {
				return err
			}
		}
		if err := tx.Append(ctx, m); err != nil {
			return err
		}
		c.Turn++
		return tx.Save(ctx, c)
	})
}
