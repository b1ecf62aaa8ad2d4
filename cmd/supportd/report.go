package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/supportd/supportd/policy"
	"github.com/supportd/supportd/store/sqlite"
	"github.com/supportd/supportd/ticketing"
)

// reportDays is the default period: the last seven days, today included.
const reportDays = 7

// reportCmd prints the service report of a period (ticketing.Report).
func reportCmd(ctx context.Context, e env, args []string) error {
	fs := newFlags("report")
	cfgPath := fs.String("config", "", "configuration file (default: embedded)")
	dataDir := fs.String("data", "", "data directory (default: storage.data_dir)")
	fromFlag := fs.String("from", "", "first day, YYYY-MM-DD (default: six days before --to)")
	toFlag := fs.String("to", "", "last day, YYYY-MM-DD (default: today)")
	nowFlag := fs.String("now", "", "the report as of this moment, RFC3339 or YYYY-MM-DD (default: now)")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 0, 0); err != nil {
		return err
	}
	// The flags are checked before the database is opened (or created).
	cfg, err := loadConfig(*cfgPath, *dataDir, "")
	if err != nil {
		return err
	}
	loc := cfg.Policy.Location()
	clock, err := fixedClock(*nowFlag, loc)
	if err != nil {
		return err
	}
	now := clock()
	first, last, err := reportPeriod(*fromFlag, *toFlag, policy.DateOf(now, loc))
	if err != nil {
		return err
	}

	db, err := sqlite.Open(ctx, cfg.DatabasePath())
	if err != nil {
		return err
	}
	defer db.Close()
	from, to := first.In(loc, 0, 0), last.AddDate(0, 0, 1).In(loc, 0, 0)
	// A ticket opened or rated in the period was changed in it.
	all, err := db.List(ctx, ticketing.Filter{UpdatedSince: from})
	if err != nil {
		return err
	}
	events := map[string][]ticketing.Event{}
	for _, tk := range all {
		if !tk.CreatedAt.Before(from) && tk.CreatedAt.Before(to) {
			if events[tk.ID], err = db.Events(ctx, tk.ID); err != nil {
				return err
			}
		}
	}
	r := ticketing.NewReport(all, events, from, to, now)
	if *asJSON {
		return writeJSON(e.stdout, r)
	}
	printReport(e.stdout, r, first, last, now.In(loc))
	return nil
}

// reportPeriod reads --from and --to (days, both included).
func reportPeriod(fromFlag, toFlag string, today policy.Date) (first, last policy.Date, err error) {
	last = today
	if toFlag != "" {
		if last, err = policy.ParseDate(toFlag); err != nil {
			return first, last, fmt.Errorf("%w: --to: %v", errUsage, err)
		}
	}
	first = last.AddDate(0, 0, 1-reportDays)
	if fromFlag != "" {
		if first, err = policy.ParseDate(fromFlag); err != nil {
			return first, last, fmt.Errorf("%w: --from: %v", errUsage, err)
		}
	}
	if first.After(last) {
		return first, last, fmt.Errorf("%w: --from %s is after --to %s", errUsage, first, last)
	}
	return first, last, nil
}

func printReport(w io.Writer, r *ticketing.Report, first, last policy.Date, now time.Time) {
	fmt.Fprintf(w, "Report %s – %s (%s), as of %s\n", first, last, now.Location(), now.Format("2006-01-02 15:04"))
	fmt.Fprintf(w, "Tickets opened: %d (done by now: %d)\n", r.Opened, r.Done)
	if r.Opened > 0 {
		fmt.Fprintf(w, "  by kind:    %s\n", tallies(r.ByKind))
		fmt.Fprintf(w, "  by channel: %s\n", tallies(r.ByChannel))
	}
	if len(r.Deadlines) > 0 {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "Their deadlines\tmet in time\tmissed\trunning\tmet of those decided")
		for _, d := range r.Deadlines {
			share := "–"
			if decided := d.Met + d.Missed; decided > 0 {
				share = fmt.Sprintf("%d%%", (100*d.Met+decided/2)/decided)
			}
			fmt.Fprintf(tw, "  %s\t%d\t%d\t%d\t%s\n", strings.ReplaceAll(d.Name, "_", " "), d.Met, d.Missed, d.Running, share)
		}
		tw.Flush()
	}
	if rt := r.Ratings; rt.Count > 0 {
		fmt.Fprintf(w, "Ratings given: %d, average %.1f/5 (", rt.Count, rt.Average)
		for i, n := range rt.Scores {
			if i > 0 {
				fmt.Fprint(w, " · ")
			}
			fmt.Fprintf(w, "%d★ %d", i+1, n)
		}
		fmt.Fprintln(w, ")")
	} else {
		fmt.Fprintln(w, "Ratings given: none")
	}
	if len(r.Models) > 0 {
		parts := make([]string, len(r.Models))
		for i, m := range r.Models {
			parts[i] = fmt.Sprintf("%s %d", m.Key, m.N)
		}
		fmt.Fprintf(w, "Repairs by model: %s\n", strings.Join(parts, ", "))
	}
	if wr := r.Warranty; wr.Covered > 0 || len(wr.NotCovered) > 0 {
		fmt.Fprintf(w, "Warranty decisions of the repairs: %d covered", wr.Covered)
		if len(wr.NotCovered) > 0 {
			fmt.Fprintf(w, "; not covered: %s", tallies(wr.NotCovered))
		}
		fmt.Fprintln(w)
	}
}

// tallies prints counts by key, largest first: "repair 3, complaint 1".
func tallies[K ~string](m map[K]int) string {
	keys := slices.Collect(maps.Keys(m))
	slices.SortFunc(keys, func(a, b K) int {
		if m[a] != m[b] {
			return m[b] - m[a]
		}
		return strings.Compare(string(a), string(b))
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}
