package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/supportd/supportd/channels/email/mailstore"
	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/store/sqlite"
	"github.com/supportd/supportd/ticketing"
)

// person is a customer of the seed and what identifies them.
type person struct {
	visitor, email, name, phone, address, sentence, subject, upload string
}

var (
	alice = person{visitor: "v_alice", email: "alice.wang@example.com", name: "Alice Wang", phone: "13812345678",
		address: "北京市海淀区紫竹路88号", sentence: "我家猫咪团团被紫色的烟吓坏了", subject: "Purple Smoke Incident 4711",
		upload: "alice-invoice-scan.png"}
	bob = person{visitor: "v_bob", email: "bob.li@example.org", name: "Bob Li", phone: "13998765432",
		address: "上海市浦东新区银杏路7号", sentence: "我的鹦鹉阿福一直在模仿电视的噪音", subject: "Parrot Noise Case 9902",
		upload: "bob-warranty-card.png"}
)

// secrets are the values that must leave no trace once p is forgotten.
func (p person) secrets() []string {
	return []string{p.email, p.name, p.phone, p.address, p.sentence, p.subject, p.upload}
}

// png is the smallest file the web chat takes as an image.
var png = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")

// customerSeed writes, through the real engine and store, each person's web
// chat (a paid repair, an upload, a message to the agent quoting them), an
// agent's details and note on the ticket, their email conversation, the
// records of their mails read (one with a raw copy) and sent.
func customerSeed(t *testing.T, people ...person) string {
	t.Helper()
	dir := t.TempDir()
	ctx := context.Background()
	cfg, err := loadConfig("", dir, "")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	clock := func() time.Time { return now }
	db, err := sqlite.Open(ctx, cfg.DatabasePath(), sqlite.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	eng, err := newEngine(cfg, db, clock)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	handle := func(in dialog.Inbound) dialog.Result {
		t.Helper()
		n++
		in.ID = fmt.Sprintf("msg-%d@mail.example.net", n)
		res, err := eng.Handle(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		return *res
	}
	for _, p := range people {
		var conv string
		for _, line := range paidRepair {
			conv = handle(dialog.Inbound{Channel: "webchat", User: p.visitor, Text: line}).ConversationID
		}
		ref := fmt.Sprintf("att_%032x", n)
		up := filepath.Join(dir, "attachments", conv)
		if err := os.MkdirAll(up, 0o750); err != nil {
			t.Fatal(err)
		}
		meta, _ := json.Marshal(map[string]any{"name": p.upload, "type": "image/png", "size": len(png), "at": now.UTC()})
		if os.WriteFile(filepath.Join(up, ref), png, 0o640) != nil || os.WriteFile(filepath.Join(up, ref+".json"), meta, 0o640) != nil {
			t.Fatal("write the upload")
		}
		handle(dialog.Inbound{Channel: "webchat", User: p.visitor, Display: p.upload,
			Attachments: []dialog.Attachment{{Ref: ref, Name: p.upload, Type: "image/png"}}})
		handle(dialog.Inbound{Channel: "webchat", User: p.visitor, Text: p.sentence + "，电话 " + p.phone})

		c, err := db.Conversation(ctx, conv)
		if err != nil || len(c.Tickets) == 0 {
			t.Fatalf("%s's chat filed no ticket: %v", p.name, err)
		}
		id := c.Tickets[0]
		if _, err := db.Update(ctx, id, ticketing.By{Actor: "agent:U1", Channel: "slack", Note: "called " + p.name}, func(tk *ticketing.Ticket) error {
			tk.Customer = ticketing.Customer{Name: p.name, Email: p.email, Phone: p.phone, Lang: "zh"}
			if tk.Details == nil {
				tk.Details = map[string]string{}
			}
			tk.Details["address"] = p.address
			tk.Satisfaction = &ticketing.Satisfaction{Score: 4, Comment: p.name + " 很满意", At: now}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if err := db.AddNote(ctx, id, ticketing.By{Actor: "agent:U1", Channel: "slack"}, "客户原话：「"+p.sentence+"」"); err != nil {
			t.Fatal(err)
		}
		if err := db.AddNote(ctx, id, ticketing.By{Actor: "participant:" + p.email, Channel: "email"}, p.name+" wrote again"); err != nil {
			t.Fatal(err)
		}

		// By email: a conversation under the address, the record of the
		// mail read and of a bounce kept raw, and of the reply sent.
		key := fmt.Sprintf("first-%s@mail.example.net", p.visitor)
		mconv := handle(dialog.Inbound{Channel: "email", User: p.email, Subject: p.subject, Lang: "zh",
			Customer: ticketing.Customer{Email: p.email, Name: p.name},
			Text:     "我要投诉：" + p.sentence + "。我的地址是" + p.address}).ConversationID
		at := now.UTC()
		for _, r := range []mailstore.Inbound{
			{Key: key, Sender: p.email, Subject: p.subject, Status: mailstore.StatusDone, ConversationID: mconv, Reason: "new",
				Participants: []string{"colleague-of-" + p.email}},
			{Key: "sha256:" + p.visitor, Sender: p.email, Subject: p.subject, Status: mailstore.StatusQuarantined, Reason: "malformed",
				Raw: []byte("From: " + p.name + " <" + p.email + ">\r\nSubject: " + p.subject + "\r\n\r\n" + p.sentence + " " + p.phone)},
		} {
			r.Mailbox, r.UIDValidity, r.UID, r.At = "INBOX", 1, uint32(n), at
			if err := db.FinishInbound(ctx, r, []mailstore.Link{{MessageID: key, ConversationID: mconv, Dir: "in", Subject: p.subject, At: at}}); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.PutOutbound(ctx, mailstore.Outbound{MessageID: "supportd." + mconv + ".2@shop.example", ConversationID: mconv,
			FirstSeq: 2, LastSeq: 2, Recipient: p.email, Auto: true, Status: mailstore.SendFailed, Attempts: 1,
			Error: "550 <" + p.email + ">: mailbox full", At: at}, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// customerExportOf runs "customer show --json".
func customerExportOf(t *testing.T, dir string, who ...string) map[string]any {
	t.Helper()
	code, out, errOut := cli(t, append([]string{"customer", "show", "--data", dir, "--json"}, who...)...)
	if code != 0 {
		t.Fatalf("customer show %v: exit %d: %s", who, code, errOut)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

func count(doc map[string]any, key string) int {
	l, _ := doc[key].([]any)
	return len(l)
}

func TestCustomerShow(t *testing.T) {
	dir := customerSeed(t, alice, bob)
	doc := customerExportOf(t, dir, "--email", alice.email)
	if got := count(doc, "conversations"); got != 2 {
		t.Errorf("conversations: %d, want the web chat and the email one", got)
	}
	channels := map[string]bool{}
	for _, c := range doc["conversations"].([]any) {
		cv := c.(map[string]any)
		channels[cv["channel"].(string)] = true
		if count(cv, "messages") == 0 {
			t.Errorf("conversation %v has no messages", cv["id"])
		}
	}
	if !channels["webchat"] || !channels["email"] {
		t.Errorf("channels %v, want webchat and email", channels)
	}
	for key, want := range map[string]int{"tickets": 2, "mails_read": 2, "mails_sent": 1, "uploads": 1, "mail_participants": 1} {
		if got := count(doc, key); got != want {
			t.Errorf("%s: %d, want %d", key, got, want)
		}
	}
	raw, _ := json.Marshal(doc)
	for _, s := range alice.secrets() {
		if !bytes.Contains(raw, []byte(s)) {
			t.Errorf("the export lacks %q", s)
		}
	}
	for _, s := range []string{"客户原话", "called " + alice.name, `"raw":"From: Alice Wang`, "in", "out"} {
		if !bytes.Contains(raw, []byte(s)) {
			t.Errorf("the export lacks %q", s)
		}
	}
	for _, s := range bob.secrets() {
		if bytes.Contains(raw, []byte(s)) {
			t.Errorf("alice's export holds bob's %q", s)
		}
	}

	// The same customer by their channel user: the chat and its ticket.
	byUser := customerExportOf(t, dir, "--user", "webchat:"+alice.visitor)
	if count(byUser, "conversations") != 1 || count(byUser, "tickets") != 1 || count(byUser, "uploads") != 1 {
		t.Errorf("--user webchat:%s: %d conversations, %d tickets, %d uploads", alice.visitor,
			count(byUser, "conversations"), count(byUser, "tickets"), count(byUser, "uploads"))
	}

	code, out, errOut := cli(t, "customer", "show", "--data", dir, "--email", strings.ToUpper(alice.email))
	if code != 0 {
		t.Fatalf("customer show: exit %d: %s", code, errOut)
	}
	for _, want := range []string{"Customer " + alice.email, "Conversations: 2", "Tickets: 2", "Mails read: 2", "Mails sent: 1",
		"Uploads: 1", alice.upload, "raw copy", alice.sentence} {
		if !strings.Contains(out, want) {
			t.Errorf("the summary lacks %q:\n%s", want, out)
		}
	}
}

// reportJSON is the report of the seed's week.
func reportJSON(t *testing.T, dir string) string {
	t.Helper()
	code, out, errOut := cli(t, "report", "--data", dir, "--from", "2026-11-19", "--to", "2026-11-25", "--now", "2026-11-26T12:00:00+08:00", "--json")
	if code != 0 {
		t.Fatalf("report: exit %d: %s", code, errOut)
	}
	return out
}

// dbBytes is the database file and its write-ahead log.
func dbBytes(t *testing.T, dir string) []byte {
	t.Helper()
	var all []byte
	for _, f := range []string{"supportd.db", "supportd.db-wal"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	return all
}

func TestCustomerForget(t *testing.T) {
	dir := customerSeed(t, alice, bob)
	report := reportJSON(t, dir)
	before := customerExportOf(t, dir, "--email", alice.email)
	bobBefore, _ := json.Marshal(customerExportOf(t, dir, "--email", bob.email)["tickets"])
	if !bytes.Contains(dbBytes(t, dir), []byte(alice.sentence)) {
		t.Fatal("the seed did not store the sentence where the scan looks")
	}

	// Not on a terminal, without --yes: refused, nothing erased.
	code, out, errOut := cli(t, "customer", "forget", "--data", dir, "--email", alice.email, "--operator", "dpo")
	if code != 1 || !strings.Contains(errOut, "refusing to erase without confirmation") || !strings.Contains(out, "Would erase") {
		t.Errorf("without --yes: exit %d, %q, %q", code, out, errOut)
	}
	// A dry run counts.
	code, out, errOut = cli(t, "customer", "forget", "--data", dir, "--email", alice.email, "--dry-run")
	if code != 0 || !strings.Contains(out, "Would erase") || !strings.Contains(out, "    2 tickets") || !strings.Contains(out, "    1 web chat uploads") ||
		!strings.Contains(out, "    1 raw mail copies") {
		t.Errorf("--dry-run: exit %d:\n%s%s", code, out, errOut)
	}
	if got := customerExportOf(t, dir, "--email", alice.email); count(got, "tickets") != 2 || !strings.Contains(fmt.Sprint(got), alice.sentence) {
		t.Fatal("a refused or dry erasure changed the data")
	}

	code, out, errOut = cli(t, "customer", "forget", "--data", dir, "--email", alice.email, "--operator", "dpo", "--yes")
	if code != 0 {
		t.Fatalf("forget: exit %d: %s%s", code, out, errOut)
	}
	for _, want := range []string{"Erased, of customer " + alice.email, "Not erased from here", "Slack", "Webhooks", "Mail:"} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}

	// No trace in the database file, anywhere.
	all := dbBytes(t, dir)
	for _, s := range alice.secrets() {
		if bytes.Contains(all, []byte(s)) || bytes.Contains(bytes.ToLower(all), []byte(strings.ToLower(s))) {
			t.Errorf("the database file still holds %q", s)
		}
	}
	for _, s := range bob.secrets() {
		if s != bob.upload && !bytes.Contains(all, []byte(s)) {
			t.Errorf("bob's %q is gone too", s)
		}
	}
	// The uploads: alice's gone, bob's kept.
	for _, c := range before["conversations"].([]any) {
		id := c.(map[string]any)["id"].(string)
		if _, err := os.Stat(filepath.Join(dir, "attachments", id)); !os.IsNotExist(err) {
			t.Errorf("the uploads of %s are still there (%v)", id, err)
		}
	}
	bobNow := customerExportOf(t, dir, "--email", bob.email)
	if count(bobNow, "uploads") != 1 {
		t.Error("bob's upload is gone")
	}
	if after, _ := json.Marshal(bobNow["tickets"]); !bytes.Equal(after, bobBefore) {
		t.Errorf("bob's tickets changed:\n%s\n%s", bobBefore, after)
	}

	// The report is the same; the erasure is on record on each ticket.
	if got := reportJSON(t, dir); got != report {
		t.Errorf("the report changed:\n%s\n%s", report, got)
	}
	if code, _, errOut := cli(t, "customer", "show", "--data", dir, "--email", alice.email); code != 1 || !strings.Contains(errOut, "no customer "+alice.email) {
		t.Errorf("show after forget: exit %d, %q", code, errOut)
	}
	erased := customerExportOf(t, dir, "--user", "webchat:"+alice.visitor)
	events := map[string][]any{}
	for _, tk := range erased["tickets"].([]any) {
		m := tk.(map[string]any)
		events[field(m, "ticket.id")] = m["events"].([]any)
	}
	for _, tk := range before["tickets"].([]any) {
		old := tk.(map[string]any)["ticket"].(map[string]any)
		id := old["id"].(string)
		now := show(t, dir, id)
		wantFields(t, now, "kind="+field(old, "kind"), "status="+field(old, "status"), "model="+field(old, "model"),
			"customer.email=", "customer.name=", "customer.phone=", "warranty.covered="+field(old, "warranty.covered"),
			"details.service_mode="+field(old, "details.service_mode"), "satisfaction.score="+field(old, "satisfaction.score"))
		if d := field(old, "details.address"); d != "" && field(now, "details.address") != sqlite.Erased {
			t.Errorf("%s: the address is %q", id, field(now, "details.address"))
		}
		evs := storedEvents(t, dir, id)
		last := evs[len(evs)-1]
		if last.Actor != "dpo" || last.Note != sqlite.ErasureNote || last.Channel != "cli" {
			t.Errorf("%s: the last event is %+v, want the erasure by dpo", id, last)
		}
		for _, ev := range evs[:len(evs)-1] {
			if ev.Note != "" && ev.Note != sqlite.Erased {
				t.Errorf("%s: event %d kept its note %q", id, ev.Seq, ev.Note)
			}
		}
		if len(events[id]) > 0 && len(events[id]) != len(evs) {
			t.Errorf("%s: the export has %d events, the store %d", id, len(events[id]), len(evs))
		}
	}
	for _, c := range erased["conversations"].([]any) {
		for _, m := range c.(map[string]any)["messages"].([]any) {
			if txt := m.(map[string]any)["text"]; txt != nil && txt != sqlite.Erased {
				t.Errorf("a message kept its text %q", txt)
			}
		}
	}
}

// storedEvents reads a ticket's audit log from the database.
func storedEvents(t *testing.T, dir, id string) []ticketing.Event {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "supportd.db"), sqlite.WithoutMigrations())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	evs, err := db.Events(context.Background(), id)
	if err != nil || len(evs) == 0 {
		t.Fatalf("events of %s: %d, %v", id, len(evs), err)
	}
	return evs
}

func TestCustomerBadInput(t *testing.T) {
	dir := customerSeed(t, bob)
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown subcommand", []string{"customer", "delete", "--email", "a@b.example"}, 2, `unknown subcommand "delete"`},
		{"neither", []string{"customer", "show"}, 2, "--email ADDR or --user CHANNEL:ID"},
		{"both", []string{"customer", "show", "--email", "a@b.example", "--user", "webchat:v_1"}, 2, "give one of them"},
		{"malformed email", []string{"customer", "forget", "--email", "alice(at)example.com", "--yes", "--operator", "dpo"}, 2, "is not an email address"},
		{"email with a name", []string{"customer", "show", "--email", "Alice <a@b.example>"}, 2, "is not an email address"},
		{"malformed user", []string{"customer", "show", "--user", "v_bob"}, 2, "is not CHANNEL:ID"},
		{"no operator", []string{"customer", "forget", "--email", bob.email, "--yes", "--operator", ""}, 2, "--operator (or $SUPPORTD_AGENT) is required"},
		{"unknown customer", []string{"customer", "show", "--email", "nobody@example.com"}, 1, "no customer nobody@example.com: nothing is stored under that address"},
		{"unknown user", []string{"customer", "forget", "--user", "webchat:v_nobody", "--yes", "--operator", "dpo"}, 1, "no customer webchat:v_nobody"},
		{"not confirmed", []string{"customer", "forget", "--email", bob.email, "--operator", "dpo"}, 1, "the input is not a terminal; nothing erased (run again with --yes)"},
		{"extra argument", []string{"customer", "show", "--email", bob.email, "extra"}, 2, "unexpected argument"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(agentEnv, "")
			code, _, errOut := cli(t, append(tc.args, "--data", dir)...)
			if code != tc.code || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, %q; want %d and %q", code, errOut, tc.code, tc.want)
			}
		})
	}
	if code, _, errOut := cli(t, "customer"); code != 2 || !strings.Contains(errOut, "want 'customer show' or 'customer forget'") {
		t.Errorf("no subcommand: exit %d, %q", code, errOut)
	}
	if doc := customerExportOf(t, dir, "--email", bob.email); count(doc, "tickets") != 2 || !strings.Contains(fmt.Sprint(doc), bob.sentence) {
		t.Errorf("bad command lines changed bob's data: %d tickets", count(doc, "tickets"))
	}
}
