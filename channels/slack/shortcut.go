package slack

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/supportd/supportd/dialog"
)

// sendCallback is the callback id of the Send to customer message shortcut
// (slack/manifest.yaml).
const sendCallback = "send_to_customer"

// onSendShortcut handles the Send to customer message shortcut: the
// assignee sends one of their own replies in a ticket's thread to the
// customer, in either mode of channels.slack.thread_replies (a reply kept as
// a note, or one written with a note mark by mistake). The text goes as a
// thread reply does, without a note or send mark, once per message however
// often the shortcut is pressed (and not again when its event sent it). A
// shortcut on a message that is not a reply in a ticket's thread, on
// someone else's, or on one older than the record of what was sent is kept
// (retention), is refused, and the agent is told why.
func (d *Desk) onSendShortcut(ctx context.Context, cb slackapi.InteractionCallback) error {
	m, user := cb.Message, cb.User.ID
	ts := cmp.Or(m.Timestamp, cb.MessageTs)
	out := place{Channel: cb.Channel.ID, Thread: m.ThreadTimestamp}
	if m.ThreadTimestamp == "" || m.ThreadTimestamp == ts {
		return d.answerShortcut(ctx, cb, out, "Not sent to the customer: *Send to customer* works on a reply in the thread of a ticket's escalation message, and this message is not one.")
	}
	th, ok, err := d.db.SlackThreadAt(ctx, cb.Channel.ID, m.ThreadTimestamp)
	if err != nil {
		return err
	}
	if !ok {
		return d.answerShortcut(ctx, cb, out, "Not sent to the customer: this thread is not a ticket's. *Send to customer* works on your reply in the thread of a ticket's escalation message.")
	}
	at := place{Ticket: th.TicketID, Channel: th.Channel, Thread: th.TS}
	if m.BotID != "" || m.User != user {
		whose := "a bot's"
		if m.BotID == "" && m.User != "" {
			whose = "<@" + m.User + ">'s"
		}
		return d.tell(ctx, at, user, fmt.Sprintf("Not sent to the customer: only its author can send a message to the customer, and this one is %s. Write your own reply in the thread (begin it with `reply:` when replies here are internal).", whose))
	}
	if gone, err := d.db.SlackDeleted(ctx, cb.Channel.ID, ts); err != nil || gone {
		if err != nil {
			return err
		}
		return d.tell(ctx, at, user, "Not sent to the customer: this message was deleted in Slack.")
	}
	key := sentKey(cb.Channel.ID, ts)
	if p, ok, err := d.db.SlackPost(ctx, key); err != nil || ok && p.TS != "" {
		if err != nil {
			return err
		}
		return d.tell(ctx, at, user, "The customer has this message already: it was not sent again.")
	}
	if tooOld(ts, time.Now()) {
		return d.tell(ctx, at, user, fmt.Sprintf("Not sent to the customer: this message is more than %d days old, and whether the customer has it already is no longer known. "+
			"If they still need it, write it again as a new reply in the thread (begin it with `reply:` when replies here are internal).", int(retention.Hours()/24)))
	}
	me, listed, notListed, err := d.author(ctx, user)
	if err != nil {
		return err
	}
	tk, err := d.store.Get(ctx, th.TicketID)
	if err != nil {
		return err
	}
	if why := d.unsendable(ctx, tk, me, listed, notListed); why != "" {
		return d.tell(ctx, at, user, "Not sent to the customer: "+why+".")
	}
	text := shortcutText(withBlockEmoji(m.Text, m.Blocks), func(id string) string { return d.userName(ctx, id) })
	if text == "" {
		if why := customOnly(withBlockEmoji(m.Text, m.Blocks)); why != "" {
			return d.tell(ctx, at, user, why)
		}
		return d.tell(ctx, at, user, "Not sent to the customer: this message has no text to send (files are not sent to customers).")
	}
	conv, err := d.conversation(ctx, tk)
	if err != nil {
		return err
	}
	raw := withBlockEmoji(m.Text, m.Blocks)
	call, isCall := sentCall(raw)
	var lang string
	if isCall {
		// A call of a saved reply goes as its event would have sent it.
		var known bool
		name := func(id string) string { return d.userName(ctx, id) }
		if text, lang, known, err = d.fill(ctx, cb.Channel.ID, ts, raw, call, tk, conv, me.Name, name); err != nil || !known {
			if err != nil {
				return err
			}
			return d.tell(ctx, at, user, d.unknownSaved(call.name))
		}
	}
	reply := dialog.Action{Kind: dialog.ActReply, TicketID: tk.ID, Agent: me.ID, Name: me.Name, Channel: "slack", Text: text}
	sent := func() (bool, error) { return d.replied(ctx, tk.ConversationID, me.Name, text) }
	err = d.once(ctx, key, sent, func() error {
		if isCall {
			if err := d.keepFill(ctx, cb.Channel.ID, ts, raw, text); err != nil {
				return err
			}
		}
		_, err := d.eng.Act(ctx, reply)
		return refused(err)
	})
	var no *refusal
	if errors.As(err, &no) {
		return d.tell(ctx, at, user, "Not sent to the customer: "+esc(no.err.Error())+".")
	}
	if err != nil {
		return err
	}
	if err := d.tell(ctx, at, user, "Sent to the customer: \""+esc(clip(oneLine(text), 200))+"\""); err != nil {
		return err
	}
	var files []string
	for _, f := range m.Files {
		files = append(files, esc(firstOf(f.Name, f.Title, "a file")))
	}
	if err := d.delivered(ctx, at, user, ts, strings.Join(files, ", "), tk, conv); err != nil || !isCall {
		return err
	}
	_, _, err = d.post(ctx, "saved:"+key, at.Channel, at.Thread, savedSent(user, call.name, lang, text), nil)
	return err
}

// answerShortcut tells the agent who used a shortcut outside a ticket's
// thread why nothing was done: through the shortcut's response URL when it
// has one (the desk may not be in that channel), else in the channel.
func (d *Desk) answerShortcut(ctx context.Context, cb slackapi.InteractionCallback, at place, text string) error {
	if cb.ResponseURL != "" {
		return d.api.respond(ctx, cb.ResponseURL, &slackapi.WebhookMessage{ResponseType: slackapi.ResponseTypeEphemeral, Text: text})
	}
	return d.tell(ctx, at, cb.User.ID, text)
}

// tooOld reports whether a message (its Slack ts, seconds since the epoch)
// was written more than retention before now: the record that it went to
// the customer, made when it was sent, may be pruned by now (sqlite.
// SlackPrune), and sent again it could reach them twice. A ts that cannot
// be read is taken as too old.
func tooOld(ts string, now time.Time) bool {
	sec, _, _ := strings.Cut(ts, ".")
	n, err := strconv.ParseInt(sec, 10, 64)
	return err != nil || now.Sub(time.Unix(n, 0)) > retention
}
