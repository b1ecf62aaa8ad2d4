package dialogtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/ticketing"
)

var (
	cst = time.FixedZone("CST", 8*3600)
	// t0 is the suite's "now": nanoseconds and a non-UTC zone check that
	// stores keep the instant exactly.
	t0 = time.Date(2026, 3, 2, 9, 30, 15, 123456789, cst)

	errBoom = errors.New("boom")
)

// at returns t0 plus n minutes.
func at(n int) time.Time { return t0.Add(time.Duration(n) * time.Minute) }

// full returns a conversation with every field but Rev filled in.
func full(id string) *dialog.Conversation {
	return &dialog.Conversation{
		ID:       id,
		Channel:  "webchat",
		User:     "v-42",
		Customer: ticketing.Customer{Name: "王芳", Email: "wang@example.com", Phone: "+86 138 0000 0000", Lang: "zh"},
		Lang:     "zh",
		Typed:    true,
		Flow:     "9f86d081884c7d65",
		State:    "repair.confirm",
		Asking:   "purchase_date",
		Misses:   1,
		Slots: map[string]dialog.Slot{
			"model":         {Value: "WM-100", Raw: "wm100 洗衣机", Confirmed: true, Turn: 2},
			"purchase_date": {Value: "2025-03", Raw: "去年三月", Precision: "month", Turn: 3},
		},
		Confirm: []dialog.Pending{
			{Name: "purchase_date", Value: dialog.Slot{Value: "2025-03-01", Raw: "三月一号", Precision: "day", Turn: 4}},
			{Name: "model", Value: dialog.Slot{Value: "WM-100", Raw: "wm 100", Turn: 4}},
		},
		Together: []string{"proof", "misuse", "opened"},
		Back: []dialog.Snapshot{
			{State: "repair.collect", Asking: "model", Slots: map[string]dialog.Slot{"fault": {Value: "E21", Raw: "<b>E21</b>", Turn: 1}}},
			{State: "repair.collect", Asking: "fault"},
		},
		TicketID:   "T-1002",
		Tickets:    []string{"T-1001", "T-1002"},
		Handoff:    &dialog.Handoff{TicketID: "T-1002", Agent: "U7", Since: at(3), Reason: "complaint", Resume: "repair.confirm", Acked: at(4), Unanswered: "和上次一样"},
		Later:      &dialog.Later{Intent: "install", Text: "and book installation for my WP-8"},
		Subject:    "WM-100 不转了",
		Said:       &dialog.Said{Text: "the drum does not turn", At: at(5)},
		Unanswered: &dialog.Said{Text: "the drum", At: at(6)},
		Timers: []dialog.Timer{
			{Kind: "quote_expiry", TicketID: "T-1002", At: at(60)},
			{Kind: "rating_reminder", At: at(30).UTC()},
		},
		Turn:    5,
		Created: t0,
		Updated: at(4),
	}
}

// minimal returns a conversation with only what identifies it.
func minimal(id, channel, user string) *dialog.Conversation {
	return &dialog.Conversation{ID: id, Channel: channel, User: user, State: "idle", Created: t0, Updated: t0}
}

// message returns a message of conversation c with n in its text and time.
func message(c *dialog.Conversation, dir dialog.Direction, n int) *dialog.Message {
	m := &dialog.Message{ConversationID: c.ID, Dir: dir, Channel: c.Channel, User: c.User,
		Text: fmt.Sprintf("message %d", n), At: at(n)}
	if dir == dialog.In {
		m.From, m.ClientID = dialog.FromCustomer, fmt.Sprintf("client-%d", n)
	} else {
		m.From = dialog.FromBot
	}
	return m
}

// fullMessage returns a message with every field but Seq and DeliveredAt
// filled in.
func fullMessage(c *dialog.Conversation) *dialog.Message {
	return &dialog.Message{
		ConversationID: c.ID, Dir: dialog.Out, From: dialog.FromAgent, Channel: c.Channel, User: c.User,
		Text:     "师傅明天上午到 <script>alert(1)</script> & 'quotes'",
		Choices:  []dialog.Choice{{Value: "yes", Label: "好的"}, {Value: "no", Label: "换个时间"}},
		Input:    dialog.InputTel,
		TicketID: "T-1002", ClientID: "slack-1700000000.000100", Agent: "U7", At: at(7),
	}
}

// assertAllSet fails when a field of v (a struct) other than skip is zero:
// the round trips must cover every field, including ones added later.
func assertAllSet(t *testing.T, v any, skip ...string) {
	t.Helper()
	rv := reflect.ValueOf(v)
	for i := range rv.NumField() {
		if f := rv.Type().Field(i); !slices.Contains(skip, f.Name) && rv.Field(i).IsZero() {
			t.Errorf("the suite leaves %s.%s zero: its round trip is not checked", rv.Type().Name(), f.Name)
		}
	}
}

// canon is v's JSON with every time in UTC: two values with the same canon
// hold the same data, whatever zone a store gives back.
func canon(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var x any
	if err := json.Unmarshal(b, &x); err != nil {
		t.Fatal(err)
	}
	b, err = json.Marshal(utcTimes(x))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// utcTimes rewrites every RFC 3339 time string in a decoded JSON value to UTC.
func utcTimes(x any) any {
	switch v := x.(type) {
	case map[string]any:
		for k, e := range v {
			v[k] = utcTimes(e)
		}
	case []any:
		for i, e := range v {
			v[i] = utcTimes(e)
		}
	case string:
		if tm, err := time.Parse(time.RFC3339Nano, v); err == nil {
			return tm.UTC().Format(time.RFC3339Nano)
		}
	}
	return x
}

// assertSame fails unless got holds exactly the values of want.
func assertSame(t *testing.T, what string, got, want any) {
	t.Helper()
	if g, w := canon(t, got), canon(t, want); g != w {
		t.Errorf("%s:\n got %s\nwant %s", what, g, w)
	}
}

// turn runs fn in a turn and fails the test on an error.
func turn(t *testing.T, s dialog.Store, fn func(tx dialog.Tx) error) {
	t.Helper()
	if err := s.Turn(t.Context(), fn); err != nil {
		t.Fatalf("turn: %v", err)
	}
}

// create saves new conversations in one turn.
func create(t *testing.T, s dialog.Store, cs ...*dialog.Conversation) {
	t.Helper()
	turn(t, s, func(tx dialog.Tx) error {
		for _, c := range cs {
			if err := tx.Save(t.Context(), c); err != nil {
				return err
			}
		}
		return nil
	})
}

// appendAll appends messages in one turn.
func appendAll(t *testing.T, s dialog.Store, ms ...*dialog.Message) {
	t.Helper()
	turn(t, s, func(tx dialog.Tx) error {
		for _, m := range ms {
			if err := tx.Append(t.Context(), m); err != nil {
				return err
			}
		}
		return nil
	})
}

func mustConversation(t *testing.T, s dialog.Store, id string) *dialog.Conversation {
	t.Helper()
	c, err := s.Conversation(t.Context(), id)
	if err != nil {
		t.Fatalf("conversation %s: %v", id, err)
	}
	return c
}

func mustHistory(t *testing.T, s dialog.Store, id string, limit int) []dialog.Message {
	t.Helper()
	ms, err := s.History(t.Context(), id, limit)
	if err != nil {
		t.Fatalf("history of %s: %v", id, err)
	}
	return ms
}

func mustPending(t *testing.T, s dialog.Store, channel string, limit int) []dialog.Message {
	t.Helper()
	ms, err := s.Pending(t.Context(), channel, limit)
	if err != nil {
		t.Fatalf("pending of %s: %v", channel, err)
	}
	return ms
}

// keys names messages "conversation/seq" for readable comparisons.
func keys(ms []dialog.Message) []string {
	out := make([]string, 0, len(ms))
	for _, m := range ms {
		out = append(out, fmt.Sprintf("%s/%d", m.ConversationID, m.Seq))
	}
	return out
}

// seqs returns the Seq of each message.
func seqs(ms []dialog.Message) []int64 {
	out := make([]int64, 0, len(ms))
	for _, m := range ms {
		out = append(out, m.Seq)
	}
	return out
}

// seqsTo returns 1, 2, ... n.
func seqsTo(n int) []int64 {
	out := make([]int64, n)
	for i := range out {
		out[i] = int64(i + 1)
	}
	return out
}
