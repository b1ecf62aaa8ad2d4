package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/supportd/supportd/dialog"
)

func TestFlowsGraph(t *testing.T) {
	flow, err := dialog.NewFlow()
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"flows", "graph"}, {"flows", "graph", "--format", "mermaid"}} {
		code, out, errOut := cli(t, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		if !strings.HasPrefix(out, "stateDiagram-v2\n") {
			t.Errorf("%v: not a Mermaid state diagram:\n%s", args, out)
		}
		for _, want := range []string{"[*] --> idle", "repair.consent --> handoff: consent", "handoff --> repair.quote: quote",
			"repair.quote --> idle: accept", "handoff --> idle: handback", "idle --> repair.collect: start_repair"} {
			if !strings.Contains(out, want+"\n") {
				t.Errorf("%v: the graph lacks %q", args, want)
			}
		}
		for _, s := range flow.States() {
			if !strings.Contains(out, " --> "+s+":") {
				t.Errorf("%v: no transition into state %s", args, s)
			}
		}
	}

	code, out, errOut := cli(t, "flows", "check")
	if code != 0 {
		t.Fatalf("check: exit %d: %s", code, errOut)
	}
	_, graph, _ := cli(t, "flows", "graph")
	head := fmt.Sprintf("%d states, %d transitions (version %s)\n", len(flow.States()), strings.Count(graph, "\n")-2, flow.Version())
	if out != head+"flow is valid\n" {
		t.Errorf("check printed %q, want %q + valid", out, head)
	}
}

func TestFlowsBadInput(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"flows"}, "want 'flows graph' or 'flows check'"},
		{[]string{"flows", "draw"}, `unknown subcommand "draw"`},
		{[]string{"flows", "graph", "--format", "dot"}, `--format: "dot" is not mermaid`},
		{[]string{"flows", "check", "--format", "mermaid"}, "format"},
		{[]string{"flows", "graph", "extra"}, `unexpected argument "extra"`},
	}
	for _, tc := range cases {
		code, out, errOut := cli(t, tc.args...)
		if code != 2 || out != "" || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 containing %q", tc.args, code, out, errOut, tc.want)
		}
	}
}
