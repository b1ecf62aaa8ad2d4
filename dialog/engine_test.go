package dialog_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/policy"
	"github.com/supportd/supportd/store/memory"
	"github.com/supportd/supportd/store/sqlite"
	"github.com/supportd/supportd/ticketing"
)

// newEngine opens a real SQLite file and an engine on the demo policy with
// the clock at *now; options adjust the engine's options.
func newEngine(t testing.TB, now *time.Time, options ...func(*dialog.Options)) (*dialog.Engine, *sqlite.DB) {
	t.Helper()
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "supportd.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	o := dialog.Options{Policy: &cfg.Policy, Store: db, Knowledge: testKnowledge(), Now: func() time.Time { return *now }}
	for _, f := range options {
		f(&o)
	}
	eng, err := dialog.New(o)
	if err != nil {
		t.Fatal(err)
	}
	return eng, db
}

var repairJourney = []string{
	"my TV-55X has no sound, I bought it on 2026-04-10", "order 88812345678", "no", "no", "no", "yes",
}

func TestDuplicateInboundIsProcessedOnce(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	eng, db := newEngine(t, &now)
	ctx := context.Background()
	in := dialog.Inbound{Channel: "webchat", User: "v1", ID: "m1", Text: "我要投诉，送货员把我的门撞坏了"}
	first, err := eng.Handle(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	again, err := eng.Handle(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if !again.Duplicate || len(again.Replies) != 0 || again.ConversationID != first.ConversationID {
		t.Errorf("second delivery = %+v, want a duplicate with no replies", again)
	}
	hist, err := db.History(ctx, first.ConversationID, 0)
	if err != nil {
		t.Fatal(err)
	}
	in1 := 0
	for _, m := range hist {
		if m.Dir == dialog.In {
			in1++
		}
	}
	if in1 != 1 || len(hist) != 1+len(first.Replies) {
		t.Errorf("history has %d inbound and %d messages, want 1 and %d", in1, len(hist), 1+len(first.Replies))
	}
}

func TestForeignConversationStartsFresh(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	eng, db := newEngine(t, &now)
	ctx := context.Background()
	a, err := eng.Handle(ctx, dialog.Inbound{Channel: "webchat", User: "alice", ID: "1", Text: "我要报修 TV-55X"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := eng.Handle(ctx, dialog.Inbound{Channel: "webchat", User: "mallory", ConversationID: a.ConversationID, ID: "1", Text: "hello"})
	if err != nil {
		t.Fatal(err)
	}
	if b.ConversationID == a.ConversationID {
		t.Fatal("another user's conversation id was accepted")
	}
	c, err := db.Conversation(ctx, a.ConversationID)
	if err != nil {
		t.Fatal(err)
	}
	if c.State != dialog.RepairCollect || c.User != "alice" {
		t.Errorf("alice's conversation was touched: %s %s", c.User, c.State)
	}
}

func TestParallelConversations(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	eng, db := newEngine(t, &now)
	ctx := context.Background()
	const n = 100
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j, text := range repairJourney {
				if _, err := eng.Handle(ctx, dialog.Inbound{Channel: "webchat", User: fmt.Sprintf("u%d", i), ID: fmt.Sprint(j), Text: text}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	ts, err := db.List(ctx, ticketing.Filter{Kind: ticketing.KindRepair})
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != n {
		t.Fatalf("%d repair tickets, want %d", len(ts), n)
	}
	users := map[string]bool{}
	for _, tk := range ts {
		if tk.Warranty == nil || !tk.Warranty.Covered || tk.Model != "TV-55X" {
			t.Errorf("ticket %s: %+v", tk.ID, tk.Warranty)
		}
		users[tk.ChannelUser] = true
	}
	if len(users) != n {
		t.Errorf("tickets belong to %d users, want %d", len(users), n)
	}
}

func TestAgentActionErrors(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	eng, _ := newEngine(t, &now)
	ctx := context.Background()
	if _, err := eng.Handle(ctx, dialog.Inbound{Channel: "webchat", User: "v", ID: "1", Text: "转人工"}); err != nil {
		t.Fatal(err)
	}
	if _, err := eng.Act(ctx, dialog.Action{Kind: dialog.ActClaim, TicketID: "T-1001", Agent: "ann"}); err != nil {
		t.Fatal(err)
	}
	var ce *dialog.ClaimedError
	if _, err := eng.Act(ctx, dialog.Action{Kind: dialog.ActClaim, TicketID: "T-1001", Agent: "ben"}); !errors.As(err, &ce) || ce.By != "ann" {
		t.Errorf("second claim: err = %v, want ClaimedError by ann", err)
	}
	if _, err := eng.Act(ctx, dialog.Action{Kind: dialog.ActClaim, TicketID: "T-1001", Agent: "ann"}); err != nil {
		t.Errorf("claiming one's own ticket again: %v", err)
	}
	cases := []struct {
		name string
		a    dialog.Action
		want error
	}{
		{"reply without text", dialog.Action{Kind: dialog.ActReply, TicketID: "T-1001", Agent: "ann", Text: "  "}, dialog.ErrBadAction},
		{"quote without amount", dialog.Action{Kind: dialog.ActQuote, TicketID: "T-1001", Agent: "ann"}, dialog.ErrBadAction},
		{"unknown action", dialog.Action{Kind: "delete", TicketID: "T-1001", Agent: "ann"}, dialog.ErrBadAction},
		{"no agent", dialog.Action{Kind: dialog.ActClaim, TicketID: "T-1001"}, dialog.ErrBadAction},
		{"unknown ticket", dialog.Action{Kind: dialog.ActClaim, TicketID: "T-9999", Agent: "ann"}, ticketing.ErrNotFound},
		{"hand back a conversation the bot has", dialog.Action{Kind: dialog.ActHandback, TicketID: "T-1001", Agent: "ann"}, nil},
		{"hand back twice", dialog.Action{Kind: dialog.ActHandback, TicketID: "T-1001", Agent: "ann"}, dialog.ErrBadAction},
	}
	for _, tc := range cases {
		_, err := eng.Act(ctx, tc.a)
		if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
}

// A long message (a 50 KB mail) is read in part, cut between characters,
// and kept whole in the history.
func TestLongMessageKeptWhole(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	eng, db := newEngine(t, &now)
	ctx := context.Background()
	long := "我的电视TV-55X没有声音了。" + strings.Repeat("它一开机就没有声音，换了信号源也不行。", 1500)
	res, err := eng.Handle(ctx, dialog.Inbound{Channel: "email", User: "a@example.com", ID: "m1", Text: long})
	if err != nil {
		t.Fatal(err)
	}
	hist, err := db.History(ctx, res.ConversationID, 10)
	if err != nil || len(hist) == 0 {
		t.Fatal(hist, err)
	}
	if hist[0].Text != long {
		t.Errorf("history keeps %d of the %d bytes of the message", len(hist[0].Text), len(long))
	}
	c, _ := db.Conversation(ctx, res.ConversationID)
	for name, s := range c.Slots {
		if !utf8.ValidString(s.Value) || !utf8.ValidString(s.Raw) {
			t.Errorf("slot %s holds a cut character: …%q", name, s.Value[max(0, len(s.Value)-12):])
		}
	}
}

func TestInboundNeedsChannelAndUser(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	eng, _ := newEngine(t, &now)
	if _, err := eng.Handle(context.Background(), dialog.Inbound{Text: "hi"}); err == nil {
		t.Error("a message with no channel or user was accepted")
	}
}

func TestFlowDefinition(t *testing.T) {
	f, err := dialog.NewFlow()
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Version()) != 12 {
		t.Errorf("version %q", f.Version())
	}
	g, err := f.Mermaid()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range f.States() {
		if !strings.Contains(g, s) {
			t.Errorf("the graph lacks state %s", s)
		}
	}
	for _, want := range []string{"stateDiagram-v2", "repair.consent --> handoff: consent", "handoff --> idle: handback"} {
		if !strings.Contains(g, want) {
			t.Errorf("graph lacks %q:\n%s", want, g)
		}
	}
}

func TestTexts(t *testing.T) {
	def := dialog.DefaultTexts()
	if got := def.Format("zh", "consult.filed", "ticket", "T-1", "deadline", "明天"); got != "已转给人工客服，工单号 T-1，将在明天前答复您。" {
		t.Errorf("format = %q", got)
	}
	dir := t.TempDir()
	write := func(s string) string {
		p := filepath.Join(dir, "texts.yaml")
		if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	own, err := dialog.LoadTexts(write("greeting:\n  zh: 欢迎光临\n  en: Welcome\n"))
	if err != nil {
		t.Fatal(err)
	}
	if own.Format("en", "greeting") != "Welcome" || own.Format("en", "menu") != def.Format("en", "menu") {
		t.Error("an override file replaces its keys and keeps the others")
	}
	bad := []struct{ src, want string }{
		{"greting:\n  zh: 你好\n  en: hi\n", "greting: unknown text (texts.yaml:1)"},
		{"greeting:\n  zh: 你好\n", "greeting: needs both zh and en (texts.yaml:1)"},
		{"handoff:\n  zh: 工单 {ticket} {agent}\n  en: ticket {ticket}\n", "handoff: unknown placeholder {agent}: this text takes {deadline}, {ticket} (texts.yaml:1)"},
		{"after_hours:\n  zh: 将于 {open} 起回复\n  en: from {opens}\n", "after_hours: unknown placeholder {open} (did you mean {opens}?) (texts.yaml:1)"},
		{"greeting:\n  zh: 你好 {name}\n  en: hi\n", "greeting: unknown placeholder {name}: this text takes none (texts.yaml:1)"},
		{"greeting:\n  zh: 你好\n  en: hi\n  fr: salut\n", `greeting: unknown key "fr"`},
		{"greeting: [\n", "not valid YAML"},
	}
	for _, tc := range bad {
		if _, err := dialog.LoadTexts(write(tc.src)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: err = %v, want %q", tc.src, err, tc.want)
		}
	}
}

// A live turn's replies are stored delivered (the channel writes them to the
// open socket as Handle returns them); other turns' replies wait in the
// outbox until the channel marks them. Both are in the history, as is the
// result's list of the turn's messages.
func TestLiveTurnRepliesAreStoredDelivered(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	eng, db := newEngine(t, &now)
	ctx := context.Background()
	for _, live := range []bool{true, false} {
		user := fmt.Sprint("live-", live)
		res, err := eng.Handle(ctx, dialog.Inbound{Channel: "webchat", User: user, ID: "m1", Text: "hello", Live: live})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Replies) == 0 || len(res.Messages) != 1+len(res.Replies) || res.Messages[0].Dir != dialog.In || res.Messages[0].Text != "hello" {
			t.Fatalf("live=%v: result messages %+v, want the customer's then %d replies", live, res.Messages, len(res.Replies))
		}
		for i, m := range res.Messages {
			if i > 0 && m.Seq != res.Messages[i-1].Seq+1 {
				t.Errorf("live=%v: seqs not consecutive: %+v", live, res.Messages)
			}
		}
		pending, err := db.Pending(ctx, "webchat", 0)
		if err != nil {
			t.Fatal(err)
		}
		var mine int
		for _, m := range pending {
			if m.ConversationID == res.ConversationID {
				mine++
			}
		}
		if want := map[bool]int{true: 0, false: len(res.Replies)}[live]; mine != want {
			t.Errorf("live=%v: %d replies in the outbox, want %d", live, mine, want)
		}
		hist, err := db.History(ctx, res.ConversationID, 0)
		if err != nil {
			t.Fatal(err)
		}
		if last := hist[len(hist)-1]; last.Text != res.Replies[len(res.Replies)-1].Text || (last.DeliveredAt != nil) != live {
			t.Errorf("live=%v: last history message %+v", live, last)
		}
	}
}

// A customer who asks for a person during the lunch break is told when
// people are back: the end of the break, not the next morning.
func TestHandoffDuringLunchBreak(t *testing.T) {
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Policy.Calendar.Hours.Breaks = []policy.Break{{Start: "12:00", End: "13:30"}}
	cfg.Policy.ApplyDefaults()
	now := time.Date(2026, 11, 25, 12, 10, 0, 0, cfg.Policy.Location()) // Wednesday
	eng, err := dialog.New(dialog.Options{Policy: &cfg.Policy, Store: memory.New(), Knowledge: testKnowledge(), Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	res, err := eng.Handle(context.Background(), dialog.Inbound{Channel: "webchat", User: "v1", ID: "m1", Text: "can I talk to a real person please"})
	if err != nil {
		t.Fatal(err)
	}
	var said []string
	for _, m := range res.Replies {
		said = append(said, m.Text)
	}
	if got := strings.Join(said, "\n"); res.State != dialog.HandedOff || !strings.Contains(got, "from Wed 25 Nov, 13:30") {
		t.Errorf("state %s, replies:\n%s\nwant the handoff and people back from 13:30", res.State, got)
	}
}

// Only photos and PDFs prove a purchase: a program a mail carried does not
// answer the proof question; an invoice PDF does.
func TestProofIsADocument(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	eng, db := newEngine(t, &now)
	ctx := context.Background()
	say := func(id, text string, att ...dialog.Attachment) *dialog.Result {
		t.Helper()
		res, err := eng.Handle(ctx, dialog.Inbound{Channel: "email", User: "a@example.com", ID: id, Text: text, Attachments: att})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	say("1", "my TV-55X has no sound, I bought it on 2026-04-10")
	res := say("2", "no")
	c, _ := db.Conversation(ctx, res.ConversationID)
	if c.Asking != "proof" {
		t.Fatalf("asking %q, want the proof", c.Asking)
	}
	say("3", "", dialog.Attachment{Ref: "attachments/ab/exe", Name: "setup.exe", Type: "application/octet-stream"})
	if c, _ = db.Conversation(ctx, res.ConversationID); c.Slots["proof"].Value != "" {
		t.Errorf("a program was taken as the proof: %+v", c.Slots["proof"])
	}
	say("4", "", dialog.Attachment{Ref: "attachments/cd/pdf", Name: "invoice.pdf", Type: "application/pdf"})
	if c, _ = db.Conversation(ctx, res.ConversationID); c.Slots["proof"].Value != "file:attachments/cd/pdf" {
		t.Errorf("the invoice PDF was not taken as the proof: %+v", c.Slots["proof"])
	}
}

// A ticket that is done, or whose quote the customer accepted, takes no
// quote: the customer is not sent a new price.
func TestNoQuoteOnAFinishedTicket(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	eng, db := newEngine(t, &now)
	ctx := context.Background()
	for i, s := range []string{"电视 TV-55X 黑屏了，2024年5月2日买的", "试过了，还是不行", "订单号 TB2024050299", "没有", "没有", "不是", "是的", "同意"} {
		if _, err := eng.Handle(ctx, dialog.Inbound{Channel: "webchat", User: "v", ID: fmt.Sprint(i), Text: s}); err != nil {
			t.Fatal(err)
		}
	}
	quote := dialog.Action{Kind: dialog.ActQuote, TicketID: "T-1001", Agent: "ann", Amount: 38000}
	if _, err := eng.Act(ctx, quote); err != nil {
		t.Fatal(err)
	}
	if _, err := eng.Handle(ctx, dialog.Inbound{Channel: "webchat", User: "v", ID: "accept", Text: "接受"}); err != nil {
		t.Fatal(err)
	}
	quote.Amount = 12000
	if _, err := eng.Act(ctx, quote); !errors.Is(err, dialog.ErrBadAction) || !strings.Contains(err.Error(), "accepted") {
		t.Errorf("a quote after the customer accepted one: %v", err)
	}
	if _, err := eng.Act(ctx, dialog.Action{Kind: dialog.ActResolve, TicketID: "T-1001", Agent: "ann"}); err != nil {
		t.Fatal(err)
	}
	if _, err := eng.Act(ctx, quote); !errors.Is(err, dialog.ErrBadAction) || !strings.Contains(err.Error(), "resolved") {
		t.Errorf("a quote on a resolved ticket: %v", err)
	}
	tk, _ := db.Get(ctx, "T-1001")
	if tk.Status != ticketing.StatusResolved || tk.Quote.Amount != 38000 {
		t.Errorf("after the refused quotes: %s, quote %s", tk.Status, tk.Quote.Amount)
	}
}

// After hand back the bot has the conversation; the owner's next reply takes
// it back, and the bot is silent again until the next hand back.
func TestReplyTakesTheConversationBack(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	eng, db := newEngine(t, &now)
	ctx := context.Background()
	say := func(id, text string) *dialog.Result {
		t.Helper()
		res, err := eng.Handle(ctx, dialog.Inbound{Channel: "webchat", User: "v", ID: id, Text: text})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	say("1", "I want to make a complaint")
	say("2", "The technician broke my shelf")
	say("3", "my email is jo@example.com")
	for _, a := range []dialog.Action{
		{Kind: dialog.ActReply, TicketID: "T-1001", Agent: "ann", Text: "Sorry, we pay for it."},
		{Kind: dialog.ActHandback, TicketID: "T-1001", Agent: "ann"},
	} {
		if _, err := eng.Act(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	if res := say("4", "what is the warranty of a TV?"); len(res.Replies) == 0 {
		t.Fatal("the bot is silent after hand back")
	}
	if _, err := eng.Act(ctx, dialog.Action{Kind: dialog.ActReply, TicketID: "T-1001", Agent: "ann", Text: "The technician calls you today."}); err != nil {
		t.Fatal(err)
	}
	if res := say("5", "thanks"); len(res.Replies) != 0 {
		t.Errorf("the bot answered while the agent has the conversation: %+v", res.Replies)
	}
	tk, _ := db.Get(ctx, "T-1001")
	c, _ := db.Conversation(ctx, tk.ConversationID)
	if c.Handoff == nil || c.Handoff.TicketID != "T-1001" || c.Handoff.Agent != "ann" || tk.Status != ticketing.StatusInProgress {
		t.Errorf("after the reply: handoff %+v, ticket %s", c.Handoff, tk.Status)
	}
}

// Resolving a resolved ticket again (a second press) says nothing to the
// customer and changes nothing.
func TestResolveTwiceIsANoOp(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	eng, db := newEngine(t, &now)
	ctx := context.Background()
	if _, err := eng.Handle(ctx, dialog.Inbound{Channel: "webchat", User: "v", ID: "1", Text: "转人工"}); err != nil {
		t.Fatal(err)
	}
	resolve := dialog.Action{Kind: dialog.ActResolve, TicketID: "T-1001", Agent: "ann"}
	if res, err := eng.Act(ctx, resolve); err != nil || len(res.Replies) == 0 {
		t.Fatalf("resolve: %v, %d replies", err, len(res.Replies))
	}
	evs, _ := db.Events(ctx, "T-1001")
	res, err := eng.Act(ctx, resolve)
	if err != nil || len(res.Replies) != 0 {
		t.Errorf("resolving again: %v, replies %+v", err, res.Replies)
	}
	if again, _ := db.Events(ctx, "T-1001"); len(again) != len(evs) {
		t.Errorf("resolving again recorded %d events", len(again)-len(evs))
	}
}

// TestComplaintOwner: with a complaint owner configured, a complaint is
// assigned to them when filed and the customer is told who owns it (§3.5:
// a named owner records, follows up and handles it).
func TestComplaintOwner(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	eng, db := newEngine(t, &now, func(o *dialog.Options) {
		o.ComplaintOwner = dialog.Owner{Agent: "wang.fang@example.com", Name: "王芳"}
	})
	ctx := context.Background()
	res, err := eng.Handle(ctx, dialog.Inbound{Channel: "webchat", User: "v1", ID: "m1", Text: "我要投诉，送货员把我的门撞坏了，电话13800138000"})
	if err != nil {
		t.Fatal(err)
	}
	var said []string
	for _, m := range res.Replies {
		said = append(said, m.Text)
	}
	if !strings.Contains(strings.Join(said, "\n"), "由王芳负责跟进") {
		t.Errorf("replies = %q, want the owner named", said)
	}
	tk, err := db.Get(ctx, "T-1001")
	if err != nil {
		t.Fatal(err)
	}
	if tk.Assignee != "wang.fang@example.com" || tk.Status != ticketing.StatusAssigned {
		t.Errorf("ticket assignee %q status %s, want wang.fang@example.com, assigned", tk.Assignee, tk.Status)
	}
}

// TestGreetStoresNothing: a visitor greeted by Greet who writes nothing
// leaves no conversation; the first message stores the conversation under
// the id Greet gave, with the greeting that was shown (its time, its
// numbers) before the message, and the turn's result leaves the greeting
// out (the customer has it).
func TestGreetStoresNothing(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	eng, db := newEngine(t, &now)
	ctx := context.Background()
	hello := dialog.Inbound{Channel: "webchat", User: "v1", Lang: "en", Live: true}
	g, err := eng.Greet(ctx, hello)
	if err != nil {
		t.Fatal(err)
	}
	if !g.Fresh || g.ConversationID == "" || len(g.Replies) < 2 || g.Lang != "en" {
		t.Fatalf("greet = %+v, want a fresh conversation with its greeting in English", g)
	}
	for i, m := range g.Replies {
		if m.Seq != int64(i+1) || m.ConversationID != g.ConversationID || !m.At.Equal(now) || m.Dir != dialog.Out {
			t.Errorf("greeting %d = %+v", i, m)
		}
	}
	if _, err := db.Conversation(ctx, g.ConversationID); !errors.Is(err, dialog.ErrNotFound) {
		t.Fatalf("greeting stored a conversation: %v", err)
	}
	if again, err := eng.Greet(ctx, hello); err != nil || !again.Fresh || again.ConversationID == g.ConversationID {
		t.Errorf("greeting again = %+v, %v: want another fresh conversation (nothing was stored)", again, err)
	}

	greeted := now
	now = now.Add(2 * time.Minute)
	in := hello
	in.ConversationID, in.Greeted, in.ID, in.Text = g.ConversationID, greeted, "m1", "my TV-55X has no sound"
	res, err := eng.Handle(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if res.ConversationID != g.ConversationID {
		t.Fatalf("stored as %s, want Greet's %s", res.ConversationID, g.ConversationID)
	}
	n := int64(len(g.Replies))
	if res.Messages[0].Dir != dialog.In || res.Messages[0].Seq != n+1 {
		t.Errorf("the turn's messages start with %+v, want the customer's, numbered %d", res.Messages[0], n+1)
	}
	hist, err := db.History(ctx, g.ConversationID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != int(n)+len(res.Messages) {
		t.Fatalf("history has %d messages, want the greeting's %d and the turn's %d", len(hist), n, len(res.Messages))
	}
	for i, m := range g.Replies {
		h := hist[i]
		if h.Seq != m.Seq || h.Text != m.Text || !h.At.Equal(greeted) || h.DeliveredAt == nil || len(h.Choices) != len(m.Choices) {
			t.Errorf("stored greeting %d = %+v, want as shown %+v, delivered", i, h, m)
		}
	}
	c, err := db.Conversation(ctx, g.ConversationID)
	if err != nil {
		t.Fatal(err)
	}
	if c.State != dialog.RepairCollect || c.Lang != "en" || !c.Created.Equal(greeted) {
		t.Errorf("conversation %s lang %s created %v, want a repair in English created when greeted", c.State, c.Lang, c.Created)
	}

	// A second tab greeted into another id before the first stored its
	// conversation continues the stored one.
	in2 := hello
	in2.ConversationID, in2.Greeted, in2.ID, in2.Text = "c_0000000000000000000000000000beef", greeted, "t2", "2026-04-10"
	res2, err := eng.Handle(ctx, in2)
	if err != nil {
		t.Fatal(err)
	}
	if res2.ConversationID != g.ConversationID {
		t.Errorf("the second tab's message went to %s, want the visitor's %s", res2.ConversationID, g.ConversationID)
	}
	if got, err := eng.Greet(ctx, hello); err != nil || got.Fresh || got.ConversationID != g.ConversationID || len(got.Replies) != 0 {
		t.Errorf("greeting a visitor with a conversation = %+v, %v: want that conversation", got, err)
	}
}

// TestGreetNewUserAsksNoStore: a user the channel has just made up is
// greeted without a store call, so a new visitor opening the chat costs the
// database nothing (and is greeted while it is unreachable); a returning one
// is looked up.
func TestGreetNewUserAsksNoStore(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	eng, db := newEngine(t, &now)
	ctx := context.Background()
	db.Close()
	g, err := eng.Greet(ctx, dialog.Inbound{Channel: "webchat", User: "v-new", Lang: "zh", NewUser: true})
	if err != nil || !g.Fresh || len(g.Replies) == 0 || g.Replies[0].Seq != 1 || g.Lang != "zh" {
		t.Fatalf("greeting a new user = %+v, %v", g, err)
	}
	if _, err := eng.Greet(ctx, dialog.Inbound{Channel: "webchat", User: "v-back", Lang: "zh"}); err == nil {
		t.Error("a returning user was greeted without looking up their conversation")
	}
}

// TestRecordIsInternal: an entry the gateway records on a conversation
// (a bounce of our mail) is in its history as the system's, once however
// often it is recorded, queues nothing for the customer and leaves the
// conversation's state as it was.
func TestRecordIsInternal(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	eng, db := newEngine(t, &now)
	ctx := context.Background()
	res, err := eng.Handle(ctx, dialog.Inbound{Channel: "email", User: "jo@example.com", ID: "m1", Text: "How do I install the AC-35?"})
	if err != nil {
		t.Fatal(err)
	}
	before, err := db.Conversation(ctx, res.ConversationID)
	if err != nil {
		t.Fatal(err)
	}
	pending, _ := db.Pending(ctx, "email", 0)
	for range 2 {
		if err := eng.Record(ctx, res.ConversationID, "bounce:b1", "Our mail bounced: 5.1.1", time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	hist, _ := db.History(ctx, res.ConversationID, 0)
	n := 0
	for _, m := range hist {
		if m.Text == "Our mail bounced: 5.1.1" {
			n++
			if m.From != dialog.FromSystem || m.Dir != dialog.In {
				t.Errorf("the entry = %+v", m)
			}
		}
	}
	if n != 1 {
		t.Errorf("%d entries, want 1", n)
	}
	after, _ := db.Conversation(ctx, res.ConversationID)
	if after.Rev != before.Rev || after.State != before.State || after.Turn != before.Turn {
		t.Errorf("the conversation changed: rev %d→%d, state %s→%s", before.Rev, after.Rev, before.State, after.State)
	}
	if again, _ := db.Pending(ctx, "email", 0); len(again) != len(pending) {
		t.Errorf("%d pending, want %d", len(again), len(pending))
	}
	if err := eng.Record(ctx, "nobody", "bounce:b2", "x", time.Time{}); !errors.Is(err, dialog.ErrNotFound) {
		t.Errorf("Record on an unknown conversation: %v", err)
	}
}

// A turn's result carries the tickets it created or updated as stored, for
// the channel to show without reading them back, and not a ticket it changed
// otherwise afterwards (its version moved on in the store). Every transcript
// checks the same of each turn (harness.sameAsStored).
func TestResultTickets(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	eng, db := newEngine(t, &now)
	ctx := context.Background()
	res, err := eng.Handle(ctx, dialog.Inbound{Channel: "webchat", User: "u", ID: "m1", Text: "I want to talk to a person"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Tickets) != 1 {
		t.Fatalf("result tickets %+v, want the handoff's", res.Tickets)
	}
	stored, err := db.Get(ctx, res.Tickets[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Tickets[0]; !reflect.DeepEqual(got, stored) {
		t.Errorf("result ticket %+v\nstored %+v", got, stored)
	}
	before := stored.Version
	now = now.Add(time.Minute)
	res, err = eng.Handle(ctx, dialog.Inbound{Channel: "webchat", User: "u", ID: "m2", Text: "it is about my TV-55X"})
	if err != nil {
		t.Fatal(err)
	}
	after, err := db.Get(ctx, stored.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range res.Tickets {
		if tk.ID == stored.ID && tk.Version != after.Version {
			t.Errorf("second turn's result holds %s at version %d, stored %d (was %d)", tk.ID, tk.Version, after.Version, before)
		}
	}
}
