package slack

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/store/sqlite"
	"github.com/supportd/supportd/ticketing"
)

// committed is the engine's OnCommit listener: it notes what changed and
// wakes the sync. It does not block.
func (d *Desk) committed(cm dialog.Commit) {
	d.mu.Lock()
	if cm.ConversationID != "" {
		d.convs[cm.ConversationID] = true
	}
	for _, id := range cm.Tickets {
		d.tickets[id] = true
	}
	d.mu.Unlock()
	signal(d.dirty)
}

// markTicket asks the sync to look at a ticket again.
func (d *Desk) markTicket(id string) {
	d.mu.Lock()
	d.tickets[id] = true
	d.mu.Unlock()
	signal(d.dirty)
}

// runSync brings Slack in line with the store: escalations posted, their
// messages updated, customer messages and ratings relayed. Work that fails
// is tried again after the poll interval.
func (d *Desk) runSync(ctx context.Context) error {
	retry := time.NewTicker(d.opts.PollInterval)
	defer retry.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-d.dirty:
		case <-retry.C:
		}
		d.mu.Lock()
		tickets, convs := d.tickets, d.convs
		d.tickets, d.convs = map[string]bool{}, map[string]bool{}
		d.mu.Unlock()
		// The customer's messages first: what they said comes before what
		// it caused (their answer to a quote, their rating). A thread not
		// posted yet relays nothing: its escalation shows the messages.
		for id := range convs {
			if err := d.relay(ctx, id); err != nil && ctx.Err() == nil {
				d.log.Warn("relay", "conversation", id, "err", err)
				d.markLater("", id)
			}
		}
		for id := range tickets {
			if err := d.syncTicket(ctx, id); err != nil && ctx.Err() == nil {
				d.log.Warn("sync ticket", "ticket", id, "err", err)
				d.markLater(id, "")
			}
		}
	}
}

// markLater queues work again without waking the sync at once.
func (d *Desk) markLater(ticket, conv string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if ticket != "" {
		d.tickets[ticket] = true
	}
	if conv != "" {
		d.convs[conv] = true
	}
}

// conversation returns a ticket's conversation, nil when it has none.
func (d *Desk) conversation(ctx context.Context, tk *ticketing.Ticket) (*dialog.Conversation, error) {
	if tk.ConversationID == "" {
		return nil, nil
	}
	c, err := d.store.Conversation(ctx, tk.ConversationID)
	if errors.Is(err, dialog.ErrNotFound) {
		return nil, nil
	}
	return c, err
}

// view gathers what the escalation message of a ticket shows.
func (d *Desk) view(ctx context.Context, tk *ticketing.Ticket, conv *dialog.Conversation) (escalation, error) {
	e := escalation{tk: tk, conv: conv, now: d.now(), owner: d.mention(ctx, tk.Assignee)}
	if conv != nil {
		h, err := d.store.History(ctx, conv.ID, transcriptLines)
		if err != nil {
			return e, err
		}
		e.hist = h
	}
	return e, nil
}

// digest identifies what the escalation message shows, so that it is
// updated only when that changed: the ticket, its owner, the countdown to
// its deadlines as time passes ("3 working days", then "1 working day",
// then "overdue"), or where thread replies go.
func (d *Desk) digest(e escalation) string {
	sum := sha256.Sum256([]byte(d.dueLine(e)))
	dg := fmt.Sprintf("v%d|%t|%s|%x", e.tk.Version, e.conv != nil && e.conv.Handoff != nil, e.owner, sum[:8])
	if d.internalByDefault() {
		// The help line says replies stay internal: a message rendered
		// in the other mode is rendered again.
		dg += "|internal"
	}
	return dg
}

// channelFor routes a ticket to its Slack channel: its kind and its
// product's category ("repair/major-appliances"), else its kind, else the
// default channel.
func (d *Desk) channelFor(tk *ticketing.Ticket) string {
	if p, ok := d.policy().Product(tk.Model); ok {
		if ch := d.cfg.Channels[string(tk.Kind)+"/"+p.Category]; ch != "" {
			return ch
		}
	}
	if ch := d.cfg.Channels[string(tk.Kind)]; ch != "" {
		return ch
	}
	return d.cfg.DefaultChannel
}

// syncTicket posts a ticket's escalation when it needs one, or updates it,
// and posts the rating and the quote's outcome in its thread.
func (d *Desk) syncTicket(ctx context.Context, id string) error {
	tk, err := d.store.Get(ctx, id)
	if err != nil {
		return err
	}
	conv, err := d.conversation(ctx, tk)
	if err != nil {
		return err
	}
	th, ok, err := d.db.SlackThread(ctx, id)
	if err != nil {
		return err
	}
	if !ok {
		if !escalates(tk, conv) || closed(tk.Status) {
			return nil
		}
		th, err := d.escalate(ctx, tk, conv)
		if err != nil {
			return err
		}
		return d.ownerNote(ctx, tk, th)
	}
	e, err := d.view(ctx, tk, conv)
	if err != nil {
		return err
	}
	if dg := d.digest(e); dg != th.Rendered {
		text, blocks := d.render(e)
		if err := d.api.update(ctx, th.Channel, th.TS, text, blocks); err != nil {
			return fmt.Errorf("update %s: %w", id, err)
		}
		th.Rendered = dg
		if err := d.db.SlackSaveThread(ctx, th); err != nil {
			return err
		}
	}
	if (tk.Quote != nil && tk.Quote.Status != ticketing.QuotePending || tk.Satisfaction != nil) && conv != nil {
		// What the customer said comes before what it caused (their answer
		// to the quote, their rating), even when the ticket is synced first.
		if err := d.relay(ctx, conv.ID); err != nil {
			return err
		}
	}
	if q := tk.Quote; q != nil && q.Status != ticketing.QuotePending {
		key := fmt.Sprintf("quote:%s:%s:%s", id, q.Status, q.Amount)
		text := fmt.Sprintf("💬 The customer's answer to the quote of %s %s: *%s*.", q.Amount, d.policy().Currency, q.Status)
		if _, _, err := d.post(ctx, key, th.Channel, th.TS, text, nil); err != nil {
			return err
		}
	}
	if s := tk.Satisfaction; s != nil {
		text := fmt.Sprintf("⭐ The customer rated the service %d/5 %s", s.Score, strings.Repeat("★", s.Score)+strings.Repeat("☆", 5-s.Score))
		if c := strings.TrimSpace(s.Comment); c != "" {
			text += "\n> " + esc(clip(oneLine(c), 1000))
		}
		if _, _, err := d.post(ctx, "rating:"+id, th.Channel, th.TS, text, nil); err != nil {
			return err
		}
	}
	return d.ownerNote(ctx, tk, th) // when it failed after the escalation
}

// ownerNote says once in a complaint's thread that the engine assigned it
// to the configured complaint owner (dialog.complaint_owner) when it was
// filed, mentioning them, while they own it: the escalation shows the owner,
// but only a claim in the thread said so until now.
func (d *Desk) ownerNote(ctx context.Context, tk *ticketing.Ticket, th sqlite.SlackThread) error {
	o := d.complaintOwner()
	if o.Agent == "" || tk.Kind != ticketing.KindComplaint || closed(tk.Status) || !strings.EqualFold(tk.Assignee, o.Agent) {
		return nil
	}
	key := "owner:" + tk.ID
	if p, ok, err := d.db.SlackPost(ctx, key); err != nil || ok && p.TS != "" {
		return err
	}
	evs, err := d.store.Events(ctx, tk.ID)
	if err != nil {
		return err
	}
	// The engine's claim at filing is the bot's; agents claim as themselves.
	if !slices.ContainsFunc(evs, func(ev ticketing.Event) bool { return ev.Actor == "bot" && ev.Note == "claimed" }) {
		return nil
	}
	text := fmt.Sprintf("📌 Assigned to %s by configuration (complaint owner, dialog.complaint_owner) when it was filed: the customer was told that %s owns it.",
		d.mention(ctx, tk.Assignee), esc(o.Name))
	_, _, err = d.post(ctx, key, th.Channel, th.TS, text, nil)
	return err
}

// escalate posts a ticket's escalation message, starts relaying its
// conversation after the messages the message shows, and returns its thread.
func (d *Desk) escalate(ctx context.Context, tk *ticketing.Ticket, conv *dialog.Conversation) (sqlite.SlackThread, error) {
	e, err := d.view(ctx, tk, conv)
	if err != nil {
		return sqlite.SlackThread{}, err
	}
	text, blocks := d.render(e)
	ch, ts, err := d.post(ctx, "ticket:"+tk.ID, d.channelFor(tk), "", text, blocks)
	if err != nil {
		return sqlite.SlackThread{}, err
	}
	th := sqlite.SlackThread{TicketID: tk.ID, Channel: ch, TS: ts, Rendered: d.digest(e), PostedAt: time.Now()}
	if err := d.db.SlackSaveThread(ctx, th); err != nil {
		return th, err
	}
	d.log.Info("escalation posted", "ticket", tk.ID, "kind", tk.Kind, "channel", ch)
	if conv != nil && len(e.hist) > 0 {
		return th, d.db.SlackSetRelayed(ctx, conv.ID, e.hist[len(e.hist)-1].Seq)
	}
	return th, nil
}

// relayWindow is how many of a conversation's last messages a relay reads.
const relayWindow = 50

// relay posts a conversation's new customer messages in the thread of the
// ticket it is about, while that ticket is with a person or current.
func (d *Desk) relay(ctx context.Context, id string) error {
	// The messages first, the conversation after: the state a message is
	// judged by (afterDone) is then at least as new as the message. A score
	// read with the state from before it was given looked like the
	// customer writing again after the resolution.
	hist, err := d.store.History(ctx, id, relayWindow)
	if errors.Is(err, dialog.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	conv, err := d.store.Conversation(ctx, id)
	if err != nil {
		return err
	}
	var th sqlite.SlackThread
	found := false
	for _, tid := range []string{handoffTicket(conv), conv.TicketID} {
		if tid == "" || found {
			continue
		}
		if th, found, err = d.db.SlackThread(ctx, tid); err != nil {
			return err
		}
	}
	if !found {
		return nil
	}
	last, err := d.db.SlackRelayed(ctx, id)
	if err != nil {
		return err
	}
	var tk *ticketing.Ticket // read once there is a message to relay
	for _, m := range hist {
		if m.Seq <= last {
			continue
		}
		if m.From == dialog.FromCustomer {
			if tk == nil {
				if tk, err = d.store.Get(ctx, th.TicketID); err != nil {
					return err
				}
			}
			key := "msg:" + id + ":" + strconv.FormatInt(m.Seq, 10)
			for i, text := range customerPosts(m.Text, d.afterDone(ctx, tk, conv, m)) {
				k := key
				if i > 0 {
					k += ":" + strconv.Itoa(i+1)
				}
				if _, _, err := d.post(ctx, k, th.Channel, th.TS, text, nil); err != nil {
					return err
				}
			}
		}
		if err := d.db.SlackSetRelayed(ctx, id, m.Seq); err != nil {
			return err
		}
	}
	return nil
}

// afterDone is the line that heads a customer message written into the
// thread of a resolved ticket other than to rate it: the customer wrote
// again, and nobody watches a resolved ticket's thread, so its owner is
// mentioned (everyone here when it has none) and told how to take it up;
// the same for a ticket the customer reopened, saying its problem is not
// solved ("it is still broken"), until someone works on it, and for a
// message that does not answer the quote the ticket waits on (a question
// about it): the ticket lists as waiting, its deadlines stopped. "" otherwise:
// a closed ticket (a consultation handed back, a declined quote, a rating
// not given in time) is done, and the customer talks with the bot about
// something else.
func (d *Desk) afterDone(ctx context.Context, tk *ticketing.Ticket, conv *dialog.Conversation, m dialog.Message) string {
	if tk.Status == ticketing.StatusReopened {
		who := d.mention(ctx, tk.Assignee)
		if who == "" {
			who = "<!here>"
		}
		return fmt.Sprintf("↪️ %s %s was reopened: the customer says it is not solved. A reply here reaches them.", who, tk.ID)
	}
	if q := tk.Quote; q != nil && q.Status == ticketing.QuotePending && tk.Status == ticketing.StatusWaitingCustomer && conv.State == dialog.RepairQuote {
		// The customer wrote, and it did not answer the quote: a question
		// about it, most often, which only a person can answer, while the
		// ticket waits with its deadlines stopped and nobody watching.
		who := d.mention(ctx, tk.Assignee)
		if who == "" {
			who = "<!here>"
		}
		return fmt.Sprintf("❓ %s the customer wrote instead of answering the quote of %s %s of %s, which still waits for their answer: a reply here reaches them.",
			who, q.Amount, d.policy().Currency, tk.ID)
	}
	if tk.Status != ticketing.StatusResolved || conv.State == dialog.RateComment {
		return "" // not resolved, or the customer gave a score and is asked for a comment
	}
	if s := tk.Satisfaction; s != nil && !m.At.Before(s.At) {
		return "" // the rating, its comment, or later
	}
	who := d.mention(ctx, tk.Assignee)
	if who == "" {
		who = "<!here>"
	}
	return fmt.Sprintf("↪️ %s %s is %s, and the customer wrote again: a reply here reaches them and reopens it.", who, tk.ID, tk.Status)
}

// partLen bounds the escaped text of one part of a customer message in the
// thread, well under the 4,000 characters Slack shows of a message in full
// (it cuts a message's text at 40,000).
const partLen = 3500

// maxParts bounds the parts of one customer message (a long mail): about
// 40,000 characters, the rest said to be cut.
const maxParts = 12

// customerPosts are the thread messages that relay a customer message, all
// of it, escaped: one, or parts of it (1/3, 2/3, …) cut between words when
// it is longer than one message shows.
func customerPosts(text, head string) []string {
	parts := split(esc(text), partLen)
	cut := 0
	if len(parts) > maxParts {
		for _, p := range parts[maxParts:] {
			cut += utf8.RuneCountInString(p)
		}
		parts = parts[:maxParts]
		parts[maxParts-1] += fmt.Sprintf("\n_(cut here: %d more characters of this message are not shown)_", cut)
	}
	if head != "" {
		parts[0] = head + "\n" + parts[0]
	}
	if len(parts) == 1 {
		return []string{"💬 *Customer:* " + parts[0]}
	}
	out := make([]string, len(parts))
	for i, p := range parts {
		out[i] = fmt.Sprintf("💬 *Customer (%d/%d):* %s", i+1, len(parts), p)
	}
	return out
}

// split cuts escaped text into parts of at most n bytes, after a line or a
// space in a part's second half when there is one, never inside a
// character or an entity (&amp;).
func split(s string, n int) []string {
	var parts []string
	for len(s) > n {
		cut := n
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		if amp := strings.LastIndexByte(s[:cut], '&'); amp >= 0 && !strings.Contains(s[amp:cut], ";") {
			cut = amp
		}
		if i := strings.LastIndexAny(s[:cut], "\n "); i > n/2 {
			cut = i + 1
		}
		parts = append(parts, strings.TrimRight(s[:cut], " \n"))
		s = s[cut:]
	}
	return append(parts, s)
}

func handoffTicket(c *dialog.Conversation) string {
	if c.Handoff == nil {
		return ""
	}
	return c.Handoff.TicketID
}
