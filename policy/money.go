package policy

import (
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

// ParseMoney parses a decimal amount such as "3999", "12.5" or "-20.05".
func ParseMoney(s string) (Money, error) {
	s = strings.TrimSpace(s)
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, fmt.Errorf("invalid amount %q: want a number such as 120 or 99.50", s)
	}
	if i := strings.IndexByte(s, '.'); i >= 0 && len(s)-i-1 > 2 {
		return 0, fmt.Errorf("invalid amount %q: at most two decimals", s)
	}
	return Yuan(f), nil
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

// MarshalYAML writes m as a number of major units.
func (m Money) MarshalYAML() (any, error) { return float64(m) / 100, nil }
