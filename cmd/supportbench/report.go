package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"
)

// repResult is one repetition: every server's figures, measured in turn.
type repResult struct {
	Sat      map[string]runResult  `json:"saturation"`
	EchoRate float64               `json:"echo_share_rate"` // the rate of AtEcho
	AtEcho   map[string]runResult  `json:"at_echo_share"`   // paced at load × the echo maximum
	AtOwn    map[string]runResult  `json:"at_own_share"`    // paced at load × the server's own maximum
	Idle     map[string]idleResult `json:"idle"`
}

// machine is where the figures were measured.
type machine struct {
	CPU        string `json:"cpu"`
	Cores      int    `json:"cores"`
	MemoryGiB  int    `json:"memory_gib"`
	Kernel     string `json:"kernel"`
	Go         string `json:"go"`
	ServerCore int    `json:"server_core"` // -1: not pinned
	ClientCore int    `json:"client_core"`
	Date       string `json:"date"`
}

// report is everything one invocation measured, and its summary: the
// median over the repetitions of each figure and of each ratio (a ratio is
// taken inside one repetition, between figures measured minutes apart).
type report struct {
	Machine  machine      `json:"machine"`
	Options  string       `json:"options"`
	Script   string       `json:"script"`
	Reps     []*repResult `json:"repetitions"`
	Summary  []row        `json:"summary"`
	Peer     *peerResult  `json:"peer,omitempty"`
	Email    *emailResult `json:"email,omitempty"`
	loadPct  float64
	idleConn int
}

// row is one figure of the summary table.
type row struct {
	Figure string             `json:"figure"`
	Unit   string             `json:"unit"`
	Values map[string]float64 `json:"values"` // by server
	Ratios map[string]float64 `json:"ratios"` // gateway ÷ echo, by gateway server
	Target string             `json:"target,omitempty"`
	Met    string             `json:"met,omitempty"` // whether the target is met: "yes" or "no"
	Note   string             `json:"note,omitempty"`
}

func newReport(o *options, serverCore, clientCore int) *report {
	m := machine{CPU: cpuModel(), Cores: runtime.NumCPU(), MemoryGiB: memGiB(), Kernel: kernel(), Go: runtime.Version(),
		ServerCore: serverCore, ClientCore: clientCore, Date: time.Now().UTC().Format(time.RFC3339)}
	opts := fmt.Sprintf("-reps %d -sessions %d -paced-sessions %d -warmup %s -duration %s -load %g -idle %d",
		o.reps, o.sessions, o.paced, o.warmup, o.duration, o.load, o.idleConns)
	if o.email {
		opts += fmt.Sprintf(" -email-mails %d -email-idle %d", o.emailMails, o.emailIdle)
	}
	if o.emailOnly {
		opts += " -email-only"
	}
	if o.smoke {
		opts = "-smoke (" + opts + ")"
	}
	return &report{Machine: m, Options: opts, Script: repairScript.name + " from dialog/testdata/transcripts/" + repairScript.source,
		loadPct: o.load * 100, idleConn: o.idleConns}
}

// summarise fills Summary from the repetitions.
func (r *report) summarise() {
	gw := []string{modeMemory, modeSQLite}
	add := func(figure, unit, target, note string, get func(*repResult, string) (float64, bool)) {
		rw := row{Figure: figure, Unit: unit, Target: target, Note: note, Values: map[string]float64{}, Ratios: map[string]float64{}}
		for _, m := range allModes {
			setMedians(&rw, m, r.Reps, func(rep *repResult) (float64, bool) { return get(rep, m) },
				func(rep *repResult) (float64, bool) {
					if !slices.Contains(gw, m) {
						return 0, false
					}
					return get(rep, modeEcho)
				})
		}
		r.Summary = append(r.Summary, rw)
	}
	sat := func(f func(runResult) float64) func(*repResult, string) (float64, bool) {
		return func(rep *repResult, m string) (float64, bool) {
			v, ok := rep.Sat[m]
			return f(v), ok
		}
	}
	pacedAt := func(own bool, f func(runResult) float64) func(*repResult, string) (float64, bool) {
		return func(rep *repResult, m string) (float64, bool) {
			src := rep.AtEcho
			if own && m != modeEcho {
				src = rep.AtOwn
			}
			v, ok := src[m]
			return f(v), ok
		}
	}
	idleOf := func(f func(idleResult) float64) func(*repResult, string) (float64, bool) {
		return func(rep *repResult, m string) (float64, bool) {
			v, ok := rep.Idle[m]
			return f(v), ok
		}
	}
	add("turns/s at saturation", "turns/s", "sqlite ≥ 0.25×, memory ≥ 0.5× echo", "", sat(func(v runResult) float64 { return v.TurnsPerS }))
	add("dialogs/s at saturation", "dialogs/s", "", "", sat(func(v runResult) float64 { return v.DialogsPS }))
	add("server CPU per turn at saturation", "µs", "", "", sat(func(v runResult) float64 { return v.CPUPerTurn }))
	add("server CPU use at saturation", "cores", "", "", sat(func(v runResult) float64 { return v.ServerCPU }))
	share := fmt.Sprintf("%.0f%% of echo max", r.loadPct)
	for _, p := range []struct {
		name string
		f    func(runResult) float64
	}{{"p50", func(v runResult) float64 { return v.P50ms }}, {"p99", func(v runResult) float64 { return v.P99ms }}, {"p99.9", func(v runResult) float64 { return v.P999ms }}} {
		target := ""
		if p.name == "p99" {
			target = "≤ 3× echo and < 10 ms"
		}
		add(p.name+" at "+share, "ms", target, "", pacedAt(false, p.f))
	}
	add("load generator's send lag p99 at "+share, "ms", "", "", pacedAt(false, func(v runResult) float64 { return v.LagP99ms }))
	add("achieved rate at "+share, "turns/s", "", "below the offered rate: overloaded", pacedAt(false, func(v runResult) float64 { return v.TurnsPerS }))
	own := fmt.Sprintf("%.0f%% of own max", r.loadPct)
	for _, p := range []struct {
		name string
		f    func(runResult) float64
	}{{"p50", func(v runResult) float64 { return v.P50ms }}, {"p99", func(v runResult) float64 { return v.P99ms }}, {"p99.9", func(v runResult) float64 { return v.P999ms }}} {
		add(p.name+" at "+own, "ms", "", "", pacedAt(true, p.f))
	}
	if r.idleConn > 0 {
		n := fmt.Sprintf("%d idle connections", r.idleConn)
		add("RSS per conn, "+n, "KiB", "≤ 1.5× echo and ≤ 40 KiB", "", idleOf(func(v idleResult) float64 { return v.RSSPerConn / 1024 }))
		add("Go heap+stacks per conn, "+n, "KiB", "", "", idleOf(func(v idleResult) float64 { return v.GoPerConn / 1024 }))
		add("goroutines per conn", "", "", "", idleOf(func(v idleResult) float64 { return v.GoroutinesPer }))
	}
}

// setMedians sets column col of rw to the median over the repetitions of
// value, and its ratio to the median of value ÷ base taken inside each
// repetition (where base has a positive figure).
func setMedians[R any](rw *row, col string, reps []R, value, base func(R) (float64, bool)) {
	var vs, rs []float64
	for _, rep := range reps {
		v, ok := value(rep)
		if !ok {
			continue
		}
		vs = append(vs, v)
		if b, ok := base(rep); ok && b > 0 {
			rs = append(rs, v/b)
		}
	}
	if len(vs) > 0 {
		rw.Values[col] = median(vs)
	}
	if len(rs) > 0 {
		rw.Ratios[col] = median(rs)
	}
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// markdown prints the machine and the summary table.
func (r *report) markdown(w io.Writer) {
	m := r.Machine
	fmt.Fprintf(w, "\nMachine: %s, %d cores, %d GiB, Linux %s, %s; ", m.CPU, m.Cores, m.MemoryGiB, m.Kernel, m.Go)
	if m.ServerCore >= 0 {
		fmt.Fprintf(w, "server pinned to core %d, load generator to core %d.\n", m.ServerCore, m.ClientCore)
	} else {
		fmt.Fprintln(w, "nothing pinned.")
	}
	fmt.Fprintf(w, "Run: %s, %s; medians of the repetitions.\n", r.Date(), r.Options)
	if len(r.Reps) > 0 {
		r.webMarkdown(w)
	}
	if r.Peer != nil {
		r.Peer.markdown(w)
	}
	if r.Email != nil {
		r.Email.markdown(w)
	}
}

// webMarkdown prints the web chat table.
func (r *report) webMarkdown(w io.Writer) {
	fmt.Fprintf(w, "\nWeb chat, %d repetition(s):\n\n", len(r.Reps))
	fmt.Fprintln(w, "| figure | echo | gateway, memory | gateway, SQLite | memory ÷ echo | SQLite ÷ echo | target |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---|")
	for _, rw := range r.Summary {
		name := rw.Figure
		if rw.Unit != "" {
			name += " (" + rw.Unit + ")"
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s |\n", name,
			num(rw.Values, modeEcho), num(rw.Values, modeMemory), num(rw.Values, modeSQLite),
			ratio(rw.Ratios, modeMemory), ratio(rw.Ratios, modeSQLite), rw.Target)
	}
	if len(r.Reps) > 0 {
		fmt.Fprintf(w, "\nLatency runs at %.0f%% of echo max offered %s turns/s (first repetition).\n", r.loadPct, fmtNum(r.Reps[0].EchoRate))
		for _, m := range []string{modeMemory, modeSQLite} {
			if v, ok := r.Reps[0].AtEcho[m]; ok && v.Overloaded() {
				fmt.Fprintf(w, "%s was overloaded at that rate (achieved %s turns/s, %d turns unanswered at the hard stop): its percentiles there are queueing time, lower bounds.\n", m, fmtNum(v.TurnsPerS), v.Late)
			}
		}
	}
}

func (r *report) Date() string { return r.Machine.Date }

func num(m map[string]float64, k string) string {
	v, ok := m[k]
	if !ok {
		return "–"
	}
	return fmtNum(v)
}

func ratio(m map[string]float64, k string) string {
	v, ok := m[k]
	if !ok {
		return "–"
	}
	return fmt.Sprintf("%.2f", v)
}

func fmtNum(v float64) string {
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.2f", v)
	}
}

// check is the smoke test's verdict: every server answered turns in every
// run (the runs' errors have failed the repetition already).
func (r *report) check(o *options) error {
	var errs []error
	for i, rep := range r.Reps {
		for _, m := range o.servers {
			if rep.Sat[m].Turns == 0 {
				errs = append(errs, fmt.Errorf("repetition %d: %s answered no turn at saturation", i+1, m))
			}
			paced := rep.AtEcho[m]
			if m != modeEcho {
				paced = rep.AtOwn[m] // at the echo server's rate a gateway may be overloaded and answer none in time
			}
			if paced.Turns == 0 {
				errs = append(errs, fmt.Errorf("repetition %d: %s answered no paced turn", i+1, m))
			}
			if o.idleConns > 0 && rep.Idle[m].Conns != o.idleConns {
				errs = append(errs, fmt.Errorf("repetition %d: %s held no idle connections", i+1, m))
			}
		}
	}
	if r.Email != nil {
		errs = append(errs, r.Email.check(o))
	}
	return errors.Join(errs...)
}

func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

func memGiB() int {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	var kb int
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			fmt.Sscan(rest, &kb)
		}
	}
	return (kb + 1<<19) >> 20
}

func kernel() string {
	b, err := os.ReadFile("/proc/sys/kernel/osrelease")
	if err != nil {
		return "?"
	}
	return strings.TrimSpace(string(b))
}
