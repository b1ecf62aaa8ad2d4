package main

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

func slaCmd(_ context.Context, e env, args []string) error {
	if len(args) == 0 || args[0] != "due" {
		return fmt.Errorf("%w: want 'sla due'", errUsage)
	}
	fs := newFlags("sla due")
	cfgPath := fs.String("config", "", "configuration file (default: embedded)")
	from := fs.String("from", "", "start moment, RFC3339 (e.g. 2026-09-30T16:00:00+08:00)")
	days := fs.String("working-days", "", "number of working days N ≥ 0")
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 0, 0); err != nil {
		return err
	}
	if *from == "" || *days == "" {
		return fmt.Errorf("%w: --from and --working-days are required", errUsage)
	}
	t, err := time.Parse(time.RFC3339, *from)
	if err != nil {
		return fmt.Errorf("%w: --from: %q is not RFC3339 (e.g. 2026-09-30T16:00:00+08:00)", errUsage, *from)
	}
	n, err := strconv.Atoi(*days)
	if err != nil {
		return fmt.Errorf("%w: --working-days: %q is not a whole number", errUsage, *days)
	}
	if n < 0 {
		return fmt.Errorf("%w: --working-days: %d is not 0 or more", errUsage, n)
	}
	cfg, err := loadOffline(*cfgPath, "")
	if err != nil {
		return err
	}
	due, err := cfg.Policy.AddWorkingDays(t, n)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, due.Format(time.RFC3339))
	return nil
}
