package sqlite

import (
	"context"
	"encoding/json"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/supportd/supportd/policy"
	"github.com/supportd/supportd/ticketing"
)

// The benchmarks report writes/s (one write = one committed ticket
// operation). BenchmarkBareInsert is the baseline measured in the same run:
// one plain INSERT of a row as large as a ticket's JSON into a bare table of
// the same database, with the same pragmas, on the same writer connection.
// Compare: writes/s of a benchmark ÷ writes/s of BenchmarkBareInsert.

var benchBy = ticketing.By{Actor: "bot", Channel: "webchat"}

func benchTicket() *ticketing.Ticket {
	due := time.Date(2026, 3, 3, 18, 0, 0, 0, time.UTC)
	return &ticketing.Ticket{
		Kind: ticketing.KindRepair, Subject: "洗衣机不转 / drum does not turn",
		Customer: ticketing.Customer{Name: "王芳", Email: "wang@example.com", Phone: "+86 138 0000 0000", Lang: "zh"},
		Channel:  "webchat", ChannelUser: "v-42", ConversationID: "c-0001", Model: "WM-100",
		PurchaseDate: policy.NewDate(2025, 3, 1), ProofRef: "JD-2025030112345",
		Warranty: &ticketing.WarrantyDecision{Covered: true, Ends: policy.NewDate(2026, 2, 28), Reason: "in_warranty"},
		Options:  []string{"repair", "exchange"}, Region: "shanghai",
		Details: map[string]string{"address": "上海市浦东新区 1 号", "fault": "E21 drum does not turn", "preferred_date": "2026-03-05"},
		Due:     ticketing.Deadlines{FirstResponse: &due, Onsite: &due},
	}
}

func benchDB(b *testing.B) *DB {
	b.Helper()
	db, err := Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

func reportWrites(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "writes/s")
}

// BenchmarkCreate: one goroutine creating tickets (ticket row + created event
// + sequence, one transaction each).
func BenchmarkCreate(b *testing.B) {
	db := benchDB(b)
	ctx := context.Background()
	for b.Loop() {
		if err := db.Create(ctx, benchTicket(), benchBy); err != nil {
			b.Fatal(err)
		}
	}
	reportWrites(b)
}

// BenchmarkUpdate: one goroutine updating 100 tickets in turn (read, diff,
// rewrite, updated event, one transaction each).
func BenchmarkUpdate(b *testing.B) {
	db := benchDB(b)
	ctx := context.Background()
	var ids []string
	for range 100 {
		tk := benchTicket()
		if err := db.Create(ctx, tk, benchBy); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, tk.ID)
	}
	i := 0
	for b.Loop() {
		_, err := db.Update(ctx, ids[i%len(ids)], benchBy, func(tk *ticketing.Ticket) error {
			n, _ := strconv.Atoi(tk.Details["counter"])
			tk.Details["counter"] = strconv.Itoa(n + 1)
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		i++
	}
	reportWrites(b)
}

// BenchmarkCreateParallel: about 50 goroutines (SetParallelism scales
// GOMAXPROCS) creating tickets at once, as in RELIABILITY item 29.
func BenchmarkCreateParallel(b *testing.B) {
	db := benchDB(b)
	ctx := context.Background()
	b.SetParallelism(max(1, 50/max(1, gomaxprocs())))
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := db.Create(ctx, benchTicket(), benchBy); err != nil {
				b.Error(err)
				return
			}
		}
	})
	reportWrites(b)
}

// BenchmarkBareInsert is the baseline: a plain single-row INSERT (its own
// implicit transaction) of a ticket-sized JSON text into a bare table.
func BenchmarkBareInsert(b *testing.B) {
	db := benchDB(b)
	ctx := context.Background()
	tk := benchTicket()
	if err := db.Create(ctx, tk, benchBy); err != nil {
		b.Fatal(err)
	}
	raw, err := json.Marshal(tk)
	if err != nil {
		b.Fatal(err)
	}
	payload := strings.Repeat("x", len(raw))
	if _, err := db.writer.ExecContext(ctx, `CREATE TABLE bare (id INTEGER PRIMARY KEY, data TEXT NOT NULL) STRICT`); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(len(raw)), "bytes/row")
	for b.Loop() {
		if _, err := db.writer.ExecContext(ctx, `INSERT INTO bare (data) VALUES (?)`, payload); err != nil {
			b.Fatal(err)
		}
	}
	reportWrites(b)
}

func gomaxprocs() int { return runtime.GOMAXPROCS(0) }
