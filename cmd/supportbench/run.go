package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/supportd/supportd/internal/dovecot"
)

// options are the command line.
type options struct {
	smoke      bool
	reps       int
	sessions   int // closed-loop sessions
	paced      int // paced sessions
	warmup     time.Duration
	duration   time.Duration
	drain      time.Duration // how long a paced run waits for late turns
	load       float64       // the paced rate as a share of the echo server's maximum
	idleConns  int
	pin        bool
	profile    string // directory for the servers' CPU profiles
	out        string // JSON results
	peer       bool
	peerDir    string
	peerSess   int      // sessions of the peer's memory runs
	servers    []string // the servers to measure, echo always among them
	email      bool     // also the email figures
	emailOnly  bool     // only the email figures
	emailMails int      // queued mails of every drain
	emailIdle  int      // mails of every IDLE run

	serve, data, cpuProfile string // the child process
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("supportbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&o.smoke, "smoke", false, "a run of seconds that checks the harness works (CI); overrides the sizes below")
	fs.IntVar(&o.reps, "reps", 3, "repetitions, each running every server in turn")
	fs.IntVar(&o.sessions, "sessions", 64, "concurrent sessions of the saturation runs")
	fs.IntVar(&o.paced, "paced-sessions", 256, "sessions sharing the constant arrival rate of the latency runs")
	fs.DurationVar(&o.warmup, "warmup", 2*time.Second, "unmeasured start of every run")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "measured part of every run")
	fs.DurationVar(&o.drain, "drain", 5*time.Second, "how long a latency run waits after its window for the turns still unanswered")
	fs.Float64Var(&o.load, "load", 0.5, "the latency runs' rate, as a share of the echo server's saturation rate")
	fs.IntVar(&o.idleConns, "idle", 10000, "idle connections of the memory runs (0: none)")
	fs.BoolVar(&o.pin, "pin", true, "pin the server to core 0 and this process to core 1 with taskset (when there are 2+ cores)")
	fs.StringVar(&o.profile, "profile", "", "directory for a CPU profile of every server process, and of this process over each email drain")
	fs.StringVar(&o.out, "out", "", "write every figure as JSON to this file")
	fs.BoolVar(&o.peer, "peer", false, "also measure the Botkit peer (bench/install-botkit.sh installs it)")
	fs.StringVar(&o.peerDir, "peer-dir", "bench/botkit", "where bench/install-botkit.sh installed the peer")
	fs.IntVar(&o.peerSess, "peer-sessions", 2000, "sessions in progress of the peer comparison's memory runs (0: none)")
	fs.BoolVar(&o.email, "email", true, "also measure the email channel against Dovecot (apt-get install dovecot-imapd); a smoke run skips it without Dovecot")
	fs.BoolVar(&o.emailOnly, "email-only", false, "measure only the email channel")
	fs.IntVar(&o.emailMails, "email-mails", 500, "queued mails each reader drains in the email runs")
	fs.IntVar(&o.emailIdle, "email-idle", 20, "mails appended one at a time into the idle mailbox in the email runs")
	fs.StringVar(&o.serve, "serve", "", "internal: run one server (echo, gateway-memory, gateway-sqlite) as a child process")
	fs.StringVar(&o.data, "data", "", "internal: the child's data directory")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the load generator (of the server, in a child process) to this file")
	servers := fs.String("servers", strings.Join(allModes, ","), "the servers to measure, comma-separated; echo is always measured")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	o.servers = []string{modeEcho}
	for _, m := range strings.Split(*servers, ",") {
		switch m = strings.TrimSpace(m); m {
		case modeEcho, "":
		case modeMemory, modeSQLite:
			if !slices.Contains(o.servers, m) {
				o.servers = append(o.servers, m)
			}
		default:
			return nil, fmt.Errorf("-servers: unknown server %q (echo, gateway-memory, gateway-sqlite)", m)
		}
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if o.smoke {
		o.reps, o.sessions, o.paced = 1, 8, 16
		o.warmup, o.duration, o.drain = 200*time.Millisecond, 800*time.Millisecond, 500*time.Millisecond
		o.idleConns = 200
		o.emailMails, o.emailIdle = 50, 3
	}
	if o.emailOnly {
		o.email = true
	}
	if o.reps < 1 || o.sessions < 1 || o.paced < 1 || o.duration <= 0 || o.drain <= 0 || o.load <= 0 || o.idleConns < 0 || o.peerSess < 0 ||
		o.emailMails < 1 || o.emailIdle < 1 {
		return nil, errors.New("-reps, -sessions, -paced-sessions, -duration, -load, -email-mails and -email-idle must be positive, -idle not negative")
	}
	return o, nil
}

// run is the command: exit code 0, 1 (a run failed) or 2 (bad flags).
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(stderr, "supportbench:", err)
		return 2
	}
	if o.serve != "" {
		if err := serveChild(ctx, o.serve, o.data, o.cpuProfile, stdin, stdout); err != nil {
			fmt.Fprintln(stderr, "supportbench server:", err)
			return 1
		}
		return 0
	}
	if o.cpuProfile != "" {
		f, err := os.Create(o.cpuProfile)
		if err != nil {
			fmt.Fprintln(stderr, "supportbench:", err)
			return 1
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(stderr, "supportbench:", err)
			return 1
		}
		defer pprof.StopCPUProfile()
	}
	rep, err := bench(ctx, o, stderr)
	if rep != nil {
		rep.markdown(stdout)
		if o.out != "" {
			b, _ := json.MarshalIndent(rep, "", "  ")
			if werr := os.WriteFile(o.out, append(b, '\n'), 0o644); werr != nil {
				err = errors.Join(err, werr)
			}
		}
	}
	if err != nil {
		fmt.Fprintln(stderr, "supportbench:", err)
		return 1
	}
	return 0
}

// bench runs every repetition and returns the report.
func bench(ctx context.Context, o *options, log io.Writer) (*report, error) {
	_, binErr := dovecot.Binary()
	runEmail, skipEmail, err := emailPlan(o, binErr)
	if err != nil {
		return nil, err
	}
	serverCPU, clientCPU := -1, -1
	if o.pin && runtime.NumCPU() >= 2 {
		if _, err := exec.LookPath("taskset"); err == nil {
			serverCPU, clientCPU = 0, 1
			if err := pinSelf(clientCPU); err != nil {
				return nil, fmt.Errorf("pin the load generator: %w", err)
			}
		} else {
			fmt.Fprintln(log, "taskset not found: nothing pinned")
		}
	}
	rep := newReport(o, serverCPU, clientCPU)
	if o.profile != "" {
		if err := os.MkdirAll(o.profile, 0o755); err != nil {
			return nil, err
		}
	}
	b := &bencher{o: o, log: log, cpu: serverCPU, clientCPU: clientCPU}
	for r := range o.reps {
		if o.emailOnly {
			break
		}
		rr, err := b.repetition(ctx, r)
		rep.Reps = append(rep.Reps, rr)
		if err != nil {
			rep.summarise()
			return rep, fmt.Errorf("repetition %d: %w", r+1, err)
		}
	}
	if len(rep.Reps) > 0 {
		rep.summarise()
	}
	switch {
	case runEmail:
		er, err := b.emailRun(ctx)
		rep.Email = er
		if err != nil {
			return rep, err
		}
	case skipEmail != "":
		b.logf("email: skipped: %s", skipEmail)
		rep.Email = &emailResult{Skipped: skipEmail}
	}
	if o.peer {
		pr, err := b.peerRun(ctx)
		rep.Peer = pr
		if err != nil {
			return rep, fmt.Errorf("peer: %w", err)
		}
	}
	return rep, rep.check(o)
}

// pinSelf moves every thread of this process to core cpu and runs Go on
// one processor there.
func pinSelf(cpu int) error {
	out, err := exec.Command("taskset", "-a", "-p", "-c", strconv.Itoa(cpu), strconv.Itoa(os.Getpid())).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%w: %s", err, out)
	}
	runtime.GOMAXPROCS(1)
	return nil
}

type bencher struct {
	o         *options
	log       io.Writer
	cpu       int // the server's core, -1: not pinned
	clientCPU int // the load generator's core
}

// with starts a fresh server of mode for one run and stops it after.
func (b *bencher) with(ctx context.Context, mode, phase string, rep int, fn func(*child, *target) error) error {
	profile := ""
	if b.o.profile != "" {
		profile = filepath.Join(b.o.profile, fmt.Sprintf("%s-%s-%d.pprof", mode, phase, rep+1))
	}
	ch, err := startChild(ctx, mode, b.cpu, profile, b.o.peerDir)
	if err != nil {
		return err
	}
	t := &target{mode: mode, url: ch.url(), echo: mode == modeEcho, botkit: mode == modeBotkit}
	b.logf("  %s server on %s, pid %d", mode, ch.addr, ch.pid)
	err = fn(ch, t)
	if serr := ch.stop(); serr != nil {
		err = errors.Join(err, fmt.Errorf("%s server: %w", mode, serr))
	}
	return err
}

// order rotates the servers each repetition, so that none always runs
// first on a machine that warms up or throttles.
func (b *bencher) order(rep int) []string {
	all := b.o.servers
	n := len(all)
	out := make([]string, n)
	for i := range n {
		out[i] = all[(i+rep)%n]
	}
	return out
}

// repetition runs every figure on every server once: saturation, latency at
// the share of this repetition's echo maximum, latency at the same share of
// each server's own maximum, idle memory.
func (b *bencher) repetition(ctx context.Context, r int) (*repResult, error) {
	o := b.o
	rr := &repResult{Sat: map[string]runResult{}, AtEcho: map[string]runResult{}, AtOwn: map[string]runResult{}, Idle: map[string]idleResult{}}
	for _, m := range b.order(r) {
		b.logf("rep %d: %s: saturation, %d sessions", r+1, m, o.sessions)
		err := b.with(ctx, m, "saturation", r, func(ch *child, t *target) error {
			res, err := closedLoop(ctx, ch, t, repairScript, o.sessions, o.warmup, o.duration)
			rr.Sat[m] = res
			return errors.Join(err, res.err(t))
		})
		if err != nil {
			return rr, err
		}
		b.logf("  %.0f turns/s, server %.2f cores, %.1f µs CPU/turn", rr.Sat[m].TurnsPerS, rr.Sat[m].ServerCPU, rr.Sat[m].CPUPerTurn)
	}
	echoMax := rr.Sat[modeEcho].TurnsPerS
	if echoMax <= 0 {
		return rr, errors.New("the echo server completed no turn")
	}
	rr.EchoRate = o.load * echoMax
	for _, m := range b.order(r) {
		runs := []struct {
			dst  map[string]runResult
			rate float64
		}{{rr.AtEcho, rr.EchoRate}}
		if m != modeEcho {
			runs = append(runs, struct {
				dst  map[string]runResult
				rate float64
			}{rr.AtOwn, o.load * rr.Sat[m].TurnsPerS})
		}
		for _, pr := range runs {
			if pr.rate <= 0 {
				continue
			}
			b.logf("rep %d: %s: %.0f turns/s paced, %d sessions", r+1, m, pr.rate, o.paced)
			phase := "paced-echo-share"
			if pr.rate != rr.EchoRate {
				phase = "paced-own-share"
			}
			err := b.with(ctx, m, phase, r, func(ch *child, t *target) error {
				res, err := paced(ctx, ch, t, repairScript, o.paced, pr.rate, o.warmup, o.duration, o.drain)
				pr.dst[m] = res
				return errors.Join(err, res.err(t))
			})
			if err != nil {
				return rr, err
			}
			res := pr.dst[m]
			b.logf("  p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, achieved %.0f/s, late %d, send lag p99 %.2f ms", res.P50ms, res.P99ms, res.P999ms, res.TurnsPerS, res.Late, res.LagP99ms)
		}
	}
	if o.idleConns > 0 {
		for _, m := range b.order(r) {
			b.logf("rep %d: %s: %d idle connections", r+1, m, o.idleConns)
			err := b.with(ctx, m, "idle", r, func(ch *child, t *target) error {
				var heap func() error
				if o.profile != "" {
					heap = func() error { // what the held connections' memory is
						return saveHeapProfile(ctx, ch, filepath.Join(o.profile, fmt.Sprintf("%s-idle-heap-%d.pprof", m, r+1)))
					}
				}
				res, err := idle(ctx, ch, t, o.idleConns, nil, heap)
				rr.Idle[m] = res
				return err
			})
			if err != nil {
				return rr, err
			}
			b.logf("  %.0f B RSS/conn, %.0f B Go heap+stack/conn (opened in %.1fs)", rr.Idle[m].RSSPerConn, rr.Idle[m].GoPerConn, rr.Idle[m].OpenSeconds)
		}
	}
	return rr, nil
}

// err is a run's failure: errors, or a gateway dialog that made no ticket.
func (r runResult) err(t *target) error {
	if r.Errors > 0 {
		return fmt.Errorf("%s: %d errors, the first: %s", t.mode, r.Errors, r.FirstError)
	}
	if !t.echo && r.AllDialogs > 0 && r.Tickets < r.AllDialogs {
		return fmt.Errorf("%s: %d dialogs made %d tickets: the script no longer walks the flow", t.mode, r.AllDialogs, r.Tickets)
	}
	return nil
}

func (b *bencher) logf(format string, args ...any) {
	fmt.Fprintf(b.log, "%s "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}
