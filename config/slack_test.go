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
	if s.Agents["frank@example.com"] != "Frank" || s.SLAInterval != time.Minute || s.ThreadReplies != ThreadRepliesCustomer {
		t.Errorf("slack = %+v, want the agents, sla_interval 1m and thread_replies customer by default", s)
	}
	cfg, err = Parse("supportd.yaml", []byte("channels:\n  slack:\n    thread_replies: internal\n"), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Channels.Slack.ThreadReplies; got != ThreadRepliesInternal {
		t.Errorf("thread_replies = %q, want internal", got)
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
		{"thread replies neither customer nor internal", "channels:\n  slack:\n    enabled: false\n    thread_replies: private\n",
			[]string{`channels.slack.thread_replies: "private" is not one of customer, internal (supportd.yaml:4)`}},
		{"thread replies in capitals", "channels:\n  slack:\n    thread_replies: Internal\n",
			[]string{`channels.slack.thread_replies: "Internal" is not one of customer, internal (supportd.yaml:3)`}},
		{"route to an unknown category", "channels:\n  slack:\n    channels: {repair/tvs: C_TV}\n",
			[]string{`channels.slack.channels.repair/tvs: unknown product category "tvs": a key is a ticket kind, or KIND/CATEGORY with a category id of the policy (home-electronics, small-appliances, major-appliances, office-equipment) (supportd.yaml:3)`}},
		{"route of an unknown kind", "channels:\n  slack:\n    channels: {fix/major-appliances: C_MAJOR}\n",
			[]string{`channels.slack.channels.fix/major-appliances: unknown ticket kind "fix"`}},
		{"route without a channel", "channels:\n  slack:\n    channels: {repair: ' '}\n",
			[]string{`channels.slack.channels.repair: the channel is required`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("supportd.yaml", []byte(tc.src), noEnv)
			wantProblems(t, err, tc.want...)
		})
	}
	cfg, err = Parse("supportd.yaml", []byte("channels:\n  slack:\n    channels: {repair: C_REPAIRS, repair/major-appliances: C_MAJOR}\n"), noEnv)
	if err != nil || cfg.Channels.Slack.Channels["repair/major-appliances"] != "C_MAJOR" {
		t.Errorf("a route by kind and category: %v, %v", err, cfg.Channels.Slack.Channels)
	}
}
