package main

import (
	"errors"
	"fmt"
	"io"
)

// emailTarget is the target: the gateway ingests at least half as
// many mails per second as a bare go-imap client fetches.
const emailTarget = 0.5

// summarise fills Summary: the median over the repetitions of each figure,
// and of each ratio gateway ÷ bare taken inside one repetition.
func (e *emailResult) summarise() {
	e.Summary = nil
	add := func(figure, unit string, get func(*emailRep, string) (float64, bool)) *row {
		rw := row{Figure: figure, Unit: unit, Values: map[string]float64{}, Ratios: map[string]float64{}}
		for _, rd := range emailReaders {
			setMedians(&rw, rd, e.Reps, func(rep *emailRep) (float64, bool) { return get(rep, rd) },
				func(rep *emailRep) (float64, bool) {
					if rd == emailBare {
						return 0, false
					}
					return get(rep, emailBare)
				})
		}
		e.Summary = append(e.Summary, rw)
		return &e.Summary[len(e.Summary)-1]
	}
	drained := func(f func(drainResult) float64) func(*emailRep, string) (float64, bool) {
		return func(rep *emailRep, rd string) (float64, bool) {
			v, ok := rep.Drain[rd]
			if !ok || v.Mails == 0 || f(v) == 0 {
				return 0, false
			}
			return f(v), true
		}
	}
	rate := add(fmt.Sprintf("mails/s draining %d queued mails", e.Mails), "mails/s", drained(func(v drainResult) float64 { return v.MailsPerS }))
	rate.Target = fmt.Sprintf("gateway ≥ %.1f× bare", emailTarget)
	if r, ok := rate.Ratios[emailGateway]; ok {
		rate.Met = "no"
		if r >= emailTarget {
			rate.Met = "yes"
		}
	}
	add("time to drain them", "s", drained(func(v drainResult) float64 { return v.Seconds }))
	add("… of which connecting, logging in, selecting", "s", drained(func(v drainResult) float64 { return v.ConnectSeconds }))
	add("mails/s after SELECT", "mails/s", drained(func(v drainResult) float64 {
		if v.ConnectSeconds == 0 || v.Seconds <= v.ConnectSeconds {
			return 0
		}
		return float64(v.Mails) / (v.Seconds - v.ConnectSeconds)
	}))
	add("… until every mail is flagged \\Seen", "s", drained(func(v drainResult) float64 { return v.SeenSeconds }))
	add("… until every reply is sent", "s", drained(func(v drainResult) float64 { return v.RepliedSeconds }))
	add("reader's CPU per mail", "µs", drained(func(v drainResult) float64 { return v.CPUPerMailUs }))
	add("reader's CPU in use", "cores", drained(func(v drainResult) float64 { return v.CPUCores }))
	add("Dovecot's CPU per mail", "µs", drained(func(v drainResult) float64 { return v.DovecotPerMailUs }))
	add("Dovecot's CPU in use", "cores", drained(func(v drainResult) float64 { return v.DovecotCores }))
	for _, p := range []struct {
		name string
		f    func(latencyStats) float64
	}{{"p50", func(l latencyStats) float64 { return l.P50ms }}, {"p99", func(l latencyStats) float64 { return l.P99ms }}, {"max", func(l latencyStats) float64 { return l.MaxMs }}} {
		add(fmt.Sprintf("IDLE, %d new mails: APPEND → %s", e.IdleMails, p.name), "ms", func(rep *emailRep, rd string) (float64, bool) {
			if rep.Idle.Mails == 0 {
				return 0, false
			}
			if rd == emailBare {
				return p.f(rep.Idle.Bare), true
			}
			return p.f(rep.Idle.Gateway), true
		})
	}
}

// markdown prints the email table.
func (e *emailResult) markdown(w io.Writer) {
	if e.Skipped != "" {
		fmt.Fprintf(w, "\nEmail: skipped: %s.\n", e.Skipped)
		return
	}
	fmt.Fprintf(w, "\nEmail, Dovecot %s, %d repetition(s); mails of %d bytes; the gateway ran %s. "+
		"IDLE: the gateway's figure is APPEND done → turn committed, the bare client's is APPEND done → its EXISTS.\n\n",
		e.Dovecot, len(e.Reps), e.MailBytes, e.Gateway)
	fmt.Fprintln(w, "| figure | bare go-imap | gateway, SQLite | gateway ÷ bare | target | met |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---|---|")
	for _, rw := range e.Summary {
		fmt.Fprintf(w, "| %s (%s) | %s | %s | %s | %s | %s |\n", rw.Figure, rw.Unit,
			num(rw.Values, emailBare), num(rw.Values, emailGateway), ratio(rw.Ratios, emailGateway), rw.Target, rw.Met)
	}
	for i, rep := range e.Reps {
		g, b := rep.Drain[emailGateway], rep.Drain[emailBare]
		fmt.Fprintf(w, "\nRepetition %d: bare %s mails/s, gateway %s mails/s", i+1, fmtNum(b.MailsPerS), fmtNum(g.MailsPerS))
		if b.MailsPerS > 0 {
			fmt.Fprintf(w, " (%.2f×)", g.MailsPerS/b.MailsPerS)
		}
		fmt.Fprintf(w, "; IDLE p50 bare %s ms, gateway %s ms.", fmtNum(rep.Idle.Bare.P50ms), fmtNum(rep.Idle.Gateway.P50ms))
	}
	fmt.Fprintln(w)
}

// check is the smoke test's verdict: every reader drained every mail and
// every IDLE mail was measured (the runs' errors have failed already).
func (e *emailResult) check(o *options) error {
	if e.Skipped != "" {
		return nil
	}
	var errs []error
	for i, rep := range e.Reps {
		for _, rd := range emailReaders {
			if n := rep.Drain[rd].Mails; n != o.emailMails {
				errs = append(errs, fmt.Errorf("email repetition %d: %s drained %d mails of %d", i+1, rd, n, o.emailMails))
			}
		}
		if rep.Idle.Mails != o.emailIdle {
			errs = append(errs, fmt.Errorf("email repetition %d: %d IDLE mails measured of %d", i+1, rep.Idle.Mails, o.emailIdle))
		}
	}
	if len(e.Reps) != o.reps {
		errs = append(errs, fmt.Errorf("email: %d repetitions of %d", len(e.Reps), o.reps))
	}
	return errors.Join(errs...)
}
