package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/store/sqlite"
)

// paidRepair is a customer journey (zh) that ends in an out-of-warranty
// repair handed to an agent for a quote: ticket T-1001.
var paidRepair = []string{
	"电视 TV-55X 黑屏了，2024年5月2日买的",
	"否", // the remote troubleshooting did not help
	"订单号 TB2024050299",
	"没有", "没有", "不是", // not dropped, not opened, not only a consumable
	"是的", // the summary is right
	"同意", // the estimate is accepted
}

// cliIn is cli with lines on stdin.
func cliIn(t *testing.T, lines []string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	in := strings.NewReader(strings.Join(lines, "\n") + "\n")
	code = run(context.Background(), args, in, &out, &errb)
	return code, out.String(), errb.String()
}

// chatJSON runs "chat --json" on dir at 2026-11-25 10:00 and returns its
// JSON lines.
func chatJSON(t *testing.T, dir string, lines ...string) []map[string]any {
	t.Helper()
	code, out, errOut := cliIn(t, lines, "chat", "--data", dir, "--now", "2026-11-25", "--json")
	if code != 0 {
		t.Fatalf("chat: exit %d: %s", code, errOut)
	}
	var docs []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var d map[string]any
		if err := json.Unmarshal([]byte(l), &d); err != nil {
			t.Fatalf("chat printed a line that is not JSON: %v: %q", err, l)
		}
		docs = append(docs, d)
	}
	return docs
}

// act runs "tickets ARGS --data dir" and fails the test unless it succeeds.
func act(t *testing.T, dir string, args ...string) string {
	t.Helper()
	code, out, errOut := cli(t, append(append([]string{"tickets"}, args...), "--data", dir)...)
	if code != 0 {
		t.Fatalf("tickets %v: exit %d: %s", args, code, errOut)
	}
	return out
}

// show returns "tickets show ID --json" as a JSON document.
func show(t *testing.T, dir, id string) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal([]byte(act(t, dir, "show", id, "--json")), &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// field returns a dotted path of a JSON document as text ("" when missing).
func field(doc map[string]any, path string) string {
	var v any = doc
	for _, p := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		v = m[p]
	}
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

// wantFields checks fields of a ticket given as "path=value".
func wantFields(t *testing.T, doc map[string]any, kv ...string) {
	t.Helper()
	for _, s := range kv {
		k, want, _ := strings.Cut(s, "=")
		if got := field(doc, k); got != want {
			t.Errorf("ticket %s: %s = %q, want %q", field(doc, "id"), k, got, want)
		}
	}
}

// toCustomer returns the "to customer:" part of an action's output.
func toCustomer(out string) string {
	_, rest, _ := strings.Cut(out, "to customer: ")
	return rest
}

func TestAgentQuoteJourney(t *testing.T) {
	t.Setenv(agentEnv, "")
	dir := t.TempDir()
	docs := chatJSON(t, dir, paidRepair...)
	if last := docs[len(docs)-1]; last["state"] != "handoff" {
		t.Fatalf("the paid repair is not with an agent: %v", last)
	}
	wantFields(t, show(t, dir, "T-1001"), "kind=repair", "status=open", "assignee=", "warranty.reason=expired")

	out := act(t, dir, "claim", "T-1001", "--agent", "alice", "--now", "2026-11-25")
	if strings.TrimSpace(out) != "T-1001 claimed by alice" {
		t.Errorf("claim printed %q", out)
	}
	wantFields(t, show(t, dir, "T-1001"), "status=assigned", "assignee=alice")

	for _, sub := range [][]string{{"claim", "T-1001"}, {"quote", "T-1001", "--amount", "300"}, {"reply", "T-1001", "hello"}} {
		code, _, errOut := cli(t, append(append([]string{"tickets"}, sub...), "--agent", "bob", "--data", dir)...)
		if code != 1 || !strings.Contains(errOut, "T-1001 is claimed by alice") {
			t.Errorf("bob: tickets %v: exit %d %q, want 1 naming alice", sub, code, errOut)
		}
	}

	out = act(t, dir, "quote", "T-1001", "--agent", "alice", "--amount", "380", "--note", "更换主板 含配件", "--now", "2026-11-25")
	if first, _, _ := strings.Cut(out, "\n"); first != "T-1001: quote 380 CNY sent to the customer, valid until 2026-12-02 10:00 CST" {
		t.Errorf("quote printed %q", first)
	}
	if msg := toCustomer(out); !strings.Contains(msg, "380 元") || !strings.Contains(msg, "更换主板 含配件") || !strings.Contains(msg, "接受报价") {
		t.Errorf("the customer does not get the quote:\n%s", out)
	}
	wantFields(t, show(t, dir, "T-1001"), "status=waiting_customer", "assignee=alice",
		"quote.amount=380", "quote.status=pending", "quote.note=更换主板 含配件")

	// The terminal customer first sees the quote the agent sent, then the
	// answer to their acceptance.
	docs = chatJSON(t, dir, "接受")
	if len(docs) != 3 || !strings.Contains(field(docs[0], "text"), "380 元") || !strings.Contains(field(docs[1], "text"), "开始维修") || docs[len(docs)-1]["state"] != "idle" {
		t.Errorf("accepting the quote: %v", docs)
	}
	wantFields(t, show(t, dir, "T-1001"), "status=in_progress", "quote.status=accepted")
	// An accepted quote is not changed: the error gives its amount as the
	// quote's own output does, with the currency.
	code, _, errOut := cli(t, "tickets", "quote", "T-1001", "--agent", "alice", "--amount", "400", "--data", dir)
	if code != 1 || !strings.Contains(errOut, "the customer accepted the quote of 380 CNY for T-1001 already") {
		t.Errorf("a second quote: exit %d %q, want 1 naming the quote of 380 CNY", code, errOut)
	}

	t.Setenv(agentEnv, "alice")
	out = act(t, dir, "reply", "T-1001", "主板已到货，", "明天修好", "--now", "2026-11-26")
	if !strings.HasPrefix(out, "T-1001: reply from alice sent to the customer\n") || !strings.Contains(out, "to customer: 主板已到货， 明天修好\n") {
		t.Errorf("reply printed:\n%s", out)
	}

	var noted map[string]any
	if err := json.Unmarshal([]byte(act(t, dir, "note", "T-1001", "--text", "board replaced", "--json")), &noted); err != nil {
		t.Fatal(err)
	}
	if shown := show(t, dir, "T-1001"); !reflect.DeepEqual(noted, shown) {
		t.Errorf("note --json is not the ticket as shown:\n%v\n%v", noted, shown)
	}
	if log := act(t, dir, "show", "T-1001"); !strings.Contains(log, "comment: board replaced") {
		t.Errorf("the note is not in the history:\n%s", log)
	}

	out = act(t, dir, "resolve", "T-1001", "--note", "主板已更换", "--now", "2026-11-27")
	if !strings.HasPrefix(out, "T-1001 resolved by alice\n") || !strings.Contains(toCustomer(out), "请为本次服务打分") {
		t.Errorf("resolve printed:\n%s", out)
	}
	wantFields(t, show(t, dir, "T-1001"), "status=resolved", "assignee=alice")

	code, _, errOut = cli(t, "tickets", "handback", "T-1001", "--data", dir)
	if code != 1 || !strings.Contains(errOut, "not with an agent") {
		t.Errorf("hand back a conversation the bot has: exit %d %q", code, errOut)
	}
}

func TestAgentHandback(t *testing.T) {
	t.Setenv(agentEnv, "")
	dir := t.TempDir()
	chatJSON(t, dir, "转人工")
	out := act(t, dir, "reply", "T-1001", "--agent", "alice", "您好，我是客服 alice")
	if !strings.Contains(out, "to customer: 您好，我是客服 alice") {
		t.Errorf("reply printed:\n%s", out)
	}
	wantFields(t, show(t, dir, "T-1001"), "kind=consultation", "assignee=alice", "status=in_progress")

	out = act(t, dir, "handback", "T-1001", "--agent", "alice")
	if !strings.HasPrefix(out, "T-1001: conversation handed back to the bot\n") || strings.Count(out, "to customer: ") < 2 {
		t.Errorf("handback printed:\n%s", out)
	}
	if docs := chatJSON(t, dir, "你好"); docs[len(docs)-1]["state"] == "handoff" {
		t.Errorf("the bot did not get the conversation back: %v", docs)
	}
	code, _, errOut := cli(t, "tickets", "handback", "T-1001", "--agent", "alice", "--data", dir)
	if code != 1 || !strings.Contains(errOut, "T-1001 is not with an agent") {
		t.Errorf("second handback: exit %d %q, want 1", code, errOut)
	}
}

func TestAgentBadInput(t *testing.T) {
	t.Setenv(agentEnv, "")
	dir := t.TempDir()
	chatJSON(t, dir, "转人工")
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"negative amount", []string{"quote", "T-1001", "--agent", "alice", "--amount", "-5"}, 2, "not a positive amount"},
		{"zero amount", []string{"quote", "T-1001", "--agent", "alice", "--amount", "0"}, 2, "not a positive amount"},
		{"amount not a number", []string{"quote", "T-1001", "--agent", "alice", "--amount", "lots"}, 2, `invalid amount "lots"`},
		{"no amount", []string{"quote", "T-1001", "--agent", "alice"}, 2, "--amount is required"},
		{"no agent", []string{"claim", "T-1001"}, 2, "--agent is required (or set SUPPORTD_AGENT)"},
		{"blank agent", []string{"claim", "T-1001", "--agent", " "}, 2, "--agent is required"},
		{"no ticket id", []string{"claim", "--agent", "alice"}, 2, "missing argument"},
		{"unknown ticket", []string{"claim", "T-9999", "--agent", "alice"}, 1, "T-9999"},
		{"reply without text", []string{"reply", "T-1001", "--agent", "alice"}, 2, "reply needs a text"},
		{"reply signed with an email address", []string{"reply", "T-1001", "--agent", "Wang.Fang@example.com", "hello"}, 2, "give the name with --name"},
		{"name on a claim", []string{"claim", "T-1001", "--agent", "alice", "--name", "Alice"}, 2, "name"},
		{"text twice", []string{"note", "T-1001", "--agent", "alice", "--text", "a", "b"}, 2, "not both"},
		{"extra argument", []string{"claim", "T-1001", "T-1002", "--agent", "alice"}, 2, `unexpected argument "T-1002"`},
		{"flag of another action", []string{"claim", "T-1001", "--agent", "alice", "--amount", "3"}, 2, "amount"},
		{"bad clock", []string{"claim", "T-1001", "--agent", "alice", "--now", "yesterday"}, 2, "--now"},
		{"unknown subcommand", []string{"assign", "T-1001", "--agent", "alice"}, 2, `unknown subcommand "assign"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := cli(t, append(append([]string{"tickets"}, tc.args...), "--data", dir)...)
			if code != tc.code || !strings.Contains(errOut, tc.want) || out != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d containing %q", code, out, errOut, tc.code, tc.want)
			}
		})
	}
	wantFields(t, show(t, dir, "T-1001"), "status=open", "assignee=")
}

func TestChatJSONSummary(t *testing.T) {
	docs := chatJSON(t, t.TempDir(), paidRepair...)
	if len(docs) < len(paidRepair)+1 {
		t.Fatalf("%d JSON lines for %d messages", len(docs), len(paidRepair))
	}
	for _, d := range docs[:len(docs)-1] {
		if d["type"] != "reply" || d["from"] != "bot" || field(d, "text") == "" {
			t.Errorf("reply line: %v", d)
		}
	}
	sum := docs[len(docs)-1]
	ts, _ := sum["tickets"].([]any)
	if sum["type"] != "summary" || sum["state"] != "handoff" || sum["lang"] != "zh" || len(ts) != 1 {
		t.Fatalf("summary: %v", sum)
	}
	tk, _ := ts[0].(map[string]any)
	wantFields(t, tk, "id=T-1001", "kind=repair", "model=TV-55X", "channel=cli",
		"warranty.covered=false", "warranty.reason=expired", "warranty.ends=2025-05-02", "details.estimate=170")

	bad := []struct{ flag, value string }{{"--lang", "fr"}, {"--now", "yesterday"}}
	for _, tc := range bad {
		code, _, errOut := cliIn(t, []string{"你好"}, "chat", "--data", t.TempDir(), tc.flag, tc.value)
		if code != 2 || !strings.Contains(errOut, tc.flag) || !strings.Contains(errOut, tc.value) {
			t.Errorf("chat %s %s: exit %d %q, want 2 naming the flag", tc.flag, tc.value, code, errOut)
		}
	}
}

// TestAgentReplyName: the customer reads the name given with --name, or the
// one configured for the agent's email address, never the address itself.
func TestAgentReplyName(t *testing.T) {
	t.Setenv(agentEnv, "")
	dir := t.TempDir()
	chatJSON(t, dir, "转人工")
	out := act(t, dir, "reply", "T-1001", "--agent", "wang.fang@example.com", "--name", "Fang W.", "您好")
	if !strings.HasPrefix(out, "T-1001: reply from wang.fang@example.com sent to the customer, signed Fang W.\n") {
		t.Errorf("reply printed:\n%s", out)
	}
	cfg := filepath.Join(t.TempDir(), "supportd.yaml")
	yaml := "channels:\n  slack:\n    agents:\n      Wang.Fang@Example.com: 王芳\n"
	if err := os.WriteFile(cfg, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	out = act(t, dir, "reply", "T-1001", "--agent", "wang.fang@example.com", "--config", cfg, "我来跟进")
	if !strings.Contains(out, "signed 王芳") {
		t.Errorf("reply by a configured agent printed:\n%s", out)
	}
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "supportd.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tk, err := db.Get(context.Background(), "T-1001")
	if err != nil {
		t.Fatal(err)
	}
	hist, err := db.History(context.Background(), tk.ConversationID, 0)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range hist {
		if m.From == dialog.FromAgent {
			names = append(names, m.Agent)
		}
	}
	if !reflect.DeepEqual(names, []string{"Fang W.", "王芳"}) {
		t.Errorf("the customer saw the replies signed %q, want Fang W. then 王芳", names)
	}
}

// tickets withdraw takes back a quote the customer has not answered: the
// customer is told, their "接受" is no consent (it goes to the agent), and a
// new quote replaces it.
func TestAgentWithdrawQuote(t *testing.T) {
	t.Setenv(agentEnv, "alice")
	dir := t.TempDir()
	chatJSON(t, dir, paidRepair...)
	act(t, dir, "quote", "T-1001", "--amount", "380", "--note", "更换主板 含配件", "--now", "2026-11-25")
	out := act(t, dir, "withdraw", "T-1001", "--note", "wrong board", "--now", "2026-11-25")
	if first, _, _ := strings.Cut(out, "\n"); first != "T-1001: quote 380 CNY withdrawn; the customer is told a new one may follow" {
		t.Errorf("withdraw printed %q", first)
	}
	if msg := toCustomer(out); !strings.Contains(msg, "工单 T-1001 的报价已撤回") {
		t.Errorf("the customer is not told:\n%s", out)
	}
	wantFields(t, show(t, dir, "T-1001"), "status=in_progress", "assignee=alice", "quote.status=withdrawn")
	log := act(t, dir, "show", "T-1001")
	if !strings.Contains(log, "quote withdrawn: wrong board") {
		t.Errorf("the withdrawal is not in the history:\n%s", log)
	}
	// Each step through the statuses says from what to what: the quote's
	// two steps (in progress, then waiting) no longer read as one twice.
	for _, step := range []string{"status assigned → in_progress", "status in_progress → waiting_customer", "status waiting_customer → in_progress: the quote was withdrawn", "assignee - → alice"} {
		if !strings.Contains(log, step) {
			t.Errorf("the history does not say %q:\n%s", step, log)
		}
	}
	if code, _, errOut := cli(t, "tickets", "withdraw", "T-1001", "--data", dir); code != 1 || !strings.Contains(errOut, "nothing to withdraw") {
		t.Errorf("withdraw again: exit %d %q", code, errOut)
	}
	docs := chatJSON(t, dir, "接受")
	if last := docs[len(docs)-1]; last["state"] != "handoff" || strings.Contains(fmt.Sprint(docs), "开始维修") {
		t.Errorf("the customer's yes to the withdrawn quote: %v", docs)
	}
	wantFields(t, show(t, dir, "T-1001"), "quote.status=withdrawn")
	act(t, dir, "quote", "T-1001", "--amount", "350", "--now", "2026-11-25")
	wantFields(t, show(t, dir, "T-1001"), "status=waiting_customer", "quote.amount=350", "quote.status=pending")
}

// An agent acting by email address in another case is said as stored.
func TestAgentEmailCase(t *testing.T) {
	dir := t.TempDir()
	chatJSON(t, dir, paidRepair...)
	if out := act(t, dir, "claim", "T-1001", "--agent", "Frank@Example.com"); !strings.Contains(out, "T-1001 claimed by frank@example.com") {
		t.Errorf("claim: %s", out)
	}
	if out := act(t, dir, "note", "T-1001", "--agent", "FRANK@example.com", "checked"); !strings.Contains(out, "internal note added by frank@example.com") {
		t.Errorf("note: %s", out)
	}
	if got := field(show(t, dir, "T-1001"), "assignee"); got != "frank@example.com" {
		t.Errorf("assignee %q", got)
	}
}
