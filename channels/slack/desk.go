package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	slackapi "github.com/slack-go/slack"
	"golang.org/x/sync/errgroup"

	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/policy"
	"github.com/supportd/supportd/store/sqlite"
)

// DB is what the desk keeps durably; *sqlite.DB implements it
// (store/sqlite/slack.go). Implementations are safe for concurrent use.
type DB interface {
	SlackEnqueue(ctx context.Context, key, kind string, body []byte, at time.Time) (bool, error)
	SlackJobs(ctx context.Context, now time.Time, limit int) ([]sqlite.SlackJob, error)
	SlackJobDone(ctx context.Context, id int64, at time.Time) error
	SlackJobFailed(ctx context.Context, id int64, msg string, next time.Time, final bool) error
	SlackThread(ctx context.Context, ticketID string) (sqlite.SlackThread, bool, error)
	SlackThreadAt(ctx context.Context, channel, ts string) (sqlite.SlackThread, bool, error)
	SlackSaveThread(ctx context.Context, th sqlite.SlackThread) error
	SlackPost(ctx context.Context, key string) (sqlite.SlackPost, bool, error)
	SlackBeginPost(ctx context.Context, p sqlite.SlackPost) error
	SlackPosted(ctx context.Context, key, channel, ts string, at time.Time) error
	SlackMarkDeleted(ctx context.Context, channel, ts string, at time.Time) error
	SlackDeleted(ctx context.Context, channel, ts string) (bool, error)
	SlackMarkEdited(ctx context.Context, channel, ts, editTS, prev, text string, at time.Time) error
	SlackEdited(ctx context.Context, channel, ts string) (sqlite.SlackEdit, bool, error)
	SlackFill(ctx context.Context, channel, ts, call, text string, at time.Time) (string, error)
	SlackFilled(ctx context.Context, channel, ts, call string) (string, bool, error)
	SlackPrune(ctx context.Context, now time.Time, keep time.Duration, batch int) (int, bool, error)
	SlackRelayed(ctx context.Context, conversationID string) (int64, error)
	SlackSetRelayed(ctx context.Context, conversationID string, seq int64) error
	SlackAgent(ctx context.Context, userID string) (sqlite.SlackAgent, bool, error)
	SlackAgentNamed(ctx context.Context, name string) (sqlite.SlackAgent, bool, error)
	SlackAgentByEmail(ctx context.Context, email string) (sqlite.SlackAgent, bool, error)
	SlackSaveAgent(ctx context.Context, a sqlite.SlackAgent) error
}

var _ DB = (*sqlite.DB)(nil)

// Options configure a Desk.
type Options struct {
	// Engine is required: its policy (deadlines in working days, the
	// currency) and its complaint owner are the ones the desk uses, those
	// in force after a reload too.
	Engine *dialog.Engine
	Store  dialog.Store     // required: tickets, conversations, history
	DB     DB               // required: the desk's own tables
	Config config.Slack     // bot_token, channels, ...
	Logger *slog.Logger     // nil: discard
	Now    func() time.Time // the business clock (SLA, "today"); nil: time.Now
	// APIURL is the Slack Web API base URL ("https://slack.com/api/" when
	// empty); tests point it at a local server.
	APIURL string
	// PostInterval paces posting to one channel; default 1s.
	PostInterval time.Duration
	// PollInterval is how often the inbox is polled when no request woke the
	// worker, and how often a failed sync is retried; default 1s.
	PollInterval time.Duration
	// PruneInterval is how often the desk's bookkeeping older than its
	// retention (a week, prune.go) is deleted, by the inbox's worker between
	// deliveries; default 1h.
	PruneInterval time.Duration
	// PingInterval is how long Socket Mode waits for a ping from Slack
	// before it takes the connection for dead; default 30s.
	PingInterval time.Duration
}

// policy returns the policy in force in the engine.
func (d *Desk) policy() *policy.Policy { return d.eng.Policy() }

// Desk is the Slack agent desk. Register its HTTP endpoints, then Run it.
// It is safe for concurrent use.
type Desk struct {
	eng   *dialog.Engine
	store dialog.Store
	db    DB
	cfg   config.Slack // its Agents and SavedReplies as at start: agents() and savedReplies() are those in force
	// agentList is the agent list in force (SetAgents).
	agentList atomic.Pointer[map[string]string]
	// savedList is the saved replies in force (SetSavedReplies).
	savedList atomic.Pointer[map[string]config.SavedReply]
	log       *slog.Logger
	now       func() time.Time
	api       *api
	opts      Options

	wake  chan struct{} // the inbox has work
	dirty chan struct{} // the sync has work

	// When pruning is due next, and the rows pruned in this round: the
	// worker's alone.
	pruneAt time.Time
	pruned  int

	mu      sync.Mutex
	convs   map[string]bool // conversations to relay
	tickets map[string]bool // tickets to sync
}

// New returns a desk and registers it with the engine (OnCommit), which must
// not serve yet.
func New(o Options) (*Desk, error) {
	if o.Engine == nil || o.Store == nil || o.DB == nil {
		return nil, errors.New("slack: engine, store and db are required")
	}
	if o.Config.BotToken == "" {
		return nil, errors.New("slack: channels.slack.bot_token is required")
	}
	if !o.Config.SocketMode && o.Config.SigningSecret == "" {
		return nil, errors.New("slack: channels.slack.signing_secret is required without socket_mode")
	}
	if o.Config.SocketMode && o.Config.AppToken == "" {
		return nil, errors.New("slack: channels.slack.app_token is required with socket_mode")
	}
	switch o.Config.ThreadReplies {
	case "":
		o.Config.ThreadReplies = config.ThreadRepliesCustomer
	case config.ThreadRepliesCustomer, config.ThreadRepliesInternal:
	default:
		return nil, fmt.Errorf("slack: channels.slack.thread_replies: %q is not one of customer, internal", o.Config.ThreadReplies)
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.PostInterval == 0 {
		o.PostInterval = time.Second
	}
	if o.PollInterval == 0 {
		o.PollInterval = time.Second
	}
	if o.PruneInterval == 0 {
		o.PruneInterval = time.Hour
	}
	if o.PingInterval == 0 {
		o.PingInterval = 30 * time.Second
	}
	if o.Config.SLAInterval == 0 {
		o.Config.SLAInterval = time.Minute
	}
	opts := []slackapi.Option{slackapi.OptionHTTPClient(&http.Client{Timeout: 15 * time.Second})}
	if o.APIURL != "" {
		opts = append(opts, slackapi.OptionAPIURL(o.APIURL))
	}
	if o.Config.AppToken != "" {
		opts = append(opts, slackapi.OptionAppLevelToken(o.Config.AppToken))
	}
	d := &Desk{
		eng: o.Engine, store: o.Store, db: o.DB, cfg: o.Config, log: o.Logger, now: o.Now, opts: o,
		api:  newAPI(slackapi.New(o.Config.BotToken, opts...), o.PostInterval, o.Logger),
		wake: make(chan struct{}, 1), dirty: make(chan struct{}, 1),
		convs: map[string]bool{}, tickets: map[string]bool{},
	}
	d.SetAgents(o.Config.Agents)
	d.SetSavedReplies(o.Config.SavedReplies)
	o.Engine.OnCommit(d.committed)
	return d, nil
}

// Mux is where the desk's HTTP endpoints are registered: an
// *http.ServeMux or the server's.
type Mux interface {
	Handle(pattern string, h http.Handler)
}

// Register adds the Events API, interactivity and slash command endpoints.
// With socket_mode they are registered all the same (Slack then sends
// nothing to them).
func (d *Desk) Register(mux Mux) {
	mux.Handle("POST /slack/events", d.verified(d.serveEvents))
	mux.Handle("POST /slack/interactions", d.verified(d.serveInteractions))
	mux.Handle("POST /slack/commands", d.verified(d.serveCommands))
}

// Run processes the inbox, posts escalations and thread messages, checks
// the SLA deadlines and, with socket_mode, holds the Socket Mode connection,
// until ctx ends. It returns nil then, or the first unrecoverable error.
func (d *Desk) Run(ctx context.Context) error {
	mode := "events over HTTP (/slack/events, /slack/interactions, /slack/commands)"
	if d.cfg.SocketMode {
		mode = "Socket Mode"
	}
	d.log.Info("Slack desk running", "mode", mode, "default_channel", d.cfg.DefaultChannel)
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return d.runWorker(ctx) })
	g.Go(func() error { return d.runSync(ctx) })
	g.Go(func() error { return d.runSLA(ctx) })
	if d.cfg.SocketMode {
		g.Go(func() error { return d.runSocket(ctx) })
	}
	return g.Wait()
}

func signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}
