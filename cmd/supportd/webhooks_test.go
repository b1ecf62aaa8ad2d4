package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// check-config lists the webhooks by name and host, never their secret or
// the rest of their URL, and refuses a bad entry with its key and line.
func TestCheckConfigWebhooks(t *testing.T) {
	t.Setenv("CRM_SECRET", "very-secret-key")
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	os.WriteFile(good, []byte("webhooks:\n  - name: crm\n    url: https://crm.example.com/in?token=t0ken\n    secret: \"${CRM_SECRET}\"\n    events: [created]\n"), 0o600)
	code, out, errOut := cli(t, "check-config", good)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "webhooks (1):\n  crm                https://crm.example.com, signed, created, timeout 10s\n") {
		t.Errorf("summary lacks the webhook:\n%s", out)
	}
	if strings.Contains(out, "very-secret-key") || strings.Contains(out, "t0ken") {
		t.Errorf("summary shows the secret or the URL's token:\n%s", out)
	}
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("webhooks:\n  - name: crm\n    url: https://crm.example.com/\n  - name: crm\n    url: mailto:erp@example.com\n    events: [created, closed]\n"), 0o600)
	code, _, errOut = cli(t, "check-config", bad)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	for _, want := range []string{
		`webhooks[1].name: duplicate webhook name "crm" (also webhooks[0]) (bad.yaml:4)`,
		`webhooks[1].url: "mailto:erp@example.com" is not an http(s) URL (bad.yaml:5)`,
		`webhooks[1].events[1]: unknown event "closed" (want created, updated, comment) (bad.yaml:6)`,
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
}
