package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/policy"
	"github.com/supportd/supportd/store/sqlite"
)

// agentEnv names the environment variable --agent defaults to.
const agentEnv = "SUPPORTD_AGENT"

// agentActions are the tickets subcommands that act on a ticket as an agent.
var agentActions = map[string]dialog.ActionKind{
	"claim":    dialog.ActClaim,
	"reply":    dialog.ActReply,
	"quote":    dialog.ActQuote,
	"resolve":  dialog.ActResolve,
	"handback": dialog.ActHandback,
	"note":     dialog.ActNote,
	"release":  dialog.ActRelease,
	"withdraw": dialog.ActWithdraw,
}

// agentFlags are the command-line values of an agent action.
type agentFlags struct {
	cfgPath, dataDir, now *string
	agent, name           *string
	text, amount          *string
	saved                 *string
	asJSON                *bool
}

func newAgentFlags(fs *flag.FlagSet, kind dialog.ActionKind) agentFlags {
	f := agentFlags{
		cfgPath: fs.String("config", "", "configuration file (default: embedded)"),
		dataDir: fs.String("data", "", "data directory (default: storage.data_dir)"),
		now:     fs.String("now", "", "fix the clock: RFC3339, or YYYY-MM-DD for 10:00 that day in the policy time zone"),
		agent:   fs.String("agent", os.Getenv(agentEnv), "who acts (default: $"+agentEnv+")"),
		name:    new(string),
		asJSON:  fs.Bool("json", false, "print the updated ticket as JSON"),
		text:    new(string),
		amount:  new(string),
		saved:   new(string),
	}
	switch kind {
	case dialog.ActReply:
		f.text = fs.String("text", "", "the text (default: the arguments after the ticket id)")
		f.name = fs.String("name", "", "the name the customer sees (default: the agent's in channels.slack.agents or dialog.complaint_owner, else --agent unless it is an email address)")
		f.saved = fs.String("saved", "", "send the saved reply of this name (channels.slack.saved_replies) in the conversation's language; a text is added below it")
	case dialog.ActNote:
		f.text = fs.String("text", "", "the text (default: the arguments after the ticket id)")
	case dialog.ActQuote:
		f.amount = fs.String("amount", "", "the price of the repair, in major units (380, 99.50)")
		f.text = fs.String("note", "", "what the price covers, shown to the customer")
	case dialog.ActResolve:
		f.text = fs.String("note", "", "how the case was resolved, kept in the ticket history")
	case dialog.ActWithdraw:
		f.text = fs.String("note", "", "why the quote is withdrawn, kept in the ticket history")
	}
	return f
}

// agentCmd runs "tickets claim|reply|quote|withdraw|resolve|handback|release|note ID": one
// agent action through the dialog engine, on the same store as the server.
func agentCmd(ctx context.Context, e env, sub string, args []string) error {
	kind := agentActions[sub]
	fs := newFlags("tickets " + sub)
	f := newAgentFlags(fs, kind)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	a, err := f.action(kind, pos)
	if err != nil {
		return err
	}

	cfg, clock, err := configAndClock(*f.cfgPath, *f.dataDir, *f.now)
	if err != nil {
		return err
	}
	if a.Name, err = shownName(cfg, a); err != nil {
		return err
	}
	saved := strings.ToLower(strings.TrimSpace(*f.saved)) // as in Slack, in any case
	reply, known := cfg.Channels.Slack.SavedReplies[saved]
	if saved != "" && !known {
		return unknownSaved(cfg, saved)
	}
	loc := cfg.Policy.Location()
	db, err := openServed(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	eng, err := newEngine(cfg, db, clock)
	if err != nil {
		return err
	}
	if saved != "" {
		if a.Text, err = savedText(ctx, db, reply, a); err != nil {
			return err
		}
	}
	res, err := eng.Act(ctx, a)
	var ce *dialog.ClaimedError
	if errors.As(err, &ce) {
		return &claimedError{id: a.TicketID, err: ce}
	}
	if err != nil {
		return err
	}
	if *f.asJSON {
		return writeJSON(e.stdout, res.Ticket)
	}
	summary := actSummary(a, res, cfg.Policy.Currency, loc)
	if saved != "" {
		summary = strings.Replace(summary, ": reply from", ": saved reply "+saved+" from", 1)
	}
	fmt.Fprintln(e.stdout, summary)
	printToCustomer(e.stdout, res.Replies)
	return nil
}

// action checks the command line and builds the action. Errors wrap errUsage.
func (f agentFlags) action(kind dialog.ActionKind, pos []string) (dialog.Action, error) {
	a := dialog.Action{Kind: kind, Channel: "cli", Agent: strings.TrimSpace(*f.agent), Name: strings.TrimSpace(*f.name), Text: strings.TrimSpace(*f.text)}
	if len(pos) == 0 {
		return a, fmt.Errorf("%w: missing argument: the ticket id", errUsage)
	}
	a.TicketID, pos = pos[0], pos[1:]
	if a.Agent == "" {
		return a, fmt.Errorf("%w: --agent is required (or set %s)", errUsage, agentEnv)
	}
	if strings.Contains(a.Agent, "@") {
		a.Agent = strings.ToLower(a.Agent) // an agent known by email is stored, and said, in lower case
	}
	switch kind {
	case dialog.ActReply, dialog.ActNote:
		if len(pos) > 0 && a.Text != "" {
			return a, fmt.Errorf("%w: give the text either as arguments or with --text, not both", errUsage)
		}
		if len(pos) > 0 {
			a.Text = strings.TrimSpace(strings.Join(pos, " "))
		}
		if a.Text == "" && strings.TrimSpace(*f.saved) == "" {
			if kind == dialog.ActReply {
				return a, fmt.Errorf("%w: reply needs a text, or --saved NAME", errUsage)
			}
			return a, fmt.Errorf("%w: %s needs a text", errUsage, kind)
		}
		return a, nil
	case dialog.ActQuote:
		if *f.amount == "" {
			return a, fmt.Errorf("%w: --amount is required", errUsage)
		}
		m, err := policy.ParseMoney(*f.amount)
		if err != nil {
			return a, fmt.Errorf("%w: --amount: %v", errUsage, err)
		}
		if m <= 0 {
			return a, fmt.Errorf("%w: --amount: %s is not a positive amount", errUsage, *f.amount)
		}
		a.Amount = m
	}
	return a, wantArgs(pos, 0, 0)
}

// claimedError reports a ticket another agent holds.
type claimedError struct {
	id  string
	err *dialog.ClaimedError
}

func (e *claimedError) Error() string { return e.id + " is claimed by " + e.err.By }
func (e *claimedError) Unwrap() error { return e.err }

// actSummary is the line saying what an action did.
func actSummary(a dialog.Action, res *dialog.ActResult, currency string, loc *time.Location) string {
	t := res.Ticket
	switch a.Kind {
	case dialog.ActClaim:
		return fmt.Sprintf("%s claimed by %s", t.ID, a.Agent)
	case dialog.ActReply:
		if a.Name != "" && a.Name != a.Agent {
			return fmt.Sprintf("%s: reply from %s sent to the customer, signed %s", t.ID, a.Agent, a.Name)
		}
		return fmt.Sprintf("%s: reply from %s sent to the customer", t.ID, a.Agent)
	case dialog.ActQuote:
		s := fmt.Sprintf("%s: quote %s %s sent to the customer", t.ID, a.Amount, currency)
		if q := t.Quote; q != nil && q.ExpiresAt != nil {
			s += ", valid until " + q.ExpiresAt.In(loc).Format("2006-01-02 15:04 MST")
		}
		return s
	case dialog.ActResolve:
		return fmt.Sprintf("%s resolved by %s", t.ID, a.Agent)
	case dialog.ActHandback:
		return fmt.Sprintf("%s: conversation handed back to the bot", t.ID)
	case dialog.ActRelease:
		return fmt.Sprintf("%s released by %s: unclaimed (%s)", t.ID, a.Agent, t.Status)
	case dialog.ActWithdraw:
		return fmt.Sprintf("%s: quote %s %s withdrawn; the customer is told a new one may follow", t.ID, t.Quote.Amount, currency)
	default:
		return fmt.Sprintf("%s: internal note added by %s", t.ID, a.Agent)
	}
}

// printToCustomer prints the messages an action queued for the customer;
// the customer's channel delivers them.
func printToCustomer(w io.Writer, ms []dialog.Message) {
	const prefix = "to customer: "
	indent := strings.Repeat(" ", len(prefix))
	for _, m := range ms {
		for i, l := range strings.Split(m.Text, "\n") {
			if i == 0 {
				fmt.Fprintln(w, prefix+l)
			} else {
				fmt.Fprintln(w, indent+l)
			}
		}
		if len(m.Choices) > 0 {
			labels := make([]string, len(m.Choices))
			for i, c := range m.Choices {
				labels[i] = c.Label
			}
			fmt.Fprintf(w, "%s[%s]\n", indent, strings.Join(labels, " | "))
		}
	}
}

// shownName returns the name the customer sees on an agent's reply: --name,
// else the name configured for the agent (channels.slack.agents by email,
// dialog.complaint_owner), else --agent itself, which must not be an email
// address: a person's work address is not for customers.
func shownName(cfg *config.Config, a dialog.Action) (string, error) {
	if a.Kind != dialog.ActReply || a.Name != "" {
		return a.Name, nil
	}
	if name := config.AgentName(cfg.Channels.Slack.Agents, cfg.Dialog.ComplaintOwner, a.Agent); name != "" {
		return name, nil
	}
	if strings.Contains(a.Agent, "@") {
		return "", fmt.Errorf("%w: the customer would see the address %s as your name: give the name with --name (or list the agent in channels.slack.agents)", errUsage, a.Agent)
	}
	return "", nil
}

// unknownSaved says that no saved reply has the name, and which there are.
func unknownSaved(cfg *config.Config, name string) error {
	names := slices.Sorted(maps.Keys(cfg.Channels.Slack.SavedReplies))
	if len(names) == 0 {
		return fmt.Errorf("no saved reply %q: none is configured (channels.slack.saved_replies in %s)", name, cfg.Source)
	}
	return fmt.Errorf("no saved reply %q: the saved replies are %s (channels.slack.saved_replies)", name, strings.Join(names, ", "))
}

// savedText returns what a saved reply sends to the customer of ticket
// a.TicketID, as the Slack desk sends it: in the conversation's language,
// its placeholders filled, with the reply's own text (a.Text) below it
// after a blank line.
func savedText(ctx context.Context, db *sqlite.DB, r config.SavedReply, a dialog.Action) (string, error) {
	tk, err := db.Get(ctx, a.TicketID)
	if err != nil {
		return "", err
	}
	var c *dialog.Conversation
	if tk.ConversationID != "" {
		if c, err = db.Conversation(ctx, tk.ConversationID); err != nil && !errors.Is(err, dialog.ErrNotFound) {
			return "", err
		}
	}
	lang, customer := dialog.Addressee(tk, c)
	text := r.Text(lang, config.SavedValues{Ticket: tk.ID, Agent: cmp.Or(a.Name, a.Agent), Customer: customer})
	if a.Text != "" {
		text += "\n\n" + a.Text
	}
	return text, nil
}
