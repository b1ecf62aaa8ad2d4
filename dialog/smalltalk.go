package dialog

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// What a customer says when the bot has nothing left to do (thanks,
// goodbye, "ok") is answered as such, before the knowledge base is asked.

// smallTalk answers what a customer says with nothing to do (in idle):
// thanks, goodbye or "no, nothing else", an acknowledgement, or a yes to
// "anything else?" (the menu). A lone yes, no or "ok" as the customer's
// first message answers nothing: they are asked what they need (the
// menu). False for anything else. By mail it is taken in silence: a mail
// that only says thank you needs no mail back.
func (t *turn) smallTalk(text string) bool {
	if t.e.asksTogether(t.c.Channel) {
		return isThanks(text) || isGoodbye(text) || leaves(text) || isAck(text) || yesNo(text) != 0
	}
	switch {
	case isThanks(text):
		t.say("thanks.reply")
	case isGoodbye(text) || leaves(text):
		t.say("goodbye")
	case t.before == nil && (yesNo(text) != 0 || isAck(text)):
		t.menu()
	case yesNo(text) == -1:
		t.say("goodbye")
	case isAck(text):
		t.say("ack.reply")
	case praises(text):
		t.say("praise.reply") // "my new TV is great": nothing to pass to a person
	case yesNo(text) == 1:
		t.menu()
	default:
		return false
	}
	return true
}

// isGoodbye reports whether text ends the conversation.
func isGoodbye(text string) bool {
	switch norm(text) {
	case "bye", "bye bye", "byebye", "goodbye", "good bye", "see you", "see ya", "that's all", "that is all", "nothing else", "no, nothing else",
		"再见", "拜拜", "88", "没有了", "没了", "没有了谢谢", "没有了，谢谢", "不用了", "不用了谢谢", "不用了，谢谢", "就这些", "没事了", "没别的了":
		return true
	}
	return false
}

// signsOff reports whether text takes leave ("ok thanks, bye", "好的，再见",
// "never mind"), whatever else it says.
func signsOff(text string) bool {
	n := norm(text)
	for _, w := range strings.FieldsFunc(n, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' }) {
		switch w {
		case "bye", "byebye", "goodbye", "cya":
			return true
		}
	}
	return containsAny(n, "see you", "that's all", "never mind", "nevermind", "forget it", "再见", "拜拜", "算了", "没事了", "不用了")
}

// leaves reports whether a short message only takes leave, with thanks or
// an "ok" around it ("ok thanks, bye", "好的谢谢，再见"): no question, no
// request.
func leaves(text string) bool {
	return signsOff(text) && len(strings.Fields(text)) <= 6 && utf8.RuneCountInString(text) <= 40 && !looksLikeQuestion(text) && intentOf(text) == intentNone
}

// isAck reports whether text only acknowledges what was said.
func isAck(text string) bool {
	switch norm(text) {
	case "ok", "okay", "k", "kk", "alright", "all right", "got it", "cool", "great", "fine", "noted", "understood", "i see",
		"好的", "好", "嗯", "嗯嗯", "行", "知道了", "明白", "明白了", "收到", "了解", "好的好的", "ok的", "👍", "👌", "🙏", "😊", "🙂":
		return true
	}
	return false
}

// praises reports a remark that only praises a product or the service
// ("my new TV is great", "电视挺好用的"): it asks for nothing and tells no
// fault.
func praises(text string) bool {
	n := norm(text)
	return utf8.RuneCountInString(n) <= 60 && praiseWords.any(n) && !faultPhrases.any(n) && !looksLikeQuestion(text) &&
		intentOf(text) == intentNone && !strings.Contains(n, "but") && !strings.ContainsAny(n, "但可就")
}

var praiseWords = newPhraseSet([]string{"is great", "is amazing", "is excellent", "is perfect", "is brilliant", "works great",
	"works perfectly", "love it", "love my", "really happy with", "very happy with", "so happy with", "great product",
	"挺好的", "很好用", "挺好用", "非常好用", "太好用", "很满意", "非常满意", "很喜欢", "特别喜欢", "真不错", "很不错", "挺不错"})

// isThanks reports whether text only thanks us.
func isThanks(text string) bool {
	if thanksOnly(text) {
		return true
	}
	// "my TV-55X is great, thanks", "又能用了，谢谢": thanks after a remark
	// that asks for nothing and tells no fault.
	n := norm(text)
	return hasSuffixAny(n, " thanks", ",thanks", "thank you", "谢谢", "谢谢你们", "感谢") && yesNo(text) == 0 && !isGoodbye(text) &&
		!faultPhrases.any(n) && !looksLikeQuestion(text) && intentOf(text) == intentNone
}

// courtesyOnly reports whether text is nothing but thanks and
// acknowledgements ("thanks", "谢谢", "got it, thanks!", "收到，谢谢"):
// each of its parts, between punctuation and lines, is one. Unlike
// isThanks, a remark before the thanks is not ("please call before Friday,
// thanks" asks something), nor a question.
func courtesyOnly(text string) bool {
	if strings.ContainsAny(text, "?？") {
		return false // "got it?" asks
	}
	parts := strings.FieldsFunc(text, func(r rune) bool {
		return r == '\n' || r == '、' || r == ';' || r == '；' || trailing(r) && r != ' '
	})
	n := 0
	for _, p := range parts {
		if strings.TrimSpace(p) == "" {
			continue
		}
		if !thanksOnly(p) && !isAck(p) {
			return false
		}
		n++
	}
	return n > 0
}

// thanksOnly reports whether text is a thank-you and nothing else.
func thanksOnly(text string) bool {
	switch norm(text) {
	case "谢谢", "谢谢你", "谢谢您", "多谢", "感谢", "非常感谢", "好的谢谢", "好的，谢谢", "好的,谢谢", "谢啦", "thanks", "thank you",
		"thanks a lot", "thank you very much", "many thanks", "thx", "ty", "cheers", "ok thanks", "ok, thanks", "great, thanks", "great thanks",
		"thank u", "thanks guys", "thx u", "thx u guys", "thank you guys", "thanks u guys", "tks", "thanks so much", "谢了", "感谢感谢",
		"thanks again", "thank you again", "再次感谢", "再次谢谢", "再次感谢你们", "再次谢谢你们":
		return true
	}
	return false
}

func hasSuffixAny(s string, ss ...string) bool {
	for _, x := range ss {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}
