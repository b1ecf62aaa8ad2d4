package dialogtest

import (
	"errors"
	"slices"
	"testing"

	"github.com/supportd/supportd/dialog"
)

func testAppend(t *testing.T, s dialog.Store) {
	ctx := t.Context()
	a, b := minimal("a", "webchat", "u1"), minimal("b", "webchat", "u2")
	create(t, s, a, b)
	assertAllSet(t, *fullMessage(a), "Seq", "DeliveredAt")

	// Interleaved, over two turns: each conversation counts on its own.
	first := []*dialog.Message{message(a, dialog.In, 1), fullMessage(a), message(b, dialog.In, 2)}
	second := []*dialog.Message{message(b, dialog.Out, 3), message(a, dialog.In, 4)}
	appendAll(t, s, first...)
	appendAll(t, s, second...)
	all := append(first, second...)
	for i, want := range []int64{1, 2, 1, 2, 3} {
		if all[i].Seq != want {
			t.Errorf("message %d got seq %d, want %d", i, all[i].Seq, want)
		}
	}
	for _, tc := range []struct {
		conv string
		want []*dialog.Message
	}{
		{"a", []*dialog.Message{first[0], first[1], second[1]}},
		{"b", []*dialog.Message{first[2], second[0]}},
	} {
		got := mustHistory(t, s, tc.conv, 0)
		if len(got) != len(tc.want) {
			t.Fatalf("history of %s: %v, want %d messages", tc.conv, keys(got), len(tc.want))
		}
		for i := range got {
			assertSame(t, "stored message "+tc.conv, got[i], tc.want[i])
		}
	}

	// An unknown conversation: ErrNotFound, nothing stored.
	m := message(minimal("nobody", "webchat", "u9"), dialog.In, 5)
	var err error
	turn(t, s, func(tx dialog.Tx) error { err = tx.Append(ctx, m); return nil })
	if !errors.Is(err, dialog.ErrNotFound) {
		t.Errorf("append to an unknown conversation: %v, want ErrNotFound", err)
	}
	if _, err := s.History(ctx, "nobody", 0); !errors.Is(err, dialog.ErrNotFound) {
		t.Errorf("history of an unknown conversation: %v, want ErrNotFound", err)
	}
}

func testSeen(t *testing.T, s dialog.Store) {
	ctx := t.Context()
	a, b := minimal("a", "webchat", "u1"), minimal("b", "webchat", "u2")
	create(t, s, a, b)
	seen := func(t *testing.T, conv, clientID string) bool {
		t.Helper()
		var ok bool
		turn(t, s, func(tx dialog.Tx) error {
			var err error
			ok, err = tx.Seen(ctx, conv, clientID)
			return err
		})
		return ok
	}
	if seen(t, "a", "m-1") {
		t.Fatal("m-1 seen before it was appended")
	}
	in := message(a, dialog.In, 1)
	in.ClientID = "m-1"
	var inTurn bool
	turn(t, s, func(tx dialog.Tx) error {
		if err := tx.Append(ctx, in); err != nil {
			return err
		}
		var err error
		inTurn, err = tx.Seen(ctx, "a", "m-1")
		return err
	})
	if !inTurn {
		t.Error("m-1 not seen in the turn that appended it")
	}
	// Appended in a turn that rolled back: never seen.
	lost := message(a, dialog.In, 2)
	lost.ClientID = "m-2"
	err := s.Turn(ctx, func(tx dialog.Tx) error {
		if err := tx.Append(ctx, lost); err != nil {
			return err
		}
		return errBoom
	})
	if !errors.Is(err, errBoom) {
		t.Fatalf("turn: %v, want errBoom", err)
	}
	out := message(a, dialog.Out, 3)
	out.ClientID = "m-3"
	appendAll(t, s, out)

	cases := []struct {
		name, conv, clientID string
		want                 bool
	}{
		{"appended in a committed turn", "a", "m-1", true},
		{"in another conversation", "b", "m-1", false},
		{"empty id", "a", "", false},
		{"appended in a rolled-back turn", "a", "m-2", false},
		{"an outbound message's id", "a", "m-3", false},
		{"never appended", "a", "m-4", false},
		{"unknown conversation", "nobody", "m-1", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := seen(t, tc.conv, tc.clientID); got != tc.want {
				t.Errorf("Seen(%s, %q) = %v, want %v", tc.conv, tc.clientID, got, tc.want)
			}
		})
	}
}

// testDuplicateClientID: a second inbound message with a client id already
// in the conversation is refused; another conversation may use it.
func testDuplicateClientID(t *testing.T, s dialog.Store) {
	ctx := t.Context()
	a, b := minimal("a", "webchat", "u1"), minimal("b", "webchat", "u2")
	create(t, s, a, b)
	first := message(a, dialog.In, 1)
	appendAll(t, s, first)

	cases := []struct {
		name     string
		earlier  bool // the first copy is appended in the same turn
		conv     *dialog.Conversation
		accepted bool
	}{
		{"appended in an earlier turn", false, a, false},
		{"appended earlier in the same turn", true, a, false},
		{"same id in another conversation", false, b, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := len(mustHistory(t, s, tc.conv.ID, 0))
			dup := message(tc.conv, dialog.In, 1)
			dup.Text = "the same message delivered again"
			var err error
			turn(t, s, func(tx dialog.Tx) error {
				if tc.earlier {
					m := message(tc.conv, dialog.In, 2)
					m.ClientID = "same-turn"
					dup.ClientID = "same-turn"
					if err := tx.Append(ctx, m); err != nil {
						return err
					}
					before++
				}
				err = tx.Append(ctx, dup)
				return nil // commit the rest of the turn
			})
			got := mustHistory(t, s, tc.conv.ID, 0)
			if tc.accepted {
				if err != nil || len(got) != before+1 {
					t.Errorf("append: %v, %d messages; want it stored", err, len(got))
				}
				return
			}
			if err == nil {
				t.Error("a duplicate client id was accepted")
			}
			if dup.Seq != 0 {
				t.Errorf("the refused message got seq %d", dup.Seq)
			}
			if len(got) != before {
				t.Errorf("%d messages stored, want %d: %v", len(got), before, keys(got))
			}
		})
	}
}

func testPending(t *testing.T, s dialog.Store) {
	a, b, c := minimal("a", "webchat", "u1"), minimal("b", "webchat", "u2"), minimal("c", "email", "x@example.com")
	create(t, s, a, b, c)
	// Appended out of time order, across conversations and turns.
	appendAll(t, s, message(a, dialog.In, 0), message(a, dialog.Out, 3), message(b, dialog.Out, 1))
	appendAll(t, s, message(c, dialog.Out, 2), message(a, dialog.Out, 4), message(b, dialog.In, 5))
	cases := []struct {
		name, channel string
		limit         int
		want          []string
	}{
		{"all, oldest first", "webchat", 0, []string{"b/1", "a/2", "a/3"}},
		{"limit", "webchat", 2, []string{"b/1", "a/2"}},
		{"limit above count", "webchat", 10, []string{"b/1", "a/2", "a/3"}},
		{"another channel", "email", 0, []string{"c/1"}},
		{"a channel with nothing", "slack", 0, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := mustPending(t, s, tc.channel, tc.limit)
			if !slices.Equal(keys(got), tc.want) && len(got)+len(tc.want) > 0 {
				t.Errorf("Pending(%s, %d) = %v, want %v", tc.channel, tc.limit, keys(got), tc.want)
			}
			for _, m := range got {
				if m.Dir != dialog.Out || m.DeliveredAt != nil || m.Channel != tc.channel || m.Text == "" {
					t.Errorf("pending message %s/%d: %+v", m.ConversationID, m.Seq, m)
				}
			}
		})
	}
}

func testMarkDelivered(t *testing.T, s dialog.Store) {
	ctx := t.Context()
	a, b := minimal("a", "webchat", "u1"), minimal("b", "webchat", "u2")
	create(t, s, a, b)
	appendAll(t, s, message(a, dialog.Out, 1), message(b, dialog.Out, 2), message(a, dialog.Out, 3))

	if err := s.MarkDelivered(ctx, "a", 1, at(10)); err != nil {
		t.Fatal(err)
	}
	if got := keys(mustPending(t, s, "webchat", 0)); !slices.Equal(got, []string{"b/1", "a/2"}) {
		t.Errorf("pending after delivering a/1: %v, want [b/1 a/2]", got)
	}
	// Again, later: no error, and the first delivery time stays.
	if err := s.MarkDelivered(ctx, "a", 1, at(20)); err != nil {
		t.Errorf("second MarkDelivered: %v", err)
	}
	h := mustHistory(t, s, "a", 0)
	if d := h[0].DeliveredAt; d == nil || !d.Equal(at(10)) {
		t.Errorf("a/1 delivered at %v, want %v", d, at(10))
	}
	if h[1].DeliveredAt != nil {
		t.Errorf("a/2 delivered at %v, want undelivered", h[1].DeliveredAt)
	}
	if got := keys(mustPending(t, s, "webchat", 0)); !slices.Equal(got, []string{"b/1", "a/2"}) {
		t.Errorf("pending after delivering a/1 twice: %v", got)
	}

	for _, tc := range []struct {
		name string
		conv string
		seq  int64
	}{
		{"unknown seq", "a", 9},
		{"unknown conversation", "nobody", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := s.MarkDelivered(ctx, tc.conv, tc.seq, at(30)); !errors.Is(err, dialog.ErrNotFound) {
				t.Errorf("MarkDelivered(%s, %d): %v, want ErrNotFound", tc.conv, tc.seq, err)
			}
		})
	}
	if got := keys(mustPending(t, s, "webchat", 0)); !slices.Equal(got, []string{"b/1", "a/2"}) {
		t.Errorf("pending at the end: %v", got)
	}
}

func testHistory(t *testing.T, s dialog.Store) {
	a, empty := minimal("a", "webchat", "u1"), minimal("empty", "webchat", "u2")
	create(t, s, a, empty)
	var ms []*dialog.Message
	for i := range 5 {
		dir := dialog.In
		if i%2 == 1 {
			dir = dialog.Out
		}
		ms = append(ms, message(a, dir, i))
	}
	appendAll(t, s, ms[:2]...)
	appendAll(t, s, ms[2:]...)
	cases := []struct {
		name  string
		limit int
		want  []int64
	}{
		{"all, oldest first", 0, []int64{1, 2, 3, 4, 5}},
		{"the last two", 2, []int64{4, 5}},
		{"the last one", 1, []int64{5}},
		{"limit above count", 10, []int64{1, 2, 3, 4, 5}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := mustHistory(t, s, "a", tc.limit)
			if !slices.Equal(seqs(got), tc.want) {
				t.Fatalf("History(a, %d) = %v, want %v", tc.limit, seqs(got), tc.want)
			}
			for i, m := range got {
				assertSame(t, "history message", m, ms[tc.want[i]-1])
			}
		})
	}
	if got := mustHistory(t, s, "empty", 0); len(got) != 0 {
		t.Errorf("history of a conversation without messages: %v", keys(got))
	}
}

// testMarkDeliveredAll: several messages marked in one call, all or none.
func testMarkDeliveredAll(t *testing.T, s dialog.Store) {
	ctx := t.Context()
	a := minimal("a", "webchat", "u1")
	create(t, s, a)
	appendAll(t, s, message(a, dialog.Out, 1), message(a, dialog.Out, 2), message(a, dialog.Out, 3))

	if err := s.MarkDeliveredAll(ctx, "a", []int64{1, 2, 9}, at(10)); !errors.Is(err, dialog.ErrNotFound) {
		t.Fatalf("with an unknown seq: %v, want ErrNotFound", err)
	}
	if got := keys(mustPending(t, s, "webchat", 0)); !slices.Equal(got, []string{"a/1", "a/2", "a/3"}) {
		t.Fatalf("a refused batch changed the outbox: %v", got)
	}
	if err := s.MarkDeliveredAll(ctx, "a", []int64{1, 3}, at(10)); err != nil {
		t.Fatal(err)
	}
	if got := keys(mustPending(t, s, "webchat", 0)); !slices.Equal(got, []string{"a/2"}) {
		t.Errorf("pending after marking 1 and 3: %v, want [a/2]", got)
	}
}
