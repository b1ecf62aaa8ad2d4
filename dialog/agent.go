package dialog

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/supportd/supportd/policy"
	"github.com/supportd/supportd/ticketing"
)

// ActionKind is what an agent does to a ticket.
type ActionKind string

// The agent actions.
const (
	ActClaim    ActionKind = "claim"    // take ownership; the first claim wins
	ActReply    ActionKind = "reply"    // write to the customer
	ActQuote    ActionKind = "quote"    // send the price of a paid repair
	ActResolve  ActionKind = "resolve"  // the case is done; the customer is asked to rate it
	ActHandback ActionKind = "handback" // the bot takes the conversation back
	ActNote     ActionKind = "note"     // an internal note; the customer sees nothing
	ActRelease  ActionKind = "release"  // the assignee gives the ticket up: unassigned, anyone may claim it
	ActWithdraw ActionKind = "withdraw" // take back a quote the customer has not answered; a new one may follow
)

// Action is an agent's action, from Slack or the command line.
type Action struct {
	Kind     ActionKind
	TicketID string
	Agent    string       // who, uniquely: an email, a Slack user id, a name
	Name     string       // the name the customer sees; "" is Agent
	Channel  string       // where the agent acted: "slack", "cli"
	Text     string       // reply text, quote note, internal note, why a quote is withdrawn
	Amount   policy.Money // the quote
	At       time.Time    // zero: now
}

// Errors of Act, for errors.Is and errors.As.
var (
	ErrNoConversation = errors.New("the ticket has no conversation")
	ErrBadAction      = errors.New("invalid agent action")
)

// ClaimedError is returned when a ticket another agent owns is claimed, or
// acted on by someone else.
type ClaimedError struct{ By string }

func (e *ClaimedError) Error() string { return "already claimed by " + e.By }

// ActResult is what an action did.
type ActResult struct {
	Ticket  *ticketing.Ticket
	Replies []Message // messages queued for the customer
	// Rating: Resolve asked the customer to rate the service. It does not
	// when the customer is in the middle of something else with the bot
	// (they are told the ticket is resolved, and not asked), nor when the
	// ticket has no conversation (no Replies: the customer is told nothing).
	Rating bool
}

// Act applies an agent action to a ticket and its conversation in one
// transaction. A claim on a ticket someone else holds fails with
// *ClaimedError naming the owner; claiming your own ticket again is not an
// error; claiming a finished one (resolved, closed, cancelled) is
// ErrBadAction.
func (e *Engine) Act(ctx context.Context, a Action) (*ActResult, error) {
	if err := a.validate(); err != nil {
		return nil, err
	}
	a.Agent = agentID(a.Agent)
	at := a.At
	if at.IsZero() {
		at = e.now()
	}
	res := &ActResult{}
	rated := false
	err := e.run(ctx, func(tx Tx) (*turn, error) {
		tk, err := tx.Tickets().Get(ctx, a.TicketID)
		if err != nil {
			return nil, err
		}
		if a.Kind == ActClaim && finished(tk.Status) {
			return nil, fmt.Errorf("%w: %s is %s: a finished ticket is not claimed (a reply to the customer reopens it)", ErrBadAction, tk.ID, tk.Status)
		}
		if tk.Assignee != "" && tk.Assignee != a.Agent && a.Kind != ActNote {
			return nil, &ClaimedError{By: tk.Assignee}
		}
		var c *Conversation
		if tk.ConversationID != "" {
			if c, err = tx.Load(ctx, tk.ConversationID); err != nil && !errors.Is(err, ErrNotFound) {
				return nil, err
			}
		}
		if c == nil {
			if a.Kind == ActReply || a.Kind == ActQuote || a.Kind == ActHandback {
				return nil, fmt.Errorf("%w: %s", ErrNoConversation, tk.ID)
			}
			c = &Conversation{ID: "", State: Idle, Slots: map[string]Slot{}}
		}
		t := e.newTurn(ctx, tx, c, at)
		rated = t.agent(a, tk)
		if t.err != nil {
			return nil, t.err
		}
		if c.ID == "" {
			// A ticket without a conversation: commit the ticket changes only.
			res.Ticket, err = tx.Tickets().Get(ctx, a.TicketID)
			return nil, err
		}
		return t, nil
	}, func(t *turn) { res.Replies = t.out })
	if err != nil {
		return nil, err
	}
	res.Rating = rated
	if res.Ticket == nil {
		res.Ticket, err = e.store.Get(ctx, a.TicketID)
	}
	return res, err
}

// Addressee returns the language and the name (when known) the customer
// of ticket tk is addressed in: the conversation's c (nil: none), else the
// ticket's.
func Addressee(tk *ticketing.Ticket, c *Conversation) (lang, name string) {
	lang, name = tk.Customer.Lang, tk.Customer.Name
	if c != nil {
		lang, name = cmp.Or(c.Lang, lang), cmp.Or(c.Customer.Name, name)
	}
	return lang, name
}

// agentID is the form of an agent's identity that tickets record: an email
// address in lower case (Frank@Example.com and frank@example.com are one
// person, as the Slack desk reads their account's email), anything else as
// given.
func agentID(agent string) string {
	agent = strings.TrimSpace(agent)
	if strings.Contains(agent, "@") {
		return strings.ToLower(agent)
	}
	return agent
}

// shown is the agent's name as the customer sees it.
func (a Action) shown() string {
	if strings.TrimSpace(a.Name) != "" {
		return a.Name
	}
	return a.Agent
}

func (a Action) validate() error {
	switch {
	case a.TicketID == "":
		return fmt.Errorf("%w: a ticket id is required", ErrBadAction)
	case strings.TrimSpace(a.Agent) == "":
		return fmt.Errorf("%w: the agent is required", ErrBadAction)
	}
	switch a.Kind {
	case ActClaim, ActResolve, ActHandback, ActRelease, ActWithdraw:
	case ActReply, ActNote:
		if strings.TrimSpace(a.Text) == "" {
			return fmt.Errorf("%w: %s needs a text", ErrBadAction, a.Kind)
		}
	case ActQuote:
		if a.Amount <= 0 {
			return fmt.Errorf("%w: a quote needs a positive amount", ErrBadAction)
		}
	default:
		return fmt.Errorf("%w: unknown action %q", ErrBadAction, a.Kind)
	}
	return nil
}

// ErrNoFinding: a quote on a repair the customer was told is free needs what
// the inspection found, in its note.
var ErrNoFinding = errors.New("a quote needs what the inspection found in its note")

// TakesQuote says why ticket tk takes no quote at all (nil when it does):
// only repairs and paid installations are quoted, and not once the ticket is
// done (resolved, closed, cancelled) or its quote was accepted. The errors
// wrap ErrBadAction and give amounts in currency (the policy's).
func TakesQuote(tk *ticketing.Ticket, currency string) error {
	switch {
	case tk.Status == ticketing.StatusResolved || tk.Status == ticketing.StatusClosed || tk.Status == ticketing.StatusCancelled:
		return fmt.Errorf("%w: %s is %s: a finished ticket takes no quote", ErrBadAction, tk.ID, tk.Status)
	case tk.Quote != nil && tk.Quote.Status == ticketing.QuoteAccepted:
		return fmt.Errorf("%w: the customer accepted the quote of %s %s for %s already: it cannot be changed", ErrBadAction, tk.Quote.Amount, currency, tk.ID)
	case tk.Kind == ticketing.KindRepair, tk.Kind == ticketing.KindInstallation && tk.Details["installation"] == "paid":
		return nil
	}
	return fmt.Errorf("%w: a %s ticket takes no quote (quotes are for repairs out of warranty and paid installations)", ErrBadAction, tk.Kind)
}

// Quotable says why ticket tk takes no quote a (nil when it does): as
// TakesQuote, and a repair the customer was told is free only with what the
// inspection found (the note), which the customer is told.
func Quotable(tk *ticketing.Ticket, a Action, currency string) error {
	if err := TakesQuote(tk, currency); err != nil {
		return err
	}
	if tk.Kind == ticketing.KindRepair && tk.Warranty != nil && tk.Warranty.Covered && strings.TrimSpace(a.Text) == "" {
		return fmt.Errorf("%w: %s is in warranty (free): %w", ErrBadAction, tk.ID, ErrNoFinding)
	}
	return nil
}

// agent applies one action inside a turn. It reports whether the customer
// was asked to rate the service (Resolve).
func (t *turn) agent(a Action, tk *ticketing.Ticket) (rated bool) {
	actor := "agent:" + a.Agent
	t.via = a.Channel
	by := ticketing.By{Actor: actor, Channel: a.Channel, At: t.now}
	c := t.c
	t.touch(tk.ID)
	switch a.Kind {
	case ActNote:
		t.fail(t.tx.Tickets().AddNote(t.ctx, tk.ID, by, a.Text))
	case ActClaim:
		t.claim(tk, a, actor)
	case ActReply:
		if tk.Status == ticketing.StatusResolved || tk.Status == ticketing.StatusClosed {
			// Writing to the customer about a finished ticket works on it
			// again: it is reopened, and no rating is waited for.
			t.advance(tk.ID, ticketing.StatusReopened, actor, "reopened: the agent wrote to the customer after it was done")
			t.dropTimer("rating_expiry", tk.ID)
			if t.ratingFor(tk.ID) {
				t.leaveRating()
			}
		}
		t.claim(tk, a, actor)
		t.advanceIf(tk.ID, actor, "agent replied", ticketing.StatusInProgress)
		t.fail(t.tx.Tickets().AddNote(t.ctx, tk.ID, by, "agent reply: "+a.Text))
		if c.Handoff == nil && c.State != RepairQuote {
			// Never bot and person at once: the reply takes the
			// conversation from the bot, silent until hand back (a form
			// in progress resumes then). A quote waiting for the
			// customer's answer stays with the bot, which reads it.
			t.takeOver(tk.ID, a.Agent)
			t.fail(t.tx.Tickets().AddNote(t.ctx, tk.ID, by, "the agent took the conversation from the bot"))
		}
		if c.Handoff != nil {
			c.Handoff.Unanswered = ""
		}
		m := t.message(FromAgent, a.Text, nil)
		m.Agent, m.TicketID = a.shown(), tk.ID
		t.out = append(t.out, m)
	case ActQuote:
		if err := Quotable(tk, a, t.e.pol.Currency); err != nil {
			t.fail(err)
			return
		}
		t.claim(tk, a, actor)
		if tk.Warranty != nil && tk.Warranty.Covered {
			// The inspection found what the warranty excludes (water
			// damage): the repair the customer was told is free is not.
			t.updateTicket(tk.ID, actor, "not covered after inspection: "+a.Text, func(x *ticketing.Ticket) error {
				x.Warranty.Covered, x.Warranty.Reason = false, "inspection"
				return nil
			})
			t.say("quote.not_covered", "ticket", tk.ID, "finding", a.Text)
		}
		expires := t.now.AddDate(0, 0, t.e.pol.Warranty.QuoteValidDays)
		t.updateTicket(tk.ID, actor, "quote sent", func(x *ticketing.Ticket) error {
			x.Quote = &ticketing.Quote{Amount: a.Amount, Note: a.Text, Status: ticketing.QuotePending, ExpiresAt: ptrTime(expires.UTC())}
			return nil
		})
		t.advance(tk.ID, ticketing.StatusWaitingCustomer, actor, "waiting for the customer's answer to the quote")
		t.dropTimer("quote_expiry", tk.ID)
		c.Timers = append(c.Timers, Timer{Kind: "quote_expiry", TicketID: tk.ID, At: expires})
		if c.State == HandedOff || c.State == Idle {
			c.Handoff = nil
			c.dropPending(slotFaultSince) // the quote is the question now
			t.fire(evQuote)
		}
		c.TicketID = tk.ID
		t.askQuote()
	case ActResolve:
		if finished(tk.Status) {
			return // resolved already (a second press): nothing is said again
		}
		if tk.Quote != nil && tk.Quote.Status == ticketing.QuotePending {
			t.fail(fmt.Errorf("%w: the quote of %s waits for the customer's answer: resolve it once accepted (a declined or expired quote closes it)", ErrBadAction, tk.ID))
			return
		}
		t.claim(tk, a, actor)
		t.advance(tk.ID, ticketing.StatusResolved, actor, a.Text)
		var parts policy.Date
		if tk.Kind == ticketing.KindRepair {
			// Replaced parts carry their own warranty from the repair (§3.3.5).
			parts = t.e.pol.PartsWarrantyEnds(t.today)
			t.updateTicket(tk.ID, actor, "replaced parts warranty", func(x *ticketing.Ticket) error {
				if x.Details == nil {
					x.Details = map[string]string{}
				}
				x.Details["parts_warranty_ends"] = parts.String()
				return nil
			})
		}
		if c.ID == "" {
			return
		}
		// Not rated in time, the ticket is closed without a rating.
		t.dropTimer("rating_expiry", tk.ID)
		c.Timers = append(c.Timers, Timer{Kind: "rating_expiry", TicketID: tk.ID, At: t.now.AddDate(0, 0, t.e.pol.Feedback.RatingDays)})
		t.say("resolved", "ticket", tk.ID)
		switch {
		case parts.IsZero():
		case tk.Warranty != nil && tk.Warranty.Covered && tk.Warranty.Ends.After(parts):
			// The product's own warranty outlasts the parts': telling the
			// shorter one would read as the warranty cut short.
			t.say("resolved.warranty_left", "ends", t.dateText(tk.Warranty.Ends))
		default:
			t.say("resolved.parts", "days", strconv.Itoa(t.e.pol.Warranty.ReplacedPartsDays), "ends", t.dateText(parts))
		}
		switch c.State {
		case HandedOff, Idle, RepairQuote:
			c.Handoff = nil
			t.fire(evResolved)
			t.clearJourney()
			t.set(slotRateTicket, tk.ID, "")
			t.askRating()
			rated = true
		}
	case ActHandback:
		if c.State != HandedOff {
			t.fail(fmt.Errorf("%w: the conversation of %s is not with an agent", ErrBadAction, tk.ID))
			return
		}
		resume := Idle
		if c.Handoff != nil {
			resume = c.Handoff.Resume
		}
		t.keepUnanswered()
		c.Handoff = nil
		t.fire(evHandback)
		t.fail(t.tx.Tickets().AddNote(t.ctx, tk.ID, by, "handed back to the bot"))
		if tk.Kind == ticketing.KindConsultation && !finished(tk.Status) {
			// A consultation is the conversation with a person: handed
			// back, it is done (Resolve asks for a rating instead). Other
			// tickets have work left and stay with their owner.
			t.advance(tk.ID, ticketing.StatusClosed, actor, "answered: handed back to the bot")
		}
		t.say("handback")
		if journey(resume) != "" && t.e.flow.Has(resume) && len(c.Slots) > 0 {
			c.State = resume // the form resumes where it was
		} else {
			t.clearJourney()
		}
		if !t.answerUnanswered() {
			t.reprompt()
		}
	case ActRelease:
		t.release(tk, a, actor)
	case ActWithdraw:
		t.withdraw(tk, a, actor)
	}
	return rated
}

// withdraw takes back the quote that waits for the customer's answer (a
// wrong price, a part found cheaper): the customer is told it no longer
// holds and that a new one may follow, and their later "yes" is no consent.
// The ticket is worked on again, its deadlines running, and a conversation
// that waited for the answer goes to the agent, who sends the new quote or
// hands it back.
func (t *turn) withdraw(tk *ticketing.Ticket, a Action, actor string) {
	if tk.Quote == nil || tk.Quote.Status != ticketing.QuotePending {
		t.fail(fmt.Errorf("%w: %s has no quote waiting for the customer's answer: there is nothing to withdraw", ErrBadAction, tk.ID))
		return
	}
	t.claim(tk, a, actor)
	note := "quote withdrawn"
	if s := strings.TrimSpace(a.Text); s != "" {
		note += ": " + s
	}
	t.updateTicket(tk.ID, actor, note, func(x *ticketing.Ticket) error {
		x.Quote.Status = ticketing.QuoteWithdrawn
		return nil
	})
	if tk.Status == ticketing.StatusWaitingCustomer {
		t.advance(tk.ID, ticketing.StatusInProgress, actor, "the quote was withdrawn: a new one may follow")
	}
	t.dropTimer("quote_expiry", tk.ID)
	c := t.c
	if c.ID == "" {
		return
	}
	if c.State == RepairQuote && c.TicketID == tk.ID || c.State == Idle {
		t.takeOver(tk.ID, a.Agent)
		c.Handoff.Resume = Idle // not the withdrawn quote's question
	}
	t.say("quote.withdrawn", "ticket", tk.ID)
}

// unansweredWithin is how soon after a hand back the customer's next
// message is read together with what they wrote to the agent unanswered.
const unansweredWithin = 5 * time.Minute

// keepUnanswered keeps, as the conversation is handed back, what the
// customer wrote to the agent since the agent's last reply (often the first
// half of a sentence: "My fridge"), unless it only closes the exchange
// ("thanks"): the bot reads it with their next message (joinUnanswered), so
// that the rest of the sentence ("is making a loud noise") does not reach
// the bot alone.
func (t *turn) keepUnanswered() {
	h := t.c.Handoff
	if h == nil || h.Unanswered == "" || Closing(h.Unanswered) {
		return
	}
	t.c.Unanswered = &Said{Text: h.Unanswered, At: t.now}
}

// answerUnanswered reads what the customer wrote to the agent unanswered
// (keepUnanswered) as their answer to the form's open question, when it
// gives it ("2025年8月1日买的" to the agent's "when did you buy it?"): the
// form goes on from there, and the words are not read again with the next
// message. Words that do not answer it are kept for that (joinUnanswered);
// false then, and nothing is changed.
func (t *turn) answerUnanswered() bool {
	c, u := t.c, t.c.Unanswered
	switch {
	case u == nil || c.Asking == "":
		return false
	case !slices.Contains(formStates, c.State):
		return false
	}
	// Tried on a copy first: the slots the words give, unless the open one
	// is among them, stay untaken.
	was, out := c.Clone(), len(t.out)
	f := t.fill(journey(c.State), u.Text, nil)
	p := c.pending()
	answers := contains(f.changed, was.Asking) || f.pending && p != nil && p.Name == was.Asking
	noted := ""
	if contains(f.changed, was.Asking) {
		// Said back: the customer sees what the bot took of their words
		// to the agent.
		noted = t.notedItem(was.Asking)
	}
	*c, t.out, t.whichDay = *was, t.out[:out], nil
	if !answers {
		return false
	}
	c.Unanswered = nil
	if noted != "" {
		t.say("noted", "items", noted)
	}
	t.collect(u.Text, nil)
	return true
}

// unansweredMax bounds, in runes, what is kept of the customer's words
// since the agent's last reply: the end of it.
const unansweredMax = 500

// heard adds a customer message relayed to the agent to what they wrote
// since the agent's last reply.
func (h *Handoff) heard(text string) {
	if text = strings.TrimSpace(text); text == "" {
		return
	}
	s := strings.TrimSpace(h.Unanswered + " " + text)
	if r := []rune(s); len(r) > unansweredMax {
		s = string(r[len(r)-unansweredMax:])
	}
	h.Unanswered = s
}

// joinUnanswered returns the customer's message text read together with
// the words they left unanswered at a hand back just before (keepUnanswered),
// once: text as it is when there are none, when the hand back is more than
// unansweredWithin ago, when text is a button or a command, or when the
// bot asks something else by now (to rate the service, to accept a quote)
// or a person has the conversation again.
func (t *turn) joinUnanswered(text string) string {
	u := t.c.Unanswered
	t.c.Unanswered = nil
	asked := t.c.State != Idle && !slices.Contains(collecting, t.c.State)
	if u == nil || asked || t.now.Sub(u.At) > unansweredWithin || isControl(text) || commandOf(text) != cmdNone {
		return text
	}
	return u.Text + " " + text
}

// release gives the ticket up: no owner, so that anyone may claim it (the
// way to pass it to a colleague). An assigned ticket is open again; one
// worked on keeps its status and its deadlines run. A conversation with a
// person stays with the desk, waiting for the next claim.
func (t *turn) release(tk *ticketing.Ticket, a Action, actor string) {
	switch {
	case tk.Assignee == "":
		t.fail(fmt.Errorf("%w: %s is not claimed: there is nothing to release", ErrBadAction, tk.ID))
		return
	case finished(tk.Status):
		t.fail(fmt.Errorf("%w: %s is %s: there is nothing to release", ErrBadAction, tk.ID, tk.Status))
		return
	}
	note := "released by " + a.shown()
	if s := strings.TrimSpace(a.Text); s != "" {
		note += ": " + s
	}
	t.updateTicket(tk.ID, actor, note, func(x *ticketing.Ticket) error {
		x.Assignee = ""
		return nil
	})
	if tk.Status == ticketing.StatusAssigned {
		t.advance(tk.ID, ticketing.StatusOpen, actor, "released: unassigned")
	}
	if h := t.c.Handoff; h != nil && h.TicketID == tk.ID && h.Agent == a.Agent {
		h.Agent = ""
	}
}

// takeOver hands the conversation to the agent of ticket id: the bot is
// silent until hand back, which returns to the state it was in.
func (t *turn) takeOver(id, agent string) {
	resume := t.c.State
	t.fire(evEscalate)
	t.handoff(id, "agent")
	t.c.Handoff.Resume, t.c.Handoff.Agent = resume, agent
}

// finished reports whether a ticket needs no more work.
func finished(s ticketing.Status) bool {
	return s == ticketing.StatusResolved || s == ticketing.StatusClosed || s == ticketing.StatusCancelled
}

// claim makes the agent the ticket's owner (a no-op when they are already).
func (t *turn) claim(tk *ticketing.Ticket, a Action, actor string) {
	if tk.Assignee == a.Agent {
		return
	}
	t.updateTicket(tk.ID, actor, "claimed", func(x *ticketing.Ticket) error {
		x.Assignee = a.Agent
		return nil
	})
	t.advanceIf(tk.ID, actor, "claimed", ticketing.StatusAssigned)
	if t.c.Handoff != nil && t.c.Handoff.TicketID == tk.ID {
		t.c.Handoff.Agent = a.Agent
	}
}

// advanceIf moves the ticket forward to target only when it is behind it in
// the service flow (new, open → assigned → in_progress).
func (t *turn) advanceIf(id, actor, note string, target ticketing.Status) {
	tk, err := t.tx.Tickets().Get(t.ctx, id)
	if err != nil {
		t.fail(err)
		return
	}
	order := map[ticketing.Status]int{ticketing.StatusNew: 0, ticketing.StatusOpen: 1, ticketing.StatusReopened: 1,
		ticketing.StatusAssigned: 2, ticketing.StatusInProgress: 3, ticketing.StatusWaitingCustomer: 3}
	cur, ok := order[tk.Status]
	if !ok || cur >= order[target] {
		return
	}
	t.advance(id, target, actor, note)
}

func ptrTime(t time.Time) *time.Time { return &t }
