package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/supportd/supportd/channels/email/mailstore"
	"github.com/supportd/supportd/store/sqlite"
)

const brokenMail = "From: a@example.net\r\nSubject: broken\r\nContent-Type: multipart/mixed; boundary=zz\r\n\r\n--zz\r\nnot base64 ****\r\n"

// seedMail writes the mail log of a few mails read and sent into a fresh
// data directory and returns it.
func seedMail(t *testing.T) string {
	t.Helper()
	return dataDir(t, func(ctx context.Context, db *sqlite.DB) {
		t0 := time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)
		for i, r := range []mailstore.Inbound{
			{Key: "good@example.net", Sender: "a@example.net", Subject: "TV no sound", Status: mailstore.StatusDone, ConversationID: "c_1", Reason: "new"},
			{Key: "broken@example.net", Sender: "a@example.net", Subject: "broken", Status: mailstore.StatusQuarantined, Attempts: 1,
				Reason: "malformed mail: multipart: NextPart: EOF", Raw: []byte(brokenMail)},
			{Key: "bounce@example.net", Sender: "mailer-daemon@example.org", Subject: "Undelivered Mail", Status: mailstore.StatusAutomated,
				Reason: "Auto-Submitted: auto-replied", Raw: []byte("From: mailer-daemon@example.org\r\n\r\nbounce")},
		} {
			r.Mailbox, r.UIDValidity, r.UID, r.At = "INBOX", 7, uint32(i+1), t0.Add(time.Duration(i)*time.Minute)
			if err := db.FinishInbound(ctx, r, nil); err != nil {
				t.Fatal(err)
			}
		}
		for i, r := range []mailstore.Outbound{
			{MessageID: "supportd.c_1.2@shop.example", ConversationID: "c_1", FirstSeq: 2, LastSeq: 3, Recipient: "a@example.net", Auto: true, Status: mailstore.SendSent, Attempts: 1},
			{MessageID: "supportd.c_2.2@shop.example", ConversationID: "c_2", FirstSeq: 2, LastSeq: 2, Recipient: "b@example.net", Status: mailstore.SendAbandoned, Attempts: 2, Error: "in doubt twice"},
		} {
			r.At = t0.Add(time.Duration(i) * time.Minute)
			if err := db.PutOutbound(ctx, r, nil, nil); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func TestMailLog(t *testing.T) {
	dir := seedMail(t)

	code, out, errOut := cli(t, "mail", "list", "--data", dir)
	if code != 0 {
		t.Fatalf("mail list: exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 || !strings.Contains(lines[1], "automated") || !strings.Contains(lines[3], "done") {
		t.Fatalf("mail list, newest first:\n%s", out)
	}
	for _, want := range []string{"2026-11-25 10:02", "mailer-daemon@example.org", "Auto-Submitted: auto-replied",
		"malformed mail: multipart", "quarantined", "c_1", "good@example.net"} {
		if !strings.Contains(out, want) {
			t.Errorf("mail list lacks %q:\n%s", want, out)
		}
	}

	code, out, errOut = cli(t, "mail", "list", "--status", "quarantined", "--json", "--data", dir)
	var recs []mailstore.Inbound
	if code != 0 || json.Unmarshal([]byte(out), &recs) != nil || len(recs) != 1 || recs[0].Key != "broken@example.net" || recs[0].Raw != nil {
		t.Errorf("mail list --status quarantined --json: exit %d %s\n%s", code, errOut, out)
	}

	code, out, errOut = cli(t, "mail", "show", "broken@example.net", "--raw", "--data", dir)
	if code != 0 || out != brokenMail {
		t.Errorf("mail show --raw: exit %d %s\n%q", code, errOut, out)
	}
	code, out, _ = cli(t, "mail", "show", "broken@example.net", "--data", dir)
	for _, want := range []string{"status:", "quarantined", "INBOX (uid 2, uidvalidity 7)", "malformed mail", "bytes (--raw prints it)"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("mail show lacks %q (exit %d):\n%s", want, code, out)
		}
	}

	code, out, errOut = cli(t, "mail", "sent", "--data", dir)
	if code != 0 || !strings.Contains(out, "abandoned") || !strings.Contains(out, "in doubt twice") || !strings.Contains(out, "supportd.c_1.2@shop.example") {
		t.Errorf("mail sent: exit %d %s\n%s", code, errOut, out)
	}
	code, out, _ = cli(t, "mail", "sent", "--status", "abandoned", "--data", dir)
	if code != 0 || strings.Contains(out, "supportd.c_1.2") || !strings.Contains(out, "b@example.net") {
		t.Errorf("mail sent --status abandoned: exit %d\n%s", code, out)
	}
	code, out, _ = cli(t, "mail", "sent", "--status", "capped", "--data", dir)
	if code != 0 || strings.TrimSpace(out) != "no mail sent" {
		t.Errorf("mail sent --status capped: exit %d %q", code, out)
	}
	code, out, _ = cli(t, "mail", "sent", "--status", "capped", "--json", "--data", dir)
	if code != 0 || strings.TrimSpace(out) != "[]" {
		t.Errorf("mail sent --status capped --json: exit %d %q, want []", code, out)
	}
}

func TestMailBadInput(t *testing.T) {
	dir := seedMail(t)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"list", "--status", "bogus", "--data", dir}, 2, `--status: unknown status "bogus" (want processing, done, automated, own, quarantined)`},
		{[]string{"sent", "--status", "done", "--data", dir}, 2, `--status: unknown status "done" (want queued, sending, sent, failed, abandoned, capped)`},
		{[]string{"list", "--limit", "-1", "--data", dir}, 2, "--limit"},
		{[]string{"show", "--data", dir}, 2, "missing argument"},
		{[]string{"show", "nope@example.net", "--data", dir}, 1, "no mail with the key"},
		{[]string{"show", "good@example.net", "--raw", "--data", dir}, 1, "no raw copy"},
		{[]string{"purge"}, 2, "unknown subcommand"},
		{nil, 2, "want 'mail list'"},
	} {
		code, _, errOut := cli(t, append([]string{"mail"}, tc.args...)...)
		if code != tc.code || !strings.Contains(errOut, tc.want) {
			t.Errorf("mail %v: exit %d %q, want exit %d containing %q", tc.args, code, errOut, tc.code, tc.want)
		}
	}
}

// A mail log cut at --limit (100 by default) says so, on stderr; --json
// holds the records asked for.
func TestMailLogSaysWhenCut(t *testing.T) {
	dir := seedMail(t)
	for _, tc := range []struct {
		args []string
		rows int
		cut  bool
	}{
		{[]string{"list", "--limit", "2"}, 2, true},
		{[]string{"list", "--limit", "3"}, 3, false},
		{[]string{"sent", "--limit", "1"}, 1, true},
		{[]string{"sent"}, 2, false},
	} {
		code, out, errOut := cli(t, append(append([]string{"mail"}, tc.args...), "--data", dir)...)
		rows := strings.Count(out, "\n") - 1 // the header
		noted := strings.Contains(errOut, "shown: --limit N for more, --limit 0 for all")
		if code != 0 || rows != tc.rows || noted != tc.cut {
			t.Errorf("mail %v: exit %d, %d rows, stderr %q; want %d rows, cut %v\n%s", tc.args, code, rows, errOut, tc.rows, tc.cut, out)
		}
	}
	_, out, _ := cli(t, "mail", "list", "--limit", "2", "--json", "--data", dir)
	var recs []map[string]any
	if err := json.Unmarshal([]byte(out), &recs); err != nil || len(recs) != 2 {
		t.Errorf("--json --limit 2: %v, %d records\n%s", err, len(recs), out)
	}
}
