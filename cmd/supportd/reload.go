package main

import (
	"fmt"
	"log/slog"
	"reflect"
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/dialog"
)

// A serving supportd reads its configuration file again on SIGHUP
// (systemd: ExecReload=kill -HUP $MAINPID). What an operator edits while
// customers chat takes effect at the next message, with no connection
// dropped: the policy (products, warranty, returns, calendar, business
// hours, deadlines), the files of dialog.texts and dialog.knowledge (read
// again even when their paths did not change), dialog.complaint_owner,
// channels.webchat.allowed_origins, channels.slack.agents,
// channels.slack.saved_replies and log.level. The rest (listeners,
// storage, channels, webhooks) is read at start only: a change to it is
// logged by key as waiting for a restart. A file that does not load or
// validate changes nothing: the error is logged with its key and line and
// the rules in force stay.

// reloader applies a configuration file again while serving.
type reloader struct {
	path, dataDir, addr string         // serve's --config, --data and --addr
	start               *config.Config // the configuration serve started with
	eng                 *dialog.Engine
	level               *slog.LevelVar // the log's level
	lg                  *slog.Logger
	reloads             *prometheus.CounterVec
	lastOK              prometheus.Gauge
	// also are what the channels apply of a reloaded configuration.
	also []func(*config.Config)
}

func newReloader(path, dataDir, addr string, start *config.Config, eng *dialog.Engine, level *slog.LevelVar, lg *slog.Logger, reg prometheus.Registerer) *reloader {
	r := &reloader{path: path, dataDir: dataDir, addr: addr, start: start, eng: eng, level: level, lg: lg,
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "supportd_config_reloads_total",
			Help: "Configuration reloads asked for by SIGHUP, by result: applied, or failed (nothing changed).",
		}, []string{"result"}),
		lastOK: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "supportd_config_last_reload_successful",
			Help: "1 when the last configuration reload was applied (or none was asked for), 0 when it failed.",
		}),
	}
	r.reloads.WithLabelValues("applied")
	r.reloads.WithLabelValues("failed")
	r.lastOK.Set(1)
	if reg != nil {
		reg.MustRegister(r.reloads, r.lastOK)
	}
	return r
}

// reload reads the configuration file again and puts its rules in force.
// On error nothing changed.
func (r *reloader) reload() error {
	if r.path == "" {
		// The embedded configuration cannot have changed: say what to do
		// instead of logging a reload that applied nothing new.
		r.lg.Warn("configuration not reloaded: serving the embedded configuration, which has no file to read again; write it to one (supportd config default > supportd.yaml) and serve with --config")
		return nil
	}
	next, err := loadConfig(r.path, r.dataDir, r.addr)
	var rules dialog.Options
	if err == nil {
		rules, err = engineRules(next)
	}
	if err == nil {
		err = r.eng.Reload(rules)
	}
	if err != nil {
		r.reloads.WithLabelValues("failed").Inc()
		r.lastOK.Set(0)
		r.lg.Error("configuration not reloaded: still serving with the rules in force", "config", r.start.Source, "err", err)
		return err
	}
	for _, f := range r.also {
		f(next)
	}
	r.level.Set(logLevel(next.Log))
	r.reloads.WithLabelValues("applied").Inc()
	r.lastOK.Set(1)
	r.lg.Info("configuration reloaded: the policy, dialog.texts, dialog.knowledge, dialog.complaint_owner, channels.webchat.allowed_origins, channels.slack.agents, channels.slack.saved_replies and log.level in force are the file's",
		"config", next.Source, "products", len(next.Policy.Products), "holidays", len(next.Policy.Calendar.Holidays))
	if keys := startOnly(r.start, next); len(keys) > 0 {
		r.lg.Warn("configuration changed where it is read at start only: restart supportd to apply it", "keys", strings.Join(keys, ", "))
	}
	if next.DemoPolicy {
		r.lg.Warn("the configuration has no policy section: using the embedded demo policy")
	}
	if w := calendarWarning(next); w != "" {
		r.lg.Warn(w)
	}
	return nil
}

// startOnly returns the keys of the configuration read at start only whose
// values differ between a and b, in the file's order. Values are not
// returned: they may be secrets.
func startOnly(a, b *config.Config) []string {
	var keys []string
	for _, s := range []struct {
		key  string
		a, b any
	}{
		{"server", a.Server, b.Server},
		{"storage", a.Storage, b.Storage},
		{"log.format", a.Log.Format, b.Log.Format},
		{"dialog.timer_interval", a.Dialog.TimerInterval, b.Dialog.TimerInterval},
		{"channels.webchat", withoutOrigins(a.Channels.Webchat), withoutOrigins(b.Channels.Webchat)},
		{"channels.email", a.Channels.Email, b.Channels.Email},
		{"channels.slack", reloadedNot(a.Channels.Slack), reloadedNot(b.Channels.Slack)},
		{"webhooks", a.Webhooks, b.Webhooks},
	} {
		keys = changedKeys(keys, s.key, reflect.ValueOf(s.a), reflect.ValueOf(s.b))
	}
	return keys
}

// withoutOrigins returns w without its origin allow-list, which a reload
// applies.
func withoutOrigins(w config.Webchat) config.Webchat {
	w.AllowedOrigins = nil
	return w
}

// reloadedNot returns s without what a reload applies: its agent list and
// its saved replies.
func reloadedNot(s config.Slack) config.Slack {
	s.Agents, s.SavedReplies = nil, nil
	return s
}

// changedKeys appends to keys the paths under key where a and b differ: a
// struct's fields by their YAML names, anything else as a whole.
func changedKeys(keys []string, key string, a, b reflect.Value) []string {
	if a.Kind() != reflect.Struct {
		if !reflect.DeepEqual(a.Interface(), b.Interface()) {
			keys = append(keys, key)
		}
		return keys
	}
	for i := range a.NumField() {
		f := a.Type().Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		keys = changedKeys(keys, key+"."+name, a.Field(i), b.Field(i))
	}
	return keys
}

// logLevel is log.level as a slog level (validated by config).
func logLevel(c config.Log) slog.Level {
	var level slog.Level
	_ = level.UnmarshalText([]byte(c.Level))
	return level
}

// reloadHelp is what the log says at start about applying changes.
func reloadHelp(source string) string {
	if source == config.DefaultName {
		return "the embedded configuration is in use: to change it, write it to a file (supportd config default > supportd.yaml) and serve with --config"
	}
	return fmt.Sprintf("send SIGHUP to apply changes to %s while serving (policy, dialog texts and knowledge, complaint owner, web chat origins, Slack agents and saved replies, log level); the rest applies at restart", source)
}
