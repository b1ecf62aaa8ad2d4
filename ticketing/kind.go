package ticketing

import (
	"fmt"
	"slices"
	"strings"
)

// Kind is what a ticket is about; it never changes once the ticket exists.
type Kind string

// The ticket kinds, one per after-sales journey.
const (
	KindConsultation Kind = "consultation"
	KindInstallation Kind = "installation"
	KindRepair       Kind = "repair"
	KindReturn       Kind = "return"
	KindExchange     Kind = "exchange"
	KindComplaint    Kind = "complaint"
)

var kinds = []Kind{KindConsultation, KindInstallation, KindRepair, KindReturn, KindExchange, KindComplaint}

// Kinds returns every valid kind, in a fixed order. The caller owns the slice.
func Kinds() []Kind { return slices.Clone(kinds) }

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool { return slices.Contains(kinds, k) }

// ParseKind returns the kind named s. The error lists the valid kinds.
func ParseKind(s string) (Kind, error) {
	if k := Kind(s); k.Valid() {
		return k, nil
	}
	return "", fmt.Errorf("unknown ticket kind %q (want %s)", s, list(kinds))
}

// list joins values as "a, b or c".
func list[T ~string](vs []T) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = string(v)
	}
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}
