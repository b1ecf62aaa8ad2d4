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
		regexp.MustCompile(`(?i)^-{2,}[\s\x{00a0}]*(original message|original|forwarded message|原始邮件|原邮件|转发邮件|原始郵件|轉寄郵件)[\s\x{00a0}]*-{2,}`),
		regexp.MustCompile(`(?i)^at\s.{0,300}\swrote:\s*$`), // NetEase in English: "At 2026-11-25 10:05:00, "Support" <…> wrote:"
		regexp.MustCompile(`(?i)^_{5,}$`),                   // Outlook's rule above its header block
		regexp.MustCompile(`^在.{0,200}(写道|寫道)[:：]\s*$`),
		regexp.MustCompile(`^.{0,200}(于|於)\s*\d{4}\s*年.{0,100}(写道|寫道)[:：]\s*$`), // Gmail in Chinese: "Support <…> 于2026年11月25日周三 10:05写道："
		regexp.MustCompile(`(?i)^on\s.{0,300}\swrote:\s*$`),
		regexp.MustCompile(`(?i)^(sent from my|get outlook for)\b`),
		regexp.MustCompile(`(?i)^sent from (mail for windows|yahoo mail|outlook|the mail app)\b.{0,40}$`),
		regexp.MustCompile(`^发自我的`),
		// Chinese mobile clients' lines: "发自网易邮箱大师", "来自我的iPhone", "来自QQ邮箱客户端".
		regexp.MustCompile(`^(发自|来自)(我的|网易邮箱|QQ邮箱|手机|iPhone|华为|小米)\S{0,20}$`),
	}
	// "On Mon, 1 Jan 2026 at 10:00, Someone <a@b>" with "wrote:" on the next
	// line; "在 2026年11月25日 10:05，Someone <a@b>" with "写道：" (NetEase).
	onLine    = regexp.MustCompile(`(?i)^(on\s|在\s?).{0,300}$`)
	wroteLine = regexp.MustCompile(`(?i)^.{0,200}(wrote:|写道[:：]|寫道[:：])\s*$`)
	// An Outlook header block: "From: ..." followed by "Sent:"/"Date:"/"To:".
	fromLine   = regexp.MustCompile(`(?i)^\*?(from|发件人|寄件者)\s*[:：]`)
	headerLine = regexp.MustCompile(`(?i)^\*?(sent|date|to|subject|发送时间|日期|收件人|主题|寄件日期|收件者|主旨)\s*[:：]`)
)

// TrimQuoted returns what the customer wrote in a reply: the text before the
// quoted history ("On … wrote:", "在 … 写道：", "-----Original Message-----",
// an Outlook header block) and before the signature ("-- "), without the
// lines quoted with ">". A reply with nothing above the history and written
// below a ">"-quoted one (bottom-posting) is the text under the quote. Line
// ends become "\n". The result is never longer than the text given.
func TrimQuoted(text string) string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	lines := strings.Split(text, "\n")
	var keep []string
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		t := strings.TrimSpace(l)
		if l == "-- " || t == "--" {
			break
		}
		if startsHistory(t, lines[i+1:]) {
			if len(strings.TrimSpace(strings.Join(keep, ""))) == 0 {
				return belowQuote(lines[i+1:])
			}
			break
		}
		if strings.HasPrefix(strings.TrimLeft(l, " \t"), ">") {
			continue
		}
		keep = append(keep, strings.TrimRight(l, " \t"))
	}
	return strings.TrimSpace(strings.Join(keep, "\n"))
}

// belowQuote returns what was written under a ">"-quoted history (the lines
// after the first quoted one that are not quoted), up to a signature or a
// further history; "" when the history is not quoted with ">" (an Outlook
// block: what follows it is our own mail).
func belowQuote(lines []string) string {
	var keep []string
	quoted := false
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if l == "-- " || t == "--" {
			break
		}
		if strings.HasPrefix(strings.TrimLeft(l, " \t"), ">") {
			quoted = true
			continue
		}
		if !quoted {
			if t == "" || wroteLine.MatchString(t) {
				continue // the rest of "On …" / "wrote:" over two lines
			}
			return ""
		}
		if startsHistory(t, lines[i+1:]) {
			break
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
	if onLine.MatchString(t) && len(rest) > 0 && wroteLine.MatchString(strings.TrimSpace(rest[0])) && !wroteLine.MatchString(t) {
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

// numberedLine is a line that starts with the number of a question in a
// list: "1. ", "2) ", "3、", "4：" (not "1.5 kg" or "1:30").
var numberedLine = regexp.MustCompile(`^([0-9]{1,2}|[０-９]{1,2})\s*[.)、:：．）]([^0-9０-９]|$)`)

// InlineAnswers returns the answers a customer wrote between the lines of a
// quoted numbered list (under "> 2. Has the product been dropped?") as
// numbered lines ("2. no"), and the numbered lines written below quoted
// text ("1. yes" under the quote); "" when there are none. TrimQuoted drops
// both, since they come after the history starts.
func InlineAnswers(text string) string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	var out []string
	quoted := false // a quoted line was seen: what follows is below the quote
	current := ""   // the number of the quoted question being answered
	answering := "" // the number of the answer the last line went to
	for _, l := range strings.Split(text, "\n") {
		t := strings.TrimSpace(l)
		if l == "-- " || t == "--" {
			break
		}
		if q, ok := strings.CutPrefix(t, ">"); ok {
			quoted, answering = true, ""
			q = strings.TrimSpace(strings.TrimLeft(q, "> "))
			if m := numberedLine.FindStringSubmatch(q); m != nil {
				current = m[1]
			} else if q == "" {
				current = ""
			}
			continue
		}
		switch {
		case t == "":
			current, answering = "", "" // an answer is the lines right under its question
		case current != "" && current == answering:
			out[len(out)-1] += " " + t // an answer over several lines
		case current != "":
			out, answering = append(out, current+". "+t), current
		case quoted && numberedLine.MatchString(t):
			out = append(out, t)
		}
	}
	return strings.Join(out, "\n")
}
