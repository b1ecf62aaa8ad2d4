package webhooks_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/store/sqlite"
	"github.com/supportd/supportd/ticketing"
	"github.com/supportd/supportd/webhooks"
)

// delivery is one request a receiver got.
type delivery struct {
	id, event, signature string
	body                 []byte
	status               int // what the receiver answered
}

// receiver is a real HTTP server that records every delivery and answers
// with what answer says (200 when nil).
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	got    []delivery
	answer func(id string, attempt int) int
}

func newReceiver(t *testing.T, answer func(id string, attempt int) int) *receiver {
	t.Helper()
	r := &receiver{answer: answer}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		d := delivery{id: req.Header.Get("X-Supportd-Delivery"), event: req.Header.Get("X-Supportd-Event"),
			signature: req.Header.Get("X-Supportd-Signature"), body: body, status: http.StatusOK}
		r.mu.Lock()
		attempt := 1
		for _, g := range r.got {
			if g.id == d.id {
				attempt++
			}
		}
		if r.answer != nil {
			d.status = r.answer(d.id, attempt)
		}
		r.got = append(r.got, d)
		r.mu.Unlock()
		w.WriteHeader(d.status)
	}))
	t.Cleanup(r.Close)
	return r
}

// all returns every delivery received, in order.
func (r *receiver) all() []delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]delivery(nil), r.got...)
}

// acked returns the ids of the deliveries answered 2xx, in order.
func (r *receiver) acked() []string {
	var ids []string
	for _, d := range r.all() {
		if d.status/100 == 2 {
			ids = append(ids, d.id)
		}
	}
	return ids
}

// waitFor waits, at most 10 seconds, for cond to hold: a bounded wait on an
// outcome, not a timing assumption.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func openDB(t *testing.T, path string) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func dbPath(t *testing.T) string { return filepath.Join(t.TempDir(), "supportd.db") }

// running is a dispatcher running in the background.
type running struct {
	d      *webhooks.Dispatcher
	reg    *prometheus.Registry
	cancel context.CancelFunc
	done   chan error
}

// start runs a dispatcher on db for hooks, with retries a few
// milliseconds apart and no polling (Notify wakes it), until stop or the
// end of the test.
func start(t *testing.T, db webhooks.Store, hooks ...config.Webhook) *running {
	t.Helper()
	reg := prometheus.NewRegistry()
	d, err := webhooks.New(webhooks.Options{
		Store: db, Hooks: hooks, Registry: reg,
		PollInterval: time.Hour, MinBackoff: time.Millisecond, MaxBackoff: 20 * time.Millisecond, Batch: 2,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{d: d, reg: reg, cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- d.Run(ctx) }()
	t.Cleanup(func() { r.stop(t) })
	return r
}

// stop ends the dispatcher and waits for Run to return.
func (r *running) stop(t *testing.T) {
	t.Helper()
	if r.cancel == nil {
		return
	}
	r.cancel()
	r.cancel = nil
	select {
	case err := <-r.done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
}

var t0 = time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)

// tickets writes ticket events as the engine does, each in its own
// transaction.
type tickets struct {
	t  *testing.T
	db *sqlite.DB
}

func (tk tickets) create(customer ticketing.Customer) string {
	tk.t.Helper()
	x := &ticketing.Ticket{Kind: ticketing.KindRepair, Status: ticketing.StatusOpen, Subject: "drum does not turn",
		Customer: customer, Channel: "webchat", ChannelUser: "v-1", Model: "WM-100"}
	if err := tk.db.Create(context.Background(), x, ticketing.By{Actor: "bot", Channel: "webchat", At: t0}); err != nil {
		tk.t.Fatal(err)
	}
	return x.ID
}

func (tk tickets) claim(id, agent string) {
	tk.t.Helper()
	_, err := tk.db.Update(context.Background(), id, ticketing.By{Actor: "agent:" + agent, Channel: "slack", Note: "claimed", At: t0.Add(time.Minute)},
		func(x *ticketing.Ticket) error {
			x.Status, x.Assignee = ticketing.StatusAssigned, agent
			return nil
		})
	if err != nil {
		tk.t.Fatal(err)
	}
}

func (tk tickets) note(id, text string) {
	tk.t.Helper()
	if err := tk.db.AddNote(context.Background(), id, ticketing.By{Actor: "agent:U1", Channel: "slack", At: t0.Add(2 * time.Minute)}, text); err != nil {
		tk.t.Fatal(err)
	}
}

// value returns the value of the series name whose label values include
// every one of labels in r's registry; 0 when there is none yet.
func value(t *testing.T, r *running, name string, labels ...string) float64 {
	t.Helper()
	mfs, err := r.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	series:
		for _, m := range mf.GetMetric() {
			var vals []string
			for _, lp := range m.GetLabel() {
				vals = append(vals, lp.GetValue())
			}
			for _, l := range labels {
				if !slices.Contains(vals, l) {
					continue series
				}
			}
			switch {
			case m.GetCounter() != nil:
				return m.GetCounter().GetValue()
			case m.GetGauge() != nil:
				return m.GetGauge().GetValue()
			}
		}
	}
	return 0
}
