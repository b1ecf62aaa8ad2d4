package config

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestWebhooks(t *testing.T) {
	env := func(name string) (string, bool) {
		v, ok := map[string]string{"CRM_SECRET": "s3cret", "EMPTY": ""}[name]
		return v, ok
	}
	src := `webhooks:
  - name: crm
    url: https://crm.example.com/hooks/supportd
    secret: "${CRM_SECRET}"
    events: [created, updated]
  - name: erp
    url: http://10.0.0.5:8080/in
    secret: written-in-clear
    timeout: 3s
  - name: audit
    url: https://audit.example.com/
`
	cfg, err := Parse("supportd.yaml", []byte(src), env)
	if err != nil {
		t.Fatal(err)
	}
	want := []Webhook{
		{Name: "crm", URL: "https://crm.example.com/hooks/supportd", Secret: "s3cret", Events: []string{"created", "updated"}, Timeout: 10 * time.Second},
		{Name: "erp", URL: "http://10.0.0.5:8080/in", Secret: "written-in-clear", Timeout: 3 * time.Second},
		{Name: "audit", URL: "https://audit.example.com/", Timeout: 10 * time.Second},
	}
	if !reflect.DeepEqual(cfg.Webhooks, want) {
		t.Errorf("webhooks = %+v\nwant %+v", cfg.Webhooks, want)
	}
	if cfg, err := Parse("supportd.yaml", nil, env); err != nil || len(cfg.Webhooks) != 0 {
		t.Errorf("no webhooks section: %+v %v", cfg, err)
	}

	cases := []struct {
		name, src string
		want      []string
	}{
		{"no url", "webhooks:\n  - name: crm\n",
			[]string{`webhooks[0].url: required: the http(s) URL that receives the deliveries (supportd.yaml:2)`}},
		{"not http", "webhooks:\n  - name: crm\n    url: ftp://crm.example.com/\n",
			[]string{`webhooks[0].url: "ftp://crm.example.com/" is not an http(s) URL (supportd.yaml:3)`}},
		{"no host", "webhooks:\n  - name: crm\n    url: crm.example.com/hooks\n",
			[]string{`webhooks[0].url: "crm.example.com/hooks" is not an http(s) URL (supportd.yaml:3)`}},
		{"no name", "webhooks:\n  - url: https://crm.example.com/\n",
			[]string{`webhooks[0].name: required`, `(supportd.yaml:2)`}},
		{"odd name", "webhooks:\n  - name: my crm\n    url: https://crm.example.com/\n",
			[]string{`webhooks[0].name: "my crm": use letters, digits`, `(supportd.yaml:2)`}},
		{"duplicate name", "webhooks:\n  - name: crm\n    url: https://a.example.com/\n  - name: crm\n    url: https://b.example.com/\n",
			[]string{`webhooks[1].name: duplicate webhook name "crm" (also webhooks[0]) (supportd.yaml:4)`}},
		{"unknown event", "webhooks:\n  - name: crm\n    url: https://crm.example.com/\n    events: [created, resolved]\n",
			[]string{`webhooks[0].events[1]: unknown event "resolved" (want created, updated, comment) (supportd.yaml:4)`}},
		{"empty events", "webhooks:\n  - name: crm\n    url: https://crm.example.com/\n    events: []\n",
			[]string{`webhooks[0].events: empty list: leave the key out for every event (supportd.yaml:4)`}},
		{"secret from an empty variable", "webhooks:\n  - name: crm\n    url: https://crm.example.com/\n    secret: \"${EMPTY}\"\n",
			[]string{`webhooks[0].secret: empty (is its environment variable set to nothing?)`, `(supportd.yaml:4)`}},
		{"secret from an unset variable", "webhooks:\n  - name: crm\n    url: https://crm.example.com/\n    secret: \"${UNSET}\"\n",
			[]string{`webhooks[0].secret: environment variable UNSET is not set (supportd.yaml:4)`}},
		{"timeout out of range", "webhooks:\n  - name: crm\n    url: https://crm.example.com/\n    timeout: 10m\n",
			[]string{`webhooks[0].timeout: must be 100ms to 5m (supportd.yaml:4)`}},
		{"unknown key", "webhooks:\n  - name: crm\n    url: https://crm.example.com/\n    secrte: x\n",
			[]string{`webhooks[0].secrte: unknown key (did you mean "secret"?) (supportd.yaml:4)`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("supportd.yaml", []byte(tc.src), env)
			wantProblems(t, err, tc.want...)
		})
	}
}

// The commented example of the embedded configuration is valid once
// uncommented.
func TestDefaultWebhookExample(t *testing.T) {
	var block []string
	in := false
	for _, line := range strings.Split(string(Default()), "\n") {
		if line == "# webhooks:" {
			in = true
		}
		if in {
			if !strings.HasPrefix(line, "#") {
				break
			}
			block = append(block, strings.TrimPrefix(strings.TrimPrefix(line, "#"), " "))
		}
	}
	if len(block) < 3 {
		t.Fatalf("no commented webhooks example in the default configuration: %q", block)
	}
	env := func(string) (string, bool) { return "k", true }
	cfg, err := Parse("supportd.yaml", []byte(strings.Join(block, "\n")), env)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Webhooks) != 1 || cfg.Webhooks[0].Name != "crm" || cfg.Webhooks[0].Secret != "k" || len(cfg.Webhooks[0].Events) != 3 {
		t.Errorf("example = %+v", cfg.Webhooks)
	}
}
