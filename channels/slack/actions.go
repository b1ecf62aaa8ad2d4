package slack

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/policy"
	"github.com/supportd/supportd/store/sqlite"
	"github.com/supportd/supportd/ticketing"
)

// place is where an agent acted: the channel, and the escalation's thread.
type place struct {
	Ticket  string `json:"t"`
	Channel string `json:"c"`
	Thread  string `json:"ts"`
}

// onInteraction handles a button press, the quote modal's submission or
// the Send to customer message shortcut.
func (d *Desk) onInteraction(ctx context.Context, j sqlite.SlackJob, cb slackapi.InteractionCallback) error {
	switch cb.Type {
	case slackapi.InteractionTypeBlockActions:
		if len(cb.ActionCallback.BlockActions) == 0 {
			return nil
		}
		a := cb.ActionCallback.BlockActions[0]
		at := place{Ticket: a.Value, Channel: cb.Channel.ID, Thread: cb.Container.MessageTs}
		if at.Thread == "" {
			at.Thread = cb.Message.Timestamp
		}
		return d.onButton(ctx, j, a.ActionID, cb.User.ID, cb.TriggerID, at)
	case slackapi.InteractionTypeMessageAction:
		if cb.CallbackID != sendCallback {
			return nil
		}
		return d.onSendShortcut(ctx, cb)
	case slackapi.InteractionTypeViewSubmission:
		if cb.View.CallbackID != quoteCallback {
			return nil
		}
		var at place
		if err := json.Unmarshal([]byte(cb.View.PrivateMetadata), &at); err != nil {
			return fmt.Errorf("%w: quote modal metadata: %v", errBadPayload, err)
		}
		amount, note, _ := quoteValues(cb, d.policy().Currency)
		return d.act(ctx, j.Key, cb.User.ID, at, dialog.Action{Kind: dialog.ActQuote, TicketID: at.Ticket, Text: note, Amount: amount})
	}
	return nil
}

// onButton handles the escalation message's buttons.
func (d *Desk) onButton(ctx context.Context, j sqlite.SlackJob, action, user, trigger string, at place) error {
	switch action {
	case actClaim:
		return d.act(ctx, j.Key, user, at, dialog.Action{Kind: dialog.ActClaim, TicketID: at.Ticket})
	case actResolve:
		return d.act(ctx, j.Key, user, at, dialog.Action{Kind: dialog.ActResolve, TicketID: at.Ticket, Text: "resolved in Slack"})
	case actHandback:
		return d.act(ctx, j.Key, user, at, dialog.Action{Kind: dialog.ActHandback, TicketID: at.Ticket})
	case actRelease:
		return d.act(ctx, j.Key, user, at, dialog.Action{Kind: dialog.ActRelease, TicketID: at.Ticket})
	case actWithdraw:
		return d.act(ctx, j.Key, user, at, dialog.Action{Kind: dialog.ActWithdraw, TicketID: at.Ticket, Text: "withdrawn in Slack"})
	case actQuote:
		me, tk, ok, err := d.actor(ctx, user, at)
		if err != nil || !ok {
			return err
		}
		if tk.Assignee != "" && tk.Assignee != me.ID {
			return d.tell(ctx, at, user, d.othersText(ctx, tk.ID, dialog.ActQuote, tk.Assignee))
		}
		if err := dialog.TakesQuote(tk, d.policy().Currency); err != nil {
			// The button of a message not updated yet: no form to fill in
			// for nothing.
			d.markTicket(tk.ID)
			return d.tell(ctx, at, user, "Not possible: "+esc(reasonOf(err))+".")
		}
		meta, _ := json.Marshal(at)
		if err := d.api.openView(ctx, trigger, quoteView(tk, d.policy().Currency, string(meta))); err != nil {
			// An expired trigger cannot be retried: say so rather than fail.
			return d.tell(ctx, at, user, "The quote form could not be opened ("+err.Error()+"): press Send quote again.")
		}
	default:
		return d.unknownButton(ctx, action, user, at)
	}
	return nil
}

// unknownButton answers a button the desk does not know (an older version
// of the message, whose button was renamed since): the agent is told that
// nothing was done, and the message is rendered again with today's buttons.
func (d *Desk) unknownButton(ctx context.Context, action, user string, at place) error {
	text := fmt.Sprintf("Nothing was done: this button (%s) is from an older version of the desk.", esc(clip(action, 40)))
	th, ok, err := d.db.SlackThread(ctx, at.Ticket)
	if err != nil {
		return err
	}
	if ok && th.Channel == at.Channel && th.TS == at.Thread {
		th.Rendered = "" // rendered again by the next sync
		if err := d.db.SlackSaveThread(ctx, th); err != nil {
			return err
		}
		d.markTicket(th.TicketID)
		text += fmt.Sprintf(" The message of %s is being updated with the current buttons: press the one you want again.", esc(th.TicketID))
	} else {
		text += " `/ticket` finds the ticket, and its escalation message has the current buttons."
	}
	return d.tell(ctx, at, user, text)
}

// actor returns who a Slack user is as an agent and the ticket acted on. It
// reports false, having told the user why, when they may not act.
func (d *Desk) actor(ctx context.Context, user string, at place) (who, *ticketing.Ticket, bool, error) {
	me, err := d.agent(ctx, user)
	if why := notAgent(err); why != "" {
		return who{}, nil, false, d.tell(ctx, at, user, sentence(why)+": nothing was done.")
	}
	if err != nil {
		return who{}, nil, false, err
	}
	tk, err := d.store.Get(ctx, at.Ticket)
	if errors.Is(err, ticketing.ErrNotFound) {
		return who{}, nil, false, d.tell(ctx, at, user, "No ticket "+esc(at.Ticket)+".")
	}
	if err != nil {
		return who{}, nil, false, err
	}
	return me, tk, true, nil
}

// act applies an agent action once per delivery key, tells the agent what
// went wrong, and posts what was done in the thread.
func (d *Desk) act(ctx context.Context, key, user string, at place, a dialog.Action) error {
	me, tk, ok, err := d.actor(ctx, user, at)
	if err != nil || !ok {
		return err
	}
	a.Agent, a.Name, a.Channel = me.ID, me.Name, "slack"
	if again, err := d.again(ctx, key, a, tk); err != nil || again != "" {
		if errors.Is(err, errDoubleClick) {
			return nil // the warning answered both
		}
		if err != nil {
			return err
		}
		return d.tell(ctx, at, user, again)
	}
	var res *dialog.ActResult // nil: done by an earlier delivery cut short
	err = d.once(ctx, "act:"+key, func() (bool, error) { return d.applied(ctx, a) }, func() error {
		var err error
		res, err = d.eng.Act(ctx, a)
		return refused(err)
	})
	var no *refusal
	var ce *dialog.ClaimedError
	switch {
	case errors.As(err, &ce):
		return d.tell(ctx, at, user, d.othersText(ctx, tk.ID, a.Kind, ce.By))
	case errors.As(err, &no):
		return d.tell(ctx, at, user, fmt.Sprintf("%s: %s was not done: %s", tk.ID, a.Kind, esc(reasonOf(no.err))))
	case err != nil:
		return err
	}
	d.markTicket(tk.ID)
	if at.Thread == "" {
		return nil
	}
	after, err := d.store.Get(ctx, tk.ID)
	if err != nil {
		return err
	}
	_, _, err = d.post(ctx, "did:"+key, at.Channel, at.Thread, d.didText(ctx, user, a, after, res), nil)
	return err
}

// again says why an action is done already (a double click): the agent
// claimed the ticket already, or it is resolved; "" otherwise. A delivery
// processed before (cut short) is not asked about: it finishes.
func (d *Desk) again(ctx context.Context, key string, a dialog.Action, tk *ticketing.Ticket) (string, error) {
	if _, seen, err := d.db.SlackPost(ctx, "act:"+key); err != nil || seen {
		return "", err
	}
	switch {
	case a.Kind == dialog.ActClaim && tk.Assignee == a.Agent:
		return fmt.Sprintf("You have %s already.", tk.ID), nil
	case a.Kind == dialog.ActResolve && closed(tk.Status):
		s := fmt.Sprintf("%s is %s already: nothing was done.", tk.ID, tk.Status)
		if q := tk.Quote; q != nil && (q.Status == ticketing.QuoteDeclined || q.Status == ticketing.QuoteExpired) {
			s += fmt.Sprintf(" The customer's quote of %s %s is %s, which closed it without work.", q.Amount, d.policy().Currency, q.Status)
		}
		return s, nil
	case a.Kind == dialog.ActResolve:
		// Only while a person has the conversation: with the bot, the
		// bot answered the customer.
		if conv, err := d.conversation(ctx, tk); err != nil || conv == nil || conv.Handoff == nil {
			return "", err
		}
		return d.unanswered(ctx, tk, a.Kind)
	case a.Kind == dialog.ActHandback:
		if s, err := d.handedBack(ctx, tk); err != nil || s != "" {
			return s, err
		}
		return d.unanswered(ctx, tk, a.Kind)
	case a.Kind == dialog.ActWithdraw && (tk.Quote == nil || tk.Quote.Status != ticketing.QuotePending):
		s := fmt.Sprintf("Nothing to withdraw: %s has no quote waiting for the customer's answer.", tk.ID)
		if q := tk.Quote; q != nil {
			s = fmt.Sprintf("Nothing to withdraw: the quote of %s %s for %s is %s.", q.Amount, d.policy().Currency, tk.ID, q.Status)
		}
		return s, nil
	case a.Kind == dialog.ActQuote && sameQuote(tk, a):
		return fmt.Sprintf("%s: the customer has this quote of %s %s already, waiting for their answer: it was not sent again.", tk.ID, a.Amount, d.policy().Currency), nil
	}
	return "", nil
}

// handedBack says why a ticket's conversation cannot be handed back to the
// bot because the bot has it already (a quote waits for the customer's
// answer, which the bot reads; an earlier hand back), "" when it is with a
// person.
func (d *Desk) handedBack(ctx context.Context, tk *ticketing.Ticket) (string, error) {
	conv, err := d.conversation(ctx, tk)
	if err != nil || conv == nil || conv.Handoff != nil || conv.State == dialog.HandedOff {
		return "", err // the engine says what is wrong, if anything
	}
	if q := tk.Quote; q != nil && q.Status == ticketing.QuotePending {
		return fmt.Sprintf("Nothing to hand back: the bot has the conversation of %s already, waiting for the customer's answer to the quote of %s %s, which the bot reads (the answer is posted here). A reply here still reaches the customer.",
			tk.ID, q.Amount, d.policy().Currency), nil
	}
	return fmt.Sprintf("Nothing to hand back: the bot has the conversation of %s already. A reply here takes it back.", tk.ID), nil
}

// doubleClick is how soon after a warning a second press of the same button
// is taken for the same click, not for the answer to the warning.
const doubleClick = 2 * time.Second

// unanswered says why an action (Hand back, Resolve) is not done to ticket
// tk yet: the customer wrote in the thread after the last reply, in the
// middle of telling something or asking. Handed back, the bot reads their
// words with what they write next, and a consultation is closed as
// answered; resolved, they are asked to rate the service instead of
// answered. The agent is told once per customer message: pressed again, it
// is done. Resolve is held only for a message of the last few minutes
// (recent): "But the" an hour ago is no reason to ask twice. Neither is held by a last message that only
// closes the exchange ("thanks", "ok", "谢谢", "好的": dialog.Closing). ""
// when a person's reply came after the customer's last word in the thread
// (or their words came before the thread: in its message).
func (d *Desk) unanswered(ctx context.Context, tk *ticketing.Ticket, kind dialog.ActionKind) (string, error) {
	if tk.ConversationID == "" {
		return "", nil
	}
	m, ok, err := d.lastWord(ctx, tk.ConversationID)
	if err != nil || !ok || kind == dialog.ActResolve && d.now().Sub(m.At) > recent || dialog.Closing(m.Text) {
		return "", err
	}
	key := fmt.Sprintf("%s:unanswered:%s:%s:%d", kind, tk.ID, m.ConversationID, m.Seq)
	p, warned, err := d.db.SlackPost(ctx, key)
	switch {
	case err != nil:
		return "", err
	case warned && time.Since(p.Started) < doubleClick:
		return "", errDoubleClick
	case warned:
		return "", nil
	}
	if err := d.db.SlackBeginPost(ctx, sqlite.SlackPost{Key: key, Started: time.Now()}); err != nil {
		return "", err
	}
	if err := d.db.SlackPosted(ctx, key, "", "done", time.Now()); err != nil {
		return "", err
	}
	words := esc(clip(oneLine(m.Text), 120))
	if kind == dialog.ActResolve {
		return fmt.Sprintf("Not resolved yet: the customer just wrote after the last reply (\"%s\") and may not be done. Resolved, they are told so and asked to rate the service instead of answered. Answer them here, or press Resolve again to resolve it anyway.", words), nil
	}
	then := ""
	if tk.Kind == ticketing.KindConsultation {
		then = ", and " + tk.ID + " is closed as answered"
	}
	return fmt.Sprintf("Not handed back yet: the customer wrote after the last reply (\"%s\") and may not be done. Handed back, the bot reads these words with what they write next, and answers them instead of you%s. Answer them here, or press Hand back again to hand it back anyway.",
		words, then), nil
}

// recent is how long after a customer's message Resolve asks whether they
// are done.
const recent = 3 * time.Minute

// lastWord returns the customer's last message in a ticket's thread (relayed
// there, or about to be) when no person replied after it.
func (d *Desk) lastWord(ctx context.Context, conv string) (dialog.Message, bool, error) {
	hist, err := d.store.History(ctx, conv, relayWindow)
	if errors.Is(err, dialog.ErrNotFound) {
		return dialog.Message{}, false, nil
	}
	if err != nil {
		return dialog.Message{}, false, err
	}
	relayed, err := d.db.SlackRelayed(ctx, conv)
	if err != nil {
		return dialog.Message{}, false, err
	}
	for i := len(hist) - 1; i >= 0; i-- {
		m := hist[i]
		switch {
		case m.From == dialog.FromAgent:
			return dialog.Message{}, false, nil
		case m.From != dialog.FromCustomer:
			continue // the bot's, saying a person will answer
		case m.Seq > relayed:
			return m, true, nil
		}
		_, ok, err := d.db.SlackPost(ctx, "msg:"+conv+":"+strconv.FormatInt(m.Seq, 10))
		if err != nil || ok {
			return m, ok, err
		}
	}
	return dialog.Message{}, false, nil
}

// errDoubleClick is a second press of a button that came with the first.
var errDoubleClick = errors.New("the same click twice")

// sameQuote reports whether quote a is the one waiting for the customer's
// answer (the modal submitted twice, or opened twice): sent again, the
// customer would read the same price twice.
func sameQuote(tk *ticketing.Ticket, a dialog.Action) bool {
	q := tk.Quote
	return q != nil && q.Status == ticketing.QuotePending && q.Amount == a.Amount && q.Note == a.Text
}

// refusal is an agent action the engine refused (claimed by someone else,
// not possible now): the agent is told, and nothing is retried.
type refusal struct{ err error }

func (r *refusal) Error() string { return r.err.Error() }
func (r *refusal) Unwrap() error { return r.err }

// refused wraps the errors of Act that are the agent's to know, not the
// desk's to retry.
func refused(err error) error {
	var ce *dialog.ClaimedError
	if errors.As(err, &ce) || errors.Is(err, dialog.ErrBadAction) || errors.Is(err, dialog.ErrNoConversation) {
		return &refusal{err: err}
	}
	return err
}

// applied reports whether an action cut short earlier took effect.
func (d *Desk) applied(ctx context.Context, a dialog.Action) (bool, error) {
	tk, err := d.store.Get(ctx, a.TicketID)
	if err != nil {
		return false, err
	}
	switch a.Kind {
	case dialog.ActClaim:
		return tk.Assignee == a.Agent, nil
	case dialog.ActQuote:
		return tk.Quote != nil && tk.Quote.Amount == a.Amount && tk.Assignee == a.Agent, nil
	case dialog.ActResolve:
		return closed(tk.Status), nil
	case dialog.ActRelease:
		return tk.Assignee != a.Agent, nil
	case dialog.ActWithdraw:
		return tk.Quote == nil || tk.Quote.Status != ticketing.QuotePending, nil
	case dialog.ActHandback:
		if tk.ConversationID == "" {
			return true, nil
		}
		c, err := d.store.Conversation(ctx, tk.ConversationID)
		return err == nil && c.Handoff == nil, err
	}
	return false, nil
}

// didText says in the thread what an agent did to ticket tk (as it is
// after), and what the engine did for the customer (res; nil when an
// earlier delivery did it).
func (d *Desk) didText(ctx context.Context, user string, a dialog.Action, tk *ticketing.Ticket, res *dialog.ActResult) string {
	who := "<@" + user + ">"
	switch a.Kind {
	case dialog.ActClaim:
		return "✋ Claimed by " + who + "."
	case dialog.ActQuote:
		s := fmt.Sprintf("💰 Quote of %s %s sent to the customer by %s.", a.Amount, d.policy().Currency, who)
		if a.Text != "" {
			s += "\n> " + esc(oneLine(a.Text))
		}
		return s
	case dialog.ActResolve:
		s := "✔️ Resolved by " + who
		switch {
		case res == nil:
			return s + "."
		case res.Rating:
			return s + "; the customer was told and asked to rate the service."
		case len(res.Replies) > 0:
			return s + "; the customer was told, but not asked to rate the service: they are in the middle of something else with the bot."
		}
		return s + ". The customer was not told: " + tk.ID + " has no conversation to write in."
	case dialog.ActWithdraw:
		s := "↩️ Quote withdrawn by " + who
		if q := tk.Quote; q != nil {
			s = fmt.Sprintf("↩️ Quote of %s %s withdrawn by %s", q.Amount, d.policy().Currency, who)
		}
		if res == nil {
			return s + "."
		}
		s += ": the customer was told it no longer applies and that a new one may follow, and an answer to it is not taken as consent."
		if conv, err := d.conversation(ctx, tk); err == nil && conv != nil && conv.Handoff != nil {
			s += " What they write comes here until you press Hand back to bot."
		}
		return s + " Press Send quote for the new price."
	case dialog.ActRelease:
		return fmt.Sprintf("🔓 Released by %s: %s is unclaimed (%s), its deadlines run; anyone can press Claim.", who, tk.ID, tk.Status)
	case dialog.ActHandback:
		s := "↩️ Handed back to the bot by " + who + "."
		if conv, err := d.conversation(ctx, tk); err == nil && conv != nil && conv.Unanswered != nil {
			s += fmt.Sprintf(" The customer's last words (\"%s\") were not answered here: the bot reads them with their next message.", esc(clip(oneLine(conv.Unanswered.Text), 120)))
		}
		switch {
		case closed(tk.Status):
			return s + fmt.Sprintf(" The question is answered: %s is %s.", tk.ID, tk.Status)
		case tk.Assignee != "":
			return s + fmt.Sprintf(" %s stays open with %s and its deadlines run: press Resolve when the work is done. A reply here takes the conversation back from the bot.", tk.ID, d.mention(ctx, tk.Assignee))
		}
		return s + fmt.Sprintf(" %s stays open, unclaimed, and its deadlines run.", tk.ID)
	}
	return string(a.Kind) + " by " + who
}

// doing names an action as "only they can …" ends.
var doing = map[dialog.ActionKind]string{
	dialog.ActResolve: "resolve it", dialog.ActHandback: "hand it back to the bot", dialog.ActQuote: "send the quote",
	dialog.ActReply: "reply to the customer", dialog.ActRelease: "release it", dialog.ActWithdraw: "withdraw the quote",
}

// othersText tells an agent that their action on a ticket a colleague
// (owner) holds was not done, and what to do instead.
func (d *Desk) othersText(ctx context.Context, id string, kind dialog.ActionKind, owner string) string {
	who := d.mention(ctx, owner)
	what, ok := doing[kind]
	if kind == dialog.ActClaim || !ok {
		return fmt.Sprintf("%s is already claimed by %s: nothing was done. To take it over, ask them to press Release, then Claim.", id, who)
	}
	return fmt.Sprintf("Not done: %s is claimed by %s, and only they can %s. Ask them to do it, or to press Release so that you can claim it.", id, who, what)
}

// tell shows text to one agent only.
func (d *Desk) tell(ctx context.Context, at place, user, text string) error {
	if at.Channel == "" {
		return nil
	}
	return d.api.ephemeral(ctx, at.Channel, user, at.Thread, text)
}

// checkQuote validates the quote modal before it is queued: the errors to
// show in the modal, or nil. A modal opened earlier may be submitted once
// the ticket takes no quote any more (resolved, its quote accepted): the
// agent reads why on the amount, or on the note when the inspection's
// finding is missing.
func (d *Desk) checkQuote(ctx context.Context, cb slackapi.InteractionCallback) *slackapi.ViewSubmissionResponse {
	amount, note, err := quoteValues(cb, d.policy().Currency)
	if err != nil {
		return slackapi.NewErrorsViewSubmissionResponse(map[string]string{"amount": err.Error()})
	}
	var at place
	if json.Unmarshal([]byte(cb.View.PrivateMetadata), &at) != nil || at.Ticket == "" {
		// Not this desk's form, or one it cannot read: nothing is sent, and
		// the agent reads why instead of a modal closing on nothing.
		return slackapi.NewErrorsViewSubmissionResponse(map[string]string{"amount": "Not sent: this form cannot be read (it does not say which ticket it quotes). Close it and press Send quote on the ticket again."})
	}
	tk, err := d.store.Get(ctx, at.Ticket)
	if err != nil {
		return nil // the worker tells the agent, or tries again
	}
	err = dialog.Quotable(tk, dialog.Action{Kind: dialog.ActQuote, TicketID: tk.ID, Text: note, Amount: amount}, d.policy().Currency)
	switch {
	case errors.Is(err, dialog.ErrNoFinding):
		return slackapi.NewErrorsViewSubmissionResponse(map[string]string{"note": "Required: " + tk.ID + " is in warranty (free), so the customer must be told what the inspection found."})
	case err != nil:
		return slackapi.NewErrorsViewSubmissionResponse(map[string]string{"amount": "Not sent: " + reasonOf(err) + "."})
	case sameQuote(tk, dialog.Action{Amount: amount, Text: note}):
		return slackapi.NewErrorsViewSubmissionResponse(map[string]string{"amount": fmt.Sprintf(
			"Not sent again: the customer has this quote of %s %s already and its answer is awaited. Change the price or the note to send a new quote.", amount, d.policy().Currency)})
	}
	return nil
}

// reasonOf is the reason of an engine refusal, without its category.
func reasonOf(err error) string {
	return strings.TrimPrefix(err.Error(), dialog.ErrBadAction.Error()+": ")
}

// quoteValues reads the quote modal's amount and note.
func quoteValues(cb slackapi.InteractionCallback, currency string) (policy.Money, string, error) {
	v := cb.View.State
	if v == nil {
		return 0, "", errors.New("enter the price, like 380 or 99.50")
	}
	amount := strings.TrimSpace(v.Values["amount"]["amount"].Value)
	note := strings.TrimSpace(v.Values["note"]["note"].Value)
	m, err := policy.ParseMoney(amount)
	if errors.Is(err, policy.ErrExponent) {
		return 0, note, errors.New("write the price in full digits, like 1000: an exponent such as 1e3 is not a price")
	}
	if err != nil {
		return 0, note, errors.New(amountHint(amount, currency))
	}
	if m <= 0 {
		return 0, note, errors.New("the price must be above 0, like 380 or 99.50")
	}
	return m, note, nil
}

// amountHint says what is wrong with an amount the modal cannot read, in
// the agent's terms: a busy agent types "1,200", "¥1200" or "1200元", and
// "enter a price above 0" told them nothing.
func amountHint(amount, cur string) string {
	const digitsOnly = "write the price in digits only, like 1200 or 99.50"
	switch {
	case amount == "":
		return "enter the price, like 380 or 99.50"
	case strings.ContainsAny(amount, "¥￥$元円") || strings.Contains(strings.ToUpper(amount), "RMB") || strings.Contains(strings.ToUpper(amount), "CNY"):
		return digitsOnly + ": no currency sign, the price is in " + cur + " (1200, not ¥1200 or 1200元)"
	case decimalComma.MatchString(amount):
		// 1.299,00 or 1299,5: a comma for the decimals, as much of Europe
		// writes them.
		return digitsOnly + ": a dot for the decimals and no thousands separators (1299.50, not 1.299,50 or 1299,50)"
	case strings.ContainsAny(amount, ",，") || strings.Contains(strings.TrimSpace(amount), " "):
		return digitsOnly + ": no thousands separators or spaces (1200, not 1,200)"
	case strings.ContainsFunc(amount, func(r rune) bool { return r >= '０' && r <= '９' || r == '．' }):
		return digitsOnly + ", typed half-width (1200, not １２００)"
	case strings.ContainsRune(amount, '。'):
		return digitsOnly + ": a dot for the decimals (99.50, not 99。50)"
	case thousandsDot.MatchString(amount):
		// 1.299 is 1299 to whoever wrote it, and 1.30 after "at most
		// two decimals" would quote a thousandth of the price.
		whole := strings.ReplaceAll(amount, ".", "")
		return "at most two decimals, like 99.50; a dot is the decimal point, never a thousands separator (if you mean " + whole + ", write " + whole + ")"
	case strings.Count(amount, ".") == 1 && len(amount)-strings.IndexByte(amount, '.') > 3:
		return "at most two decimals, like 99.50"
	case strings.HasPrefix(amount, "-"):
		return "the price must be above 0, like 380 or 99.50"
	}
	return digitsOnly
}

// decimalComma matches an amount written with a decimal comma: 1.299,00,
// 1299,5 (one or two digits after the comma).
var decimalComma = regexp.MustCompile(`^[0-9.]*[0-9],[0-9]{1,2}$`)

// thousandsDot matches an amount written with dots between thousands:
// 1.299, 12.345.678.
var thousandsDot = regexp.MustCompile(`^[0-9]{1,3}(?:\.[0-9]{3})+$`)

// onThreadMessage handles a message in a channel: a reply in an escalation's
// thread goes to the customer when the assignee wrote it, and is kept as an
// internal note otherwise.
func (d *Desk) onThreadMessage(ctx context.Context, j sqlite.SlackJob, eventID string, ev *slackevents.MessageEvent) error {
	switch ev.SubType {
	case "", "thread_broadcast", "file_share":
	case "message_changed", "message_deleted":
		return d.onChanged(ctx, ev)
	default:
		return nil // joins, bots
	}
	if ev.BotID != "" || ev.User == "" || ev.ThreadTimeStamp == "" || ev.ThreadTimeStamp == ev.TimeStamp {
		return nil
	}
	th, ok, err := d.db.SlackThreadAt(ctx, ev.Channel, ev.ThreadTimeStamp)
	if err != nil || !ok {
		return err
	}
	at := place{Ticket: th.TicketID, Channel: th.Channel, Thread: th.TS}
	gone, err := d.deletedFirst(ctx, j.Key, ev)
	if err != nil {
		return err
	}
	if gone {
		return d.tell(ctx, at, ev.User, deletedText)
	}
	// The Send to customer shortcut sent this message before its event was
	// processed: it is with the customer, and not a note.
	if done, err := d.shortcutFirst(ctx, j.Key, ev.Channel, ev.TimeStamp); err != nil || done {
		return err
	}
	// An edit processed before this event (it came first, or this event is
	// a retry) is what the agent left: its text is the reply.
	edit, edited, err := d.db.SlackEdited(ctx, ev.Channel, ev.TimeStamp)
	if err != nil {
		return err
	}
	name := func(id string) string { return d.userName(ctx, id) }
	written := withBlockEmoji(ev.Text, ev.Blocks)
	raw := written
	if edited {
		raw = edit.Text
	}
	text, kept := classify(raw, name, d.internalByDefault())
	first := text // what an attempt before the edit would have sent
	if edited {
		first, _ = classify(written, name, d.internalByDefault())
	}
	call, isCall := d.threadCall(raw)
	if isCall {
		kept = nil // an explicit send, whatever thread_replies says
	}
	files := fileNames(ev)
	if text == "" {
		if files != "" {
			return d.tell(ctx, at, ev.User, "Not sent to the customer: files ("+files+") are not sent to customers. Describe it, or paste a link, in a reply.")
		}
		if why := customOnly(raw); why != "" && kept == nil {
			// Custom emoji only: its author, if they could have sent
			// it, learns why the customer got nothing.
			return d.customOnly(ctx, at, ev.User, why)
		}
		return nil
	}
	me, listed, notListed, err := d.author(ctx, ev.User)
	if err != nil {
		return err
	}
	tk, err := d.store.Get(ctx, th.TicketID)
	if err != nil {
		return err
	}
	why := d.unsendable(ctx, tk, me, listed, notListed)
	switch {
	case kept == &unmarked:
		// Internal by default: nobody is told why on every reply; the
		// assignee, who could have sent it, learns once how to.
		if err := d.note(ctx, j.Key, ev.User, me.ID, at, text, ""); err != nil || why != "" {
			return err
		}
		return d.once(ctx, "hint:internal:"+tk.ID+":"+me.ID, nil, func() error { return d.tell(ctx, at, ev.User, internalHint) })
	case kept != nil && kept.hint == "":
		return d.note(ctx, j.Key, ev.User, me.ID, at, text, "")
	case why == "" && kept != nil:
		why = kept.hint
	}
	if why != "" {
		return d.note(ctx, j.Key, ev.User, me.ID, at, text, why)
	}
	conv, err := d.conversation(ctx, tk)
	if err != nil {
		return err
	}
	var lang string
	if isCall {
		var known bool
		if text, lang, known, err = d.fill(ctx, ev.Channel, ev.TimeStamp, raw, call, tk, conv, me.Name, name); err != nil || !known {
			if err != nil {
				return err
			}
			return d.tell(ctx, at, ev.User, d.unknownSaved(call.name))
		}
		if !edited {
			first = text
		}
	}
	if c, ok := d.threadCall(written); edited && ok {
		first, _, _ = d.savedText(c, tk, conv, me.Name, name) // as an attempt before the edit sent it
		if f, ok, err := d.db.SlackFilled(ctx, ev.Channel, ev.TimeStamp, written); err != nil || ok {
			if err != nil {
				return err
			}
			first = f
		}
	}
	if why, err := d.rating(ctx, j.Key, tk, conv); err != nil || why != "" {
		if err != nil {
			return err
		}
		return d.note(ctx, j.Key, ev.User, me.ID, at, text, why)
	}
	reply := dialog.Action{Kind: dialog.ActReply, TicketID: tk.ID, Agent: me.ID, Name: me.Name, Channel: "slack", Text: text}
	// An earlier attempt cut short may have sent the text as first written,
	// before the edit was recorded: the customer has the reply then.
	sent := func() (bool, error) { return d.repliedAny(ctx, tk.ConversationID, me.Name, text, first) }
	err = d.once(ctx, "reply:"+j.Key, sent, func() error {
		// An earlier attempt that did not send it may have been overtaken
		// by the deletion.
		if gone, err := d.db.SlackDeleted(ctx, ev.Channel, ev.TimeStamp); err != nil || gone {
			return cmp.Or(err, errDeletedFirst)
		}
		// Recorded by message too, so that the shortcut does not send it
		// again.
		return d.once(ctx, sentKey(ev.Channel, ev.TimeStamp), sent, func() error {
			if isCall {
				if err := d.keepFill(ctx, ev.Channel, ev.TimeStamp, raw, text); err != nil {
					return err
				}
			}
			_, err := d.eng.Act(ctx, reply)
			return refused(err)
		})
	})
	if errors.Is(err, errDeletedFirst) {
		return d.tell(ctx, at, ev.User, deletedText)
	}
	var no *refusal
	if errors.As(err, &no) {
		return d.note(ctx, j.Key, ev.User, me.ID, at, text, esc(no.err.Error()))
	}
	if err != nil {
		return err
	}
	if err := d.delivered(ctx, at, ev.User, ev.TimeStamp, files, tk, conv); err != nil || !isCall {
		return err
	}
	_, _, err = d.post(ctx, "saved:"+j.Key, at.Channel, at.Thread, savedSent(ev.User, call.name, lang, text), nil)
	return err
}

// customOnly tells user why their reply of custom emoji only did not go to
// the customer of the ticket at at, when it would have gone otherwise.
func (d *Desk) customOnly(ctx context.Context, at place, user, why string) error {
	me, listed, notListed, err := d.author(ctx, user)
	if err != nil {
		return err
	}
	tk, err := d.store.Get(ctx, at.Ticket)
	if err != nil || d.unsendable(ctx, tk, me, listed, notListed) != "" {
		return err
	}
	return d.tell(ctx, at, user, why)
}

// rating says why a thread reply (delivery key) does not go to the
// customer of ticket tk at once: tk is resolved, the bot is asking the
// customer to rate the service (conv), and they have not written in the
// thread since the last reply. Sent, a "thanks for your patience" would
// reopen the ticket and take the conversation from the rating: the
// customer's score, answered to the agent, would be lost. The Send to
// customer shortcut sends it anyway; a customer who wrote again ("hello?")
// is answered. "" otherwise, and for an earlier attempt of the delivery,
// cut short, which goes on as it began.
func (d *Desk) rating(ctx context.Context, key string, tk *ticketing.Ticket, conv *dialog.Conversation) (string, error) {
	if tk.Status != ticketing.StatusResolved || conv == nil || conv.Handoff != nil ||
		conv.State != dialog.RateScore && conv.State != dialog.RateComment {
		return "", nil
	}
	if _, begun, err := d.db.SlackPost(ctx, "reply:"+key); err != nil || begun {
		return "", err
	}
	if _, wrote, err := d.lastWord(ctx, conv.ID); err != nil || wrote {
		return "", err
	}
	return fmt.Sprintf("%s is resolved and the bot is asking the customer to rate the service; sent, your reply would reopen it and their rating would be lost. "+
		"To reopen it and send this anyway, use *Send to customer* in the message's ⋯ menu", tk.ID), nil
}

// delivered marks a thread message (ts) whose text went to the customer with
// ✅ and tells its author what else there is to know: files not sent, and
// what the reply changed (a ticket reopened, the conversation taken back
// from the bot). tk and conv are as they were before the reply.
func (d *Desk) delivered(ctx context.Context, at place, user, ts, files string, tk *ticketing.Ticket, conv *dialog.Conversation) error {
	if err := d.api.react(ctx, at.Channel, ts, "white_check_mark"); err != nil {
		return err
	}
	if files != "" {
		if err := d.tell(ctx, at, user, "Only your text went to the customer: files ("+files+") are not sent to customers."); err != nil {
			return err
		}
	}
	// What the reply changed, as the engine does it (dialog.ActReply).
	switch {
	case closed(tk.Status):
		return d.tell(ctx, at, user, fmt.Sprintf("%s was %s: your reply reopened it and went to the customer, and the bot stays silent until you press Hand back to bot. Resolve it again when done.", tk.ID, tk.Status))
	case conv != nil && conv.Handoff == nil && conv.State != dialog.RepairQuote:
		return d.tell(ctx, at, user, "The bot had the conversation: your reply went to the customer and took it back, and the bot stays silent until you press Hand back to bot.")
	}
	return nil
}

// author returns who wrote a thread message as an agent: listed (an agent,
// or any member without an agent list), else as "slack:<user>" with why they
// are not one (notListed).
func (d *Desk) author(ctx context.Context, user string) (me who, listed bool, notListed string, err error) {
	me, err = d.agent(ctx, user)
	listed, notListed = err == nil, notAgent(err)
	if err != nil && notListed == "" {
		return who{}, false, "", err
	}
	if !listed {
		me = who{ID: "slack:" + user}
	}
	return me, listed, notListed, nil
}

// unsendable says why a reply of me cannot go to the customer of ticket tk
// (not an agent, not its assignee, no conversation), "" when it can.
func (d *Desk) unsendable(ctx context.Context, tk *ticketing.Ticket, me who, listed bool, notListed string) string {
	switch {
	case !listed:
		return strings.TrimSuffix(notListed, " (channels.slack.agents)")
	case tk.Status == ticketing.StatusCancelled:
		return fmt.Sprintf("%s is %s", tk.ID, tk.Status)
	case tk.Assignee == "":
		return fmt.Sprintf("%s is not claimed yet: press Claim, then reply", tk.ID)
	case tk.Assignee != me.ID:
		return fmt.Sprintf("%s is assigned to %s, and only the assignee's replies go to the customer", tk.ID, d.mention(ctx, tk.Assignee))
	case tk.ConversationID == "":
		return fmt.Sprintf("%s has no conversation to reply in", tk.ID)
	}
	return ""
}

// sentKey records that the thread message ts of channel went to the
// customer, by its event or by the Send to customer shortcut: whichever
// comes second does not send it again. Pruned with the replies' records.
func sentKey(channel, ts string) string { return "reply:msg:" + channel + ":" + ts }

// shortcutFirst reports whether the thread message ts went to the customer
// through the Send to customer shortcut before its event (delivery key) was
// processed: the event has nothing more to do. An event that began sending
// it itself (cut short) goes on.
func (d *Desk) shortcutFirst(ctx context.Context, key, channel, ts string) (bool, error) {
	if _, ok, err := d.db.SlackPost(ctx, sentKey(channel, ts)); err != nil || !ok {
		return false, err
	}
	_, begun, err := d.db.SlackPost(ctx, "reply:"+key)
	return !begun, err
}

// internalByDefault reports whether thread replies stay internal unless
// marked (channels.slack.thread_replies: internal).
func (d *Desk) internalByDefault() bool {
	return d.cfg.ThreadReplies == config.ThreadRepliesInternal
}

// fileNames lists the files shared with a message, "" when none.
func fileNames(ev *slackevents.MessageEvent) string {
	if ev.Message == nil {
		return ""
	}
	var names []string
	for _, f := range ev.Message.Files {
		names = append(names, esc(firstOf(f.Name, f.Title, "a file")))
	}
	return strings.Join(names, ", ")
}

// deletedText tells an agent that a thread message deleted in Slack before
// the desk processed it did nothing: not sent, not kept as a note.
const deletedText = "Your reply was deleted in Slack before it was sent: the customer did not get it. It is not kept as a note either."

// errDeletedFirst is a reply found deleted in Slack before it was sent.
var errDeletedFirst = errors.New("deleted in Slack before it was sent")

// deletedFirst reports whether the thread message ev was deleted in Slack
// before this delivery (key) acted on it. A delivery that began the reply
// earlier and was cut short goes on: its reply may be with the customer
// (once finds out, and refuses to send it if it is not).
func (d *Desk) deletedFirst(ctx context.Context, key string, ev *slackevents.MessageEvent) (bool, error) {
	gone, err := d.db.SlackDeleted(ctx, ev.Channel, ev.TimeStamp)
	if err != nil || !gone {
		return false, err
	}
	_, begun, err := d.db.SlackPost(ctx, "reply:"+key)
	return !begun, err
}

// isDeletion reports whether a message_deleted or message_changed event
// deletes the message (a message_changed leaves a tombstone of a message
// with replies).
func isDeletion(ev *slackevents.MessageEvent) bool {
	return ev.SubType == "message_deleted" || ev.SubType == "message_changed" && ev.Message != nil && ev.Message.SubType == "tombstone"
}

// onChanged records a thread reply deleted in Slack, so that its message
// event, if it comes later, is dropped, and one edited, so that its message
// event, if it comes later, sends the edited text; and tells an agent who
// edited or deleted a reply the customer already has (as first sent, or
// before an earlier edit) that the customer still has it as first sent.
func (d *Desk) onChanged(ctx context.Context, ev *slackevents.MessageEvent) error {
	prev := ev.PreviousMessage
	if prev == nil || prev.User == "" || prev.ThreadTimestamp == "" || prev.ThreadTimestamp == prev.Timestamp {
		return nil
	}
	deletion := isDeletion(ev)
	if !deletion && (ev.Message == nil || ev.Message.Text == prev.Text) {
		return nil // a link preview or a reaction, not an edit
	}
	th, ok, err := d.db.SlackThreadAt(ctx, ev.Channel, prev.ThreadTimestamp)
	if err != nil || !ok {
		return err
	}
	firstText := prev.Text
	if deletion {
		if err := d.db.SlackMarkDeleted(ctx, ev.Channel, cmp.Or(ev.DeletedTimeStamp, prev.Timestamp), time.Now()); err != nil {
			return err
		}
	} else {
		// Its message event, if it is processed later, sends this text.
		ts := cmp.Or(ev.Message.Timestamp, prev.Timestamp)
		editTS := ev.TimeStamp
		if ed := ev.Message.Edited; ed != nil && ed.Timestamp != "" {
			editTS = ed.Timestamp
		}
		if err := d.db.SlackMarkEdited(ctx, ev.Channel, ts, editTS, prev.Text, ev.Message.Text, time.Now()); err != nil {
			return err
		}
		e, ok, err := d.db.SlackEdited(ctx, ev.Channel, ts)
		if err != nil {
			return err
		}
		if ok {
			firstText = e.FirstText // a second edit: the customer may have the first text
		}
	}
	tk, err := d.store.Get(ctx, th.TicketID)
	if err != nil || tk.ConversationID == "" {
		return err
	}
	me, err := d.agent(ctx, prev.User)
	if errors.Is(err, errNotAgent) {
		return nil // it was a note
	}
	if err != nil {
		return err
	}
	name := func(id string) string { return d.userName(ctx, id) }
	text, kept := classify(prev.Text, name, d.internalByDefault())
	firstSent, _ := classify(firstText, name, d.internalByDefault())
	if kept != nil {
		// Kept as a note, then maybe sent with the Send to customer
		// shortcut.
		p, ok, err := d.db.SlackPost(ctx, sentKey(ev.Channel, prev.Timestamp))
		if err != nil || !ok || p.TS == "" {
			return err
		}
		text, kept, firstSent = shortcutText(prev.Text, name), nil, shortcutText(firstText, name)
	}
	if c, ok := d.threadCall(prev.Text); ok {
		// A saved reply: the customer has it expanded.
		conv, err := d.conversation(ctx, tk)
		if err != nil {
			return err
		}
		text, _, _ = d.savedText(c, tk, conv, me.Name, name)
		if c, ok := d.threadCall(firstText); ok {
			firstSent, _, _ = d.savedText(c, tk, conv, me.Name, name)
		}
	}
	if text == "" {
		return nil
	}
	if sent, err := d.repliedAny(ctx, tk.ConversationID, me.Name, text, firstSent); err != nil || !sent {
		return err
	}
	what := "Editing it in Slack changes nothing for them: send the correction as a new reply."
	if deletion {
		what = "Deleting it in Slack does not take it back: send a correction as a new reply if needed."
	}
	at := place{Ticket: th.TicketID, Channel: th.Channel, Thread: th.TS}
	return d.tell(ctx, at, prev.User, "The customer already has your reply as first sent. "+what)
}

// note keeps a thread reply of agent (who) as an internal note on the
// ticket and, when why is set, tells its author why it did not go to the
// customer.
func (d *Desk) note(ctx context.Context, key, user, agent string, at place, text, why string) error {
	err := d.once(ctx, "note:"+key, nil, func() error {
		_, err := d.eng.Act(ctx, dialog.Action{Kind: dialog.ActNote, TicketID: at.Ticket, Agent: agent, Channel: "slack", Text: text})
		return err
	})
	if err != nil || why == "" {
		return err
	}
	return d.tell(ctx, at, user, "Not sent to the customer: "+why+". Kept as an internal note.")
}

// repliedAny reports whether a reply by agent with any of these texts is in
// the conversation's recent history.
func (d *Desk) repliedAny(ctx context.Context, conversationID, agent string, texts ...string) (bool, error) {
	for i, t := range texts {
		if t == "" || slices.Contains(texts[:i], t) {
			continue
		}
		if ok, err := d.replied(ctx, conversationID, agent, t); err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}

// replied reports whether a reply with this text by an agent of this name
// is in the conversation's recent history (a reply cut short after it was
// committed).
func (d *Desk) replied(ctx context.Context, conversationID, agent, text string) (bool, error) {
	hist, err := d.store.History(ctx, conversationID, 20)
	if err != nil {
		return false, err
	}
	for _, m := range hist {
		if m.From == dialog.FromAgent && m.Agent == agent && m.Text == text {
			return true, nil
		}
	}
	return false, nil
}
