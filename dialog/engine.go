package dialog

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/supportd/supportd/dialog/extract"
	"github.com/supportd/supportd/policy"
	"github.com/supportd/supportd/ticketing"
)

// Knowledge answers questions and offers troubleshooting steps. The
// knowledge base (package dialog/kb) is one.
type Knowledge interface {
	// Answer returns the answer to a question in lang, when it is known
	// with confidence.
	Answer(question, lang string) (string, bool)
	// Troubleshooting returns the remote steps for a product (its model's
	// when there are any, its category's otherwise) that suit the fault
	// the customer described.
	Troubleshooting(model, category, fault, lang string) []string
}

// Options configure an Engine.
type Options struct {
	Policy    *policy.Policy // required, after ApplyDefaults and Validate
	Store     Store          // required
	Knowledge Knowledge      // nil: no FAQ answers, no troubleshooting
	Texts     *Texts         // nil: DefaultTexts
	Now       func() time.Time
	Logger    *slog.Logger
	// ComplaintOwner is the agent complaints are assigned to when filed,
	// and the name the customer is told; zero: whoever claims it.
	ComplaintOwner Owner
}

// Owner is an agent: Agent acts (an email, a Slack user, a name), Name is
// shown to customers.
type Owner struct{ Agent, Name string }

// Engine runs conversations. It holds no conversation in memory: it is safe
// for concurrent use, and several engines may share one store.
//
// The policy, knowledge base, texts and complaint owner are its rules: Reload
// replaces them while it serves. An Engine value is one generation of rules;
// every generation shares the store, the flow and the channels' registrations,
// and a turn runs on the generation in force when it began (current).
type Engine struct {
	pol     *policy.Policy
	kb      Knowledge
	texts   *Texts
	catalog *extract.Catalog
	// consumables are the words naming each model's consumable parts
	// (consumableCues), worked out once.
	consumables map[string][]string
	owner       Owner // of complaints

	store    Store
	now      func() time.Time
	log      *slog.Logger
	flow     *Flow
	live     *atomic.Pointer[Engine] // the generation in force
	hooks    *hooks
	together *channelSet // channels whose forms ask their questions together
	byEmail  *channelSet // channels whose replies reach a customer who left by email
}

// hooks are the functions channels register to hear of commits.
type hooks struct {
	mu      sync.RWMutex
	notify  []func(channel, conversationID string)
	commits []func(Commit)
}

// channelSet is a set of channel names that channels register in before the
// engine serves and turns read.
type channelSet struct {
	mu  sync.RWMutex
	set map[string]bool
}

func (s *channelSet) add(channel string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.set == nil {
		s.set = map[string]bool{}
	}
	s.set[channel] = true
}

func (s *channelSet) has(channel string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.set[channel]
}

// Commit describes a committed turn, for OnCommit listeners.
type Commit struct {
	Channel        string   // the conversation's channel
	ConversationID string   // "" for an agent action on a ticket without a conversation
	Tickets        []string // tickets the turn may have created or changed
	Customer       bool     // the turn carried a customer message
	State          string   // the conversation's state after the turn
	LastSeq        int64    // the seq of the last message the turn appended; 0: none
}

// New returns an engine. It fails when the flow definition is inconsistent
// or a text the flow needs is missing.
func New(o Options) (*Engine, error) {
	if o.Policy == nil || o.Store == nil {
		return nil, errors.New("dialog: policy and store are required")
	}
	flow, err := NewFlow()
	if err != nil {
		return nil, err
	}
	e := &Engine{store: o.Store, now: o.Now, log: o.Logger, flow: flow,
		live: new(atomic.Pointer[Engine]), hooks: new(hooks), together: new(channelSet), byEmail: new(channelSet)}
	if e.now == nil {
		e.now = time.Now
	}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	e.setRules(o)
	e.live.Store(e)
	return e, nil
}

// Reload puts o's rules (Policy, Knowledge, Texts, ComplaintOwner, as New
// takes them) in force for the turns that begin from now on; a turn under
// way ends with the rules it began with. o's Store, Now and Logger are not
// used: the engine keeps its own. The policy must be validated already.
func (e *Engine) Reload(o Options) error {
	if o.Policy == nil {
		return errors.New("dialog: reload: a policy is required")
	}
	next := *e.current()
	next.setRules(o)
	e.live.Store(&next)
	return nil
}

// setRules sets the rules from o and what the engine derives from them.
func (e *Engine) setRules(o Options) {
	e.pol, e.kb, e.texts = o.Policy, o.Knowledge, o.Texts
	if e.texts == nil {
		e.texts = DefaultTexts()
	}
	if e.kb == nil {
		e.kb = noKnowledge{}
	}
	e.owner = Owner{Agent: agentID(o.ComplaintOwner.Agent), Name: o.ComplaintOwner.Name}
	e.catalog = extract.NewCatalog(o.Policy.Models())
	e.consumables = map[string][]string{}
	for _, m := range o.Policy.Models() {
		pr, _ := o.Policy.Product(m)
		e.consumables[m] = consumableCues(pr)
	}
}

// current returns the generation of rules in force.
func (e *Engine) current() *Engine { return e.live.Load() }

// Policy returns the policy in force: the one given to New, or to the
// latest Reload.
func (e *Engine) Policy() *policy.Policy { return e.current().pol }

// ComplaintOwner returns the complaint owner in force (New's or the latest
// Reload's).
func (e *Engine) ComplaintOwner() Owner { return e.current().owner }

// OnOutbound registers fn to be called after every commit that queued
// messages for a customer (bot replies, agent replies, timer notices), with
// the conversation's channel and id, so that the channel can deliver them at
// once. fn must not block. Channels register before the engine serves.
func (e *Engine) OnOutbound(fn func(channel, conversationID string)) {
	e.hooks.mu.Lock()
	defer e.hooks.mu.Unlock()
	e.hooks.notify = append(e.hooks.notify, fn)
}

// AskTogether makes the forms of conversations on channel ask the questions
// they can in one numbered message, and read a reply that answers them by
// number ("1. 88812345678", "2. no"): on email a customer writes once, not
// once per question. Replies without numbers are read as on any channel.
// Channels call it before the engine serves.
func (e *Engine) AskTogether(channel string) { e.together.add(channel) }

func (e *Engine) asksTogether(channel string) bool { return e.together.has(channel) }

// ReachByEmail tells the engine that the replies of a conversation on
// channel reach its customer by email once they have left (the email
// channel sends them): when a person takes such a conversation over and
// no address is known, the bot invites the customer to type one, and an
// address typed on its own is noted (on the conversation and its ticket)
// and acknowledged. The email channel calls it before the engine serves.
func (e *Engine) ReachByEmail(channel string) { e.byEmail.add(channel) }

func (e *Engine) reachesByEmail(channel string) bool { return e.byEmail.has(channel) }

// OnCommit registers fn to be called after every committed turn: a customer
// message, an agent action, a timer. The agent desk uses it to post new
// escalations and relay customer messages at once; what it posts must be
// derived from the store, which holds the truth. fn must not block.
func (e *Engine) OnCommit(fn func(Commit)) {
	e.hooks.mu.Lock()
	defer e.hooks.mu.Unlock()
	e.hooks.commits = append(e.hooks.commits, fn)
}

func (e *Engine) committed(t *turn) {
	e.hooks.mu.RLock()
	defer e.hooks.mu.RUnlock()
	if len(e.hooks.commits) == 0 {
		return
	}
	cm := Commit{Channel: t.c.Channel, ConversationID: t.c.ID, Tickets: t.touched, Customer: len(t.in) > 0, State: t.c.State}
	if n := len(t.out); n > 0 {
		cm.LastSeq = t.out[n-1].Seq
	} else if n := len(t.in); n > 0 {
		cm.LastSeq = t.in[n-1].Seq
	}
	for _, fn := range e.hooks.commits {
		fn(cm)
	}
}

func (e *Engine) outbound(channel, conversationID string) {
	e.hooks.mu.RLock()
	defer e.hooks.mu.RUnlock()
	for _, fn := range e.hooks.notify {
		fn(channel, conversationID)
	}
}

type noKnowledge struct{}

func (noKnowledge) Answer(string, string) (string, bool)                    { return "", false }
func (noKnowledge) Troubleshooting(string, string, string, string) []string { return nil }

// Flow returns the engine's flow definition.
func (e *Engine) Flow() *Flow { return e.flow }

// Inbound is a customer message from a channel.
type Inbound struct {
	Channel string // "webchat", "email", "cli"
	User    string // the customer's id on the channel: visitor id, email address
	// ConversationID continues a known conversation (a resume token's, an
	// email thread's); empty: the user's latest conversation on the
	// channel, or a new one.
	ConversationID string
	ID             string // the channel's message id: the same id twice is processed once
	Text           string // what the engine reads: typed text, or a quick reply's value
	Display        string // what the history shows when it differs from Text (a quick reply's label)
	Attachments    []Attachment
	// TooLarge names the attachments the channel could not take, over its
	// size limit SizeLimit (bytes): the customer is told to send them smaller.
	TooLarge  []string
	SizeLimit int64
	Lang      string // a hint ("zh", "en") for a new conversation; detected otherwise
	// Kind is the journey to start when a message outside any journey asks
	// for none (mail to complaints@ is a complaint); empty: understood from
	// the text.
	Kind     ticketing.Kind
	Customer ticketing.Customer // what the channel knows of the customer (an email address)
	At       time.Time          // zero: now
	// Live says the channel delivers the turn's replies itself as soon as
	// Handle returns them (a web chat socket that is open): they are
	// stored delivered, with no outbox entry to mark later. If the customer
	// is gone by then, the history still has them.
	Live bool
	// Subject is the title the message came with (an email's subject,
	// without "Re:" and ticket tags). The first one given becomes the
	// conversation's Subject, the subject of the tickets it files; the
	// engine reads only Text (the channel puts in it what of the subject
	// it must read).
	Subject string
	// Participant says User is not the customer of ConversationID but
	// someone the customer brought into the case (an address the customer
	// copied on the email thread), as the channel vouches. The message
	// joins that conversation from the customer's side, headed with who
	// wrote it (Customer.Name, User), and goes on its ticket as a note for
	// the agents (a conversation without one gets a consultation ticket for
	// it, so that a person reads it, unless it only thanks or acknowledges:
	// then it is only in the history); the bot does not read it and answers
	// nothing, and it
	// changes nothing of the customer's (their address, name, language).
	// Handle fails with ErrNotFound when there is no such conversation.
	Participant bool
	// Greeted is when the channel showed the greeting of Greet's fresh
	// conversation ConversationID, of which nothing is stored yet (zero:
	// none was shown). If it is still not stored, the conversation is
	// created with that id and the same greeting, as of Greeted, comes
	// first in its history; if the user has a conversation by now (another
	// tab stored one), that one is continued instead.
	Greeted time.Time
	// NewUser says the channel has just made up User (a web chat visitor
	// without a resume token): nothing can be stored for it, so Greet need
	// not look.
	NewUser bool
}

// Attachment is a file the customer sent (a photo of the invoice), stored by
// the channel.
type Attachment struct {
	Ref  string `json:"ref"` // where the channel stored it
	Name string `json:"name"`
	Type string `json:"type"` // MIME type sniffed from the content
}

// Result is what a turn produced.
type Result struct {
	ConversationID string
	// Fresh says the conversation is not stored (Greet): Replies is its
	// greeting, numbered as it will be stored, and Handle with Greeted
	// stores it.
	Fresh   bool
	Lang    string    // the conversation's language, from Greet
	Replies []Message // committed to the outbox, in order
	// Messages is every message the turn appended, in order: the
	// customer's, then the replies.
	Messages  []Message
	State     string // the conversation's state after the turn
	Duplicate bool   // the inbound id was processed before: nothing was done
	// Tickets are tickets the turn created or updated, as it left them:
	// what a channel shows of them without reading them back. A ticket
	// the turn changed otherwise (a note, an event) is only in the store.
	Tickets []*ticketing.Ticket
}

// took fills the result of a committed turn.
func (r *Result) took(t *turn) {
	r.Replies, r.State, r.Tickets = t.out, t.c.State, t.wrote
	r.Messages = append(append(make([]Message, 0, len(t.in)+len(t.out)), t.in...), t.out...)
}

// maxRetries bounds the retries of a turn that lost a compare-and-swap.
const maxRetries = 8

// Handle runs one customer turn: the conversation is found or started, the
// message understood, the flow advanced, and the new state, ticket changes
// and replies committed together. The replies are also in the store's
// outbox for the channel to deliver.
func (e *Engine) Handle(ctx context.Context, in Inbound) (*Result, error) {
	if strings.TrimSpace(in.Channel) == "" || strings.TrimSpace(in.User) == "" {
		return nil, errors.New("dialog: inbound message needs a channel and a user")
	}
	if len(in.Text) > maxText {
		// The engine reads the first maxText bytes, cut between characters;
		// the history keeps the whole message (a long mail).
		if in.Display == "" {
			in.Display = in.Text
		}
		cut := maxText
		for cut > 0 && !utf8.RuneStart(in.Text[cut]) {
			cut--
		}
		in.Text = in.Text[:cut]
	}
	at := in.At
	if at.IsZero() {
		at = e.now()
	}
	var res *Result
	err := e.run(ctx, func(tx Tx) (*turn, error) {
		c, err := e.conversationFor(ctx, tx, in, at)
		if err != nil {
			return nil, err
		}
		if seen, err := tx.Seen(ctx, c.ID, in.ID); err != nil {
			return nil, err
		} else if seen {
			res = &Result{ConversationID: c.ID, Duplicate: true}
			return nil, nil
		}
		t := e.newTurn(ctx, tx, c, at)
		t.live = in.Live
		if !in.Greeted.IsZero() && c.Rev == 0 && c.ID == in.ConversationID {
			// The greeting the customer saw goes first in the history,
			// not again to the customer.
			g := e.newTurn(ctx, tx, c, in.Greeted)
			g.greet()
			t.shown = g.out
		}
		if in.Participant {
			t.participantSays(in)
		} else {
			t.customerSays(in)
		}
		res = &Result{ConversationID: c.ID}
		return t, nil
	}, func(t *turn) { res.took(t) })
	if err != nil {
		return nil, err
	}
	return res, nil
}

// Record appends an internal entry of the gateway (FromSystem) to a
// conversation's history, for the agents: the customer never receives it,
// the bot does not read it, and the conversation's state is left as it is.
// clientID makes it once only (a retry after a crash appends nothing); at
// zero is now. Errors: ErrNotFound for an unknown conversation.
func (e *Engine) Record(ctx context.Context, conversationID, clientID, text string, at time.Time) error {
	if strings.TrimSpace(clientID) == "" || strings.TrimSpace(text) == "" {
		return errors.New("dialog: a recorded entry needs an id and a text")
	}
	if at.IsZero() {
		at = e.now()
	}
	return e.store.Turn(ctx, func(tx Tx) error {
		c, err := tx.Load(ctx, conversationID)
		if err != nil {
			return err
		}
		if seen, err := tx.Seen(ctx, c.ID, clientID); err != nil || seen {
			return err
		}
		m := Message{ConversationID: c.ID, Dir: In, From: FromSystem, Channel: c.Channel, User: c.User,
			Text: text, ClientID: clientID, TicketID: c.TicketID, At: at}
		return tx.Append(ctx, &m)
	})
}

// maxText bounds the text the engine reads from one message.
const maxText = 8000

// run runs step in a store transaction and commits the turn it returns,
// retrying on a compare-and-swap conflict. done is called with the committed
// turn.
func (e *Engine) run(ctx context.Context, step func(Tx) (*turn, error), done func(*turn)) error {
	for attempt := 0; ; attempt++ {
		var committed *turn
		err := e.store.Turn(ctx, func(tx Tx) error {
			t, err := step(tx)
			if err != nil || t == nil {
				return err
			}
			if err := t.commit(); err != nil {
				return err
			}
			committed = t
			return nil
		})
		if errors.Is(err, ErrConflict) && attempt < maxRetries {
			continue
		}
		if err != nil {
			return err
		}
		if committed != nil {
			if done != nil {
				done(committed)
			}
			if len(committed.out) > 0 {
				e.outbound(committed.c.Channel, committed.c.ID)
			}
			e.committed(committed)
		}
		return nil
	}
}

func (e *Engine) conversationFor(ctx context.Context, tx Tx, in Inbound, at time.Time) (*Conversation, error) {
	if in.Participant {
		return tx.Load(ctx, in.ConversationID) // the channel vouches for the sender
	}
	if in.ConversationID != "" {
		c, err := tx.Load(ctx, in.ConversationID)
		if err == nil && (c.Channel == in.Channel && c.User == in.User || continuedBy(c, in)) {
			return c, nil
		}
		if err != nil && !errors.Is(err, ErrNotFound) {
			return nil, err
		}
		if err != nil && !in.Greeted.IsZero() {
			// Greeted and not stored: the user's conversation if another
			// tab stored one meanwhile, else this one, greeted as Greet did.
			c, err := tx.Find(ctx, in.Channel, in.User)
			if err == nil || !errors.Is(err, ErrNotFound) {
				return c, err
			}
			c = e.newConversation(in, in.Greeted, "")
			c.ID = in.ConversationID
			return c, nil
		}
		// Another user's or an unknown conversation: start a fresh one.
	} else {
		c, err := tx.Find(ctx, in.Channel, in.User)
		if err == nil {
			return c, nil
		}
		if !errors.Is(err, ErrNotFound) {
			return nil, err
		}
	}
	return e.newConversation(in, at, in.Text), nil
}

// newConversation returns a new conversation of in's user, in in.Lang or
// else the language of text (Chinese when it tells none).
func (e *Engine) newConversation(in Inbound, at time.Time, text string) *Conversation {
	lang := in.Lang
	if lang != "zh" && lang != "en" {
		lang = detectLang(text)
	}
	if lang == "" {
		lang = "zh"
	}
	cust := in.Customer
	cust.Lang = lang
	return &Conversation{
		ID: newID(), Channel: in.Channel, User: in.User, Customer: cust, Lang: lang,
		Flow: e.flow.Version(), State: Idle, Slots: map[string]Slot{}, Created: at, Updated: at,
	}
}

// continuedBy reports whether in continues c on another channel: a reply
// by email from the address the customer gave in a chat.
func continuedBy(c *Conversation, in Inbound) bool {
	return c.Channel != in.Channel && c.Customer.Email != "" && strings.EqualFold(c.Customer.Email, in.User)
}

// Start opens and stores a conversation without a customer message (the
// command line's chat, a web chat upload before any socket) and greets the
// customer. It returns the existing conversation unchanged when one is
// given and belongs to the user. Greet greets without storing.
func (e *Engine) Start(ctx context.Context, in Inbound) (*Result, error) {
	at := in.At
	if at.IsZero() {
		at = e.now()
	}
	var res *Result
	err := e.run(ctx, func(tx Tx) (*turn, error) {
		c, err := e.conversationFor(ctx, tx, in, at)
		if err != nil {
			return nil, err
		}
		res = &Result{ConversationID: c.ID}
		if c.Rev > 0 {
			return nil, nil
		}
		t := e.newTurn(ctx, tx, c, at)
		t.live = in.Live
		t.greet()
		return t, nil
	}, func(t *turn) { res.took(t) })
	return res, err
}

// Greet is Start for a channel that shows the greeting before anything is
// stored (a web chat visitor who opens the widget and may write nothing):
// for a user with a conversation it returns its id, as Start does;
// otherwise it stores nothing and returns a new conversation id with Fresh
// set and the greeting in Replies, numbered as it will be stored by the
// first Handle with that id and Greeted (the greeting's time).
func (e *Engine) Greet(ctx context.Context, in Inbound) (*Result, error) {
	at := in.At
	if at.IsZero() {
		at = e.now()
	}
	if in.NewUser {
		return e.greeting(ctx, e.newConversation(in, at, in.Text), at), nil
	}
	var res *Result
	err := e.store.Turn(ctx, func(tx Tx) error {
		c, err := e.conversationFor(ctx, tx, in, at)
		if err != nil {
			return err
		}
		if c.Rev > 0 {
			res = &Result{ConversationID: c.ID, Lang: c.Lang}
		} else {
			res = e.greeting(ctx, c, at)
		}
		return nil
	})
	return res, err
}

// greeting returns the greeting of new conversation c as of at, numbered as
// it will be stored, without storing anything.
func (e *Engine) greeting(ctx context.Context, c *Conversation, at time.Time) *Result {
	t := e.newTurn(ctx, nil, c, at)
	t.greet()
	for i := range t.out {
		t.out[i].Seq = int64(i + 1)
	}
	return &Result{ConversationID: c.ID, Fresh: true, Lang: c.Lang, Replies: t.out, State: c.State}
}

// Tick fires every timer due at now (quote expiry, reminders) through the
// same turn path as customer messages. It returns how many conversations it
// advanced.
func (e *Engine) Tick(ctx context.Context, now time.Time) (int, error) {
	ids, err := e.store.Due(ctx, now, 100)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		fired := false
		err := e.run(ctx, func(tx Tx) (*turn, error) {
			c, err := tx.Load(ctx, id)
			if err != nil {
				return nil, err
			}
			t := e.newTurn(ctx, tx, c, now)
			fired = t.fireTimers()
			if !fired {
				return nil, nil
			}
			return t, nil
		}, nil)
		if err != nil {
			return n, fmt.Errorf("conversation %s: %w", id, err)
		}
		if fired {
			n++
		}
	}
	return n, nil
}

// Run fires due timers every interval until ctx ends.
func (e *Engine) Run(ctx context.Context, interval time.Duration) error {
	tk := time.NewTicker(interval)
	defer tk.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tk.C:
			if _, err := e.Tick(ctx, e.now()); err != nil && ctx.Err() == nil {
				e.log.Error("timers", "err", err)
			}
		}
	}
}

// newID returns a new conversation id: a UUIDv7 (a millisecond timestamp, a
// 12-bit sequence, then 62 random bits from crypto/rand), so that ids sort
// by creation time. The
// conversations in progress then have neighbouring keys, and a store whose
// index is ordered by id (SQLite's conversations and messages) writes the
// turns of a moment into the same few pages instead of one page per
// conversation scattered over the whole file (-19% CPU per persisted turn,
// go test -bench TurnParallel -cpu 1 ./dialog).
func newID() string {
	id := uuid.Must(uuid.NewV7()) // its only error is crypto/rand's, which never returns one
	return "c_" + hex.EncodeToString(id[:])
}
