package webhooks

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/errgroup"

	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/store/sqlite"
)

// Store is the durable feed and cursors the dispatcher works on; *sqlite.DB
// implements it (store/sqlite/webhooks.go). Implementations are safe for
// concurrent use.
type Store interface {
	// WebhookStart makes the cursors those of names: a new name starts at
	// the end of the feed, the cursors of other names are dropped. It
	// returns each name's cursor.
	WebhookStart(ctx context.Context, names []string, at time.Time) (map[string]int64, error)
	// WebhookEvents returns up to limit events after the feed number
	// after, in feed order.
	WebhookEvents(ctx context.Context, after int64, limit int) ([]sqlite.WebhookEvent, error)
	// WebhookAdvance moves a cursor forward to id, durably.
	WebhookAdvance(ctx context.Context, name string, id int64, at time.Time) error
	// WebhookPrune deletes up to batch feed rows every cursor has passed;
	// it reports how many and whether there may be more.
	WebhookPrune(ctx context.Context, batch int) (int, bool, error)
}

var _ Store = (*sqlite.DB)(nil)

// Options configure a Dispatcher.
type Options struct {
	Store Store            // required
	Hooks []config.Webhook // the webhooks; none: Run only drops the old cursors and prunes the feed
	// Logger logs failures and recoveries, never customer text; nil: discard.
	Logger *slog.Logger
	// Registry receives the metrics (supportd_webhook_*); nil: none.
	Registry prometheus.Registerer
	// Transport makes the HTTP requests; nil: a clone of
	// http.DefaultTransport.
	Transport http.RoundTripper
	// UserAgent is sent with every delivery; default "supportd".
	UserAgent string
	// PollInterval is how often the feed is read without a Notify, for
	// events committed by another process; default 5s.
	PollInterval time.Duration
	// MinBackoff and MaxBackoff bound the wait before the same event is
	// tried again: it doubles from MinBackoff after each failure, up to
	// MaxBackoff, with jitter. Defaults 1s and 5m.
	MinBackoff, MaxBackoff time.Duration
	// PruneInterval is how often the feed rows every webhook has passed
	// are deleted; default 1m.
	PruneInterval time.Duration
	// Batch is how many events are read from the feed at once; default 100.
	Batch int
	// Now stamps the cursors' updates; nil: time.Now.
	Now func() time.Time
}

// Dispatcher delivers the feed to every webhook. Create it with New, wire
// Notify to the engine's commits, then Run it. It is safe for concurrent
// use.
type Dispatcher struct {
	o     Options
	log   *slog.Logger
	m     *metrics
	hooks []*hook

	mu      sync.Mutex
	started bool // Start made the cursors
}

// New returns a dispatcher for o.Hooks.
func New(o Options) (*Dispatcher, error) {
	if o.Store == nil {
		return nil, errors.New("webhooks: a store is required")
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Transport == nil {
		o.Transport = http.DefaultTransport.(*http.Transport).Clone()
	}
	if o.UserAgent == "" {
		o.UserAgent = "supportd"
	}
	if o.PollInterval <= 0 {
		o.PollInterval = 5 * time.Second
	}
	if o.MinBackoff <= 0 {
		o.MinBackoff = time.Second
	}
	if o.MaxBackoff < o.MinBackoff {
		o.MaxBackoff = max(o.MinBackoff, 5*time.Minute)
	}
	if o.PruneInterval <= 0 {
		o.PruneInterval = time.Minute
	}
	if o.Batch <= 0 {
		o.Batch = 100
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	m, err := newMetrics(o.Registry)
	if err != nil {
		return nil, fmt.Errorf("webhooks metrics: %w", err)
	}
	d := &Dispatcher{o: o, log: o.Logger, m: m}
	seen := map[string]bool{}
	for _, c := range o.Hooks {
		if c.Name == "" || c.URL == "" || seen[c.Name] {
			return nil, fmt.Errorf("webhooks: webhook %q: a unique name and a URL are required", c.Name)
		}
		seen[c.Name] = true
		if c.Timeout <= 0 {
			c.Timeout = 10 * time.Second
		}
		d.hooks = append(d.hooks, newHook(d, c))
	}
	return d, nil
}

// Notify wakes every webhook's worker to read the feed: a turn committed
// ticket events. It does not block.
func (d *Dispatcher) Notify() {
	for _, h := range d.hooks {
		select {
		case h.wake <- struct{}{}:
		default:
		}
	}
}

// Start makes the store's cursors those of the configured webhooks: a
// webhook new to the database receives the events committed from now on,
// and the cursors of webhooks no longer configured are dropped. Call it
// before the engine serves, so that nothing committed after serve started
// is missed by a new webhook; Run calls it when it was not called.
func (d *Dispatcher) Start(ctx context.Context) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.started {
		return nil
	}
	names := make([]string, len(d.hooks))
	for i, h := range d.hooks {
		names[i] = h.cfg.Name
	}
	cursors, err := d.o.Store.WebhookStart(ctx, names, d.o.Now())
	if err != nil {
		return fmt.Errorf("webhooks: %w", err)
	}
	for _, h := range d.hooks {
		h.cursor = cursors[h.cfg.Name]
		d.m.cursor.WithLabelValues(h.cfg.Name).Set(float64(h.cursor))
	}
	d.started = true
	return nil
}

// Run delivers until ctx ends, then returns nil; a delivery in flight is
// abandoned (and made again at the next start). With no webhook it prunes
// the feed and returns.
func (d *Dispatcher) Run(ctx context.Context) error {
	if err := d.Start(ctx); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	if len(d.hooks) == 0 {
		d.prune(ctx)
		return nil
	}
	g, ctx := errgroup.WithContext(ctx)
	for _, h := range d.hooks {
		d.log.Info("webhook delivering", "webhook", h.cfg.Name, "after", h.cursor, "events", eventsLabel(h.cfg.Events))
		g.Go(func() error { return h.run(ctx) })
	}
	g.Go(func() error {
		t := time.NewTicker(d.o.PruneInterval)
		defer t.Stop()
		for {
			d.prune(ctx)
			select {
			case <-ctx.Done():
				return nil
			case <-t.C:
			}
		}
	})
	return g.Wait()
}

// prune deletes the feed rows every webhook has passed, a batch at a time.
func (d *Dispatcher) prune(ctx context.Context) {
	total := 0
	for ctx.Err() == nil {
		n, more, err := d.o.Store.WebhookPrune(ctx, 500)
		total += n
		if err != nil {
			if ctx.Err() == nil {
				d.log.Warn("webhook feed: prune", "err", err)
			}
			break
		}
		if !more {
			break
		}
	}
	if total > 0 {
		d.log.Debug("webhook feed pruned", "rows", total)
	}
}

func eventsLabel(events []string) string {
	if len(events) == 0 {
		return "all"
	}
	return fmt.Sprint(events)
}

// wants reports whether a webhook filtering on events receives action.
func wants(events []string, action string) bool {
	return len(events) == 0 || slices.Contains(events, action)
}

// backoff returns the wait before attempt n+1 after n failures in a row:
// from lo doubling up to hi, the upper half of it at random (jitter), so
// that webhooks failing together do not retry together.
func backoff(n int, lo, hi time.Duration) time.Duration {
	d := lo
	for i := 1; i < n && d < hi; i++ {
		d *= 2
	}
	d = min(d, hi)
	return d/2 + rand.N(d/2+1)
}
