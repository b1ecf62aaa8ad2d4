package policy

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Money is an amount in the policy's currency, held in minor units (fen,
// cents) so that sums and differences are exact. In YAML and JSON it is a plain
// number of major units: 3999 or 3999.50.
type Money int64

// Yuan returns m as a number of major units.
func Yuan(major float64) Money { return Money(math.Round(major * 100)) }

// ErrExponent: an amount written with an exponent ("1e3"), which nobody
// means as a price; ParseMoney's error wraps it.
var ErrExponent = errors.New("an amount is written in full digits, without an exponent")

// maxWholeDigits bounds the major units of an amount (under a trillion).
const maxWholeDigits = 12

// ParseMoney parses a decimal amount as people write it: ASCII digits, an
// optional sign, and at most two decimals after a point ("3999", "12.5",
// "-20.05"). It is exact (no floating point) and refuses anything else:
// exponents ("1e3", wrapping ErrExponent), hexadecimal, "Inf", digit
// groups ("1,200"), currency signs ("¥380", "380元"), full-width digits.
func ParseMoney(s string) (Money, error) {
	s = strings.TrimSpace(s)
	num, neg := s, false
	if len(num) > 0 && (num[0] == '-' || num[0] == '+') {
		num, neg = num[1:], num[0] == '-'
	}
	whole, frac, dot := strings.Cut(num, ".")
	switch {
	case strings.ContainsAny(num, "eE") && digitsOr(num, ".eE+-"):
		return 0, fmt.Errorf("invalid amount %q: %w (1000, not 1e3)", s, ErrExponent)
	case !digits(whole) || dot && !digits(frac):
		return 0, fmt.Errorf("invalid amount %q: want a number such as 120 or 99.50", s)
	case len(frac) > 2:
		return 0, fmt.Errorf("invalid amount %q: at most two decimals", s)
	case len(strings.TrimLeft(whole, "0")) > maxWholeDigits:
		return 0, fmt.Errorf("invalid amount %q: too large", s)
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	f, _ := strconv.ParseInt((frac + "00")[:2], 10, 64)
	m := Money(w*100 + f)
	if neg {
		m = -m
	}
	return m, nil
}

// digits reports whether s is one or more ASCII digits.
func digits(s string) bool { return s != "" && digitsOr(s, "") }

// digitsOr reports whether s holds only ASCII digits and the bytes of also.
func digitsOr(s, also string) bool {
	for i := 0; i < len(s); i++ {
		if (s[i] < '0' || s[i] > '9') && strings.IndexByte(also, s[i]) < 0 {
			return false
		}
	}
	return true
}

// String formats m with two decimals when it has a fractional part
// ("3999", "12.50").
func (m Money) String() string {
	sign := ""
	v := int64(m)
	if v < 0 {
		sign, v = "-", -v
	}
	if v%100 == 0 {
		return fmt.Sprintf("%s%d", sign, v/100)
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}

// MarshalJSON writes m as a JSON number of major units.
func (m Money) MarshalJSON() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalJSON reads a JSON number of major units.
func (m *Money) UnmarshalJSON(b []byte) error {
	v, err := ParseMoney(strings.Trim(string(b), `"`))
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// UnmarshalYAML reads a number of major units.
func (m *Money) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: want an amount such as 120 or 99.50", n.Line)
	}
	v, err := ParseMoney(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*m = v
	return nil
}

// MarshalYAML writes m as a number of major units, in full digits (as
// ParseMoney reads it back: a float would be written 1e+06).
func (m Money) MarshalYAML() (any, error) {
	return &yaml.Node{Kind: yaml.ScalarNode, Value: m.String()}, nil
}
