package dialog_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/supportd/supportd/dialog"
)

// FuzzConversation feeds arbitrary customer messages to one conversation:
// the engine never fails on customer text, always answers unless a person
// owns the conversation or the message is the last one sent again, and
// never shows a text key instead of its text.
func FuzzConversation(f *testing.F) {
	for _, s := range []string{"我的洗衣机不转了，去年3月买的", "TV-55X", "不对，是去年5月买的", "actually it was May", "是", "no",
		"转人工", "back", "restart", "<img src=x onerror=alert(1)>", "２０２６年３月５日", "\x00\xff", "5分", "option:return", "model:ZZZ", "intent:nope"} {
		f.Add(s, "hello")
	}
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	eng, db := newEngine(f, &now)
	ctx := context.Background()
	n := 0
	f.Fuzz(func(t *testing.T, first, second string) {
		n++
		user := fmt.Sprint("fuzz", n)
		for i, text := range []string{first, second} {
			res, err := eng.Handle(ctx, dialog.Inbound{Channel: "webchat", User: user, ID: fmt.Sprint(i), Text: text})
			if err != nil {
				t.Fatalf("%q: %v", text, err)
			}
			c, err := db.Conversation(ctx, res.ConversationID)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Replies) == 0 && c.State != dialog.HandedOff && (i == 0 || second != first) {
				t.Fatalf("%q: no reply in state %s", text, c.State)
			}
			for _, m := range res.Replies {
				if rawKey.MatchString(m.Text) {
					t.Fatalf("%q: raw text key %q", text, m.Text)
				}
			}
		}
	})
}
