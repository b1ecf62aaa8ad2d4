package config

import (
	"testing"
	"time"
)

func TestSlackAgentsAndSLAInterval(t *testing.T) {
	src := "channels:\n  slack:\n    agents: {frank@example.com: Frank, grace@example.com: Grace}\n"
	cfg, err := Parse("supportd.yaml", []byte(src), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	s := cfg.Channels.Slack
	if s.Agents["frank@example.com"] != "Frank" || s.SLAInterval != time.Minute {
		t.Errorf("slack = %+v, want the agents and sla_interval 1m by default", s)
	}
	cases := []struct {
		name, src string
		want      []string
	}{
		{"not an email", "channels:\n  slack:\n    agents: {frank: Frank}\n",
			[]string{`channels.slack.agents.frank: "frank" is not an email address (supportd.yaml:3)`}},
		{"no name", "channels:\n  slack:\n    agents: {frank@example.com: ' '}\n",
			[]string{`channels.slack.agents.frank@example.com: the name customers see is required`}},
		{"same name twice", "channels:\n  slack:\n    agents: {a@example.com: Frank, b@example.com: Frank}\n",
			[]string{`name "Frank" is also`, `names must be unique`}},
		{"interval too short", "channels:\n  slack:\n    sla_interval: 10ms\n",
			[]string{`channels.slack.sla_interval: must be at least 1s (supportd.yaml:3)`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("supportd.yaml", []byte(tc.src), noEnv)
			wantProblems(t, err, tc.want...)
		})
	}
}
