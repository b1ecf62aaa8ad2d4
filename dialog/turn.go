package dialog

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/supportd/supportd/policy"
	"github.com/supportd/supportd/ticketing"
)

// turn is one pass of the flow over a conversation, inside one store
// transaction. Nothing it does is visible until commit.
type turn struct {
	e        *Engine
	ctx      context.Context
	tx       Tx
	c        *Conversation
	now      time.Time
	today    policy.Date
	in       []Message           // inbound messages to append
	out      []Message           // replies to append: the outbox
	shown    []Message           // a greeting the customer saw before it was stored (Greeted): appended first
	err      error               // the first store error: the turn is rolled back
	touched  []string            // tickets created or changed
	wrote    []*ticketing.Ticket // the tickets as this turn last wrote them (Create, Update)
	repeated bool                // the same message as the last, sent again within repeatWithin
	carry    map[string]Slot     // what the journey started next takes over (a fault that came back)
	vented   bool                // the fault report that starts a journey now was told in anger
	before   *Said               // what the customer said the turn before: the day "the later one" picks from
	whichDay *ambiguousDate      // a visit day told with the request that reads two ways ("next Saturday"): asked before the rest
	kind     ticketing.Kind      // the channel's journey for a message that asks for none
	live     bool                // the channel delivers the replies as the turn returns them
	via      string              // the channel an agent acted on ("slack", "cli"), in an agent's turn
	typed    string              // the customer's message as typed (Traditional Chinese kept)
	said     string              // the same as read (Simplified): the text the slots are taken from

	// Room for the messages of a typical turn, saving allocations.
	inBuf  [1]Message
	outBuf [3]Message
}

// touch records that the turn changed ticket id. A copy kept of it is
// dropped: the change (a note, an event) may have moved its version on.
func (t *turn) touch(id string) {
	if id != "" && !contains(t.touched, id) {
		t.touched = append(t.touched, id)
	}
	t.wrote = slices.DeleteFunc(t.wrote, func(w *ticketing.Ticket) bool { return w.ID == id })
}

// keep keeps tk as the turn wrote it (touched first), for the channel to
// show without reading it back (Result.Tickets).
func (t *turn) keep(tk *ticketing.Ticket) { t.wrote = append(t.wrote, tk) }

func (e *Engine) newTurn(ctx context.Context, tx Tx, c *Conversation, now time.Time) *turn {
	if c.Slots == nil {
		c.Slots = map[string]Slot{}
	}
	if !e.flow.Has(c.State) {
		// Saved by an older flow whose state no longer exists: start over,
		// keeping the tickets and the language.
		e.log.Warn("conversation in a state the flow no longer has", "conversation", c.ID, "state", c.State, "flow", c.Flow)
		c.State, c.Handoff = Idle, nil
		c.Slots, c.Asking, c.Misses, c.Confirm, c.Back = map[string]Slot{}, "", 0, nil, nil
	}
	e = e.current()
	t := &turn{e: e, ctx: ctx, tx: tx, c: c, now: now, today: policy.DateOf(now, e.pol.Location())}
	t.in, t.out = t.inBuf[:0], t.outBuf[:0]
	return t
}

func (t *turn) fail(err error) {
	if t.err == nil && err != nil {
		t.err = err
	}
}

// commit saves the conversation and appends the messages of the turn.
func (t *turn) commit() error {
	if t.err != nil {
		return t.err
	}
	c := t.c
	if c.State == Idle {
		// A finished or abandoned journey has no question to go back to:
		// "back" must not reopen a form whose ticket is filed.
		c.Back = nil
	}
	c.Turn++
	c.Updated = t.now
	c.Flow = t.e.flow.Version()
	if err := t.tx.Save(t.ctx, c); err != nil {
		return err
	}
	for i := range t.shown {
		t.shown[i].DeliveredAt = &t.now
		if err := t.tx.Append(t.ctx, &t.shown[i]); err != nil {
			return err
		}
	}
	for i := range t.in {
		if err := t.tx.Append(t.ctx, &t.in[i]); err != nil {
			return err
		}
	}
	for i := range t.out {
		if t.live {
			t.out[i].DeliveredAt = &t.now
		}
		if err := t.tx.Append(t.ctx, &t.out[i]); err != nil {
			return err
		}
	}
	return nil
}

func (t *turn) lang() string { return t.c.Lang }

// documents returns the attachments that can prove a purchase: photos and
// PDFs (an invoice, a receipt), not a program or an archive a mail carried.
// While a person owns the conversation every attachment is passed on.
func documents(att []Attachment) []Attachment {
	var out []Attachment
	for _, a := range att {
		if strings.HasPrefix(a.Type, "image/") || a.Type == "application/pdf" {
			out = append(out, a)
		}
	}
	return out
}

// repeatWithin is how soon the same message again is the same message sent
// twice (a double tap, a resend while the reply was on its way).
const repeatWithin = 30 * time.Second

// doubleSend is how soon the same message again is a copy whatever was
// asked in between: too soon to have read the reply and answered it.
const doubleSend = 3 * time.Second

// text formats a text in the conversation's language.
func (t *turn) text(key string, kv ...string) string { return t.e.texts.Format(t.lang(), key, kv...) }

// say queues a bot message.
func (t *turn) say(key string, kv ...string) { t.sayText(t.text(key, kv...)) }

func (t *turn) sayText(s string, choices ...Choice) {
	t.out = append(t.out, t.message(FromBot, s, choices))
}

// expect marks the last queued message as asking for an answer of kind in.
func (t *turn) expect(in Input) { t.out[len(t.out)-1].Input = in }

// ask queues a bot question with quick replies.
func (t *turn) ask(key string, choices []Choice, kv ...string) {
	t.sayText(t.text(key, kv...), choices...)
}

func (t *turn) message(from Sender, text string, choices []Choice) Message {
	return Message{
		ConversationID: t.c.ID, Dir: Out, From: from, Channel: t.c.Channel, User: t.c.User,
		Text: text, Choices: choices, TicketID: t.c.TicketID, At: t.now,
	}
}

// choice builds a quick reply whose label is a text.
func (t *turn) choice(value, key string) Choice { return Choice{Value: value, Label: t.text(key)} }

func (t *turn) yesNoChoices() []Choice {
	return []Choice{t.choice("choice:yes", "choice.yes"), t.choice("choice:no", "choice.no")}
}

func (t *turn) fire(event string) {
	t.fail(t.e.flow.fire(t.ctx, t.c, event))
}

// by is the audit identity of the turn's changes.
func (t *turn) by(actor, note string) ticketing.By {
	ch := t.c.Channel
	if t.via != "" {
		ch = t.via // an agent's action: where they acted, not the customer's channel
	}
	return ticketing.By{Actor: actor, Channel: ch, Note: note, At: t.now}
}

// deadline returns the moment n working days from now.
func (t *turn) deadline(n int) *time.Time {
	d, err := t.e.pol.AddWorkingDays(t.now, n)
	if err != nil {
		t.fail(err)
		return nil
	}
	d = d.UTC()
	return &d
}

// when formats a deadline for the customer: "11月26日（周四）18:00" or
// "Thu 26 Nov, 18:00".
func (t *turn) when(at *time.Time) string {
	if at == nil {
		return ""
	}
	l := at.In(t.e.pol.Location())
	if t.lang() == "zh" {
		wd := zhWeekdays[l.Weekday()]
		return strconv.Itoa(int(l.Month())) + "月" + strconv.Itoa(l.Day()) + "日（周" + wd + "）" + l.Format("15:04")
	}
	return l.Format("Mon 2 Jan, 15:04")
}

var zhWeekdays = [...]string{"日", "一", "二", "三", "四", "五", "六"}

// dayText formats a day with its weekday: "11月27日（周五）" or "Fri 27 Nov".
func (t *turn) dayText(d policy.Date) string {
	if t.lang() == "zh" {
		return strconv.Itoa(int(d.Month())) + "月" + strconv.Itoa(d.Day()) + "日（周" + zhWeekdays[d.Weekday()] + "）"
	}
	return d.Weekday().String()[:3] + " " + strconv.Itoa(d.Day()) + " " + d.Month().String()[:3]
}

// dateText formats a date for the customer: "2025年3月1日" or "1 Mar 2025".
func (t *turn) dateText(d policy.Date) string {
	if t.lang() == "zh" {
		return strconv.Itoa(d.Year()) + "年" + strconv.Itoa(int(d.Month())) + "月" + strconv.Itoa(d.Day()) + "日"
	}
	return strconv.Itoa(d.Day()) + " " + d.Month().String()[:3] + " " + strconv.Itoa(d.Year())
}

// dayMonthText formats a day without its year: "5月3日" or "3 May".
func (t *turn) dayMonthText(d policy.Date) string {
	if t.lang() == "zh" {
		return strconv.Itoa(int(d.Month())) + "月" + strconv.Itoa(d.Day()) + "日"
	}
	return strconv.Itoa(d.Day()) + " " + d.Month().String()
}

// monthText formats a month: "2025年3月" or "March 2025".
func (t *turn) monthText(d policy.Date) string {
	if t.lang() == "zh" {
		return strconv.Itoa(d.Year()) + "年" + strconv.Itoa(int(d.Month())) + "月"
	}
	return d.Month().String() + " " + strconv.Itoa(d.Year())
}

// weekText formats a week by its Monday: "2026年11月16日那一周" or "the week
// of 16 Nov 2026".
func (t *turn) weekText(monday policy.Date) string {
	return t.text("week_of", "date", t.dateText(monday))
}

// money formats an amount with the currency.
func (t *turn) money(m policy.Money) string {
	if t.lang() == "zh" && t.e.pol.Currency == "CNY" {
		return m.String() + " 元"
	}
	return m.String() + " " + t.e.pol.Currency
}

// productName returns "TV-55X（55英寸智能电视）" / "TV-55X (55-inch smart TV)".
func (t *turn) productName(model string) string {
	pr, ok := t.e.pol.Product(model)
	if !ok {
		return model
	}
	name := pr.Name.In(t.lang())
	if name == "" {
		return pr.Model
	}
	if t.lang() == "zh" {
		return pr.Model + "（" + name + "）"
	}
	return pr.Model + " (" + name + ")"
}

// customerSays handles one customer message.
// participantSays records a message of someone the customer brought into
// the case (Inbound.Participant): in the history, headed with who wrote
// it, and on the conversation's ticket as a note. The flow does not read
// it: the case stays the customer's.
func (t *turn) participantSays(in Inbound) {
	c := t.c
	who := in.User
	if in.Customer.Name != "" {
		who = in.Customer.Name + " <" + in.User + ">"
	}
	shown := in.Text
	if in.Display != "" {
		shown = in.Display
	}
	text := t.text("participant.wrote", "who", who) + "\n" + shown
	t.in = append(t.in, Message{ConversationID: c.ID, Dir: In, From: FromCustomer, Channel: c.Channel, User: c.User,
		Text: text, ClientID: in.ID, TicketID: c.TicketID, At: t.now})
	id := c.TicketID
	if c.Handoff != nil {
		id = c.Handoff.TicketID
	} else if id == "" && len(c.Tickets) > 0 {
		id = c.Tickets[len(c.Tickets)-1]
	}
	note := text
	for _, a := range in.Attachments {
		note += "\n[attachment " + a.Name + " " + a.Ref + "]"
	}
	if id == "" {
		if courtesyOnly(in.Text) && len(in.Attachments) == 0 && len(in.TooLarge) == 0 {
			// Only thanks or an acknowledgement ("thanks", "收到"):
			// in the history, with nothing for a person to do.
			return
		}
		// No ticket yet: the bot does not read it, so without one no
		// person would. It goes to the team as a consultation of the
		// conversation, beside the customer's journey (not its ticket).
		if id = t.participantTicket(in); id == "" {
			return
		}
		t.in[len(t.in)-1].TicketID = id
	}
	t.fail(t.tx.Tickets().AddNote(t.ctx, id, t.by("participant:"+in.User, ""), note))
	t.touch(id)
}

// participantTicket files a consultation for a participant's message in a
// conversation without tickets, and returns its id ("" when it failed).
func (t *turn) participantTicket(in Inbound) string {
	tk := &ticketing.Ticket{Kind: ticketing.KindConsultation, Status: ticketing.StatusOpen,
		Details: map[string]string{"reason": "participant", "participant": in.User}}
	t.fillTicket(tk, "")
	if tk.Subject == "" {
		tk.Subject = truncate(strings.TrimSpace(in.Text), 120)
	}
	tk.Due.FirstResponse = t.deadline(t.e.pol.SLA.FirstResponse)
	if err := t.tx.Tickets().Create(t.ctx, tk, t.by("participant:"+in.User, "someone the customer copied wrote")); err != nil {
		t.fail(err)
		return ""
	}
	t.c.Tickets = append(t.c.Tickets, tk.ID)
	return tk.ID
}

func (t *turn) customerSays(in Inbound) {
	c := t.c
	t.typed = strings.TrimSpace(in.Text)
	text := simplified(t.typed)
	t.said = text
	t.kind = in.Kind
	shown := in.Text
	if in.Display != "" {
		shown = in.Display
	}
	msg := Message{ConversationID: c.ID, Dir: In, From: FromCustomer, Channel: c.Channel, User: c.User,
		Text: shown, ClientID: in.ID, TicketID: c.TicketID, At: t.now}
	t.in = append(t.in, msg)
	// The same words again to the same question, or too soon after to
	// have read the reply, are the message sent twice.
	if c.Said != nil && c.Said.Text == text && text != "" {
		since := t.now.Sub(c.Said.At)
		t.repeated = since < repeatWithin && c.Said.State == c.State && c.Said.Asking == c.Asking || since < doubleSend
	}
	t.before = c.Said
	c.Said = &Said{Text: text, At: t.now, State: c.State, Asking: c.Asking}
	if !c.Typed && !isControl(text) {
		// The first message the customer types sets the language, whatever
		// the page or the mail client claimed.
		if l := detectLang(text); l != "" {
			c.Lang, c.Customer.Lang, c.Typed = l, l, true
		}
	} else if c.State == Idle {
		// A new request written plainly in the other language switches to
		// it; inside a form an answer in the other script (a Chinese
		// address, a model number) does not.
		if l := plainLang(text); l != "" {
			c.Lang, c.Customer.Lang = l, l
		}
	}
	if in.Customer.Email != "" && c.Customer.Email == "" {
		c.Customer.Email = in.Customer.Email
	}
	if in.Customer.Name != "" && c.Customer.Name == "" {
		c.Customer.Name = in.Customer.Name
	}
	if in.Subject != "" && c.Subject == "" {
		c.Subject = in.Subject
	}
	if c.Customer.Email == "" && t.e.reachesByEmail(c.Channel) {
		if addr, only := emailGiven(text); addr != "" {
			t.noteEmail(addr)
			if only {
				t.say("email.noted", "email", addr)
				if c.State != HandedOff {
					t.reprompt()
					return
				}
			}
		}
	}
	if len(in.TooLarge) > 0 {
		// An invoice photo dropped for its size would otherwise vanish
		// without a word: the proof question would just come again.
		t.say("attachment.too_large", "names", strings.Join(in.TooLarge, t.text("list_sep")), "limit", sizeText(in.SizeLimit))
	}
	text = t.joinUnanswered(text)
	if c.State == HandedOff {
		if id := c.Handoff.TicketID; len(in.Attachments) == 0 && t.withdrawnAnswered(text) == id {
			// "接受" to the quote the agent withdrew: answered, and on the
			// ticket for the agent, who has nothing left to answer.
			t.answerWithdrawn(id, text)
			return
		}
		t.relayToAgent(text, in.Attachments)
		return
	}
	if c.Turn == 0 && c.Rev == 0 && text == "" && len(in.Attachments) == 0 {
		t.greet()
		return
	}
	if t.command(commandOf(text)) {
		return
	}
	if c.State != RepairQuote && c.State != HandedOff && t.quoteReply(text) {
		return // a quote answered from another question
	}
	before := c.State
	if wantsHuman(text) {
		t.escalate("requested")
	} else if docs := documents(in.Attachments); !t.staleForm(text, docs) {
		t.dispatch(text, docs)
	}
	if before != Idle && c.State == Idle && c.Later != nil {
		t.offerLater() // the first of two requests is done
	}
	if c.State == HandedOff && c.Customer.Email == "" && t.e.reachesByEmail(c.Channel) {
		t.say("email.offer") // the person's reply may come after the customer has left
		t.expect(InputEmail)
	}
}

// noteEmail records the customer's email address on the conversation and
// on its current ticket, where the agents see it.
func (t *turn) noteEmail(addr string) {
	c := t.c
	c.Customer.Email = addr
	id := c.TicketID
	if c.Handoff != nil {
		id = c.Handoff.TicketID
	}
	if id == "" {
		return
	}
	t.updateTicket(id, "customer", "email address given", func(tk *ticketing.Ticket) error {
		if tk.Customer.Email == "" {
			tk.Customer.Email = addr
		}
		return nil
	})
}

// dispatch hands the message to the current state.
func (t *turn) dispatch(text string, att []Attachment) {
	switch t.c.State {
	case Idle:
		if !t.addToRating(text) {
			t.idle(text, att)
		}
	case ConsultOffer:
		t.consultOffer(text)
	case RepairCollect, ReturnCollect, InstallCollect, ComplaintCollect:
		t.collect(text, att)
	case RepairTroubleshoot:
		t.troubleshootAnswer(text, att)
	case RepairConfirm, ReturnConfirm, InstallConfirm:
		t.confirmAnswer(text, att)
	case RepairConsent:
		t.consentAnswer(text, att)
	case RepairQuote:
		t.quoteAnswer(text, att)
	case ReturnChoose:
		t.chooseAnswer(text, att)
	case RateScore:
		t.rateAnswer(text)
	case RateComment:
		if !t.lateComment(text, att) && !t.rescore(text) {
			t.commentAnswer(text)
		}
	default:
		t.fail(fmt.Errorf("dialog: conversation %s in unknown state %q", t.c.ID, t.c.State))
	}
}

// command runs a global command; false when text is none.
func (t *turn) command(cmd command) bool {
	c := t.c
	switch cmd {
	case cmdHuman:
		t.escalate("requested")
	case cmdRestart:
		t.reset()
		t.say("restart")
		t.menu()
	case cmdCancel:
		if p := c.pending(); c.State == Idle && p != nil && p.Name == slotFaultSince {
			c.dropPending(slotFaultSince) // "never mind" to which day the fault began
			t.say("fault_since.unknown")
			return true
		}
		if c.State == Idle {
			t.say("nothing_to_cancel")
			return true
		}
		if c.State == RepairQuote { // "算了" to a quote declines it: the ticket closes
			t.quoteAnswer("choice:no", nil)
			return true
		}
		switch c.State {
		case RateScore: // "算了吧", "never mind" to the rating declines it
			t.rateAnswer("skip")
			return true
		case RateComment: // and to the comment, skips it
			t.commentAnswer("skip")
			return true
		}
		if c.State == ConsultOffer { // "不用了" to passing the question on declines it
			t.keepDeclined()
		}
		t.cancelJourney()
		t.say("cancelled")
	case cmdBack:
		t.back()
	case cmdHelp:
		t.say("help")
		t.reprompt()
	case cmdGoOn: // "Continue" to the offer of a person: the question again
		c.Misses = 0
		t.reprompt()
	case cmdZh, cmdEn:
		c.Lang = map[command]string{cmdZh: "zh", cmdEn: "en"}[cmd]
		c.Customer.Lang = c.Lang
		t.say("lang_switched")
		t.reprompt()
	default:
		return false
	}
	return true
}

// reset abandons everything but the tickets and the language.
func (t *turn) reset() {
	if t.c.State != Idle {
		t.fire(evCancel) // every bot state can cancel; a handed-off conversation never gets here
	}
	t.clearJourney()
}

func (t *turn) clearJourney() {
	c := t.c
	c.Slots = map[string]Slot{}
	c.Asking, c.Misses, c.Confirm, c.Back, c.Together = "", 0, nil, nil, nil
}

func (t *turn) cancelJourney() {
	t.fire(evCancel)
	t.clearJourney()
	t.c.TicketID = ""
}

// back restores the previous question.
func (t *turn) back() {
	c := t.c
	if len(c.Back) == 0 {
		t.say("nothing_to_go_back_to")
		t.reprompt()
		return
	}
	s := c.Back[len(c.Back)-1]
	c.Back = c.Back[:len(c.Back)-1]
	// The snapshot's map may be shared with earlier copies of the
	// conversation: change a copy.
	c.State, c.Asking, c.Slots, c.Confirm, c.Misses, c.Together = s.State, s.Asking, maps.Clone(s.Slots), nil, 0, nil
	if c.Slots == nil {
		c.Slots = map[string]Slot{}
	}
	delete(c.Slots, s.Asking)
	t.reprompt()
}

// remember records the current question for "back".
func (t *turn) remember() {
	c := t.c
	if c.Asking == "" {
		return
	}
	slots := maps.Clone(c.Slots)
	if slots == nil {
		slots = map[string]Slot{}
	}
	c.Back = append(c.Back, Snapshot{State: c.State, Asking: c.Asking, Slots: slots})
	if len(c.Back) > 20 {
		c.Back = c.Back[len(c.Back)-20:]
	}
}

// reprompt repeats whatever the conversation is waiting for.
func (t *turn) reprompt() {
	c := t.c
	switch c.State {
	case Idle:
		if p := c.pending(); p != nil && p.Name == slotFaultSince {
			t.askFaultSince() // the question which day the fault began stands
			return
		}
		t.menu()
	case RepairCollect, ReturnCollect, InstallCollect, ComplaintCollect:
		t.askNext()
	case RepairConfirm, ReturnConfirm, InstallConfirm:
		t.summary()
	case RepairTroubleshoot:
		t.ask("troubleshoot.ask", t.yesNoChoices())
	case RepairConsent:
		t.offerPaid()
	case RepairQuote:
		t.askQuote()
	case ReturnChoose:
		t.offerOptions()
	case ConsultOffer:
		t.offerConsult()
	case RateScore:
		t.askRating()
	case RateComment:
		t.askComment()
	}
}

func (t *turn) greet() {
	t.say("greeting")
	if !t.e.pol.IsOpen(t.now) {
		if next, err := t.e.pol.NextOpening(t.now); err == nil {
			t.say("after_hours", "opens", t.when(&next))
		}
	}
	t.menu()
}

func (t *turn) menu() {
	t.ask("menu", []Choice{
		t.choice("intent:repair", "menu.repair"),
		t.choice("intent:return", "menu.return"),
		t.choice("intent:install", "menu.install"),
		t.choice("intent:complaint", "menu.complaint"),
		t.choice("cmd:human", "menu.human"),
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// sizeText writes a size limit in bytes for customers: "10 MB", "512 KB".
func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatInt(n>>20, 10) + " MB"
	case n >= 1<<10:
		return strconv.FormatInt(n>>10, 10) + " KB"
	}
	return strconv.FormatInt(n, 10) + " B"
}

// asTyped returns s, a part of the message as read, as the customer typed
// it: an address or a description written in Traditional Chinese is kept so
// (台北市信義區…), not converted to the Simplified form it was read in.
func (t *turn) asTyped(s string) string {
	if t.typed == t.said || len(t.typed) != len(t.said) {
		return s // nothing converted, or not character for character
	}
	if i := strings.Index(t.said, s); i >= 0 {
		return t.typed[i : i+len(s)]
	}
	return s
}
