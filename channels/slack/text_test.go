package slack

import (
	"strings"
	"testing"
)

// names is a Slack workspace of one person, U2.
func names(user string) string {
	if user == "U2" {
		return "Grace"
	}
	return ""
}

func TestFromSlack(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"plain", "hello", "hello"},
		{"entities", "a &lt;b&gt; &amp; c", "a <b> & c"},
		{"link with label", "see <https://x.example/a|the guide>", "see the guide (https://x.example/a)"},
		{"bare link", "<https://x.example/a>", "https://x.example/a"},
		{"mailto", "<mailto:jo@example.com|jo@example.com>", "jo@example.com"},
		{"mailto named", "<mailto:jo@example.com|Jo>", "Jo (jo@example.com)"},
		{"typed phone", "call <tel:+8613800138000|+8613800138000>", "call +8613800138000"},
		{"typed site", "see <http://help.example.com|help.example.com>", "see help.example.com"},
		{"mention by name", "My colleague <@U2> will call you", "My colleague Grace will call you"},
		{"unknown person", "<@U9> will call you", "a colleague will call you"},
		{"emoji", "Thank you :pray: :+1::skin-tone-2:", "Thank you 🙏 👍"},
		{"custom emoji dropped", "Done :custom_party: see you", "Done see you"},
		{"a MAC address is no emoji", "Set the router MAC to 00:1a:2b:3c:4d:5e and restart", "Set the router MAC to 00:1a:2b:3c:4d:5e and restart"},
		{"a path is no emoji", "Open https://help.example.com/a:b:c/ for the guide", "Open https://help.example.com/a:b:c/ for the guide"},
		{"times are not emoji", "at 10:30:00 or 9:15", "at 10:30:00 or 9:15"},
		{"channel with name", "in <#C1|desk>", "in desk"},
		{"special mention", "<!here> hi", "hi"},
		{"channel without its name", "see <#C1|> for news", "see our team's channel for news"},
		{"bold italic strike", "*really* _soon_ ~not~ today", "really soon not today"},
		{"adjacent bold", "*a* *b*, then *c*.", "a b, then c."},
		{"bold in Chinese", "请*务必*在“*周五*”前回复", "请*务必*在“周五”前回复"},
		{"code block", "Run:\n```\nreset --all\n```\nthen `ok`", "Run:\nreset --all\nthen ok"},
		{"no markup in words", "file_name_here and 5 * 3 * 2 and a~b~c", "file_name_here and 5 * 3 * 2 and a~b~c"},
		{"a mark alone", "* item one", "* item one"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := fromSlack(tc.in, names); got != tc.want {
				t.Errorf("fromSlack(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestInternal(t *testing.T) {
	cases := []struct {
		in, text string
		note     bool
		hint     bool // kept by a rule that tells the agent why
	}{
		{"note: call back tomorrow", "call back tomorrow", true, false},
		{"  NOTE:x", "x", true, false},
		{"备注: 客户很着急", "客户很着急", true, false},
		{"备注：全角冒号", "全角冒号", true, false},
		{"Note : spaced", "spaced", true, false},
		{"internal: not for the customer", "not for the customer", true, false},
		{"INTERNAL：full-width", "full-width", true, false},
		{"内部: 别发给客户", "别发给客户", true, false},
		{"内部：全角", "全角", true, false},
		{"*note:* in bold", "in bold", true, false},
		{"notes are here", "notes are here", false, false},
		{"internally we think", "internally we think", false, false},
		{"Hello", "Hello", false, false},
		// A reply that begins with a mention is for colleagues.
		{"<@U2> can you check the serial?", "Grace can you check the serial?", true, true},
		{"  <@U2|grace> 看一下序列号", "Grace 看一下序列号", true, true},
		{"<@W0123ABC> please call", "a colleague please call", true, true},
		{"<!subteam^S0614TZR7|@repairs> anyone free?", "@repairs anyone free?", true, true},
		{"<!here> who knows this model?", "who knows this model?", true, true},
		{"<!channel|@channel> urgent", "@channel urgent", true, true},
		{"<!everyone> fyi", "fyi", true, true},
		{"note: <@U2> see this", "Grace see this", true, false},
		// A mention elsewhere, or a link first, goes to the customer.
		{"Hello, <@U2> will call you", "Hello, Grace will call you", false, false},
		{"<https://help.example/door|The guide> shows how", "The guide (https://help.example/door) shows how", false, false},
		{"<#C1|desk> is our channel", "desk is our channel", false, false},
		{"<mailto:jo@example.com|jo@example.com> is your address?", "jo@example.com is your address?", false, false},
	}
	for _, tc := range cases {
		text, kept := internal(tc.in, names)
		if text != tc.text || (kept != nil) != tc.note || (kept != nil && kept.hint != "") != tc.hint {
			t.Errorf("internal(%q) = %q %+v, want %q, kept %v, with a hint %v", tc.in, text, kept, tc.text, tc.note, tc.hint)
		}
	}
}

func TestEscapeMakesCustomerTextInert(t *testing.T) {
	for _, in := range []string{"<!channel>", "<@U1>", "<https://evil|x>", "<img src=x onerror=alert(1)>", "a & b"} {
		out := esc(in)
		if strings.ContainsAny(out, "<>") || strings.Contains(strings.ReplaceAll(out, "&amp;", ""), "& ") {
			t.Errorf("esc(%q) = %q", in, out)
		}
	}
}

func FuzzFromSlack(f *testing.F) {
	for _, s := range []string{"hello", "<https://x|y>", "<@U1>", "&lt;&gt;&amp;", "<<>>|", "备注: x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := fromSlack(s, names)
		if strings.Contains(out, "&lt;") && !strings.Contains(s, "&amp;lt;") {
			t.Errorf("fromSlack(%q) left an entity: %q", s, out)
		}
		if text, _ := internal(s, names); len(text) > len(fromSlack(s, names)) {
			t.Errorf("internal(%q) grew", s)
		}
		if e := esc(s); strings.ContainsAny(e, "<>") {
			t.Errorf("esc(%q) = %q", s, e)
		}
	})
}

// A customer message longer than maxParts parts says where it was cut.
func TestCustomerPostsAreBounded(t *testing.T) {
	posts := customerPosts(strings.Repeat("x & y ", 20000), "")
	if len(posts) != maxParts {
		t.Fatalf("%d parts, want %d", len(posts), maxParts)
	}
	for _, p := range posts {
		if len(p) > partLen+200 {
			t.Errorf("a part of %d bytes", len(p))
		}
		if strings.Contains(p, "&amp") && strings.Count(p, "&") != strings.Count(p, "&amp;") {
			t.Errorf("an entity cut in two: %q", p[len(p)-20:])
		}
	}
	if last := posts[maxParts-1]; !strings.Contains(last, "more characters of this message are not shown") {
		t.Errorf("the last part does not say it is cut: %q", last[len(last)-100:])
	}
	if got := customerPosts("short <b>", ""); len(got) != 1 || got[0] != "💬 *Customer:* short &lt;b&gt;" {
		t.Errorf("a short message: %q", got)
	}
}

// With thread replies internal by default, only a send mark reaches the
// customer, stripped; a note mark is a note; anything else (a mention
// first too) is kept by the rule whose hint is given once.
func TestClassifyInternalByDefault(t *testing.T) {
	cases := []struct {
		in, text string
		kept     *keep
	}{
		{"reply: Hello", "Hello", nil},
		{"Reply : spaced", "spaced", nil},
		{"CUSTOMER：full-width", "full-width", nil},
		{"回复：您好", "您好", nil},
		{"客户: 明天到", "明天到", nil},
		{"*reply:* in bold", "in bold", nil},
		{"reply: <@U2> will call you", "Grace will call you", nil},
		{"replying later", "replying later", &unmarked},
		{"Hello", "Hello", &unmarked},
		{"<@U2> can you check?", "Grace can you check?", &unmarked},
		{"note: reply: not sent", "reply: not sent", &keeps[0]},
		{"备注: 客户很着急", "客户很着急", &keeps[0]},
	}
	for _, tc := range cases {
		text, kept := classify(tc.in, names, true)
		if text != tc.text || kept != tc.kept {
			t.Errorf("classify(%q) = %q %p, want %q %p", tc.in, text, kept, tc.text, tc.kept)
		}
	}
	// By default a send mark is text like any other: today's behaviour.
	if text, kept := classify("reply: Hello", names, false); text != "reply: Hello" || kept != nil {
		t.Errorf("classify in customer mode = %q %v, want the reply as written", text, kept)
	}
	if got := shortcutText("note: *Hello* <@U2>", names); got != "Hello Grace" {
		t.Errorf("shortcutText = %q", got)
	}
}
