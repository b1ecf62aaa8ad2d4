package dovecot

import (
	"errors"
	"fmt"
	"os"
	"testing"

	"github.com/emersion/go-imap/v2"
)

// startServer starts a server, or skips the test when Dovecot is not installed
// (fails instead under SUPPORTD_INTEGRATION=1).
func startServer(t *testing.T) *Server {
	t.Helper()
	s, err := Start(t.Context(), Options{User: "agent", Password: "pw"})
	if errors.Is(err, ErrNotInstalled) {
		if os.Getenv("SUPPORTD_INTEGRATION") == "1" {
			t.Fatal("SUPPORTD_INTEGRATION=1 but " + err.Error())
		}
		t.Skip(err.Error() + "; SUPPORTD_INTEGRATION=1 makes this a failure")
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
	return s
}

// TestAppend: mails appended in one pipelined batch are all stored, in
// order, unseen; Stop removes the server's directory.
func TestAppend(t *testing.T) {
	s := startServer(t)
	const n = 40
	mails := make([][]byte, n)
	for i := range mails {
		mails[i] = fmt.Appendf(nil, "From: c%d@example.net\nSubject: Case %d\nMessage-ID: <m%d@example.net>\n\nHello\n", i, i, i)
	}
	if err := s.Append(t.Context(), "INBOX", mails...); err != nil {
		t.Fatal(err)
	}
	c, err := s.Dial()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	st, err := c.Status("INBOX", &imap.StatusOptions{NumMessages: true, NumUnseen: true, UIDNext: true}).Wait()
	if err != nil {
		t.Fatal(err)
	}
	if *st.NumMessages != n || *st.NumUnseen != n || st.UIDNext != n+1 {
		t.Errorf("messages %d, unseen %d, uidnext %d; want %d, %d, %d", *st.NumMessages, *st.NumUnseen, st.UIDNext, n, n, n+1)
	}
	if _, err := c.Select("INBOX", nil).Wait(); err != nil {
		t.Fatal(err)
	}
	section := &imap.FetchItemBodySection{Peek: true}
	msgs, err := c.Fetch(imap.UIDSetNum(7), &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{section}}).Collect()
	if err != nil || len(msgs) != 1 {
		t.Fatalf("fetch UID 7: %d messages, %v", len(msgs), err)
	}
	if got, want := string(msgs[0].FindBodySection(section)), string(CRLF(mails[6])); got != want {
		t.Errorf("UID 7 = %q, want %q", got, want)
	}
	c.Close()
	s.Stop()
	if _, err := os.Stat(s.Dir); !os.IsNotExist(err) {
		t.Errorf("directory %s after Stop: %v", s.Dir, err)
	}
	if _, err := s.Dial(); err == nil {
		t.Error("a login works after Stop")
	}
}

func TestCRLF(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"lf", "a\nb\n", "a\r\nb\r\n"},
		{"crlf", "a\r\nb\r\n", "a\r\nb\r\n"},
		{"mixed", "a\r\nb\nc", "a\r\nb\r\nc"},
		{"none", "abc", "abc"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(CRLF([]byte(tc.in))); got != tc.want {
				t.Errorf("CRLF(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
