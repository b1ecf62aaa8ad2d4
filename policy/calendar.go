package policy

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrNegativeDays is returned for a negative number of working days.
var ErrNegativeDays = errors.New("working days must be 0 or more")

// ErrNoWorkingDay is returned when the calendar has no working day within the
// search horizon (an empty workweek, or a year of holidays).
var ErrNoWorkingDay = errors.New("the calendar has no working day within ten years")

// horizon bounds every search for a working day.
const horizon = 3660

var weekdays = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
}

func parseWeekday(s string) (time.Weekday, bool) {
	wd, ok := weekdays[strings.ToLower(strings.TrimSpace(s))]
	return wd, ok
}

// parseClock parses "HH:MM" (24-hour) into minutes after midnight; "24:00" is
// the end of the day.
func parseClock(s string) (int, error) {
	t, err := time.Parse("15:04", s)
	if err == nil {
		return t.Hour()*60 + t.Minute(), nil
	}
	if s == "24:00" {
		return 24 * 60, nil
	}
	return 0, fmt.Errorf("%q is not a time of day HH:MM", s)
}

// IsWorkingDay reports whether d is a working day: a workweek day that is not
// a holiday, or a make-up working day (调休).
func (p *Policy) IsWorkingDay(d Date) bool {
	if p.idx.workdays[d] {
		return true
	}
	return p.idx.workweek[d.Weekday()] && !p.idx.holidays[d]
}

// NextWorkingDay returns the first working day strictly after d.
func (p *Policy) NextWorkingDay(d Date) (Date, error) {
	for i := 1; i <= horizon; i++ {
		if n := d.AddDate(0, 0, i); p.IsWorkingDay(n) {
			return n, nil
		}
	}
	return Date{}, fmt.Errorf("after %s: %w", d, ErrNoWorkingDay)
}

// AddWorkingDays returns the deadline n working days after t: the close of
// business, in the policy time zone, of the n-th working day strictly after
// t's local date. With n = 0 it is the close of business of t's own day when
// that is a working day and t is before the close, else of the next working
// day. The result is in the policy time zone.
func (p *Policy) AddWorkingDays(t time.Time, n int) (time.Time, error) {
	if n < 0 {
		return time.Time{}, fmt.Errorf("%w, got %d", ErrNegativeDays, n)
	}
	if n > MaxDeadlineDays {
		return time.Time{}, fmt.Errorf("%d working days: at most %d (a year)", n, MaxDeadlineDays)
	}
	loc := p.Location()
	d := DateOf(t, loc)
	if n == 0 {
		if p.IsWorkingDay(d) && t.Before(p.closeOf(d)) {
			return p.closeOf(d), nil
		}
		n = 1
	}
	for ; n > 0; n-- {
		var err error
		if d, err = p.NextWorkingDay(d); err != nil {
			return time.Time{}, err
		}
	}
	return p.closeOf(d), nil
}

// MaxDeadlineDays bounds a deadline in working days: a year's worth. Every
// deadline of the standard is a few days; a larger one is a mistake, and
// counting it day by day would stall the turn that sets it.
const MaxDeadlineDays = 260

// WorkingDaysBefore returns the start of the n-th working day before t's
// date (t's own day not counted), in the policy time zone: a deadline of at
// most n working days (AddWorkingDays) set before it falls before t's day.
// n < 1 counts as 1: a deadline of 0 days set after the close falls on the
// next working day. Without n working days in the search horizon it is the
// horizon's start.
func (p *Policy) WorkingDaysBefore(t time.Time, n int) time.Time {
	loc := p.Location()
	d := DateOf(t, loc)
	n = max(n, 1)
	for i := 1; i <= horizon && n > 0; i++ {
		if d = d.AddDate(0, 0, -1); p.IsWorkingDay(d) {
			n--
		}
	}
	return d.In(loc, 0, 0)
}

// WorkingDaysBetween counts the working days after a's date up to and
// including b's date; 0 when b is not after a.
func (p *Policy) WorkingDaysBetween(a, b time.Time) int {
	loc := p.Location()
	from, to := DateOf(a, loc), DateOf(b, loc)
	n := 0
	for d := from.AddDate(0, 0, 1); !d.After(to); d = d.AddDate(0, 0, 1) {
		if p.IsWorkingDay(d) {
			n++
		}
	}
	return n
}

// BusinessTime returns how much of the time from a to b falls inside
// business hours on working days: the time a deadline set in working days
// really gives, for saying how much of it is used. 0 when b is not after a.
func (p *Policy) BusinessTime(a, b time.Time) time.Duration {
	if !b.After(a) {
		return 0
	}
	loc := p.Location()
	var total time.Duration
	last := DateOf(b, loc)
	for d, i := DateOf(a, loc), 0; !d.After(last) && i <= horizon; d, i = d.AddDate(0, 0, 1), i+1 {
		if !p.IsWorkingDay(d) {
			continue
		}
		from, to := latest(a, p.openOf(d)), earliest(b, p.closeOf(d))
		if !to.After(from) {
			continue
		}
		total += to.Sub(from)
		for _, br := range p.idx.breaks {
			if bf, bt := latest(from, p.clock(d, br[0])), earliest(to, p.clock(d, br[1])); bt.After(bf) {
				total -= bt.Sub(bf)
			}
		}
	}
	return total
}

func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earliest(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// IsOpen reports whether t falls inside business hours on a working day:
// whether a human is expected to answer now.
func (p *Policy) IsOpen(t time.Time) bool {
	d := DateOf(t, p.Location())
	if !p.IsWorkingDay(d) {
		return false
	}
	o, ok := p.firstOpen(d, t)
	return ok && o.Equal(t)
}

// NextOpening returns t when business is open at t, else the next moment
// business hours begin.
func (p *Policy) NextOpening(t time.Time) (time.Time, error) {
	d := DateOf(t, p.Location())
	if p.IsWorkingDay(d) {
		if o, ok := p.firstOpen(d, t); ok {
			return o, nil
		}
	}
	next, err := p.NextWorkingDay(d)
	if err != nil {
		return time.Time{}, err
	}
	o, _ := p.firstOpen(next, p.openOf(next)) // valid breaks leave hours open
	return o, nil
}

// firstOpen returns the first moment from t on that working day d is open:
// t itself, the opening, or the end of the break t falls in; false when d
// closes before that.
func (p *Policy) firstOpen(d Date, t time.Time) (time.Time, bool) {
	t = latest(t, p.openOf(d))
	for _, br := range p.idx.breaks { // in order: a break ending where the next starts is skipped too
		if !t.Before(p.clock(d, br[0])) && t.Before(p.clock(d, br[1])) {
			t = p.clock(d, br[1])
		}
	}
	return t, t.Before(p.closeOf(d))
}

// clock returns minute m (after midnight) of day d in the policy time zone.
func (p *Policy) clock(d Date, m int) time.Time { return d.In(p.Location(), m/60, m%60) }

func (p *Policy) openOf(d Date) time.Time { return p.clock(d, p.idx.open) }

func (p *Policy) closeOf(d Date) time.Time { return p.clock(d, p.idx.shut) }

// CalendarWarning says when the holiday calendar has run out: no public
// holiday is listed after today in today's year, nor any in the next year,
// so deadlines counted from now on treat the coming holidays (Spring
// Festival, ...) as working days. It returns "" while the calendar still
// covers the time ahead. today is in the policy time zone.
func (p *Policy) CalendarWarning(today Date) string {
	var last Date
	for _, h := range p.Calendar.Holidays {
		if h.After(today) && h.Year() <= today.Year()+1 {
			return ""
		}
		if h.After(last) {
			last = h
		}
	}
	listed := "no public holidays are listed"
	if !last.IsZero() {
		listed = "the last public holiday listed is " + last.String()
	}
	return fmt.Sprintf("calendar.holidays: %s: none after today (%s) in %d and none in %d, "+
		"so working-day deadlines from now on count the coming public holidays as working days; add the holidays and make-up working days (workdays) of %d",
		listed, today, today.Year(), today.Year()+1, today.Year()+1)
}
