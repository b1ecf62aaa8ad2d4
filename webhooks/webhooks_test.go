package webhooks_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/store/sqlite"
	"github.com/supportd/supportd/ticketing"
	"github.com/supportd/supportd/webhooks"
)

// Every event reaches a webhook in commit order, as documented: its
// headers, a signature that verifies over the raw body, the event and the
// ticket's state, and none of the customer's details the event does not
// carry. A filtered webhook gets only its actions, unsigned without a
// secret.
func TestDeliversEveryEventInOrder(t *testing.T) {
	db := openDB(t, dbPath(t))
	defer db.Close()
	crm, notes := newReceiver(t, nil), newReceiver(t, nil)
	const secret = "s3cret-key"
	r := start(t, db,
		config.Webhook{Name: "crm", URL: crm.URL + "/in?token=abc", Secret: secret, Timeout: 5 * time.Second},
		config.Webhook{Name: "notes", URL: notes.URL, Events: []string{"comment"}, Timeout: 5 * time.Second})
	tk := tickets{t, db}
	customer := ticketing.Customer{Name: "王芳", Email: "wang@example.com", Phone: "13800000000", Lang: "zh"}
	first := tk.create(customer)
	tk.claim(first, "U1")
	tk.note(first, "called the customer back")
	second := tk.create(ticketing.Customer{Lang: "en"})
	r.d.Notify()

	want := []string{first + ":1", first + ":2", first + ":3", second + ":1"}
	waitFor(t, "4 deliveries to crm", func() bool { return len(crm.acked()) >= 4 })
	waitFor(t, "1 delivery to notes", func() bool { return len(notes.acked()) >= 1 })
	// A delivery is counted once its answer is back, after the receiver saw it.
	waitFor(t, "the 4 acknowledgements counted", func() bool { return value(t, r, "supportd_webhook_deliveries_total", "crm", "ok") >= 4 })
	got := crm.all()
	if ids := crm.acked(); !slices.Equal(ids, want) {
		t.Fatalf("crm got %v, want %v", ids, want)
	}
	for i, d := range got {
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write(d.body)
		if wantSig := "sha256=" + hex.EncodeToString(mac.Sum(nil)); d.signature != wantSig || !webhooks.Verify(secret, d.body, d.signature) {
			t.Errorf("delivery %d: signature %q, want %q", i, d.signature, wantSig)
		}
		if webhooks.Verify(secret, append(d.body, ' '), d.signature) || webhooks.Verify("other", d.body, d.signature) {
			t.Errorf("delivery %d: signature verifies a changed body or another key", i)
		}
		if strings.Contains(string(d.body), customer.Email) || strings.Contains(string(d.body), customer.Name) || strings.Contains(string(d.body), customer.Phone) {
			t.Errorf("delivery %d carries customer details the event does not: %s", i, d.body)
		}
	}
	if ev := []string{got[0].event, got[1].event, got[2].event}; !slices.Equal(ev, []string{"created", "updated", "comment"}) {
		t.Errorf("X-Supportd-Event = %v", ev)
	}

	var claim webhooks.Payload
	if err := json.Unmarshal(got[1].body, &claim); err != nil {
		t.Fatal(err)
	}
	if claim.ID != first+":2" || claim.Action != "updated" || claim.TicketID != first || claim.Seq != 2 ||
		claim.Actor != "agent:U1" || claim.Channel != "slack" || claim.Note != "claimed" || !claim.At.Equal(t0.Add(time.Minute)) {
		t.Errorf("claim payload = %+v", claim)
	}
	if ch := claim.Changes["status"]; string(ch.Old) != `"open"` || string(ch.New) != `"assigned"` {
		t.Errorf("status change = %s → %s", ch.Old, ch.New)
	}
	if s := claim.Ticket; s.ID != first || s.Kind != "repair" || s.Status != "assigned" || s.Assignee != "U1" || s.Channel != "webchat" || s.Model != "WM-100" || s.Version != 2 {
		t.Errorf("ticket snapshot = %+v", s)
	}
	var raw map[string]map[string]any
	json.Unmarshal(got[0].body, &raw)
	if keys := slices.Sorted(maps.Keys(raw["ticket"])); !slices.Equal(keys, []string{"assignee", "channel", "created_at", "due", "id", "kind", "model", "status", "updated_at", "version"}) {
		t.Errorf("ticket snapshot fields = %v", keys)
	}

	n := notes.all()
	if len(n) != 1 || n[0].id != first+":3" || n[0].event != "comment" || n[0].signature != "" {
		t.Errorf("notes got %+v, want only the comment, unsigned", n)
	}
	if v := value(t, r, "supportd_webhook_deliveries_total", "crm", "ok"); v != 4 {
		t.Errorf("deliveries ok = %v, want 4", v)
	}
}

// A receiver that answers 500 gets the same event again, and nothing after
// it until it answers 2xx: then the rest, in order, none skipped.
func TestRetriesTheSameEventInOrder(t *testing.T) {
	db := openDB(t, dbPath(t))
	defer db.Close()
	tk := tickets{t, db}
	var failing atomic.Value
	failing.Store("")
	recv := newReceiver(t, func(id string, attempt int) int {
		if id == failing.Load() && attempt <= 2 {
			return http.StatusInternalServerError
		}
		return http.StatusOK
	})
	r := start(t, db, config.Webhook{Name: "crm", URL: recv.URL, Timeout: 5 * time.Second})
	id := tk.create(ticketing.Customer{})
	failing.Store(id + ":2")
	tk.claim(id, "U1")
	tk.note(id, "n")
	r.d.Notify()
	waitFor(t, "3 events acknowledged", func() bool { return len(recv.acked()) >= 3 })
	waitFor(t, "the last acknowledgement counted", func() bool { return value(t, r, "supportd_webhook_deliveries_total", "crm", "ok") >= 3 })
	var seen []string
	for _, d := range recv.all() {
		seen = append(seen, d.id)
	}
	if want := []string{id + ":1", id + ":2", id + ":2", id + ":2", id + ":3"}; !slices.Equal(seen, want) {
		t.Errorf("deliveries = %v, want %v", seen, want)
	}
	if v := value(t, r, "supportd_webhook_deliveries_total", "crm", "status"); v != 2 {
		t.Errorf("failed deliveries = %v, want 2", v)
	}
	if v := value(t, r, "supportd_webhook_consecutive_failures", "crm"); v != 0 {
		t.Errorf("consecutive failures after recovery = %v", v)
	}
}

// After a restart (the database closed and opened again, a new
// dispatcher), delivery resumes at the cursor: the events acknowledged are
// not sent again, the one that was failing is, and so are those committed
// while no dispatcher ran.
func TestResumesAfterRestart(t *testing.T) {
	path := dbPath(t)
	db := openDB(t, path)
	tk := tickets{t, db}
	var down atomic.Bool
	down.Store(true)
	var stuck atomic.Value
	stuck.Store("")
	recv := newReceiver(t, func(id string, _ int) int {
		if down.Load() && id == stuck.Load() {
			return http.StatusServiceUnavailable
		}
		return http.StatusOK
	})
	hook := config.Webhook{Name: "crm", URL: recv.URL, Timeout: 5 * time.Second}
	r := start(t, db, hook)
	id := tk.create(ticketing.Customer{})
	tk.claim(id, "U1")
	stuck.Store(id + ":3")
	tk.note(id, "before the restart")
	r.d.Notify()
	waitFor(t, "the third event refused twice", func() bool {
		n := 0
		for _, d := range recv.all() {
			if d.id == stuck.Load() {
				n++
			}
		}
		return n >= 2
	})
	r.stop(t)
	db.Close()

	db = openDB(t, path)
	defer db.Close()
	tk = tickets{t, db}
	tk.note(id, "while stopped")
	down.Store(false)
	r = start(t, db, hook)
	later := tk.create(ticketing.Customer{})
	r.d.Notify()
	want := []string{id + ":1", id + ":2", id + ":3", id + ":4", later + ":1"}
	waitFor(t, "every event acknowledged", func() bool { return len(recv.acked()) >= len(want) })
	r.stop(t)
	if got := recv.acked(); !slices.Equal(got, want) {
		t.Errorf("acknowledged = %v, want %v: each once, in order", got, want)
	}
}

// A webhook that cannot be reached (connection refused), one that does not
// answer within its timeout and one that answers 500 forever are retried
// and hold back nobody else: the healthy webhook gets every event.
func TestFailingWebhooksDoNotBlockOthers(t *testing.T) {
	db := openDB(t, dbPath(t))
	defer db.Close()
	tk := tickets{t, db}
	ok := newReceiver(t, nil)
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close() // nothing listens there any more
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer slow.Close()
	defer close(release)
	broken := newReceiver(t, func(string, int) int { return http.StatusInternalServerError })
	r := start(t, db,
		config.Webhook{Name: "unreachable", URL: closed.URL, Timeout: 5 * time.Second},
		config.Webhook{Name: "slow", URL: slow.URL, Timeout: 100 * time.Millisecond},
		config.Webhook{Name: "broken", URL: broken.URL, Timeout: 5 * time.Second},
		config.Webhook{Name: "ok", URL: ok.URL, Timeout: 5 * time.Second})
	id := tk.create(ticketing.Customer{})
	tk.claim(id, "U1")
	tk.note(id, "n")
	r.d.Notify()
	waitFor(t, "every event at the healthy webhook", func() bool { return len(ok.acked()) >= 3 })
	waitFor(t, "retries of the failing webhooks", func() bool {
		return value(t, r, "supportd_webhook_deliveries_total", "unreachable", "error") >= 2 &&
			value(t, r, "supportd_webhook_deliveries_total", "slow", "error") >= 2 &&
			value(t, r, "supportd_webhook_consecutive_failures", "broken") >= 2
	})
	for _, d := range broken.all() {
		if d.id != id+":1" {
			t.Fatalf("the broken webhook got %s before its first event was acknowledged", d.id)
		}
	}
	for _, name := range []string{"unreachable", "slow", "broken"} {
		if v := value(t, r, "supportd_webhook_cursor", name); v != 0 {
			t.Errorf("%s: cursor %v moved without an acknowledgement", name, v)
		}
	}
}

// A webhook removed from the configuration holds nothing back: its cursor
// is dropped at the next start and the feed it had not read is pruned. A
// webhook added starts with the events committed from then on.
func TestRemovedAndAddedWebhooks(t *testing.T) {
	db := openDB(t, dbPath(t))
	defer db.Close()
	tk := tickets{t, db}
	a, gone, added := newReceiver(t, nil), newReceiver(t, func(string, int) int { return http.StatusBadGateway }), newReceiver(t, nil)
	hookA := config.Webhook{Name: "a", URL: a.URL, Timeout: 5 * time.Second}
	r := start(t, db, hookA, config.Webhook{Name: "gone", URL: gone.URL, Timeout: 5 * time.Second})
	id := tk.create(ticketing.Customer{})
	tk.claim(id, "U1")
	r.d.Notify()
	waitFor(t, "a has both events", func() bool { return len(a.acked()) >= 2 })
	evs, _ := db.WebhookEvents(context.Background(), 0, 10)
	if len(evs) != 2 {
		t.Fatalf("feed = %d rows, want the 2 the failing webhook has not passed", len(evs))
	}
	// a's cursor is saved after its receiver answered: stopped before, a
	// would get the last event again at the next start, and the feed would
	// keep it until then.
	waitFor(t, "a's cursor past both events", func() bool { return value(t, r, "supportd_webhook_cursor", "a") == float64(evs[1].ID) })
	r.stop(t)

	r = start(t, db, hookA, config.Webhook{Name: "added", URL: added.URL, Timeout: 5 * time.Second})
	waitFor(t, "the feed pruned", func() bool {
		evs, err := db.WebhookEvents(context.Background(), 0, 10)
		return err == nil && len(evs) == 0
	})
	tk.note(id, "after the change")
	r.d.Notify()
	waitFor(t, "the new event at both", func() bool { return len(a.acked()) >= 3 && len(added.acked()) >= 1 })
	r.stop(t)
	if got := added.acked(); !slices.Equal(got, []string{id + ":3"}) {
		t.Errorf("the added webhook got %v, want only the event after it was added", got)
	}
	if got := a.acked(); !slices.Equal(got, []string{id + ":1", id + ":2", id + ":3"}) {
		t.Errorf("a got %v", got)
	}
}

// With no webhook configured, Run drops every cursor, empties the feed and
// returns; the feed is then no longer written.
func TestNoWebhooks(t *testing.T) {
	db := openDB(t, dbPath(t))
	defer db.Close()
	if _, err := db.WebhookStart(context.Background(), []string{"old"}, t0); err != nil {
		t.Fatal(err)
	}
	tk := tickets{t, db}
	tk.create(ticketing.Customer{})
	d, err := webhooks.New(webhooks.Options{Store: db})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	tk.create(ticketing.Customer{})
	if evs, err := db.WebhookEvents(context.Background(), 0, 10); err != nil || len(evs) != 0 {
		t.Errorf("feed = %+v %v, want empty", evs, err)
	}
}

var _ webhooks.Store = (*sqlite.DB)(nil)

// flakyAdvance is the database failing to record one acknowledgement, as
// when the process dies between the receiver's 2xx and the cursor's write.
type flakyAdvance struct {
	*sqlite.DB
	failed atomic.Bool
}

func (f *flakyAdvance) WebhookAdvance(ctx context.Context, name string, id int64, at time.Time) error {
	if f.failed.CompareAndSwap(false, true) {
		return errors.New("disk I/O error")
	}
	return f.DB.WebhookAdvance(ctx, name, id, at)
}

// An acknowledgement that could not be recorded makes the event go again,
// with the same delivery id and body, for the receiver to drop: at least
// once, never skipped.
func TestUnrecordedAcknowledgementIsSentAgain(t *testing.T) {
	db := openDB(t, dbPath(t))
	defer db.Close()
	recv := newReceiver(t, nil)
	r := start(t, &flakyAdvance{DB: db}, config.Webhook{Name: "crm", URL: recv.URL, Secret: "k", Timeout: 5 * time.Second})
	tk := tickets{t, db}
	id := tk.create(ticketing.Customer{})
	tk.note(id, "n")
	r.d.Notify()
	waitFor(t, "both events recorded", func() bool { return value(t, r, "supportd_webhook_cursor", "crm") >= 2 })
	got := recv.all()
	if ids := recv.acked(); !slices.Equal(ids, []string{id + ":1", id + ":1", id + ":2"}) {
		t.Fatalf("deliveries = %v, want the first twice", ids)
	}
	if string(got[0].body) != string(got[1].body) || got[0].signature != got[1].signature {
		t.Errorf("the delivery sent again differs:\n%s\n%s", got[0].body, got[1].body)
	}
}
