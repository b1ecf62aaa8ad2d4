package dialog

import (
	"strings"
	"testing"

	"github.com/looplab/fsm"
)

func TestFlowLint(t *testing.T) {
	cases := []struct {
		name   string
		events fsm.Events
		want   string
	}{
		{"duplicate event from one state", fsm.Events{
			{Name: "go", Src: []string{Idle}, Dst: "a"},
			{Name: "go", Src: []string{Idle}, Dst: "b"},
			{Name: "back", Src: []string{"a", "b"}, Dst: Idle},
		}, `event "go" from "idle" is defined twice`},
		{"unreachable state", fsm.Events{
			{Name: "go", Src: []string{Idle}, Dst: "a"},
			{Name: "back", Src: []string{"a", "island"}, Dst: Idle},
		}, "states unreachable from idle: island"},
		{"dead end", fsm.Events{
			{Name: "go", Src: []string{Idle}, Dst: "a"},
			{Name: "on", Src: []string{"a"}, Dst: "trap"},
			{Name: "back", Src: []string{"a"}, Dst: Idle},
		}, "no way back to idle from trap"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := newFlow(tc.events); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
	f, err := NewFlow()
	if err != nil {
		t.Fatalf("the product's flow: %v", err)
	}
	if f.Transitions() < 40 {
		t.Errorf("%d transitions", f.Transitions())
	}
}

// Conversation ids sort by creation: the store's indexes on them stay
// ordered by time.
func TestNewIDsSortByCreation(t *testing.T) {
	prev := ""
	seen := map[string]bool{}
	for range 2000 {
		id := newID()
		if len(id) != 34 || id[:2] != "c_" || seen[id] {
			t.Fatalf("id %q (after %q): want c_ and 32 hex digits, never twice", id, prev)
		}
		if id <= prev {
			t.Fatalf("id %q made after %q sorts before it", id, prev)
		}
		seen[id], prev = true, id
	}
}
