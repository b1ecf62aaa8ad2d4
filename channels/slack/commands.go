package slack

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	slackapi "github.com/slack-go/slack"
	"golang.org/x/text/width"

	"github.com/supportd/supportd/policy"
	"github.com/supportd/supportd/ticketing"
)

// commandUsage is /ticket's help.
const commandUsage = "Usage: `/ticket T-1001` (a summary; several ids for several), `/ticket mine`, `/ticket open`, `/ticket stats` (today), `/ticket week` (the last 7 days' report), `/ticket replies` (the saved replies: `!NAME` in a ticket's thread sends one)"

// listMax bounds the tickets one answer lists.
const listMax = 20

// onCommand answers /ticket through the command's response URL (only the
// agent sees it).
func (d *Desk) onCommand(ctx context.Context, cmd slackapi.SlashCommand) error {
	text, err := d.answer(ctx, cmd)
	if err != nil {
		return err
	}
	if cmd.ResponseURL == "" {
		return d.api.ephemeral(ctx, cmd.ChannelID, cmd.UserID, "", text)
	}
	return d.api.respond(ctx, cmd.ResponseURL, &slackapi.WebhookMessage{ResponseType: slackapi.ResponseTypeEphemeral, Text: text})
}

// answer computes /ticket's answer.
func (d *Desk) answer(ctx context.Context, cmd slackapi.SlashCommand) (string, error) {
	if len(d.agents()) > 0 {
		// Tickets hold customers' personal data: agents only.
		_, err := d.agent(ctx, cmd.UserID)
		if why := notAgent(err); why != "" {
			return sentence(why) + ": /ticket is for agents only.", nil
		}
		if err != nil {
			return "", err
		}
	}
	arg := strings.TrimSpace(cmd.Text)
	words := strings.Fields(arg)
	var ids []string // the words that read as ticket ids
	for _, w := range words {
		if id := ticketID(w); isTicketID(id) {
			ids = append(ids, id)
		}
	}
	if len(words) > 0 {
		if verb, ok := actionWords[strings.ToLower(words[0])]; ok {
			return d.noActions(ctx, verb, ids)
		}
		if subcommands[strings.ToLower(words[0])] && len(ids) == 0 {
			// "mine please", "stats today": the words after it change
			// nothing.
			arg = words[0]
		}
	}
	if len(words) > 1 && (len(ids) == len(words) || len(ids) > 0 && subcommands[strings.ToLower(words[0])]) {
		return d.summaries(ctx, ids)
	}
	switch strings.ToLower(arg) {
	case "", "help":
		return commandUsage + "\n" + d.repliesHelp(), nil
	case "mine":
		me, err := d.agent(ctx, cmd.UserID)
		if why := notAgent(err); why != "" {
			return sentence(why) + ".", nil
		}
		if err != nil {
			return "", err
		}
		tks, err := d.store.List(ctx, ticketing.Filter{Assignee: me.ID})
		if err != nil {
			return "", err
		}
		return d.list("Your open tickets", openOnly(tks)), nil
	case "open":
		var all []*ticketing.Ticket
		for _, st := range openStatuses {
			tks, err := d.store.List(ctx, ticketing.Filter{Status: st})
			if err != nil {
				return "", err
			}
			all = append(all, tks...)
		}
		return d.list("Open tickets", all), nil
	case "stats":
		return d.stats(ctx)
	case "week":
		return d.week(ctx)
	case "replies", "saved":
		return d.savedListing(), nil
	}
	tk, err := d.store.Get(ctx, ticketID(arg))
	if errors.Is(err, ticketing.ErrNotFound) {
		return fmt.Sprintf("No ticket %s. %s", esc(clip(arg, 40)), commandUsage), nil
	}
	if err != nil {
		return "", err
	}
	return d.summary(ctx, tk), nil
}

// subcommands are /ticket's words other than a ticket id.
var subcommands = map[string]bool{"help": true, "mine": true, "open": true, "stats": true, "week": true, "replies": true, "saved": true}

// actionWords are what agents type after /ticket to act on a ticket, which
// it does not do, and the action each means.
var actionWords = map[string]string{
	"claim": "claim", "take": "claim", "assign": "claim", "resolve": "resolve", "close": "resolve", "done": "resolve",
	"handback": "hand back", "hand": "hand back", "release": "release", "quote": "quote", "reply": "reply to",
	"reopen": "reopen", "withdraw": "withdraw the quote of", "撤回": "withdraw the quote of", "认领": "claim", "解决": "resolve", "关闭": "resolve", "报价": "quote", "回复": "reply to",
}

// noActions answers /ticket <action> [ids]: the command only reads
// tickets, and where to do the action instead.
func (d *Desk) noActions(ctx context.Context, verb string, ids []string) (string, error) {
	how := "press its button on the ticket's message in its channel"
	if verb == "reply to" || verb == "reopen" {
		how = "reply in the ticket's thread (a reply reopens a resolved ticket)"
	}
	s := fmt.Sprintf("/ticket only looks tickets up: nothing was done. To %s a ticket, %s.", verb, how)
	for _, id := range ids {
		th, ok, err := d.db.SlackThread(ctx, id)
		if err != nil {
			return "", err
		}
		if ok {
			s += fmt.Sprintf("\n%s: its message is in <#%s> (ts %s).", id, th.Channel, th.TS)
		} else {
			s += fmt.Sprintf("\nNo ticket %s in Slack.", id)
		}
	}
	return s + "\n" + commandUsage, nil
}

// summariesMax bounds the tickets one /ticket T-1 T-2 … answer shows.
const summariesMax = 5

// summaries answers /ticket with several ticket ids: each one's summary.
func (d *Desk) summaries(ctx context.Context, ids []string) (string, error) {
	var out []string
	for i, id := range ids {
		if i == summariesMax {
			out = append(out, fmt.Sprintf("(%d more not shown: at most %d at a time)", len(ids)-i, summariesMax))
			break
		}
		tk, err := d.store.Get(ctx, id)
		if errors.Is(err, ticketing.ErrNotFound) {
			out = append(out, "No ticket "+id+".")
			continue
		}
		if err != nil {
			return "", err
		}
		out = append(out, d.summary(ctx, tk))
	}
	return strings.Join(out, "\n\n"), nil
}

// isTicketID reports whether id is a ticket id as ticketID returns it.
func isTicketID(id string) bool {
	n, ok := strings.CutPrefix(id, "T-")
	return ok && n != "" && strings.TrimLeft(n, "0123456789") == ""
}

// ticketID reads a ticket id as agents type it: T-1001, t-1001, #T-1001,
// T1001, 1001, "T-1001," or T-１００１ (full-width) are all T-1001.
// Anything else is returned as it is.
func ticketID(s string) string {
	s = width.Fold.String(strings.TrimRight(strings.TrimSpace(s), ".,;:!?)，。；：！？）"))
	id := strings.ToUpper(strings.TrimPrefix(s, "#"))
	n := strings.TrimPrefix(strings.TrimPrefix(id, "T"), "-")
	if n == "" || strings.TrimLeft(n, "0123456789") != "" {
		return id
	}
	return "T-" + n
}

func openOnly(tks []*ticketing.Ticket) []*ticketing.Ticket {
	var out []*ticketing.Ticket
	for _, tk := range tks {
		if !closed(tk.Status) {
			out = append(out, tk)
		}
	}
	return out
}

// line is one ticket in a list.
func (d *Desk) line(tk *ticketing.Ticket, now time.Time) string {
	s := fmt.Sprintf("• *%s* %s · %s · %s", tk.ID, tk.Kind, tk.Status, esc(clip(oneLine(tk.Subject), 60)))
	if tk.Assignee != "" {
		s += " · " + esc(tk.Assignee)
	}
	if waiting(tk) {
		return s + " · waiting for the customer"
	}
	for _, dl := range deadlines(tk) {
		name := dl[0].(string)
		if name != "onsite" && !met(tk, name) {
			s += " · " + d.due(deadlineLabels[name], dl[1].(time.Time), now)
			break
		}
	}
	return s
}

func (d *Desk) list(title string, tks []*ticketing.Ticket) string {
	if len(tks) == 0 {
		return title + ": none."
	}
	now := d.now()
	lines := []string{fmt.Sprintf("%s (%d):", title, len(tks))}
	for i, tk := range tks {
		if i == listMax {
			lines = append(lines, fmt.Sprintf("… and %d more", len(tks)-listMax))
			break
		}
		lines = append(lines, d.line(tk, now))
	}
	return strings.Join(lines, "\n")
}

// summary describes one ticket.
func (d *Desk) summary(ctx context.Context, tk *ticketing.Ticket) string {
	now := d.now()
	owner := d.mention(ctx, tk.Assignee)
	if owner == "" {
		owner = "unclaimed"
	}
	lines := []string{
		fmt.Sprintf("*%s* %s · %s · owner %s", tk.ID, tk.Kind, tk.Status, owner),
		"*" + esc(clip(oneLine(tk.Subject), 200)) + "*",
		"Customer: " + esc(customer(tk)) + " via " + esc(tk.Channel),
		"Product: " + esc(d.product(tk)) + " · Warranty: " + esc(warranty(tk)),
	}
	for _, dl := range deadlines(tk) {
		lines = append(lines, "• "+d.deadline(tk, dl[0].(string), dl[1].(time.Time), now))
	}
	if q := tk.Quote; q != nil {
		lines = append(lines, fmt.Sprintf("Quote: %s %s, %s", q.Amount, d.policy().Currency, q.Status))
	}
	if s := tk.Satisfaction; s != nil {
		lines = append(lines, fmt.Sprintf("Rating: %d/5 %s", s.Score, esc(clip(oneLine(s.Comment), 200))))
	}
	if th, ok, err := d.db.SlackThread(ctx, tk.ID); err == nil && ok {
		lines = append(lines, fmt.Sprintf("Thread: <#%s> (ts %s)", th.Channel, th.TS))
	}
	return strings.Join(lines, "\n")
}

// stats summarises today, in the policy's time zone: tickets opened, the
// deadlines that fell due today and how many were met, as the service
// report counts them (not counting those stopped while the ticket waits for
// the customer, or those of a ticket cancelled before they were due), the average rating of
// the ratings given today.
func (d *Desk) stats(ctx context.Context) (string, error) {
	now := d.now()
	loc := d.policy().Location()
	today := policy.DateOf(now, loc)
	start := today.In(loc, 0, 0)
	// A deadline that falls today was set by a change since this: older
	// tickets (most of a long-running desk's) are not read.
	pol := d.policy()
	since := pol.WorkingDaysBefore(start, pol.SLA.Longest())
	all, err := d.store.List(ctx, ticketing.Filter{UpdatedSince: since})
	if err != nil {
		return "", err
	}
	opened, due, metN, rated, score := 0, 0, 0, 0, 0
	for _, tk := range all {
		if !tk.CreatedAt.Before(start) {
			opened++
		}
		if s := tk.Satisfaction; s != nil && !s.At.Before(start) {
			rated++
			score += s.Score
		}
		for _, dl := range deadlines(tk) {
			name, at := dl[0].(string), dl[1].(time.Time)
			if name == "onsite" || at.Before(start) || at.After(now) || (waiting(tk) && !met(tk, name)) {
				continue
			}
			ok, judged, err := d.metBy(ctx, tk, name, at)
			if err != nil {
				return "", err
			}
			if !judged {
				continue
			}
			due++
			if ok {
				metN++
			}
		}
	}
	avg := "no ratings yet"
	if rated > 0 {
		avg = fmt.Sprintf("%.1f/5 from %d rating(s)", float64(score)/float64(rated), rated)
	}
	met := "no deadline fell due yet"
	if due > 0 {
		met = fmt.Sprintf("%d of %d met", metN, due)
	}
	return fmt.Sprintf("Today (%s): %d new ticket(s) · deadlines: %s · average rating: %s", today, opened, met, avg), nil
}

// week is the service report of the last seven days, today included, as
// `supportd report` prints it.
func (d *Desk) week(ctx context.Context) (string, error) {
	now := d.now()
	loc := d.policy().Location()
	last := policy.DateOf(now, loc)
	first := last.AddDate(0, 0, -6)
	r, err := ticketing.ReportOf(ctx, d.store, first.In(loc, 0, 0), last.AddDate(0, 0, 1).In(loc, 0, 0), now)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	r.WriteText(&b, loc)
	return "```\n" + esc(strings.TrimRight(b.String(), "\n")) + "\n```", nil
}

// metBy reports whether a deadline was met in time, from the ticket's
// audit log, as the service report judges it (ticketing.MetIn): cancelling
// meets no deadline, and judged is false for a ticket cancelled unmet
// before the deadline was due, which counts neither way.
func (d *Desk) metBy(ctx context.Context, tk *ticketing.Ticket, deadline string, at time.Time) (ok, judged bool, err error) {
	evs, err := d.store.Events(ctx, tk.ID)
	if err != nil {
		return false, false, err
	}
	when, met, judged := ticketing.MetIn(tk, evs, deadline)
	return met && !when.After(at), judged, nil
}
