package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/dialog/kb"
)

// cli runs one command line and returns its exit code and output.
func cli(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestCheckConfig(t *testing.T) {
	code, out, errOut := cli(t, "check-config")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"embedded default: configuration is valid", "home-electronics", "warranty 12 months",
		"office-equipment", "warranty 36 months", "products: 13", "holidays (2026-01-01 … 2026-10-07)", "channels enabled: webchat"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}

	dir := t.TempDir()
	bad := filepath.Join(dir, "supportd.yaml")
	os.WriteFile(bad, []byte("server:\n  addr: nowhere\npolicy:\n  categories:\n    - {id: home, name: {zh: 家电, en: Home}, warranty_months: 12}\n  products:\n    - {model: A, category: home, price: 1}\n    - {model: B, category: tv, price: 1}\n"), 0o600)
	code, out, errOut = cli(t, "check-config", bad)
	if code != 1 {
		t.Fatalf("exit %d, want 1; stdout %q", code, out)
	}
	for _, want := range []string{`server.addr: "nowhere" is not host:port (supportd.yaml:2)`, `policy.products[1].category:`, `(supportd.yaml:8)`} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if code, _, _ := cli(t, "check-config", filepath.Join(dir, "nope.yaml")); code != 1 {
		t.Errorf("missing file: exit %d, want 1", code)
	}
	if code, _, _ := cli(t, "check-config", "a.yaml", "b.yaml"); code != 2 {
		t.Errorf("two files: exit %d, want 2", code)
	}

	// A knowledge base serve would refuse is refused here too.
	kbFile := filepath.Join(dir, "kb.yaml")
	os.WriteFile(kbFile, []byte("faq:\n  - id: Broken Entry\n    questions: {zh: [], en: []}\n    answer: {zh: 答, en: answer}\n"), 0o600)
	withKB := filepath.Join(dir, "kb-config.yaml")
	os.WriteFile(withKB, []byte("dialog:\n  knowledge: "+kbFile+"\n"), 0o600)
	code, out, errOut = cli(t, "check-config", withKB)
	if code != 1 || !strings.Contains(errOut, "dialog.knowledge:") || strings.Contains(out, "configuration is valid") {
		t.Errorf("a broken knowledge base: exit %d, stdout %q, stderr %q; want 1 and the knowledge base's problems", code, out, errOut)
	}

	lunch := filepath.Join(dir, "lunch.yaml")
	os.WriteFile(lunch, []byte("policy:\n  calendar:\n    hours: {start: \"08:30\", end: \"17:30\", breaks: [{start: \"12:00\", end: \"13:30\"}]}\n"+
		"  categories:\n    - {id: home, name: {zh: 家电, en: Home}, warranty_months: 12}\n  products:\n    - {model: A, category: home, price: 1}\n"), 0o600)
	if code, out, errOut := cli(t, "check-config", lunch); code != 0 || !strings.Contains(out, "calendar: mon tue wed thu fri, 08:30–17:30 (closed 12:00–13:30);") {
		t.Errorf("a lunch break: exit %d, summary %q %s", code, out, errOut)
	}
}

func TestConfigDefaultRoundTrips(t *testing.T) {
	code, out, _ := cli(t, "config", "default")
	if code != 0 || !strings.Contains(out, "policy:") {
		t.Fatalf("exit %d: %s", code, out)
	}
	path := filepath.Join(t.TempDir(), "supportd.yaml")
	os.WriteFile(path, []byte(out), 0o600)
	if code, _, errOut := cli(t, "check-config", path); code != 0 {
		t.Errorf("the printed default does not validate: %s", errOut)
	}
}

// config default --texts and --knowledge print the embedded texts and
// knowledge base as files an operator edits: they load back as a texts file
// and a knowledge base, and a configuration naming them is valid.
func TestConfigDefaultTextsAndKnowledge(t *testing.T) {
	dir := t.TempDir()
	code, texts, errOut := cli(t, "config", "default", "--texts")
	if code != 0 || !strings.Contains(texts, "greeting:") {
		t.Fatalf("--texts: exit %d, %s", code, errOut)
	}
	os.WriteFile(filepath.Join(dir, "texts.yaml"), []byte(texts), 0o600)
	loaded, err := dialog.LoadTexts(filepath.Join(dir, "texts.yaml"))
	if err != nil {
		t.Fatalf("the printed texts do not load: %v", err)
	}
	if got, want := len(loaded.Keys()), len(dialog.DefaultTexts().Keys()); got != want {
		t.Errorf("the printed texts have %d keys, the embedded %d", got, want)
	}

	code, know, errOut := cli(t, "config", "default", "--knowledge")
	if code != 0 || !strings.Contains(know, "{exchange_days}") {
		t.Fatalf("--knowledge: exit %d, %s", code, errOut)
	}
	os.WriteFile(filepath.Join(dir, "knowledge.yaml"), []byte(know), 0o600)
	k, err := kb.LoadFile(filepath.Join(dir, "knowledge.yaml"))
	if err != nil {
		t.Fatalf("the printed knowledge base does not load: %v", err)
	}
	if got, want := len(k.Entries()), len(kb.Embedded().Entries()); got != want {
		t.Errorf("the printed knowledge base has %d entries, the embedded %d", got, want)
	}

	_, cfg, _ := cli(t, "config", "default")
	cfg = strings.Replace(cfg, "  # texts: texts.yaml ", "  texts: texts.yaml ", 1)
	cfg = strings.Replace(cfg, "  # knowledge: knowledge.yaml ", "  knowledge: knowledge.yaml ", 1)
	cfg = strings.Replace(cfg, "  # complaint_owner: ", "  complaint_owner: ", 1)
	os.WriteFile(filepath.Join(dir, "supportd.yaml"), []byte(cfg), 0o600)
	if code, out, errOut := cli(t, "check-config", filepath.Join(dir, "supportd.yaml")); code != 0 || !strings.Contains(cfg, "\n  knowledge: knowledge.yaml") {
		t.Errorf("a configuration naming the printed files: exit %d, %s %s", code, out, errOut)
	} else {
		// The summary names the files read, by their absolute paths, and the complaint owner.
		for _, want := range []string{
			"\ndialog: texts " + filepath.Join(dir, "texts.yaml") + ", knowledge " + filepath.Join(dir, "knowledge.yaml") + "\n",
			"\n  complaint owner: 王芳 (wang.fang@example.com)\n",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("check-config's summary lacks %q:\n%s", want, out)
			}
		}
	}
	if _, out, _ := cli(t, "check-config"); !strings.Contains(out, "\ndialog: texts embedded, knowledge embedded\n") {
		t.Errorf("check-config of the embedded configuration:\n%s", out)
	}

	code, _, errOut = cli(t, "config", "default", "--texts", "--knowledge")
	if want := "--texts and --knowledge print different files: give one"; code != 2 || !strings.Contains(errOut, want) {
		t.Errorf("both flags: exit %d, %q; want 2 and %q", code, errOut, want)
	}
}

type decision struct {
	Model    string `json:"model"`
	Category string `json:"category"`
	Warranty struct {
		Covered bool   `json:"covered"`
		Ends    string `json:"ends"`
		Reason  string `json:"reason"`
	} `json:"warranty"`
	Returns struct {
		DaysSincePurchase int      `json:"days_since_purchase"`
		Options           []string `json:"options"`
		ExchangeTo        *struct {
			Model      string  `json:"model"`
			Difference float64 `json:"difference"`
		} `json:"exchange_to"`
	} `json:"returns"`
	ServiceMode  string `json:"service_mode"`
	Installation string `json:"installation"`
}

func TestPolicyCheck(t *testing.T) {
	cases := []struct {
		name         string
		args         []string
		covered      bool
		ends, reason string
		days         int
		options      string
		mode, inst   string
	}{
		{"in warranty, inside the return window", []string{"--model", "TV-55X", "--purchased", "2026-03-01", "--now", "2026-03-05"},
			true, "2027-03-01", "in_warranty", 4, "return,exchange,repair", "mail_in", "paid"},
		{"last covered day: the anniversary", []string{"--model", "TV-55X", "--purchased", "2025-03-01", "--now", "2026-03-01"},
			true, "2026-03-01", "in_warranty", 365, "repair", "mail_in", "paid"},
		{"a day later it has expired", []string{"--model", "TV-55X", "--purchased", "2025-03-01", "--now", "2026-03-02"},
			false, "2026-03-01", "expired", 366, "repair", "mail_in", "paid"},
		{"no proof wins over misuse", []string{"--model", "WM-100", "--purchased", "2026-01-10", "--now", "2026-01-20", "--no-proof", "--exclusion", "misuse"},
			false, "2029-01-10", "no_proof", 10, "repair", "onsite", "free"},
		{"warranty card of another model: paid repair, returns as before", []string{"--model", "TV-55X", "--purchased", "2026-03-01", "--now", "2026-03-05", "--card-mismatch"},
			false, "2027-03-01", "card_mismatch", 4, "return,exchange,repair", "mail_in", "paid"},
		{"altered warranty card", []string{"--model", "WM-100", "--purchased", "2026-01-10", "--now", "2026-03-20", "--card-altered", "--exclusion", "misuse"},
			false, "2029-01-10", "card_altered", 69, "repair", "onsite", "free"},
		{"no proof wins over the card", []string{"--model", "WM-100", "--purchased", "2026-01-10", "--now", "2026-03-20", "--no-proof", "--card-mismatch"},
			false, "2029-01-10", "no_proof", 69, "repair", "onsite", "free"},
		{"damaged packaging: no return", []string{"--model", "AP-300", "--purchased", "2026-03-01", "--now", "2026-03-08", "--packaging", "damaged"},
			true, "2028-03-01", "in_warranty", 7, "exchange,repair", "mail_in", "none"},
		{"full-width model", []string{"--model", "ＴＶ－５５Ｘ", "--purchased", "2026-03-01", "--now", "2026-03-16"},
			true, "2027-03-01", "in_warranty", 15, "exchange,repair", "mail_in", "paid"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := cli(t, append([]string{"policy", "check", "--json"}, tc.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			var d decision
			if err := json.Unmarshal([]byte(out), &d); err != nil {
				t.Fatalf("%v: %s", err, out)
			}
			got := []any{d.Warranty.Covered, d.Warranty.Ends, d.Warranty.Reason, d.Returns.DaysSincePurchase, strings.Join(d.Returns.Options, ","), d.ServiceMode, d.Installation}
			want := []any{tc.covered, tc.ends, tc.reason, tc.days, tc.options, tc.mode, tc.inst}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("decision %+v\n got %v\nwant %v", d, got, want)
					break
				}
			}
		})
	}
}

func TestPolicyCheckExchangeAndText(t *testing.T) {
	code, out, errOut := cli(t, "policy", "check", "--json", "--model", "TV-65X", "--purchased", "2026-03-01", "--now", "2026-03-10", "--exchange-to", "TV-55X")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var d decision
	json.Unmarshal([]byte(out), &d)
	if d.Returns.ExchangeTo == nil || d.Returns.ExchangeTo.Model != "TV-55X" || d.Returns.ExchangeTo.Difference != -2000 {
		t.Errorf("exchange from the out-of-stock TV-65X to TV-55X: %s", out)
	}

	code, out, _ = cli(t, "policy", "check", "--model", "TV-55X", "--purchased", "2025-03-01", "--now", "2026-03-02")
	if code != 0 || !strings.Contains(out, "not covered (expired), warranty last day 2026-03-01") || !strings.Contains(out, "estimate 170 CNY") {
		t.Errorf("exit %d, text:\n%s", code, out)
	}

	code, out, _ = cli(t, "policy", "check", "--model", "TV-55X", "--purchased", "2026-03-01", "--now", "2026-03-02", "--card-mismatch")
	if code != 0 || !strings.Contains(out, "not covered (card_mismatch), warranty last day 2027-03-01: paid repair, estimate 170 CNY") {
		t.Errorf("--card-mismatch: exit %d, text:\n%s", code, out)
	}
}

func TestPolicyCheckBadInput(t *testing.T) {
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown model", []string{"--model", "XYZ-1", "--purchased", "2026-01-01", "--now", "2026-02-01"}, 1, `unknown model "XYZ-1": the catalog's models are AP-300, CP-3000, HP-30,`},
		{"unknown region", []string{"--model", "WM-100", "--purchased", "2026-01-01", "--now", "2026-02-01", "--region", "Mars"}, 2, `--region "Mars" is not a region of the policy (known: beijing, shanghai`},
		{"purchase in the future", []string{"--model", "TV-55X", "--purchased", "2026-03-02", "--now", "2026-03-01"}, 1, "future"},
		{"malformed date", []string{"--model", "TV-55X", "--purchased", "2026/03/01"}, 2, "--purchased"},
		{"missing model", []string{"--purchased", "2026-03-01"}, 2, "--model is required"},
		{"unknown exclusion", []string{"--model", "TV-55X", "--purchased", "2026-03-01", "--exclusion", "dropped"}, 2, `unknown exclusion "dropped"`},
		{"bad packaging", []string{"--model", "TV-55X", "--purchased", "2026-03-01", "--packaging", "torn"}, 2, "--packaging"},
		{"card flag with a value", []string{"--model", "TV-55X", "--purchased", "2026-03-01", "--card-mismatch=TV-50A"}, 2, "-card-mismatch"},
		{"unknown flag", []string{"--modle", "TV-55X"}, 2, "modle"},
		{"unknown exchange model", []string{"--model", "TV-55X", "--purchased", "2026-03-01", "--now", "2026-03-02", "--exchange-to", "ZZ"}, 1, `"ZZ"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := cli(t, append([]string{"policy", "check"}, tc.args...)...)
			if code != tc.code || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, stderr %q; want exit %d containing %q", code, errOut, tc.code, tc.want)
			}
		})
	}
}

func TestSLADue(t *testing.T) {
	cases := []struct{ from, n, want string }{
		{"2026-09-30T16:00:00+08:00", "1", "2026-10-08T18:00:00+08:00"}, // across National Day
		{"2026-10-09T10:00:00+08:00", "1", "2026-10-10T18:00:00+08:00"}, // 调休 Saturday is a working day
		{"2026-11-20T23:30:00+08:00", "1", "2026-11-23T18:00:00+08:00"}, // Friday night → Monday
		{"2026-11-19T16:00:00Z", "1", "2026-11-23T18:00:00+08:00"},      // 00:00 Friday in Shanghai
		{"2026-11-24T09:00:00+08:00", "3", "2026-11-27T18:00:00+08:00"},
	}
	for _, tc := range cases {
		code, out, errOut := cli(t, "sla", "due", "--from", tc.from, "--working-days", tc.n)
		if code != 0 || strings.TrimSpace(out) != tc.want {
			t.Errorf("sla due --from %s --working-days %s = %q (exit %d, %s), want %s", tc.from, tc.n, strings.TrimSpace(out), code, errOut, tc.want)
		}
	}
	bad := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--from", "2026-11-24T09:00:00+08:00", "--working-days", "-1"}, 2, "--working-days: -1 is not 0 or more"},
		{[]string{"--from", "2026-11-24", "--working-days", "1"}, 2, "RFC3339"},
		{[]string{"--from", "2026-11-24T09:00:00+08:00", "--working-days", "two"}, 2, "whole number"},
		{[]string{"--working-days", "1"}, 2, "required"},
	}
	for _, tc := range bad {
		code, _, errOut := cli(t, append([]string{"sla", "due"}, tc.args...)...)
		if code != tc.code || !strings.Contains(errOut, tc.want) {
			t.Errorf("sla due %v: exit %d stderr %q, want exit %d containing %q", tc.args, code, errOut, tc.code, tc.want)
		}
		if !strings.Contains(errOut, "usage: supportd sla due --from RFC3339 --working-days N") {
			t.Errorf("sla due %v: stderr %q, want the usage", tc.args, errOut)
		}
	}
}

func TestUnknownCommand(t *testing.T) {
	if code, _, errOut := cli(t, "frobnicate"); code != 2 || !strings.Contains(errOut, `unknown command "frobnicate"`) {
		t.Errorf("exit %d: %s", code, errOut)
	}
	if code, out, _ := cli(t, "help"); code != 0 || !strings.Contains(out, "supportd serve") {
		t.Errorf("help: exit %d: %s", code, out)
	}
}

// --help after a command prints its usage (and its flags) and exits 0.
func TestCommandHelp(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"serve", "--help"}, []string{"usage: supportd serve", "--addr", "listen address"}},
		{[]string{"report", "--help"}, []string{"usage: supportd report", "--from", "first day"}},
		{[]string{"chat", "-h"}, []string{"usage: supportd chat", "--user", "--now"}},
		{[]string{"report", "help"}, []string{"usage: supportd report"}},
		{[]string{"tickets", "--help"}, []string{"usage: supportd tickets list"}},
		{[]string{"tickets", "list", "--help"}, []string{"usage: supportd tickets", "--limit", "at most this many tickets"}},
		{[]string{"tickets", "--help"}, []string{"tickets reply ID TEXT... [--name NAME]"}},
		{[]string{"check-config", "-h"}, []string{"usage: supportd check-config"}},
	} {
		code, out, errOut := cli(t, tc.args...)
		if code != 0 {
			t.Errorf("%v: exit %d (%s), want 0", tc.args, code, errOut)
		}
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v: stdout lacks %q:\n%s", tc.args, w, out)
			}
		}
	}
}

// check-config and serve warn, without failing, when the holiday calendar
// has nothing left for this year or next: on 2026-12-02 the embedded
// calendar ends with 2026-10-07.
func TestCalendarRunOutWarning(t *testing.T) {
	at := func(s string) {
		t.Helper()
		d, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		clock = func() time.Time { return d }
	}
	t.Cleanup(func() { clock = time.Now })
	const want = "warning: calendar.holidays: the last public holiday listed is 2026-10-07: none after today (2026-12-02) in 2026 and none in 2027"

	at("2026-12-02T10:00:00+08:00")
	code, out, errOut := cli(t, "check-config")
	if code != 0 || !strings.Contains(out, "configuration is valid") || !strings.Contains(errOut, want) || !strings.Contains(errOut, "add the holidays and make-up working days (workdays) of 2027") {
		t.Errorf("exit %d, stdout %q, stderr %q; want 0, valid, and %q", code, out, errOut, want)
	}
	at("2026-09-01T10:00:00+08:00")
	if _, _, errOut := cli(t, "check-config"); strings.Contains(errOut, "warning") {
		t.Errorf("National Day still ahead: %q, want no warning", errOut)
	}

	at("2026-12-02T10:00:00+08:00")
	addr := freeAddr(t)
	srv := startServe(t, "--data", t.TempDir(), "--addr", addr)
	srv.ready(t, addr) // serving: the start is over
	logged := strings.TrimPrefix(want, "warning: ")
	if !strings.Contains(srv.logs.String(), "level=WARN") || !strings.Contains(srv.logs.String(), logged) {
		t.Errorf("serve log lacks the warning:\n%s", srv.logs.String())
	}
	srv.cancel()
	srv.wait(t)
}

func TestPolicyCheckTextExchangeAndVisit(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--model", "TV-55X", "--exchange-to", "TV-65X"}, "exchange to:  TV-65X at 5999 CNY (out of stock): the customer pays 2000 CNY more\n"},
		{[]string{"--model", "TV-65X", "--exchange-to", "TV-55X"}, "exchange to:  TV-55X at 3999 CNY: the customer gets 2000 CNY back\n"},
		{[]string{"--model", "WM-100", "--region", "shanghai"}, "service:      onsite (visit within 1 working day)\n"},
		{[]string{"--model", "WM-100", "--region", "beijing"}, "service:      onsite (visit within 2 working days)\n"},
	}
	for _, tc := range cases {
		args := append([]string{"policy", "check", "--purchased", "2026-03-01", "--now", "2026-03-04"}, tc.args...)
		code, out, errOut := cli(t, args...)
		if code != 0 || !strings.Contains(out, tc.want) {
			t.Errorf("%v: exit %d %s\n%s\nwant the line %q", tc.args, code, errOut, out, tc.want)
		}
	}
}

// A command missing its one argument says which; a command run without the
// server's --config or --data says to give them; --user names the web chat
// visitor as it is stored (no prefix).
func TestUsageNamesWhatIsMissing(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"tickets", "show", "--data", dir}, 2, "missing argument: the ticket id"},
		{[]string{"mail", "show", "--data", dir}, 2, "missing argument: the KEY that mail list prints"},
		{[]string{"kb", "test"}, 2, "missing argument: the file of questions"},
		{[]string{"tickets", "list", "--data", dir}, 1, "give the --config and --data that serve runs with"},
		{[]string{"customer", "show", "--user", "webchat"}, 2, "(webchat:VISITOR, email:ADDR, cli:NAME)"},
		// A flag is named as the usage writes it.
		{[]string{"tickets", "quote", "T-1001", "--name", "Al"}, 2, "usage: flag provided but not defined: --name\n"},
		{[]string{"tickets", "list", "--limit"}, 2, "usage: flag needs an argument: --limit\n"},
		{[]string{"report", "--json=maybe"}, 2, `invalid boolean value "maybe" for --json`},
	}
	for _, tc := range cases {
		code, _, errOut := cli(t, tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d containing %q", tc.args, code, errOut, tc.code, tc.want)
		}
	}
	code, out, _ := cli(t, "customer", "show", "--help")
	if code != 0 || strings.Contains(out, "v_") || !strings.Contains(out, "webchat:VISITOR") {
		t.Errorf("customer show --help: exit %d\n%s", code, out)
	}
}

// The email channel switched on with nothing else says what it needs, and
// nothing derived from the missing address.
func TestCheckConfigEmailNeeds(t *testing.T) {
	path := filepath.Join(t.TempDir(), "supportd.yaml")
	os.WriteFile(path, []byte("channels:\n  email:\n    enabled: true\n"), 0o600)
	code, _, errOut := cli(t, "check-config", path)
	for _, want := range []string{
		"channels.email.imap.host: required when the email channel is enabled",
		"channels.email.smtp.host: required when the email channel is enabled",
		"channels.email.address: required when the email channel is enabled: the support address customers write to",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("check-config lacks %q:\n%s", want, errOut)
		}
	}
	if code != 1 || strings.Contains(errOut, "message_id_domain") || strings.Contains(errOut, `"" is not`) {
		t.Errorf("exit %d:\n%s", code, errOut)
	}
}

// An unquoted ${NAME} inside an inline map is not valid YAML: check-config
// says why, on its line, and how to write it.
func TestCheckConfigEnvInInlineMap(t *testing.T) {
	path := filepath.Join(t.TempDir(), "supportd.yaml")
	os.WriteFile(path, []byte("channels:\n  email:\n    enabled: true\n    address: s@example.com\n    imap: {host: imap.example.com, port: ${SUPPORTD_TEST_PORT}}\n    smtp: {host: smtp.example.com}\n"), 0o600)
	t.Setenv("SUPPORTD_TEST_PORT", "993")
	code, _, errOut := cli(t, "check-config", path)
	if want := `inside an inline map {…} as its own: quote a text ("${NAME}"), or write the map one key per line (a number, such as a port) (supportd.yaml:5)`; code != 1 || !strings.Contains(errOut, want) {
		t.Errorf("exit %d %q, want 1 and %q", code, errOut, want)
	}
}
