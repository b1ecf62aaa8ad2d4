package webchat

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/supportd/supportd/channels/email/mailstore"
	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/dialog"
)

// TestResume: the token gives the same conversation and its history back on
// a new connection; any other token gives a fresh conversation, a new token
// and no history.
func TestResume(t *testing.T) {
	e := newWSEnv(t)
	first := e.dial(nil)
	w := first.hello("", "zh")
	first.say("我的洗衣机不转了")
	first.conn.Close()

	again := e.dial(nil)
	w2 := again.hello(w.Token, "")
	if w2.ConversationID != w.ConversationID || w2.Token != w.Token {
		t.Fatalf("resumed conversation %s token %s, want %s %s", w2.ConversationID, w2.Token, w.ConversationID, w.Token)
	}
	hist, err := e.db.History(context.Background(), w.ConversationID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(w2.History) != len(hist) || len(hist) < 4 {
		t.Fatalf("welcome history has %d messages, the store %d", len(w2.History), len(hist))
	}
	for i, m := range hist {
		if w2.History[i].Seq != m.Seq || w2.History[i].Text != m.Text || string(w2.History[i].From) != string(m.From) {
			t.Errorf("history[%d] = %+v, want %+v", i, w2.History[i], m)
		}
	}
	if w2.Lang != "zh" {
		t.Errorf("lang = %q, want the conversation's zh", w2.Lang)
	}

	otherKey := signer{key: []byte("another installation's secret, 32+ chars")}
	parts := strings.Split(w.Token, ".")
	foreign := []struct{ name, token string }{
		{"altered mac", parts[0] + "." + parts[1] + "." + strings.Repeat("A", len(parts[2]))},
		{"altered visitor", parts[0] + "." + flip(parts[1]) + "." + parts[2]},
		{"another installation", otherKey.mint(parts[1])},
		{"guessed", "v1.c_" + w.ConversationID + ".x"},
		{"the conversation id", w.ConversationID},
		{"version 2", "v2." + parts[1] + "." + parts[2]},
		{"garbage", "<script>alert(1)</script>"},
	}
	for _, tc := range foreign {
		t.Run(tc.name, func(t *testing.T) {
			c := e.dial(nil)
			got := c.hello(tc.token, "en")
			if got.ConversationID == w.ConversationID || got.Token == w.Token || got.Token == tc.token {
				t.Fatalf("a foreign token resumed: %+v", got)
			}
			for _, m := range got.History {
				if m.From != dialog.FromBot {
					t.Errorf("a fresh conversation's history has %+v", m)
				}
			}
			if _, ok := e.ch.sign.visitor(got.Token); !ok {
				t.Errorf("the new token %q does not verify", got.Token)
			}
		})
	}
}

func flip(s string) string {
	b := []byte(s)
	if b[0] == 'A' {
		b[0] = 'B'
	} else {
		b[0] = 'A'
	}
	return string(b)
}

// TestTwoTabs: both tabs of a visitor get every message, the customer's echo
// with its client id included, whichever tab wrote it.
func TestTwoTabs(t *testing.T) {
	e := newWSEnv(t)
	a := e.dial(nil)
	w := a.hello("", "en")
	b := e.dial(nil)
	if wb := b.hello(w.Token, "en"); wb.ConversationID != w.ConversationID || len(wb.History) != len(w.History) {
		t.Fatalf("second tab: %+v", wb)
	}
	fromA := a.say("I want to return my AP-300")
	if len(replies(fromA)) == 0 {
		t.Errorf("tab a got no reply to its own message: %+v", fromA)
	}
	fromB := b.until(10*time.Second, func(f frame) bool { return f.Type == "message" && f.From == "bot" })
	echo := ofType(fromB, "message")[0]
	if echo.From != "customer" || echo.ClientID != "m1" || echo.Text != "I want to return my AP-300" {
		t.Errorf("tab b got %+v, want tab a's message echoed", echo)
	}
	b.barrier() // the rest of the turn
	// b writes: a sees it too, in the same order as b.
	b.seq = 100
	fromB = b.say("2026-11-20")
	fromA = a.until(10*time.Second, func(f frame) bool {
		return f.Type == "message" && f.Seq == ofType(fromB, "message")[len(ofType(fromB, "message"))-1].Seq
	})
	ma, mb := ofType(fromA, "message"), ofType(fromB, "message")
	if len(ma) != len(mb) || len(ma) < 2 || ma[0].ClientID != "m101" || ma[0].From != "customer" {
		t.Fatalf("tab a got %+v\ntab b got %+v", ma, mb)
	}
	for i := range ma {
		if ma[i].Seq != mb[i].Seq || ma[i].Text != mb[i].Text {
			t.Errorf("message %d differs: a %+v b %+v", i, ma[i], mb[i])
		}
	}
	// The same client id again (a retry after a reconnect, from either tab)
	// is processed once: nothing new is said.
	b.seq = 100
	if again := ofType(b.say("2026-11-20"), "message"); len(again) != 0 {
		t.Errorf("a retried id produced %+v", again)
	}
}

// TestTwoTabsFirstMessage: two tabs of one visitor who has no conversation
// yet say hello and write at the same moment: one conversation holds both
// messages (RELIABILITY 25).
func TestTwoTabsFirstMessage(t *testing.T) {
	e := newWSEnv(t)
	for round := range 5 {
		token := e.ch.sign.mint(newVisitor())
		tabs := []*wsClient{e.dial(nil), e.dial(nil)}
		ids := make([]string, 2)
		var wg sync.WaitGroup
		for i, c := range tabs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c.send(map[string]any{"v": 1, "type": "hello", "token": token, "locale": "zh"})
				c.send(map[string]any{"v": 1, "type": "message", "id": "first" + string(rune('a'+i)), "text": "你好"})
			}()
		}
		wg.Wait()
		for i, c := range tabs {
			fs := c.until(10*time.Second, func(f frame) bool { return f.Type == "welcome" })
			ids[i] = fs[len(fs)-1].ConversationID
		}
		if ids[0] != ids[1] {
			t.Fatalf("round %d: two conversations %v", round, ids)
		}
		waitFor(t, 10*time.Second, "both messages stored", func() bool {
			hist, _ := e.db.History(context.Background(), ids[0], 0)
			n := 0
			for _, m := range hist {
				if m.Dir == dialog.In {
					n++
				}
			}
			return n == 2
		})
	}
}

// handOff brings a conversation to an agent and returns its ticket.
func handOff(t *testing.T, c *wsClient) string {
	t.Helper()
	fs := c.say("转人工")
	tk := ofType(fs, "ticket")
	if len(tk) != 1 {
		t.Fatalf("no ticket after asking for a human: %+v", fs)
	}
	return tk[0].ID
}

// TestAgentReplyLive: an agent's reply reaches the open sockets without any
// client frame, with a ticket frame for the change.
func TestAgentReplyLive(t *testing.T) {
	e := newWSEnv(t)
	a := e.dial(nil)
	w := a.hello("", "zh")
	b := e.dial(nil)
	b.hello(w.Token, "")
	id := handOff(t, a)
	b.until(10*time.Second, func(f frame) bool { return f.Type == "ticket" })
	if _, err := e.eng.Act(context.Background(), dialog.Action{Kind: dialog.ActReply, TicketID: id, Agent: "alice", Channel: "slack", Text: "您好，我是 Alice。"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []*wsClient{a, b} {
		fs := c.until(10*time.Second, func(f frame) bool { return f.Type == "message" && f.From == "agent" })
		m := fs[len(fs)-1]
		if m.Agent != "alice" || m.Text != "您好，我是 Alice。" {
			t.Errorf("agent message %+v", m)
		}
		tk := c.until(10*time.Second, func(f frame) bool { return f.Type == "ticket" })
		if got := tk[len(tk)-1]; got.ID != id || got.Status != "in_progress" {
			t.Errorf("ticket frame %+v, want %s in_progress", got, id)
		}
	}
	// While an agent has the conversation, the bot does not pretend to type.
	if ty := ofType(a.say("好的"), "typing"); len(ty) != 0 {
		t.Errorf("typing frames while handed off: %+v", ty)
	}
	assertDelivered(t, e)
}

// TestAgentReplyOffline: a reply to a visitor who is away waits in the
// outbox and comes with the next welcome, then it is delivered.
func TestAgentReplyOffline(t *testing.T) {
	e := newWSEnv(t)
	a := e.dial(nil)
	w := a.hello("", "en")
	id := handOff(t, a)
	a.conn.Close()
	waitFor(t, 10*time.Second, "the socket to close", func() bool { return e.openSockets() == 0 })
	if _, err := e.eng.Act(context.Background(), dialog.Action{Kind: dialog.ActReply, TicketID: id, Agent: "bob", Text: "We will call you."}); err != nil {
		t.Fatal(err)
	}
	pending, _ := e.db.Pending(context.Background(), ChannelName, 0)
	if len(pending) != 1 {
		t.Fatalf("outbox has %d messages, want the agent's reply", len(pending))
	}
	back := e.dial(nil)
	w2 := back.hello(w.Token, "en")
	last := w2.History[len(w2.History)-1]
	if last.From != dialog.FromAgent || last.Text != "We will call you." || last.Agent != "bob" {
		t.Errorf("last history message %+v, want bob's reply", last)
	}
	if tk := back.until(10*time.Second, func(f frame) bool { return f.Type == "ticket" }); tk[len(tk)-1].ID != id {
		t.Errorf("no ticket frame after the welcome")
	}
	assertDelivered(t, e)
}

// TestSweep: what another process commits (an agent reply from the CLI: an
// engine this channel is not registered with) reaches the open socket by the
// sweep.
func TestSweep(t *testing.T) {
	e := newWSEnv(t, func(w *config.Webchat) { w.SweepInterval = 50 * time.Millisecond })
	a := e.dial(nil)
	a.hello("", "en")
	id := handOff(t, a)
	cli, err := dialog.New(dialog.Options{Policy: &e.cfg.Policy, Store: e.db, Now: e.clock.now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cli.Act(context.Background(), dialog.Action{Kind: dialog.ActReply, TicketID: id, Agent: "carol", Channel: "cli", Text: "Hello from the CLI"}); err != nil {
		t.Fatal(err)
	}
	fs := a.until(10*time.Second, func(f frame) bool { return f.Type == "message" && f.From == "agent" })
	if fs[len(fs)-1].Text != "Hello from the CLI" {
		t.Errorf("got %+v", fs[len(fs)-1])
	}
	assertDelivered(t, e)
}

// TestAgentReplyDuringTurn: an agent's reply committed while a customer
// turn of the same conversation is being handled reaches the socket with
// that turn, not at the next sweep.
func TestAgentReplyDuringTurn(t *testing.T) {
	e := newWSEnv(t, func(w *config.Webchat) { w.SweepInterval = time.Hour })
	a := e.dial(nil)
	a.hello("", "en")
	id := handOff(t, a)
	var once sync.Once
	e.eng.OnCommit(func(cm dialog.Commit) {
		if !cm.Customer || cm.Channel != ChannelName {
			return
		}
		once.Do(func() { // inside the customer's turn, before Handle returns
			if _, err := e.eng.Act(context.Background(), dialog.Action{Kind: dialog.ActReply, TicketID: id, Agent: "dan", Text: "Dan here, looking now."}); err != nil {
				t.Error(err)
			}
		})
	})
	a.send(map[string]any{"v": 1, "type": "message", "id": "during", "text": "anyone there?"})
	fs := a.until(10*time.Second, func(f frame) bool { return f.Type == "message" && f.From == "agent" })
	if got := fs[len(fs)-1]; got.Text != "Dan here, looking now." {
		t.Errorf("agent message %+v", got)
	}
	var echoed bool
	for _, f := range fs {
		echoed = echoed || (f.Type == "message" && f.From == "customer" && f.Text == "anyone there?")
	}
	if !echoed {
		t.Errorf("the customer's message was not echoed before the agent's: %+v", fs)
	}
	assertDelivered(t, e)
}

func assertDelivered(t *testing.T, e *wsEnv) {
	t.Helper()
	waitFor(t, 10*time.Second, "an empty outbox", func() bool {
		p, err := e.db.Pending(context.Background(), ChannelName, 0)
		return err == nil && len(p) == 0
	})
}

// TestBusinessHours: the welcome says when business is closed and when it
// opens.
func TestBusinessHours(t *testing.T) {
	e := newWSEnv(t)
	e.clock.set(time.Date(2026, 9, 30, 20, 0, 0, 0, e.cfg.Policy.Location())) // before National Day
	w := e.dial(nil).hello("", "zh")
	want := time.Date(2026, 10, 8, 9, 0, 0, 0, e.cfg.Policy.Location())
	if w.Business == nil || w.Business.Open || w.Business.NextOpen == nil || !w.Business.NextOpen.Equal(want) {
		t.Errorf("business = %+v, want closed until %s", w.Business, want)
	}
}

// TestTypingOnlyWhenSlow: with the default typing delay a quick answer comes
// without a typing frame; an answer that waits (here for the database
// writer) is preceded by exactly one, and none follows it.
func TestTypingOnlyWhenSlow(t *testing.T) {
	e := newWSEnv(t, func(w *config.Webchat) { w.TypingDelay = 300 * time.Millisecond })
	a := e.dial(nil)
	a.hello("", "en")
	if fs := a.say("help"); len(replies(fs)) == 0 || len(ofType(fs, "typing")) != 0 {
		t.Fatalf("a quick turn: %+v, want replies and no typing frame", fs)
	}

	release := make(chan struct{})
	held := make(chan struct{})
	go func() {
		_ = e.db.WriteTx(context.Background(), func(context.Context, *sql.Tx) error {
			close(held)
			<-release
			return nil
		})
	}()
	<-held
	a.send(map[string]any{"v": 1, "type": "message", "id": "slow", "text": "help"})
	ty := a.until(10*time.Second, func(f frame) bool { return f.Type == "typing" })
	if ty[len(ty)-1].From != "bot" {
		t.Errorf("typing frame %+v, want the bot's", ty[len(ty)-1])
	}
	close(release)
	fs := a.barrier()
	if len(replies(fs)) == 0 || len(ofType(fs, "typing")) != 0 {
		t.Errorf("after the typing frame: %+v, want the replies and no second typing frame", fs)
	}
}

// A reply that went out by mail while the visitor was away (the email
// channel continued the chat) is marked in the history of the welcome when
// they come back; the others are not.
func TestHistoryMarksMailedReplies(t *testing.T) {
	e := newWSEnv(t)
	e.ch.mailed = e.db
	ctx := context.Background()
	a := e.dial(nil)
	w := a.hello("", "en")
	id := handOff(t, a)
	a.conn.Close()
	waitFor(t, 10*time.Second, "the socket to close", func() bool { return e.openSockets() == 0 })
	if _, err := e.eng.Act(ctx, dialog.Action{Kind: dialog.ActReply, TicketID: id, Agent: "bob", Text: "We will call you."}); err != nil {
		t.Fatal(err)
	}
	pending, err := e.db.Pending(ctx, ChannelName, 0)
	if err != nil || len(pending) != 1 {
		t.Fatalf("outbox %v, %v: want the agent's reply", pending, err)
	}
	seq := pending[0].Seq
	mail := mailstore.Outbound{MessageID: "r1@shop.example.com", ConversationID: w.ConversationID, FirstSeq: seq, LastSeq: seq,
		Recipient: "jo@example.com", Status: mailstore.SendSent}
	if err := e.db.PutOutbound(ctx, mail, nil, []int64{seq}); err != nil {
		t.Fatal(err)
	}
	back := e.dial(nil)
	w2 := back.hello(w.Token, "en")
	for _, m := range w2.History {
		if want := map[bool]string{true: "email"}[m.Seq == seq]; m.Via != want {
			t.Errorf("history message %d (%s %q) via %q, want %q", m.Seq, m.From, m.Text, m.Via, want)
		}
	}
	if last := w2.History[len(w2.History)-1]; last.Seq != seq || last.Agent != "bob" {
		t.Errorf("last history message %+v, want bob's mailed reply", last)
	}
}

// TestSystemEntriesStayWithTheAgents: an internal entry of the gateway in
// a conversation's history (dialog.FromSystem: a bounce of our mail) reaches
// the visitor neither live, with the next turn's messages, nor in the
// history of a resumed connection.
func TestSystemEntriesStayWithTheAgents(t *testing.T) {
	e := newWSEnv(t)
	c := e.dial(nil)
	w := c.hello("", "en")
	c.say("How do I install the AC-35?")
	const entry = "Our mail to jo@example.com bounced, the customer did not get it: 5.1.1 (Message-ID x@y)."
	if err := e.eng.Record(context.Background(), w.ConversationID, "bounce:b1", entry, time.Time{}); err != nil {
		t.Fatal(err)
	}
	live := c.say("thanks")
	c.conn.Close()
	again := e.dial(nil)
	w2 := again.hello(w.Token, "")
	hist, err := e.db.History(context.Background(), w.ConversationID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(hist, func(m dialog.Message) bool { return m.From == dialog.FromSystem && m.Text == entry }) {
		t.Fatalf("the entry is not in the history: %+v", hist)
	}
	if len(w2.History) != len(hist)-1 {
		t.Errorf("welcome history has %d messages, want the store's %d but the entry", len(w2.History), len(hist))
	}
	for _, f := range live {
		if strings.Contains(f.Text, "bounced") || f.From == string(dialog.FromSystem) {
			t.Errorf("the visitor got %+v", f)
		}
	}
	for _, m := range w2.History {
		if strings.Contains(m.Text, "bounced") || m.From == dialog.FromSystem {
			t.Errorf("the visitor's history has %+v", m)
		}
	}
}
