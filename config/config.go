// Package config loads supportd's YAML configuration: the server, storage and
// log settings, the after-sales policy and the channels.
//
// Loading is one pass: parse, expand ${ENV} references in values, reject
// unknown keys, decode, apply defaults, validate. Every problem found is
// reported at once, each with its key path and line:
//
//	policy.products[3].category: unknown category "tv" (supportd.yaml:41)
package config

import (
	_ "embed"
	"strings"
	"time"

	"github.com/supportd/supportd/policy"
	"github.com/supportd/supportd/ticketing"
)

//go:embed default.yaml
var defaultYAML []byte

// DefaultName is the name under which the embedded configuration is reported.
const DefaultName = "embedded default"

// Default returns the embedded configuration: a demo company with a complete
// policy. It is what `supportd serve` runs on without --config.
func Default() []byte { return append([]byte(nil), defaultYAML...) }

// Config is the whole configuration. Every section is optional.
type Config struct {
	Server   Server        `yaml:"server"`
	Storage  Storage       `yaml:"storage"`
	Log      Log           `yaml:"log"`
	Policy   policy.Policy `yaml:"policy"`
	Dialog   Dialog        `yaml:"dialog"`
	Channels Channels      `yaml:"channels"`
	// Webhooks are the outgoing webhooks: every ticket event is posted to
	// each of them, in order, at least once (package webhooks).
	Webhooks []Webhook `yaml:"webhooks"`

	// Source names where the configuration came from: a file path or
	// DefaultName.
	Source string `yaml:"-"`
	// DemoPolicy is true when the file had no policy section and the
	// embedded demo policy was used.
	DemoPolicy bool `yaml:"-"`
}

// Server is the HTTP listener that serves health, metrics and the channels.
type Server struct {
	Addr            string        `yaml:"addr"`             // default 127.0.0.1:8080
	ShutdownTimeout time.Duration `yaml:"shutdown_timeout"` // default 10s
	PublicURL       string        `yaml:"public_url"`       // how customers reach the server, for links
}

// Storage chooses the database.
type Storage struct {
	Driver  string `yaml:"driver"`   // "sqlite" (default)
	DataDir string `yaml:"data_dir"` // default ./data
	// Path is the SQLite file; default <data_dir>/supportd.db.
	Path string `yaml:"path"`
}

// Log configures the process log.
type Log struct {
	Level  string `yaml:"level"`  // debug, info (default), warn, error
	Format string `yaml:"format"` // text (default) or json
}

// Dialog configures the dialog engine: what the bot says and knows.
type Dialog struct {
	// Texts is a YAML file overriding the bot's texts key by key; empty:
	// the embedded texts.
	Texts string `yaml:"texts"`
	// Knowledge is the knowledge base (FAQ and troubleshooting steps);
	// empty: the embedded demo knowledge base.
	Knowledge string `yaml:"knowledge"`
	// TimerInterval is how often due timers (quote expiry) are fired;
	// default 30s.
	TimerInterval time.Duration `yaml:"timer_interval"`
	// ComplaintOwner is the agent every complaint is assigned to when it is
	// filed (§3.5: a named owner records, follows up and handles it); empty:
	// the first agent to claim it.
	ComplaintOwner Owner `yaml:"complaint_owner"`
}

// Owner is an agent named in the configuration: Agent is how they act (the
// email of their Slack account, or the --agent name on the command line),
// Name what customers are told.
type Owner struct {
	Agent string `yaml:"agent"`
	Name  string `yaml:"name"`
}

// AgentName returns the name customers see for an agent known by email (or
// a command-line name), "" when the configuration gives none: the name in
// agents (channels.slack.agents, by email in any case), else owner's when
// the agent is the complaint owner.
func AgentName(agents map[string]string, owner Owner, agent string) string {
	if agent == "" {
		return ""
	}
	for email, name := range agents {
		if strings.EqualFold(email, agent) && strings.TrimSpace(name) != "" {
			return name
		}
	}
	if strings.EqualFold(owner.Agent, agent) {
		return strings.TrimSpace(owner.Name)
	}
	return ""
}

// Channels holds one section per customer or agent channel.
type Channels struct {
	Webchat Webchat `yaml:"webchat"`
	Email   Email   `yaml:"email"`
	Slack   Slack   `yaml:"slack"`
}

// Webchat is the website chat widget over WebSocket (docs/webchat-protocol.md).
// A zero limit means its default (ApplyDefaults).
type Webchat struct {
	Enabled bool `yaml:"enabled"`
	// AllowedOrigins are the sites whose pages may open the chat socket
	// ("https://www.example.com"); "*" allows every origin. The server's own
	// origin is always allowed.
	AllowedOrigins []string `yaml:"allowed_origins"`
	// Secret signs the visitors' resume tokens (at least 32 characters,
	// typically ${WEBCHAT_SECRET}); empty: a random key kept in
	// <data_dir>/webchat.key.
	Secret string `yaml:"secret"`
	// MaxFrameBytes is the largest frame a client may send; a larger one
	// closes the connection with 1009. Default 32 KiB; at least
	// MinFrameBytes, so that every valid message fits.
	MaxFrameBytes int64 `yaml:"max_frame_bytes"`
	// PingInterval is how often the server pings; PongWait how long it waits
	// for any frame or pong before closing with 1011. Defaults 30s and 60s.
	PingInterval time.Duration `yaml:"ping_interval"`
	PongWait     time.Duration `yaml:"pong_wait"`
	// WriteTimeout bounds one write to a client. Default 10s.
	WriteTimeout time.Duration `yaml:"write_timeout"`
	// SendQueue is the number of frames queued for one client; a client
	// that falls further behind is dropped with 1011. Default 64.
	SendQueue int `yaml:"send_queue"`
	// Rate limits the frames a connection and an address send (typing
	// frames aside); excess frames are refused with "rate_limited".
	// Defaults 5/s burst 10 per connection, 20/s burst 40 per address.
	Rate WebchatRates `yaml:"rate"`
	// MaxConnectionsPerAddress bounds the open sockets of one client
	// address (an IPv6 /64); the excess is closed with 1008. Default 20.
	MaxConnectionsPerAddress int `yaml:"max_connections_per_address"`
	// ClientIPHeader names a header set by a reverse proxy in front of
	// supportd with the client's address ("X-Forwarded-For": its last
	// entry, "X-Real-IP"); empty: the peer address. Set it only behind such
	// a proxy: clients can send any header.
	ClientIPHeader string `yaml:"client_ip_header"`
	// UploadMaxBytes is the largest attachment; default 5 MiB.
	UploadMaxBytes int64 `yaml:"upload_max_bytes"`
	// SweepInterval is how often the outbox is checked for messages that
	// reached no open socket (committed by another process). Default 5s.
	SweepInterval time.Duration `yaml:"sweep_interval"`
	// TypingDelay is how long the bot may take to answer before the visitor
	// sees its typing indicator: a quicker answer comes without one, so
	// nothing flickers. 1ms or less shows it at once. Default 300ms.
	TypingDelay time.Duration `yaml:"typing_delay"`
}

// WebchatRates are the web chat's rate limits.
type WebchatRates struct {
	Connection Rate `yaml:"connection"`
	Address    Rate `yaml:"address"`
}

// MinFrameBytes is the smallest max_frame_bytes allowed: the frame of the
// longest valid message, 4000 characters (the web chat protocol's limit) of
// up to 4 bytes each in UTF-8, with its envelope (type, id, ref). A smaller
// limit would close the socket on a message the protocol allows.
const MinFrameBytes = 4000*4 + 1024

// Rate is a token bucket: PerSecond tokens a second, at most Burst saved.
type Rate struct {
	PerSecond float64 `yaml:"per_second"`
	Burst     int     `yaml:"burst"`
}

// ApplyDefaults fills every zero limit with its default.
func (w *Webchat) ApplyDefaults() {
	setDefault(&w.MaxFrameBytes, 32<<10)
	setDefault(&w.PingInterval, 30*time.Second)
	setDefault(&w.PongWait, 60*time.Second)
	setDefault(&w.WriteTimeout, 10*time.Second)
	setDefault(&w.SendQueue, 64)
	setDefault(&w.Rate.Connection.PerSecond, 5)
	setDefault(&w.Rate.Connection.Burst, 10)
	setDefault(&w.Rate.Address.PerSecond, 20)
	setDefault(&w.Rate.Address.Burst, 40)
	setDefault(&w.MaxConnectionsPerAddress, 20)
	setDefault(&w.UploadMaxBytes, 5<<20)
	setDefault(&w.SweepInterval, 5*time.Second)
	setDefault(&w.TypingDelay, 300*time.Millisecond)
}

func setDefault[T int | int64 | float64 | time.Duration](p *T, def T) {
	if *p == 0 {
		*p = def
	}
}

// Email is the support mailbox: IMAP in, SMTP out.
type Email struct {
	Enabled   bool      `yaml:"enabled"`
	Address   string    `yaml:"address"` // the support address customers write to
	IMAP      Endpoint  `yaml:"imap"`
	SMTP      Endpoint  `yaml:"smtp"`
	Mailboxes []Mailbox `yaml:"mailboxes"`

	// IdleRestart is how long one IMAP IDLE runs before it is re-issued
	// (servers drop it after 30 minutes): under 29m, default 25m.
	IdleRestart time.Duration `yaml:"idle_restart"`
	// PollInterval is how often a server without IDLE is asked for new
	// mail. Default 60s.
	PollInterval time.Duration `yaml:"poll_interval"`
	// Watchdog bounds the silence of an IMAP connection: after that long
	// without news it is probed and, if it does not answer within the same
	// time, dropped and reconnected. At most 5m, default 5m.
	Watchdog time.Duration `yaml:"watchdog"`
	// After says what happens to a mail once its turn committed: seen
	// (default: flag it \Seen) or move (to MoveTo).
	After  string `yaml:"after"`
	MoveTo string `yaml:"move_to"`
	// MaxAttachmentBytes bounds one stored attachment; larger ones are
	// skipped. Default 10 MiB. MaxMessageBytes bounds a whole mail; a
	// larger one is quarantined unread. Default 25 MiB.
	MaxAttachmentBytes int64 `yaml:"max_attachment_bytes"`
	MaxMessageBytes    int64 `yaml:"max_message_bytes"`
	// MaxAttempts bounds the attempts at a mail whose processing fails
	// before it is quarantined. Default 3.
	MaxAttempts int `yaml:"max_attempts"`
	// MaxAutoRepliesPerDay bounds the automatic replies to one sender in 24
	// hours (agents' replies do not count). Default 20: a whole repair by email takes about 4.
	MaxAutoRepliesPerDay int `yaml:"max_auto_replies_per_day"`
	// FromName is the display name of outgoing mail; default "Support".
	FromName string `yaml:"from_name"`
	// MessageIDDomain is the right-hand side of our Message-IDs; default
	// the support address's domain.
	MessageIDDomain string `yaml:"message_id_domain"`
	// FetchBatch is how many mails one UID FETCH asks for. Default 50.
	FetchBatch int `yaml:"fetch_batch"`
	// ContinueChats says whether a web chat handed to a person invites the
	// visitor to leave an email address, so that replies the visitor did
	// not stay for go by email. Default true (with the web chat on).
	ContinueChats *bool `yaml:"continue_chats"`
	// ContinueChatsAfter is how long a reply waits unread in a web chat
	// whose customer left an email address before it is sent by email
	// instead; the chat then continues by email. Default 10m.
	ContinueChatsAfter time.Duration `yaml:"continue_chats_after"`
}

// ApplyDefaults fills every zero email setting with its default.
func (e *Email) ApplyDefaults() {
	setDefault(&e.IdleRestart, 25*time.Minute)
	setDefault(&e.PollInterval, 60*time.Second)
	setDefault(&e.Watchdog, 5*time.Minute)
	setDefault(&e.MaxAttachmentBytes, 10<<20)
	setDefault(&e.MaxMessageBytes, 25<<20)
	setDefault(&e.MaxAttempts, 3)
	setDefault(&e.MaxAutoRepliesPerDay, 20) // a repair by email takes about 4 replies
	setDefault(&e.FetchBatch, 50)
	setDefault(&e.ContinueChatsAfter, 10*time.Minute)
	if e.ContinueChats == nil {
		on := true
		e.ContinueChats = &on
	}
	if e.After == "" {
		e.After = "seen"
	}
	if e.FromName == "" {
		e.FromName = "Support"
	}
	if e.MessageIDDomain == "" {
		if i := strings.LastIndexByte(e.Address, '@'); i >= 0 {
			e.MessageIDDomain = strings.TrimRight(strings.TrimSpace(e.Address[i+1:]), ">")
		}
	}
}

// Endpoint is a mail server connection.
type Endpoint struct {
	Host     string `yaml:"host"`
	Port     int    `yaml:"port"`
	Username string `yaml:"username"`
	Password string `yaml:"password"`
	TLS      string `yaml:"tls"` // starttls (default), implicit, none
}

// Mailbox is one IMAP folder read by the gateway.
type Mailbox struct {
	Name string `yaml:"name"` // e.g. INBOX
	Kind string `yaml:"kind"` // ticket kind for new mail, e.g. complaint; default: decided by the dialog
}

// Slack is the agent desk.
type Slack struct {
	Enabled        bool   `yaml:"enabled"`
	BotToken       string `yaml:"bot_token"`
	SigningSecret  string `yaml:"signing_secret"`
	AppToken       string `yaml:"app_token"`
	SocketMode     bool   `yaml:"socket_mode"`
	DefaultChannel string `yaml:"default_channel"`
	// Channels routes escalations: ticket kind → Slack channel, and
	// "KIND/CATEGORY" (a policy category id) → the channel of that kind's
	// tickets about products of that category, before the kind's own.
	Channels map[string]string `yaml:"channels"`
	// Agents maps a Slack user's email address to the name customers see
	// for that agent; when it is set, only these users act on tickets.
	// Empty: every workspace member with an email may act, under their
	// Slack name.
	Agents map[string]string `yaml:"agents"`
	// SLAInterval is how often the SLA deadlines of open tickets are
	// checked for warnings (80% of the business hours to a deadline gone, and breach). Default 1m.
	SLAInterval time.Duration `yaml:"sla_interval"`
	// ThreadReplies says where the assignee's replies in a ticket's thread
	// go: ThreadRepliesCustomer (the default) sends them to the customer
	// unless they begin with note: (internal:, 备注:, 内部:) or a mention;
	// ThreadRepliesInternal keeps them as internal notes unless they begin
	// with reply: (customer:, 回复:, 客户:). In both, the Send to customer
	// message shortcut sends one reply.
	ThreadReplies string `yaml:"thread_replies"`
	// SavedReplies are the agents' saved replies by name (1 to 40 of a-z,
	// 0-9, _ and -): the assignee writes `!NAME` in a ticket's thread and
	// the customer gets the reply in the conversation's language, its
	// placeholders filled (SavedReply.Text).
	SavedReplies map[string]SavedReply `yaml:"saved_replies"`
}

// Webhook is one outgoing webhook: a company's CRM or ERP that receives
// every ticket event (or those of the actions in Events) as a signed JSON
// POST.
type Webhook struct {
	// Name identifies the webhook in logs and metrics and keeps its place
	// in the feed: renaming it makes it a new webhook, which starts with
	// the events committed from then on.
	Name string `yaml:"name"`
	// URL receives the deliveries: http or https.
	URL string `yaml:"url"`
	// Secret is the HMAC-SHA256 key of the X-Supportd-Signature header
	// (usually "${WEBHOOK_SECRET}"); empty when the key is left out: the
	// deliveries are not signed.
	Secret string `yaml:"secret"`
	// Events are the ticket actions delivered (WebhookEvents); empty: all.
	Events []string `yaml:"events"`
	// Timeout bounds one delivery, connection included; default 10s.
	Timeout time.Duration `yaml:"timeout"`
}

// WebhookEvents are the ticket actions a webhook may filter on: the
// actions of the audit log's events.
var WebhookEvents = []string{ticketing.ActionCreated, ticketing.ActionUpdated, ticketing.ActionComment}

// The values of channels.slack.thread_replies.
const (
	ThreadRepliesCustomer = "customer"
	ThreadRepliesInternal = "internal"
)

// applyDefaults fills every zero setting with its default.
func (c *Config) applyDefaults() {
	if c.Server.Addr == "" {
		c.Server.Addr = "127.0.0.1:8080"
	}
	if c.Server.ShutdownTimeout == 0 {
		c.Server.ShutdownTimeout = 10 * time.Second
	}
	if c.Storage.Driver == "" {
		c.Storage.Driver = "sqlite"
	}
	if c.Storage.DataDir == "" {
		c.Storage.DataDir = "data"
	}
	if c.Dialog.TimerInterval == 0 {
		c.Dialog.TimerInterval = 30 * time.Second
	}
	if c.Log.Level == "" {
		c.Log.Level = "info"
	}
	if c.Log.Format == "" {
		c.Log.Format = "text"
	}
	for _, e := range []*Endpoint{&c.Channels.Email.IMAP, &c.Channels.Email.SMTP} {
		if e.TLS == "" {
			e.TLS = "starttls"
		}
	}
	if c.Channels.Email.IMAP.Port == 0 && c.Channels.Email.IMAP.Host != "" {
		c.Channels.Email.IMAP.Port = map[string]int{"implicit": 993}[c.Channels.Email.IMAP.TLS]
		if c.Channels.Email.IMAP.Port == 0 {
			c.Channels.Email.IMAP.Port = 143
		}
	}
	if c.Channels.Email.SMTP.Port == 0 && c.Channels.Email.SMTP.Host != "" {
		c.Channels.Email.SMTP.Port = map[string]int{"implicit": 465}[c.Channels.Email.SMTP.TLS]
		if c.Channels.Email.SMTP.Port == 0 {
			c.Channels.Email.SMTP.Port = 587
		}
	}
	c.Channels.Webchat.ApplyDefaults()
	for i := range c.Webhooks {
		setDefault(&c.Webhooks[i].Timeout, 10*time.Second)
	}
	setDefault(&c.Channels.Slack.SLAInterval, time.Minute)
	if c.Channels.Slack.ThreadReplies == "" {
		c.Channels.Slack.ThreadReplies = ThreadRepliesCustomer
	}
	c.Channels.Email.ApplyDefaults()
	if len(c.Channels.Email.Mailboxes) == 0 {
		c.Channels.Email.Mailboxes = []Mailbox{{Name: "INBOX"}}
	}
	c.Policy.Index()
}

// DatabasePath returns the SQLite file the configuration names.
func (c *Config) DatabasePath() string {
	if c.Storage.Path != "" {
		return c.Storage.Path
	}
	return joinPath(c.Storage.DataDir, "supportd.db")
}
