// Command supportbench is the load harness of BENCHMARKS.md. It drives
// WebSocket sessions through scripted after-sales dialogs against three
// servers, each started as a child process of its own (optionally pinned to
// one core), in alternating repetitions:
//
//   - gateway-sqlite: the web chat channel and the dialog engine on SQLite;
//   - gateway-memory: the same on the in-memory store (store/memory);
//   - echo: a plain gorilla/websocket JSON echo server with the channel's
//     buffer sizes, the ceiling.
//
// It reports turns/s at saturation (closed loop), latency percentiles at a
// constant arrival rate measured from each turn's intended send time (no
// coordinated omission, HDR histograms), and the server's memory per idle
// connection, with the ratios gateway ÷ echo. With -peer it also measures a
// Botkit bot installed by bench/install-botkit.sh.
//
// The email figures (-email, on by default; -email-only) compare the email
// channel with a bare go-imap client, both draining queued mails from a
// throwaway Dovecot (internal/dovecot), and measure the time from a new
// mail's APPEND to its committed turn while the channel idles (IDLE). A
// smoke run skips them when Dovecot is not installed.
//
//	go run ./cmd/supportbench -smoke          # seconds: CI's check that the harness works
//	go run ./cmd/supportbench -out bench.json # the full run of BENCHMARKS.md
//	go run ./cmd/supportbench -email-only     # only the email figures
//
// Every address it dials or listens on is on the loopback interface, and
// every load loop is bounded in count and time.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
