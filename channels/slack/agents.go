package slack

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/store/sqlite"
)

// errNotAgent: the Slack user is not an agent. notAgent says why.
var errNotAgent = errors.New("not an agent")

// notAgentError is errNotAgent with its reason: not on the agent list, or
// someone Slack does not describe to the app (another organisation's
// member in a shared channel), whatever the list says.
type notAgentError struct{ outsider bool }

func (e notAgentError) Error() string        { return e.reason() }
func (e notAgentError) Is(target error) bool { return target == errNotAgent }

func (e notAgentError) reason() string {
	if e.outsider {
		return "only members of this workspace can act as agents (Slack does not describe your account to this app)"
	}
	return "you are not on the agent list (channels.slack.agents)"
}

// notAgent returns why err says a user is not an agent, as a clause told to
// them ("you are not on the agent list …"), or "" when it does not.
func notAgent(err error) string {
	var e notAgentError
	if errors.As(err, &e) {
		return e.reason()
	}
	return ""
}

// sentence capitalises a clause's first letter.
func sentence(clause string) string {
	if clause == "" {
		return ""
	}
	return strings.ToUpper(clause[:1]) + clause[1:]
}

// agentTTL is how long what users.info said of a user is trusted.
const agentTTL = 24 * time.Hour

// who is a Slack user acting as an agent: ID is who they are, unique, which
// tickets are assigned to (their email, or "slack:" and their user id when
// Slack gives no email); Name is the name customers see (the agent list's,
// else their Slack display name), which two people may share.
type who struct{ ID, Name string }

// agent returns who a Slack user is as an agent. The user is found by email
// (users.info): with an agent list, their email must be on it.
func (d *Desk) agent(ctx context.Context, user string) (who, error) {
	a, ok, err := d.db.SlackAgent(ctx, user)
	if err != nil {
		return who{}, err
	}
	if !ok || time.Since(a.Updated) > agentTTL {
		u, err := d.api.user(ctx, user)
		var refused slackapi.SlackErrorResponse
		if errors.As(err, &refused) && (refused.Err == "user_not_found" || refused.Err == "user_not_visible") {
			// Someone Slack will not describe (another organisation's
			// member in a shared channel): not an agent. Trying again
			// would not change it, and they would never hear back.
			return who{}, notAgentError{outsider: true}
		}
		if err != nil {
			return who{}, fmt.Errorf("users.info %s: %w", user, err)
		}
		a = sqlite.SlackAgent{UserID: user, Email: strings.ToLower(u.Profile.Email), Updated: time.Now()}
		a.Name = firstOf(d.configured(a.Email), u.Profile.DisplayName, u.RealName, u.Profile.RealName, u.Name, user)
		if err := d.db.SlackSaveAgent(ctx, a); err != nil {
			return who{}, err
		}
	}
	w := who{ID: a.Email, Name: firstOf(d.configured(a.Email), a.Name)}
	if w.ID == "" {
		w.ID = "slack:" + user
	}
	if len(d.agents()) == 0 || d.listed(a.Email) != "" {
		return w, nil
	}
	return who{}, notAgentError{}
}

// configured returns the name the configuration gives an agent's email,
// "" when none: the agent list's, else the complaint owner's. A configured
// name is the one customers see, over the Slack display name: the owner's
// is what customers are told when their complaint is filed ("王芳 owns
// it"), so their replies carry it too. (config refuses an owner whose two
// configured names differ.)
func (d *Desk) configured(email string) string {
	return config.AgentName(d.agents(), d.complaintOwner(), email)
}

// agents returns the agent list in force (channels.slack.agents: email →
// the name customers see; empty: every member acts).
func (d *Desk) agents() map[string]string { return *d.agentList.Load() }

// SetAgents puts a new agent list in force (channels.slack.agents, read
// again on a configuration reload): who may act from now on, and the names
// customers see on their replies. It keeps no reference to agents' map
// beyond a copy.
func (d *Desk) SetAgents(agents map[string]string) {
	a := maps.Clone(agents)
	d.agentList.Store(&a)
}

// complaintOwner is the complaint owner in force in the engine
// (dialog.complaint_owner, which a reload may change).
func (d *Desk) complaintOwner() config.Owner {
	o := d.eng.ComplaintOwner()
	return config.Owner{Agent: o.Agent, Name: o.Name}
}

// listed returns the configured name of an agent's email on the agent
// list, "" when none.
func (d *Desk) listed(email string) string {
	return config.AgentName(d.agents(), config.Owner{}, email)
}

// mention returns a Slack mention of the agent known by id (an email, a
// Slack user id, or a name given on the command line), or the id escaped
// when no Slack user is known by it.
func (d *Desk) mention(ctx context.Context, id string) string {
	if id == "" {
		return ""
	}
	if u, ok := strings.CutPrefix(id, "slack:"); ok {
		return "<@" + u + ">"
	}
	find := d.db.SlackAgentNamed
	if strings.Contains(id, "@") {
		find = d.db.SlackAgentByEmail
	}
	if a, ok, err := find(ctx, id); err == nil && ok {
		return "<@" + a.UserID + ">"
	}
	if strings.Contains(id, "@") {
		// An agent the desk has not met yet (the complaint owner of the
		// configuration, one named on the command line): Slack knows
		// them by their email, and the mention notifies them.
		if u, err := d.api.userByEmail(ctx, id); err == nil && u != nil {
			a := sqlite.SlackAgent{UserID: u.ID, Email: strings.ToLower(u.Profile.Email), Updated: time.Now()}
			a.Name = firstOf(d.configured(a.Email), u.Profile.DisplayName, u.RealName, u.Profile.RealName, u.Name, u.ID)
			if d.db.SlackSaveAgent(ctx, a) == nil {
				return "<@" + u.ID + ">"
			}
		}
	}
	return esc(id)
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}
