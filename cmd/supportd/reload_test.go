package main

import (
	"bytes"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/supportd/supportd/config"
)

// startOnly names each changed key read at start only, down to the field,
// and nothing for the sections a reload applies.
func TestStartOnlyNamesTheChangedKeys(t *testing.T) {
	a, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := config.Load("")
	if keys := startOnly(a, b); len(keys) != 0 {
		t.Fatalf("the same configuration: %v", keys)
	}
	b.Policy.Returns.ReturnDays = 30
	b.Dialog.Knowledge = "knowledge.yaml"
	b.Log.Level = "debug"
	b.Channels.Slack.Agents = map[string]string{"li.lei@example.com": "李雷"}
	b.Channels.Webchat.AllowedOrigins = append(b.Channels.Webchat.AllowedOrigins, "https://outlet.example.com")
	b.Channels.Slack.SavedReplies = map[string]config.SavedReply{"visit": {Zh: "师傅明天上门。", En: "The technician comes tomorrow."}}
	if keys := startOnly(a, b); len(keys) != 0 {
		t.Errorf("changes a reload applies: %v", keys)
	}
	b.Channels.Slack.BotToken = "xoxb-secret"
	b.Channels.Webchat.Rate.Connection.Burst++
	b.Log.Format = "json"
	b.Webhooks = append(b.Webhooks, config.Webhook{Name: "crm"})
	want := []string{"log.format", "channels.webchat.rate.connection.burst", "channels.slack.bot_token", "webhooks"}
	if keys := startOnly(a, b); !slices.Equal(keys, want) {
		t.Errorf("startOnly = %v, want %v", keys, want)
	}
}

// SIGHUP to a server on the embedded configuration says there is no file
// to read again and what to do, and counts no reload.
func TestReloadWithoutAFile(t *testing.T) {
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	r := newReloader("", "", "", cfg, nil, new(slog.LevelVar), slog.New(slog.NewTextHandler(&logs, nil)), prometheus.NewRegistry())
	if err := r.reload(); err != nil {
		t.Fatal(err)
	}
	if want := "write it to one (supportd config default > supportd.yaml) and serve with --config"; !strings.Contains(logs.String(), want) || strings.Contains(logs.String(), "configuration reloaded") {
		t.Errorf("log %q, want it to say %q", logs.String(), want)
	}
	if n := testutil.ToFloat64(r.reloads.WithLabelValues("applied")); n != 0 {
		t.Errorf("%v reloads counted as applied", n)
	}
}
