package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/supportd/supportd/store/sqlite"
	"github.com/supportd/supportd/ticketing"
)

// reportSeed writes a week of tickets (Shanghai time): a repair answered in
// time, resolved and rated 4; a complaint never answered; and an older
// repair rated 2 in the week.
func reportSeed(t *testing.T) string {
	t.Helper()
	cst := time.FixedZone("CST", 8*3600)
	at := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, cst) }
	ptr := func(t time.Time) *time.Time { return &t }
	return dataDir(t, func(ctx context.Context, db *sqlite.DB) {
		create := func(tk *ticketing.Ticket, when time.Time) string {
			if err := db.Create(ctx, tk, ticketing.By{Actor: "bot", Channel: tk.Channel, At: when}); err != nil {
				t.Fatal(err)
			}
			return tk.ID
		}
		update := func(id string, when time.Time, fn func(*ticketing.Ticket)) {
			if _, err := db.Update(ctx, id, ticketing.By{Actor: "agent:U1", Channel: "slack", At: when}, func(tk *ticketing.Ticket) error {
				fn(tk)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		}
		older := create(&ticketing.Ticket{Kind: ticketing.KindRepair, Subject: "washer", Channel: "webchat", Model: "WM-100"}, at(16, 10))
		update(older, at(24, 9), func(tk *ticketing.Ticket) {
			tk.Status = ticketing.StatusOpen
			tk.Satisfaction = &ticketing.Satisfaction{Score: 2, At: at(24, 9)}
		})
		repair := create(&ticketing.Ticket{Kind: ticketing.KindRepair, Subject: "no sound", Channel: "webchat", Model: "TV-55X",
			Warranty: &ticketing.WarrantyDecision{Covered: true, Reason: "in_warranty"},
			Due:      ticketing.Deadlines{FirstResponse: ptr(at(24, 18)), Resolution: ptr(at(32, 18))}}, at(23, 10))
		for i, s := range []ticketing.Status{ticketing.StatusOpen, ticketing.StatusAssigned, ticketing.StatusInProgress, ticketing.StatusResolved} {
			update(repair, at(23, 11+i), func(tk *ticketing.Ticket) { tk.Status = s }) // answered 13:00, resolved 14:00
		}
		update(repair, at(26, 16), func(tk *ticketing.Ticket) { tk.Satisfaction = &ticketing.Satisfaction{Score: 4, At: at(26, 16)} })
		create(&ticketing.Ticket{Kind: ticketing.KindComplaint, Subject: "late", Channel: "email",
			Due: ticketing.Deadlines{FirstResponse: ptr(at(27, 18))}}, at(24, 9))
		create(&ticketing.Ticket{Kind: ticketing.KindConsultation, Subject: "next week", Channel: "email"}, at(30, 9))
	})
}

func TestReportCommand(t *testing.T) {
	dir := reportSeed(t)
	args := []string{"report", "--data", dir, "--from", "2026-11-23", "--to", "2026-11-29", "--now", "2026-11-30T12:00:00+08:00"}
	code, out, errOut := cli(t, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"Report 2026-11-23 – 2026-11-29 (Asia/Shanghai), as of 2026-11-30 12:00\n",
		"Tickets opened: 2 (done by now: 1)\n",
		"by kind:    complaint 1, repair 1\n",
		"by channel: email 1, webchat 1\n",
		"Ratings given: 2, average 3.0/5 (1★ 0 · 2★ 1 · 3★ 0 · 4★ 1 · 5★ 0)\n",
		"Repairs by model: TV-55X 1\n",
		"Warranty decisions of the repairs: 1 covered\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	for _, row := range []string{`first response +1 +1 +0 +50%`, `resolution +1 +0 +0 +100%`} {
		if !regexp.MustCompile(`(?m)^  ` + row + ` *$`).MatchString(out) {
			t.Errorf("report lacks the deadline row /%s/:\n%s", row, out)
		}
	}

	code, out, errOut = cli(t, append(args, "--json")...)
	var r ticketing.Report
	if err := json.Unmarshal([]byte(out), &r); code != 0 || err != nil {
		t.Fatalf("--json: exit %d, %v: %s%s", code, err, out, errOut)
	}
	if r.Opened != 2 || r.Ratings.Count != 2 || len(r.Deadlines) != 2 || r.Deadlines[0].Missed != 1 {
		t.Errorf("--json: %+v", r)
	}

	// A week with nothing in it.
	code, out, _ = cli(t, "report", "--data", dir, "--from", "2026-10-01", "--to", "2026-10-07", "--now", "2026-11-30")
	if code != 0 || !strings.Contains(out, "Tickets opened: 0 (done by now: 0)\n") || !strings.Contains(out, "Ratings given: none\n") {
		t.Errorf("an empty week: exit %d\n%s", code, out)
	}
}

func TestReportBadInput(t *testing.T) {
	empty := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--from", "2026-11-30", "--to", "2026-11-01"}, "--from 2026-11-30 is after --to 2026-11-01"},
		{[]string{"--to", "2026-13-01"}, "--to: invalid date"},
		{[]string{"--from", "last week"}, "--from: invalid date"},
		{[]string{"--now", "soon"}, "--now"},
		{[]string{"extra"}, "unexpected argument"},
		{[]string{"--from", "2026-11-23", "--to", "2026-11-29", "--now", "2026-11-20T12:00:00+08:00"}, "--now 2026-11-20 12:00 is before the period's first day 2026-11-23"},
	} {
		code, _, errOut := cli(t, append([]string{"report", "--data", empty}, tc.args...)...)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
	if _, err := os.Stat(filepath.Join(empty, "supportd.db")); err == nil {
		t.Error("a command line that was not understood created a database")
	}
	// A mistyped --data is said as such by the commands that read what serve
	// stored, and leaves no empty database behind.
	typo := filepath.Join(empty, "typo")
	for _, args := range [][]string{{"report"}, {"tickets", "list"}, {"tickets", "show", "T-1001"}, {"tickets", "claim", "T-1001", "--agent", "alice"}} {
		code, out, errOut := cli(t, append(args, "--data", typo)...)
		if code != 1 || !strings.Contains(errOut, "no database at") {
			t.Errorf("%v --data %s: exit %d, stdout %q, stderr %q; want 1 and 'no database at'", args, typo, code, out, errOut)
		}
	}
	if _, err := os.Stat(typo); err == nil {
		t.Error("a command on a mistyped --data created it")
	}
}

// A ticket the customer cancelled before anyone answered, within its
// deadlines, met none of them: it is not counted, where it counted as met
// in time twice. One cancelled past its first-response deadline, unanswered,
// missed it. A resolved ticket the customer reopened is not solved: its
// resolution, past due, is missed, where it counted as met in time. Read
// from a real database through the command.
func TestReportCancelledAndReopened(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	at := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, cst) }
	ptr := func(t time.Time) *time.Time { return &t }
	dir := dataDir(t, func(ctx context.Context, db *sqlite.DB) {
		create := func(tk *ticketing.Ticket, when time.Time) string {
			if err := db.Create(ctx, tk, ticketing.By{Actor: "bot", Channel: tk.Channel, At: when}); err != nil {
				t.Fatal(err)
			}
			return tk.ID
		}
		status := func(id string, when time.Time, s ticketing.Status) {
			if _, err := db.Update(ctx, id, ticketing.By{Actor: "agent:U1", Channel: "slack", At: when}, func(tk *ticketing.Ticket) error {
				tk.Status = s
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		}
		due := ticketing.Deadlines{FirstResponse: ptr(at(24, 18)), Resolution: ptr(at(25, 18))}
		withdrawn := create(&ticketing.Ticket{Kind: ticketing.KindComplaint, Subject: "withdrawn", Channel: "webchat", Due: due}, at(23, 10))
		status(withdrawn, at(23, 12), ticketing.StatusCancelled)
		gaveUp := create(&ticketing.Ticket{Kind: ticketing.KindComplaint, Subject: "gave up", Channel: "webchat",
			Due: ticketing.Deadlines{FirstResponse: ptr(at(24, 18)), Resolution: ptr(at(28, 18))}}, at(23, 10))
		status(gaveUp, at(25, 9), ticketing.StatusCancelled)
		reopened := create(&ticketing.Ticket{Kind: ticketing.KindRepair, Subject: "reopened", Channel: "email", Due: due}, at(23, 10))
		for i, s := range []ticketing.Status{ticketing.StatusOpen, ticketing.StatusAssigned, ticketing.StatusInProgress, ticketing.StatusResolved, ticketing.StatusReopened} {
			status(reopened, at(23, 11+i), s)
		}
	})
	code, out, errOut := cli(t, "report", "--data", dir, "--from", "2026-11-23", "--to", "2026-11-29", "--now", "2026-11-30T12:00:00+08:00")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "Tickets opened: 3 (done by now: 2)\n") {
		t.Errorf("report:\n%s", out)
	}
	// first response: the reopened one answered in time, the one given up
	// missed; resolution: the reopened one missed, the one given up was
	// cancelled before its resolution was due.
	for _, row := range []string{`first response +1 +1 +0 +50%`, `resolution +0 +1 +0 +0%`} {
		if !regexp.MustCompile(`(?m)^  ` + row + ` *$`).MatchString(out) {
			t.Errorf("report lacks the deadline row /%s/:\n%s", row, out)
		}
	}
}

// Questions the bot could not answer are counted whether the customer had
// them passed on to a person (a ticket) or declined ("no", "不用了", "ok
// thanks, bye" to the offer): the declined ones, which make no ticket, are
// kept for the report and the latest listed, so that the knowledge base can
// learn them.
func TestReportCountsDeclinedQuestions(t *testing.T) {
	dir := t.TempDir()
	for i, lines := range [][]string{
		{"do you sell gift cards?", "no"},
		{"你们有礼品卡吗", "不用了"},
		{"can I pay with bitcoin?", "ok thanks, bye"},
		{"do you have a student discount?", "yes"},
	} {
		code, _, errOut := cliIn(t, lines, "chat", "--data", dir, "--now", "2026-12-02T1"+string(rune('0'+i))+":00:00+08:00", "--user", "u"+string(rune('1'+i)))
		if code != 0 {
			t.Fatalf("chat %q: exit %d: %s", lines, code, errOut)
		}
	}
	args := []string{"report", "--data", dir, "--now", "2026-12-02T18:00:00+08:00"}
	code, out, errOut := cli(t, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := "Unanswered questions: 1 passed on to a person, 3 declined\n" +
		"  passed on:\n    \"do you have a student discount?\"\n" +
		"  declined:\n    \"can I pay with bitcoin?\"\n    \"你们有礼品卡吗\"\n    \"do you sell gift cards?\"\n"
	if !strings.HasSuffix(out, want) {
		t.Errorf("report ends\n%s\nwant\n%s", out, want)
	}
	code, out, errOut = cli(t, append(args, "--json")...)
	var r ticketing.Report
	if err := json.Unmarshal([]byte(out), &r); code != 0 || err != nil {
		t.Fatalf("--json: exit %d, %v: %s%s", code, err, out, errOut)
	}
	if q := r.Questions; q.Count != 1 || q.Declined != 3 || len(q.LatestDeclined) != 3 || q.LatestDeclined[0] != "can I pay with bitcoin?" {
		t.Errorf("--json questions: %+v", q)
	}

	// A customer erased: their question is no longer shown, and still
	// counted.
	if code, _, errOut := cli(t, "customer", "forget", "--data", dir, "--user", "cli:u1", "--operator", "dpo", "--yes"); code != 0 {
		t.Fatalf("customer forget: exit %d: %s", code, errOut)
	}
	code, out, errOut = cli(t, args...)
	if code != 0 || !strings.Contains(out, "3 declined\n") || strings.Contains(out, "gift cards") || !strings.HasSuffix(out, "\"你们有礼品卡吗\"\n    \"[erased]\"\n") {
		t.Errorf("after the erasure: exit %d %s\n%s", code, errOut, out)
	}
}
