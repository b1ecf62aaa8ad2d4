package ticketing

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// spec is the transition table as the product defines it, written out
// independently of the one in status.go.
var spec = map[Status]string{
	StatusNew:             "open cancelled",
	StatusOpen:            "assigned resolved cancelled",
	StatusAssigned:        "in_progress open cancelled",
	StatusInProgress:      "waiting_customer resolved cancelled",
	StatusWaitingCustomer: "in_progress resolved cancelled",
	StatusResolved:        "closed reopened",
	StatusClosed:          "reopened",
	StatusReopened:        "assigned in_progress cancelled",
	StatusCancelled:       "",
}

func TestCanTransitionMatchesSpec(t *testing.T) {
	if len(spec) != len(Statuses()) {
		t.Fatalf("spec covers %d statuses, there are %d", len(spec), len(Statuses()))
	}
	for _, from := range Statuses() {
		allowed := strings.Fields(spec[from])
		for _, to := range Statuses() {
			want := false
			for _, a := range allowed {
				want = want || Status(a) == to
			}
			if got := CanTransition(from, to); got != want {
				t.Errorf("CanTransition(%s, %s) = %v, want %v", from, to, got, want)
			}
		}
		if got := fmt.Sprint(Transitions(from)); got != fmt.Sprint(toStatuses(allowed)) {
			t.Errorf("Transitions(%s) = %v, want %v", from, got, allowed)
		}
	}
	if CanTransition("bogus", StatusOpen) || CanTransition(StatusNew, "bogus") {
		t.Error("unknown statuses must not transition")
	}
}

func toStatuses(ss []string) []Status {
	out := []Status{}
	for _, s := range ss {
		out = append(out, Status(s))
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func TestTransitionsIsACopy(t *testing.T) {
	ts := Transitions(StatusNew)
	ts[0] = StatusClosed
	if !CanTransition(StatusNew, StatusOpen) || CanTransition(StatusNew, StatusClosed) {
		t.Error("changing the returned slice changed the table")
	}
}

func TestParseStatus(t *testing.T) {
	for _, s := range Statuses() {
		if got, err := ParseStatus(string(s)); err != nil || got != s {
			t.Errorf("ParseStatus(%q) = %q, %v", s, got, err)
		}
	}
	for _, bad := range []string{"", "done", "Open", " open"} {
		_, err := ParseStatus(bad)
		if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("%q", bad)) || !strings.Contains(err.Error(), "waiting_customer") {
			t.Errorf("ParseStatus(%q): %v, want an error naming it and listing the statuses", bad, err)
		}
	}
}

func TestTransitionError(t *testing.T) {
	var err error = &TransitionError{From: StatusResolved, To: StatusAssigned}
	wrapped := fmt.Errorf("update T-1001: %w", err)
	if err.Error() != "invalid status change: resolved → assigned" {
		t.Errorf("message %q", err)
	}
	var te *TransitionError
	if !errors.Is(wrapped, ErrInvalidTransition) || !errors.As(wrapped, &te) || te.From != StatusResolved || te.To != StatusAssigned {
		t.Errorf("errors.Is/As do not see %v", wrapped)
	}
	if errors.Is(wrapped, ErrInvalid) || errors.Is(wrapped, ErrNotFound) {
		t.Error("a transition error is neither invalid input nor not found")
	}
}
