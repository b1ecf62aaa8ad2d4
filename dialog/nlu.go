package dialog

import (
	"iter"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/supportd/supportd/dialog/extract"
	"github.com/supportd/supportd/policy"
)

// norm is the form phrases are matched on: width-folded, lower-case, trimmed
// of white space and trailing punctuation.
func norm(s string) string {
	return strings.TrimRightFunc(folded(strings.TrimSpace(s)), trailing)
}

// lower is strings.ToLower, quicker on Chinese: the characters from U+2E00
// to U+A63F (CJK and the kana among them) have no case, and are not looked up.
func lower(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	return strings.Map(func(r rune) rune {
		if r >= 0x2E00 && r < 0xA640 {
			return r
		}
		return unicode.ToLower(r)
	}, s)
}

// trailing is the punctuation norm trims: a switch rather than
// strings.TrimRight's cutset, which is read again at every call.
func trailing(r rune) bool {
	switch r {
	case ' ', '.', '!', '?', '。', '！', '？', '~', '～', ',', '，':
		return true
	}
	return false
}

// contractionStems are the words before the "nt" of a contraction typed
// without its apostrophe ("wont", "doesnt", "cant").
var contractionStems = [...]string{"wo", "do", "does", "ca", "is", "did", "was", "are", "have", "has", "could", "would", "should"}

// restoreContractions gives each contraction of s typed without its
// apostrophe ("wont", "isnt") its apostrophe back, as whole words only:
// "want", "front" and "doesnt's" are left as they are. s is lower-case. Most
// texts with an "nt" have no such word; they come back without a copy.
func restoreContractions(s string) string {
	var b []byte // nil until the first contraction
	done := 0    // s[:done] is in b
	for i := 0; ; {
		j := strings.Index(s[i:], "nt")
		if j < 0 {
			break
		}
		n := i + j // the "nt"
		i = n + 2
		if i < len(s) && isWordByte(s[i]) || !stemBefore(s, n) {
			continue
		}
		b = append(append(b, s[done:n]...), "n't"...)
		done = i
	}
	if b == nil {
		return s
	}
	return string(append(b, s[done:]...))
}

// stemBefore reports whether a contraction's stem ends at s[n], a whole word.
func stemBefore(s string, n int) bool {
	for _, stem := range contractionStems {
		start := n - len(stem)
		if start >= 0 && s[start:n] == stem && (start == 0 || !isWordByte(s[start-1])) {
			return true
		}
	}
	return false
}

// isWordByte reports whether c is a byte of a word as a regexp's \b sees
// it: an ASCII letter, digit or underscore.
func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// detectLang returns "zh" when text has Han characters (unless it is English
// around them, see englishAround), "en" when it has Latin letters, "" when it
// has neither.
func detectLang(text string) string {
	if l := plainLang(text); l != "" || isControl(text) {
		return l
	}
	// Less than plain: any Han is Chinese, else any Latin letter English.
	switch {
	case strings.ContainsFunc(text, func(r rune) bool { return unicode.Is(unicode.Han, r) }):
		return "zh"
	case strings.ContainsFunc(text, func(r rune) bool { return r < 128 && unicode.IsLetter(r) }):
		return "en"
	}
	return ""
}

// plainLang returns the language text is plainly written in: "zh" for three
// Han characters or more, "en" for three Latin words or more and no Han, or
// English around a Chinese name ("my 扫地机器人 stopped charging"); ""
// otherwise (a model number, "ok", "好").
func plainLang(text string) string {
	if isControl(text) {
		return ""
	}
	han, runs, words := countScripts(text)
	switch {
	case englishAround(runs, words) && !chineseSentence(text, han, words):
		return "en"
	case han >= 3:
		return "zh"
	case han == 0 && words >= 3:
		return "en"
	}
	return ""
}

// englishAround reports English sentences with Chinese in them (a product's
// Chinese name): three Latin words or more, more than the runs of Han
// characters. Chinese with an English word or a model in it has fewer.
func englishAround(hanRuns, words int) bool { return words >= 3 && words > hanRuns }

// chineseSentence reports text that is mostly a Chinese sentence with an
// English tail ("我的TV55X电视黑屏了, bought last year"): it begins in Han,
// its Han has a pronoun, particle or negation in it, which a product's name
// does not, and outweighs the English words (an English word counting as
// one and a half characters). English with a Chinese tail ("my 电视 is
// broken, 我很着急") is English.
func chineseSentence(text string, han, words int) bool {
	i := strings.IndexFunc(text, unicode.IsLetter)
	if i < 0 || !unicode.Is(unicode.Han, []rune(text[i:])[0]) {
		return false
	}
	return 2*han > 3*words && strings.ContainsAny(text, "我你了吗呢吧的是不没很还就都也请")
}

// countScripts counts the Han characters of text, their runs, and its
// Latin words of two letters or more.
func countScripts(text string) (han, runs, words int) {
	for f := range strings.FieldsFuncSeq(text, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' }) {
		latin, inHan := true, false
		for _, r := range f {
			isHan := unicode.Is(unicode.Han, r)
			if isHan {
				han++
				if !inHan {
					runs++
				}
				latin = false
			} else if r >= 128 {
				latin = false
			}
			inHan = isHan
		}
		if latin && len(f) >= 2 {
			words++
		}
	}
	return han, runs, words
}

// isControl reports a quick reply's value ("intent:repair", "choice:yes"),
// which says nothing of the customer's language.
func isControl(text string) bool {
	for _, p := range []string{"intent:", "choice:", "model:", "option:", "cmd:"} {
		if strings.HasPrefix(text, p) {
			return true
		}
	}
	return false
}

// command is a global command, understood in any state.
type command string

const (
	cmdNone    command = ""
	cmdHuman   command = "human"
	cmdRestart command = "restart"
	cmdBack    command = "back"
	cmdCancel  command = "cancel"
	cmdHelp    command = "help"
	cmdGoOn    command = "continue"
	cmdZh      command = "lang_zh"
	cmdEn      command = "lang_en"
)

// commandPhrases are whole messages (after norm) that are commands.
var commandPhrases = map[string]command{
	"人工": cmdHuman, "转人工": cmdHuman, "人工客服": cmdHuman, "找人工": cmdHuman, "真人": cmdHuman, "客服": cmdHuman,
	"我要人工": cmdHuman, "转接人工": cmdHuman, "人工服务": cmdHuman, "我要找人工": cmdHuman, "我要找客服": cmdHuman,
	"agent": cmdHuman, "human": cmdHuman, "operator": cmdHuman, "talk to a human": cmdHuman, "talk to an agent": cmdHuman,
	"speak to a human": cmdHuman, "real person": cmdHuman, "a real person": cmdHuman, "human please": cmdHuman, "agent please": cmdHuman,
	"i want to talk to a human": cmdHuman, "i want a human": cmdHuman, "customer service": cmdHuman,

	"重来": cmdRestart, "重新开始": cmdRestart, "从头开始": cmdRestart, "restart": cmdRestart, "start over": cmdRestart, "start again": cmdRestart,

	"返回": cmdBack, "上一步": cmdBack, "上一个问题": cmdBack, "back": cmdBack, "go back": cmdBack, "previous": cmdBack, "previous question": cmdBack,

	"取消": cmdCancel, "算了": cmdCancel, "不用了": cmdCancel, "不办了": cmdCancel, "cancel": cmdCancel, "never mind": cmdCancel,
	"nevermind": cmdCancel, "forget it": cmdCancel, "stop": cmdCancel, "quit": cmdCancel,

	"继续": cmdGoOn, "continue": cmdGoOn, "choice:continue": cmdGoOn, "go on": cmdGoOn, "keep going": cmdGoOn,

	"帮助": cmdHelp, "help": cmdHelp, "菜单": cmdHelp, "menu": cmdHelp, "?": cmdHelp, "？": cmdHelp, "你能做什么": cmdHelp,
	"what can you do": cmdHelp,

	"中文": cmdZh, "说中文": cmdZh, "请说中文": cmdZh, "chinese": cmdZh, "chinese please": cmdZh, "in chinese": cmdZh, "用中文": cmdZh,
	"请用中文": cmdZh, "请用中文回复": cmdZh, "用中文回复": cmdZh, "可以说中文吗": cmdZh, "能说中文吗": cmdZh, "会说中文吗": cmdZh, "说中文吧": cmdZh,
	"中文可以吗": cmdZh, "can you speak chinese": cmdZh, "do you speak chinese": cmdZh,
	"can you speak english": cmdEn, "do you speak english": cmdEn, "english, please": cmdEn, "can we speak english": cmdEn, "可以说英文吗": cmdEn, "能说英文吗": cmdEn,
	"english": cmdEn, "english please": cmdEn, "in english": cmdEn, "speak english": cmdEn, "英文": cmdEn, "说英文": cmdEn, "请说英文": cmdEn, "用英文": cmdEn,
}

// commandOf returns the command a whole message is, or cmdNone. Quick-reply
// values "cmd:human" and so on are commands too, and so is a command in a
// few words more ("那算了", "算了吧", "never mind then", "cancel please"). A
// message of question marks asks for help.
func commandOf(text string) command {
	if s := strings.TrimSpace(text); s != "" && strings.Trim(s, "?？") == "" {
		return cmdHelp
	}
	t := norm(text)
	if c, ok := strings.CutPrefix(t, "cmd:"); ok {
		return command(c)
	}
	if c, ok := commandPhrases[t]; ok {
		return c
	}
	if len(t) > 2*longestCommand {
		return cmdNone // a sentence: no need to trim it
	}
	if strings.ContainsAny(t, ",，") {
		t = commas.Replace(t)
	}
	if strings.Contains(t, "  ") || strings.ContainsAny(t, "\t\n\r") {
		t = strings.Join(strings.Fields(t), " ")
	}
	if len(t) > longestCommand {
		return cmdNone
	}
	for _, p := range commandLeads {
		t = strings.TrimPrefix(t, p)
	}
	if c, ok := commandPhrases[t]; ok {
		return c
	}
	for _, s := range commandTails {
		t = strings.TrimSpace(strings.TrimSuffix(t, s))
	}
	return commandPhrases[t]
}

// longestCommand is the length of the longest command with every word that
// may be around it (commandLeads, commandTails).
var longestCommand = func() int {
	n := 0
	for p := range commandPhrases {
		n = max(n, len(p))
	}
	for _, w := range slices.Concat(commandLeads, commandTails) {
		n += len(w)
	}
	return n
}()

// commas are read as spaces around a command ("oh, forget it").
var commas = strings.NewReplacer(",", " ", "，", " ")

// commandLeads and commandTails are the words around a command that do not
// change it.
var (
	commandLeads = []string{"那就", "那", "还是", "哦", "oh ", "ok ", "okay ", "ah ", "just "}
	commandTails = []string{"吧", "啊", "了吧", "谢谢", " then", " please", " thanks", " thank you", " it", " that"}
)

// wantsHuman reports a request for a person inside a longer message
// ("能不能帮我转人工", "can I talk to a real person").
func wantsHuman(text string) bool {
	t := norm(text)
	switch strings.TrimSuffix(strings.TrimPrefix(t, "please "), " please") {
	case "人工", "真人", "客服", "human", "agent", "person", "operator", "representative", "a human", "a person":
		return true
	}
	// Not "人工" alone inside a sentence: "人工费" is the labour fee.
	return humanPhrases.any(t)
}

// humanPhrases ask for a person inside a longer message.
var humanPhrases = newPhraseSet([]string{"转人工", "人工客服", "人工服务", "找人工", "要人工", "真人客服", "转客服", "找客服", "联系客服", "客服人员",
	"talk to a human", "talk to an agent", "talk to a person", "talk to someone", "talk with a person", "talk with someone",
	"speak to a human", "speak to an agent", "speak to a person", "speak to someone", "speak with a person", "speak with someone",
	"real person", "real human", "human agent", "live agent", "need a person", "need a human", "want a person", "want a human",
	"customer service representative", "a representative", "an operator"})

// isUnsure reports whether text says the customer does not know.
func isUnsure(text string) bool {
	switch strings.TrimPrefix(norm(text), "i ") {
	case "not sure", "'m not sure", "m not sure", "am not sure", "im not sure", "unsure", "don't know", "dont know", "do not know",
		"no idea", "have no idea", "not that i know", "not that i know of", "dunno", "idk", "can't remember", "cant remember", "don't remember",
		"no clue", "not certain",
		"不清楚", "不知道", "不确定", "不记得", "忘了", "记不清", "记不清了", "说不好", "不太清楚", "不太确定", "我也不知道", "我不知道", "我不清楚",
		"我不确定", "不记得了", "不知道啊", "不清楚啊":
		return true
	}
	// "不清楚，家里老人在用", "I'm not sure, maybe the lamp?"
	n := norm(text)
	return utf8.RuneCountInString(text) <= 40 && (containsAny(n, notKnownCues...) || containsAny(n, "不确定", "说不准", "not sure", "unsure"))
}

// notKnownCues say the customer does not know something ("I don't know
// the order number", "不知道哪天买的"); notRememberedCues that they do
// not remember it.
var (
	notKnownCues      = []string{"不清楚", "不知道", "don't know", "dont know", "do not know", "don't really know", "do not really know", "no idea", "idk"}
	notRememberedCues = []string{"不记得", "忘了", "记不清", "记不太清", "不太记得", "记不得", "想不起", "don't remember", "do not remember", "dont remember",
		"can't remember", "cant remember", "cannot remember", "can not remember", "forgot", "forget"}
)

// yesNo reads a confirmation: 1 yes, -1 no, 0 neither.
func yesNo(text string) int {
	t := norm(text)
	switch t {
	case "yes", "y", "yeah", "yep", "yup", "sure", "ok", "okay", "correct", "right", "that's right", "exactly", "confirm",
		"是", "是的", "对", "对的", "没错", "确认", "好", "好的", "可以", "行", "嗯", "恩", "同意", "接受", "有", "有的", "是啊", "对啊", "正确",
		"👍", "👌", "✅", "✔", "✔️", "accept", "i accept", "accepted", "accept it", "accept the quote", "i agree", "agree", "agreed",
		"go ahead", "proceed", "接受报价", "我接受", "choice:yes", "没问题", "没毛病", "都对", "都对的", "全对", "确定", "无误", "确认无误",
		"looks good", "all good", "all correct", "that's correct", "perfect", "yes please":
		return 1
	case "no", "n", "nope", "nah", "not really", "wrong", "incorrect", "no thanks", "no thank you", "not", "don't",
		"不", "不是", "不对", "否", "没有", "没", "不用", "不要", "不同意", "不接受", "错了", "不行", "无", "没用", "没有用",
		"👎", "❌", "decline", "i decline", "declined", "decline it", "decline the quote", "reject", "i reject", "refuse",
		"拒绝", "不接受报价", "choice:no", "never", "nah never", "never ever", "none", "none of that", "not at all",
		"都没有", "都没", "从来没有", "从没有", "一次都没有":
		return -1
	}
	for _, p := range []string{"对的", "是的", "好的", "没错", "可以", "对", "是", "嗯"} {
		// "对的没问题", "是的没错": one yes after another
		if rest := strings.TrimLeft(strings.TrimPrefix(t, p), "，,。.、 啊呀"); strings.HasPrefix(t, p) && rest != "" && rest != t && yesNo(rest) == 1 {
			return 1
		}
	}
	if !looksLikeQuestion(text) && (hasWordPrefix(t, "yes", "yeah", "sure") || hasPrefixAny(t, "ok ", "ok,", "okay ", "okay,", "是的", "对，", "对,", "好的", "可以")) {
		return 1 // "yes, it's right", not "yesterday" nor "ok. how long is the warranty?"
	}
	if hasPrefixAny(t, "no ", "no,", "nope", "nah ", "nah,", "不是", "没有", "不用", "不要", "不同意", "no.", "都没有", "从来没",
		"应该没", "应该不是", "好像没", "大概没", "应该也没", "probably not", "i don't think", "don't think so", "i doubt") && !faultFirst(t) {
		return -1 // "应该没有吧", "probably not": as good as a no
	}
	return 0
}

// faultFirst reports whether normalised n begins with a fault ("no sound",
// "no picture", "没有声音"): a fault told, not a no.
func faultFirst(n string) bool {
	first := false
	faultPhrases.each(n, func(_, at int) bool { first = at == 0; return false })
	return first
}

// helped reads the answer to "did the steps solve it?": 1 yes, -1 no, 0
// neither. "Still broken" is a no, "works now" a yes. working are the
// still states that say the product works (stillFaulty).
func helped(text string, working ...string) int {
	t := norm(text)
	if stillFaulty(t, working...) || containsAny(t, "不行", "没用", "没解决", "没有解决", "没好", "试过了",
		"didn't help", "did not help", "doesn't help", "does not help", "didn't work", "did not work", "doesn't work", "does not work",
		"not fixed", "no luck", "no change", "same problem", "tried", "not working") {
		return -1
	}
	if stillWorks(t, working...) || containsAny(t, "好了", "解决了", "可以了", "正常了", "能用了", "修好了", "fixed", "works now", "working now", "solved", "that worked", "it works") {
		return 1
	}
	if yn := yesNo(text); yn != 0 {
		return yn
	}
	if repairPhrases.any(t) { // the fault told again: "it doesn't spin"
		return -1
	}
	return cue(t, worksFine) // "it's fine now", "seems fine now, thanks"; "it's not fine"
}

// stillWords say that a state goes on ("still", "依然"); whether it is the
// fault that goes on is said by what follows: "still broken", "还是不行" are
// not fixed, "it still works now" and "is it still under warranty?" are not.
var stillWords = []string{"still", "依然", "仍然", "依旧", "还是"}

// stillStates are the states that, right after a still word, say the fault
// goes on though they are no fault words themselves: "still not", "still
// the same", "still dark", "依然一样"; stillFine begin with one and say
// nothing is wrong: "still not bad", "还是不错".
var (
	stillStates   = []string{"not", "no", "nothing", "same", "dark", "black", "blank", "off", "cold"}
	stillStatesZh = []string{"不", "没", "一样", "老样子", "坏", "黑", "小", "慢", "弱"}
	stillFine     = []string{"not bad", "no problem", "no problems", "不错", "不坏", "没问题", "没毛病"}
)

// stillFaulty reports whether t (normalised) says a fault goes on: a still
// word followed in its clause by a still state or a fault word ("still
// broken", "still the same", "it's still making noise", "还是有杂音").
// working are the still states that say the product works ("cold" for a
// fridge).
func stillFaulty(t string, working ...string) bool {
	for _, rest := range afterStill(t) {
		state := strings.TrimPrefix(rest, "the ")
		if hasPrefixAny(state, stillFine...) || hasWordPrefix(state, working...) {
			continue // "still not bad", "还是不错", a fridge "still cold"
		}
		if hasWordPrefix(state, stillStates...) || hasPrefixAny(rest, stillStatesZh...) || faultPhrases.any(rest) {
			return true
		}
	}
	return false
}

// stillWorks reports whether t (normalised) says, with a still word, that
// nothing is wrong ("still not bad", "还是不错") or one of the states
// working that say the product works ("it's still cold" of a fridge).
func stillWorks(t string, working ...string) bool {
	for _, rest := range afterStill(t) {
		if state := strings.TrimPrefix(rest, "the "); hasPrefixAny(state, stillFine...) || hasWordPrefix(state, working...) {
			return true
		}
	}
	return false
}

// afterStill returns what follows each still word of t in its clause.
func afterStill(t string) []string {
	var out []string
	for _, w := range stillWords {
		for i := range phrases(t, []string{w}) {
			rest := strings.TrimLeft(t[i+len(w):], " ")
			if m := clauseBreak.FindStringIndex(rest); m != nil {
				rest = rest[:m[0]]
			}
			if m := sentenceBreak.FindStringIndex(rest); m != nil {
				rest = rest[:m[0]]
			}
			out = append(out, rest)
		}
	}
	return out
}

// worksFine say that the product is fine again: "it's fine now", "works
// fine", "all good now".
var worksFine = []string{"fine now", "ok now", "okay now", "good now", "all good", "seems fine", "it's fine", "its fine", "it is fine",
	"works fine", "working fine", "works ok", "works okay", "works well", "working well"}

// agrees reads consent said in other words than yes ("fine", "fine by me",
// "fine, repair it", "that's not fine"): 1 yes, -1 no, 0 neither; a
// question back is neither.
func agrees(text string) int {
	if looksLikeQuestion(text) {
		return 0
	}
	return cue(norm(text), []string{"fine", "sounds good", "alright", "all right"})
}

// correctionCue reports a message that corrects something said before ("不对，
// 是去年5月买的", "actually it was May").
func correctionCue(text string) bool {
	t := norm(text)
	return hasPrefixAny(t, "不对", "不是", "错了", "说错了", "更正", "其实", "应该是", "actually", "sorry,", "sorry ", "correction",
		"no, it", "no it", "i meant", "wait,", "oops") ||
		hasSuffixAny(t, " actually", ",actually") || // "it started on 20 November actually"
		// "不好意思，我记错了，是…", "oh wait, actually my son dropped it",
		// "PS: sorry, I got the date wrong".
		containsAny(t, "记错", "说错", "写错", "搞错", "弄错", "更正一下", "got the date wrong", "got it wrong", "wrong date",
			"made a mistake", "my mistake", "i meant", "wait, actually", "oh wait", "p.s.", "ps:",
			"其实是", "实际上是", "actually it", "was actually") // "不好意思，其实是去年3月买的"
}

// intent is a request that starts a journey.
type intent string

const (
	intentNone      intent = ""
	intentRepair    intent = "repair"
	intentReturn    intent = "return"
	intentExchange  intent = "exchange"
	intentInstall   intent = "install"
	intentComplaint intent = "complaint"
)

// intentCue is an intent and the phrases that signal it.
type intentCue struct {
	intent intent
	cues   []string
}

// intentCues are phrases whose presence signals an intent, checked in order:
// a complaint wins over a repair ("投诉：修了三次还是坏的").
var intentCues = []intentCue{
	{intentComplaint, []string{"投诉", "举报", "太差", "很差", "态度差", "态度恶劣", "不满意", "气死", "差评", "骗子", "维权", "12315",
		"没人联系", "没有人联系", "一直没人", "没人来", "nobody contacted", "no one contacted", "nobody has contacted", "no one has contacted",
		"nobody came", "no one came",
		"破服务", "垃圾服务", "没人管", "没人理", "没人回", "太离谱", "坑人", "忽悠", "找你们经理", "找你们领导", "叫你们经理", "叫你们领导", "你们主管",
		"complain", "complaint", "terrible service", "unacceptable", "disgusted", "worst service", "furious", "rip-off", "rip off",
		"ridiculous", "useless", "outrageous", "disgrace", "incompetent", "rude", "scam", "fed up", "waste of time",
		"awful service", "horrible service", "nobody calls", "nobody called", "no one calls", "no one called", "never called back",
		"manager", "supervisor", "very unhappy", "really unhappy", "so unhappy", "extremely unhappy", "not happy at all", "非常不满", "很不满"}},
	{intentReturn, []string{"退货", "退款", "退掉", "退了", "想退", "要退", "退钱", "能退", "可以退", "能不能退", "可不可以退", "退吗",
		"return it", "return my", "return the", "return this", "can i return",
		"want to return", "like to return", "refund", "send it back", "money back", "retrun", "retrun it", "retun",
		"return a", "return an", "return our", "return them", "return these", "returning", "need to return",
		"want a return", "like a return", "need a return", "get a return", "request a return", "do a return", "for a return",
		"send back", "send them back", "send this back", "send these back", "sending it back", "sending back", "寄回去退", "退回去"}},
	{intentExchange, []string{"换货", "换一台", "换一个", "换个新", "换新", "调换", "更换新机", "换机", "exchnage", "exhange",
		"想换成", "要换成", "能换成", "能不能换成", "可以换成", "可不可以换成", "换成别的", "换成其他", "exchange", "swap it", "replace it with", "replacement unit", "a new one instead",
		"want to swap", "like to swap", "need to swap", "can i swap", "could i swap", "swap my", "pay the difference",
		"want a new one", "get a new one", "need a new one", "send me a new one", "send a new one", "like a new one",
		"want a replacement", "like a replacement", "need a replacement", "get a replacement", "a replacement instead", "replace it", "replace the unit"}},
	{intentInstall, append([]string{"安装", "按装", "装机", "上门装", "装一下", "来装", "过来装", "调试", "install", "installation", "set up", "setup",
		"instal", "instalation", "installtion", "intall", "intallation",
		"need it installed", "want it installed", "get it installed", "have it installed", "to be installed", "needs installing", "need installing",
		"wall mount", "wall mounted", "wall-mounted", "wall mounting", "mounted on the wall", "mount it on the wall", "hang it on the wall",
		"挂墙", "挂到墙上", "挂在墙上", "壁挂",
		"装吗", "装不装", "给装", "帮装", "负责装", "管装", "要装", "需要装", "得装"}, installNounCues...)},
	{intentRepair, append([]string{"坏了", "坏掉", "故障", "维修", "修理", "修一下", "报修", "不转", "不工作", "不能用", "用不了", "开不了机", "不开机",
		"打不开", "不制冷", "不加热", "不出水", "漏水", "异响", "噪音大", "没声音", "没有声音", "没画面", "没有画面", "没有反应", "黑屏", "花屏", "死机", "充不进电", "无法充电", "充不了电",
		"卡纸", "不出纸", "报错", "出问题", "有问题", "坏点", "亮点", "暗点", "漏光", "失灵", "不亮", "不启动", "不能开机", "无法开机", "断电", "冒烟", "不吸", "不通电",
		"broken", "broke", "repair", "fix", "not working", "doesn't work", "does not work", "won't turn on", "will not turn on",
		"stopped working", "no sound", "no picture", "black screen", "leaking", "leaks", "noise", "noisy", "fault", "faulty",
		"defect", "error", "won't charge", "not charging", "paper jam", "doesn't spin", "won't spin", "not spinning", "dead",
		"malfunction", "problem with", "issue with", "stuck", "silent", "stopped", "not heating", "won't heat", "doesn't heat",
		"cracked", "buzzing", "crackles", "crackling", "flicker", "no power", "won't start", "not cooling", "overheat",
		"brokn", "broke down", "won't turn on", "doesn't turn on", "not turning on", "doesn't start", "won't print", "doesn't print",
		"not printing", "won't work", "doesn't charge", "can't charge", "to charge",
		"stripes", "vertical lines", "horizontal lines", "lines on the screen", "lines across the screen", "pixelated", "distorted",
		"don't work", "do not work", "don't charge", "don't turn on", "don't connect", // headphones, earbuds: said in the plural
		"不热", "不充电", "不响", "闪屏", "闪烁", "异味", "有味道", "发烫", "过热", "不显示", "不吸尘",
		"噪音", "杂音", "条纹", "竖线", "横线", "屏幕闪", "煮不熟", "没反应", "无反应", "不反应", "不灵",
		"出水慢", "出水很慢", "出水变慢", "出水太慢", "出水小", "出水很小", "水流小", "水流很小", "水流变小",
		"going black", "goes black", "went black", "gone black", "turns black", "turning black", "keeps turning off", "keeps switching off",
		"keeps shutting off", "keeps shutting down", "keeps going off", "keeps cutting out", "turns itself off", "switches itself off", "shuts itself off",
		"老是关机", "一直关机", "总是关机", "经常关机", "突然关机", "老是自动关机", "总是自动关机", "经常自动关机", "一直自动关机", "自动关机了",
		"老是断电", "一直重启", "老是重启", "总是重启", "自动重启了"}, repairNounCues...)}, // not 自动关机 alone: "能设置自动关机吗"
}

// packaging reports whether intent cue k, found at at in n, is the 装 of
// 包装 (packaging): "电视有包装吗" asks for no installation.
func packaging(n string, k, at int) bool {
	return strings.HasPrefix(intentPhrases.phrases[k], "装") && strings.HasSuffix(n[:at], "包")
}

// renovation reports whether intent cue k, found at at in n, is the 装 of
// 装修 (renovation): "家里要装修" asks for no installation.
func renovation(n string, k, at int) bool {
	ph := intentPhrases.phrases[k]
	return strings.HasSuffix(ph, "装") && strings.HasPrefix(n[at+len(ph):], "修")
}

// repairVisitTold reports whether intent cue k, found at at in n, is 修
// before a product told of a repair visit rather than asked for ("师傅上次
// 来修冰箱把地板刮花了"): someone came, or went, to repair it.
func repairVisitTold(n string, k, at int) bool {
	if !strings.HasPrefix(intentPhrases.phrases[k], "修") || intentOrder[k] != repairOrder {
		return false
	}
	before := n[:at]
	if i := strings.LastIndexAny(before, ",.;!?，。；！？"); i >= 0 {
		before = before[i:]
	}
	after := n[at:]
	if i := strings.IndexAny(after, ",.;!?，。；！？"); i >= 0 {
		after = after[:i]
	}
	if containsAny(before+after, "派", "能不能", "能否", "可以", "可不可以", "请", "想", "要", "帮", "安排", "吗", "麻烦") {
		return false // "能不能派师傅来修冰箱": asked for
	}
	return hasSuffixAny(before, "来", "去", "过来", "上门") || containsAny(before, "上次", "那次", "之前", "以前", "师傅", "工程师")
}

// repairOrder is where the repair intent comes in intentCues.
var repairOrder = slices.IndexFunc(intentCues, func(ic intentCue) bool { return ic.intent == intentRepair })

// installNounCues are 装 before a product ("你们装电视吗", "帮我装个洗衣机"):
// 装 alone is also to pack or to hold. repairNounCues are 修 before one
// ("我想修打印机", "帮我修下电视"): 修 alone is also 修改, 装修.
var (
	installNounCues = nounCues("装", "装个", "装台")
	repairNounCues  = nounCues("修", "修个", "修下", "修台", "修修", "修我的", "修我家", "修一下我的")
)

// nounCues puts each verb before each Chinese product noun.
func nounCues(verbs ...string) []string {
	var out []string
	for _, group := range productNouns {
		for _, w := range group {
			if !isASCII(w) {
				for _, v := range verbs {
					out = append(out, v+w)
				}
			}
		}
	}
	return out
}

// repairCues are the words of a fault (the repair intent's cues).
var repairCues = func() []string {
	for _, ic := range intentCues {
		if ic.intent == intentRepair {
			return ic.cues
		}
	}
	return nil
}()

// repairPhrases and faultPhrases find the repair cues and the fault words
// in one pass.
var (
	repairPhrases = newPhraseSet(repairCues)
	faultPhrases  = newPhraseSet(faultWords)
)

// faultWords say something is wrong with a product: the repair cues and
// more forms of them, too loose to start a repair but enough to tell a
// return's message names its fault ("the screen flickers", "it smells
// burnt", "it won't connect").
var faultWords = append(slices.Clone(repairCues), "flickers", "flickering", "smells", "smell", "burnt", "burning", "sparks",
	"rattles", "rattling", "buzz", "buzzes", "crack", "cracks", "blurry", "blurred", "fuzzy", "out of focus", "模糊", "不清晰", "beeps", "beeping", "shuts off", "turns off", "keeps", "disconnects", "overheats",
	"won't", "doesn't", "does not", "can't", "cannot", "isn't", "is not", "not turning", "no signal", "not work",
	"不行", "不了", "不能", "不会", "有点", "很响", "发热", "杂音", "不灵", "掉线", "连不上", "很慢", "变慢", "太慢", "slow",
	"裂了", "裂开", "开裂", "裂缝", "碎了", "没声", "没有声", "一直闪", "老闪", "老是闪", "总是闪", "闪个不停", "jams", "jammed", "jamming",
	"吸力不够", "吸力小", "吸力变小", "吸力弱", "吸力差", "没吸力", "电流声", "嗡嗡", "滋滋", "沙沙声", "吱吱", "咔咔", "squeak", "squeaks", "squeaky", "squeaking", "humming", "hums", "hissing", "hisses", "clicking",
	"掉漆", "脱落", "涂层掉", "掉了", "peeling", "peeled", "coming off", "came off", "fell off", "broke off",
	"不脱水", "不甩干", "不排水", "不进水", "不冷", "不制热", "漏电", "跳闸", "卡住", "leak", "leakin", "leakage", "jamming", "isn't cooling",
	"吸力很弱", "吸力太弱", "吸力变弱", "吸力很小", "吸力太小", "吸力不足", "很弱", "太弱", "变弱", "weak", "weaker", "weak suction", "no suction", "too weak", "too loud", "too noisy",
	"super loud", "very loud", "so loud", "really loud", "loud noise", "声音很大", "声音大", "声音太大", "声音特别大", "响声很大", "关不上", "合不上", "盖不上", "扣不上", "关不紧", "盖不紧")

// intentSpan is where in a message a journey is first asked for.
type intentSpan struct {
	intent intent
	at     int
}

// intentSpans returns the journeys lower (a lower-cased message) asks
// for, in the order it names them; a return and an exchange are one journey.
func intentSpans(lower string) []intentSpan {
	first := make([]int, len(intentCues)) // where each intent's first cue is, +1
	intentPhrases.each(lower, func(k, at int) bool {
		if o := intentOrder[k]; first[o] == 0 {
			first[o] = at + 1
		}
		return true
	})
	var out []intentSpan
	returns := false
	for o, at := range first {
		in := intentCues[o].intent
		if at == 0 || in == intentExchange && returns { // a return comes before an exchange in intentCues
			continue
		}
		returns = returns || in == intentReturn
		out = append(out, intentSpan{in, at - 1})
	}
	slices.SortFunc(out, func(a, b intentSpan) int { return a.at - b.at })
	return out
}

// intentOf returns the journey a message asks for, or intentNone.
func intentOf(text string) intent { return intentFrom(text, 0) }

// intentFrom returns the journey a message asks for among intentCues[from:]
// (from 1: whatever it asks for besides a complaint), or intentNone.
func intentFrom(text string, from int) intent {
	best := len(intentCues)
	n := norm(text)
	if from == 0 && (visitMissed(n) || staffDamage(n)) {
		return intentComplaint // "the installer never came", "约好的安装师傅没来", "安装师傅把我家墙弄坏了"
	}
	if installedAsked(n) {
		return intentInstall // "I need my WP-8 installed": a model between the words of the cue
	}
	if containsAny(n, repairedWords...) && repairedAsked.MatchString(n) && !containsAny(n, infoCues...) { // not "how long does it take to get my printer fixed?"
		return intentRepair // "I want to get my printer fixed": the product between the words
	}
	intentPhrases.each(n, func(k, at int) bool {
		if installCueDone(n, k, at) || packaging(n, k, at) || renovation(n, k, at) || repairVisitTold(n, k, at) {
			return true // "…不转了，2024年6月安装的", "the installation guy left and now my WP-8 leaks": an installation told, not asked for
		}
		if intentOrder[k] < from {
			return true
		}
		best = min(best, intentOrder[k])
		return best > from // a complaint wins: nothing comes before it
	})
	if best == returnOrder+1 && containsAny(n, "return or exchange", "exchange or return", "refund or exchange", "exchange or refund", "return or replace") {
		return intentReturn // "return or exchange, whichever is faster": the options to choose from, no exchange chosen
	}
	if best > returnOrder+1 && (bareExchange(n) || swapAsked(n)) {
		return intentExchange // "HP-30 左边没声 想换", "能换吗": 换 with nothing after it is an exchange; "把TV-65X换成TV-55X"
	}
	if best > returnOrder && hasWordPrefix(n, "return", "pls return", "please return") && !strings.Contains(n, "policy") {
		return intentReturn // "return HP-30 bought a week ago, left earbud silent": the model right after the verb
	}
	if best == len(intentCues) {
		return intentNone // "安装好了，谢谢", "WM-100是上周安装的": an installation told, nothing asked
	}
	return intentCues[best].intent
}

// angerCues are the complaint cues that only say the customer is upset
// ("this is ridiculous", "太离谱了", "气死了"), with no complaint asked for
// and nobody's conduct named: said with a product's fault, the customer
// wants the product fixed (ventedFault).
var angerCues = []string{"太差", "很差", "不满意", "气死", "太离谱", "非常不满", "很不满",
	"unacceptable", "disgusted", "furious", "ridiculous", "useless", "outrageous", "disgrace", "fed up",
	"very unhappy", "really unhappy", "so unhappy", "extremely unhappy", "not happy at all"}

// ventWords say the customer is upset: the anger cues and words too
// loose to read as a complaint ("what a joke", "什么破电视").
var ventWords = append(slices.Clone(angerCues), "what a joke", "this is a joke", "joke of a", "this is terrible", "absolutely terrible",
	"so annoying", "so frustrating", "frustrated", "angry", "disappointed", "terrible product", "气人", "失望", "什么破", "破电视", "破洗衣机", "破冰箱", "破空调", "破玩意", "垃圾产品", "垃圾电视", "什么垃圾", "真垃圾", "太垃圾", "搞什么", "什么玩意")

// onlyAnger reports whether the complaint cues in normalised n are all
// anger cues, and there is one.
func onlyAnger(n string) bool {
	anger, other := false, false
	intentPhrases.each(n, func(k, _ int) bool {
		if intentOrder[k] == 0 {
			if contains(angerCues, intentPhrases.phrases[k]) {
				anger = true
			} else {
				other = true
			}
		}
		return !other
	})
	return anger && !other
}

// conductWords name who or what of the service a complaint is about (the
// technician, the delivery, the wait, the bill): anger with one of them is
// a complaint about the service, not a fault report.
var conductWords = []string{"service", "staff", "technician", "technicians", "engineer", "engineers", "installer", "installers", "fitter", "agent", "delivery", "deliver", "courier",
	"nobody", "no one", "waited", "waiting", "wait", "repair took", "took so long", "took too long", "took ages", "took weeks", "took days",
	"took a week", "took a month", "charged me", "charged us", "overcharged", "fee", "price", "expensive", "attitude", "the guy", "your people", "call back", "called back",
	"repair centre", "repair center", "repair shop", "for repair", "sent it in", "sent in", "been at your", "still isn't fixed", "still not fixed",
	"not fixed yet", "hasn't been fixed", "isn't done", "not done yet", "still isn't done",
	"服务", "客服", "师傅", "工程师", "安装工", "维修工", "快递", "送货", "配送", "物流", "态度", "没人", "等了", "等到", "这么久", "太久",
	"收费", "收了我", "价格", "太贵", "多收", "扣款", "你们的人"}

// staffWords name the service's people who come to the customer;
// staffHarm says they damaged something; selfWords say someone else did
// ("my son dropped it", "我不小心摔了") or that they only told of it.
var (
	staffWords = []string{"technician", "technicians", "installer", "installers", "engineer", "engineers", "fitter", "fitters", "repairman",
		"delivery", "courier", "driver", "师傅", "安装工", "维修工", "工程师", "快递", "送货", "配送"}
	staffHarm = []string{"damaged", "broke my", "broke the", "broke our", "scratched", "dented", "smashed", "ruined", "dropped my", "dropped the", "dropped our", "dropped it", "cracked the", "cracked my",
		"弄坏", "搞坏", "刮花", "划花", "划伤", "刮伤", "撞坏", "碰坏", "磕坏", "弄脏", "弄破", "摔了", "摔坏", "打碎"}
	selfWords = []string{" i ", " we ", "my son", "my daughter", "my kid", "my wife", "my husband", "the kids", "the dog", "the cat",
		"我不小心", "我自己", "我摔", "我弄", "孩子", "小孩", "儿子", "女儿", "老公", "老婆", "猫", "狗",
		"said", "says", "told", "thinks", "说", "认为", "判断", "检测", "看了"} // "师傅说是摔坏的": a diagnosis, not a deed
)

// staffDamage reports whether normalised n tells of damage the service's
// people did ("the installer damaged my wall", "安装师傅把我家墙弄坏了", "the
// delivery guy dropped my TV-55X"): a complaint about them, whatever fault
// it left. The one who came is named before the damage, in one clause,
// and nobody else did it.
func staffDamage(n string) bool {
	if !containsAny(n, staffHarm...) || !containsAny(n, staffWords...) {
		return false // most messages
	}
	n = strings.NewReplacer("dropped it off", "", "dropped off", "").Replace(n) // "the courier dropped it off"
	for _, cl := range faultBreak.Split(n, -1) {
		cl = " " + cl + " "
		s := firstOf(cl, staffWords)
		d := firstOf(cl, staffHarm)
		if s >= 0 && d > s && !containsAny(cl[s:d], selfWords...) {
			return true
		}
	}
	return false
}

// firstOf returns where in s the first of words is, or -1.
func firstOf(s string, words []string) int {
	at := -1
	for i := range phrases(s, words) {
		if at < 0 || i < at {
			at = i
		}
	}
	return at
}

// missedVisitWords say someone did not come; visitorWords say who. Both
// are needed: "it didn't come with a remote" misses no visit.
var (
	missedVisitWords = []string{"never came", "never showed", "never turned up", "never arrived", "didn't come", "did not come",
		"didn't show", "did not show", "didn't turn up", "did not turn up", "no-show", "no show", "stood me up",
		"没来", "没有来", "没上门", "没有上门", "没到", "放鸽子", "爽约"}
	visitorWords = []string{"guy", "technician", "engineer", "installer", "fitter", "someone", "anyone", "nobody", "no one", "they", " he ", " she ",
		"师傅", "工程师", "安装工", "维修工", "人"}
)

// visitMissed reports whether normalised n tells of a visit that did not
// happen ("I wanted my fridge installed, but the guy never came", "约好的
// 安装师傅没来"): a complaint, not a new booking. A visit not come yet
// ("师傅说好今天来，现在还没来") may still come.
func visitMissed(n string) bool {
	return containsAny(n, missedVisitWords...) && containsAny(" "+n, visitorWords...) &&
		!containsAny(n, "没来得及", "还没", " yet")
}

// repairedWords end every match of repairedAsked: a message without one
// is not run through the regexp (intentOf reads every message).
var repairedWords = []string{"fixed", "repaired", "mended", "seen to", "looked at"}

// repairedAsked asks for a product to be fixed with the product between
// the words ("I want to get my printer fixed", "I need my WM-100
// repaired", "can I have it looked at?"): "fixed" alone also tells of a
// repair done ("it's fixed now").
var repairedAsked = regexp.MustCompile(`\b(?:get|have|need|want|like)\s+(?:it|them|this|that|(?:my|the|our|this|a)\s+(?:[a-z0-9-]+\s+){0,2}?[a-z0-9-]+)\s+(?:fixed|repaired|mended|seen to|looked at)\b`)

// installedAsked reports whether normalised n asks for a product to be
// installed with a model between the words ("I need my WP-8 installed",
// "I want my fridge installed next week please", "need my WM-100 installed
// on 3/5 at 12 Linden Road"): "installed" ends the message or is followed
// by when or where.
func installedAsked(n string) bool {
	i := strings.Index(n, " installed")
	if i < 0 || !containsAny(n[:i], "need", "want", "like", "please", "can you", "could you") || installedBeforeCue.MatchString(n[:i+1]) {
		return false
	}
	rest := n[i+len(" installed"):]
	if hasPrefixAny(rest, ",", ".", "!") {
		// "I need my washing machine installed, WM-100": what follows adds to
		// the request, unless it tells of a fault or goes on with "but".
		return !faultPhrases.any(rest) && !strings.Contains(rest, " but ")
	}
	return rest == "" || hasPrefixAny(rest, " on ", " at ", " in ", " this ", " next ", " tomorrow", " today", " asap", " please", " soon", " by ", " before ")
}

// installDone reports whether the install cue at n[start:end] tells of an
// installation done ("安装的", "装好了", "已经安装", "安装后就漏水", "来装上的",
// "was set up last Monday", "installation of my WM-100 went well") rather
// than asks for one. "安装的费用" is the installation's fee: asked about.
func installDone(n string, start, end int) bool {
	rest := n[end:]
	if clause := n[max(0, strings.LastIndexAny(n[:start], ",.;!?，。；！？")):start]; containsAny(clause, "把", "帮我", "给我", "请", "要", "想") {
		return false // "帮我把洗衣机安装好", "要安装好的": asked for
	}
	if r, ok := strings.CutPrefix(rest, "的"); ok {
		return !hasPrefixAny(r, installNouns...)
	}
	return hasPrefixAny(rest, "了", "后", "以后", "之后", "完", "好", "过", "上的", "上了") ||
		strings.HasSuffix(n[:start], "已") || strings.HasSuffix(n[:start], "已经") ||
		installedBeforeCue.MatchString(n[:start]) || installOverAfter.MatchString(rest)
}

// installNouns follow 安装的 when it names something of an installation
// ("安装的费用", "安装的流程"), not one done.
var installNouns = []string{"费", "价", "钱", "流程", "过程", "步骤", "时间", "要求", "条件", "服务", "细节", "方法", "事", "话"}

// installedBeforeCue ends the words before an English installation word
// that tell it was done ("my WM-100 was set up", "it had already been
// installed"); installOverAfter follows one with the words of it being
// over ("installation of my WM-100 went well", "the installation was
// done").
var (
	installedBeforeCue = regexp.MustCompile(`\b(?:(?:was|were|been|already|got)|(?:after|since)(?:\s+(?:the|my|your|our))?)\s+$`)
	installOverAfter   = regexp.MustCompile(`^(?:\s+(?:of|for)\s+(?:my|the|our|your|his|her)\s+[a-z0-9-]+)?(?:\s+[a-z']+){0,2}?\s+(?:went|was|were|is|has been|got)\s+(?:well|fine|smoothly|ok|okay|great|good|perfect|done|finished|completed|over|quick|easy)\b|^(?:\s+[a-z']+){0,3}?\s+(?:left|came|finished|completed|was here|were here)\b`)
)

// installTold reports whether normalised n tells of an installation done
// (installDone).
func installTold(n string) bool {
	told := false
	intentPhrases.each(n, func(k, at int) bool {
		told = installCueDone(n, k, at)
		return !told
	})
	return told
}

// installCueDone reports whether intent cue k, found at at in n, is an
// installation cue that tells of an installation done (installDone).
func installCueDone(n string, k, at int) bool {
	return intentCues[intentOrder[k]].intent == intentInstall && installDone(n, at, at+len(intentPhrases.phrases[k]))
}

// intentPhrases are all the intents' cues in one set; intentOrder gives
// each cue's place in intentCues, the earlier intent winning.
var intentPhrases, intentOrder = func() (*phraseSet, []int) {
	var all []string
	var order []int
	for o, ic := range intentCues {
		for _, c := range ic.cues {
			all = append(all, c)
			order = append(order, o)
		}
	}
	return newPhraseSet(all), order
}()

// returnWords say the customer wants their money back, not an exchange.
var returnWords = []string{"退货", "退款", "退掉", "退钱", "refund", "return it", "return my", "return the", "return this", "want to return", "money back",
	"returning", "退了", "want a return", "like a return", "need a return", "get a return", "request a return", "send back", "send them back", "send this back"}

// asksReturn reports whether a message that asks for a return ("想退",
// "能退吗", "can I return it?") asks for the return itself, not for "a
// return or exchange" ("能退换吗", "退换货"): the return, refused, is then
// told why.
func asksReturn(text string) bool {
	n := norm(text)
	if containsAny(n, returnWords...) || intentOf(text) == intentReturn && hasWordPrefix(n, "return", "returning") {
		return true
	}
	if intentOf(text) != intentReturn || containsAny(n, "退换", "return or exchange", "exchange or return") {
		return false
	}
	return containsAny(n, "想退", "要退", "能退", "可以退", "退吗", "can i return", "send it back", "like to return", "need to return")
}

// fillers are the words of a bare request ("我要报修", "I want to make a
// complaint"): what is left without them says whether a message also
// describes the problem.
var fillers = []string{"我想", "我要", "想要", "请问", "你好", "您好", "麻烦", "帮我", "一下", "申请", "办理", "报修", "维修", "投诉", "退货", "换货", "预约", "安装",
	"i want to", "i'd like to", "i would like to", "i need to", "i need", "can you", "please", "hello", "hi", "make a", "file a",
	"complaint", "complain", "repair", "return", "exchange", "install", "something", "my", "a", "an", "the", "to", "it", "i", "this", "is",
	"want", "like", "need", "book", "get", "fix", "fixed", "repaired"}

// substantive reports whether text says more than a bare request.
func substantive(text string) bool {
	t := norm(text)
	for _, f := range fillers {
		if strings.ContainsRune(f, ' ') || !isASCII(f) {
			t = strings.ReplaceAll(t, f, " ")
		}
	}
	n := 0
	for w := range strings.FieldsFuncSeq(t, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if isASCII(w) && contains(fillers, w) {
			continue
		}
		n += len([]rune(w))
	}
	return n >= 4
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// exclusion cues found in a fault description answer the exclusion
// questions without asking.
var (
	dropCues = []string{"摔", "掉地上", "撞", "压坏", "磕", "dropped", "fell", "crushed", "knocked over", "knocked"}
	// "never dropped or wet": wet alone is no cue ("the floor is wet" under a leak).
	waterCues = []string{"进水", "进过水", "进过一次水", "进了水", "泡水", "泡过水", "浸水", "淋雨", "淋过雨", "洒了水", "洒了", "泼了", "洒水", "泼水", "水洒", "掉水里", "掉进水", "water damage", "got wet", "get wet", "gotten wet", "spilled", "spilt", "soaked",
		"or wet", "nor wet"}
	misuseCues = append(slices.Clone(dropCues), waterCues...)
	openedCues = []string{"自己拆", "拆开", "拆过", "找人修过", "外面修", "路边修", "非官方", "改装", "opened it", "opened them", "opened by", "been opened", "opened up", "opened the", "took it apart",
		"third party repair", "third-party repair", "repaired elsewhere", "modified", "找别人修", "别人修过", "别人拆", "其他人修",
		"someone else repair", "someone else fix", "anyone else repair", "anyone else fix", "had it repaired", "had it fixed"}
)

// deniesMisuse reports a message that denies both kinds of misuse the
// question asks about, a fall or knock and water ("never dropped or got
// wet", "没摔过也没进水"): it answers the question before it is asked. "It
// was never dropped" alone does not.
func deniesMisuse(s string) bool { return cue(s, dropCues) == -1 && cue(s, waterCues) == -1 }

// cue reports whether s says one of cues: 1 when it says one, -1 when it
// only denies them ("it was never dropped", "没有摔过"), 0 when it names none.
// s is normalised (norm).
func cue(s string, cues []string) int {
	found := 0
	for i := range phrases(s, cues) {
		if !negated(s[:i]) {
			return 1
		}
		found = -1
	}
	return found
}

// negated reports whether the clause that before ends in denies what comes
// next: one of the three words before it (two more past an "or") is "not",
// "never", "nothing", "without" or ends in "n't", or "no" comes right before
// it; in Chinese,
// 没/没有/未/从没/从未/无/不曾/不是 within the two characters before it, not
// counting a 人 or 被 right before it ("没有人拆过", "没有被摔过"), so that
// "不小心摔了", "没想到摔了" are not denials.
func negated(before string) bool {
	if i := strings.LastIndexAny(before, ",.;:!?，。；：！？、\n"); i >= 0 {
		_, size := utf8.DecodeRuneInString(before[i:])
		before = before[i+size:]
	}
	if before == "" {
		return false
	}
	if r, _ := utf8.DecodeLastRuneInString(before); r >= utf8.RuneSelf {
		// "没有人拆过", "没有被摔过", "从来没有人动过": who did it, or the
		// passive, between the denial and the deed.
		for range 2 {
			before = strings.TrimRight(strings.TrimSuffix(strings.TrimSuffix(before, "人"), "被"), " ")
		}
		tail := []rune(before)
		if len(tail) > 2 {
			tail = tail[len(tail)-2:]
		}
		t := string(tail)
		return strings.ContainsAny(t, "没未无") || strings.Contains(t, "不曾") || strings.Contains(t, "不是")
	}
	words := strings.Fields(before)
	reach := 3
	for i := len(words) - 1; i >= 0 && i >= len(words)-reach; i-- {
		switch w := words[i]; {
		case w == "not" || w == "never" || w == "nothing" || w == "without" || w == "nobody" || w == "no-one" || w == "noone" ||
			strings.HasSuffix(w, "n't") || w == "one" && i > 0 && words[i-1] == "no": // "no one opened it"
			return true
		case w == "no" && i == len(words)-1:
			return true
		case w == "or" || w == "nor":
			reach += 2 // "not been dropped or got wet": the denial carries on
		}
	}
	return false
}

// containsAny reports whether s contains one of subs. A phrase that starts
// or ends with a Latin letter must start or end a word there ("fix" is not in
// "prefix", "error" not in "onerror"); Chinese phrases match anywhere.
func containsAny(s string, subs ...string) bool {
	for range phrases(s, subs) {
		return true
	}
	return false
}

// phrases yields the positions in s where one of subs occurs as
// containsAny matches it, sub by sub.
func phrases(s string, subs []string) iter.Seq[int] {
	return func(yield func(int) bool) {
		for _, sub := range subs {
			for from := 0; ; {
				i := strings.Index(s[from:], sub)
				if i < 0 {
					break
				}
				i += from
				from = i + 1
				if wordEdge(s, i, sub) && !yield(i) {
					return
				}
			}
		}
	}
}

func wordEdge(s string, i int, sub string) bool {
	if isLetter(sub[0]) && i > 0 && isLetter(s[i-1]) {
		return false
	}
	end := i + len(sub)
	if isLetter(sub[len(sub)-1]) && end < len(s) && isLetter(s[end]) {
		return false
	}
	return true
}

// hasWordPrefix reports whether s starts with one of the words ws, whole:
// "yes, please" starts with "yes", "yesterday" does not.
func hasWordPrefix(s string, ws ...string) bool {
	for _, w := range ws {
		if rest, ok := strings.CutPrefix(s, w); ok {
			if r, _ := utf8.DecodeRuneInString(rest); rest == "" || !unicode.IsLetter(r) {
				return true
			}
		}
	}
	return false
}

func hasPrefixAny(s string, ps ...string) bool {
	for _, p := range ps {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// looksLikeQuestion reports a message that asks something rather than
// answering: a side question in the middle of a form.
func looksLikeQuestion(text string) bool {
	t := strings.TrimSpace(policy.FoldWidth(text))
	if strings.HasSuffix(t, "?") || strings.HasSuffix(t, "？") {
		return true
	}
	l := lower(t)
	return hasPrefixAny(l, "how ", "what ", "what's ", "what’s ", "whats ", "who ", "when ", "where ", "why ", "which ", "can i", "do you", "does ", "is there",
		"are there", "how's", "is the ", "is it ", "is installation ", "is my ", "is this ", "could you tell", "can you tell") ||
		containsAny(l, "吗", "多久", "怎么", "如何", "什么", "哪里", "几天", "多少钱", "能不能", "可不可以", "是否") || asksLead(l)
}

// questionLeads introduce a question ("I'd like to know …", "想了解一下…",
// "麻烦问下…"): what follows them is asked, not requested.
var questionLeads = []string{"i'd like to know", "i would like to know", "i want to know", "i wanted to know", "i need to know",
	"i'd like to ask", "i want to ask", "i wonder", "i was wondering", "could you tell me", "can you tell me", "please tell me",
	"麻烦问一下", "麻烦问下", "麻烦问", "想了解", "想知道", "想问", "问一下", "问下", "请问", "咨询一下"}

// asksLead reports whether lower-cased l opens with, or says, a question
// lead.
func asksLead(l string) bool { return questionLeadSet.any(l) }

var questionLeadSet = newPhraseSet(questionLeads)

// emailGiven returns the email address in a message, and whether the
// message is nothing but that address, or a short phrase giving it ("my
// email is …", "邮箱：…").
func emailGiven(text string) (addr string, only bool) {
	addr, ok := extract.Email(text)
	if !ok {
		return "", false
	}
	rest := strings.ToLower(text)
	if i := strings.Index(rest, strings.ToLower(addr)); i >= 0 {
		rest = rest[:i] + rest[i+len(addr):]
	}
	for _, w := range []string{"my email address is", "my email is", "email address", "email:", "email", "e-mail", "mail",
		"我的邮箱是", "我的邮箱", "邮箱地址", "邮箱是", "邮箱", "电邮", "here", "it's", "it is", "is"} {
		rest = strings.ReplaceAll(rest, w, "")
	}
	rest = strings.Trim(rest, " \t\n.,:;!?，。：；！？<>()（）")
	return addr, rest == ""
}

// bareExchange reports whether normalised n asks for an exchange with 换
// alone ("想换", "要换吧", "能换吗", "可以换不"): with a word after it, it
// is something else (想换滤芯, 要换地址).
func bareExchange(n string) bool {
	for _, w := range [...]string{"想换", "要换", "能换", "可以换", "能不能换", "可不可以换", "给换", "帮我换"} {
		for i := 0; ; {
			k := strings.Index(n[i:], w)
			if k < 0 {
				break
			}
			i += k + len(w)
			rest := strings.TrimPrefix(n[i:], "一下")
			r, _ := utf8.DecodeRuneInString(rest)
			if rest == "" || !unicode.IsLetter(r) || strings.ContainsRune("吗吧呢了啊么不", r) {
				return true
			}
		}
	}
	return false
}

// swapAsked reports whether normalised n asks to change one thing for
// another in one clause ("我想把TV-65X换成TV-55X"), other than a repair
// ("把退货换成维修").
func swapAsked(n string) bool {
	i := strings.Index(n, "把")
	if i < 0 {
		return false
	}
	rest := n[i:]
	if k := strings.IndexAny(rest, ",.;!?，。；！？"); k >= 0 {
		rest = rest[:k]
	}
	at := cueAt(rest, []string{"换成", "换为"})
	return at >= 0 && !containsAny(rest[at:], "修")
}

// returnOrder is where the return intent comes in intentCues.
var returnOrder = slices.IndexFunc(intentCues, func(ic intentCue) bool { return ic.intent == intentReturn })
