package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/dialog/kb"
	"github.com/supportd/supportd/policy"
	"github.com/supportd/supportd/store/memory"
)

func checkConfigCmd(_ context.Context, e env, args []string) error {
	fs := newFlags("check-config")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 0, 1); err != nil {
		return err
	}
	path := ""
	if len(pos) == 1 {
		path = pos[0]
	}
	cfg, err := config.Load(path)
	if err != nil {
		return err
	}
	// The knowledge base and the texts are read as serve reads them, so
	// that a file serve would refuse is refused here.
	if _, err := newEngine(cfg, memory.New(), time.Now); err != nil {
		return err
	}
	printSummary(e.stdout, cfg)
	if w := calendarWarning(cfg); w != "" {
		fmt.Fprintln(e.stderr, "warning:", w)
	}
	return nil
}

// clock is the time check-config and serve judge the calendar by; tests fix it.
var clock = time.Now

// calendarWarning says when the configured holiday calendar has run out, or "".
func calendarWarning(cfg *config.Config) string {
	return cfg.Policy.CalendarWarning(policy.DateOf(clock(), cfg.Policy.Location()))
}

// configCmd prints an embedded file to start an own one from: the
// configuration, or with --texts / --knowledge the bot's texts or the
// knowledge base (files for dialog.texts and dialog.knowledge).
func configCmd(_ context.Context, e env, args []string) error {
	fs := newFlags("config")
	texts := fs.Bool("texts", false, "print the embedded texts of the bot instead (a file for dialog.texts)")
	knowledge := fs.Bool("knowledge", false, "print the embedded knowledge base instead (a file for dialog.knowledge)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || pos[0] != "default" {
		return fmt.Errorf("%w: want 'config default [--texts | --knowledge]'", errUsage)
	}
	out := config.Default()
	switch {
	case *texts && *knowledge:
		return fmt.Errorf("%w: --texts and --knowledge print different files: give one", errUsage)
	case *texts:
		out = dialog.DefaultTextsYAML()
	case *knowledge:
		out = kb.DefaultYAML()
	}
	_, err = e.stdout.Write(out)
	return err
}

func printSummary(w io.Writer, cfg *config.Config) {
	p := &cfg.Policy
	fmt.Fprintf(w, "%s: configuration is valid\n", cfg.Source)
	source := ""
	if cfg.DemoPolicy {
		source = " (no policy section: the embedded demo policy)"
	}
	fmt.Fprintf(w, "policy%s: time zone %s, currency %s\n", source, p.Timezone, p.Currency)
	fmt.Fprintf(w, "  categories (%d):\n", len(p.Categories))
	for _, c := range p.Categories {
		count := 0
		for _, pr := range p.Products {
			if pr.Category == c.ID {
				count++
			}
		}
		extra := ""
		if c.Onsite {
			extra += ", on-site service"
		}
		if c.Installation != "" && c.Installation != "none" {
			extra += ", installation " + string(c.Installation)
		}
		fmt.Fprintf(w, "    %-18s %s / %s: warranty %d months, %d products%s\n", c.ID, c.Name.Zh, c.Name.En, c.WarrantyMonths, count, extra)
	}
	fmt.Fprintf(w, "  products: %d\n", len(p.Products))
	cal := p.Calendar
	hours := cal.Hours.Start + "–" + cal.Hours.End
	for _, b := range cal.Hours.Breaks {
		hours += " (closed " + b.Start + "–" + b.End + ")"
	}
	fmt.Fprintf(w, "  calendar: %s, %s; %d holidays%s, %d make-up working days%s\n",
		strings.Join(cal.Workweek, " "), hours,
		len(cal.Holidays), dateSpan(cal.Holidays), len(cal.Workdays), dateSpan(cal.Workdays))
	fmt.Fprintf(w, "  returns: return within %d days, exchange within %d days\n", p.Returns.ReturnDays, p.Returns.ExchangeDays)
	var on []string
	if cfg.Channels.Webchat.Enabled {
		on = append(on, "webchat")
	}
	if cfg.Channels.Email.Enabled {
		on = append(on, "email")
	}
	if cfg.Channels.Slack.Enabled {
		on = append(on, "slack")
	}
	if len(on) == 0 {
		on = append(on, "none")
	}
	orEmbedded := func(path string) string {
		if path == "" {
			return "embedded"
		}
		return path
	}
	fmt.Fprintf(w, "dialog: texts %s, knowledge %s\n", orEmbedded(cfg.Dialog.Texts), orEmbedded(cfg.Dialog.Knowledge))
	if o := cfg.Dialog.ComplaintOwner; o.Agent != "" {
		fmt.Fprintf(w, "  complaint owner: %s (%s)\n", o.Name, o.Agent)
	}
	fmt.Fprintf(w, "channels enabled: %s\n", strings.Join(on, ", "))
	if r := cfg.Channels.Slack.SavedReplies; len(r) > 0 {
		fmt.Fprintf(w, "slack saved replies (%d): %s\n", len(r), strings.Join(slices.Sorted(maps.Keys(r)), ", "))
	}
	printWebhooks(w, cfg.Webhooks)
	fmt.Fprintf(w, "storage: %s at %s\n", cfg.Storage.Driver, cfg.DatabasePath())
	fmt.Fprintf(w, "server: %s\n", cfg.Server.Addr)
}

func dateSpan[D fmt.Stringer](ds []D) string {
	if len(ds) == 0 {
		return ""
	}
	first, last := ds[0].String(), ds[0].String()
	for _, d := range ds[1:] {
		s := d.String()
		first, last = min(first, s), max(last, s)
	}
	return fmt.Sprintf(" (%s … %s)", first, last)
}

// printWebhooks lists the webhooks by name and host (a URL's path or query
// may carry a token, and the secret is never shown).
func printWebhooks(w io.Writer, hooks []config.Webhook) {
	if len(hooks) == 0 {
		fmt.Fprintln(w, "webhooks: none")
		return
	}
	fmt.Fprintf(w, "webhooks (%d):\n", len(hooks))
	for _, h := range hooks {
		host := h.URL
		if u, err := url.Parse(h.URL); err == nil {
			host = u.Scheme + "://" + u.Host
		}
		signed := "signed"
		if h.Secret == "" {
			signed = "unsigned"
		}
		events := "every event"
		if len(h.Events) > 0 {
			events = strings.Join(h.Events, ", ")
		}
		fmt.Fprintf(w, "  %-18s %s, %s, %s, timeout %s\n", h.Name, host, signed, events, h.Timeout)
	}
}
