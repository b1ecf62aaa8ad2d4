package sqlite_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/supportd/supportd/ticketing"
)

// TestConcurrentWriters is RELIABILITY item 29: 50 goroutines write (creates,
// updates, notes, multi-step transactions, and updates of one shared hot
// ticket) for 30 s (2 s with -short) while others read; no call may fail —
// above all none with SQLITE_BUSY / "database is locked" — and the stored
// ticket and event counts must equal what was written.
func TestConcurrentWriters(t *testing.T) {
	const goroutines = 50
	d := 30 * time.Second
	if testing.Short() {
		d = 2 * time.Second
	}
	db := openTemp(t)
	ctx := context.Background()
	hot := &ticketing.Ticket{Kind: ticketing.KindComplaint, Subject: "hot"}
	if err := db.Create(ctx, hot, ticketing.By{Actor: "test"}); err != nil {
		t.Fatal(err)
	}

	var (
		created, events, hotUpdates, reads atomic.Int64
		failures                           atomic.Int64
		firstErrs                          = make(chan error, 10)
	)
	created.Store(1)
	events.Store(1)
	fail := func(err error) {
		failures.Add(1)
		select {
		case firstErrs <- err:
		default:
		}
	}
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			w := &writer{db: db, by: ticketing.By{Actor: fmt.Sprintf("agent:U%d", g), Channel: "slack"},
				rnd: rand.New(rand.NewPCG(uint64(g), 29)), counts: map[string]int{}}
			for time.Now().Before(deadline) {
				n, err := w.step(ctx, hot.ID, &hotUpdates, &reads)
				if err != nil {
					fail(err)
					return
				}
				created.Add(int64(n.tickets))
				events.Add(int64(n.events))
			}
			if err := w.verify(ctx); err != nil {
				fail(err)
			}
		})
	}
	wg.Wait()
	close(firstErrs)
	for err := range firstErrs {
		if s := err.Error(); strings.Contains(s, "locked") || strings.Contains(s, "busy") || strings.Contains(s, "SQLITE_BUSY") {
			t.Errorf("SQLITE_BUSY reached a caller: %v", err)
		} else {
			t.Error(err)
		}
	}
	if n := failures.Load(); n > 0 {
		t.Fatalf("%d failed writers", n)
	}

	var nt, ne int64
	if err := db.SQL().QueryRow(`SELECT count(*) FROM tickets`).Scan(&nt); err != nil {
		t.Fatal(err)
	}
	if err := db.SQL().QueryRow(`SELECT count(*) FROM events`).Scan(&ne); err != nil {
		t.Fatal(err)
	}
	if nt != created.Load() || ne != events.Load() {
		t.Errorf("stored %d tickets and %d events, wrote %d and %d", nt, ne, created.Load(), events.Load())
	}
	got, err := db.Get(ctx, hot.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := strconv.FormatInt(hotUpdates.Load(), 10); got.Details["counter"] != want && hotUpdates.Load() > 0 {
		t.Errorf("hot ticket counter %q, want %s", got.Details["counter"], want)
	}
	secs := d.Seconds()
	t.Logf("%d goroutines, %v: %d tickets, %d events (%.0f writes/s), %d hot updates, %d reads",
		goroutines, d, nt, ne, float64(ne)/secs, hotUpdates.Load(), reads.Load())
}

// writer is one goroutine of TestConcurrentWriters. It owns the tickets it
// creates and remembers each one's counter.
type writer struct {
	db     ticketing.Store
	by     ticketing.By
	rnd    *rand.Rand
	mine   []string
	counts map[string]int
}

type written struct{ tickets, events int }

func (w *writer) step(ctx context.Context, hot string, hotUpdates, reads *atomic.Int64) (written, error) {
	switch r := w.rnd.IntN(100); {
	case r < 25 || len(w.mine) == 0: // create
		tk := &ticketing.Ticket{Kind: ticketing.KindRepair, Subject: "stress", ChannelUser: w.by.Actor}
		if err := w.db.Create(ctx, tk, w.by); err != nil {
			return written{}, fmt.Errorf("create: %w", err)
		}
		w.mine = append(w.mine, tk.ID)
		return written{1, 1}, nil
	case r < 60: // update one of mine
		id := w.mine[w.rnd.IntN(len(w.mine))]
		if _, err := w.db.Update(ctx, id, w.by, incr); err != nil {
			return written{}, fmt.Errorf("update %s: %w", id, err)
		}
		w.counts[id]++
		return written{0, 1}, nil
	case r < 70: // the shared hot ticket
		if _, err := w.db.Update(ctx, hot, w.by, incr); err != nil {
			return written{}, fmt.Errorf("update hot %s: %w", hot, err)
		}
		hotUpdates.Add(1)
		return written{0, 1}, nil
	case r < 75: // a note
		if err := w.db.AddNote(ctx, w.mine[0], w.by, "note"); err != nil {
			return written{}, fmt.Errorf("note: %w", err)
		}
		return written{0, 1}, nil
	case r < 85: // create and update in one transaction
		var id string
		err := w.db.InTx(ctx, func(tx ticketing.Tx) error {
			tk := &ticketing.Ticket{Kind: ticketing.KindConsultation, ChannelUser: w.by.Actor}
			if err := tx.Create(ctx, tk, w.by); err != nil {
				return err
			}
			id = tk.ID
			_, err := tx.Update(ctx, tk.ID, w.by, incr)
			return err
		})
		if err != nil {
			return written{}, fmt.Errorf("transaction: %w", err)
		}
		w.mine = append(w.mine, id)
		w.counts[id]++
		return written{1, 2}, nil
	default: // reads
		reads.Add(1)
		if _, err := w.db.Get(ctx, w.mine[len(w.mine)-1]); err != nil {
			return written{}, fmt.Errorf("get: %w", err)
		}
		if _, err := w.db.List(ctx, ticketing.Filter{Customer: w.by.Actor, Limit: 20}); err != nil {
			return written{}, fmt.Errorf("list: %w", err)
		}
		return written{}, nil
	}
}

// verify checks that every ticket of w holds exactly w's increments.
func (w *writer) verify(ctx context.Context) error {
	for _, id := range w.mine {
		tk, err := w.db.Get(ctx, id)
		if err != nil {
			return err
		}
		if want := w.counts[id]; tk.Details["counter"] != strconv.Itoa(want) && want > 0 {
			return fmt.Errorf("%s: counter %q, want %d", id, tk.Details["counter"], want)
		}
	}
	return nil
}

func incr(tk *ticketing.Ticket) error {
	n, _ := strconv.Atoi(tk.Details["counter"])
	if tk.Details == nil {
		tk.Details = map[string]string{}
	}
	tk.Details["counter"] = strconv.Itoa(n + 1)
	return nil
}
