package slack

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	slackapi "github.com/slack-go/slack"

	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/ticketing"
)

// The action ids of the escalation message's buttons.
const (
	actClaim    = "claim"
	actQuote    = "quote"
	actResolve  = "resolve"
	actHandback = "handback"
	actRelease  = "release"
	actWithdraw = "withdraw_quote"
)

// escaper escapes the three characters Slack's mrkdwn gives a meaning to:
// whatever a customer wrote can neither mention (<!channel>, <@U1>) nor link.
var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// esc makes outside text inert in a Slack message.
func esc(s string) string { return escaper.Replace(s) }

// clip shortens s to at most n runes, marking the cut with "…".
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// transcriptLines is how many of the last messages the escalation shows.
const transcriptLines = 8

// deadlineLabels say what a deadline is, in the agent's words.
var deadlineLabels = map[string]string{"first_response": "answer", "resolution": "resolution", "onsite": "visit"}

// deadlines lists a ticket's deadlines by name, in a fixed order.
func deadlines(tk *ticketing.Ticket) [][2]any {
	var out [][2]any
	for _, d := range []struct {
		name string
		at   *time.Time
	}{{"first_response", tk.Due.FirstResponse}, {"resolution", tk.Due.Resolution}, {"onsite", tk.Due.Onsite}} {
		if d.at != nil {
			out = append(out, [2]any{d.name, *d.at})
		}
	}
	return out
}

// when writes a moment near now as "Mon 15:04", farther as "Mon 2 Jan 15:04".
func (d *Desk) when(at, now time.Time) string {
	t := at.In(d.policy().Location())
	if dt := t.Sub(now); dt > 6*24*time.Hour || dt < -6*24*time.Hour {
		return t.Format("Mon 2 Jan 15:04")
	}
	return t.Format("Mon 15:04")
}

// due says when a deadline falls, as an agent would: "answer due Tue 18:00,
// 1 working day", or "answer was due Tue 18:00 (overdue)".
func (d *Desk) due(label string, at, now time.Time) string {
	s := d.when(at, now)
	if !now.Before(at) {
		return fmt.Sprintf("%s was due %s (overdue)", label, s)
	}
	left := "today"
	switch n := d.policy().WorkingDaysBetween(now, at); n {
	case 0:
	case 1:
		left = "1 working day"
	default:
		left = fmt.Sprintf("%d working days", n)
	}
	return fmt.Sprintf("%s due %s, %s", label, s, left)
}

// reasons name why a ticket reached a person.
var reasons = map[string]string{
	"complaint": "complaint", "unanswered": "unanswered question", "quote": "quote to give",
	"requested": "the customer asked for a person", "misses": "the bot did not understand",
	"no_fault_return": "a return with no fault: check the shop's rules",
}

// reason says why the ticket is on the desk.
func reason(tk *ticketing.Ticket, conv *dialog.Conversation) string {
	if q := tk.Quote; q != nil && q.Status == ticketing.QuoteWithdrawn && !closed(tk.Status) {
		return "quote withdrawn: a new one to give"
	}
	if conv != nil && conv.Handoff != nil && conv.Handoff.TicketID == tk.ID {
		if r, ok := reasons[conv.Handoff.Reason]; ok {
			return r
		}
		return "handed to a person (" + conv.Handoff.Reason + ")"
	}
	if q := tk.Quote; q != nil && tk.Kind != ticketing.KindComplaint {
		switch q.Status {
		case ticketing.QuotePending:
			return "quote sent, waiting for the customer's answer"
		case ticketing.QuoteDeclined, ticketing.QuoteExpired:
			return "quote " + string(q.Status)
		}
	}
	switch {
	case tk.Kind == ticketing.KindComplaint:
		return "complaint"
	case tk.Kind == ticketing.KindRepair && tk.Details["estimate"] != "" && tk.Quote == nil:
		return "quote to give"
	case tk.Due.Onsite != nil:
		return "on-site visit to dispatch"
	case tk.Kind == ticketing.KindConsultation:
		return "unanswered question"
	}
	return string(tk.Kind)
}

// escalates reports whether a ticket needs a person: complaints, questions
// the bot could not answer, quotes to give, on-site visits to dispatch and
// conversations handed to a person.
func escalates(tk *ticketing.Ticket, conv *dialog.Conversation) bool {
	switch {
	case tk.Kind == ticketing.KindComplaint, tk.Kind == ticketing.KindConsultation:
		return true
	case tk.Kind == ticketing.KindRepair && tk.Details["estimate"] != "" && tk.Quote == nil:
		return true
	case tk.Due.Onsite != nil:
		return true
	}
	return conv != nil && conv.Handoff != nil && conv.Handoff.TicketID == tk.ID
}

// closed reports whether a ticket needs nothing more from an agent.
func closed(s ticketing.Status) bool {
	return s == ticketing.StatusResolved || s == ticketing.StatusClosed || s == ticketing.StatusCancelled
}

func mrkdwn(s string) *slackapi.TextBlockObject {
	return slackapi.NewTextBlockObject(slackapi.MarkdownType, s, false, false)
}

func plain(s string) *slackapi.TextBlockObject {
	return slackapi.NewTextBlockObject(slackapi.PlainTextType, s, false, false)
}

// escalation is what the escalation message shows of a ticket.
type escalation struct {
	tk    *ticketing.Ticket
	conv  *dialog.Conversation // nil: none
	hist  []dialog.Message     // the last messages
	owner string               // the assignee as a mention, "" when unclaimed
	now   time.Time
}

// render builds the escalation message: its notification text and blocks.
// Everything that comes from customers is escaped.
func (d *Desk) render(e escalation) (string, []slackapi.Block) {
	tk := e.tk
	title := fmt.Sprintf("%s · %s · %s", tk.ID, tk.Kind, reason(tk, e.conv))
	text := esc(title + ": " + clip(tk.Subject, 80))

	owner := "unclaimed"
	if e.owner != "" {
		owner = e.owner
	}
	fields := []*slackapi.TextBlockObject{
		mrkdwn("*Customer*\n" + esc(customer(tk))),
		mrkdwn("*Channel*\n" + esc(tk.Channel)),
		mrkdwn("*Product*\n" + esc(d.product(tk))),
		mrkdwn("*Warranty*\n" + esc(warranty(tk))),
		mrkdwn("*Status*\n" + esc(string(tk.Status))),
		mrkdwn("*Owner*\n" + owner),
	}
	blocks := []slackapi.Block{
		slackapi.NewHeaderBlock(plain(clip(title, 150))),
		slackapi.NewSectionBlock(mrkdwn("*"+esc(clip(tk.Subject, 200))+"*"), fields, nil),
	}
	if det := details(tk); det != "" {
		blocks = append(blocks, slackapi.NewSectionBlock(mrkdwn(det), nil, nil))
	}
	if due := d.dueLine(e); due != "" {
		blocks = append(blocks, slackapi.NewContextBlock("deadlines", mrkdwn(esc(due))))
	}
	if tr := transcript(e.hist); tr != "" {
		blocks = append(blocks, slackapi.NewSectionBlock(mrkdwn(tr), nil, nil))
	}
	if !closed(tk.Status) {
		blocks = append(blocks, slackapi.NewActionBlock("actions:"+tk.ID, buttons(tk, e.conv, d.policy().Currency)...))
	}
	blocks = append(blocks, slackapi.NewContextBlock("replies", mrkdwn(d.repliesHelp())))
	return text, blocks
}

// repliesHelp tells agents, under the escalation message and in /ticket's
// help, where their thread replies go (channels.slack.thread_replies) and
// how to do otherwise; with saved replies configured, how to send one.
func (d *Desk) repliesHelp() string {
	help := "💬 The assignee's replies in ticket threads go to the customer. Begin one with `note:` (`备注:`) or a mention to keep it internal; *Send to customer* in a reply's ⋯ menu sends one kept by mistake."
	if d.internalByDefault() {
		help = "🔒 Replies in ticket threads stay internal (notes). To send one to the customer, begin it with `reply:` (`回复:`), or use *Send to customer* in its ⋯ menu; only the assignee reaches the customer."
	}
	if len(d.savedReplies()) > 0 {
		help += " `!NAME` sends a saved reply (`/ticket replies` lists them)."
	}
	return help
}

// deadline says how one of a ticket's deadlines stands: met, standing still
// while the customer decides on a quote, or counting down ("answer due Mon
// 18:00, 3 working days", "… was due … (overdue)").
func (d *Desk) deadline(tk *ticketing.Ticket, name string, at, now time.Time) string {
	label := deadlineLabels[name]
	switch {
	case tk.Status == ticketing.StatusCancelled:
		// Cancelling meets no deadline (ticketing.MetIn): it stopped.
		return label + " stopped: cancelled"
	case name != "onsite" && met(tk, name):
		return label + " met"
	case waiting(tk):
		return label + " stopped: waiting for the customer (due " + d.when(at, now) + ")"
	}
	return d.due(label, at, now)
}

// dueLine is the escalation's line of deadlines as of e.now ("answer due
// Mon 18:00, 3 working days · …"), its quote and rating; "" when none.
func (d *Desk) dueLine(e escalation) string {
	tk := e.tk
	var due []string
	for _, dl := range deadlines(tk) {
		due = append(due, d.deadline(tk, dl[0].(string), dl[1].(time.Time), e.now))
	}
	if q := tk.Quote; q != nil {
		due = append(due, fmt.Sprintf("quote %s %s: %s", q.Amount, d.policy().Currency, q.Status))
	}
	if s := tk.Satisfaction; s != nil {
		due = append(due, fmt.Sprintf("rated %d/5", s.Score))
	}
	return strings.Join(due, " · ")
}

func buttons(tk *ticketing.Ticket, conv *dialog.Conversation, currency string) []slackapi.BlockElement {
	var bs []slackapi.BlockElement
	if tk.Assignee == "" {
		b := slackapi.NewButtonBlockElement(actClaim, tk.ID, plain("Claim"))
		b.Style = slackapi.StylePrimary
		bs = append(bs, b)
	}
	// A paid installation is quoted too; an in-warranty repair's note is
	// asked in the modal.
	if dialog.TakesQuote(tk, currency) == nil && tk.ConversationID != "" {
		bs = append(bs, slackapi.NewButtonBlockElement(actQuote, tk.ID, plain("Send quote")))
	}
	if q := tk.Quote; q != nil && q.Status == ticketing.QuotePending && !closed(tk.Status) {
		// Taken back before the customer answers (a wrong price): asked
		// once more, since the customer is told at once.
		b := slackapi.NewButtonBlockElement(actWithdraw, tk.ID, plain("Withdraw quote"))
		b.Confirm = slackapi.NewConfirmationBlockObject(plain("Withdraw the quote?"),
			plain(fmt.Sprintf("The customer is told that the quote of %s %s of %s no longer applies and that a new one may follow.", q.Amount, currency, tk.ID)),
			plain("Withdraw"), plain("Keep it"))
		bs = append(bs, b)
	}
	bs = append(bs, slackapi.NewButtonBlockElement(actResolve, tk.ID, plain("Resolve")))
	if conv != nil && conv.Handoff != nil {
		bs = append(bs, slackapi.NewButtonBlockElement(actHandback, tk.ID, plain("Hand back to bot")))
	}
	if tk.Assignee != "" {
		// The owner gives it up, to pass it to a colleague.
		bs = append(bs, slackapi.NewButtonBlockElement(actRelease, tk.ID, plain("Release")))
	}
	return bs
}

func customer(tk *ticketing.Ticket) string {
	var parts []string
	for _, s := range []string{tk.Customer.Name, tk.Customer.Email, tk.Customer.Phone} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 {
		return "(unknown)"
	}
	return clip(strings.Join(parts, ", "), 200)
}

func (d *Desk) product(tk *ticketing.Ticket) string {
	if tk.Model == "" {
		return "—"
	}
	s := tk.Model
	if p, ok := d.policy().Product(tk.Model); ok {
		s += " (" + p.Name.In("en") + ")"
	}
	if !tk.PurchaseDate.IsZero() {
		s += ", bought " + tk.PurchaseDate.String()
	}
	return s
}

func warranty(tk *ticketing.Ticket) string {
	w := tk.Warranty
	if w == nil {
		return "not checked"
	}
	if w.Covered {
		return fmt.Sprintf("covered until %s (%s)", w.Ends, w.Reason)
	}
	if w.Ends.IsZero() {
		return "not covered: " + w.Reason
	}
	return fmt.Sprintf("not covered: %s (ended %s)", w.Reason, w.Ends)
}

// details lists what the bot collected, escaped.
func details(tk *ticketing.Ticket) string {
	if len(tk.Details) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("*Details*")
	for _, k := range slices.Sorted(maps.Keys(tk.Details)) {
		fmt.Fprintf(&b, "\n• %s: %s", esc(k), esc(clip(tk.Details[k], 300)))
	}
	return clip(b.String(), 2900)
}

// transcript shows the last messages, escaped.
func transcript(hist []dialog.Message) string {
	if len(hist) == 0 {
		return ""
	}
	var lines []string
	for _, m := range hist {
		who := string(m.From)
		if m.From == dialog.FromAgent && m.Agent != "" {
			who = "agent " + m.Agent
		}
		lines = append(lines, fmt.Sprintf("> *%s*: %s", esc(who), esc(clip(oneLine(m.Text), 300))))
	}
	return clip("*Conversation*\n"+strings.Join(lines, "\n"), 2900)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// quoteCallback is the callback id of the quote modal.
const quoteCallback = "supportd_quote"

// quoteView is the modal an agent gives a quote in. meta is passed back on
// submission.
func quoteView(tk *ticketing.Ticket, currency, meta string) slackapi.ModalViewRequest {
	amount := slackapi.NewPlainTextInputBlockElement(plain("380"), "amount")
	note := slackapi.NewPlainTextInputBlockElement(plain("what the price covers"), "note")
	note.Multiline = true
	noteBlock := slackapi.NewInputBlock("note", plain("Note for the customer"), nil, note)
	noteBlock.Optional = true
	var hint []string
	if e := tk.Details["estimate"]; e != "" {
		hint = append(hint, "Estimate told to the customer: "+e+" "+currency)
	}
	if tk.Kind == ticketing.KindRepair && tk.Warranty != nil && tk.Warranty.Covered {
		// The customer was told the repair is free: they hear why not.
		noteBlock = slackapi.NewInputBlock("note", plain("What the inspection found (required)"), plain("The customer was told this repair is free (in warranty): they are told this finding with the price."), note)
		hint = append(hint, "In warranty: the note must say what the inspection found.")
	}
	return slackapi.ModalViewRequest{
		Type:            slackapi.VTModal,
		CallbackID:      quoteCallback,
		PrivateMetadata: meta,
		Title:           plain("Quote " + tk.ID),
		Submit:          plain("Send quote"),
		Close:           plain("Cancel"),
		Blocks: slackapi.Blocks{BlockSet: []slackapi.Block{
			slackapi.NewSectionBlock(mrkdwn(esc(strings.Join(append([]string{clip(tk.Subject, 200)}, hint...), "\n"))), nil, nil),
			slackapi.NewInputBlock("amount", plain("Price ("+currency+")"), nil, amount),
			noteBlock,
		}},
	}
}
