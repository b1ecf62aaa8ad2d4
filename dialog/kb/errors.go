package kb

import (
	"errors"

	"github.com/supportd/supportd/internal/problem"
)

// ErrInvalid is matched by errors.Is for every *Error.
var ErrInvalid = errors.New("invalid knowledge base")

// Problem is one thing wrong with a knowledge base file, formatted as
// "faq[3].answer.en: required (kb.yaml:41)".
type Problem = problem.Problem

// Error lists every problem found in a knowledge base file, in line order.
type Error = problem.List
