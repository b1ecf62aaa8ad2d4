package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/server"
	"github.com/supportd/supportd/store/sqlite"
)

func serveCmd(ctx context.Context, e env, args []string) error {
	fs := newFlags("serve")
	cfgPath := fs.String("config", "", "configuration file (default: the embedded demo configuration)")
	dataDir := fs.String("data", "", "data directory (default: storage.data_dir, ./data)")
	addr := fs.String("addr", "", "listen address HOST:PORT (default: server.addr, 127.0.0.1:8080)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 0, 0); err != nil {
		return err
	}
	// From here a hangup no longer ends the process (its default): one
	// during the start (opening and migrating the database can take a
	// while) is answered once serving, as a reload.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	cfg, err := loadConfig(*cfgPath, *dataDir, *addr)
	if err != nil {
		return err
	}
	level := new(slog.LevelVar)
	level.Set(logLevel(cfg.Log))
	lg := newLogger(e.stderr, cfg.Log.Format, level)
	attrs := []any{"version", version, "config", config.AbsPath(cfg.Source), "database", cfg.DatabasePath()}
	if *cfgPath == "" {
		attrs[3] = cfg.Source // the embedded default, not a file
	}
	if cfg.Dialog.Texts != "" {
		attrs = append(attrs, "texts", cfg.Dialog.Texts)
	}
	if cfg.Dialog.Knowledge != "" {
		attrs = append(attrs, "knowledge", cfg.Dialog.Knowledge)
	}
	lg.Info("starting", attrs...)
	lg.Info(reloadHelp(cfg.Source))
	if cfg.DemoPolicy {
		lg.Warn("the configuration has no policy section: using the embedded demo policy")
	}
	if w := calendarWarning(cfg); w != "" {
		lg.Warn(w)
	}

	unlock, err := lockServe(cfg.DatabasePath())
	if err != nil {
		return err
	}
	defer unlock()
	db, err := sqlite.Open(ctx, cfg.DatabasePath(), sqlite.WithLogger(lg.With("component", "store")))
	if err != nil {
		return err
	}
	defer db.Close()

	srv := server.New(server.Options{
		Addr:            cfg.Server.Addr,
		ShutdownTimeout: cfg.Server.ShutdownTimeout,
		Logger:          lg.With("component", "http"),
		Ready:           db.Ping,
		Version:         version,
	})
	eng, err := newEngine(cfg, db, time.Now)
	if err != nil {
		return err
	}
	desk, err := slackDesk(cfg, eng, db, lg, srv)
	if err != nil {
		return err
	}
	chat, err := webChat(cfg, eng, db, lg, srv)
	if err != nil {
		return err
	}
	mail, err := emailChannel(cfg, eng, db, lg)
	if err != nil {
		return err
	}
	hooks, err := outgoingWebhooks(ctx, cfg, eng, db, lg, srv)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	reload := newReloader(*cfgPath, *dataDir, *addr, cfg, eng, level, lg.With("component", "config"), srv.Registry())
	if desk != nil {
		reload.also = append(reload.also, func(c *config.Config) {
			desk.SetAgents(c.Channels.Slack.Agents)
			desk.SetSavedReplies(c.Channels.Slack.SavedReplies)
		})
	}
	if chat != nil {
		reload.also = append(reload.also, func(c *config.Config) { chat.SetAllowedOrigins(c.Channels.Webchat.AllowedOrigins) })
	}
	g.Go(func() error { return onHangup(gctx, hup, reload) })
	g.Go(func() error { return srv.Run(gctx) })
	g.Go(func() error { return eng.Run(gctx, cfg.Dialog.TimerInterval) })
	if desk != nil {
		g.Go(func() error { return desk.Run(gctx) })
	}
	if chat != nil {
		g.Go(func() error { return chat.Run(gctx) })
	}
	if mail != nil {
		g.Go(func() error { return mail.Run(gctx) })
	}
	g.Go(func() error { return hooks.Run(gctx) })
	return g.Wait()
}

// openData loads the configuration (with a --data override) and opens its
// database for the commands that show the data of a stopped or running
// server (see openServed). The caller closes the database.
func openData(ctx context.Context, cfgPath, dataDir string) (*config.Config, *sqlite.DB, error) {
	cfg, err := loadOffline(cfgPath, dataDir)
	if err != nil {
		return nil, nil, err
	}
	db, err := openServed(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	return cfg, db, nil
}

// openServed opens the database of a command other than serve: one that
// reads it (tickets list/show, mail, report) or acts in it as an agent or a
// customer (tickets claim/reply/…, chat). Only serve migrates the schema: a
// command that did would lock out the older supportd that may still be
// serving the database. A schema older than this program's is said as such,
// with what to do.
func openServed(ctx context.Context, cfg *config.Config) (*sqlite.DB, error) {
	db, err := openExisting(ctx, cfg, sqlite.WithoutMigrations())
	var old *sqlite.OutdatedError
	if errors.As(err, &old) {
		return nil, fmt.Errorf("the database %s has schema version %d, older than this supportd's (%d); only `supportd serve` migrates it. "+
			"Run `supportd serve` with this version first: it migrates the database, logging each migration "+
			"(after that, older versions of supportd cannot open it)", cfg.DatabasePath(), old.Version, old.Known)
	}
	return db, err
}

// loadConfig loads the configuration and applies the command-line overrides,
// which are validated like the file's own values.
func loadConfig(path, dataDir, addr string) (*config.Config, error) {
	cfg, err := config.Load(path)
	if err != nil {
		return nil, err
	}
	return withOverrides(cfg, dataDir, addr)
}

// loadOffline loads the configuration as loadConfig does, for the commands
// other than serve and check-config, which never reach Slack, the mail
// server, a webhook or a browser: the secrets the file takes from the
// environment may be unset (config.LoadOffline).
func loadOffline(path, dataDir string) (*config.Config, error) {
	cfg, err := config.LoadOffline(path)
	if err != nil {
		return nil, err
	}
	return withOverrides(cfg, dataDir, "")
}

// withOverrides applies the command-line overrides, validated like the
// file's own values.
func withOverrides(cfg *config.Config, dataDir, addr string) (*config.Config, error) {
	if dataDir != "" {
		cfg.Storage.DataDir = config.AbsPath(dataDir) // a flag is relative to the working directory
		cfg.Storage.Path = ""
	}
	if addr != "" {
		if err := config.CheckAddr(addr); err != nil {
			return nil, fmt.Errorf("%w: --addr: %v", errUsage, err)
		}
		cfg.Server.Addr = addr
	}
	return cfg, nil
}

// newLogger returns the process log in format (log.format), at level
// (log.level, which a reload may change).
func newLogger(w io.Writer, format string, level *slog.LevelVar) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// openExisting opens the database of a command that reads or changes what
// serve stored: one that is not there is a mistyped --data or
// storage.data_dir, said as such, and no empty database is left behind.
func openExisting(ctx context.Context, cfg *config.Config, opts ...sqlite.Option) (*sqlite.DB, error) {
	path := cfg.DatabasePath()
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("no database at %s: nothing is stored there (give the --config and --data that serve runs with)", path)
	}
	return sqlite.Open(ctx, path, opts...)
}

// onHangup answers the SIGHUPs notified on hup, which would otherwise end
// the process: each reloads the configuration (see reloader), and serving
// goes on whatever the outcome. It returns when ctx ends.
func onHangup(ctx context.Context, hup <-chan os.Signal, r *reloader) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-hup:
			_ = r.reload() // logged; the rules in force stay on error
		}
	}
}
