package kb

import (
	"errors"
	"fmt"
	"strings"
)

// ErrInvalid is matched by errors.Is for every *Error.
var ErrInvalid = errors.New("invalid knowledge base")

// Problem is one thing wrong with a knowledge base file.
type Problem struct {
	Path string // key path, e.g. faq[3].answer.en
	Msg  string
	File string // base name of the file
	Line int    // 0 when unknown
}

// String formats the problem as "faq[3].answer.en: required (kb.yaml:41)".
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

// Error lists every problem found in a knowledge base file, in line order.
type Error struct{ Problems []Problem }

func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Is makes errors.Is(err, ErrInvalid) true for an *Error.
func (e *Error) Is(target error) bool { return target == ErrInvalid }
