package tickettest

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/supportd/supportd/ticketing"
)

const writers = 20

// testConcurrentUpdates has 20 goroutines increment one counter in one
// ticket: a lost update shows as a final value below 20.
func testConcurrentUpdates(t *testing.T, s ticketing.Store) {
	tk := mustCreate(t, s, minimal(ticketing.KindRepair), bot(0))
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for i := range writers {
		wg.Go(func() {
			by := ticketing.By{Actor: fmt.Sprintf("agent:U%d", i), Channel: "slack"}
			_, err := s.Update(context.Background(), tk.ID, by, func(x *ticketing.Ticket) error {
				n, _ := strconv.Atoi(x.Details["counter"])
				if x.Details == nil {
					x.Details = map[string]string{}
				}
				x.Details["counter"] = strconv.Itoa(n + 1)
				return nil
			})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	got := mustGet(t, s, tk.ID)
	if got.Details["counter"] != strconv.Itoa(writers) || got.Version != writers+1 {
		t.Errorf("counter %q version %d, want %d and %d: an update was lost", got.Details["counter"], got.Version, writers, writers+1)
	}
	evs := mustEvents(t, s, tk.ID)
	if len(evs) != writers+1 {
		t.Fatalf("%d events, want %d", len(evs), writers+1)
	}
	for i, ev := range evs[1:] { // each event saw the previous value
		c := ev.Changes["details"]
		if ev.Seq != int64(i+2) || !jsonEqual(c.New, fmt.Appendf(nil, `{"counter":"%d"}`, i+1)) {
			t.Errorf("event %d: seq %d details → %s, want seq %d counter %d", i+2, ev.Seq, c.New, i+2, i+1)
		}
	}
}

// testConcurrentCreates has 20 goroutines create a ticket each: every id is
// handed out once.
func testConcurrentCreates(t *testing.T, s ticketing.Store) {
	var wg sync.WaitGroup
	got := make(chan string, writers)
	for i := range writers {
		wg.Go(func() {
			tk := minimal(ticketing.KindConsultation)
			tk.ChannelUser = fmt.Sprintf("v-%d", i)
			if err := s.Create(context.Background(), tk, bot(0)); err != nil {
				t.Error(err)
				return
			}
			got <- tk.ID
		})
	}
	wg.Wait()
	close(got)
	var created []string
	for id := range got {
		created = append(created, id)
	}
	var want []string
	for i := range writers {
		want = append(want, ticketing.FormatID(int64(ticketing.FirstNumber+i)))
	}
	slices.Sort(created)
	slices.Sort(want)
	if !slices.Equal(created, want) {
		t.Errorf("ids %v, want %v", created, want)
	}
	if ts := mustList(t, s, ticketing.Filter{}); len(ts) != writers {
		t.Errorf("%d tickets stored, want %d", len(ts), writers)
	}
	for _, id := range want {
		if evs := mustEvents(t, s, id); len(evs) != 1 {
			t.Errorf("%s has %d events, want 1", id, len(evs))
		}
	}
}
