package ticketing

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestMeets(t *testing.T) {
	for _, tc := range []struct {
		status        Status
		first, solved bool
	}{
		{StatusNew, false, false}, {StatusOpen, false, false}, {StatusAssigned, false, false}, {StatusReopened, false, false},
		{StatusInProgress, true, false}, {StatusWaitingCustomer, true, false},
		{StatusResolved, true, true}, {StatusClosed, true, true}, {StatusCancelled, true, true},
	} {
		if Meets(tc.status, DeadlineFirstResponse) != tc.first || Meets(tc.status, DeadlineResolution) != tc.solved {
			t.Errorf("%s: first response met %v, resolution met %v; want %v, %v", tc.status,
				Meets(tc.status, DeadlineFirstResponse), Meets(tc.status, DeadlineResolution), tc.first, tc.solved)
		}
	}
	if Meets(StatusResolved, "onsite") {
		t.Error("the on-site visit is judged by a status")
	}
}

func TestReport(t *testing.T) {
	day := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, time.UTC) }
	due := func(d, h int) *time.Time { x := day(d, h); return &x }
	status := func(at time.Time, s Status) Event {
		raw, _ := json.Marshal(s)
		return Event{At: at, Changes: map[string]Change{"status": {Old: json.RawMessage(`"open"`), New: raw}}}
	}
	from, to, now := day(23, 0), day(30, 0), day(30, 12)
	tickets := []*Ticket{
		// Opened before the period, rated in it.
		{ID: "T-1", Kind: KindRepair, Status: StatusResolved, Channel: "webchat", CreatedAt: day(20, 9), Model: "TV-55X",
			Satisfaction: &Satisfaction{Score: 5, At: day(24, 9)}},
		// Answered in time, resolved late, rated 3.
		{ID: "T-2", Kind: KindRepair, Status: StatusClosed, Channel: "webchat", CreatedAt: day(23, 10), Model: "TV-55X",
			Warranty: &WarrantyDecision{Covered: true}, Due: Deadlines{FirstResponse: due(24, 10), Resolution: due(25, 18)},
			Satisfaction: &Satisfaction{Score: 3, At: day(27, 9)}},
		// Answered late, resolution still running.
		{ID: "T-3", Kind: KindRepair, Status: StatusInProgress, Channel: "email", CreatedAt: day(24, 10), Model: "WM-100",
			Warranty: &WarrantyDecision{Reason: "expired"}, Due: Deadlines{FirstResponse: due(25, 10), Resolution: due(33, 18)}}, // 3 Dec
		// Never answered, past due; its resolution deadline is past due too.
		{ID: "T-4", Kind: KindComplaint, Status: StatusOpen, Channel: "webchat", CreatedAt: day(26, 10),
			Due: Deadlines{FirstResponse: due(27, 10), Resolution: due(28, 18)}},
		// Waiting for the customer's answer to a quote: its past-due resolution stands still.
		{ID: "T-5", Kind: KindRepair, Status: StatusWaitingCustomer, Channel: "webchat", CreatedAt: day(27, 10), Model: "TV-55X",
			Warranty: &WarrantyDecision{Reason: "misuse"}, Due: Deadlines{FirstResponse: due(28, 10), Resolution: due(29, 18)}},
		// Opened after the period.
		{ID: "T-6", Kind: KindConsultation, Status: StatusNew, Channel: "email", CreatedAt: day(30, 1), Details: map[string]string{"question": "too late"}},
		// Questions passed on, and a consultation without one (asked for a person).
		{ID: "T-7", Kind: KindConsultation, Status: StatusOpen, Channel: "webchat", CreatedAt: day(28, 9), Details: map[string]string{"question": "do you sell gift cards?"}},
		{ID: "T-8", Kind: KindConsultation, Status: StatusOpen, Channel: "email", CreatedAt: day(29, 9), Details: map[string]string{"question": "有学生优惠吗"}},
		{ID: "T-9", Kind: KindConsultation, Status: StatusOpen, Channel: "webchat", CreatedAt: day(29, 10), Details: map[string]string{"reason": "asked"}},
	}
	events := map[string][]Event{
		"T-2": {status(day(23, 11), StatusInProgress), status(day(26, 9), StatusResolved), status(day(26, 10), StatusClosed)},
		"T-3": {status(day(25, 11), StatusAssigned), status(day(25, 12), StatusInProgress)},
		"T-4": {},
		"T-5": {status(day(27, 12), StatusInProgress), status(day(27, 13), StatusWaitingCustomer)},
	}
	r := NewReport(tickets, events, from, to, now)
	if r.Opened != 7 || r.Done != 1 ||
		!reflect.DeepEqual(r.ByKind, map[Kind]int{KindRepair: 3, KindComplaint: 1, KindConsultation: 3}) ||
		!reflect.DeepEqual(r.ByChannel, map[string]int{"webchat": 5, "email": 2}) {
		t.Errorf("volumes: opened %d, done %d, by kind %v, by channel %v", r.Opened, r.Done, r.ByKind, r.ByChannel)
	}
	want := []DeadlineStat{{Name: DeadlineFirstResponse, Met: 2, Missed: 2}, {Name: DeadlineResolution, Missed: 2, Running: 2}}
	if !reflect.DeepEqual(r.Deadlines, want) {
		t.Errorf("deadlines %+v, want %+v", r.Deadlines, want)
	}
	if r.Ratings.Count != 2 || r.Ratings.Average != 4 || r.Ratings.Scores != [5]int{0, 0, 1, 0, 1} {
		t.Errorf("ratings %+v, want the two given in the period (3 and 5)", r.Ratings)
	}
	if want := []Tally{{"TV-55X", 2}, {"WM-100", 1}}; !reflect.DeepEqual(r.Models, want) {
		t.Errorf("models %+v, want %+v", r.Models, want)
	}
	if r.Warranty.Covered != 1 || !reflect.DeepEqual(r.Warranty.NotCovered, map[string]int{"expired": 1, "misuse": 1}) {
		t.Errorf("warranty %+v", r.Warranty)
	}
	if want := (QuestionStat{Count: 2, Latest: []string{"有学生优惠吗", "do you sell gift cards?"}}); !reflect.DeepEqual(r.Questions, want) {
		t.Errorf("questions %+v, want %+v", r.Questions, want)
	}
	var b strings.Builder
	r.WriteText(&b, time.UTC)
	if want := "Unanswered questions: 2 passed on to a person, 0 declined\n  passed on:\n    \"有学生优惠吗\"\n    \"do you sell gift cards?\"\n"; !strings.HasSuffix(b.String(), want) {
		t.Errorf("report text ends\n%s\nwant\n%s", b.String(), want)
	}

	// The questions customers declined to pass on are counted beside them,
	// the latest listed, newest first.
	var declined []DeclinedQuestion
	for i := range 12 {
		declined = append(declined, DeclinedQuestion{Question: fmt.Sprintf("question %d", 12-i), Channel: "webchat", At: now.Add(-time.Duration(i) * time.Hour)})
	}
	r.Questions.declined(declined)
	if q := r.Questions; q.Declined != 12 || len(q.LatestDeclined) != 10 || q.LatestDeclined[0] != "question 12" || q.LatestDeclined[9] != "question 3" {
		t.Errorf("questions %+v, want 12 declined, the latest 10 from question 12", q)
	}
	b.Reset()
	r.WriteText(&b, time.UTC)
	for _, want := range []string{
		"Unanswered questions: 2 passed on to a person, 12 declined\n  passed on:\n    \"有学生优惠吗\"\n",
		"  declined (the latest 10):\n    \"question 12\"\n    \"question 11\"\n",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report text\n%s\nlacks\n%s", b.String(), want)
		}
	}
	if strings.Contains(b.String(), "question 2\"") {
		t.Errorf("report text lists more than the latest 10 declined:\n%s", b.String())
	}
}

func TestReportOfNothing(t *testing.T) {
	r := NewReport(nil, nil, time.Unix(0, 0), time.Unix(86400, 0), time.Unix(90000, 0))
	if r.Opened != 0 || r.Deadlines != nil || r.Ratings.Count != 0 || r.Ratings.Average != 0 || len(r.Models) != 0 {
		t.Errorf("empty report %+v", r)
	}
}

// MetIn judges a deadline by what the ticket went through: cancelling
// meets nothing, and the resolution is the last one, while it stands.
func TestReportMet(t *testing.T) {
	day := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, time.UTC) }
	due := func(d, h int) *time.Time { x := day(d, h); return &x }
	ev := func(at time.Time, s Status) Event {
		raw, _ := json.Marshal(s)
		return Event{At: at, Changes: map[string]Change{"status": {New: raw}}}
	}
	dl := Deadlines{FirstResponse: due(24, 10), Resolution: due(26, 10)}
	for _, tc := range []struct {
		name     string
		status   Status
		events   []Event
		deadline string
		at       time.Time
		met      bool
		judged   bool
	}{
		{"answered", StatusInProgress, []Event{ev(day(23, 11), StatusInProgress)}, DeadlineFirstResponse, day(23, 11), true, true},
		{"answered, reopened since", StatusReopened, []Event{ev(day(23, 11), StatusInProgress), ev(day(23, 12), StatusResolved), ev(day(23, 13), StatusReopened)},
			DeadlineFirstResponse, day(23, 11), true, true},
		{"resolved, reopened: not met", StatusReopened, []Event{ev(day(23, 11), StatusInProgress), ev(day(23, 12), StatusResolved), ev(day(23, 13), StatusReopened)},
			DeadlineResolution, time.Time{}, false, true},
		{"resolved again: the last resolution", StatusClosed, []Event{ev(day(23, 12), StatusResolved), ev(day(23, 13), StatusReopened),
			ev(day(27, 9), StatusResolved), ev(day(27, 10), StatusClosed)}, DeadlineResolution, day(27, 9), true, true},
		{"cancelled before due, unanswered", StatusCancelled, []Event{ev(day(23, 12), StatusCancelled)}, DeadlineFirstResponse, time.Time{}, false, false},
		{"cancelled past due, unanswered", StatusCancelled, []Event{ev(day(25, 12), StatusCancelled)}, DeadlineFirstResponse, time.Time{}, false, true},
		{"answered, then cancelled", StatusCancelled, []Event{ev(day(23, 11), StatusInProgress), ev(day(23, 12), StatusCancelled)},
			DeadlineFirstResponse, day(23, 11), true, true},
		{"cancelled before the resolution was due", StatusCancelled, []Event{ev(day(23, 11), StatusInProgress), ev(day(23, 12), StatusCancelled)},
			DeadlineResolution, time.Time{}, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			at, met, judged := MetIn(&Ticket{Status: tc.status, Due: dl}, tc.events, tc.deadline)
			if !at.Equal(tc.at) || met != tc.met || judged != tc.judged {
				t.Errorf("MetIn = %v %v %v, want %v %v %v", at, met, judged, tc.at, tc.met, tc.judged)
			}
		})
	}
}
