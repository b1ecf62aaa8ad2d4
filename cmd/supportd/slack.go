package main

import (
	"log/slog"
	"time"

	"github.com/supportd/supportd/channels/slack"
	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/store/sqlite"
)

// slackDesk builds the Slack agent desk when channels.slack is enabled and
// registers its endpoints on mux; nil when it is disabled. It must be built
// before the engine serves (it listens to the engine's commits).
func slackDesk(cfg *config.Config, eng *dialog.Engine, db *sqlite.DB, lg *slog.Logger, mux slack.Mux) (*slack.Desk, error) {
	if !cfg.Channels.Slack.Enabled {
		return nil, nil
	}
	desk, err := slack.New(slack.Options{
		Engine: eng, Store: db, DB: db, Config: cfg.Channels.Slack,
		Logger: lg.With("channel", "slack"), Now: time.Now,
	})
	if err != nil {
		return nil, err
	}
	desk.Register(mux)
	return desk, nil
}
