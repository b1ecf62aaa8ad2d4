package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The commands other than serve run on the server's configuration file in
// a shell without the secrets it takes from the environment (they never
// reach Slack, the mail server or a webhook); check-config still wants
// them, and any other unset variable is still an error.
func TestOfflineCommandsWithoutTheServersSecrets(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "supportd.yaml")
	os.WriteFile(cfg, []byte(`storage:
  data_dir: ./data
channels:
  webchat:
    secret: ${SUPPORTD_TEST_UNSET_WEBCHAT}
  slack:
    enabled: true
    bot_token: ${SUPPORTD_TEST_UNSET_BOT}
    signing_secret: "${SUPPORTD_TEST_UNSET_SIGNING}"
    default_channel: C0123456789
    agents: {frank@example.com: Frank}
webhooks:
  - name: crm
    url: https://crm.example.com/hooks
    secret: "${SUPPORTD_TEST_UNSET_CRM}"
`), 0o600)

	if code, _, errOut := cli(t, "check-config", cfg); code != 1 || !strings.Contains(errOut, "SUPPORTD_TEST_UNSET_BOT is not set") {
		t.Errorf("check-config: exit %d %q; want 1 naming the unset variable", code, errOut)
	}

	code, _, errOut := cliIn(t, paidRepair, "chat", "--config", cfg, "--now", "2026-11-25")
	if code != 0 {
		t.Fatalf("chat: exit %d %s", code, errOut)
	}
	for _, args := range [][]string{
		{"tickets", "list"},
		{"tickets", "show", "T-1001"},
		{"tickets", "claim", "T-1001", "--agent", "frank@example.com"},
		{"tickets", "reply", "T-1001", "--agent", "frank@example.com", "hello"},
		{"report"},
		{"mail", "list"},
		{"customer", "show", "--user", "cli:nobody"}, // exit 1: no such customer
		{"kb", "ask", "how long is the warranty"},
		{"policy", "check", "--model", "TV-55X", "--purchased", "2026-01-01"},
		{"sla", "due", "--from", "2026-11-24T09:00:00+08:00", "--working-days", "1"},
	} {
		code, out, errOut := cli(t, append(args, "--config", cfg)...)
		if strings.Contains(errOut, "is not set") || (code != 0 && args[0] != "customer") {
			t.Errorf("%v: exit %d\n%s%s", args, code, out, errOut)
		}
	}
	if _, out, _ := cli(t, "tickets", "reply", "T-1001", "--agent", "frank@example.com", "hi", "--config", cfg); !strings.Contains(out, "signed Frank") {
		t.Errorf("the reply is not signed with the agents' name from the file: %s", out)
	}

	// Another unset variable is still an error.
	os.WriteFile(cfg, []byte("storage:\n  data_dir: ${SUPPORTD_TEST_UNSET_DIR}\n"), 0o600)
	if code, _, errOut := cli(t, "tickets", "list", "--config", cfg); code != 1 || !strings.Contains(errOut, "SUPPORTD_TEST_UNSET_DIR is not set") {
		t.Errorf("unset data_dir: exit %d %q", code, errOut)
	}
}
