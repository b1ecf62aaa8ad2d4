package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// newFlags returns a flag set that reports errors instead of exiting.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parse parses args allowing flags after positional arguments
// ("tickets show T-1001 --json") and returns the positional arguments. Errors
// wrap errUsage.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				var b strings.Builder
				fs.SetOutput(&b)
				fs.PrintDefaults()
				fs.SetOutput(io.Discard)
				return nil, &helpRequest{flags: strings.ReplaceAll(b.String(), "  -", "  --")}
			}
			return nil, fmt.Errorf("%w: %s", errUsage, flagDashes.ReplaceAllString(err.Error(), "$1--$2"))
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// flagDashes finds a flag named in the flag package's errors ("flag
// provided but not defined: -name"), to write it as the usage does: --name.
var flagDashes = regexp.MustCompile(`(: | for | flag )-([a-z])`)

// helpRequest is --help among a command's flags: the command's usage and
// its flags are printed, and the exit code is 0.
type helpRequest struct{ flags string }

func (h *helpRequest) Error() string { return "help requested" }

// wantArgs checks the number of positional arguments; what names the
// argument a command needs (e.g. "the ticket id"), said when it is missing.
func wantArgs(pos []string, min, max int, what ...string) error {
	if len(pos) < min {
		if len(what) > 0 {
			return fmt.Errorf("%w: missing argument: %s", errUsage, what[0])
		}
		return fmt.Errorf("%w: missing argument", errUsage)
	}
	if len(pos) > max {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, pos[max])
	}
	return nil
}

// multi is a repeatable string flag.
type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

// oneMore is the limit to query for a list of at most limit (0: all): one
// more, which tells whether the list is cut.
func oneMore(limit int) int {
	if limit > 0 {
		return limit + 1
	}
	return 0
}

// cutAt cuts a list queried with oneMore to limit, and says whether it was
// longer.
func cutAt[T any](xs []T, limit int) ([]T, bool) {
	if limit > 0 && len(xs) > limit {
		return xs[:limit], true
	}
	return xs, false
}

// noteCut says, on stderr (the table stays whole for a pipe), that a list
// was cut at --limit.
func noteCut(stderr io.Writer, cut bool, limit int) {
	if cut {
		fmt.Fprintf(stderr, "the newest %d shown: --limit N for more, --limit 0 for all\n", limit)
	}
}
