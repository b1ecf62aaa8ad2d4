// Package problem reports what is wrong with a file an operator edits (the
// configuration, the knowledge base): every problem at once, each with its
// key path and line.
package problem

import (
	"fmt"
	"strings"
)

// Problem is one thing wrong with a file.
type Problem struct {
	Path string // key path, e.g. policy.products[3].category
	Msg  string
	File string // base name of the file
	Line int    // 0 when unknown
}

// String formats the problem as
// "policy.products[3].category: unknown category "tv" (supportd.yaml:41)".
func (p Problem) String() string {
	s := p.Msg
	if p.Path != "" {
		s = p.Path + ": " + p.Msg
	}
	if p.Line > 0 {
		s += fmt.Sprintf(" (%s:%d)", p.File, p.Line)
	}
	return s
}

// List is the error listing every problem found in a file, one a line.
// errors.Is(err, Kind) is true for it, so each kind of file has its own
// sentinel.
type List struct {
	Problems []Problem
	Kind     error
}

func (l *List) Error() string {
	lines := make([]string, len(l.Problems))
	for i, p := range l.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Is reports whether target is the list's Kind.
func (l *List) Is(target error) bool { return l.Kind != nil && target == l.Kind }
