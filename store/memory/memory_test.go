package memory_test

import (
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/dialog/dialogtest"
	"github.com/supportd/supportd/store/memory"
	"github.com/supportd/supportd/ticketing"
	"github.com/supportd/supportd/ticketing/tickettest"
)

func TestTicketConformance(t *testing.T) {
	tickettest.Run(t, func(t *testing.T) ticketing.Store {
		s := memory.New()
		t.Cleanup(func() { s.Close() })
		return s
	})
}

func TestDialogConformance(t *testing.T) {
	dialogtest.Run(t, func(t *testing.T) dialog.Store {
		s := memory.New()
		t.Cleanup(func() { s.Close() })
		return s
	})
}

// TestAppendCostIndependentOfHistory: appending to a long conversation
// copies neither its history nor its messages, so a turn costs the same
// memory whatever came before.
func TestAppendCostIndependentOfHistory(t *testing.T) {
	ctx := t.Context()
	s := memory.New()
	defer s.Close()
	c := &dialog.Conversation{ID: "c", Channel: "webchat", User: "u", State: dialog.Idle}
	appendTurn := func(n int) {
		err := s.Turn(ctx, func(tx dialog.Tx) error {
			for range n {
				m := &dialog.Message{ConversationID: "c", Dir: dialog.Out, From: dialog.FromBot, Text: "a reply of the usual length, with a choice",
					Choices: []dialog.Choice{{Value: "choice:yes", Label: "Yes"}}}
				if err := tx.Append(ctx, m); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Turn(ctx, func(tx dialog.Tx) error { return tx.Save(ctx, c) }); err != nil {
		t.Fatal(err)
	}
	const history, turns = 5000, 200
	appendTurn(history)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range turns {
		appendTurn(1)
	}
	runtime.ReadMemStats(&after)
	if perTurn := (after.TotalAlloc - before.TotalAlloc) / turns; perTurn > 20<<10 {
		t.Errorf("a turn appending one message to %d allocates %d bytes", history, perTurn)
	}
	if h, err := s.History(ctx, "c", 0); err != nil || len(h) != history+turns {
		t.Fatalf("history: %d messages, %v", len(h), err)
	}
}

// TestLongMessageRoundTrip: texts of any length, in any script, come back
// as they were appended.
func TestLongMessageRoundTrip(t *testing.T) {
	ctx := t.Context()
	s := memory.New()
	defer s.Close()
	c := &dialog.Conversation{ID: "c", Channel: "webchat", User: "u", State: dialog.Idle}
	want := []dialog.Message{
		{Dir: dialog.In, From: dialog.FromCustomer, Text: strings.Repeat("洗衣机不转了。", 3000), ClientID: "m-1"},
		{Dir: dialog.Out, From: dialog.FromAgent, Agent: "U7", Text: strings.Repeat("x", 200), TicketID: "T-1001",
			Choices: []dialog.Choice{{Value: "choice:yes", Label: strings.Repeat("是", 100)}, {Value: "", Label: ""}}},
		{Dir: dialog.Out, From: dialog.FromBot},
	}
	err := s.Turn(ctx, func(tx dialog.Tx) error {
		if err := tx.Save(ctx, c); err != nil {
			return err
		}
		for i := range want {
			want[i].ConversationID = "c"
			if err := tx.Append(ctx, &want[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.History(ctx, "c", 0)
	if err != nil || len(got) != len(want) {
		t.Fatalf("history: %d messages, %v", len(got), err)
	}
	for i := range want {
		if !got[i].At.Equal(want[i].At) {
			t.Errorf("message %d at %v, want %v", i, got[i].At, want[i].At)
		}
		got[i].At, want[i].At = time.Time{}, time.Time{}
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("message %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}
