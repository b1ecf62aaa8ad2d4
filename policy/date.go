package policy

import (
	"fmt"
	"time"

	"go.yaml.in/yaml/v3"
)

// Date is a calendar date without a time of day or a zone, such as a purchase
// date or a public holiday. The zero Date is "no date" (IsZero reports true).
//
// It is stored as midnight UTC so that date arithmetic never crosses a
// daylight-saving boundary.
type Date struct{ t time.Time }

const dateLayout = "2006-01-02"

// NewDate returns the date y-m-d, normalised the way time.Date normalises.
func NewDate(y int, m time.Month, d int) Date {
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// ParseDate parses an ISO date (YYYY-MM-DD).
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("invalid date %q: want YYYY-MM-DD", s)
	}
	return Date{t}, nil
}

// DateOf returns the calendar date of t in loc.
func DateOf(t time.Time, loc *time.Location) Date {
	y, m, d := t.In(loc).Date()
	return NewDate(y, m, d)
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d.t.IsZero() }

// String formats d as YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format(dateLayout)
}

// Year, Month and Day return the parts of d.
func (d Date) Year() int         { return d.t.Year() }
func (d Date) Month() time.Month { return d.t.Month() }
func (d Date) Day() int          { return d.t.Day() }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.t.Weekday() }

// AddDate adds years, months and days with time.Time.AddDate semantics
// (2025-01-31 plus one month is 2025-03-03).
func (d Date) AddDate(years, months, days int) Date {
	return Date{d.t.AddDate(years, months, days)}
}

// Before, After and Equal compare two dates.
func (d Date) Before(o Date) bool { return d.t.Before(o.t) }
func (d Date) After(o Date) bool  { return d.t.After(o.t) }
func (d Date) Equal(o Date) bool  { return d.t.Equal(o.t) }

// DaysUntil returns the number of calendar days from d to o (negative when o
// is earlier).
func (d Date) DaysUntil(o Date) int {
	return int(o.t.Sub(d.t).Hours() / 24)
}

// In returns the time at h:m on d in loc.
func (d Date) In(loc *time.Location, hour, min int) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), hour, min, 0, 0, loc)
}

// MarshalText and UnmarshalText make Date a YYYY-MM-DD string in JSON.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// UnmarshalYAML accepts a YYYY-MM-DD scalar, quoted or not.
func (d *Date) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: want a date YYYY-MM-DD", n.Line)
	}
	v, err := ParseDate(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*d = v
	return nil
}

// MarshalYAML writes d as YYYY-MM-DD.
func (d Date) MarshalYAML() (any, error) { return d.String(), nil }
