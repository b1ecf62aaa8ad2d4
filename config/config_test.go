package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func noEnv(string) (string, bool) { return "", false }

func TestDefaultConfiguration(t *testing.T) {
	cfg, err := Load("")
	if err != nil {
		t.Fatalf("embedded default does not load: %v", err)
	}
	if cfg.DemoPolicy {
		t.Error("the embedded default has its own policy section")
	}
	p := &cfg.Policy
	if got := len(p.Categories); got < 3 {
		t.Errorf("categories = %d, want the standard's three at least", got)
	}
	if got := len(p.Products); got < 10 {
		t.Errorf("products = %d, want at least 10", got)
	}
	for _, pr := range p.Products {
		if pr.Price <= 0 {
			t.Errorf("product %s has no price", pr.Model)
		}
	}
	if cfg.Server.Addr != "127.0.0.1:8080" || cfg.Server.ShutdownTimeout != 10*time.Second {
		t.Errorf("server = %+v", cfg.Server)
	}
	if got, want := cfg.DatabasePath(), filepath.Join(AbsPath("data"), "supportd.db"); got != want || !filepath.IsAbs(got) {
		t.Errorf("database path = %q, want %q", got, want)
	}
	if !cfg.Channels.Webchat.Enabled || cfg.Channels.Email.Enabled || cfg.Channels.Slack.Enabled {
		t.Errorf("channels = %+v, want web chat only", cfg.Channels)
	}
	// National Day 2026 and its make-up Saturday come from the embedded calendar.
	cases := map[string]bool{"2026-10-01": false, "2026-10-09": true, "2026-10-10": true, "2026-10-11": false}
	for d, want := range cases {
		if got := p.IsWorkingDay(mustDate(t, d)); got != want {
			t.Errorf("IsWorkingDay(%s) = %v, want %v", d, got, want)
		}
	}
}

func TestEmptyFileUsesDefaults(t *testing.T) {
	for _, src := range []string{"", "# nothing here\n", "---\n"} {
		cfg, err := Parse("supportd.yaml", []byte(src), noEnv)
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		if !cfg.DemoPolicy || len(cfg.Policy.Products) == 0 {
			t.Errorf("%q: no policy section should give the demo policy", src)
		}
		if cfg.Storage.Driver != "sqlite" || cfg.Log.Level != "info" || cfg.Server.Addr != "127.0.0.1:8080" {
			t.Errorf("%q: defaults not applied: %+v %+v %+v", src, cfg.Storage, cfg.Log, cfg.Server)
		}
	}
}

func TestOwnPolicyIsNotMerged(t *testing.T) {
	src := `
policy:
  categories:
    - id: tv
      name: {zh: 电视, en: TV}
      warranty_months: 24
  products:
    - model: A1
      category: tv
      price: 100
`
	cfg, err := Parse("supportd.yaml", []byte(src), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	p := &cfg.Policy
	if cfg.DemoPolicy || len(p.Products) != 1 || len(p.Categories) != 1 {
		t.Fatalf("policy = %d products, %d categories; want the file's own 1 and 1", len(p.Products), len(p.Categories))
	}
	if p.Timezone != "Asia/Shanghai" || p.Returns.ReturnDays != 7 || p.Returns.ExchangeDays != 15 {
		t.Errorf("policy defaults not applied: tz %q returns %+v", p.Timezone, p.Returns)
	}
}

func TestEnvironmentExpansion(t *testing.T) {
	src := `
channels:
  slack:
    enabled: true
    bot_token: ${SLACK_BOT_TOKEN}
    signing_secret: "${SLACK_SIGNING_SECRET}"
    default_channel: "#support"
  email:
    imap:
      host: imap.example.com
      port: ${IMAP_PORT}
      password: "p$ss${NOPE}"
`
	env := map[string]string{"SLACK_BOT_TOKEN": "xoxb-123", "SLACK_SIGNING_SECRET": "s3cret", "IMAP_PORT": "1993"}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }

	_, err := Parse("supportd.yaml", []byte(src), lookup)
	wantProblems(t, err, "channels.email.imap.password: environment variable NOPE is not set (supportd.yaml:12)")

	env["NOPE"] = "!"
	cfg, err := Parse("supportd.yaml", []byte(src), lookup)
	if err != nil {
		t.Fatal(err)
	}
	s := cfg.Channels.Slack
	if s.BotToken != "xoxb-123" || s.SigningSecret != "s3cret" {
		t.Errorf("slack = %+v", s)
	}
	if cfg.Channels.Email.IMAP.Port != 1993 {
		t.Errorf("imap port = %d, want 1993 (expanded and decoded as a number)", cfg.Channels.Email.IMAP.Port)
	}
	if cfg.Channels.Email.IMAP.Password != "p$ss!" {
		t.Errorf("password = %q: a bare $ must stay as it is", cfg.Channels.Email.IMAP.Password)
	}
}

func TestProblems(t *testing.T) {
	cases := []struct {
		name string
		src  string
		want []string
	}{
		{"unknown key with suggestion", "server:\n  adr: 1.2.3.4:80\n",
			[]string{`server.adr: unknown key (did you mean "addr"?) (supportd.yaml:2)`}},
		{"unknown section", "slack:\n  enabled: true\n",
			[]string{`slack: unknown key (known keys: channels, dialog, log, policy, server, storage, webhooks) (supportd.yaml:1)`}},
		{"unknown key deep in a list", "policy:\n  products:\n    - model: X\n      categry: tv\n",
			[]string{`policy.products[0].categry: unknown key (did you mean "category"?) (supportd.yaml:4)`}},
		{"wrong type", "server:\n  shutdown_timeout: soon\n",
			[]string{`server.shutdown_timeout:`, `(supportd.yaml:2)`}},
		{"bad port", "channels:\n  email:\n    imap:\n      host: mail\n      port: 70000\n",
			[]string{`channels.email.imap.port: must be 1-65535 (supportd.yaml:5)`}},
		{"email enabled without servers", "channels:\n  email:\n    enabled: true\n    address: help@example.com\n",
			[]string{`channels.email.imap.host: required when the email channel is enabled (supportd.yaml:2)`,
				`channels.email.smtp.host: required when the email channel is enabled (supportd.yaml:2)`}},
		{"slack without tokens", "channels:\n  slack:\n    enabled: true\n",
			[]string{`channels.slack.bot_token: required`, `channels.slack.signing_secret: required`, `channels.slack.default_channel: required`}},
		{"slack channel for unknown kind", "channels:\n  slack:\n    channels: {refund: '#x'}\n",
			[]string{`channels.slack.channels.refund: unknown ticket kind "refund"`}},
		{"bad origin", "channels:\n  webchat:\n    allowed_origins: [\"https://shop.example.com\", \"shop.example.com\"]\n",
			[]string{`channels.webchat.allowed_origins[1]: "shop.example.com" is not an origin`}},
		{"bad listen address", "server:\n  addr: localhost\n",
			[]string{`server.addr: "localhost" is not host:port (supportd.yaml:2)`}},
		{"postgres not yet", "storage:\n  driver: postgres\n",
			[]string{`storage.driver: "postgres" is not supported yet`}},
		{"dialog files", "dialog:\n  texts: /nonexistent/texts.yaml\n  timer_interval: 10ms\n",
			[]string{`dialog.texts: cannot read "/nonexistent/texts.yaml": no such file or directory (supportd.yaml:2)`, `dialog.timer_interval: must be at least 1s (supportd.yaml:3)`}},
		{"consumable with an unknown language", "policy:\n  categories:\n    - {id: home, name: {zh: 家电, en: Home}, warranty_months: 12}\n  products:\n    - {model: A, category: home, price: 1, consumables: [{zh: 电池, fr: pile}]}\n",
			[]string{`unknown key "fr" (want zh, en)`, `(supportd.yaml:5)`}},
		{"complaint owner not an agent", "dialog:\n  complaint_owner: {agent: Wang.Fang@example.com, name: 王芳}\nchannels:\n  slack:\n    enabled: true\n    bot_token: xoxb-1\n    signing_secret: s\n    default_channel: C1\n    agents: {frank@example.com: Frank}\n",
			[]string{`dialog.complaint_owner.agent: Wang.Fang@example.com is not in channels.slack.agents`}},
		{"complaint owner named otherwise on the agent list", "dialog:\n  complaint_owner: {agent: Wang.Fang@example.com, name: 王芳}\nchannels:\n  slack:\n    enabled: true\n    bot_token: xoxb-1\n    signing_secret: s\n    default_channel: C1\n    agents: {wang.fang@example.com: Fang Wang}\n",
			[]string{`dialog.complaint_owner.name: "王芳" is not the name channels.slack.agents gives wang.fang@example.com ("Fang Wang")`, `(supportd.yaml:2)`}},
		{"complaint owner without a name", "dialog:\n  complaint_owner: {agent: wang.fang@example.com}\n",
			[]string{`dialog.complaint_owner: needs both agent`}},
		{"log level", "log: {level: loud}\n",
			[]string{`log.level: "loud" is not one of debug, info, warn, error (supportd.yaml:1)`}},
		{"not a mapping", "- a\n- b\n",
			[]string{`the configuration must be a mapping of sections`}},
		{"broken yaml", "server:\n  addr: [\n",
			[]string{`not valid YAML`}},
		{"lunch break outside the hours", "policy:\n  calendar:\n    hours:\n      start: \"09:00\"\n      end: \"18:00\"\n      breaks:\n        - {start: \"12:00\", end: \"13:30\"}\n        - {start: \"17:30\", end: \"19:00\"}\n",
			[]string{`policy.calendar.hours.breaks[1]: 17:30–19:00 is not inside the business hours 09:00–18:00 (supportd.yaml:8)`}},
		{"bad date in the calendar", "policy:\n  calendar:\n    holidays: [2026-13-01]\n",
			[]string{`policy.calendar.holidays[0]:`, `2026-13-01`, `(supportd.yaml:3)`}},
		{"unknown category", `
policy:
  categories:
    - {id: home, name: {zh: 家电, en: Home}, warranty_months: 12}
  products:
    - {model: A, category: home, price: 1}
    - {model: B, category: tv, price: 1}
`, []string{`policy.products[1].category: unknown category "tv" (known: home) (supportd.yaml:7)`}},
		{"holiday that is also a workday", `
policy:
  calendar:
    holidays: [2026-10-01, 2026-10-10]
    workdays: [2026-09-20, 2026-10-10]
  categories:
    - {id: home, name: {zh: 家电, en: Home}, warranty_months: 12}
`, []string{`policy.calendar.workdays[1]:`, `2026-10-10`, `(supportd.yaml:5)`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("/etc/supportd/supportd.yaml", []byte(tc.src), noEnv)
			wantProblems(t, err, tc.want...)
		})
	}
}

func TestEveryProblemIsReported(t *testing.T) {
	src := "server:\n  addr: nope\nlog:\n  level: loud\n  format: xml\n"
	_, err := Parse("supportd.yaml", []byte(src), noEnv)
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want *Error", err)
	}
	if len(ce.Problems) != 3 {
		t.Fatalf("problems = %v, want 3", ce.Problems)
	}
	for i, wantLine := range []int{2, 4, 5} {
		if ce.Problems[i].Line != wantLine {
			t.Errorf("problem %d line = %d, want %d (sorted by line)", i, ce.Problems[i].Line, wantLine)
		}
	}
	if !errors.Is(err, ErrInvalid) {
		t.Error("errors.Is(err, ErrInvalid) = false")
	}
}

func TestLoadFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "supportd.yaml")
	if err := os.WriteFile(path, []byte("storage:\n  data_dir: /var/lib/supportd\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Source != path || cfg.DatabasePath() != "/var/lib/supportd/supportd.db" {
		t.Errorf("source %q database %q", cfg.Source, cfg.DatabasePath())
	}
	if _, err := Load(filepath.Join(dir, "missing.yaml")); err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: err = %v, want not-exist", err)
	}
}

// wantProblems asserts that err is a configuration error whose text contains
// each of the fragments.
func wantProblems(t *testing.T, err error, fragments ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %q", fragments)
	}
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("err = %v, want a configuration error", err)
	}
	for _, f := range fragments {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("error:\n%v\nwant it to contain %q", err, f)
		}
	}
}

func TestWebchatDefaults(t *testing.T) {
	cfg, err := Parse("supportd.yaml", []byte("channels:\n  webchat:\n    enabled: true\n"), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	w := cfg.Channels.Webchat
	want := Webchat{
		Enabled: true, MaxFrameBytes: 32768, PingInterval: 30 * time.Second, PongWait: 60 * time.Second,
		WriteTimeout: 10 * time.Second, SendQueue: 64,
		Rate:                     WebchatRates{Connection: Rate{PerSecond: 5, Burst: 10}, Address: Rate{PerSecond: 20, Burst: 40}},
		MaxConnectionsPerAddress: 20, UploadMaxBytes: 5 << 20, SweepInterval: 5 * time.Second, TypingDelay: 300 * time.Millisecond,
	}
	if !reflect.DeepEqual(w, want) {
		t.Errorf("webchat defaults\n got %+v\nwant %+v", w, want)
	}
	// A zero Webchat (a channel built in code) gets the same defaults.
	var zero Webchat
	zero.Enabled = true
	zero.ApplyDefaults()
	if !reflect.DeepEqual(zero, want) {
		t.Errorf("ApplyDefaults\n got %+v\nwant %+v", zero, want)
	}
}

func TestWebchatSettings(t *testing.T) {
	src := `
channels:
  webchat:
    allowed_origins: ["*"]
    secret: ${WEBCHAT_SECRET}
    max_frame_bytes: 20000
    ping_interval: 20s
    pong_wait: 45s
    write_timeout: 5s
    send_queue: 32
    rate:
      connection: {per_second: 2.5, burst: 5}
      address: {per_second: 50, burst: 100}
    max_connections_per_address: 200
    client_ip_header: X-Forwarded-For
    upload_max_bytes: 1048576
    sweep_interval: 2s
    typing_delay: 1s
`
	secret := strings.Repeat("k", 40)
	cfg, err := Parse("supportd.yaml", []byte(src), func(k string) (string, bool) { return secret, k == "WEBCHAT_SECRET" })
	if err != nil {
		t.Fatal(err)
	}
	w := cfg.Channels.Webchat
	want := Webchat{
		Enabled: true, AllowedOrigins: []string{"*"}, Secret: secret, MaxFrameBytes: 20000, PingInterval: 20 * time.Second,
		PongWait: 45 * time.Second, WriteTimeout: 5 * time.Second, SendQueue: 32,
		Rate:                     WebchatRates{Connection: Rate{PerSecond: 2.5, Burst: 5}, Address: Rate{PerSecond: 50, Burst: 100}},
		MaxConnectionsPerAddress: 200, ClientIPHeader: "X-Forwarded-For", UploadMaxBytes: 1 << 20, SweepInterval: 2 * time.Second,
		TypingDelay: time.Second,
	}
	if !reflect.DeepEqual(w, want) {
		t.Errorf("webchat\n got %+v\nwant %+v", w, want)
	}
}

func TestWebchatProblems(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"short secret", "secret: tooshort", "channels.webchat.secret: must be at least 32 characters (or empty for a generated key) (supportd.yaml:4)"},
		{"tiny frames", "max_frame_bytes: 100", "channels.webchat.max_frame_bytes: must be 17024 to 1048576 (a message of 4000 characters must fit) (supportd.yaml:4)"},
		{"frames too small for a long message", "max_frame_bytes: 8192", "channels.webchat.max_frame_bytes: must be 17024 to 1048576 (a message of 4000 characters must fit) (supportd.yaml:4)"},
		{"pong before ping", "ping_interval: 30s\n    pong_wait: 10s", "channels.webchat.pong_wait: must be longer than ping_interval (30s) (supportd.yaml:5)"},
		{"negative queue", "send_queue: -1", "channels.webchat.send_queue: must be 1 to 100000 frames (supportd.yaml:4)"},
		{"negative rate", "rate: {connection: {per_second: -1}}", "channels.webchat.rate.connection.per_second: must be positive (supportd.yaml:4)"},
		{"negative burst", "rate: {address: {burst: -3}}", "channels.webchat.rate.address.burst: must be at least 1 (supportd.yaml:4)"},
		{"negative connections", "max_connections_per_address: -5", "channels.webchat.max_connections_per_address: must be at least 1 (supportd.yaml:4)"},
		{"bad header", `client_ip_header: "X Forwarded"`, `channels.webchat.client_ip_header: "X Forwarded" is not a header name (supportd.yaml:4)`},
		{"huge uploads", "upload_max_bytes: 1000000000", "channels.webchat.upload_max_bytes: must be 1024 to 104857600 (supportd.yaml:4)"},
		{"fast sweep", "sweep_interval: 1ms", "channels.webchat.sweep_interval: must be at least 10ms (supportd.yaml:4)"},
		{"slow typing", "typing_delay: 1m", "channels.webchat.typing_delay: must be 0 to 10s (supportd.yaml:4)"},
		{"negative typing", "typing_delay: -1s", "channels.webchat.typing_delay: must be 0 to 10s (supportd.yaml:4)"},
		{"negative write timeout", "write_timeout: -1s", "channels.webchat.write_timeout: must be at least 10ms (supportd.yaml:4)"},
		{"unknown key", "max_frame_byte: 10", `channels.webchat.max_frame_byte: unknown key (did you mean "max_frame_bytes"?) (supportd.yaml:4)`},
		{"unknown rate key", "rate: {connection: {per_minute: 1}}", `channels.webchat.rate.connection.per_minute: unknown key`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := "channels:\n  webchat:\n    enabled: true\n    " + tc.src + "\n"
			_, err := Parse("/etc/supportd/supportd.yaml", []byte(src), noEnv)
			wantProblems(t, err, tc.want)
		})
	}
}

// emailYAML is an enabled email channel; extra lines go at its level.
const emailYAML = "channels:\n  email:\n    enabled: true\n    address: service@shop.example\n    imap: {host: imap.shop.example}\n    smtp: {host: smtp.shop.example}\n"

func TestEmailDefaults(t *testing.T) {
	cfg, err := Parse("supportd.yaml", []byte(emailYAML), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	e := cfg.Channels.Email
	if e.IdleRestart != 25*time.Minute || e.PollInterval != 60*time.Second || e.Watchdog != 5*time.Minute {
		t.Errorf("timers = %s %s %s", e.IdleRestart, e.PollInterval, e.Watchdog)
	}
	if e.After != "seen" || e.MaxAttachmentBytes != 10<<20 || e.MaxMessageBytes != 25<<20 || e.MaxAttempts != 3 ||
		e.MaxAutoRepliesPerDay != 20 || e.FromName != "Support" || e.MessageIDDomain != "shop.example" || e.FetchBatch != 50 || e.ContinueChatsAfter != 10*time.Minute ||
		e.ContinueChats == nil || !*e.ContinueChats {
		t.Errorf("email = %+v", e)
	}
	off, err := Parse("supportd.yaml", []byte(emailYAML+"    continue_chats: false\n"), noEnv)
	if err != nil || *off.Channels.Email.ContinueChats {
		t.Errorf("continue_chats: false read as %v (%v)", off.Channels.Email.ContinueChats, err)
	}
	if e.IMAP.Port != 143 || e.SMTP.Port != 587 || len(e.Mailboxes) != 1 || e.Mailboxes[0].Name != "INBOX" {
		t.Errorf("endpoints = %+v %+v %+v", e.IMAP, e.SMTP, e.Mailboxes)
	}
}

func TestEmailProblems(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"idle restart too long", "idle_restart: 29m", "channels.email.idle_restart: must be at least 10ms and under 29m (servers end IDLE after 30 minutes) (supportd.yaml:7)"},
		{"idle restart negative", "idle_restart: -1s", "channels.email.idle_restart: must be at least 10ms and under 29m"},
		{"poll interval", "poll_interval: 1ms", "channels.email.poll_interval: must be at least 10ms (supportd.yaml:7)"},
		{"watchdog too long", "watchdog: 6m", "channels.email.watchdog: must be 10ms to 5m (supportd.yaml:7)"},
		{"after", "after: delete", `channels.email.after: "delete" is not one of seen, move (supportd.yaml:7)`},
		{"move without folder", "after: move", `channels.email.move_to: required when after is "move": the folder handled mail goes to`},
		{"attachment limit", "max_attachment_bytes: 10", "channels.email.max_attachment_bytes: must be 1024 to 104857600 (supportd.yaml:7)"},
		{"message limit", "max_message_bytes: 2048", "channels.email.max_message_bytes: must be at least max_attachment_bytes (10485760) and at most 209715200 (supportd.yaml:7)"},
		{"attempts", "max_attempts: 1000", "channels.email.max_attempts: must be 1 to 100 (supportd.yaml:7)"},
		{"auto replies", "max_auto_replies_per_day: -1", "channels.email.max_auto_replies_per_day: must be 1 to 1000 (supportd.yaml:7)"},
		{"fetch batch", "fetch_batch: 5000", "channels.email.fetch_batch: must be 1 to 1000 (supportd.yaml:7)"},
		{"continue chats", "continue_chats: sometimes", "channels.email.continue_chats"},
		{"continue chats after", "continue_chats_after: 9000h", "channels.email.continue_chats_after: must be 10ms to 168h (supportd.yaml:7)"},
		{"from name", `from_name: "Support\r\nBcc: x@y"`, "channels.email.from_name: must not contain control characters (supportd.yaml:7)"},
		{"message id domain", `message_id_domain: "shop example"`, `channels.email.message_id_domain: "shop example" is not a domain name (supportd.yaml:7)`},
		{"unknown key", "idle_restrat: 1m", `channels.email.idle_restrat: unknown key (did you mean "idle_restart"?) (supportd.yaml:7)`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("supportd.yaml", []byte(emailYAML+"    "+tc.src+"\n"), noEnv)
			wantProblems(t, err, tc.want)
		})
	}
}

// The web chat is on by default also in a file that does not mention it;
// "enabled: false" turns it off.
func TestWebchatOnByDefault(t *testing.T) {
	for yml, want := range map[string]bool{
		"server:\n  addr: 127.0.0.1:18090\n":                                       true,
		"channels:\n  webchat:\n    allowed_origins: [https://shop.example.com]\n": true,
		"channels:\n  webchat:\n    enabled: false\n":                              false,
	} {
		cfg, err := Parse("c.yaml", []byte(yml), func(string) (string, bool) { return "", false })
		if err != nil {
			t.Fatalf("%q: %v", yml, err)
		}
		if cfg.Channels.Webchat.Enabled != want {
			t.Errorf("%q: webchat enabled %v, want %v", yml, cfg.Channels.Webchat.Enabled, want)
		}
	}
}

// A value of the wrong type and broken YAML are said in the operator's
// words, with the file and the line.
func TestDecodeProblemsPlain(t *testing.T) {
	cases := map[string]string{
		"server:\n  shutdown_timeout: ten\n": `server.shutdown_timeout: "ten": want a duration such as 10s or 5m (c.yaml:2)`,
		"server:\n  addr: [1, 2\n":           `not valid YAML: `,
	}
	for yml, want := range cases {
		_, err := Parse("c.yaml", []byte(yml), func(string) (string, bool) { return "", false })
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "(c.yaml:") {
			t.Errorf("%q: %v; want %q with the file and line", yml, err, want)
		}
	}
}

// TestComplaintOwnerOnTheAgentList: a complaint owner on channels.slack.agents
// (in any case) is accepted, as is one when there is no agent list (anyone
// in the channel may act then); only one missing from a list is refused.
func TestComplaintOwnerOnTheAgentList(t *testing.T) {
	slack := "channels:\n  slack:\n    enabled: true\n    bot_token: xoxb-1\n    signing_secret: s\n    default_channel: C1\n"
	for _, src := range []string{
		"dialog:\n  complaint_owner: {agent: Wang.Fang@Example.com, name: 王芳}\n" + slack + "    agents: {wang.fang@example.com: 王芳, frank@example.com: Frank}\n",
		"dialog:\n  complaint_owner: {agent: wang.fang@example.com, name: 王芳}\n" + slack,
	} {
		cfg, err := Parse("supportd.yaml", []byte(src), noEnv)
		if err != nil {
			t.Errorf("%s: %v", src, err)
			continue
		}
		if cfg.Dialog.ComplaintOwner.Name != "王芳" {
			t.Errorf("complaint owner %+v", cfg.Dialog.ComplaintOwner)
		}
	}
}

func TestAgentName(t *testing.T) {
	agents := map[string]string{"Wang.Fang@example.com": "王芳"}
	owner := Owner{Agent: "frank@example.com", Name: "Frank Li"}
	for agent, want := range map[string]string{
		"wang.fang@example.com": "王芳",       // the list, in any case
		"FRANK@example.com":     "Frank Li", // the complaint owner
		"alice@example.com":     "",
		"":                      "",
	} {
		if got := AgentName(agents, owner, agent); got != want {
			t.Errorf("AgentName(%q) = %q, want %q", agent, got, want)
		}
	}
}
