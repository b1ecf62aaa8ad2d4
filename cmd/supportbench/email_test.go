package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/supportd/supportd/channels/email"
	"github.com/supportd/supportd/internal/dovecot"
)

func TestEmailPlan(t *testing.T) {
	missing := dovecot.ErrNotInstalled
	for _, tc := range []struct {
		name        string
		o           options
		integration string
		binErr      error
		run         bool
		skip, err   bool
	}{
		{"off", options{email: false}, "", missing, false, false, false},
		{"installed", options{email: true}, "", nil, true, false, false},
		{"smoke without dovecot skips", options{email: true, smoke: true}, "", missing, false, true, false},
		{"smoke without dovecot in CI fails", options{email: true, smoke: true}, "1", missing, false, false, true},
		{"full run without dovecot fails", options{email: true}, "", missing, false, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("SUPPORTD_INTEGRATION", tc.integration)
			run, skip, err := emailPlan(&tc.o, tc.binErr)
			if run != tc.run || (skip != "") != tc.skip || (err != nil) != tc.err {
				t.Fatalf("emailPlan = %v, %q, %v; want run %v, skip %v, error %v", run, skip, err, tc.run, tc.skip, tc.err)
			}
			if err != nil && !errors.Is(err, dovecot.ErrNotInstalled) {
				t.Errorf("error %v does not wrap ErrNotInstalled", err)
			}
		})
	}
}

// The queued mail is a customer's mail the channel reads: its own sender
// and Message-ID, and the request for a person in its text.
func TestCustomerMail(t *testing.T) {
	m, err := email.Parse(dovecot.CRLF(customerMail(42)), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if m.From != "customer0042@example.net" || m.MessageID != "bench0042.4f2a@mail.example.net" || !strings.Contains(m.Text, "I want to talk to a human agent") {
		t.Errorf("from %q, id %q, text %q", m.From, m.MessageID, m.Text)
	}
}

// The email benchmark end to end, small: both readers drain every mail,
// the gateway makes a conversation and a ticket for each and replies, and
// every IDLE mail is measured.
func TestEmailRun(t *testing.T) {
	if _, err := dovecot.Binary(); err != nil {
		if os.Getenv("SUPPORTD_INTEGRATION") == "1" {
			t.Fatal("SUPPORTD_INTEGRATION=1 but " + err.Error())
		}
		t.Skip(err.Error() + "; SUPPORTD_INTEGRATION=1 makes this a failure")
	}
	o := &options{email: true, reps: 1, emailMails: 30, emailIdle: 2}
	b := &bencher{o: o, log: io.Discard, cpu: -1, clientCPU: -1}
	res, err := b.emailRun(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if err := res.check(o); err != nil {
		t.Fatal(err)
	}
	rep := res.Reps[0]
	for _, rd := range emailReaders {
		if dr := rep.Drain[rd]; dr.MailsPerS <= 0 || dr.Seconds <= 0 {
			t.Errorf("%s: %+v", rd, dr)
		}
	}
	if g := rep.Drain[emailGateway]; g.SeenSeconds < g.Seconds || g.RepliedSeconds <= 0 {
		t.Errorf("gateway milestones: %+v", g)
	}
	if rep.Idle.Gateway.P50ms <= 0 || rep.Idle.Bare.P50ms <= 0 {
		t.Errorf("IDLE: %+v", rep.Idle)
	}
	var out bytes.Buffer
	res.markdown(&out)
	if rate := res.Summary[0]; rate.Ratios[emailGateway] <= 0 || (rate.Met != "yes" && rate.Met != "no") {
		t.Errorf("first row: %+v", rate)
	}
	if !strings.Contains(out.String(), "| gateway ÷ bare |") {
		t.Errorf("table:\n%s", out.String())
	}
	t.Logf("\n%s", out.String())
}
