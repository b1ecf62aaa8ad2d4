package ticketing

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"time"
)

// The deadlines a report and the agents' desk follow, by their JSON names
// in Deadlines. The on-site visit has no status that marks it done, so it
// is shown but not judged.
const (
	DeadlineFirstResponse = "first_response"
	DeadlineResolution    = "resolution"
)

// Meets reports whether a ticket in status s has met a deadline: the first
// response once an agent answered (in progress or any later status), the
// resolution once the ticket is resolved, closed or cancelled.
func Meets(s Status, deadline string) bool {
	switch deadline {
	case DeadlineFirstResponse:
		switch s {
		case StatusNew, StatusOpen, StatusAssigned, StatusReopened:
			return false
		}
		return true
	case DeadlineResolution:
		return s == StatusResolved || s == StatusClosed || s == StatusCancelled
	}
	return false
}

// Report summarises a period for the people who run the service (the
// standard's §4.6: volumes, deadlines met, satisfaction, top faults). The
// volumes, deadlines and faults are those of the tickets opened in the
// period, as they stand now; the ratings are those given in the period.
type Report struct {
	From      time.Time      `json:"from"`
	To        time.Time      `json:"to"` // exclusive
	At        time.Time      `json:"at"` // as of
	Opened    int            `json:"opened"`
	ByKind    map[Kind]int   `json:"by_kind"`
	ByChannel map[string]int `json:"by_channel"`
	Done      int            `json:"done"` // of those opened, resolved, closed or cancelled by now
	Deadlines []DeadlineStat `json:"deadlines"`
	Ratings   RatingStat     `json:"ratings"`
	Models    []Tally        `json:"top_models"` // repairs by model, most first
	Warranty  WarrantyStat   `json:"warranty"`   // warranty decisions of the repairs
	// Questions are the customers' questions the bot could not answer:
	// passed on to a person (consultation tickets with the question), and
	// declined, when the customer said no to passing them on (kept by a
	// store with a QuestionLog): what the knowledge base may lack.
	Questions QuestionStat `json:"unanswered_questions"`
}

// QuestionStat counts the unanswered questions of the period, passed on
// (Count) and declined, and gives the latest ones of each, newest first.
type QuestionStat struct {
	Count          int      `json:"count"`
	Latest         []string `json:"latest"`
	Declined       int      `json:"declined"`
	LatestDeclined []string `json:"latest_declined,omitempty"`
}

// DeclinedQuestion is a question the bot could not answer, asked on a
// channel at a time, whose customer declined to pass it on to a person.
type DeclinedQuestion struct {
	Question string    `json:"question"`
	Channel  string    `json:"channel"`
	At       time.Time `json:"at"`
}

// QuestionLog is an optional extra of a Store that keeps the declined
// questions: DeclinedQuestions returns those asked from from to to
// (exclusive), newest first. ReportOf counts them when the store has it.
type QuestionLog interface {
	DeclinedQuestions(ctx context.Context, from, to time.Time) ([]DeclinedQuestion, error)
}

// DeadlineStat counts one deadline over the tickets opened in the period
// that have it: met in time, missed (met late, or not met and past due),
// still running (not yet due, or stopped while the ticket waits for the
// customer). A ticket cancelled unmet before it was due is not counted
// (MetIn).
type DeadlineStat struct {
	Name    string `json:"name"`
	Met     int    `json:"met"`
	Missed  int    `json:"missed"`
	Running int    `json:"running"`
}

// RatingStat counts the satisfaction ratings given in the period.
type RatingStat struct {
	Count   int     `json:"count"`
	Average float64 `json:"average"`  // 0 without ratings
	Scores  [5]int  `json:"by_score"` // how many gave 1, 2, 3, 4, 5
}

// WarrantyStat counts the warranty decisions of the repairs opened in the
// period: covered, and not covered by reason.
type WarrantyStat struct {
	Covered    int            `json:"covered"`
	NotCovered map[string]int `json:"not_covered"`
}

// Tally is a count of one key.
type Tally struct {
	Key string `json:"key"`
	N   int    `json:"n"`
}

// ReportOf reads what the report of from–to needs from s (the tickets
// changed since from, the audit logs of those opened in the period) and
// makes it.
func ReportOf(ctx context.Context, s Store, from, to, now time.Time) (*Report, error) {
	// A ticket opened or rated in the period was changed in it.
	tickets, err := s.List(ctx, Filter{UpdatedSince: from})
	if err != nil {
		return nil, err
	}
	events := map[string][]Event{}
	for _, tk := range tickets {
		if !tk.CreatedAt.Before(from) && tk.CreatedAt.Before(to) {
			if events[tk.ID], err = s.Events(ctx, tk.ID); err != nil {
				return nil, err
			}
		}
	}
	r := NewReport(tickets, events, from, to, now)
	if ql, ok := s.(QuestionLog); ok {
		declined, err := ql.DeclinedQuestions(ctx, from, to)
		if err != nil {
			return nil, err
		}
		r.Questions.declined(declined)
	}
	return r, nil
}

// declined counts the questions declined in the period (newest first) and
// keeps the latest.
func (q *QuestionStat) declined(declined []DeclinedQuestion) {
	q.Declined = len(declined)
	for _, d := range declined[:min(len(declined), reportQuestions)] {
		q.LatestDeclined = append(q.LatestDeclined, d.Question)
	}
}

// MetIn returns when ticket tk met a deadline, from its audit log (oldest
// first), as the report and the Slack desk's counts judge it: false when it
// has not. judged is false for a
// ticket cancelled before the deadline was due without meeting it: the
// customer withdrew it, which is neither a response nor a miss. A ticket
// cancelled past due unmet missed it (the customer gave up waiting, most
// often). Cancelling is never meeting a deadline, and the resolution is
// met only while the ticket stays resolved (or closed): a reopened ticket
// is not solved, and its resolution is the last one.
func MetIn(tk *Ticket, events []Event, deadline string) (at time.Time, met, judged bool) {
	var cancelled time.Time
	meeting := false // the status before the event, meeting the deadline
	for _, ev := range events {
		ch, ok := ev.Changes["status"]
		if !ok {
			continue
		}
		var s Status
		if err := json.Unmarshal(ch.New, &s); err != nil {
			continue
		}
		now := s != StatusCancelled && Meets(s, deadline)
		switch {
		case s == StatusCancelled:
			cancelled = ev.At
		case now && !meeting && (deadline == DeadlineResolution || !met):
			at, met = ev.At, true
		}
		meeting = now || meeting && deadline == DeadlineFirstResponse
	}
	if deadline == DeadlineResolution && met && !(tk.Status == StatusResolved || tk.Status == StatusClosed) {
		at, met = time.Time{}, false // reopened since, or cancelled after it
	}
	if !met && tk.Status == StatusCancelled {
		due := tk.Due.FirstResponse
		if deadline == DeadlineResolution {
			due = tk.Due.Resolution
		}
		return time.Time{}, false, due != nil && !cancelled.IsZero() && cancelled.After(*due)
	}
	return at, met, true
}

// reportModels is how many models a report lists, reportQuestions how
// many questions.
const (
	reportModels    = 10
	reportQuestions = 10
)

// NewReport summarises tickets for the period from–to (to exclusive) as of
// now. events holds the audit log of every ticket opened in the period, by
// ticket id; a ticket without it counts its deadlines as never met.
func NewReport(tickets []*Ticket, events map[string][]Event, from, to, now time.Time) *Report {
	r := &Report{From: from, To: to, At: now, ByKind: map[Kind]int{}, ByChannel: map[string]int{},
		Warranty: WarrantyStat{NotCovered: map[string]int{}}}
	stats := map[string]*DeadlineStat{}
	models := map[string]int{}
	var questions []*Ticket
	score := 0
	for _, tk := range tickets {
		if s := tk.Satisfaction; s != nil && !s.At.Before(from) && s.At.Before(to) && s.Score >= 1 && s.Score <= 5 {
			r.Ratings.Count++
			r.Ratings.Scores[s.Score-1]++
			score += s.Score
		}
		if tk.CreatedAt.Before(from) || !tk.CreatedAt.Before(to) {
			continue
		}
		r.Opened++
		r.ByKind[tk.Kind]++
		r.ByChannel[tk.Channel]++
		if Meets(tk.Status, DeadlineResolution) {
			r.Done++
		}
		for _, d := range []struct {
			name string
			due  *time.Time
		}{{DeadlineFirstResponse, tk.Due.FirstResponse}, {DeadlineResolution, tk.Due.Resolution}} {
			if d.due == nil {
				continue
			}
			st := stats[d.name]
			if st == nil {
				st = &DeadlineStat{Name: d.name}
				stats[d.name] = st
			}
			at, met, judged := MetIn(tk, events[tk.ID], d.name)
			switch {
			case !judged:
				continue
			case met && !at.After(*d.due):
				st.Met++
			case met:
				st.Missed++
			case tk.Status == StatusWaitingCustomer || !now.After(*d.due): // it stands still while the customer decides
				st.Running++
			default:
				st.Missed++
			}
		}
		if q := tk.Details["question"]; tk.Kind == KindConsultation && q != "" {
			questions = append(questions, tk)
		}
		if tk.Kind == KindRepair {
			models[cmp.Or(tk.Model, "unknown")]++
			if w := tk.Warranty; w != nil && w.Covered {
				r.Warranty.Covered++
			} else if w != nil {
				r.Warranty.NotCovered[cmp.Or(w.Reason, "unknown")]++
			}
		}
	}
	if r.Ratings.Count > 0 {
		r.Ratings.Average = float64(score) / float64(r.Ratings.Count)
	}
	for _, name := range []string{DeadlineFirstResponse, DeadlineResolution} {
		if st := stats[name]; st != nil {
			r.Deadlines = append(r.Deadlines, *st)
		}
	}
	r.Models = top(models, reportModels)
	slices.SortStableFunc(questions, func(a, b *Ticket) int { return b.CreatedAt.Compare(a.CreatedAt) })
	r.Questions.Count = len(questions)
	for _, tk := range questions[:min(len(questions), reportQuestions)] {
		r.Questions.Latest = append(r.Questions.Latest, tk.Details["question"])
	}
	return r
}

// top returns the n largest counts, largest first, ties by key.
func top(counts map[string]int, n int) []Tally {
	out := make([]Tally, 0, len(counts))
	for k, v := range counts {
		out = append(out, Tally{k, v})
	}
	slices.SortFunc(out, func(a, b Tally) int { return cmp.Or(cmp.Compare(b.N, a.N), cmp.Compare(a.Key, b.Key)) })
	return out[:min(n, len(out))]
}
