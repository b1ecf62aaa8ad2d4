package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/supportd/supportd/store/sqlite"
)

// A configuration file's relative data_dir is beside the file: run from
// another directory, the commands find the same database instead of an
// empty new one. A relative --data stays relative to the working directory,
// and is named in full.
func TestRelativeDataDirFollowsTheConfigFile(t *testing.T) {
	etc := t.TempDir()
	cfgPath := filepath.Join(etc, "supportd.yaml")
	if err := os.WriteFile(cfgPath, []byte("storage:\n  data_dir: ./data\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(context.Background(), filepath.Join(etc, "data", "supportd.db"))
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	elsewhere := t.TempDir()
	t.Chdir(elsewhere)

	if code, out, errOut := cli(t, "tickets", "list", "--config", cfgPath); code != 0 {
		t.Errorf("tickets list from another directory: exit %d, %q %q; want the database beside the configuration", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(elsewhere, "data")); err == nil {
		t.Error("a data directory was created in the working directory")
	}
	_, out, _ := cli(t, "check-config", cfgPath)
	if want := "storage: sqlite at " + filepath.Join(etc, "data", "supportd.db"); !strings.Contains(out, want) {
		t.Errorf("check-config summary lacks %q:\n%s", want, out)
	}
	code, _, errOut := cli(t, "tickets", "list", "--config", cfgPath, "--data", "other")
	if want := "no database at " + filepath.Join(elsewhere, "other", "supportd.db"); code != 1 || !strings.Contains(errOut, want) {
		t.Errorf("--data other: exit %d, %q; want 1 and %q", code, errOut, want)
	}
}

// check-config refuses a knowledge base whose troubleshooting steps are
// keyed by a category the policy does not have, or by a model that is not in
// its catalog; steps keyed by a catalog model pass.
func TestCheckConfigKnowledgeTroubleshootingKeys(t *testing.T) {
	dir := t.TempDir()
	kbYAML := "faq:\n  - id: a\n    questions: {zh: [保修多久], en: [how long is the warranty]}\n    answer: {zh: 一年, en: One year}\n" +
		"troubleshooting:\n  KEY:\n    - {zh: 充电, en: Charge it.}\n"
	cfg := "dialog:\n  knowledge: kb.yaml\npolicy:\n  categories:\n    - {id: wearables, name: {zh: 穿戴, en: Wearables}, warranty_months: 12}\n" +
		"  products:\n    - {model: W1, category: wearables, price: 1}\n    - {model: WB-100, category: wearables, price: 1}\n"
	path := filepath.Join(dir, "supportd.yaml")
	os.WriteFile(path, []byte(cfg), 0o600)
	for _, c := range []struct{ key, want string }{
		{"wearable", `dialog.knowledge: troubleshooting.wearable: neither a category nor a model of the policy (did you mean "wearables"?): its steps would never be offered (kb.yaml:6)`},
		{"WB-200", `dialog.knowledge: troubleshooting.WB-200: neither a category nor a model of the policy (did you mean "WB-100"?): its steps would never be offered (kb.yaml:6)`},
		{"X9", `dialog.knowledge: troubleshooting.X9: neither a category nor a model of the policy (categories: wearables; models: W1, WB-100): its steps would never be offered (kb.yaml:6)`},
	} {
		os.WriteFile(filepath.Join(dir, "kb.yaml"), []byte(strings.Replace(kbYAML, "KEY", c.key, 1)), 0o600)
		code, out, errOut := cli(t, "check-config", path)
		if code != 1 || !strings.Contains(errOut, c.want) || strings.Contains(out, "is valid") {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want 1 and %q", c.key, code, out, errOut, c.want)
		}
	}
	for _, key := range []string{"wearables", "WB-100", "wb100"} {
		os.WriteFile(filepath.Join(dir, "kb.yaml"), []byte(strings.Replace(kbYAML, "KEY", key, 1)), 0o600)
		if code, out, errOut := cli(t, "check-config", path); code != 0 || !strings.Contains(out, "is valid") {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want it valid", key, code, out, errOut)
		}
	}
}
