package main

import (
	"context"
	"log/slog"

	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/server"
	"github.com/supportd/supportd/store/sqlite"
	"github.com/supportd/supportd/webhooks"
)

// outgoingWebhooks builds the dispatcher of the configured webhooks, woken
// after every committed turn, and makes their cursors (a webhook new to the
// database starts now), so it must be built before the engine serves. It
// is built with no webhook configured too: it then drops the cursors of
// webhooks removed from the configuration and empties their feed.
func outgoingWebhooks(ctx context.Context, cfg *config.Config, eng *dialog.Engine, db *sqlite.DB, lg *slog.Logger, srv *server.Server) (*webhooks.Dispatcher, error) {
	d, err := webhooks.New(webhooks.Options{
		Store: db, Hooks: cfg.Webhooks, Logger: lg.With("component", "webhooks"), Registry: srv.Registry(),
		UserAgent: "supportd/" + version,
	})
	if err != nil {
		return nil, err
	}
	// Every commit, not only those that list tickets: a wake with nothing
	// new costs one indexed read per webhook, and wakes coalesce.
	eng.OnCommit(func(dialog.Commit) { d.Notify() })
	if err := d.Start(ctx); err != nil {
		return nil, err
	}
	return d, nil
}
