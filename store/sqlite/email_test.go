package sqlite

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/supportd/supportd/channels/email/mailstore"
	"github.com/supportd/supportd/dialog"
)

func TestEmailCheckpoints(t *testing.T) {
	db := openConvDB(t)
	ctx := t.Context()
	if cp, err := db.Checkpoint(ctx, "INBOX"); err != nil || cp != (mailstore.Checkpoint{}) {
		t.Fatalf("fresh checkpoint = %+v %v", cp, err)
	}
	for _, cp := range []mailstore.Checkpoint{{UIDValidity: 7, LastUID: 10}, {UIDValidity: 7, LastUID: 12}, {UIDValidity: 9, LastUID: 0}} {
		if err := db.SetCheckpoint(ctx, "INBOX", cp); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.Checkpoint(ctx, "INBOX"); got != cp {
			t.Errorf("checkpoint = %+v, want %+v", got, cp)
		}
	}
	if got, _ := db.Checkpoint(ctx, "Other"); got != (mailstore.Checkpoint{}) {
		t.Errorf("another mailbox shares the checkpoint: %+v", got)
	}
}

func TestEmailInboundRecords(t *testing.T) {
	db := openConvDB(t)
	ctx := t.Context()
	rec := mailstore.Inbound{Key: "m1@x", Sender: "a@b.example", Mailbox: "INBOX", UIDValidity: 3, UID: 5, Subject: "s"}
	for want := 1; want <= 3; want++ {
		got, err := db.BeginInbound(ctx, rec)
		if err != nil {
			t.Fatal(err)
		}
		if got.Attempts != want || got.Status != mailstore.StatusProcessing || got.Terminal() {
			t.Errorf("attempt %d: %+v", want, got)
		}
	}
	if _, err := db.BeginInbound(ctx, mailstore.Inbound{}); err == nil {
		t.Error("an empty key was accepted")
	}
	rec.Status, rec.ConversationID, rec.Attempts = mailstore.StatusDone, "c1", 3
	links := []mailstore.Link{{MessageID: "m1@x", ConversationID: "c1", Dir: mailstore.In, Subject: "s"}, {MessageID: "", ConversationID: "c1"}}
	if err := db.FinishInbound(ctx, rec, links); err != nil {
		t.Fatal(err)
	}
	got, found, err := db.Inbound(ctx, "m1@x", "a@b.example")
	if err != nil || !found || !got.Terminal() || got.ConversationID != "c1" || got.Attempts != 3 {
		t.Errorf("record = %+v %v %v", got, found, err)
	}
	if _, found, _ := db.Inbound(ctx, "m1@x", "other@b.example"); found {
		t.Error("the record is keyed by the sender too")
	}
	// Final without a begin: automated mail with its raw copy.
	auto := mailstore.Inbound{Key: "sha256:ab", Sender: "mailer-daemon@x", Status: mailstore.StatusAutomated, Reason: "report", Raw: []byte("raw")}
	if err := db.FinishInbound(ctx, auto, nil); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := db.Inbound(ctx, "sha256:ab", "mailer-daemon@x"); string(got.Raw) != "raw" || got.Attempts != 1 {
		t.Errorf("automated record = %+v", got)
	}
}

func TestEmailThreads(t *testing.T) {
	db := openConvDB(t)
	ctx := t.Context()
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	// Mails read link their ids when their record is finished; a linked id
	// keeps its first link.
	link := func(key string, links ...mailstore.Link) {
		t.Helper()
		rec := mailstore.Inbound{Key: key, Sender: "s@x", Status: mailstore.StatusDone, At: t0}
		if err := db.FinishInbound(ctx, rec, links); err != nil {
			t.Fatal(err)
		}
	}
	link("k1",
		mailstore.Link{MessageID: "a@x", ConversationID: "c1", Dir: mailstore.In, Subject: "first", At: t0},
		mailstore.Link{MessageID: "b@x", ConversationID: "c1", Dir: mailstore.Out, At: t0.Add(time.Minute)},
		mailstore.Link{MessageID: "c@x", ConversationID: "c2", Dir: mailstore.In, At: t0})
	link("k2", mailstore.Link{MessageID: "a@x", ConversationID: "c9", Dir: mailstore.In})
	for _, tc := range []struct {
		ids  []string
		want string
	}{{[]string{"a@x"}, "c1"}, {[]string{"zz", "c@x", "a@x"}, "c2"}, {[]string{"", "zz"}, ""}, {nil, ""}} {
		got, found, err := db.Thread(ctx, tc.ids)
		if err != nil || got != tc.want || found != (tc.want != "") {
			t.Errorf("Thread(%v) = %q %v %v, want %q", tc.ids, got, found, err, tc.want)
		}
	}
	links, err := db.Links(ctx, "c1")
	if err != nil || len(links) != 2 || links[0].MessageID != "a@x" || links[0].Subject != "first" || links[1].Dir != mailstore.Out {
		t.Errorf("links = %+v %v", links, err)
	}
}

func TestEmailOutbound(t *testing.T) {
	db := openConvDB(t)
	ctx := t.Context()
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	rec := mailstore.Outbound{MessageID: "supportd.c1.2@x", ConversationID: "c1", FirstSeq: 2, LastSeq: 3, Recipient: "a@b", Auto: true, Status: mailstore.SendQueued, At: t0}
	if err := db.PutOutbound(ctx, rec, nil, nil); err != nil {
		t.Fatal(err)
	}
	rec.Status, rec.Attempts, rec.At = mailstore.SendSending, 1, t0.Add(time.Hour)
	if err := db.PutOutbound(ctx, rec, nil, nil); err != nil {
		t.Fatal(err)
	}
	got, found, err := db.Outbound(ctx, rec.MessageID)
	if err != nil || !found || got.Status != mailstore.SendSending || got.Attempts != 1 || !got.Auto || got.LastSeq != 3 {
		t.Errorf("record = %+v %v %v", got, found, err)
	}
	for i, st := range []string{mailstore.SendSent, mailstore.SendCapped, mailstore.SendFailed, mailstore.SendAbandoned} {
		r := mailstore.Outbound{MessageID: "m" + st, ConversationID: "c1", Recipient: "a@b", Auto: true, Status: st, At: t0.Add(time.Duration(i) * time.Minute)}
		if err := db.PutOutbound(ctx, r, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	agent := mailstore.Outbound{MessageID: "agent", ConversationID: "c1", Recipient: "a@b", Status: mailstore.SendSent, At: t0}
	if err := db.PutOutbound(ctx, agent, nil, nil); err != nil {
		t.Fatal(err)
	}
	// sending + sent + abandoned count; capped, failed and agents' do not.
	if n, err := db.AutoRepliesSince(ctx, "a@b", t0.Add(-time.Hour)); err != nil || n != 3 {
		t.Errorf("auto replies = %d %v, want 3", n, err)
	}
	// The count is by the first attempt's time, not the last change.
	if n, _ := db.AutoRepliesSince(ctx, "a@b", t0.Add(30*time.Minute)); n != 0 {
		t.Errorf("auto replies since later = %d, want 0", n)
	}
}

func TestEmailCommittedIn(t *testing.T) {
	db := openConvDB(t)
	ctx := t.Context()
	emailConversation(t, db, "c-1", dialog.Message{Dir: dialog.In, From: dialog.FromCustomer, Text: "hi", ClientID: "m1@x"})
	if id, ok, err := db.CommittedIn(ctx, "email", "a@b.example", "m1@x"); err != nil || !ok || id != "c-1" {
		t.Errorf("CommittedIn = %q %v %v", id, ok, err)
	}
	for _, tc := range [][3]string{{"email", "other@b.example", "m1@x"}, {"webchat", "a@b.example", "m1@x"}, {"email", "a@b.example", ""}, {"email", "a@b.example", "m2@x"}} {
		if _, ok, _ := db.CommittedIn(ctx, tc[0], tc[1], tc[2]); ok {
			t.Errorf("CommittedIn%v found a message", tc)
		}
	}
}

func TestEmailTables(t *testing.T) {
	db := openConvDB(t)
	var n int
	if err := db.SQL().QueryRowContext(context.Background(), `SELECT count(*) FROM sqlite_master WHERE name LIKE 'email_%'`).Scan(&n); err != nil || n < 4 {
		t.Errorf("email tables = %d %v", n, err)
	}
}

// TestEmailOutboundWithLinksAndDelivery: the send record, the link of its
// Message-ID and the delivery of its messages commit together, or not at
// all.
func TestEmailOutboundWithLinksAndDelivery(t *testing.T) {
	db := openConvDB(t)
	ctx := t.Context()
	c := emailConversation(t, db, "c-1", dialog.Message{Dir: dialog.Out, From: dialog.FromBot, Text: "one"},
		dialog.Message{Dir: dialog.Out, From: dialog.FromBot, Text: "two"})
	pending := func() int {
		msgs, err := db.Pending(ctx, "email", 0)
		if err != nil {
			t.Fatal(err)
		}
		return len(msgs)
	}
	if n := pending(); n != 2 {
		t.Fatalf("pending = %d, want 2", n)
	}
	msgs, _ := db.Pending(ctx, "email", 0)
	seqs := []int64{msgs[0].Seq, msgs[1].Seq}
	rec := mailstore.Outbound{MessageID: "supportd.c-1.1@x", ConversationID: c.ID, FirstSeq: seqs[0], LastSeq: seqs[1],
		Recipient: "a@b.example", Auto: true, Status: mailstore.SendSending, Attempts: 1}
	link := mailstore.Link{MessageID: rec.MessageID, ConversationID: c.ID, Dir: mailstore.Out, Subject: "Re: hi"}
	if err := db.PutOutbound(ctx, rec, []mailstore.Link{link}, nil); err != nil {
		t.Fatal(err)
	}
	if id, ok, err := db.Thread(ctx, []string{rec.MessageID}); err != nil || !ok || id != c.ID {
		t.Errorf("Thread(own id) = %q %v %v, want the conversation", id, ok, err)
	}
	if n := pending(); n != 2 {
		t.Errorf("pending after the sending record = %d, want 2", n)
	}

	// A delivery of a message the conversation does not have undoes the
	// whole write: the record stays "sending".
	bad := rec
	bad.Status = mailstore.SendSent
	if err := db.PutOutbound(ctx, bad, nil, []int64{seqs[0], 99}); !errors.Is(err, dialog.ErrNotFound) {
		t.Fatalf("PutOutbound with an unknown seq = %v, want ErrNotFound", err)
	}
	if got, _, _ := db.Outbound(ctx, rec.MessageID); got.Status != mailstore.SendSending {
		t.Errorf("status after the failed write = %q, want sending", got.Status)
	}
	if n := pending(); n != 2 {
		t.Errorf("pending after the failed write = %d, want 2", n)
	}

	rec.Status = mailstore.SendSent
	if err := db.PutOutbound(ctx, rec, nil, seqs); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := db.Outbound(ctx, rec.MessageID); got.Status != mailstore.SendSent {
		t.Errorf("status = %q, want sent", got.Status)
	}
	if n := pending(); n != 0 {
		t.Errorf("pending after the sent record = %d, want 0", n)
	}
}

// emailConversation commits a conversation of a@b.example on email with
// messages, in one turn.
func emailConversation(t *testing.T, db *DB, id string, msgs ...dialog.Message) *dialog.Conversation {
	t.Helper()
	ctx := t.Context()
	c := benchConversation(id)
	c.Channel, c.User = "email", "a@b.example"
	err := db.Turn(ctx, func(tx dialog.Tx) error {
		if err := tx.Save(ctx, c); err != nil {
			return err
		}
		for _, m := range msgs {
			m.ConversationID, m.At = c.ID, c.Updated
			if err := tx.Append(ctx, &m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestEmailParticipants: a finished record adds its participants to its
// conversation in the same write, once each; a record without a
// conversation adds none.
func TestEmailParticipants(t *testing.T) {
	db := openConvDB(t)
	ctx := t.Context()
	finish := func(key, conv string, addrs ...string) {
		t.Helper()
		rec := mailstore.Inbound{Key: key, Sender: "alice@x", Status: mailstore.StatusDone, ConversationID: conv, Participants: addrs}
		if err := db.FinishInbound(ctx, rec, nil); err != nil {
			t.Fatal(err)
		}
	}
	finish("k1", "c1", "bob@x", "carol@x")
	finish("k2", "c1", "bob@x", "dave@x")
	finish("k3", "", "eve@x")
	finish("k4", "c2", "frank@x")
	got, err := db.Participants(ctx, "c1")
	if err != nil || !slices.Equal(got, []string{"bob@x", "carol@x", "dave@x"}) {
		t.Errorf("participants of c1 = %v %v", got, err)
	}
	if got, err := db.Participants(ctx, "c9"); err != nil || len(got) != 0 {
		t.Errorf("participants of an unknown conversation = %v %v", got, err)
	}
	var n int
	if err := db.SQL().QueryRow(`SELECT count(*) FROM email_participants WHERE address = 'eve@x'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("a record without a conversation added %d participants (%v)", n, err)
	}
}
