package kb

import (
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", " "},
		{"？！", " "},
		{"ｗａｒｒａｎｔｙ　ＰＥＲＩＯＤ", " warranty period "},
		{"TV-55X 保修多久？", " tv 55x 保修多久 "},
		{"won't turn on", " wont turn on "},
		{"It’s BROKEN!!", " its broken "},
		{"café", " café "},
		{"e\u0301", " e "},
		{"a\xffb", " a b "},
	} {
		if got := normalize(c.in); got != c.want {
			t.Errorf("normalize(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestReplacer(t *testing.T) {
	rp := newReplacer(map[string]string{
		"质保":              "保修",
		"扫地机":             "robotvacuum",
		"扫地机器人":           "robotvacuum",
		"washing machine": "washer",
		"fix":             "repair",
		"tv":              "tv", // a canonical form may map to itself implicitly too
	}, fillers)
	for _, c := range []struct{ in, want string }{
		{"质保期多久", " 保修期多久 "},
		{"扫地机器人保修", "  robotvacuum 保修 "},
		{"扫地机保修", "  robotvacuum 保修 "},
		{"washing machine warranty", "  washer  warranty "},
		{"洗衣机warranty", " 洗衣机warranty "},
		{"fix it", "  repair  it "},
		{"fixed prefix", " fixed prefix "}, // whole words only
		{"请问保修多久谢谢", "  保修多久  "},           // fillers dropped
		{"can you tell me the hours", "   the hours "},
	} {
		if got := rp.apply(normalize(c.in)); got != c.want {
			t.Errorf("apply(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestStem(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"batteries", "battery"}, {"copied", "copy"}, {"charges", "charg"}, {"charging", "charg"},
		{"charged", "charg"}, {"charge", "charg"}, {"shipped", "ship"}, {"shipping", "ship"},
		{"installing", "install"}, {"install", "install"}, {"returns", "return"}, {"returned", "return"},
		{"status", "status"}, {"glass", "glass"}, {"tvs", "tv"}, {"tv", "tv"}, {"need", "need"},
		{"55x", "55x"}, {"boxes", "box"}, {"days", "day"},
	} {
		if got := stem(c.in); got != c.want {
			t.Errorf("stem(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestTokenize(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"电视的保修", "电 电视 视 保 保修 修"},
		{"how long is the warranty", "long warranty"},
		{"TV保修", "tv 保 保修 修"},
		{"保", "保"},
		{"我是你的", ""},
	} {
		var got []string
		for _, tk := range tokenize(normalize(c.in), nil) {
			got = append(got, tk.s)
		}
		if g := strings.Join(got, " "); g != c.want {
			t.Errorf("tokenize(%q) = %q, want %q", c.in, g, c.want)
		}
	}
}

func TestCorrect(t *testing.T) {
	ix := Default().idx
	for _, c := range []struct{ in, want string }{
		{"warrenty", "warranty"},                                          // substitution
		{"waranty", "warranty"},                                           // deletion
		{"warrannty", "warranty"}, {"retrun", "return"}, {"mcuh", "much"}, // insertion, swaps
		{"tv", ""}, {"zzzzzz", ""}, {"warranty2", ""},
	} {
		got := ""
		if i := ix.correct(c.in); i >= 0 {
			got = ix.words[i]
		}
		if got != c.want {
			t.Errorf("correct(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestIsRequest(t *testing.T) {
	for _, c := range []struct {
		text string
		want bool
	}{
		{"我要退货", true},
		{"我的洗衣机不转了", true},
		{"电视前几天坏了", true},
		{"I want to return my TV", true},
		{"my printer is jammed", true},
		{"the fridge won't turn on", true},
		{"可以退货吗", false},
		{"我想退货，怎么办理", false},
		{"电视摔坏了保不保修", false},
		{"坏了几天能修好", false},
		{"I want to know the warranty period", false},
		{"I bought the wrong one can I return it", false},
		{"my TV is broken, is it covered?", false},
		{"how do I return a broken TV", false},
		{"保修期", false},
		{"opening hours", false},
	} {
		if got := isRequest(c.text, normalize(c.text)); got != c.want {
			t.Errorf("isRequest(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}

// TestSearchCrossLanguage: a question in one language finds the entry by its
// phrasings in the other, and lang picks the phrasing reported on a tie.
func TestSearchCrossLanguage(t *testing.T) {
	kb := Default()
	for _, c := range []struct{ text, lang, want string }{
		{"how long is the warranty", "zh", "warranty-period"},
		{"保修期多久", "en", "warranty-period"},
		{"洗衣机warranty几年", "en", "warranty-period"},
		{"return policy是什么", "zh", "return-policy"},
	} {
		e, ok := kb.Answer(c.text, c.lang)
		if !ok || e.ID != c.want {
			t.Errorf("Answer(%q, %s) = %s, want %s", c.text, c.lang, idOf(e, ok), c.want)
		}
	}
}
