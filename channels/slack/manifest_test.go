package slack

import (
	"os"
	"slices"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The app manifest is valid YAML and declares the message shortcut the desk
// handles, under the callback id it answers to.
func TestManifestDeclaresTheSendShortcut(t *testing.T) {
	raw, err := os.ReadFile("../../slack/manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	type shortcut struct {
		Name       string `yaml:"name"`
		Type       string `yaml:"type"`
		CallbackID string `yaml:"callback_id"`
	}
	var m struct {
		Features struct {
			Shortcuts []shortcut `yaml:"shortcuts"`
		} `yaml:"features"`
		OAuth struct {
			Scopes struct {
				Bot []string `yaml:"bot"`
			} `yaml:"scopes"`
		} `yaml:"oauth_config"`
	}
	if err := yaml.Unmarshal(raw, &m); err != nil {
		t.Fatalf("manifest: %v", err)
	}
	if !slices.ContainsFunc(m.Features.Shortcuts, func(s shortcut) bool {
		return s.Type == "message" && s.CallbackID == sendCallback
	}) {
		t.Errorf("shortcuts %+v, want a message shortcut %q", m.Features.Shortcuts, sendCallback)
	}
	if !slices.Contains(m.OAuth.Scopes.Bot, "commands") {
		t.Error("shortcuts need the commands scope")
	}
}
