package policy

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestIsWorkingDay(t *testing.T) {
	p := testPolicy(t)
	cases := map[string]bool{
		"2026-09-30": true,  // Wednesday
		"2026-10-01": false, // holiday
		"2026-10-03": false, // Saturday inside the holiday
		"2026-10-08": true,  // Thursday, not listed
		"2026-10-10": true,  // 调休 Saturday
		"2026-10-11": false, // Sunday
		"2026-09-20": true,  // 调休 Sunday
		"2026-09-19": false,
	}
	for s, want := range cases {
		if got := p.IsWorkingDay(d(t, s)); got != want {
			t.Errorf("IsWorkingDay(%s) = %v, want %v", s, got, want)
		}
	}
}

func TestAddWorkingDays(t *testing.T) {
	p := testPolicy(t)
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	cases := []struct {
		name, from string
		n          int
		want       string
	}{
		{"next day", "2026-11-24T09:00:00+08:00", 1, "2026-11-25T18:00:00+08:00"},
		{"after hours counts from the date, not the hour", "2026-11-24T23:59:00+08:00", 1, "2026-11-25T18:00:00+08:00"},
		{"Friday to Monday", "2026-11-20T10:00:00+08:00", 1, "2026-11-23T18:00:00+08:00"},
		{"Saturday to Monday", "2026-11-21T10:00:00+08:00", 1, "2026-11-23T18:00:00+08:00"},
		{"three days over a weekend", "2026-11-26T10:00:00+08:00", 3, "2026-12-01T18:00:00+08:00"},
		{"across National Day", "2026-09-30T16:00:00+08:00", 1, "2026-10-08T18:00:00+08:00"},
		{"the make-up Saturday counts", "2026-10-09T10:00:00+08:00", 1, "2026-10-10T18:00:00+08:00"},
		{"from a holiday", "2026-10-02T10:00:00+08:00", 2, "2026-10-09T18:00:00+08:00"},
		{"the make-up Sunday before the holiday", "2026-09-18T12:00:00+08:00", 1, "2026-09-20T18:00:00+08:00"},
		{"UTC evening is the next local day", "2026-11-19T16:00:00Z", 1, "2026-11-23T18:00:00+08:00"},
		{"UTC afternoon is the same local day", "2026-11-19T09:59:00Z", 1, "2026-11-20T18:00:00+08:00"},
		{"ten days over the holiday and a make-up Saturday", "2026-09-28T09:00:00+08:00", 10, "2026-10-16T18:00:00+08:00"},
		{"zero in business hours: today's close", "2026-11-24T10:00:00+08:00", 0, "2026-11-24T18:00:00+08:00"},
		{"zero after the close: next working day", "2026-11-24T18:00:00+08:00", 0, "2026-11-25T18:00:00+08:00"},
		{"zero on a holiday", "2026-10-01T10:00:00+08:00", 0, "2026-10-08T18:00:00+08:00"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := p.AddWorkingDays(at(tc.from), tc.n)
			if err != nil {
				t.Fatal(err)
			}
			if got.Format(time.RFC3339) != tc.want {
				t.Errorf("AddWorkingDays(%s, %d) = %s, want %s", tc.from, tc.n, got.Format(time.RFC3339), tc.want)
			}
		})
	}
	if _, err := p.AddWorkingDays(at("2026-11-24T09:00:00+08:00"), -1); !errors.Is(err, ErrNegativeDays) {
		t.Errorf("n = -1: err = %v, want ErrNegativeDays", err)
	}
}

func TestBusinessHours(t *testing.T) {
	p := testPolicy(t)
	p.Calendar.Hours = Hours{Start: "09:30", End: "17:45"}
	p.ApplyDefaults()
	cases := []struct {
		at   time.Time
		open bool
		next string
	}{
		{time.Date(2026, 11, 24, 9, 29, 0, 0, shanghai), false, "2026-11-24T09:30:00+08:00"},
		{time.Date(2026, 11, 24, 9, 30, 0, 0, shanghai), true, "2026-11-24T09:30:00+08:00"},
		{time.Date(2026, 11, 24, 17, 44, 59, 0, shanghai), true, "2026-11-24T17:44:59+08:00"},
		{time.Date(2026, 11, 24, 17, 45, 0, 0, shanghai), false, "2026-11-25T09:30:00+08:00"},
		{time.Date(2026, 11, 27, 20, 0, 0, 0, shanghai), false, "2026-11-30T09:30:00+08:00"}, // Friday night
		{time.Date(2026, 10, 1, 11, 0, 0, 0, shanghai), false, "2026-10-08T09:30:00+08:00"},  // holiday
	}
	for _, tc := range cases {
		next, err := p.NextOpening(tc.at)
		if err != nil {
			t.Fatal(err)
		}
		if p.IsOpen(tc.at) != tc.open || next.Format(time.RFC3339) != tc.next {
			t.Errorf("%s: open %v next %s, want %v %s", tc.at, p.IsOpen(tc.at), next.Format(time.RFC3339), tc.open, tc.next)
		}
	}
	if got, _ := p.AddWorkingDays(time.Date(2026, 11, 24, 10, 0, 0, 0, shanghai), 1); got.Format("15:04") != "17:45" {
		t.Errorf("deadline at %s, want the configured close 17:45", got.Format("15:04"))
	}
}

// A lunch break and two back-to-back breaks are closed time: not open,
// the next opening is their end, and they use none of a deadline's time.
func TestBusinessBreaks(t *testing.T) {
	p := testPolicy(t)
	p.Calendar.Hours = Hours{Start: "09:00", End: "18:00", Breaks: []Break{{"12:00", "13:30"}, {"15:00", "15:15"}, {"15:15", "15:30"}}}
	p.ApplyDefaults()
	if errs := p.Validate(); len(errs) > 0 {
		t.Fatal(errs)
	}
	at := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, shanghai) }
	cases := []struct {
		at   time.Time
		open bool
		next time.Time
	}{
		{at(25, 11, 59), true, at(25, 11, 59)},
		{at(25, 12, 0), false, at(25, 13, 30)},
		{at(25, 13, 29), false, at(25, 13, 30)},
		{at(25, 13, 30), true, at(25, 13, 30)},
		{at(25, 15, 10), false, at(25, 15, 30)}, // the first of two breaks: the end of the second
		{at(25, 15, 30), true, at(25, 15, 30)},
		{at(27, 18, 0), false, at(30, 9, 0)}, // Friday's close
	}
	for _, tc := range cases {
		next, err := p.NextOpening(tc.at)
		if err != nil {
			t.Fatal(err)
		}
		if p.IsOpen(tc.at) != tc.open || !next.Equal(tc.next) {
			t.Errorf("%s: open %v next %s, want %v %s", tc.at, p.IsOpen(tc.at), next, tc.open, tc.next)
		}
	}
	for _, tc := range []struct {
		a, b time.Time
		want time.Duration
	}{
		{at(25, 10, 0), at(25, 14, 0), 150 * time.Minute},              // 4 h less the lunch break
		{at(25, 12, 30), at(25, 13, 0), 0},                             // inside it
		{at(25, 12, 45), at(25, 16, 0), 2*time.Hour + 0},               // 13:30–16:00 less 30 min of breaks
		{at(25, 9, 0), at(26, 18, 0), 2 * (9*time.Hour - 2*time.Hour)}, // two whole days
		{at(25, 17, 0), at(26, 9, 30), time.Hour + 30*time.Minute},     // over a night
	} {
		if got := p.BusinessTime(tc.a, tc.b); got != tc.want {
			t.Errorf("BusinessTime(%s, %s) = %s, want %s", tc.a.Format("Mon 15:04"), tc.b.Format("Mon 15:04"), got, tc.want)
		}
	}
	if got, _ := p.AddWorkingDays(at(25, 12, 30), 1); !got.Equal(at(26, 18, 0)) {
		t.Errorf("a deadline of 1 working day from the lunch break ends %s, want Thursday's close", got)
	}

	// A break at the opening moves the opening.
	p.Calendar.Hours = Hours{Start: "09:00", End: "18:00", Breaks: []Break{{"09:00", "09:30"}}}
	p.ApplyDefaults()
	if next, _ := p.NextOpening(at(27, 20, 0)); !next.Equal(at(30, 9, 30)) || p.IsOpen(at(30, 9, 10)) {
		t.Errorf("after Friday night the next opening is %s (open at 09:10: %v), want Monday 09:30", next, p.IsOpen(at(30, 9, 10)))
	}
}

func TestWorkingDaysBetween(t *testing.T) {
	p := testPolicy(t)
	a := time.Date(2026, 9, 30, 16, 0, 0, 0, shanghai)
	b := time.Date(2026, 10, 10, 9, 0, 0, 0, shanghai)
	if got := p.WorkingDaysBetween(a, b); got != 3 { // 8, 9 and the make-up 10 October
		t.Errorf("working days between = %d, want 3", got)
	}
	if got := p.WorkingDaysBetween(b, a); got != 0 {
		t.Errorf("backwards = %d, want 0", got)
	}
}

// WorkingDaysBefore is the earliest time a deadline of n working days can be
// set and still fall on t's day or later: set on its day, the deadline
// reaches t's day; set the day before, it falls short (for n = 0 the bound
// is a day early: set after the close, it is a 1-day deadline). Every day
// around the National Day holidays and their make-up days, n from 0 to 12.
func TestWorkingDaysBefore(t *testing.T) {
	p := testPolicy(t)
	if got, want := p.WorkingDaysBefore(time.Date(2026, 10, 9, 15, 0, 0, 0, shanghai), 3), time.Date(2026, 9, 29, 0, 0, 0, 0, shanghai); !got.Equal(want) {
		t.Errorf("3 working days before 9 October = %s, want %s (8 October, 30 and 29 September)", got, want)
	}
	for day := time.Date(2026, 9, 15, 0, 0, 0, 0, shanghai); day.Before(time.Date(2026, 10, 31, 0, 0, 0, 0, shanghai)); day = day.AddDate(0, 0, 1) {
		for n := 0; n <= 12; n++ {
			since := p.WorkingDaysBefore(day.Add(11*time.Hour), n)
			first, err := p.AddWorkingDays(since, n)
			if err != nil {
				t.Fatal(err)
			}
			before, err := p.AddWorkingDays(since.Add(-time.Nanosecond), n)
			if err != nil {
				t.Fatal(err)
			}
			if (first.Before(day) && n > 0) || !before.Before(day) {
				t.Errorf("%s, %d working days: since %s gives %s, a moment before gives %s", day.Format("2006-01-02"), n, since, first, before)
			}
		}
	}
}

func TestLongestDeadline(t *testing.T) {
	s := SLA{FirstResponse: 1, Repair: 7, ComplaintResolution: 10, OnsiteVisit: OnsiteSLA{Default: 3, Regions: map[string]int{"remote": 12, "shanghai": 1}}}
	if got := s.Longest(); got != 12 {
		t.Errorf("Longest = %d, want 12 (the remote region's visit)", got)
	}
	s.OnsiteVisit.Regions = nil
	if got := s.Longest(); got != 10 {
		t.Errorf("Longest = %d, want 10 (complaint resolution)", got)
	}
}

func TestBusinessTime(t *testing.T) {
	p := testPolicy(t) // 09:00–18:00, Monday to Friday, the 2026 holidays
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, shanghai) }
	cases := []struct {
		name string
		a, b time.Time
		want time.Duration
	}{
		{"Wednesday 10:00 to the Monday close", at(2026, 11, 25, 10, 0), at(2026, 11, 30, 18, 0), 35 * time.Hour},
		{"inside one day", at(2026, 11, 25, 10, 0), at(2026, 11, 25, 12, 30), 150 * time.Minute},
		{"over a weekend", at(2026, 11, 27, 17, 0), at(2026, 11, 30, 10, 0), 2 * time.Hour},
		{"night to night", at(2026, 11, 24, 22, 0), at(2026, 11, 25, 6, 0), 0},
		{"the National Day holiday", at(2026, 10, 1, 9, 0), at(2026, 10, 7, 18, 0), 0},
		{"into a make-up Saturday", at(2026, 9, 30, 16, 0), at(2026, 10, 10, 10, 0), 2*time.Hour + 18*time.Hour + time.Hour},
		{"backwards", at(2026, 11, 30, 18, 0), at(2026, 11, 25, 10, 0), 0},
		{"given in UTC", at(2026, 11, 25, 10, 0).UTC(), at(2026, 11, 25, 12, 0).UTC(), 2 * time.Hour},
	}
	for _, tc := range cases {
		if got := p.BusinessTime(tc.a, tc.b); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestNoWorkingDayIsAnError(t *testing.T) {
	p := testPolicy(t)
	p.Calendar.Workweek = []string{"sat"}
	p.Calendar.Workdays = nil
	var hol []Date
	for i := 0; i < horizon+14; i++ {
		hol = append(hol, d(t, "2026-01-01").AddDate(0, 0, i))
	}
	p.Calendar.Holidays = hol
	p.ApplyDefaults()
	if _, err := p.AddWorkingDays(time.Date(2026, 1, 1, 0, 0, 0, 0, shanghai), 1); !errors.Is(err, ErrNoWorkingDay) {
		t.Errorf("err = %v, want ErrNoWorkingDay rather than an endless search", err)
	}
}

// A deadline of more than a year's working days is refused at once instead
// of being counted day by day.
func TestAddWorkingDaysBound(t *testing.T) {
	p := testPolicy(t)
	from := time.Date(2026, 9, 30, 16, 0, 0, 0, shanghai)
	if _, err := p.AddWorkingDays(from, MaxDeadlineDays); err != nil {
		t.Errorf("%d working days: %v", MaxDeadlineDays, err)
	}
	if _, err := p.AddWorkingDays(from, 9000000000000000000); err == nil {
		t.Error("9e18 working days: no error")
	}
}

// The calendar warns, with a fixed clock, when no holiday is listed for the
// rest of this year or next year; holidays still ahead silence it.
func TestCalendarWarning(t *testing.T) {
	p := testPolicy(t) // holidays up to 2026-10-07
	cases := []struct {
		today string
		want  string
	}{
		{"2026-09-30", ""}, // National Day ahead
		{"2026-12-02", "calendar.holidays: the last public holiday listed is 2026-10-07: none after today (2026-12-02) in 2026 and none in 2027, " +
			"so working-day deadlines from now on count the coming public holidays as working days; add the holidays and make-up working days (workdays) of 2027"},
		{"2026-10-07", "calendar.holidays: the last public holiday listed is 2026-10-07: none after today (2026-10-07) in 2026 and none in 2027, " +
			"so working-day deadlines from now on count the coming public holidays as working days; add the holidays and make-up working days (workdays) of 2027"},
	}
	for _, tc := range cases {
		if got := p.CalendarWarning(d(t, tc.today)); got != tc.want {
			t.Errorf("%s: warning\n%q\nwant\n%q", tc.today, got, tc.want)
		}
	}
	p.Calendar.Holidays = append(p.Calendar.Holidays, d(t, "2027-02-16"))
	if got := p.CalendarWarning(d(t, "2026-12-02")); got != "" {
		t.Errorf("with 2027's Spring Festival listed: %q, want no warning", got)
	}
	var empty Policy
	empty.ApplyDefaults()
	if got := empty.CalendarWarning(d(t, "2026-12-02")); !strings.HasPrefix(got, "calendar.holidays: no public holidays are listed: none after today (2026-12-02)") {
		t.Errorf("no holidays: %q", got)
	}
}
