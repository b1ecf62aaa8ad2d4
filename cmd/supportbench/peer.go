package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// The peer comparison: the four-turn exchange dialog (exchangeScript) on
// the gateway, in memory and on SQLite, and on a Botkit bot doing the same
// dialog over its web adapter with its in-memory storage
// (bench/botkit/bot.js). Each server is pinned to the same core; figures are
// completed dialogs/s at saturation and memory per session in progress.

var peerModes = []string{modeBotkit, modeMemory, modeSQLite}

// peerResult is the peer comparison.
type peerResult struct {
	Script   string              `json:"script"`
	Botkit   string              `json:"botkit"` // versions
	Sessions int                 `json:"sessions"`
	Reps     []map[string]peerOf `json:"repetitions"`
	Summary  []row               `json:"summary"` // ratios are gateway ÷ Botkit
}

// peerOf is one server's figures in one repetition.
type peerOf struct {
	Saturation runResult  `json:"saturation"`
	Sessions   idleResult `json:"sessions"`
}

// peerRun runs the comparison, o.reps times, servers in turn.
func (b *bencher) peerRun(ctx context.Context) (*peerResult, error) {
	o := b.o
	versions, err := botkitInstalled(o.peerDir)
	if err != nil {
		return nil, err
	}
	p := &peerResult{Script: exchangeScript.name + " from dialog/testdata/transcripts/" + exchangeScript.source, Botkit: versions, Sessions: o.peerSess}
	for r := range o.reps {
		rep := map[string]peerOf{}
		p.Reps = append(p.Reps, rep)
		for i := range peerModes {
			m := peerModes[(i+r)%len(peerModes)]
			var of peerOf
			b.logf("peer rep %d: %s: saturation, %d sessions", r+1, m, o.sessions)
			err := b.with(ctx, m, "peer-saturation", r, func(ch *child, t *target) error {
				res, err := closedLoop(ctx, ch, t, exchangeScript, o.sessions, o.warmup, o.duration)
				of.Saturation = res
				return errors.Join(err, res.err(t))
			})
			if err != nil {
				p.summarise()
				return p, err
			}
			b.logf("  %.0f dialogs/s, server %.2f cores", of.Saturation.DialogsPS, of.Saturation.ServerCPU)
			if o.peerSess > 0 {
				b.logf("peer rep %d: %s: %d sessions after their first turn", r+1, m, o.peerSess)
				err = b.with(ctx, m, "peer-sessions", r, func(ch *child, t *target) error {
					res, err := idle(ctx, ch, t, o.peerSess, &exchangeScript, nil)
					of.Sessions = res
					return err
				})
				if err != nil {
					p.summarise()
					return p, err
				}
				b.logf("  %.0f B RSS/session, %.0f B heap/session", of.Sessions.RSSPerConn, of.Sessions.GoPerConn)
			}
			rep[m] = of
		}
	}
	p.summarise()
	return p, nil
}

// botkitInstalled checks that bench/install-botkit.sh has run and returns
// the installed versions.
func botkitInstalled(dir string) (string, error) {
	if _, err := exec.LookPath("node"); err != nil {
		return "", errors.New("node is not installed: run bench/install-botkit.sh")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "botkit")); err != nil {
		return "", fmt.Errorf("botkit is not installed in %s: run bench/install-botkit.sh", dir)
	}
	cmd := exec.Command("node", "-p", `"botkit " + require("botkit/package.json").version + ", botbuilder-adapter-web " + require("botbuilder-adapter-web/package.json").version + ", node " + process.version`)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("botkit: %w: %s", err, out)
	}
	return strings.TrimSpace(string(out)), nil
}

func (p *peerResult) summarise() {
	p.Summary = nil
	add := func(figure, unit, target string, get func(peerOf) float64) {
		rw := row{Figure: figure, Unit: unit, Target: target, Values: map[string]float64{}, Ratios: map[string]float64{}}
		column := func(m string) func(map[string]peerOf) (float64, bool) {
			return func(rep map[string]peerOf) (float64, bool) {
				of, ok := rep[m]
				return get(of), ok
			}
		}
		for _, m := range peerModes {
			base := column(modeBotkit)
			if m == modeBotkit {
				base = func(map[string]peerOf) (float64, bool) { return 0, false }
			}
			setMedians(&rw, m, p.Reps, column(m), base)
		}
		p.Summary = append(p.Summary, rw)
	}
	add("completed dialogs/s at saturation", "dialogs/s", "gateway ≥ 2× Botkit", func(v peerOf) float64 { return v.Saturation.DialogsPS })
	add("server CPU per dialog", "ms", "", func(v peerOf) float64 {
		if v.Saturation.Dialogs == 0 {
			return 0
		}
		return v.Saturation.ServerCPU * v.Saturation.Seconds * 1e3 / float64(v.Saturation.Dialogs)
	})
	add("server CPU use at saturation", "cores", "", func(v peerOf) float64 { return v.Saturation.ServerCPU })
	if p.Sessions > 0 {
		n := fmt.Sprintf("%d sessions after one turn", p.Sessions)
		add("RSS per session, "+n, "KiB", "", func(v peerOf) float64 { return v.Sessions.RSSPerConn / 1024 })
		add("heap per session (Go heap+stacks; V8 heapUsed)", "KiB", "", func(v peerOf) float64 { return v.Sessions.GoPerConn / 1024 })
	}
}

func (p *peerResult) markdown(w io.Writer) {
	fmt.Fprintf(w, "\nPeer: %s; dialog: %s.\n\n", p.Botkit, p.Script)
	fmt.Fprintln(w, "| figure | Botkit | gateway, memory | gateway, SQLite | memory ÷ Botkit | SQLite ÷ Botkit | target |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---|")
	for _, rw := range p.Summary {
		fmt.Fprintf(w, "| %s (%s) | %s | %s | %s | %s | %s | %s |\n", rw.Figure, rw.Unit,
			num(rw.Values, modeBotkit), num(rw.Values, modeMemory), num(rw.Values, modeSQLite),
			ratio(rw.Ratios, modeMemory), ratio(rw.Ratios, modeSQLite), rw.Target)
	}
}
