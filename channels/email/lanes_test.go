package email

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestSendersSideBySide: the mails of a batch are processed side by side by
// sender, each sender's in UID order and one at a time: a sender's second
// mail, a reply to the first, lands in the first's conversation.
func TestSendersSideBySide(t *testing.T) {
	e := newEnv(t)
	const senders, each = 4, 3
	for i := range each {
		for s := range senders {
			m := customerMail{From: fmt.Sprintf("s%d@example.net", s), Subject: "AC-35 install",
				MessageID: fmt.Sprintf("s%d-m%d@example.net", s, i), Body: fmt.Sprintf("How do I install the AC-35? (part %d)", i)}
			if i > 0 {
				m.InReplyTo = fmt.Sprintf("s%d-m%d@example.net", s, i-1)
			}
			e.deliver("INBOX", m.String())
		}
	}
	var mu sync.Mutex
	inTurn := map[string]int{} // by sender
	most, mostOfOne := 0, 0
	total := 0
	r := e.start(func(c *Channel) {
		c.beforeTurn = func(key string) error {
			mu.Lock()
			defer mu.Unlock()
			sender := strings.Split(key, "-")[0]
			inTurn[sender]++
			total++
			mostOfOne = max(mostOfOne, inTurn[sender])
			most = max(most, total)
			return nil
		}
		c.afterTurn = func(key string) error {
			time.Sleep(5 * time.Millisecond) // a slow record: the other senders go on meanwhile
			mu.Lock()
			defer mu.Unlock()
			inTurn[strings.Split(key, "-")[0]]--
			total--
			return nil
		}
	})
	defer r.stop(t)
	e.eventually("every mail recorded", 10*time.Second, func() bool {
		return e.count(`SELECT count(*) FROM email_inbound WHERE status = 'done'`) == senders*each
	})
	mu.Lock()
	if mostOfOne != 1 {
		t.Errorf("one sender's mails in turns at once = %d, want 1", mostOfOne)
	}
	if most < 2 {
		t.Errorf("turns at once = %d, want several senders side by side", most)
	}
	mu.Unlock()
	if n := e.conversations(); n != senders {
		t.Errorf("conversations = %d, want %d (one per sender: each reply threads onto the mail before it)", n, senders)
	}
	for s := range senders {
		rows, err := e.db.SQL().Query(`SELECT m.data ->> '$.text' FROM messages m JOIN conversations c ON c.id = m.conversation_id
			WHERE c.channel_user = ? AND m.dir = 'in' ORDER BY m.seq`, fmt.Sprintf("s%d@example.net", s))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for rows.Next() {
			var text string
			if err := rows.Scan(&text); err != nil {
				t.Fatal(err)
			}
			got = append(got, text)
		}
		rows.Close()
		if len(got) != each {
			t.Errorf("sender %d: %d messages, want %d: %q", s, len(got), each, got)
			continue
		}
		for i, text := range got {
			if !strings.Contains(text, fmt.Sprintf("(part %d)", i)) {
				t.Errorf("sender %d: message %d is %q, want part %d (UID order)", s, i, text, i)
			}
		}
	}
}

// TestLaneLocks: one lane is held by one caller at a time, other lanes are
// not held up, and a lane's entry goes once nobody holds or waits for it.
func TestLaneLocks(t *testing.T) {
	var l laneLocks
	unlockA := l.lock("a")
	got := make(chan string, 2)
	var wg sync.WaitGroup
	wg.Go(func() {
		defer l.lock("a")()
		got <- "a again"
	})
	wg.Go(func() {
		defer l.lock("b")()
		got <- "b"
	})
	select {
	case s := <-got:
		if s != "b" {
			t.Fatalf("%s took the lane held by another caller", s)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("lane b waited for lane a")
	}
	select {
	case s := <-got:
		t.Fatalf("%s took the lane held by another caller", s)
	case <-time.After(20 * time.Millisecond):
	}
	unlockA()
	select {
	case <-got:
	case <-time.After(5 * time.Second):
		t.Fatal("lane a not taken after its release")
	}
	wg.Wait()
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.locks) != 0 {
		t.Errorf("lanes left = %d, want 0", len(l.locks))
	}
}
