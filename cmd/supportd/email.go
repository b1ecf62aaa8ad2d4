package main

import (
	"log/slog"

	"github.com/supportd/supportd/channels/email"
	"github.com/supportd/supportd/channels/webchat"
	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/store/sqlite"
)

// emailChannel builds the email channel when it is enabled; nil otherwise.
// It registers with the engine, so it is built before the engine serves.
func emailChannel(cfg *config.Config, eng *dialog.Engine, db *sqlite.DB, lg *slog.Logger) (*email.Channel, error) {
	if !cfg.Channels.Email.Enabled {
		return nil, nil
	}
	o := email.Options{
		Engine: eng, Store: db, Mail: db, Config: cfg.Channels.Email, DataDir: cfg.Storage.DataDir,
		Logger: lg.With("channel", "email"),
	}
	if cfg.Channels.Webchat.Enabled && *cfg.Channels.Email.ContinueChats {
		o.ChatChannel = webchat.ChannelName // a visitor who left gets the replies by email
	}
	return email.New(o)
}
