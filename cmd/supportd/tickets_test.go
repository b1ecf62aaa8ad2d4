package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/supportd/supportd/policy"
	"github.com/supportd/supportd/store/sqlite"
	"github.com/supportd/supportd/ticketing"
)

// dataDir returns a fresh data directory whose database fill has written.
func dataDir(t *testing.T, fill func(ctx context.Context, db *sqlite.DB)) string {
	t.Helper()
	dir := t.TempDir()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "supportd.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fill(ctx, db)
	return dir
}

// seed writes two tickets into a fresh data directory and returns it.
func seed(t *testing.T) string {
	t.Helper()
	return dataDir(t, func(ctx context.Context, db *sqlite.DB) {
		due := time.Date(2026, 11, 25, 18, 0, 0, 0, time.FixedZone("CST", 8*3600))
		repair := &ticketing.Ticket{
			Kind: ticketing.KindRepair, Subject: "洗衣机不转", Channel: "webchat", ChannelUser: "v-1",
			Customer: ticketing.Customer{Name: "王芳", Email: "wang@example.com", Lang: "zh"},
			Model:    "WM-100", PurchaseDate: policy.NewDate(2025, 3, 1), ProofRef: "JD-2025030112345",
			Warranty: &ticketing.WarrantyDecision{Covered: true, Ends: policy.NewDate(2028, 2, 29), Reason: "in_warranty"},
			Details:  map[string]string{"fault": "drum does not turn"},
			Due:      ticketing.Deadlines{FirstResponse: &due},
		}
		by := ticketing.By{Actor: "bot", Channel: "webchat"}
		if err := db.Create(ctx, repair, by); err != nil {
			t.Fatal(err)
		}
		complaint := &ticketing.Ticket{Kind: ticketing.KindComplaint, Subject: "late technician", Channel: "email", ChannelUser: "li@example.com"}
		if err := db.Create(ctx, complaint, by); err != nil {
			t.Fatal(err)
		}
		for _, s := range []ticketing.Status{ticketing.StatusOpen, ticketing.StatusAssigned} {
			if _, err := db.Update(ctx, complaint.ID, ticketing.By{Actor: "agent:U42", Channel: "slack"}, func(tk *ticketing.Ticket) error {
				tk.Status = s
				tk.Assignee = "U42"
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func TestTicketsListAndShow(t *testing.T) {
	dir := seed(t)

	code, out, errOut := cli(t, "tickets", "list", "--data", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[1], "T-1002") || !strings.HasPrefix(lines[2], "T-1001") {
		t.Fatalf("list, newest first:\n%s", out)
	}
	if !strings.Contains(lines[2], "repair") || !strings.Contains(lines[2], "WM-100") || !strings.Contains(lines[2], "2026-11-25 18:00") {
		t.Errorf("repair row: %q", lines[2])
	}

	code, out, _ = cli(t, "tickets", "list", "--data", dir, "--kind", "complaint", "--json")
	var ts []ticketing.Ticket
	if err := json.Unmarshal([]byte(out), &ts); err != nil || code != 0 {
		t.Fatalf("exit %d, %v: %s", code, err, out)
	}
	if len(ts) != 1 || ts[0].ID != "T-1002" || ts[0].Status != ticketing.StatusAssigned || ts[0].Assignee != "U42" {
		t.Errorf("complaints: %+v", ts)
	}
	code, out, _ = cli(t, "tickets", "list", "--data", dir, "--status", "closed", "--json")
	if code != 0 || strings.TrimSpace(out) != "[]" {
		t.Errorf("no closed tickets: exit %d %q", code, out)
	}

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--customer", "WANG@example.com"}, "T-1001"},
		{[]string{"--customer", "li@example.com"}, "T-1002"},
		{[]string{"--customer", "v-1"}, "T-1001"},
		{[]string{"--customer", "nobody@example.com"}, ""},
		{[]string{"--assignee", "U42"}, "T-1002"},
		{[]string{"--assignee", "U42", "--kind", "repair"}, ""},
		{[]string{"--since", "2020-01-01"}, "T-1002 T-1001"},
		{[]string{"--since", "2999-01-01"}, ""},
		{[]string{"--since", "2020-01-01T00:00:00Z", "--customer", "li@example.com"}, "T-1002"},
	} {
		code, out, errOut := cli(t, append([]string{"tickets", "list", "--data", dir, "--json"}, c.args...)...)
		var got []ticketing.Ticket
		if err := json.Unmarshal([]byte(out), &got); err != nil || code != 0 {
			t.Fatalf("%v: exit %d, %v: %s%s", c.args, code, err, out, errOut)
		}
		var ids []string
		for _, tk := range got {
			ids = append(ids, tk.ID)
		}
		if strings.Join(ids, " ") != c.want {
			t.Errorf("tickets list %v = %v, want %q", c.args, ids, c.want)
		}
	}

	code, out, _ = cli(t, "tickets", "show", "T-1001", "--data", dir, "--json")
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil || code != 0 {
		t.Fatalf("exit %d, %v: %s", code, err, out)
	}
	w, _ := got["warranty"].(map[string]any)
	if got["id"] != "T-1001" || got["kind"] != "repair" || got["status"] != "new" || got["model"] != "WM-100" ||
		got["purchase_date"] != "2025-03-01" || w["covered"] != true || w["ends"] != "2028-02-29" || w["reason"] != "in_warranty" {
		t.Errorf("show --json: %s", out)
	}

	code, out, _ = cli(t, "tickets", "show", "T-1002", "--data", dir)
	if code != 0 {
		t.Errorf("show T-1002: exit %d", code)
	}
	for _, want := range []string{"T-1002  complaint  assigned", "assignee:", "U42", "history:", "created", "agent:U42", "slack", "updated assignee - → U42, status new → open", "updated status open → assigned"} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}
}

func TestTicketsBadInput(t *testing.T) {
	dir := seed(t)
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"show", "T-9999", "--data", dir}, 1, "T-9999"},
		{[]string{"show", "--data", dir}, 2, "missing argument"},
		{[]string{"list", "--kind", "refund", "--data", dir}, 2, "refund"},
		{[]string{"list", "--status", "done", "--data", dir}, 2, "done"},
		{[]string{"purge"}, 2, "unknown subcommand"},
		{[]string{"list", "--limit", "-3", "--data", dir}, 2, "--limit"},
		{[]string{"list", "--since", "yesterday", "--data", dir}, 2, `--since "yesterday": want a day YYYY-MM-DD`},
		{[]string{"list", "--since", "2026-13-01", "--data", dir}, 2, "--since"},
	}
	for _, tc := range cases {
		code, _, errOut := cli(t, append([]string{"tickets"}, tc.args...)...)
		if code != tc.code || !strings.Contains(errOut, tc.want) {
			t.Errorf("tickets %v: exit %d %q, want exit %d containing %q", tc.args, code, errOut, tc.code, tc.want)
		}
	}
}

// tickets show lines up the history's columns when an agent acts by their
// email address, longer than the usual actor.
func TestTicketsShowHistoryColumns(t *testing.T) {
	dir := t.TempDir()
	chatJSON(t, dir, paidRepair...)
	act(t, dir, "claim", "T-1001", "--agent", "frank.longname@example.com")
	code, out, errOut := cli(t, "tickets", "show", "T-1001", "--data", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	_, hist, _ := strings.Cut(out, "history:\n")
	lines := strings.Split(strings.TrimRight(hist, "\n"), "\n")
	if len(lines) < 3 || !strings.Contains(hist, "agent:frank.longname@example.com") {
		t.Fatalf("history:\n%s", hist)
	}
	at := -1
	for _, l := range lines {
		// The channel column: "cli" for the agent, "cli" too for the chat's bot.
		i := strings.Index(l, " cli ")
		if at == -1 {
			at = i
		}
		if i != at {
			t.Errorf("channel column at %d, want %d:\n%s", i, at, hist)
			break
		}
	}
}

// A list cut at --limit (100 by default) says so, on stderr.
func TestTicketsListSaysWhenCut(t *testing.T) {
	dir := seed(t)
	code, out, errOut := cli(t, "tickets", "list", "--data", dir, "--limit", "1")
	if code != 0 || strings.Count(out, "\n") != 2 || !strings.Contains(errOut, "the newest 1 shown: --limit N for more, --limit 0 for all") {
		t.Errorf("--limit 1: exit %d\n%s%s", code, out, errOut)
	}
	if code, _, errOut := cli(t, "tickets", "list", "--data", dir, "--limit", "2"); code != 0 || errOut != "" {
		t.Errorf("--limit 2 of 2: exit %d, stderr %q", code, errOut)
	}
}

// A done ticket lists no deadline: its deadlines no longer run.
func TestTicketsListDoneHasNoDue(t *testing.T) {
	dir := seed(t)
	st, err := sqlite.Open(context.Background(), filepath.Join(dir, "supportd.db"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []ticketing.Status{ticketing.StatusOpen, ticketing.StatusAssigned, ticketing.StatusInProgress, ticketing.StatusResolved} {
		if _, err := st.Update(context.Background(), "T-1001", ticketing.By{Actor: "agent:U42", Channel: "slack"}, func(tk *ticketing.Ticket) error {
			tk.Status, tk.Assignee = s, "U42"
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	_, out, _ := cli(t, "tickets", "list", "--data", dir)
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "T-1001") && (!strings.Contains(l, "resolved") || !strings.HasSuffix(strings.TrimSpace(l), " -")) {
			t.Errorf("a resolved ticket's row: %q", l)
		}
	}
}
