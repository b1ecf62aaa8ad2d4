package config

import (
	"strings"
	"testing"
)

// A saved reply is read with both languages, a block of several lines
// included.
func TestSavedReplies(t *testing.T) {
	src := `channels:
  slack:
    saved_replies:
      warranty:
        zh: "{ticket}：您的产品在保修期内，{agent}为您跟进。"
        en: |
          Hi {customer}, your product is under warranty ({ticket}).
          {agent}
`
	cfg, err := Parse("supportd.yaml", []byte(src), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	r, ok := cfg.Channels.Slack.SavedReplies["warranty"]
	if !ok || r.Zh != "{ticket}：您的产品在保修期内，{agent}为您跟进。" || !strings.HasPrefix(r.En, "Hi {customer},") {
		t.Fatalf("saved_replies = %+v", cfg.Channels.Slack.SavedReplies)
	}
}

// Every bad saved reply is an error with its key and line; a placeholder
// inside a block is reported on its own line.
func TestSavedRepliesInvalid(t *testing.T) {
	long := strings.Repeat("好", SavedReplyMax+1)
	cases := []struct {
		name, src string
		want      []string
	}{
		{"name in capitals", "channels:\n  slack:\n    saved_replies:\n      Warranty: {zh: 好, en: ok}\n",
			[]string{`channels.slack.saved_replies.Warranty: "Warranty" is not a saved reply name: 1 to 40 of a-z, 0-9, _ and - (agents type it after !, as !warranty) (supportd.yaml:4)`}},
		{"name with a space", "channels:\n  slack:\n    saved_replies:\n      \"on site\": {zh: 好, en: ok}\n",
			[]string{`channels.slack.saved_replies.on site: "on site" is not a saved reply name`, `as !on-site) (supportd.yaml:4)`}},
		{"name too long", "channels:\n  slack:\n    saved_replies:\n      " + strings.Repeat("a", 41) + ": {zh: 好, en: ok}\n",
			[]string{`is not a saved reply name: 1 to 40`}},
		{"no English", "channels:\n  slack:\n    saved_replies:\n      hello:\n        zh: 您好\n",
			[]string{`channels.slack.saved_replies.hello.en: required: the reply in English, not blank (a saved reply goes in the conversation's language) (supportd.yaml:4)`}},
		{"blank Chinese", "channels:\n  slack:\n    saved_replies:\n      hello:\n        zh: \"  \"\n        en: Hello\n",
			[]string{`channels.slack.saved_replies.hello.zh: required: the reply in Chinese, not blank (a saved reply goes in the conversation's language) (supportd.yaml:5)`}},
		{"too long", "channels:\n  slack:\n    saved_replies:\n      hello:\n        zh: " + long + "\n        en: Hello\n",
			[]string{`channels.slack.saved_replies.hello.zh: 4001 characters: at most 4000 (supportd.yaml:5)`}},
		{"unknown placeholder", "channels:\n  slack:\n    saved_replies:\n      hello:\n        zh: 您好\n        en: \"Hello {name}\"\n",
			[]string{`channels.slack.saved_replies.hello.en: unknown placeholder {name}: a saved reply may use {ticket} (the ticket's id), {agent} (the name the customer sees for the agent) and {customer} (the customer's name, when known) (supportd.yaml:6)`}},
		{"placeholder on the third line of a block", "channels:\n  slack:\n    saved_replies:\n      hello:\n        zh: 您好\n        en: |\n          Hello,\n          your ticket is {ticket}.\n          Regards, {Agent}\n",
			[]string{`channels.slack.saved_replies.hello.en: unknown placeholder {Agent}`, `(supportd.yaml:9)`}},
		{"not a mapping", "channels:\n  slack:\n    saved_replies:\n      hello: Hello\n",
			[]string{`channels.slack.saved_replies.hello: "Hello": want a reply in both languages, {zh: …, en: …} (supportd.yaml:4)`}},
		{"another language", "channels:\n  slack:\n    saved_replies:\n      hello: {zh: 您好, en: Hello, fr: Bonjour}\n",
			[]string{`channels.slack.saved_replies.hello.fr: unknown key`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("supportd.yaml", []byte(tc.src), noEnv)
			wantProblems(t, err, tc.want...)
		})
	}
	// Two problems of one file: both, each with its line.
	src := "channels:\n  slack:\n    saved_replies:\n      a: {zh: \"{x}\", en: ok}\n      b:\n        zh: 好\n        en: \"{y}\"\n"
	_, err := Parse("supportd.yaml", []byte(src), noEnv)
	wantProblems(t, err, "saved_replies.a.zh: unknown placeholder {x}", "(supportd.yaml:4)", "saved_replies.b.en: unknown placeholder {y}", "(supportd.yaml:7)")
}

// The placeholders are filled in the language asked; without the
// customer's name the text still reads well.
func TestSavedReplyText(t *testing.T) {
	v := SavedValues{Ticket: "T-1001", Agent: "Frank"}
	cases := []struct{ zh, en, lang, customer, want string }{
		{"{ticket} 由 {agent} 跟进", "{ticket} is with {agent}", "zh", "", "T-1001 由 Frank 跟进"},
		{"{ticket} 由 {agent} 跟进", "{ticket} is with {agent}", "en", "", "T-1001 is with Frank"},
		{"x", "Hi {customer}, thanks", "en", "Jo Li", "Hi Jo Li, thanks"},
		{"x", "Hi {customer}, thanks", "en", "", "Hi, thanks"},
		{"x", "Hello, {customer}!", "en", "", "Hello!"},
		{"x", "Dear {customer}\nYour repair is done.", "en", "", "Dear\nYour repair is done."},
		{"您好，{customer}！", "x", "zh", "", "您好！"},
		{"{customer}，您好：\n已收到。", "x", "zh", "", "您好：\n已收到。"},
		{"{customer}您好", "x", "zh", " ", "您好"},
		{"{customer}您好", "x", "zh", "王芳", "王芳您好"},
		{"x", "Hello {customer},\nsee you.\n", "en", "", "Hello,\nsee you."},
	}
	for _, c := range cases {
		v.Customer = c.customer
		if got := (SavedReply{Zh: c.zh, En: c.en}).Text(c.lang, v); got != c.want {
			t.Errorf("Text(%s, %q) of %q/%q = %q, want %q", c.lang, c.customer, c.zh, c.en, got, c.want)
		}
	}
}

// Filling a saved reply leaves no placeholder, whatever the text around
// them and the values, and keeps a customer's name given.
func FuzzSavedReplyText(f *testing.F) {
	f.Add("Hi ", ", ", " is with ", ".", "")
	f.Add("", "，您好 ", "", "", "王芳")
	f.Add("a,", "", "!", "\n", "")
	f.Fuzz(func(t *testing.T, a, b, c, d, customer string) {
		nobraces := strings.NewReplacer("{", "", "}", "")
		a, b, c, d, customer = nobraces.Replace(a), nobraces.Replace(b), nobraces.Replace(c), nobraces.Replace(d), nobraces.Replace(customer)
		text := a + "{customer}" + b + "{ticket}" + c + "{agent}" + d + "{customer}"
		for _, lang := range []string{"zh", "en"} {
			got := SavedReply{Zh: text, En: text}.Text(lang, SavedValues{Ticket: "T-1", Agent: "Frank", Customer: customer})
			if strings.ContainsAny(got, "{}") {
				t.Errorf("Text(%q) = %q: a placeholder left", text, got)
			}
			if name := strings.TrimSpace(customer); name != "" && !strings.Contains(got, name) {
				t.Errorf("Text(%q) = %q: the customer's name %q left out", text, got, name)
			}
		}
	})
}

// The example of the embedded configuration, uncommented, is valid.
func TestDefaultSavedRepliesExample(t *testing.T) {
	var example []string
	for _, l := range strings.Split(string(defaultYAML), "\n") {
		if strings.HasPrefix(l, "    # saved_replies:") {
			example = append(example, "")
		}
		if example == nil {
			continue
		}
		rest, ok := strings.CutPrefix(l, "    # ")
		if !ok {
			break
		}
		example = append(example, "    "+rest)
	}
	if len(example) < 4 {
		t.Fatalf("no saved_replies example in the embedded configuration: %q", example)
	}
	src := "channels:\n  slack:" + strings.Join(example, "\n") + "\n"
	cfg, err := Parse("supportd.yaml", []byte(src), noEnv)
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	r := cfg.Channels.Slack.SavedReplies["warranty"]
	if got := r.Text("en", SavedValues{Ticket: "T-1001", Agent: "Frank"}); got != "Hi, your product is under warranty: the repair is free. Ticket T-1001; Frank follows it up." {
		t.Errorf("the example reads %q", got)
	}
}
