package webchat

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/supportd/supportd/ticketing"
)

// goldenTurn is one customer message of a golden transcript and what the bot
// answered: each reply's text, its quick replies' labels and the kind of
// answer it asks to type.
type goldenTurn struct {
	say     string
	replies []goldenReply
}

type goldenReply struct {
	text    string
	choices string // "Yes | No"
	input   string // "tel"
}

// readGolden parses a transcript of dialog/testdata/transcripts (the lines
// >, <, <|, "<  [...]", "<  (types: ...)", "? ticket ..." and comments).
func readGolden(t *testing.T, name string) (turns []goldenTurn, checks []string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "dialog", "testdata", "transcripts", name))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "> "):
			turns = append(turns, goldenTurn{say: line[2:]})
		case strings.HasPrefix(line, "<| "):
			r := &turns[len(turns)-1].replies[len(turns[len(turns)-1].replies)-1]
			r.text += "\n" + line[3:]
		case strings.HasPrefix(line, "<  ["):
			r := &turns[len(turns)-1].replies[len(turns[len(turns)-1].replies)-1]
			r.choices = strings.TrimSuffix(line[4:], "]")
		case strings.HasPrefix(line, "<  (types: "):
			r := &turns[len(turns)-1].replies[len(turns[len(turns)-1].replies)-1]
			r.input = strings.TrimSuffix(line[len("<  (types: "):], ")")
		case strings.HasPrefix(line, "< "):
			turns[len(turns)-1].replies = append(turns[len(turns)-1].replies, goldenReply{text: line[2:]})
		case strings.HasPrefix(line, "? ticket "):
			checks = append(checks, line[2:])
		default:
			t.Fatalf("%s: line %q is not supported here", name, line)
		}
	}
	return turns, checks
}

func labels(f frame) string {
	var l []string
	for _, c := range f.Choices {
		l = append(l, c.Label)
	}
	return strings.Join(l, " | ")
}

// TestRepairJourney walks the golden in-warranty repair over the socket:
// every bot message matches the transcript, every customer message is echoed
// first, and the ticket reaches the store and the socket.
func TestRepairJourney(t *testing.T) {
	e := newWSEnv(t)
	turns, checks := readGolden(t, "repair_in_warranty_en.txt")
	c := e.dial(nil)
	w := c.hello("", "en")
	if w.Token == "" || !strings.HasPrefix(w.Token, "v1.") || w.ConversationID == "" || w.Lang != "en" {
		t.Fatalf("welcome = %+v", w)
	}
	if len(w.History) == 0 || w.History[0].From != "bot" {
		t.Fatalf("a new visitor's welcome has no greeting: %+v", w.History)
	}
	if w.Business == nil || !w.Business.Open {
		t.Errorf("business = %+v, want open on a Wednesday at 10:00", w.Business)
	}
	tickets := walkGolden(t, c, turns)
	for _, check := range checks {
		checkTicket(t, e, check)
	}
	if len(tickets) != 1 || tickets[0].ID != "T-1001" || tickets[0].Kind != "repair" || tickets[0].Status != "open" ||
		tickets[0].Due["first_response"] != "2026-11-26T10:00:00Z" {
		t.Errorf("ticket frames = %+v, want one for T-1001 (repair, open, due)", tickets)
	}
	pending, err := e.db.Pending(context.Background(), ChannelName, 0)
	if err != nil || len(pending) != 0 {
		t.Errorf("outbox after the journey: %d messages (%v), want all delivered", len(pending), err)
	}
}

// walkGolden says the customer's side of a golden transcript on socket c and
// checks every answer: the echo first, one typing frame, then the bot's
// replies as the transcript has them. It returns the ticket frames.
func walkGolden(t *testing.T, c *wsClient, turns []goldenTurn) []frame {
	t.Helper()
	var tickets []frame
	for i, turn := range turns {
		got := c.say(turn.say)
		msgs := ofType(got, "message")
		if len(msgs) == 0 || msgs[0].From != "customer" || msgs[0].Text != turn.say || msgs[0].ClientID != fmt.Sprintf("m%d", i+1) {
			t.Fatalf("turn %d: the echo of %q is missing or wrong: %+v", i+1, turn.say, msgs)
		}
		if ty := ofType(got, "typing"); len(ty) != 1 || ty[0].From != "bot" {
			t.Errorf("turn %d: typing frames %+v, want one from the bot", i+1, ty)
		}
		bot := replies(got)
		if len(bot) != len(turn.replies) {
			t.Fatalf("turn %d %q: %d replies, want %d:\n%+v", i+1, turn.say, len(bot), len(turn.replies), bot)
		}
		for j, want := range turn.replies {
			if bot[j].Text != want.text || labels(bot[j]) != want.choices || bot[j].Input != want.input {
				t.Errorf("turn %d reply %d:\n got %q [%s] (%s)\nwant %q [%s] (%s)", i+1, j+1,
					bot[j].Text, labels(bot[j]), bot[j].Input, want.text, want.choices, want.input)
			}
			if bot[j].Seq <= msgs[0].Seq || bot[j].At.IsZero() {
				t.Errorf("turn %d reply %d: seq %d at %v", i+1, j+1, bot[j].Seq, bot[j].At)
			}
		}
		tickets = append(tickets, ofType(got, "ticket")...)
	}
	return tickets
}

// TestInstallationJourney books a paid installation over the socket: the
// question for a phone number asks for one in its frame ("input": "tel").
func TestInstallationJourney(t *testing.T) {
	e := newWSEnv(t)
	turns, checks := readGolden(t, "installation_paid_en.txt")
	c := e.dial(nil)
	c.hello("", "en")
	tickets := walkGolden(t, c, turns)
	asked := false
	for _, turn := range turns {
		for _, r := range turn.replies {
			asked = asked || r.input == "tel"
		}
	}
	if !asked {
		t.Error("the transcript asks for no phone number: this test checks nothing")
	}
	for _, check := range checks {
		checkTicket(t, e, check)
	}
	if len(tickets) != 1 || tickets[0].Kind != "installation" {
		t.Errorf("ticket frames = %+v, want one installation", tickets)
	}
}

// checkTicket asserts "ticket ID field=value ..." on the stored ticket's JSON.
func checkTicket(t *testing.T, e *wsEnv, check string) *ticketing.Ticket {
	t.Helper()
	f := strings.Fields(check)
	tk, err := e.db.Get(context.Background(), f[1])
	if err != nil {
		t.Fatalf("%s: %v", check, err)
	}
	raw, _ := json.Marshal(tk)
	var doc map[string]any
	_ = json.Unmarshal(raw, &doc)
	for _, kv := range f[2:] {
		k, want, _ := strings.Cut(kv, "=")
		var v any = doc
		for _, p := range strings.Split(k, ".") {
			m, _ := v.(map[string]any)
			v = m[p]
		}
		got := fmt.Sprint(v)
		if v == nil {
			got = ""
		}
		if got != want {
			t.Errorf("ticket %s: %s = %q, want %q", f[1], k, got, want)
		}
	}
	return tk
}

// TestAttachmentJourney sends the proof of purchase as an uploaded PNG in a
// repair journey: the ticket's proof is the upload.
func TestAttachmentJourney(t *testing.T) {
	e := newWSEnv(t)
	c := e.dial(nil)
	w := c.hello("", "en")
	c.say("My TV-55X has no sound, I bought it on 2026-04-10")
	got := replies(c.say("tried that, still broken"))
	if len(got) == 0 || !strings.Contains(got[len(got)-1].Text, "proof of purchase") {
		t.Fatalf("the bot did not ask for the proof: %+v", got)
	}
	ref, status := e.upload(t, w.Token, "invoice.png", pngBytes())
	if status != 201 {
		t.Fatalf("upload: %d", status)
	}
	c.send(map[string]any{"v": 1, "type": "attachment", "id": "a1", "ref": ref})
	fs := c.barrier()
	if msgs := ofType(fs, "message"); len(msgs) == 0 || msgs[0].From != "customer" || msgs[0].Text != "invoice.png" || msgs[0].ClientID != "a1" {
		t.Fatalf("attachment echo: %+v", fs)
	}
	if got := replies(fs); len(got) != 2 || got[0].Text != "Got your proof of purchase: invoice.png." || !strings.Contains(got[1].Text, "dropped") {
		t.Fatalf("after the proof the bot should acknowledge it and ask the exclusions: %+v", got)
	}
	for _, s := range []string{"no", "no", "no"} {
		c.say(s)
	}
	fs = c.say("yes")
	if tk := ofType(fs, "ticket"); len(tk) != 1 {
		t.Fatalf("no ticket frame: %+v", fs)
	}
	tk := checkTicket(t, e, "ticket T-1001 kind=repair warranty.covered=true proof_ref=file:"+ref)
	if tk.ConversationID != w.ConversationID {
		t.Errorf("ticket conversation %s, want %s", tk.ConversationID, w.ConversationID)
	}
	if _, err := os.Stat(filepath.Join(e.dataDir, "attachments", w.ConversationID, ref)); err != nil {
		t.Errorf("the upload is not stored under the conversation: %v", err)
	}
	// A ref of another conversation, and a made-up one, are refused.
	other := e.dial(nil)
	ow := other.hello("", "en")
	oref, _ := e.upload(t, ow.Token, "mine.pdf", pdfBytes())
	c.send(map[string]any{"v": 1, "type": "attachment", "id": "a2", "ref": oref})
	c.send(map[string]any{"v": 1, "type": "attachment", "id": "a3", "ref": "att_0123456789abcdef0123456789abcdef"})
	errs := ofType(c.barrier(), "error")
	if len(errs) != 2 || errs[0].Code != codeUnknownAttachment || errs[0].ID != "a2" || errs[1].Code != codeUnknownAttachment {
		t.Errorf("foreign refs: %+v, want two unknown_attachment errors", errs)
	}
}
