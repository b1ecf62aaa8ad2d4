package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/supportd/supportd/ticketing"
)

func ticketsCmd(ctx context.Context, e env, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: want 'tickets list', 'tickets show ID' or an agent action", errUsage)
	}
	sub, args := args[0], args[1:]
	if _, ok := agentActions[sub]; ok {
		return agentCmd(ctx, e, sub, args)
	}
	fs := newFlags("tickets " + sub)
	cfgPath := fs.String("config", "", "configuration file (default: embedded)")
	dataDir := fs.String("data", "", "data directory (default: storage.data_dir)")
	asJSON := fs.Bool("json", false, "print JSON")
	var kind, status, assignee, customer, since *string
	limit := new(int)
	switch sub {
	case "list":
		kind = fs.String("kind", "", "only tickets of this kind")
		status = fs.String("status", "", "only tickets in this status")
		assignee = fs.String("assignee", "", "only tickets assigned to this agent (as they act: their email, or the --agent name)")
		customer = fs.String("customer", "", "only the tickets of this customer: their email address (any case), or their id on the channel")
		since = fs.String("since", "", "only tickets changed at or after this day (YYYY-MM-DD, in the policy's time zone) or moment (RFC 3339)")
		limit = fs.Int("limit", 100, "at most this many tickets, newest first (0: all)")
	case "show":
	default:
		return fmt.Errorf("%w: unknown subcommand %q (want list, show, claim, reply, quote, withdraw, resolve, handback, release or note)", errUsage, sub)
	}
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	var f ticketing.Filter
	if sub == "list" {
		if err := wantArgs(pos, 0, 0); err != nil {
			return err
		}
		if *kind != "" {
			if f.Kind, err = ticketing.ParseKind(*kind); err != nil {
				return fmt.Errorf("%w: --kind: %v", errUsage, err)
			}
		}
		if *status != "" {
			if f.Status, err = ticketing.ParseStatus(*status); err != nil {
				return fmt.Errorf("%w: --status: %v", errUsage, err)
			}
		}
		if *limit < 0 {
			return fmt.Errorf("%w: --limit must be ≥ 0", errUsage)
		}
		f.Limit = *limit
		f.Assignee, f.Customer = strings.TrimSpace(*assignee), strings.TrimSpace(*customer)
		if strings.Contains(f.Assignee, "@") {
			f.Assignee = strings.ToLower(f.Assignee) // assignees known by email are stored in lower case
		}
	} else if err := wantArgs(pos, 1, 1, "the ticket id (tickets show T-1001)"); err != nil {
		return err
	}

	cfg, db, err := openData(ctx, *cfgPath, *dataDir)
	if err != nil {
		return err
	}
	defer db.Close()
	loc := cfg.Policy.Location()
	if sub == "list" && *since != "" {
		if f.UpdatedSince, err = parseSince(*since, loc); err != nil {
			return err
		}
	}

	if sub == "list" {
		limit := f.Limit
		f.Limit = oneMore(limit)
		ts, err := db.List(ctx, f)
		if err != nil {
			return err
		}
		ts, cut := cutAt(ts, limit)
		if *asJSON {
			if ts == nil {
				ts = []*ticketing.Ticket{}
			}
			return writeJSON(e.stdout, ts)
		}
		printTicketList(e.stdout, ts, loc)
		noteCut(e.stderr, cut, limit)
		return nil
	}
	t, err := db.Get(ctx, pos[0])
	if err != nil {
		return err
	}
	events, err := db.Events(ctx, t.ID)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, t)
	}
	printTicket(e.stdout, t, events, loc)
	return nil
}

// parseSince reads --since: a day (its start in loc) or an RFC 3339 moment.
func parseSince(s string, loc *time.Location) (time.Time, error) {
	if t, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%w: --since %q: want a day YYYY-MM-DD or a moment like 2026-12-01T09:00:00+08:00", errUsage, s)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func printTicketList(w io.Writer, ts []*ticketing.Ticket, loc *time.Location) {
	if len(ts) == 0 {
		fmt.Fprintln(w, "no tickets")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tSTATUS\tMODEL\tASSIGNEE\tCREATED\tDUE")
	for _, t := range ts {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Kind, t.Status, dash(t.Model), dash(t.Assignee),
			t.CreatedAt.In(loc).Format("2006-01-02 15:04"), nextDue(t, loc))
	}
	tw.Flush()
}

// nextDue is the earliest deadline of a ticket, met or not; "-" for a
// ticket that is done (resolved, closed, cancelled), whose deadlines no
// longer run.
func nextDue(t *ticketing.Ticket, loc *time.Location) string {
	switch t.Status {
	case ticketing.StatusResolved, ticketing.StatusClosed, ticketing.StatusCancelled:
		return "-"
	}
	var ds []time.Time
	for _, d := range []*time.Time{t.Due.FirstResponse, t.Due.Onsite, t.Due.Resolution} {
		if d != nil {
			ds = append(ds, *d)
		}
	}
	if len(ds) == 0 {
		return "-"
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i].Before(ds[j]) })
	return ds[0].In(loc).Format("2006-01-02 15:04")
}

func printTicket(w io.Writer, t *ticketing.Ticket, events []ticketing.Event, loc *time.Location) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(tw, "%s:\t%s\n", k, v)
		}
	}
	ts := func(p *time.Time) string {
		if p == nil {
			return ""
		}
		return p.In(loc).Format("2006-01-02 15:04 MST")
	}
	row("ticket", fmt.Sprintf("%s  %s  %s", t.ID, t.Kind, t.Status))
	row("subject", t.Subject)
	row("customer", strings.TrimSpace(strings.Join([]string{t.Customer.Name, t.Customer.Email, t.Customer.Phone}, " ")))
	row("channel", strings.TrimSpace(t.Channel+" "+t.ChannelUser))
	row("model", t.Model)
	if !t.PurchaseDate.IsZero() {
		row("purchased", t.PurchaseDate.String())
	}
	row("proof", t.ProofRef)
	if t.Warranty != nil {
		cover := "not covered"
		if t.Warranty.Covered {
			cover = "covered"
		}
		row("warranty", fmt.Sprintf("%s (%s), last day %s", cover, t.Warranty.Reason, t.Warranty.Ends))
	}
	row("options", strings.Join(t.Options, ", "))
	keys := make([]string, 0, len(t.Details))
	for k := range t.Details {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		row(k, t.Details[k])
	}
	row("assignee", t.Assignee)
	row("first response due", ts(t.Due.FirstResponse))
	row("on-site visit due", ts(t.Due.Onsite))
	row("resolution due", ts(t.Due.Resolution))
	if q := t.Quote; q != nil {
		row("quote", fmt.Sprintf("%s (%s) %s", q.Amount, q.Status, q.Note))
	}
	if s := t.Satisfaction; s != nil {
		row("satisfaction", strings.TrimSpace(fmt.Sprintf("%d/5 %s", s.Score, s.Comment)))
	}
	row("created", t.CreatedAt.In(loc).Format("2006-01-02 15:04 MST"))
	tw.Flush()
	fmt.Fprintln(w, "\nhistory:")
	// The columns are as wide as their longest value (an agent acting by
	// their email address is longer than "bot"), so the changes line up.
	actorW, channelW := 12, 8
	for _, ev := range events {
		actorW = max(actorW, utf8.RuneCountInString(ev.Actor))
		channelW = max(channelW, utf8.RuneCountInString(ev.Channel))
	}
	for _, ev := range events {
		what := ev.Action
		var fields []string
		for k, ch := range ev.Changes {
			fields = append(fields, k+changedValues(ch))
		}
		sort.Strings(fields)
		if len(fields) > 0 {
			what += " " + strings.Join(fields, ", ")
		}
		if ev.Note != "" {
			what += ": " + ev.Note
		}
		fmt.Fprintf(w, "  %s  %-*s %-*s %s\n", ev.At.In(loc).Format("2006-01-02 15:04"), actorW, ev.Actor, channelW, ev.Channel, what)
	}
}

// changedValues shows a change of a short plain value (a status, an
// assignee) as " old → new", so that the steps of a ticket through its
// statuses read apart; "" for anything longer or structured.
func changedValues(ch ticketing.Change) string {
	short := func(raw json.RawMessage) (string, bool) {
		if len(raw) == 0 || string(raw) == "null" {
			return "-", true
		}
		var s string
		if json.Unmarshal(raw, &s) != nil || len(s) > 40 || strings.Contains(s, "\n") {
			return "", false
		}
		if s == "" {
			return "-", true
		}
		return s, true
	}
	from, ok1 := short(ch.Old)
	to, ok2 := short(ch.New)
	if !ok1 || !ok2 || from == to {
		return ""
	}
	return " " + from + " → " + to
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
