package webchat

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/supportd/supportd/dialog"
)

// TestOpenedNotWritten: a visitor who opens the chat and writes nothing
// leaves no conversation behind; the first message stores it with the
// greeting the visitor was shown, which no socket is sent twice.
func TestOpenedNotWritten(t *testing.T) {
	e := newWSEnv(t)
	ctx := context.Background()
	idle := e.dial(nil)
	w := idle.hello("", "en")
	if len(w.History) < 2 || w.History[0].Seq != 1 || w.History[0].From != dialog.FromBot || w.Lang != "en" {
		t.Fatalf("welcome = %+v, want the greeting numbered from 1", w)
	}
	idle.conn.Close()
	waitFor(t, 10*time.Second, "the socket gone", func() bool { return e.openSockets() == 0 })
	if _, err := e.db.Conversation(ctx, w.ConversationID); !errors.Is(err, dialog.ErrNotFound) {
		t.Fatalf("opening the chat stored conversation %s: %v", w.ConversationID, err)
	}
	if err := e.db.Turn(ctx, func(tx dialog.Tx) error {
		_, err := tx.Find(ctx, ChannelName, mustVisitor(t, e, w.Token))
		return err
	}); !errors.Is(err, dialog.ErrNotFound) {
		t.Errorf("the visitor has a stored conversation: %v", err)
	}

	// Back (a reload, another page of the shop), in another language: the
	// same conversation and greeting, as first shown.
	a := e.dial(nil)
	wa := a.hello(w.Token, "zh")
	b := e.dial(nil)
	wb := b.hello(w.Token, "zh")
	if wa.ConversationID != w.ConversationID || wa.Lang != "en" || len(wa.History) != len(w.History) || wa.History[0].Text != w.History[0].Text {
		t.Fatalf("back after a reload: %+v, want the first greeting %+v", wa, w)
	}
	if wb.ConversationID != wa.ConversationID || len(wb.History) != len(wa.History) {
		t.Fatalf("two tabs greeted into %s and %s: %+v, %+v", wa.ConversationID, wb.ConversationID, wa.History, wb.History)
	}
	e.clock.set(wsStart(e.cfg).Add(time.Minute)) // the second tab's greeting is the first's, as of then
	wb2 := e.dial(nil).hello(w.Token, "en")
	for i, m := range wa.History {
		if wb.History[i].Text != m.Text || wb.History[i].Seq != m.Seq || !wb2.History[i].At.Equal(m.At) || wb2.History[i].Text != m.Text {
			t.Errorf("greeting %d: first tab %+v, later tabs %+v and %+v", i, m, wb.History[i], wb2.History[i])
		}
	}
	n := int64(len(wa.History))
	fromA := ofType(a.say("my TV-55X has no sound"), "message")
	if len(fromA) < 2 || fromA[0].Seq != n+1 || fromA[0].From != "customer" {
		t.Fatalf("tab a got %+v, want its message numbered %d first, then the replies", fromA, n+1)
	}
	fromB := ofType(b.until(10*time.Second, func(f frame) bool { return f.Type == "message" && f.Seq == fromA[len(fromA)-1].Seq }), "message")
	if len(fromB) != len(fromA) || fromB[0].Seq != n+1 {
		t.Errorf("tab b got %+v, want what tab a got", fromB)
	}
	hist, err := e.db.History(ctx, wa.ConversationID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(hist)) != n+int64(len(fromA)) {
		t.Fatalf("stored %d messages, want the greeting's %d and the turn's %d", len(hist), n, len(fromA))
	}
	for i, m := range wa.History {
		if hist[i].Seq != m.Seq || hist[i].Text != m.Text || hist[i].DeliveredAt == nil {
			t.Errorf("stored greeting %d = %+v, want %+v as shown, delivered", i, hist[i], m)
		}
	}

	// Later tabs are welcomed from the store: the same history.
	c := e.dial(nil)
	wc := c.hello(w.Token, "en")
	if wc.ConversationID != wa.ConversationID || len(wc.History) != len(hist) {
		t.Errorf("a later tab got %s with %d messages, want %s with %d", wc.ConversationID, len(wc.History), wa.ConversationID, len(hist))
	}
}

// TestUploadBeforeFirstMessage: a visitor whose first message is a photo
// of the invoice uploads it into the conversation the chat was greeted into.
func TestUploadBeforeFirstMessage(t *testing.T) {
	e := newWSEnv(t)
	c := e.dial(nil)
	w := c.hello("", "zh")
	ref, status := e.upload(t, w.Token, "invoice.png", pngBytes())
	if status != 201 {
		t.Fatalf("upload: %d", status)
	}
	c.send(map[string]any{"v": 1, "type": "attachment", "id": "a1", "ref": ref})
	fs := c.barrier()
	if errs := ofType(fs, "error"); len(errs) > 0 {
		t.Fatalf("the attachment was refused: %+v", errs)
	}
	msgs := ofType(fs, "message")
	if len(msgs) == 0 || msgs[0].From != "customer" || msgs[0].Text != "invoice.png" {
		t.Fatalf("the turn sent %+v, want the attachment echoed", msgs)
	}
	hist, err := e.db.History(context.Background(), w.ConversationID, 0)
	if err != nil {
		t.Fatal(err)
	}
	in := 0
	for _, m := range hist {
		if m.Dir == dialog.In {
			in++
			if m.Text != "invoice.png" || m.ClientID != "a1" {
				t.Errorf("stored %+v, want the attachment", m)
			}
		}
	}
	if in != 1 {
		t.Errorf("the greeted conversation has %d customer messages, want the attachment", in)
	}
	if _, err := e.ch.meta(w.ConversationID, ref); err != nil {
		t.Errorf("the upload is not in the conversation: %v", err)
	}
}

func mustVisitor(t *testing.T, e *wsEnv, token string) string {
	t.Helper()
	v, ok := e.ch.sign.visitor(token)
	if !ok {
		t.Fatalf("token %q does not verify", token)
	}
	return v
}

// TestUploadAcrossReconnect: the socket drops while the visitor's first
// action, an invoice photo, uploads; the reconnected widget sends it into
// the same conversation. A conversation never stored is forgotten, with
// its uploads, pendingKeep after the visitor left.
func TestUploadAcrossReconnect(t *testing.T) {
	e := newWSEnv(t)
	first := e.dial(nil)
	w := first.hello("", "zh")
	first.conn.Close()
	waitFor(t, 10*time.Second, "the socket gone", func() bool { return e.openSockets() == 0 })
	ref, status := e.upload(t, w.Token, "invoice.png", pngBytes())
	if status != 201 {
		t.Fatalf("upload: %d", status)
	}
	again := e.dial(nil)
	if w2 := again.hello(w.Token, "zh"); w2.ConversationID != w.ConversationID {
		t.Fatalf("reconnected into %s, want %s", w2.ConversationID, w.ConversationID)
	}
	again.send(map[string]any{"v": 1, "type": "attachment", "id": "a1", "ref": ref})
	if errs := ofType(again.barrier(), "error"); len(errs) > 0 {
		t.Fatalf("the attachment was refused after the reconnect: %+v", errs)
	}

	// Another visitor uploads, leaves and never comes back.
	gone := e.dial(nil)
	wg := gone.hello("", "zh")
	oref, status := e.upload(t, wg.Token, "receipt.png", pngBytes())
	if status != 201 {
		t.Fatalf("upload: %d", status)
	}
	gone.conn.Close()
	waitFor(t, 10*time.Second, "the socket gone", func() bool { return e.openSockets() == 1 })
	e.ch.prunePending(e.clock.now()) // not yet: left just now
	if _, err := e.ch.meta(wg.ConversationID, oref); err != nil {
		t.Fatalf("the upload is gone before its time: %v", err)
	}
	e.ch.prunePending(e.clock.now().Add(time.Second))
	if _, err := e.ch.meta(wg.ConversationID, oref); err == nil {
		t.Error("the upload of a conversation never stored is kept after the visitor left for good")
	}
	if _, err := e.ch.meta(w.ConversationID, ref); err != nil {
		t.Errorf("the upload of the stored conversation is gone: %v", err)
	}
	if c := e.dial(nil).hello(wg.Token, "zh"); c.ConversationID == wg.ConversationID {
		t.Error("a forgotten conversation came back")
	}
}

// TestGreetedLanguageKept: a tab in another language that answers the
// greeting first keeps the conversation in the greeting's language.
func TestGreetedLanguageKept(t *testing.T) {
	e := newWSEnv(t)
	a := e.dial(nil)
	w := a.hello("", "en")
	b := e.dial(nil)
	b.hello(w.Token, "zh")
	b.send(map[string]any{"v": 1, "type": "choice", "id": "c1", "value": "intent:repair", "label": "Report a fault"})
	msgs := replies(b.barrier())
	if len(msgs) == 0 || !strings.Contains(msgs[0].Text, "repair") {
		t.Errorf("the bot answered %+v, want English", msgs)
	}
	conv, err := e.db.Conversation(context.Background(), w.ConversationID)
	if err != nil {
		t.Fatal(err)
	}
	hist, err := e.db.History(context.Background(), w.ConversationID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if conv.Lang != "en" || hist[0].Text != w.History[0].Text {
		t.Errorf("stored in %s with the greeting %q, want en and %q", conv.Lang, hist[0].Text, w.History[0].Text)
	}
}

// TestUploadIntoGreetingContinuedElsewhere: the visitor uploads into the
// greeted conversation, not stored yet, while the store gets the visitor's
// conversation another way (another node); the attachment then continues
// that one, and the upload goes with it: the stored message's file can be
// downloaded, and it is not deleted with the forgotten greeting.
func TestUploadIntoGreetingContinuedElsewhere(t *testing.T) {
	ctx := context.Background()
	e := newWSEnv(t)
	c := e.dial(nil)
	w := c.hello("", "en")
	ref, status := e.upload(t, w.Token, "invoice.png", pngBytes())
	if status != 201 {
		t.Fatalf("upload: %d", status)
	}
	visitor := mustVisitor(t, e, w.Token)
	other, err := e.eng.Handle(ctx, dialog.Inbound{Channel: ChannelName, User: visitor, ID: "n1", Text: "hello", Live: true})
	if err != nil {
		t.Fatal(err)
	}
	if other.ConversationID == w.ConversationID {
		t.Fatal("the other node continued the greeted conversation")
	}
	c.send(map[string]any{"v": 1, "type": "attachment", "id": "a1", "ref": ref})
	fs := c.barrier()
	if errs := ofType(fs, "error"); len(errs) > 0 {
		t.Fatalf("the attachment was refused: %+v", errs)
	}
	hist, err := e.db.History(ctx, other.ConversationID, 0)
	if err != nil {
		t.Fatal(err)
	}
	var sent *dialog.Message
	for i := range hist {
		if hist[i].ClientID == "a1" {
			sent = &hist[i]
		}
	}
	if sent == nil || sent.Text != "invoice.png" {
		t.Fatalf("the conversation %s holds %+v, want the attachment", other.ConversationID, hist)
	}
	if _, err := e.ch.meta(other.ConversationID, ref); err != nil {
		t.Errorf("the upload is not with the message that names it: %v", err)
	}
	req, _ := http.NewRequest("GET", e.srv.URL+"/chat/upload/"+ref, nil)
	req.Header.Set("Authorization", "Bearer "+w.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("download of the attachment: %d, want 200", resp.StatusCode)
	}
	c.conn.Close()
	waitFor(t, 10*time.Second, "the socket gone", func() bool { return e.openSockets() == 0 })
	e.ch.prunePending(e.clock.now().Add(2 * pendingKeep))
	if _, err := e.ch.meta(other.ConversationID, ref); err != nil {
		t.Errorf("the upload is gone with the forgotten greeting: %v", err)
	}
}

// TestUploadWrittenWhileGreetingContinuedElsewhere: an upload into the
// greeted conversation is still being written when the visitor's first
// frame continues the conversation stored another way; the file, finished
// after the others moved, follows them: the attachment naming it is stored
// in that conversation, its file found there, and kept when the greeting is
// forgotten.
func TestUploadWrittenWhileGreetingContinuedElsewhere(t *testing.T) {
	ctx := context.Background()
	e := newWSEnv(t)
	c := e.dial(nil)
	w := c.hello("", "en")
	visitor := mustVisitor(t, e, w.Token)

	// The upload starts: the handler has the greeted conversation and
	// writes the file's first part.
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	req, _ := http.NewRequest("POST", e.srv.URL+"/chat/upload", pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+w.Token)
	type result struct {
		ref    string
		status int
		err    error
	}
	done := make(chan result, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			done <- result{err: err}
			return
		}
		defer resp.Body.Close()
		var out struct{ Ref string }
		_ = json.NewDecoder(resp.Body).Decode(&out)
		done <- result{ref: out.Ref, status: resp.StatusCode}
	}()
	png := pngBytes()
	fw, err := mw.CreateFormFile("file", "invoice.png")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fw.Write(png[:len(png)/2]); err != nil {
		t.Fatal(err)
	}
	greeted := filepath.Join(e.ch.dir, w.ConversationID)
	waitFor(t, 10*time.Second, "the upload being written", func() bool {
		tmp, _ := filepath.Glob(filepath.Join(greeted, "upload-*"))
		return len(tmp) == 1
	})

	// Meanwhile the store gets the visitor's conversation another way, and
	// the visitor's first frame continues it.
	other, err := e.eng.Handle(ctx, dialog.Inbound{Channel: ChannelName, User: visitor, ID: "n1", Text: "hello", Live: true})
	if err != nil {
		t.Fatal(err)
	}
	c.send(map[string]any{"v": 1, "type": "message", "id": "m1", "text": "my TV-55X has no sound"})
	c.barrier()
	if e.ch.movedTo(w.ConversationID) != other.ConversationID {
		t.Fatalf("the greeting %s was not continued in %s", w.ConversationID, other.ConversationID)
	}

	// The upload finishes.
	if _, err := fw.Write(png[len(png)/2:]); err != nil {
		t.Fatal(err)
	}
	mw.Close()
	pw.Close()
	res := <-done
	if res.err != nil || res.status != 201 {
		t.Fatalf("upload: %d, %v", res.status, res.err)
	}
	c.send(map[string]any{"v": 1, "type": "attachment", "id": "a1", "ref": res.ref})
	if errs := ofType(c.barrier(), "error"); len(errs) > 0 {
		t.Fatalf("the attachment was refused: %+v", errs)
	}
	if _, err := e.ch.meta(other.ConversationID, res.ref); err != nil {
		t.Errorf("the upload did not follow the conversation: %v", err)
	}
	if _, err := os.Stat(greeted); !os.IsNotExist(err) {
		t.Errorf("the greeted conversation's directory is left behind: %v", err)
	}
	c.conn.Close()
	waitFor(t, 10*time.Second, "the socket gone", func() bool { return e.openSockets() == 0 })
	e.ch.prunePending(e.clock.now().Add(2 * pendingKeep))
	if _, err := e.ch.meta(other.ConversationID, res.ref); err != nil {
		t.Errorf("the upload is gone with the forgotten greeting: %v", err)
	}
	if e.ch.movedTo(w.ConversationID) != "" {
		t.Error("the move is remembered after the greeting was forgotten")
	}
}
