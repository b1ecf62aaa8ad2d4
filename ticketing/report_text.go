package ticketing

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/supportd/supportd/policy"
)

// WriteText writes the report for people, in English, with its days and
// times in loc.
func (r *Report) WriteText(w io.Writer, loc *time.Location) {
	first, last := policy.DateOf(r.From, loc), policy.DateOf(r.To.Add(-time.Nanosecond), loc)
	fmt.Fprintf(w, "Report %s – %s (%s), as of %s\n", first, last, loc, r.At.In(loc).Format("2006-01-02 15:04"))
	fmt.Fprintf(w, "Tickets opened: %d (done by now: %d)\n", r.Opened, r.Done)
	if r.Opened > 0 {
		fmt.Fprintf(w, "  by kind:    %s\n", tallies(r.ByKind))
		fmt.Fprintf(w, "  by channel: %s\n", tallies(r.ByChannel))
	}
	if len(r.Deadlines) > 0 {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "Their deadlines\tmet in time\tmissed\trunning\tmet of those decided")
		for _, d := range r.Deadlines {
			share := "–"
			if decided := d.Met + d.Missed; decided > 0 {
				share = fmt.Sprintf("%d%%", (100*d.Met+decided/2)/decided)
			}
			fmt.Fprintf(tw, "  %s\t%d\t%d\t%d\t%s\n", strings.ReplaceAll(d.Name, "_", " "), d.Met, d.Missed, d.Running, share)
		}
		tw.Flush()
	}
	if rt := r.Ratings; rt.Count > 0 {
		fmt.Fprintf(w, "Ratings given: %d, average %.1f/5 (", rt.Count, rt.Average)
		for i, n := range rt.Scores {
			if i > 0 {
				fmt.Fprint(w, " · ")
			}
			fmt.Fprintf(w, "%d★ %d", i+1, n)
		}
		fmt.Fprintln(w, ")")
	} else {
		fmt.Fprintln(w, "Ratings given: none")
	}
	if len(r.Models) > 0 {
		parts := make([]string, len(r.Models))
		for i, m := range r.Models {
			parts[i] = fmt.Sprintf("%s %d", m.Key, m.N)
		}
		fmt.Fprintf(w, "Repairs by model: %s\n", strings.Join(parts, ", "))
	}
	if wr := r.Warranty; wr.Covered > 0 || len(wr.NotCovered) > 0 {
		fmt.Fprintf(w, "Warranty decisions of the repairs: %d covered", wr.Covered)
		if len(wr.NotCovered) > 0 {
			fmt.Fprintf(w, "; not covered: %s", tallies(wr.NotCovered))
		}
		fmt.Fprintln(w)
	}
	if q := r.Questions; q.Count > 0 || q.Declined > 0 {
		fmt.Fprintf(w, "Unanswered questions: %d passed on to a person, %d declined\n", q.Count, q.Declined)
		questions(w, "passed on", q.Latest, q.Count)
		questions(w, "declined", q.LatestDeclined, q.Declined)
	}
}

// questions lists the latest of n questions under what became of them.
func questions(w io.Writer, what string, latest []string, n int) {
	if n == 0 {
		return
	}
	if len(latest) < n {
		what += fmt.Sprintf(" (the latest %d)", len(latest))
	}
	fmt.Fprintf(w, "  %s:\n", what)
	for _, s := range latest {
		fmt.Fprintf(w, "    %q\n", oneLine(s, 100))
	}
}

// oneLine is s on one line, cut to at most n runes with "…".
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// tallies prints counts by key, largest first: "repair 3, complaint 1".
func tallies[K ~string](m map[K]int) string {
	keys := slices.Collect(maps.Keys(m))
	slices.SortFunc(keys, func(a, b K) int {
		if m[a] != m[b] {
			return m[b] - m[a]
		}
		return strings.Compare(string(a), string(b))
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}
