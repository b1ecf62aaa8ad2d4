package config

import (
	"os"
	"path/filepath"
	"testing"
)

// Relative paths in a configuration file are relative to the file, not to
// the directory supportd is run from; the default data directory, given in
// no file, is relative to the working directory. All come out absolute.
func TestRelativePathsFollowTheFile(t *testing.T) {
	etc := filepath.Join(t.TempDir(), "etc")
	if err := os.MkdirAll(filepath.Join(etc, "bot"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"bot/texts.yaml", "kb.yaml"} {
		if err := os.WriteFile(filepath.Join(etc, f), []byte("{}\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	src := "storage:\n  data_dir: ./data\ndialog:\n  texts: bot/texts.yaml\n  knowledge: kb.yaml\n"
	path := filepath.Join(etc, "supportd.yaml")
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	elsewhere := t.TempDir()
	t.Chdir(elsewhere)

	cfg, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := cfg.DatabasePath(), filepath.Join(etc, "data", "supportd.db"); got != want {
		t.Errorf("database = %q, want %q beside the configuration file", got, want)
	}
	if cfg.Dialog.Texts != filepath.Join(etc, "bot", "texts.yaml") || cfg.Dialog.Knowledge != filepath.Join(etc, "kb.yaml") {
		t.Errorf("texts %q, knowledge %q: want them beside the configuration file", cfg.Dialog.Texts, cfg.Dialog.Knowledge)
	}

	cfg, err = Load(filepath.Join(etc, "bot", "texts.yaml")) // a file without storage: the default data directory
	if err != nil {
		t.Fatal(err)
	}
	if got, want := cfg.Storage.DataDir, filepath.Join(elsewhere, "data"); got != want {
		t.Errorf("default data dir = %q, want %q in the working directory", got, want)
	}
}
