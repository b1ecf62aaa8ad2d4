package main

import (
	"errors"
	"os"
	"regexp"
	"strings"

	"github.com/supportd/supportd/config"
)

// A command other than serve (tickets, mail, customer, report, chat, kb,
// policy, sla) reads the same configuration file but never reaches Slack,
// the mail server, a webhook or a browser: the secrets the file takes from
// the environment are not needed, and an agent listing tickets in a shell
// without the server's environment should not have to set them. loadOffline
// loads the file with such a secret's variable unset standing for a value
// that passes validation; any other unset variable (a path, a port, a
// channel id) is still an error, as serve and check-config report it.
func loadOffline(path, dataDir string) (*config.Config, error) {
	cfg, err := loadConfig(path, dataDir, "")
	var list *config.Error
	if err == nil || path == "" || !errors.As(err, &list) {
		return cfg, err
	}
	stand := map[string]string{} // unset variable → the value it stands for
	for _, p := range list.Problems {
		m := unsetEnv.FindStringSubmatch(p.Msg)
		v, secret := secretStandIn(p.Path)
		if m == nil || !secret {
			return nil, err
		}
		stand[m[1]] = v
	}
	data, rerr := os.ReadFile(path)
	if rerr != nil {
		return nil, err
	}
	cfg, perr := config.Parse(path, data, func(name string) (string, bool) {
		if v, ok := os.LookupEnv(name); ok {
			return v, true
		}
		v, ok := stand[name]
		return v, ok
	})
	if perr != nil {
		return nil, err
	}
	if dataDir != "" {
		cfg.Storage.DataDir = config.AbsPath(dataDir)
		cfg.Storage.Path = ""
	}
	return cfg, nil
}

var unsetEnv = regexp.MustCompile(`^environment variable ([A-Za-z_][A-Za-z0-9_]*) is not set$`)

// secretStandIn says whether the key at path is a secret only serve uses,
// and a value that passes its validation.
func secretStandIn(path string) (string, bool) {
	switch {
	case path == "channels.slack.bot_token":
		return "xoxb-unset", true
	case path == "channels.slack.app_token":
		return "xapp-unset", true
	case path == "channels.slack.signing_secret":
		return "unset", true
	case path == "channels.webchat.secret":
		return strings.Repeat("u", 32), true
	case path == "channels.email.imap.password", path == "channels.email.smtp.password",
		path == "channels.email.imap.username", path == "channels.email.smtp.username":
		return "unset", true
	case strings.HasPrefix(path, "webhooks[") && strings.HasSuffix(path, "].secret"):
		return "unset", true
	}
	return "", false
}
