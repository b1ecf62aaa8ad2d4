package main

import (
	"context"
	"fmt"

	"github.com/supportd/supportd/dialog"
)

// flowsCmd shows and checks the dialog flow definition.
func flowsCmd(_ context.Context, e env, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: want 'flows graph' or 'flows check'", errUsage)
	}
	sub, args := args[0], args[1:]
	fs := newFlags("flows " + sub)
	format := new(string)
	switch sub {
	case "graph":
		format = fs.String("format", "mermaid", "output format: mermaid (a state diagram)")
	case "check":
	default:
		return fmt.Errorf("%w: unknown subcommand %q (want graph or check)", errUsage, sub)
	}
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 0, 0); err != nil {
		return err
	}
	if sub == "graph" && *format != "mermaid" {
		return fmt.Errorf("%w: --format: %q is not mermaid", errUsage, *format)
	}

	flow, err := dialog.NewFlow()
	if err != nil {
		return err
	}
	graph, err := flow.Mermaid()
	if err != nil {
		return err
	}
	if sub == "graph" {
		fmt.Fprint(e.stdout, graph)
		return nil
	}
	fmt.Fprintf(e.stdout, "%d states, %d transitions (version %s)\nflow is valid\n",
		len(flow.States()), flow.Transitions(), flow.Version())
	return nil
}
