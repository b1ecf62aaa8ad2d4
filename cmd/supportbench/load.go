package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
)

// latencies is an HDR histogram of microseconds, safe for concurrent use.
type latencies struct {
	mu sync.Mutex
	h  *hdrhistogram.Histogram
}

func newLatencies() *latencies {
	return &latencies{h: hdrhistogram.New(1, int64(10*time.Minute/time.Microsecond), 3)}
}

func (l *latencies) record(d time.Duration) {
	us := max(int64(d/time.Microsecond), 1)
	l.mu.Lock()
	_ = l.h.RecordValue(us) // values over the range are dropped; the range is the run's bound
	l.mu.Unlock()
}

// ms returns percentile q in milliseconds.
func (l *latencies) ms(q float64) float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return float64(l.h.ValueAtQuantile(q)) / 1000
}

func (l *latencies) count() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.h.TotalCount()
}

// runResult is what one load run measured inside its window.
type runResult struct {
	Offered   float64 `json:"offered_turns_per_s,omitempty"` // paced runs
	Turns     int64   `json:"turns"`
	Dialogs   int64   `json:"dialogs"`
	Seconds   float64 `json:"seconds"`
	TurnsPerS float64 `json:"turns_per_s"`
	DialogsPS float64 `json:"dialogs_per_s"`
	P50ms     float64 `json:"p50_ms"`
	P99ms     float64 `json:"p99_ms"`
	P999ms    float64 `json:"p999_ms"`
	MaxMs     float64 `json:"max_ms"`
	Late      int64   `json:"late,omitempty"` // paced turns still unanswered at the hard stop
	// LagP99ms is the 99th percentile of the paced turns' lateness at their
	// send (the actual send time minus the intended one): the session was
	// still waiting for its previous answer, or the load generator was slow
	// to wake it.
	LagP99ms   float64 `json:"send_lag_p99_ms,omitempty"`
	Errors     int64   `json:"errors"`
	FirstError string  `json:"first_error,omitempty"`
	Tickets    int64   `json:"tickets"`     // ticket frames, all run long
	AllDialogs int64   `json:"all_dialogs"` // dialogs completed, all run long
	ServerCPU  float64 `json:"server_cpu"`  // the server's CPU use in the window, in cores
	CPUPerTurn float64 `json:"server_cpu_us_per_turn"`
}

// Overloaded tells whether a paced run fell behind its schedule.
func (r runResult) Overloaded() bool {
	return r.Offered > 0 && (r.Late > 0 || r.TurnsPerS < 0.95*r.Offered)
}

// runState is shared by the sessions of one run.
type runState struct {
	t        *target
	sc       script
	fr       frames
	from, to time.Time // the measured window
	hardStop time.Time // nothing waits past this
	lat      *latencies
	lag      *latencies // paced: send time − intended time
	turns    atomic.Int64
	dialogs  atomic.Int64
	late     atomic.Int64
	errs     atomic.Int64
	tickets  atomic.Int64
	all      atomic.Int64
	firstErr sync.Once
	errText  string
}

func (s *runState) inWindow(t time.Time) bool { return !t.Before(s.from) && t.Before(s.to) }

func (s *runState) fail(err error) {
	s.errs.Add(1)
	s.firstErr.Do(func() { s.errText = err.Error() })
}

// endDialog finishes a dialog's socket and counts it.
func (s *runState) endDialog(c *conn) {
	if err := c.finish(); err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() && !time.Now().Before(s.hardStop) {
			return // the run is over: an overloaded server's last replies are not waited for
		}
		s.fail(fmt.Errorf("end of dialog: %w", err))
		return
	}
	s.all.Add(1)
	s.tickets.Add(int64(c.tickets))
	if s.inWindow(time.Now()) {
		s.dialogs.Add(1)
	}
}

// closedLoop runs sessions that each play the script over and over, a turn
// as soon as the last one was answered, a new socket per dialog: the
// saturation throughput. Turns and dialogs are counted when they complete
// inside [warmup, warmup+dur); the latencies are service times.
func closedLoop(ctx context.Context, ch *child, t *target, sc script, sessions int, warmup, dur time.Duration) (runResult, error) {
	start := time.Now()
	s := &runState{t: t, sc: sc, fr: newFrames(sc), from: start.Add(warmup), to: start.Add(warmup + dur), lat: newLatencies()}
	s.hardStop = s.to.Add(30 * time.Second)
	cpu := cpuProbe(ctx, ch, s.from, s.to)
	var wg sync.WaitGroup
	for i := range sessions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.closedSession(ctx, i)
		}()
	}
	wg.Wait()
	return s.result(0, cpu())
}

func (s *runState) closedSession(ctx context.Context, i int) {
	for ctx.Err() == nil && time.Now().Before(s.to) {
		c, err := dial(ctx, s.t, i, s.hardStop)
		if err != nil {
			s.fail(err)
			return
		}
		for k := range s.sc.inputs {
			sent := time.Now()
			if err := c.turn(s.fr, k); err != nil {
				s.fail(fmt.Errorf("turn %d: %w", k+1, err))
				c.close()
				return
			}
			if done := time.Now(); s.inWindow(done) {
				s.turns.Add(1)
				s.lat.record(done.Sub(sent))
			}
		}
		s.endDialog(c)
	}
}

// paced runs sessions at a constant arrival rate of turns: session i sends
// its j-th turn at t0 + i/rate + j·sessions/rate, or as soon as its last
// turn was answered when it is behind, and each turn's latency is measured
// from its intended send time (no coordinated omission). Turns intended
// inside the window are measured; a run that has not answered them by the
// hard stop (drain after the window) records the time until then, a lower
// bound, and counts them late.
func paced(ctx context.Context, ch *child, t *target, sc script, sessions int, rate float64, warmup, dur, drain time.Duration) (runResult, error) {
	start := time.Now()
	s := &runState{t: t, sc: sc, fr: newFrames(sc), from: start.Add(warmup), to: start.Add(warmup + dur), lat: newLatencies(), lag: newLatencies()}
	s.hardStop = s.to.Add(drain)
	cpu := cpuProbe(ctx, ch, s.from, s.to)
	interval := time.Duration(float64(sessions) / rate * float64(time.Second))
	var wg sync.WaitGroup
	for i := range sessions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			first := start.Add(time.Duration(float64(i) / rate * float64(time.Second)))
			s.pacedSession(ctx, i, first, interval)
		}()
	}
	wg.Wait()
	return s.result(rate, cpu())
}

func (s *runState) pacedSession(ctx context.Context, i int, first time.Time, interval time.Duration) {
	var c *conn
	defer func() {
		if c != nil {
			c.close()
		}
	}()
	for j := 0; ; j++ {
		intended := first.Add(time.Duration(j) * interval)
		if !intended.Before(s.to) || ctx.Err() != nil {
			return
		}
		k := j % len(s.sc.inputs)
		if c == nil {
			var err error
			if c, err = dial(ctx, s.t, i, s.hardStop); err != nil {
				s.lateFrom(intended, interval, err)
				return
			}
		}
		if !sleepUntil(ctx, intended) {
			return
		}
		if s.inWindow(intended) {
			s.lag.record(time.Since(intended))
		}
		if err := c.turn(s.fr, k); err != nil {
			s.lateFrom(intended, interval, fmt.Errorf("turn %d: %w", k+1, err))
			return
		}
		if s.inWindow(intended) {
			s.turns.Add(1)
			s.lat.record(time.Since(intended))
		}
		if k == len(s.sc.inputs)-1 {
			s.endDialog(c)
			c = nil
		}
	}
}

// lateFrom ends a paced session that could not go on: a read that hit the
// hard stop makes this and the session's later turns of the window late,
// each recorded with its wait until the hard stop; any other error fails.
func (s *runState) lateFrom(intended time.Time, interval time.Duration, err error) {
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		s.fail(err)
		return
	}
	for t := intended; t.Before(s.to); t = t.Add(interval) {
		if s.inWindow(t) {
			s.late.Add(1)
			s.lat.record(s.hardStop.Sub(t))
		}
	}
}

// sleepUntil waits until t; false when ctx ended first.
func sleepUntil(ctx context.Context, t time.Time) bool {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err() == nil
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func (s *runState) result(rate float64, cpuCores float64) (runResult, error) {
	secs := s.to.Sub(s.from).Seconds()
	r := runResult{
		Offered: rate, Turns: s.turns.Load(), Dialogs: s.dialogs.Load(), Seconds: secs,
		Late: s.late.Load(), Errors: s.errs.Load(), FirstError: s.errText,
		Tickets: s.tickets.Load(), AllDialogs: s.all.Load(), ServerCPU: cpuCores,
	}
	r.TurnsPerS = float64(r.Turns) / secs
	r.DialogsPS = float64(r.Dialogs) / secs
	if s.lat.count() > 0 {
		r.P50ms, r.P99ms, r.P999ms, r.MaxMs = s.lat.ms(50), s.lat.ms(99), s.lat.ms(99.9), s.lat.ms(100)
	}
	if s.lag != nil && s.lag.count() > 0 {
		r.LagP99ms = s.lag.ms(99)
	}
	if r.Turns > 0 {
		r.CPUPerTurn = cpuCores * secs * 1e6 / float64(r.Turns)
	}
	return r, nil
}

// cpuProbe samples the child's CPU time at from and at to, without
// disturbing it (/proc/PID/stat); the returned function waits for the
// second sample and gives the cores used in between (0 when unknown, or
// when ch is nil: a server in this process).
func cpuProbe(ctx context.Context, ch *child, from, to time.Time) func() float64 {
	res := make(chan float64, 1)
	if ch == nil {
		return func() float64 { return 0 }
	}
	go func() {
		if !sleepUntil(ctx, from) {
			res <- 0
			return
		}
		a, ok1 := procCPU(ch.pid)
		t0 := time.Now()
		ok := sleepUntil(ctx, to)
		b, ok2 := procCPU(ch.pid)
		if !ok || !ok1 || !ok2 {
			res <- 0
			return
		}
		res <- (b - a).Seconds() / time.Since(t0).Seconds()
	}()
	return func() float64 { return <-res }
}

// clockTick is USER_HZ, 100 on every Linux this runs on.
const clockTick = 100

// procCPU is the user + system time of process pid.
func procCPU(pid int) (time.Duration, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, false
	}
	// The command name may hold spaces: the fields start after its ')'.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return 0, false
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64) // field 14
	st, err2 := strconv.ParseInt(f[12], 10, 64) // field 15
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(ut+st) * time.Second / clockTick, true
}
