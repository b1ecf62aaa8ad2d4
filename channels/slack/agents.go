package slack

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/supportd/supportd/store/sqlite"
)

// errNotAgent: the Slack user is not on the agent list (channels.slack.agents).
var errNotAgent = errors.New("not on the agent list (channels.slack.agents)")

// agentTTL is how long what users.info said of a user is trusted.
const agentTTL = 24 * time.Hour

// agent returns the name customers see for a Slack user, which is also the
// name tickets are assigned to. The user is found by email (users.info):
// with an agent list, their email must be on it.
func (d *Desk) agent(ctx context.Context, user string) (string, error) {
	a, ok, err := d.db.SlackAgent(ctx, user)
	if err != nil {
		return "", err
	}
	if !ok || time.Since(a.Updated) > agentTTL {
		u, err := d.api.user(ctx, user)
		if err != nil {
			return "", fmt.Errorf("users.info %s: %w", user, err)
		}
		a = sqlite.SlackAgent{UserID: user, Email: strings.ToLower(u.Profile.Email), Updated: time.Now()}
		a.Name = firstOf(d.listed(a.Email), u.Profile.DisplayName, u.RealName, u.Profile.RealName, u.Name, user)
		if err := d.db.SlackSaveAgent(ctx, a); err != nil {
			return "", err
		}
	}
	if len(d.cfg.Agents) == 0 {
		return a.Name, nil
	}
	if name := d.listed(a.Email); name != "" {
		return name, nil
	}
	return "", errNotAgent
}

// listed returns the configured name of an agent's email, "" when none.
func (d *Desk) listed(email string) string {
	if email == "" {
		return ""
	}
	for e, name := range d.cfg.Agents {
		if strings.EqualFold(e, email) {
			return name
		}
	}
	return ""
}

// mention returns a Slack mention of the agent known by name, or the name
// escaped when no Slack user is known by it.
func (d *Desk) mention(ctx context.Context, name string) string {
	if name == "" {
		return ""
	}
	if a, ok, err := d.db.SlackAgentNamed(ctx, name); err == nil && ok {
		return "<@" + a.UserID + ">"
	}
	return esc(name)
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}
