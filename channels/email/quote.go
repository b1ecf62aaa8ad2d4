package email

import (
	"regexp"
	"strings"
)

// Quoted history and signatures are trimmed from what the bot reads; the
// stored message keeps the whole body.

var (
	// A line that starts the quoted history: everything from it on goes.
	historyStart = []*regexp.Regexp{
		regexp.MustCompile(`(?i)^-{2,}\s*(original message|forwarded message|原始邮件|原邮件|转发邮件)\s*-{2,}`),
		regexp.MustCompile(`(?i)^_{5,}$`), // Outlook's rule above its header block
		regexp.MustCompile(`^在.{0,200}写道[:：]\s*$`),
		regexp.MustCompile(`(?i)^on\s.{0,300}\swrote:\s*$`),
		regexp.MustCompile(`(?i)^(sent from my|get outlook for)\b`),
		regexp.MustCompile(`^发自我的`),
	}
	// "On Mon, 1 Jan 2026 at 10:00, Someone <a@b>" with "wrote:" on the next line.
	onLine    = regexp.MustCompile(`(?i)^on\s.{0,300}$`)
	wroteLine = regexp.MustCompile(`(?i)^.{0,200}wrote:\s*$`)
	// An Outlook header block: "From: ..." followed by "Sent:"/"Date:"/"To:".
	fromLine   = regexp.MustCompile(`(?i)^\*?(from|发件人)\s*[:：]`)
	headerLine = regexp.MustCompile(`(?i)^\*?(sent|date|to|subject|发送时间|日期|收件人|主题)\s*[:：]`)
)

// TrimQuoted returns what the customer wrote in a reply: the text before the
// quoted history ("On … wrote:", "在 … 写道：", "-----Original Message-----",
// an Outlook header block) and before the signature ("-- "), without the
// lines quoted with ">". Line ends become "\n". The result is never longer
// than the text given.
func TrimQuoted(text string) string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	lines := strings.Split(text, "\n")
	var keep []string
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		t := strings.TrimSpace(l)
		if l == "-- " || t == "--" || startsHistory(t, lines[i+1:]) {
			break
		}
		if strings.HasPrefix(strings.TrimLeft(l, " \t"), ">") {
			continue
		}
		keep = append(keep, strings.TrimRight(l, " \t"))
	}
	return strings.TrimSpace(strings.Join(keep, "\n"))
}

// startsHistory reports whether the line t, followed by rest, starts the
// quoted history.
func startsHistory(t string, rest []string) bool {
	for _, re := range historyStart {
		if re.MatchString(t) {
			return true
		}
	}
	if onLine.MatchString(t) && len(rest) > 0 && wroteLine.MatchString(strings.TrimSpace(rest[0])) && !strings.Contains(t, "wrote") {
		return len(t) > 3 && strings.ContainsAny(t, "0123456789@")
	}
	if fromLine.MatchString(t) {
		for _, r := range rest[:min(len(rest), 4)] {
			if headerLine.MatchString(strings.TrimSpace(r)) {
				return true
			}
		}
	}
	return false
}
