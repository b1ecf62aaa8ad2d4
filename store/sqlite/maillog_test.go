package sqlite

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/supportd/supportd/channels/email/mailstore"
	"github.com/supportd/supportd/dialog"
)

// TestLeftChats: the chats whose pending replies go by email are those with
// an address whose oldest pending reply is stale, or that have mail already.
func TestLeftChats(t *testing.T) {
	db := openConvDB(t)
	ctx := t.Context()
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	chat := func(id, channel, email string, pendingAt time.Time, delivered bool) {
		t.Helper()
		c := benchConversation(id)
		c.Channel, c.User, c.Customer.Email = channel, "v-"+id, email
		err := db.Turn(ctx, func(tx dialog.Tx) error {
			if err := tx.Save(ctx, c); err != nil {
				return err
			}
			m := &dialog.Message{ConversationID: id, Dir: dialog.Out, From: dialog.FromAgent, Text: "reply", At: pendingAt}
			if delivered {
				m.DeliveredAt = &pendingAt
			}
			return tx.Append(ctx, m)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	chat("left", "webchat", "a@example.com", t0, false)                      // stale, with an address: yes
	chat("fresh", "webchat", "b@example.com", t0.Add(9*time.Minute), false)  // not stale yet
	chat("anonymous", "webchat", "", t0, false)                              // no address
	chat("read", "webchat", "c@example.com", t0, true)                       // nothing pending
	chat("mailed", "webchat", "d@example.com", t0.Add(9*time.Minute), false) // fresh, but went on by email
	chat("other", "email", "e@example.com", t0, false)                       // another channel
	if err := db.PutOutbound(ctx, mailstore.Outbound{MessageID: "supportd.mailed.1@x", ConversationID: "mailed", Recipient: "d@example.com",
		Status: mailstore.SendSent}, []mailstore.Link{{MessageID: "supportd.mailed.1@x", ConversationID: "mailed", Dir: mailstore.Out}}, nil); err != nil {
		t.Fatal(err)
	}
	got, err := db.LeftChats(ctx, "webchat", t0.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"left", "mailed"}; !slices.Equal(got, want) {
		t.Errorf("LeftChats = %v, want %v", got, want)
	}
}

func TestLeftChatsPlan(t *testing.T) {
	db := openConvDB(t)
	p := queryPlan(t, db, sqlLeftChats, "webchat", formatTime(time.Now()))
	t.Log(p)
	if strings.Contains(p, "SCAN messages") || strings.Contains(p, "SCAN conversations") || strings.Contains(p, "SCAN t") {
		t.Errorf("plan scans a table: %s", p)
	}
}

// MailedSeqs: the messages of a conversation that went out in mails sent,
// not those of a mail still queued or another conversation's; by its index.
func TestMailedSeqs(t *testing.T) {
	db := openConvDB(t)
	ctx := t.Context()
	for _, r := range []mailstore.Outbound{
		{MessageID: "m1@x", ConversationID: "c-1", FirstSeq: 2, LastSeq: 3, Recipient: "a@example.com", Auto: true, Status: mailstore.SendSent},
		{MessageID: "m2@x", ConversationID: "c-1", FirstSeq: 5, LastSeq: 5, Recipient: "a@example.com", Status: mailstore.SendQueued},
		{MessageID: "m3@x", ConversationID: "c-2", FirstSeq: 1, LastSeq: 1, Recipient: "b@example.com", Status: mailstore.SendSent},
	} {
		if err := db.PutOutbound(ctx, r, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.MailedSeqs(ctx, "c-1")
	if err != nil || !slices.Equal(got, [][2]int64{{2, 3}}) {
		t.Errorf("MailedSeqs(c-1) = %v, %v; want [[2 3]]", got, err)
	}
	if p := queryPlan(t, db, sqlMailedSeqs, "c-1"); !strings.Contains(p, "email_outbound_conversation") {
		t.Errorf("plan does not use the index: %s", p)
	}
}
