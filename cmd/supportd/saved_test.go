package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// savedConfig writes a configuration with saved replies into dir.
func savedConfig(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "supportd.yaml")
	src := `channels:
  slack:
    saved_replies:
      parts:
        zh: "您好{customer}，{ticket} 的配件已到货，{agent}明天为您安排维修。"
        en: |
          Hi {customer}, the parts for {ticket} have arrived.
          {agent} will book the repair tomorrow.
      visit: {zh: 师傅明天上门。, en: The technician comes tomorrow.}
`
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// tickets reply --saved sends the saved reply in the conversation's
// language, its placeholders filled, with a text given added below it.
func TestAgentReplySaved(t *testing.T) {
	t.Setenv(agentEnv, "")
	for _, tc := range []struct {
		name  string
		chat  []string
		args  []string
		wants string
	}{
		{"chinese", paidRepair, []string{"--saved", "Parts"},
			"to customer: 您好，T-1001 的配件已到货，alice明天为您安排维修。\n"},
		{"english, a text added", []string{"I want to talk to a person"}, []string{"--saved", "parts", "Please keep your phone on."},
			"to customer: Hi, the parts for T-1001 have arrived.\n             alice will book the repair tomorrow.\n             \n             Please keep your phone on.\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := savedConfig(t, dir)
			chatJSON(t, dir, tc.chat...)
			act(t, dir, "claim", "T-1001", "--agent", "alice")
			out := act(t, dir, append([]string{"reply", "T-1001", "--agent", "alice", "--config", cfg}, tc.args...)...)
			if !strings.HasPrefix(out, "T-1001: saved reply parts from alice sent to the customer\n") || !strings.Contains(out, tc.wants) {
				t.Errorf("reply --saved printed:\n%s\nwant %q", out, tc.wants)
			}
			if log := act(t, dir, "show", "T-1001"); !strings.Contains(log, "the parts for T-1001") && !strings.Contains(log, "T-1001 的配件已到货") {
				t.Errorf("the reply is not in the history:\n%s", log)
			}
		})
	}
}

// An unknown saved reply sends nothing: exit 1 with the names there are.
func TestAgentReplySavedUnknown(t *testing.T) {
	t.Setenv(agentEnv, "")
	dir := t.TempDir()
	cfg := savedConfig(t, dir)
	chatJSON(t, dir, paidRepair...)
	act(t, dir, "claim", "T-1001", "--agent", "alice")
	before := act(t, dir, "show", "T-1001")
	code, out, errOut := cli(t, "tickets", "reply", "T-1001", "--agent", "alice", "--saved", "part", "--config", cfg, "--data", dir)
	if code != 1 || !strings.Contains(errOut, `no saved reply "part": the saved replies are parts, visit (channels.slack.saved_replies)`) || out != "" {
		t.Errorf("exit %d, stdout %q, stderr %q; want 1 and the names", code, out, errOut)
	}
	code, _, errOut = cli(t, "tickets", "reply", "T-1001", "--agent", "alice", "--saved", "parts", "--data", dir)
	if code != 1 || !strings.Contains(errOut, `no saved reply "parts": none is configured`) {
		t.Errorf("without saved replies: exit %d, stderr %q", code, errOut)
	}
	if after := act(t, dir, "show", "T-1001"); after != before {
		t.Errorf("the ticket changed:\n%s\nthen\n%s", before, after)
	}
	code, _, errOut = cli(t, "tickets", "reply", "T-1001", "--agent", "alice", "--data", dir)
	if code != 2 || !strings.Contains(errOut, "reply needs a text, or --saved NAME") {
		t.Errorf("neither text nor --saved: exit %d, stderr %q", code, errOut)
	}
}

// check-config names the saved replies, and refuses a bad one with its key
// and line.
func TestCheckConfigSavedReplies(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := cli(t, "check-config", savedConfig(t, dir))
	if code != 0 || !strings.Contains(out, "slack saved replies (2): parts, visit\n") {
		t.Errorf("check-config: exit %d\n%s%s", code, out, errOut)
	}
	bad := filepath.Join(dir, "bad.yaml")
	src := "channels:\n  slack:\n    saved_replies:\n      visit:\n        zh: 师傅明天上门。\n        en: |\n          The technician comes tomorrow.\n          Call {phone} first.\n"
	if err := os.WriteFile(bad, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = cli(t, "check-config", bad)
	if code != 1 || !strings.Contains(errOut, "channels.slack.saved_replies.visit.en: unknown placeholder {phone}") || !strings.Contains(errOut, "(bad.yaml:8)") {
		t.Errorf("check-config of a bad saved reply: exit %d, %q", code, errOut)
	}
}
