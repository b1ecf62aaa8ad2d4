package email

import (
	"strings"
	"unicode/utf8"
)

// A mail opens with a salutation and closes with a sign-off and a name; the
// bot reads what lies between, so that "Hi," and "Thanks, Jo" are not part
// of a fault description. The stored message keeps the whole body.

// salutations open a first line that only greets ("Hi,", "Dear Sir or
// Madam,", "您好：").
var salutations = []string{"hi", "hello", "hey", "dear", "good morning", "good afternoon", "good evening", "greetings",
	"您好", "你好", "客服您好", "尊敬的"}

// signOffs are closing lines ("Thanks,", "Best regards", "谢谢！").
var signOffs = []string{"thanks", "thank you", "many thanks", "thanks a lot", "thanks in advance", "best", "best regards",
	"regards", "kind regards", "warm regards", "cheers", "sincerely", "yours sincerely", "yours", "br",
	"谢谢", "多谢", "感谢", "此致", "此致敬礼", "祝好", "顺祝商祺"}

// TrimCourtesy returns text without a first line that only greets and
// without a closing line followed by at most two short lines with no digits
// (a name, not a phone number). Text that would be left empty is returned
// as it is.
func TrimCourtesy(text string) string {
	lines := strings.Split(text, "\n")
	start, end := 0, len(lines)
	if isCourtesy(lines[0], salutations, 40) {
		start = 1
	}
	for i := end - 1; i >= start && i >= end-3; i-- {
		if isCourtesy(lines[i], signOffs, 30) {
			if namesOnly(lines[i+1:]) {
				end = i
			}
			break
		}
	}
	out := strings.TrimSpace(strings.Join(lines[start:end], "\n"))
	if out == "" {
		return text
	}
	return out
}

// isCourtesy reports whether line, at most max characters, is one of words
// or starts with one followed by a space, with any trailing punctuation.
func isCourtesy(line string, words []string, max int) bool {
	t := strings.ToLower(strings.TrimSpace(line))
	if t == "" || utf8.RuneCountInString(t) > max {
		return false
	}
	t = strings.TrimRight(t, ",.!:;，。！：；~ ")
	for _, w := range words {
		if t == w || strings.HasPrefix(t, w+" ") || (strings.HasPrefix(t, w) && !isASCIIWord(w)) {
			return true
		}
	}
	return false
}

// isASCIIWord reports whether w is written in ASCII (a word that must end
// at a space, unlike a Chinese one).
func isASCIIWord(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] >= 0x80 {
			return false
		}
	}
	return true
}

// namesOnly reports whether lines are at most two non-empty short lines
// without digits or an address: a name under a sign-off.
func namesOnly(lines []string) bool {
	n := 0
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		n++
		if n > 2 || utf8.RuneCountInString(t) > 30 || strings.ContainsAny(t, "0123456789@") {
			return false
		}
	}
	return true
}
