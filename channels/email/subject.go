package email

import (
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// reading is what the bot reads of a mail: its body's reading (without
// quoted history, signature, greeting and sign-off), and the subject only
// where the body does not say what it says. The subject is the thread's and
// the ticket's title, not a line of the fault description, so it is read
// only
//   - when the body says nothing (empty, or only a signature or a quote):
//     the subject is the message ("洗衣机不转了", nothing below);
//   - on a new conversation, when the subject carries words the body does
//     not ("WM-100 leaking" above "see photo"): its model or fault would be
//     lost; it is read first, as the customer wrote it.
//
// A subject the body repeats ("WM-100 leaking" above "My WM-100 has been
// leaking since Monday") or that only says it is a request ("Help",
// "Question", "售后问题") is not read, so the fault text is the body's.
func reading(subject, body string, newConversation bool) string {
	switch {
	case subject == "":
		return body
	case body == "":
		return subject
	case newConversation && !saysAll(body, subject):
		return subject + "\n" + body
	}
	return body
}

// fillerWords say only that a mail is a request; a subject of these alone
// tells the bot nothing.
var fillerWords = map[string]bool{
	"a": true, "about": true, "an": true, "and": true, "case": true, "contact": true, "customer": true,
	"dear": true, "enquiry": true, "for": true, "form": true, "hello": true, "help": true, "hi": true,
	"inquiry": true, "is": true, "issue": true, "issues": true, "my": true, "of": true, "please": true,
	"problem": true, "problems": true, "query": true, "question": true, "questions": true, "request": true,
	"service": true, "support": true, "the": true, "to": true, "urgent": true, "with": true, "your": true,
}

// fillerHan are the Chinese words of fillerWords.
var fillerHan = []string{"售后服务", "售后", "客服", "求助", "咨询", "问题", "请问", "您好", "你好", "关于", "紧急"}

// saysAll reports whether body contains every word of subject but the
// filler: a Latin word or model number as a whole word (case and width
// folded, endings cut), a Chinese character anywhere.
func saysAll(body, subject string) bool {
	fold := func(s string) string { return strings.ToLower(width.Fold.String(s)) }
	b := fold(body)
	bodyWords := map[string]bool{}
	for _, w := range words(b) {
		bodyWords[w], bodyWords[stem(w)] = true, true
	}
	s := fold(subject)
	for _, f := range fillerHan {
		s = strings.ReplaceAll(s, f, " ")
	}
	for _, r := range s {
		if unicode.Is(unicode.Han, r) && !strings.ContainsRune(b, r) {
			return false
		}
	}
	for _, w := range words(s) {
		if !fillerWords[w] && len(w) > 1 && !bodyWords[w] && !bodyWords[stem(w)] && !bodyWords[strings.ReplaceAll(w, "-", "")] {
			return false
		}
	}
	return true
}

// words splits text into its words other than Chinese: runs of letters,
// digits and inner hyphens ("wm-100"; a model written without its hyphen
// is the same word too).
func words(s string) []string {
	var out []string
	s = strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Han, r) {
			return ' ' // Chinese is compared by character (saysAll)
		}
		return r
	}, s)
	for _, w := range strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-'
	}) {
		if w = strings.Trim(w, "-"); w != "" {
			out = append(out, w)
			if strings.Contains(w, "-") {
				out = append(out, strings.ReplaceAll(w, "-", ""))
			}
		}
	}
	return out
}

// stem cuts an English word's usual endings, so that "leaks" and
// "leaking", "complaint" and "complained" are one word.
func stem(w string) string {
	for _, suffix := range []string{"ing", "ed", "es", "s", "t"} {
		if len(w) > len(suffix)+3 && strings.HasSuffix(w, suffix) {
			return w[:len(w)-len(suffix)]
		}
	}
	return w
}
