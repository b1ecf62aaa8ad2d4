package dialog_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/policy"
	"github.com/supportd/supportd/store/sqlite"
	"github.com/supportd/supportd/ticketing"
)

var update = flag.Bool("update", false, "rewrite the golden transcripts with what the engine says now")

// A transcript is a conversation in testdata/transcripts. Lines:
//
//	# comment              kept as is
//	@ now RFC3339          set the clock (before the first message: the start)
//	@ clock +8d | +3h      move the clock
//	@ tick                 fire the timers due now
//	@ reopen               close the store and open it again
//	@ user NAME            the customer (default "visitor"); a new user is a new conversation
//	@ kind KIND            the channel's ticket kind for the messages that follow (a complaints mailbox)
//	@ together             the channel asks questions together, as email does (Engine.AskTogether)
//	@ byemail              the channel's replies reach a customer who left by email (Engine.ReachByEmail)
//	> text                 the customer says text; \n in it is a line break
//	> @file NAME           the customer sends an uploaded file NAME
//	! claim|reply|quote|resolve|handback|note ID AGENT [amount] [text]
//	? ticket ID field=value ...   assert fields of the ticket's JSON (dotted paths; "a value" is a Go string)
//	? note ID text         assert the ticket's last note ("a text" is a Go string)
//	? state STATE          assert the conversation's state
//	< text                 what the bot or agent said (generated; compared with -update off)
//
// Replies are written "< text", further lines of a reply "<| text", quick
// replies "<  [a | b]", the kind of answer a reply asks to type "<  (types:
// email)", agent messages "< [agent alice] text", and a refused
// agent action "< [error] ...".
func TestTranscripts(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "transcripts", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no transcripts")
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".txt"), func(t *testing.T) {
			t.Parallel()
			want, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			got := runTranscript(t, string(want))
			if *update {
				if err := os.WriteFile(f, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if got != string(want) {
				t.Errorf("transcript differs (go test ./dialog -run TestTranscripts -update rewrites it):\n%s", diff(string(want), got))
			}
		})
	}
}

type harness struct {
	t    *testing.T
	ctx  context.Context
	path string
	cfg  *config.Config
	db   *sqlite.DB
	eng  *dialog.Engine
	now  time.Time
	user string
	kind ticketing.Kind
	// together: the channel asks questions together (kept across reopen)
	together bool
	byEmail  bool // the channel's replies reach the customer by email (kept across reopen)
	convID   string
	seq      int
	out      *strings.Builder
}

func newHarness(t *testing.T) *harness {
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, ctx: context.Background(), path: filepath.Join(t.TempDir(), "supportd.db"), cfg: cfg, user: "visitor",
		now: time.Date(2026, 11, 25, 10, 0, 0, 0, cfg.Policy.Location())}
	h.open()
	t.Cleanup(func() { h.db.Close() })
	return h
}

func (h *harness) open() {
	db, err := sqlite.Open(h.ctx, h.path, sqlite.WithClock(func() time.Time { return h.now }))
	if err != nil {
		h.t.Fatal(err)
	}
	h.db = db
	h.eng, err = dialog.New(dialog.Options{Policy: &h.cfg.Policy, Store: db, Knowledge: testKnowledge(), Now: func() time.Time { return h.now }})
	if err != nil {
		h.t.Fatal(err)
	}
	if h.together {
		h.eng.AskTogether("webchat")
	}
	if h.byEmail {
		h.eng.ReachByEmail("webchat")
	}
}

func runTranscript(t *testing.T, src string) string {
	h := newHarness(t)
	var out strings.Builder
	h.out = &out
	for n, line := range strings.Split(strings.TrimRight(src, "\n"), "\n") {
		if strings.HasPrefix(line, "<") {
			continue
		}
		out.WriteString(line + "\n")
		if err := h.step(line); err != nil {
			t.Fatalf("line %d %q: %v\n--- so far:\n%s", n+1, line, err, out.String())
		}
	}
	return out.String()
}

func (h *harness) step(line string) error {
	op, rest, _ := strings.Cut(line, " ")
	switch op {
	case "", "#":
		return nil
	case ">":
		h.seq++
		in := dialog.Inbound{Channel: "webchat", User: h.user, ID: fmt.Sprintf("m%d", h.seq), Text: strings.ReplaceAll(rest, `\n`, "\n"), At: h.now, Kind: h.kind}
		if name, ok := strings.CutPrefix(rest, "@file "); ok {
			in.Text, in.Display = "", name // as the web chat sends it: the caption is the text
			in.Attachments = []dialog.Attachment{{Ref: fmt.Sprintf("att_%d", h.seq), Name: name, Type: "image/png"}}
		}
		res, err := h.eng.Handle(h.ctx, in)
		if err != nil {
			return err
		}
		h.convID = res.ConversationID
		if err := h.sameAsStored(res.Tickets); err != nil {
			return err
		}
		h.print(res.Replies)
		return h.deliver(res.Replies)
	case "@":
		return h.control(rest)
	case "!":
		return h.agent(rest)
	case "?":
		return h.check(rest)
	}
	return fmt.Errorf("unknown line")
}

// rawKey is a text key that reached the customer instead of its text.
var rawKey = regexp.MustCompile(`^[a-z_]+(\.[a-z_]+)+$|\{[a-z_]+\}`)

func (h *harness) print(ms []dialog.Message) {
	for _, m := range ms {
		if rawKey.MatchString(m.Text) {
			h.t.Errorf("a text key or placeholder reached the customer: %q", m.Text)
		}
		prefix := "< "
		if m.From == dialog.FromAgent {
			prefix = "< [agent " + m.Agent + "] "
		}
		for i, l := range strings.Split(m.Text, "\n") {
			if i == 0 {
				h.out.WriteString(prefix + l + "\n")
			} else {
				h.out.WriteString("<| " + l + "\n")
			}
		}
		if len(m.Choices) > 0 {
			labels := make([]string, len(m.Choices))
			for i, c := range m.Choices {
				labels[i] = c.Label
				if c.Name != "" {
					labels[i] += " (" + c.Name + ")"
				}
			}
			h.out.WriteString("<  [" + strings.Join(labels, " | ") + "]\n")
		}
		if m.Input != "" {
			h.out.WriteString("<  (types: " + string(m.Input) + ")\n")
		}
	}
}

// deliver drains the outbox the way a channel does, and checks that the
// replies the turn returned are exactly the pending ones.
func (h *harness) deliver(ms []dialog.Message) error {
	pending, err := h.db.Pending(h.ctx, "webchat", 0)
	if err != nil {
		return err
	}
	if len(pending) != len(ms) {
		return fmt.Errorf("outbox has %d messages, the turn returned %d", len(pending), len(ms))
	}
	for _, m := range pending {
		if err := h.db.MarkDelivered(h.ctx, m.ConversationID, m.Seq, h.now); err != nil {
			return err
		}
	}
	return nil
}

func (h *harness) control(rest string) error {
	f := strings.Fields(rest)
	if len(f) == 0 {
		return fmt.Errorf("empty control line")
	}
	switch f[0] {
	case "now":
		t, err := time.Parse(time.RFC3339, f[1])
		if err != nil {
			return err
		}
		h.now = t
	case "clock":
		d, err := parseShift(f[1])
		if err != nil {
			return err
		}
		h.now = h.now.Add(d)
	case "tick":
		if _, err := h.eng.Tick(h.ctx, h.now); err != nil {
			return err
		}
		pending, err := h.db.Pending(h.ctx, "webchat", 0)
		if err != nil {
			return err
		}
		h.print(pending)
		return h.deliver(pending)
	case "reopen":
		if err := h.db.Close(); err != nil {
			return err
		}
		h.open()
	case "user":
		h.user = f[1]
	case "kind":
		h.kind = ticketing.Kind(f[1])
	case "together":
		h.together = true
		h.eng.AskTogether("webchat")
	case "byemail":
		h.byEmail = true
		h.eng.ReachByEmail("webchat")
	default:
		return fmt.Errorf("unknown control %q", f[0])
	}
	return nil
}

func parseShift(s string) (time.Duration, error) {
	if d, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(strings.TrimPrefix(d, "+"))
		return time.Duration(n) * 24 * time.Hour, err
	}
	return time.ParseDuration(strings.TrimPrefix(s, "+"))
}

func (h *harness) agent(rest string) error {
	f := strings.Fields(rest)
	if len(f) < 3 {
		return fmt.Errorf("want: ! ACTION TICKET AGENT [...]")
	}
	a := dialog.Action{Kind: dialog.ActionKind(f[0]), TicketID: f[1], Agent: f[2], Channel: "slack", At: h.now}
	args := f[3:]
	if a.Kind == dialog.ActQuote && len(args) > 0 {
		m, err := policy.ParseMoney(args[0])
		if err != nil {
			return err
		}
		a.Amount, args = m, args[1:]
	}
	a.Text = strings.Join(args, " ")
	res, err := h.eng.Act(h.ctx, a)
	if err != nil {
		h.out.WriteString("< [error] " + err.Error() + "\n")
		return nil
	}
	h.print(res.Replies)
	return h.deliver(res.Replies)
}

// sameAsStored checks that the tickets of a result are as the store holds
// them after the turn: a channel shows them without reading them back
// (TestResultTickets checks that there are some).
func (h *harness) sameAsStored(tks []*ticketing.Ticket) error {
	for _, tk := range tks {
		st, err := h.db.Get(h.ctx, tk.ID)
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(tk, st) {
			return fmt.Errorf("the result's ticket %s (version %d, %s)\nis not the stored one (version %d, %s)", tk.ID, tk.Version, tk.Status, st.Version, st.Status)
		}
	}
	return nil
}

func (h *harness) check(rest string) error {
	f := strings.Fields(rest)
	switch {
	case len(f) == 2 && f[0] == "state":
		c, err := h.db.Conversation(h.ctx, h.convID)
		if err != nil {
			return err
		}
		if c.State != f[1] {
			return fmt.Errorf("state = %s", c.State)
		}
		return nil
	case len(f) >= 2 && f[0] == "slot":
		// The conversation's form as it stands: "? slot purchased=2024-12-03".
		c, err := h.db.Conversation(h.ctx, h.convID)
		if err != nil {
			return err
		}
		kvs, err := fieldValues(strings.TrimPrefix(strings.TrimSpace(rest), "slot "))
		if err != nil {
			return err
		}
		for _, kv := range kvs {
			k, want, ok := strings.Cut(kv, "=")
			if !ok {
				return fmt.Errorf("want slot=value, got %q", kv)
			}
			if got := c.Slots[k].Value; got != want {
				return fmt.Errorf("slot %s = %q, want %q", k, got, want)
			}
		}
		return nil
	case len(f) >= 3 && f[0] == "note":
		// The ticket's last comment: "? note T-1001 \"customer: …\"".
		want := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(rest), "note "+f[1]))
		if uq, err := strconv.Unquote(want); err == nil {
			want = uq
		}
		evs, err := h.db.Events(h.ctx, f[1])
		if err != nil {
			return err
		}
		got := ""
		for _, ev := range evs {
			if ev.Action == ticketing.ActionComment {
				got = ev.Note
			}
		}
		if got != want {
			return fmt.Errorf("ticket %s: last note = %q, want %q", f[1], got, want)
		}
		return nil
	case len(f) >= 3 && f[0] == "ticket":
		tk, err := h.db.Get(h.ctx, f[1])
		if err != nil {
			return err
		}
		raw, _ := json.Marshal(tk)
		var doc map[string]any
		json.Unmarshal(raw, &doc)
		kvs, err := fieldValues(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(rest), "ticket "+f[1])))
		if err != nil {
			return err
		}
		for _, kv := range kvs {
			k, want, ok := strings.Cut(kv, "=")
			if !ok {
				return fmt.Errorf("want field=value, got %q", kv)
			}
			if got := lookup(doc, k); got != want {
				return fmt.Errorf("ticket %s: %s = %q, want %q", f[1], k, got, want)
			}
		}
		return nil
	}
	return fmt.Errorf("unknown check")
}

// fieldValues splits "a=1 b=\"two words\"" into its field=value pairs; a
// value in double quotes is a Go string literal (spaces, \n).
func fieldValues(s string) ([]string, error) {
	var out []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		k, v, _ := strings.Cut(s, "=")
		if strings.ContainsRune(k, ' ') || !strings.HasPrefix(v, `"`) {
			kv, rest, _ := strings.Cut(s, " ")
			out, s = append(out, kv), rest
			continue
		}
		q, err := strconv.QuotedPrefix(v)
		if err != nil {
			return nil, fmt.Errorf("field %s: %w", k, err)
		}
		text, _ := strconv.Unquote(q)
		out, s = append(out, k+"="+text), v[len(q):]
	}
	return out, nil
}

// lookup returns a dotted path of a JSON document as text: strings as they
// are, lists joined with commas, null and missing as "".
func lookup(doc map[string]any, path string) string {
	var v any = doc
	for _, p := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		v = m[p]
	}
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = fmt.Sprint(e)
		}
		return strings.Join(parts, ",")
	default:
		return fmt.Sprint(x)
	}
}

// diff shows the first differing lines.
func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return fmt.Sprintf("line %d\nwant: %s\n got: %s", i+1, a, b)
		}
	}
	return ""
}
