package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/dialog/kb"
	"github.com/supportd/supportd/policy"
	"github.com/supportd/supportd/store/sqlite"
	"github.com/supportd/supportd/ticketing"
)

// chatCmd runs a conversation in the terminal on the same engine and store
// as the server: one customer message per line.
func chatCmd(ctx context.Context, e env, args []string) error {
	fs := newFlags("chat")
	cfgPath := fs.String("config", "", "configuration file (default: embedded)")
	dataDir := fs.String("data", "", "data directory (default: storage.data_dir)")
	lang := fs.String("lang", "", "zh or en (default: detected from the first message)")
	now := fs.String("now", "", "fix the clock: RFC3339, or YYYY-MM-DD for 10:00 that day in the policy time zone")
	user := fs.String("user", "cli", "the customer: the same user continues the same conversation")
	asJSON := fs.Bool("json", false, "print every reply as a JSON line and a summary at the end")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 0, 0); err != nil {
		return err
	}
	if *lang != "" && *lang != "zh" && *lang != "en" {
		return fmt.Errorf("%w: --lang: %q is not zh or en", errUsage, *lang)
	}
	cfg, clock, err := configAndClock(*cfgPath, *dataDir, *now)
	if err != nil {
		return err
	}
	var db *sqlite.DB
	if _, serr := os.Stat(cfg.DatabasePath()); errors.Is(serr, os.ErrNotExist) {
		db, err = sqlite.Open(ctx, cfg.DatabasePath()) // a new one: created and migrated
	} else {
		db, err = openServed(ctx, cfg) // one that exists is left as it is
	}
	if err != nil {
		return err
	}
	defer db.Close()
	eng, err := newEngine(cfg, db, clock)
	if err != nil {
		return err
	}

	interactive := isTerminal(e.stdin)
	out := chatPrinter{w: e.stdout, json: *asJSON}
	in := dialog.Inbound{Channel: "cli", User: *user, Lang: *lang}
	var convID string
	if interactive && !*asJSON {
		res, err := eng.Start(ctx, in)
		if err != nil {
			return err
		}
		convID = res.ConversationID
		if err := deliverPending(ctx, db, out, *user); err != nil {
			return err
		}
		fmt.Fprint(e.stdout, "> ")
	} else if err := deliverPending(ctx, db, out, *user); err != nil {
		return err // what agents sent since the customer's last visit
	}
	sc := bufio.NewScanner(e.stdin)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	n := 0
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		n++
		msg := in
		msg.Text = line
		msg.ID = fmt.Sprintf("cli-%d-%d", time.Now().UnixNano(), n)
		res, err := eng.Handle(ctx, msg)
		if err != nil {
			return err
		}
		convID = res.ConversationID
		if err := deliverPending(ctx, db, out, *user); err != nil {
			return err
		}
		if interactive && !*asJSON {
			fmt.Fprint(e.stdout, "> ")
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read stdin: %w", err)
	}
	if *asJSON {
		return out.summary(ctx, db, convID)
	}
	return nil
}

// configAndClock loads the configuration and parses --now in its time
// zone: what the commands that act as of a moment check before they open
// (or create) the database.
func configAndClock(cfgPath, dataDir, now string) (*config.Config, func() time.Time, error) {
	cfg, err := loadOffline(cfgPath, dataDir)
	if err != nil {
		return nil, nil, err
	}
	clock, err := fixedClock(now, cfg.Policy.Location())
	if err != nil {
		return nil, nil, err
	}
	return cfg, clock, nil
}

// fixedClock parses --now.
func fixedClock(s string, loc *time.Location) (func() time.Time, error) {
	if s == "" {
		return time.Now, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return func() time.Time { return t }, nil
	}
	d, err := policy.ParseDate(s)
	if err != nil {
		return nil, fmt.Errorf("%w: --now: %q is neither RFC3339 nor YYYY-MM-DD", errUsage, s)
	}
	t := d.In(loc, 10, 0)
	return func() time.Time { return t }, nil
}

// deliverPending prints the terminal customer's outbox: the bot's replies
// and whatever agents sent in between, then marks them delivered.
func deliverPending(ctx context.Context, db *sqlite.DB, out chatPrinter, user string) error {
	pending, err := db.Pending(ctx, "cli", 0)
	if err != nil {
		return err
	}
	var mine []dialog.Message
	for _, m := range pending {
		if m.User == user {
			mine = append(mine, m)
		}
	}
	out.replies(mine)
	for _, m := range mine {
		if err := db.MarkDelivered(ctx, m.ConversationID, m.Seq, time.Now()); err != nil {
			return err
		}
	}
	return nil
}

func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

type chatPrinter struct {
	w    io.Writer
	json bool
}

func (p chatPrinter) replies(ms []dialog.Message) {
	for _, m := range ms {
		if p.json {
			choices := make([]string, len(m.Choices))
			for i, c := range m.Choices {
				choices[i] = c.Label
			}
			line, _ := json.Marshal(struct {
				Type    string   `json:"type"`
				From    string   `json:"from"`
				Text    string   `json:"text"`
				Choices []string `json:"choices"`
			}{"reply", string(m.From), m.Text, choices})
			fmt.Fprintln(p.w, string(line))
			continue
		}
		fmt.Fprintln(p.w, m.Text)
		if len(m.Choices) > 0 {
			labels := make([]string, len(m.Choices))
			for i, c := range m.Choices {
				labels[i] = c.Label
			}
			fmt.Fprintf(p.w, "  [%s]\n", strings.Join(labels, " | "))
		}
	}
}

func (p chatPrinter) summary(ctx context.Context, db *sqlite.DB, convID string) error {
	s := struct {
		Type    string              `json:"type"`
		State   string              `json:"state"`
		Lang    string              `json:"lang"`
		Tickets []*ticketing.Ticket `json:"tickets"`
	}{Type: "summary", Tickets: []*ticketing.Ticket{}}
	if convID != "" {
		c, err := db.Conversation(ctx, convID)
		if err != nil {
			return err
		}
		s.State, s.Lang = c.State, c.Lang
		for _, id := range c.Tickets {
			t, err := db.Get(ctx, id)
			if err != nil {
				return err
			}
			s.Tickets = append(s.Tickets, t)
		}
	}
	line, err := json.Marshal(s)
	if err != nil {
		return err
	}
	fmt.Fprintln(p.w, string(line))
	return nil
}

// newEngine wires the dialog engine on a configuration and a store (see
// engineRules).
func newEngine(cfg *config.Config, db dialog.Store, now func() time.Time) (*dialog.Engine, error) {
	o, err := engineRules(cfg)
	if err != nil {
		return nil, err
	}
	o.Store, o.Now = db, now
	return dialog.New(o)
}

// engineRules reads the engine's rules from a configuration, as New and
// Reload take them: the policy, the complaint owner, and the texts and the
// knowledge base from the configured files (read now), or the embedded
// ones; the knowledge base's placeholders ({exchange_days}) are filled from
// the policy.
func engineRules(cfg *config.Config) (dialog.Options, error) {
	texts := dialog.DefaultTexts()
	if cfg.Dialog.Texts != "" {
		var err error
		if texts, err = dialog.LoadTexts(cfg.Dialog.Texts); err != nil {
			return dialog.Options{}, fmt.Errorf("dialog.texts: %w", err)
		}
	}
	know, err := knowledgeBase(cfg)
	if err != nil {
		return dialog.Options{}, err
	}
	owner := dialog.Owner{Agent: cfg.Dialog.ComplaintOwner.Agent, Name: cfg.Dialog.ComplaintOwner.Name}
	return dialog.Options{Policy: &cfg.Policy, Texts: texts, Knowledge: dialog.KnowledgeBase(know), ComplaintOwner: owner}, nil
}

// knowledgeBase reads the configured knowledge base (dialog.knowledge), or
// the embedded one, with its placeholders filled from the policy.
func knowledgeBase(cfg *config.Config) (*kb.KB, error) {
	know := kb.Embedded()
	if cfg.Dialog.Knowledge != "" {
		var err error
		if know, err = kb.LoadFile(cfg.Dialog.Knowledge); err != nil {
			return nil, fmt.Errorf("dialog.knowledge: %w", err)
		}
		// The operator's troubleshooting steps are keyed by the policy's
		// categories and catalog models: a misspelt key would leave its
		// category or model without its remote guidance. (The embedded demo
		// knowledge base is for the demo policy; with an own policy its steps
		// match whichever ids and models agree.)
		if err := know.CheckTroubleshooting(&cfg.Policy); err != nil {
			return nil, fmt.Errorf("dialog.knowledge: %w", err)
		}
	}
	return know.ForPolicy(&cfg.Policy), nil
}
