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
	"time"

	"github.com/supportd/supportd/policy"
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
	Channels Channels      `yaml:"channels"`

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

// Channels holds one section per customer or agent channel.
type Channels struct {
	Webchat Webchat `yaml:"webchat"`
	Email   Email   `yaml:"email"`
	Slack   Slack   `yaml:"slack"`
}

// Webchat is the website chat widget over WebSocket.
type Webchat struct {
	Enabled        bool     `yaml:"enabled"`
	AllowedOrigins []string `yaml:"allowed_origins"`
}

// Email is the support mailbox: IMAP in, SMTP out.
type Email struct {
	Enabled   bool      `yaml:"enabled"`
	Address   string    `yaml:"address"` // the support address customers write to
	IMAP      Endpoint  `yaml:"imap"`
	SMTP      Endpoint  `yaml:"smtp"`
	Mailboxes []Mailbox `yaml:"mailboxes"`
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
	Enabled        bool              `yaml:"enabled"`
	BotToken       string            `yaml:"bot_token"`
	SigningSecret  string            `yaml:"signing_secret"`
	AppToken       string            `yaml:"app_token"`
	SocketMode     bool              `yaml:"socket_mode"`
	DefaultChannel string            `yaml:"default_channel"`
	Channels       map[string]string `yaml:"channels"` // ticket kind → Slack channel
}

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
	if len(c.Channels.Email.Mailboxes) == 0 {
		c.Channels.Email.Mailboxes = []Mailbox{{Name: "INBOX"}}
	}
	c.Policy.ApplyDefaults()
}

// DatabasePath returns the SQLite file the configuration names.
func (c *Config) DatabasePath() string {
	if c.Storage.Path != "" {
		return c.Storage.Path
	}
	return joinPath(c.Storage.DataDir, "supportd.db")
}
