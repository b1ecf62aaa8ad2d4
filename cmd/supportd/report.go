package main

import (
	"context"
	"fmt"

	"github.com/supportd/supportd/policy"
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
	cfg, clock, err := configAndClock(*cfgPath, *dataDir, *nowFlag)
	if err != nil {
		return err
	}
	loc := cfg.Policy.Location()
	now := clock()
	first, last, err := reportPeriod(*fromFlag, *toFlag, policy.DateOf(now, loc))
	if err != nil {
		return err
	}
	if now.Before(first.In(loc, 0, 0)) {
		// As of a moment before the period, its tickets and deadlines
		// would be read as they stand later: nothing is as of then.
		return fmt.Errorf("%w: --now %s is before the period's first day %s", errUsage, now.In(loc).Format("2006-01-02 15:04"), first)
	}

	db, err := openServed(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	r, err := ticketing.ReportOf(ctx, db, first.In(loc, 0, 0), last.AddDate(0, 0, 1).In(loc, 0, 0), now)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, r)
	}
	r.WriteText(e.stdout, loc)
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
