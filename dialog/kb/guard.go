package kb

import "strings"

// isRequest reports whether a message states a need or a fault ("我要退货",
// "my TV is broken") rather than asking a question: it has a request or fault
// cue and no question cue. raw is the message as received, norm its
// normalised form. Such messages belong to the dialog's intents (repair,
// return, complaint), so Answer leaves them alone even when an entry is
// close. A message with neither kind of cue ("保修期", "opening hours") is a
// question in keywords.
func isRequest(raw, norm string) bool {
	return hasAny(norm, zhRequest, enRequest) && !isQuestion(raw, norm)
}

func isQuestion(raw, norm string) bool {
	if strings.ContainsAny(raw, "?？") || hasAny(norm, zhQuestion, enQuestion) || hasAnotA(norm) || asksHowMany(norm) {
		return true
	}
	first, _, _ := strings.Cut(strings.TrimLeft(norm, " "), " ")
	if enQuestionStart[first] {
		return true
	}
	// An auxiliary before its subject anywhere: "..., can I still return it".
	prev := ""
	for w := range strings.FieldsSeq(norm) {
		if enAux[prev] && enSubject[w] {
			return true
		}
		prev = w
	}
	return false
}

// asksHowMany reports whether norm has 几 as a question (几年, 要几天), not as
// "some" (前几天, 这几天, 十几年).
func asksHowMany(norm string) bool {
	var prev rune
	for _, r := range norm {
		if r == '几' && !strings.ContainsRune("前这那好十", prev) {
			return true
		}
		prev = r
	}
	return false
}

// hasAnotA reports whether norm asks "A不A" or "A没A" (保不保修, 修没修好).
func hasAnotA(norm string) bool {
	var a, b rune // the two runes before the current one
	for _, r := range norm {
		if (b == '不' || b == '没') && r == a && isCJK(r) {
			return true
		}
		a, b = b, r
	}
	return false
}

// hasAny reports whether norm contains one of the Chinese cues anywhere or
// one of the English cues as whole words.
func hasAny(norm string, zh, en []string) bool {
	for _, c := range zh {
		if strings.Contains(norm, c) {
			return true
		}
	}
	for _, c := range en {
		if strings.Contains(norm, c) {
			return true
		}
	}
	return false
}

var (
	zhQuestion = []string{
		"吗", "么", "多久", "多少", "多长", "哪", "如何", "是否", "能否", "可否", "有没有",
		"是不是", "能不能", "可不可以", "会不会", "要不要", "想问", "想知道", "想了解", "咨询",
		"请问", "告诉我", "呢", "怎样", "为啥", "啥", "谁", "咋",
	}
	enQuestion = []string{
		" want to know ", " like to know ", " wondering ", " tell me ", " explain ",
		" what if ", " how long ", " how much ", " how many ", " how do ", " how can ",
	}
	zhRequest = []string{
		"我要", "我想", "想要", "帮我", "给我", "申请", "请安排", "坏了", "坏掉", "故障了", "不转",
		"不工作", "不能用", "用不了", "没反应", "不制冷", "不加热", "漏水", "异响", "黑屏",
		"不出水", "卡纸", "打不开", "开不了", "无法开机", "无法充电", "充不进", "充不上", "不亮",
		"没声音", "没有声音", "坏的", "投诉你们",
	}
	enRequest = []string{
		" i want ", " i wanna ", " i would like ", " id like ", " i need ", " help me ",
		" broken ", " broke ", " not working ", " doesnt work ", " does not work ",
		" isnt working ", " stopped ", " wont ", " cant turn ", " dead ", " leaking ",
		" leaks ", " faulty ", " defective ", " jammed ", " no sound ", " no picture ",
	}
	enQuestionStart = setOf(
		"how", "what", "whats", "when", "where", "which", "who", "why", "can", "could", "is",
		"are", "do", "does", "did", "will", "would", "should", "may", "am", "any", "tell",
		"explain",
	)
	enAux = setOf(
		"can", "could", "is", "are", "do", "does", "did", "will", "would", "should", "may",
		"am", "isnt", "arent", "dont", "doesnt", "cant",
	)
	enSubject = setOf(
		"i", "you", "we", "it", "they", "he", "she", "my", "your", "the", "this", "that",
		"there", "these", "those", "a", "an",
	)
)
