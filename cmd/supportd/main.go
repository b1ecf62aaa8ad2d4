// Command supportd is the omnichannel after-sales support gateway: it serves
// the channels, runs the dialog engine and keeps the tickets. Its other
// subcommands let an operator check a configuration and inspect tickets.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// env is what a subcommand reads and writes.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

// errUsage marks a command line that could not be understood: exit code 2.
var errUsage = errors.New("usage")

type command struct {
	name  string
	usage string
	run   func(ctx context.Context, e env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "serve [--config FILE] [--data DIR] [--addr HOST:PORT]", serveCmd},
		{"check-config", "check-config [FILE]", checkConfigCmd},
		{"config", "config default [--texts | --knowledge]   (the embedded configuration, or the bot's texts / knowledge base to edit)", configCmd},
		{"policy", "policy check --model M --purchased YYYY-MM-DD [--now YYYY-MM-DD] [--no-proof] [--card-mismatch] [--card-altered] [--exclusion E]... [--packaging intact|damaged] [--exchange-to M] [--region R] [--config FILE] [--json]", policyCmd},
		{"kb", "kb ask QUESTION... [--lang zh|en] [--config FILE] | kb test FILE [--lang zh|en] [--config FILE]   (what the knowledge base answers, and why not)", kbCmd},
		{"sla", "sla due --from RFC3339 --working-days N [--config FILE]", slaCmd},
		{"chat", "chat [--config FILE] [--data DIR] [--lang zh|en] [--now RFC3339|YYYY-MM-DD] [--user NAME] [--json]", chatCmd},
		{"tickets", "tickets list [--kind K] [--status S] [--assignee AGENT] [--customer EMAIL|ID] [--since DAY|RFC3339] [--limit N] [--json] | tickets show ID [--json]\n" +
			"         | tickets claim|handback|release ID | tickets reply ID TEXT... [--name NAME] | tickets reply ID --saved NAME [TEXT...] | tickets note ID TEXT... | tickets quote ID --amount N [--note TEXT] | tickets withdraw|resolve ID [--note TEXT]\n" +
			"           (actions take [--agent NAME, default $SUPPORTD_AGENT] [--now T] [--json]; all take [--config FILE] [--data DIR])", ticketsCmd},
		{"mail", "mail list [--status S] [--limit N] [--json] | mail show KEY [--raw] [--json] | mail sent [--status S] [--limit N] [--json]\n" +
			"           (all take [--config FILE] [--data DIR])", mailCmd},
		{"customer", "customer show --email ADDR | --user CHANNEL:ID [--json] | customer forget --email ADDR | --user CHANNEL:ID [--operator NAME, default $SUPPORTD_AGENT] [--yes] [--dry-run]\n" +
			"           (both take [--config FILE] [--data DIR])", customerCmd},
		{"report", "report [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--now T] [--json] [--config FILE] [--data DIR]", reportCmd},
		{"flows", "flows graph [--format mermaid] | flows check", flowsCmd},
		{"version", "version", func(_ context.Context, e env, _ []string) error {
			fmt.Fprintln(e.stdout, "supportd", version)
			return nil
		}},
	}
}

// ownFlags are the commands that take flags with no subcommand before them.
var ownFlags = map[string]bool{"serve": true, "check-config": true, "chat": true, "report": true}

func usage(w io.Writer) {
	fmt.Fprintln(w, "supportd: omnichannel after-sales support gateway")
	fmt.Fprintln(w, "\nUsage:")
	for _, c := range commands() {
		fmt.Fprintln(w, "  supportd", c.usage)
	}
}

// run executes one command line and returns the process exit code: 0 on
// success, 1 when the command failed, 2 when it was not understood.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := env{stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		// A command with subcommands has no flags of its own to list; the
		// others list theirs (parse answers --help with them).
		if len(args) == 2 && (args[1] == "--help" || args[1] == "-h" || args[1] == "help") && (!ownFlags[c.name] || args[1] == "help") {
			fmt.Fprintf(stdout, "usage: supportd %s\n", c.usage)
			return 0
		}
		err := c.run(ctx, e, args[1:])
		var help *helpRequest
		switch {
		case err == nil:
			return 0
		case errors.As(err, &help):
			fmt.Fprintf(stdout, "usage: supportd %s\n%s", c.usage, help.flags)
			return 0
		case errors.Is(err, errUsage):
			fmt.Fprintf(stderr, "supportd %s: %v\nusage: supportd %s\n", c.name, err, c.usage)
			return 2
		default:
			fmt.Fprintf(stderr, "supportd %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(stderr, "supportd: unknown command %q\n", args[0])
	usage(stderr)
	return 2
}
