package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/dialog/dialogtest"
	"github.com/supportd/supportd/ticketing"
)

// openConvDB opens a fresh database file in t's temporary directory.
func openConvDB(t testing.TB) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "data", "supportd.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return db
}

func TestDialogConformance(t *testing.T) {
	dialogtest.Run(t, func(t *testing.T) dialog.Store { return openConvDB(t) })
}

// TestConversationReopen: a restart loses nothing of a committed turn, its
// outbox included (RELIABILITY item 28), and numbering goes on.
func TestConversationReopen(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "supportd.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	c := benchConversation("c-1")
	in := &dialog.Message{ConversationID: "c-1", Dir: dialog.In, From: dialog.FromCustomer, Text: "洗衣机不转", ClientID: "m-1", At: c.Updated}
	out := &dialog.Message{ConversationID: "c-1", Dir: dialog.Out, From: dialog.FromBot, Text: "请问型号？", At: c.Updated}
	err = db.Turn(ctx, func(tx dialog.Tx) error {
		tk := &ticketing.Ticket{Kind: ticketing.KindRepair, Channel: c.Channel, ChannelUser: c.User, ConversationID: c.ID}
		if err := tx.Tickets().Create(ctx, tk, ticketing.By{Actor: "bot"}); err != nil {
			return err
		}
		c.TicketID = tk.ID
		if err := tx.Save(ctx, c); err != nil {
			return err
		}
		if err := tx.Append(ctx, in); err != nil {
			return err
		}
		return tx.Append(ctx, out)
	})
	if err != nil {
		t.Fatal(err)
	}
	// A turn in flight when the process stops: never committed.
	lost := db.Turn(ctx, func(tx dialog.Tx) error {
		if err := tx.Append(ctx, &dialog.Message{ConversationID: "c-1", Dir: dialog.Out, Text: "lost", At: c.Updated}); err != nil {
			return err
		}
		return context.Canceled
	})
	if !errors.Is(lost, context.Canceled) {
		t.Fatalf("interrupted turn: %v", lost)
	}
	want, _ := json.Marshal(c)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := db.Conversation(ctx, "c-1")
	if err != nil {
		t.Fatal(err)
	}
	if g, _ := json.Marshal(got); string(g) != string(want) {
		t.Errorf("conversation after reopen:\n got %s\nwant %s", g, want)
	}
	pending, err := db.Pending(ctx, "webchat", 0)
	if err != nil || len(pending) != 1 || pending[0].Seq != 2 || pending[0].Text != out.Text {
		t.Fatalf("outbox after reopen: %+v, %v; want the reply c-1/2", pending, err)
	}
	if tk, err := db.Get(ctx, c.TicketID); err != nil || tk.ConversationID != "c-1" {
		t.Errorf("ticket after reopen: %+v, %v", tk, err)
	}
	if err := db.MarkDelivered(ctx, "c-1", 2, time.Now()); err != nil {
		t.Fatal(err)
	}
	if pending, err := db.Pending(ctx, "webchat", 0); err != nil || len(pending) != 0 {
		t.Errorf("outbox after delivery: %+v, %v", pending, err)
	}
	next := &dialog.Message{ConversationID: "c-1", Dir: dialog.In, Text: "WM-100", At: time.Now()}
	err = db.Turn(ctx, func(tx dialog.Tx) error {
		if seen, err := tx.Seen(ctx, "c-1", "m-1"); err != nil || !seen {
			t.Errorf("m-1 after reopen: seen %v, %v", seen, err)
		}
		return tx.Append(ctx, next)
	})
	if err != nil || next.Seq != 3 {
		t.Errorf("append after reopen: seq %d, %v; want 3", next.Seq, err)
	}
}

// TestConversationPlans checks with EXPLAIN QUERY PLAN that the dialog
// lookups search an index and never scan a table or sort.
func TestConversationPlans(t *testing.T) {
	db := openConvDB(t)
	cases := []struct {
		name, query string
		args        []any
	}{
		{"find", sqlFindConv, []any{"webchat", "v-1"}},
		{"due", sqlDue, []any{formatTime(time.Now()), 10}},
		{"seen", sqlSeen, []any{"c-1", "m-1"}},
		{"pending", sqlPending, []any{"webchat", 10}},
		{"history", sqlHistory, []any{"c-1", 10}},
		{"next message", sqlNextMsg, []any{"c-1"}},
		{"deliver", sqlDeliver, []any{formatTime(time.Now()), "c-1", 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := queryPlan(t, db, tc.query, tc.args...)
			t.Logf("%s: %s", tc.name, p)
			scan := strings.Contains(p, "SCAN conversations") || strings.Contains(p, "SCAN messages")
			// History sorts its last N rows back to oldest first: that sort is meant.
			if scan || (strings.Contains(p, "TEMP B-TREE") && tc.name != "history") {
				t.Errorf("%s plan: %s", tc.name, p)
			}
		})
	}
}

// benchConversation returns a conversation as it is midway through a
// repair journey: ten slots, a pending confirmation, a snapshot, a timer.
func benchConversation(id string) *dialog.Conversation {
	t0 := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	slots := map[string]dialog.Slot{}
	for i, kv := range [][2]string{
		{"model", "WM-100"}, {"purchase_date", "2025-03-01"}, {"fault", "E21 drum does not turn"},
		{"proof", "JD-2025030112345"}, {"address", "上海市浦东新区 1 号"}, {"phone", "+86 138 0000 0000"},
		{"name", "王芳"}, {"preferred_date", "2026-03-05"}, {"region", "shanghai"}, {"troubleshoot", "no"},
	} {
		slots[kv[0]] = dialog.Slot{Value: kv[1], Raw: "原话 " + kv[1], Confirmed: i%2 == 0, Turn: i + 1}
	}
	return &dialog.Conversation{
		ID: id, Channel: "webchat", User: "v-42",
		Customer: ticketing.Customer{Name: "王芳", Email: "wang@example.com", Phone: "+86 138 0000 0000", Lang: "zh"},
		Lang:     "zh", Flow: "9f86d081884c7d65", State: "repair.confirm", Asking: "preferred_date",
		Slots:   slots,
		Confirm: []dialog.Pending{{Name: "preferred_date", Value: dialog.Slot{Value: "2026-03", Raw: "下个月", Precision: "month", Turn: 11}}},
		Back:    []dialog.Snapshot{{State: "repair.collect", Asking: "fault", Slots: map[string]dialog.Slot{"model": slots["model"]}}},
		Tickets: []string{},
		Timers:  []dialog.Timer{{Kind: "rating_reminder", At: t0.Add(24 * time.Hour)}},
		Turn:    11, Created: t0, Updated: t0.Add(10 * time.Minute),
	}
}

// The dialog benchmarks report ns/op and writes/s (one write = one committed
// transaction). BenchmarkBareUpsert is the baseline measured in the same
// run: quote BenchmarkTurn's ns/op ÷ BenchmarkBareUpsert's.

// BenchmarkTurn: one turn of a conversation with ten slots and a history:
// load it, append an inbound message and the reply, save it, commit.
func BenchmarkTurn(b *testing.B) {
	db := benchDB(b)
	ctx := context.Background()
	c := benchConversation("c-1")
	if err := db.Turn(ctx, func(tx dialog.Tx) error { return tx.Save(ctx, c) }); err != nil {
		b.Fatal(err)
	}
	raw, _ := json.Marshal(c)
	at := c.Updated
	i := 0
	for b.Loop() {
		i++
		at = at.Add(time.Second)
		err := db.Turn(ctx, func(tx dialog.Tx) error {
			c, err := tx.Load(ctx, "c-1")
			if err != nil {
				return err
			}
			in := &dialog.Message{ConversationID: c.ID, Dir: dialog.In, From: dialog.FromCustomer,
				Text: "明天上午可以吗 tomorrow morning?", ClientID: fmt.Sprintf("m-%d", i), At: at}
			out := &dialog.Message{ConversationID: c.ID, Dir: dialog.Out, From: dialog.FromBot,
				Text: "好的，已为您预约 3 月 5 日上午。", Choices: []dialog.Choice{{Value: "yes", Label: "确认"}, {Value: "no", Label: "修改"}}, At: at}
			if err := tx.Append(ctx, in); err != nil {
				return err
			}
			if err := tx.Append(ctx, out); err != nil {
				return err
			}
			c.Turn++
			c.Updated = at
			return tx.Save(ctx, c)
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	reportWrites(b)
	b.ReportMetric(float64(len(raw)), "bytes/conversation")
}

// BenchmarkBareUpsert is the baseline: one prepared INSERT ... ON CONFLICT
// DO UPDATE of the same conversation JSON into a plain table, one statement
// per transaction, through WriteTx on the same writer connection.
func BenchmarkBareUpsert(b *testing.B) {
	db := benchDB(b)
	ctx := context.Background()
	raw, err := json.Marshal(benchConversation("c-1"))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.writer.ExecContext(ctx, `CREATE TABLE bare_upsert (id TEXT PRIMARY KEY, data TEXT NOT NULL) STRICT`); err != nil {
		b.Fatal(err)
	}
	stmt, err := db.writer.PrepareContext(ctx,
		`INSERT INTO bare_upsert (id, data) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data`)
	if err != nil {
		b.Fatal(err)
	}
	defer stmt.Close()
	data := string(raw)
	for b.Loop() {
		err := db.WriteTx(ctx, func(_ context.Context, tx *sql.Tx) error {
			_, err := tx.StmtContext(ctx, stmt).ExecContext(ctx, "c-1", data)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	reportWrites(b)
	b.ReportMetric(float64(len(raw)), "bytes/conversation")
}
