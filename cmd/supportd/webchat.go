package main

import (
	"log/slog"

	"github.com/supportd/supportd/channels/webchat"
	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/server"
	"github.com/supportd/supportd/store/sqlite"
)

// webChat builds the website chat channel when channels.webchat is enabled
// and mounts it on the server; nil when it is disabled. It must be built
// before the engine serves (it listens to the engine's commits).
func webChat(cfg *config.Config, eng *dialog.Engine, db *sqlite.DB, lg *slog.Logger, srv *server.Server) (*webchat.Channel, error) {
	if !cfg.Channels.Webchat.Enabled {
		return nil, nil
	}
	o := webchat.Options{
		Engine: eng, Store: db, Config: cfg.Channels.Webchat, DataDir: cfg.Storage.DataDir,
		Logger: lg.With("channel", "webchat"), Registry: srv.Registry(),
	}
	if cfg.Channels.Email.Enabled {
		o.Mailed = db // chats continue by mail: the history marks those replies
	}
	chat, err := webchat.New(o)
	if err != nil {
		return nil, err
	}
	chat.Register(srv)
	return chat, nil
}
