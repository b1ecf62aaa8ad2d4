package dialog_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/store/memory"
)

// BenchmarkTurn measures one customer turn with SQLite persistence: load the
// conversation, understand the message, advance the flow, and commit the
// state, the messages and (at the end of the journey) the ticket. Each
// conversation walks the in-warranty repair journey, so the figure averages
// its six turns.
func BenchmarkTurn(b *testing.B) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	eng, _ := newEngine(b, &now)
	runRepairTurns(b, eng)
}

// BenchmarkTurnParallel is BenchmarkTurn with 100 conversations in flight,
// each of its own visitor with a random id, as the web chat gives them.
func BenchmarkTurnParallel(b *testing.B) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	eng, _ := newEngine(b, &now)
	ctx := context.Background()
	b.ReportAllocs()
	b.SetParallelism(100)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		user, step := visitor(), 0
		for pb.Next() {
			if step == len(repairJourney) {
				user, step = visitor(), 0
			}
			if _, err := eng.Handle(ctx, dialog.Inbound{Channel: "webchat", User: user, ID: fmt.Sprint(step), Text: repairJourney[step]}); err != nil {
				b.Error(err)
				return
			}
			step++
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "turns/s")
}

// visitor returns a random visitor id.
func visitor() string { return rand.Text() }

// BenchmarkBareUpsert is the baseline: one transaction that upserts a
// conversation-sized JSON record, nothing else.
func BenchmarkBareUpsert(b *testing.B) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	_, db := newEngine(b, &now)
	ctx := context.Background()
	c := dialog.Conversation{ID: "c", Channel: "webchat", User: "u", Lang: "en", State: dialog.RepairCollect, Slots: map[string]dialog.Slot{}}
	for _, s := range []string{"model", "purchased", "proof", "fault", "misuse", "opened", "consumable", "address", "phone", "troubleshot"} {
		c.Slots[s] = dialog.Slot{Value: "value of " + s, Raw: "the customer's words for " + s, Confirmed: true}
	}
	data, _ := json.Marshal(c)
	if err := db.WriteTx(ctx, func(_ context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS bench_upsert (id TEXT PRIMARY KEY, rev INTEGER, data TEXT) STRICT`)
		return err
	}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		id := fmt.Sprint("c", i/6)
		if err := db.WriteTx(ctx, func(_ context.Context, tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO bench_upsert (id, rev, data) VALUES (?, 1, ?)
				ON CONFLICT (id) DO UPDATE SET rev = rev + 1, data = excluded.data`, id, string(data))
			return err
		}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "writes/s")
}

// BenchmarkTurnMemory is BenchmarkTurn on the in-memory store: the engine
// without the database.
func BenchmarkTurnMemory(b *testing.B) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	cfg, err := config.Load("")
	if err != nil {
		b.Fatal(err)
	}
	eng, err := dialog.New(dialog.Options{Policy: &cfg.Policy, Store: memory.New(), Knowledge: testKnowledge(), Now: func() time.Time { return now }})
	if err != nil {
		b.Fatal(err)
	}
	runRepairTurns(b, eng)
}

// runRepairTurns runs b.N turns of in-warranty repair journeys, one
// conversation after the other, and reports turns/s.
func runRepairTurns(b *testing.B, eng *dialog.Engine) {
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		user, step := i/len(repairJourney), i%len(repairJourney)
		if _, err := eng.Handle(ctx, dialog.Inbound{Channel: "webchat", User: fmt.Sprint("u", user), ID: fmt.Sprint(step), Text: repairJourney[step]}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "turns/s")
}
