package slack

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/supportd/supportd/policy"
	"github.com/supportd/supportd/ticketing"
)

// openStatuses are the statuses of tickets that still need an agent.
var openStatuses = []ticketing.Status{
	ticketing.StatusNew, ticketing.StatusOpen, ticketing.StatusAssigned, ticketing.StatusInProgress,
	ticketing.StatusWaitingCustomer, ticketing.StatusReopened,
}

// warnAt is the share of a deadline's time after which the thread is warned.
const warnAt = 0.8

// runSLA checks the deadlines of open tickets every sla_interval, and on
// start; each check also resyncs the open tickets, so that an escalation
// missed while the process was down is posted.
func (d *Desk) runSLA(ctx context.Context) error {
	tick := time.NewTicker(d.cfg.SLAInterval)
	defer tick.Stop()
	for {
		if err := d.checkSLA(ctx); err != nil && ctx.Err() == nil {
			d.log.Warn("sla check", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// checkSLA posts the warnings due at the business clock's now.
func (d *Desk) checkSLA(ctx context.Context) error {
	now := d.now()
	var first error
	for _, st := range openStatuses {
		tks, err := d.store.List(ctx, ticketing.Filter{Status: st})
		if err != nil {
			return err
		}
		for _, tk := range tks {
			d.markLater(tk.ID, "")
			if err := d.warn(ctx, tk, now); err != nil && first == nil {
				first = err
			}
		}
	}
	signal(d.dirty)
	if err := d.calendarNotice(ctx, now); err != nil && first == nil {
		first = err
	}
	return first
}

// calendarNotice tells the default channel, once for each year the holiday
// calendar lacks, that deadlines count that year's public holidays as
// working days (policy.CalendarWarning), so the countdowns come out short,
// and what to do.
func (d *Desk) calendarNotice(ctx context.Context, now time.Time) error {
	pol := d.policy()
	today := policy.DateOf(now, pol.Location())
	if pol.CalendarWarning(today) == "" {
		return nil
	}
	year := today.Year() + 1
	text := fmt.Sprintf("📅 The holiday calendar (policy.calendar.holidays) lists no public holiday after today, nor any in %d: "+
		"deadlines from now on count %d's public holidays as working days, so the countdowns here come out too short. "+
		"Add the public holidays and make-up working days (workdays) of %d to the configuration and reload supportd (SIGHUP).", year, year, year)
	_, _, err := d.post(ctx, fmt.Sprintf("calendar:%d", year), d.cfg.DefaultChannel, "", text, nil)
	return err
}

// met reports whether a deadline no longer runs (ticketing.Meets).
func met(tk *ticketing.Ticket, deadline string) bool { return ticketing.Meets(tk.Status, deadline) }

// waiting reports whether a ticket waits for the customer (the answer to a
// quote): no deadline runs then, and none is warned about; the repair
// deadline starts again when the customer accepts.
func waiting(tk *ticketing.Ticket) bool { return tk.Status == ticketing.StatusWaitingCustomer }

// stillDue says, as the warning of a ticket's deadline is about to be
// posted, whether it still holds: the ticket may have been resolved, met the
// deadline, waited for the customer, had the deadline moved or changed
// owner since the check read it (a 429's pause, the channel's pace and the
// other tickets' warnings come between). errStale when it does not.
func (d *Desk) stillDue(ctx context.Context, id, owner, name string, due time.Time) error {
	tk, err := d.store.Get(ctx, id)
	if err != nil {
		return err
	}
	if closed(tk.Status) || waiting(tk) || met(tk, name) || tk.Assignee != owner {
		// A new owner (claimed, released meanwhile): the next check
		// warns them, not the one the text mentions.
		return errStale
	}
	for _, dl := range deadlines(tk) {
		if dl[0].(string) == name && dl[1].(time.Time).Equal(due) {
			return nil
		}
	}
	return errStale
}

// warn posts a ticket's SLA warnings in its thread, each once: when 80% of
// the business hours to a deadline are gone, and when it is breached.
func (d *Desk) warn(ctx context.Context, tk *ticketing.Ticket, now time.Time) error {
	if waiting(tk) {
		return nil
	}
	th, ok, err := d.db.SlackThread(ctx, tk.ID)
	if err != nil || !ok {
		return err
	}
	for _, dl := range deadlines(tk) {
		name, due := dl[0].(string), dl[1].(time.Time)
		if name == "onsite" || met(tk, name) {
			continue
		}
		// Deadlines are in working days: the share used is of business
		// hours, so a Friday-evening ticket does not warn on Sunday. A
		// repair's deadline starts again when its quote is accepted.
		start := tk.CreatedAt
		if q := tk.Quote; name == "resolution" && q != nil && q.AcceptedAt != nil && q.AcceptedAt.After(start) {
			start = *q.AcceptedAt
		}
		pol := d.policy()
		total, used := pol.BusinessTime(start, due), pol.BusinessTime(start, now)
		if total <= 0 { // due before any business hour: the share of clock time
			total, used = due.Sub(start), now.Sub(start)
		}
		if total <= 0 {
			continue
		}
		level := ""
		switch {
		case !now.Before(due):
			level = "breach"
		case used >= time.Duration(float64(total)*warnAt):
			level = "warn"
		default:
			continue
		}
		who := d.mention(ctx, tk.Assignee)
		if who == "" {
			who = "<!here> (unclaimed)"
		}
		label := deadlineLabels[name]
		text := fmt.Sprintf("⏰ %s %s: 80%% of the working time is gone, %s.", who, tk.ID, d.due(label, due, now))
		if level == "breach" {
			text = fmt.Sprintf("🚨 %s %s: the %s deadline is breached, %s.", who, tk.ID, label, d.due(label, due, now))
		}
		key := fmt.Sprintf("sla:%s:%s:%s:%d", tk.ID, name, level, due.Unix())
		still := func() error { return d.stillDue(ctx, tk.ID, tk.Assignee, name, due) }
		if _, _, err := d.postIf(ctx, key, th.Channel, th.TS, text, nil, still); err != nil && !errors.Is(err, errStale) {
			return err
		}
	}
	return nil
}
