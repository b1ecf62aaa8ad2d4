package dialog

import (
	"regexp"
	"strings"

	"github.com/supportd/supportd/policy"
)

// What a customer tells of the warranty card (§5.4): that it names another
// model than the product's, or that it was altered. Either refuses the free
// warranty, so a message is read as saying so only when it says it of the
// card: in the clause that names the card ("保修卡上的型号和机器不一样", "the
// warranty card says TV-50A but my TV is a TV-55X"), as a statement, not as a
// question or a supposition ("保修卡型号不一样的话还能保修吗"). A "different"
// or "修改过" elsewhere in the message ("保修卡在，不过声音和以前不一样") is
// about something else.

// cardWords name the warranty card (保證書, 保固卡 read as 保证书, 保修卡).
var cardWords = []string{"保修卡", "保修证", "保证书", "三包卡", "三包凭证", "warranty card", "guarantee card", "warranty certificate",
	"waranty card", "warrenty card", "warranty crad"}

// bareCard is "card" alone said to name something ("the card says TV-65X"),
// with the word before it: not a credit, SIM or memory card (otherCards).
var bareCard = regexp.MustCompile(`\b(?:([a-z]+)\s+)?card\s+(?:says|said|shows|showed|reads|lists|names|has|had|is for|was for)\b`)

// otherCards are the cards that are not the warranty card.
var otherCards = []string{"credit", "debit", "bank", "sim", "sd", "memory", "gift", "id", "member", "membership", "loyalty", "business",
	"graphics", "sound", "video", "network", "key", "access", "reward", "rewards", "store", "vip", "club", "phone", "library"}

var (
	// cardMismatchCues say that the card and the product differ, wherever
	// they are in the card's clause ("型号和保修卡不一样", "the model doesn't
	// match the warranty card").
	cardMismatchCues = []string{"不一样", "不一致", "不符", "对不上", "不相符", "不匹配", "不同", "不是这个型号",
		"doesn't match", "does not match", "don't match", "do not match", "not match", "mismatch", "different", "diferent", "differnt",
		"diffrent", "wrong model", "not the same", "isn't the same", "aren't the same"}
	// cardOtherModel say that the card names another model, after the card's
	// name ("the warranty card shows another model", "保修卡上是别的型号"; not
	// "I have another model at home and its warranty card").
	cardOtherModel = []string{"别的型号", "其他型号", "其它型号", "另一个型号", "另外一个型号", "another model", "other model"}
	// cardAlteredCues say that the card was altered.
	cardAlteredCues = []string{"涂改", "被改", "被人改", "改动过", "修改过", "altered", "tampered", "crossed out", "scratched out",
		"written over", "overwritten", "changed the date", "changed the model", "was changed", "been changed", "were changed"}
	// notDifferent are words that hold 不同 and say no difference: "电视
	// 不同时有声音和图像", "我不同意".
	notDifferent = strings.NewReplacer("不同时", "", "不同意", "")
	// supposing says what if: "如果…", "…的话", "is it covered if…".
	supposing = []string{"如果", "假如", "假设", "要是", "万一", "的话", "if", "in case", "suppose", "supposing", "assuming", "whether"}
	// otherThanModel name what else than the model a card and a paper may
	// disagree on: "保修卡上的日期和发票不一样".
	otherThanModel = []string{"日期", "时间", "date", "名字", "姓名", "name", "地址", "address", "序列号", "serial", "编号", "价格", "price",
		"盖章", "印章", "stamp", "发票", "invoice", "receipt", "收据", "小票"}
)

// cardSays reads what a message tells of the warranty card of the product
// model (§5.4): "mismatch" when the card names another model ("the warranty
// card says TV-50A but my TV is a TV-55X", "保修卡上写的型号和机器不一样"),
// "altered" when it was altered ("保修卡涂改过"), "" otherwise: a card named
// as a proof, a card that matches, a card of another product ("I still have
// the warranty card for WM-100 too"), a question about it ("保修卡上的型号和机
// 器不一致怎么办？") or a supposition ("what if the card shows another
// model?"). A question that names the card's model number tells it all the
// same ("the warranty card says TV-65X but my TV is a TV-55X, is that a
// problem?").
func cardSays(text, model string) string {
	f := folded(text)
	if !mayNameCard(f) {
		return ""
	}
	prev := "" // the clause before, when it named the card
	for _, sent := range sentences(f) {
		asks := looksLikeQuestion(sent)
		for _, cl := range clauseBreak.Split(sent, -1) {
			card := cl
			if firstCard(cl) < 0 && prev != "" && cardAnaphor(cl) && !looksLikeQuestion(cl) {
				// "I checked the warranty card, it says TV-50A", "我看了保修
				// 卡，上面写的是TV-50A": the clause goes on about the card.
				card = prev + cl
				if p := strings.TrimRight(prev, " "); p == "" || !strings.ContainsAny(p[len(p)-1:], ".") && !strings.HasSuffix(p, "。") {
					card = prev + ", " + cl
				}
			}
			prev = ""
			at := firstCard(card)
			if at < 0 || containsAny(card, supposing...) {
				continue
			}
			prev = cl
			if card != cl {
				at = len(card) - len(cl) // what is said of the card is in this clause
			}
			if !asks {
				c := notDifferent.Replace(card[at:])
				if card == cl {
					c = notDifferent.Replace(cl)
				}
				switch {
				case cue(c, cardAlteredCues) == 1:
					return "altered"
				case cue(c, cardMismatchCues) == 1 && aboutModel(c), cue(card[at:], cardOtherModel) == 1:
					return "mismatch"
				}
			}
			if k := cardModel(card); model != "" && k != "" && k != policy.ModelKey(model) {
				return "mismatch"
			}
		}
	}
	return ""
}

// Words that open a clause going on about the card named in the clause
// before: "…, it says TV-50A", "…，上面写的是TV-50A", "…，写的是TV-50A".
var (
	cardPronouns = wordSet("it", "that", "which", "this")
	// cardTells are the verbs after a pronoun that make it the card telling
	// what it names; not "is" ("the warranty card is lost, it's a TV-55X":
	// that is the product).
	cardTells = wordSet("says", "said", "shows", "showed", "reads", "read", "lists", "listed", "names", "named", "states", "stated",
		"mentions", "mentioned", "has", "had")
	zhCardLeads = []string{"上面", "上边", "上头", "卡上", "那上面", "写的是", "写着", "写的", "显示", "印着", "印的是", "标着", "标的是"}
)

// cardAnaphor reports whether the clause cl (folded) opens by going on
// about the card named just before it: a pronoun and a verb of telling ("it
// says", "which shows", "it has"), or 上面, 写的是 and the like.
func cardAnaphor(cl string) bool {
	cl = strings.TrimLeft(cl, " ")
	if hasPrefixAny(cl, zhCardLeads...) {
		return true
	}
	ws := strings.Fields(cl)
	if len(ws) < 2 || !cardPronouns[ws[0]] {
		return false
	}
	v := ws[1]
	if v == "also" || v == "clearly" || v == "only" {
		if len(ws) < 3 {
			return false
		}
		v = ws[2]
	}
	return cardTells[v]
}

// aboutModel reports whether a clause that says the card differs says it of
// the model: it names the model, or the product and nothing else the card
// could disagree on.
func aboutModel(cl string) bool {
	switch {
	case containsAny(cl, "型号", "机型", "model"):
		return true
	case containsAny(cl, otherThanModel...):
		return false
	}
	return aboutProduct(cl)
}

// mayNameCard reports whether s (folded) may name the warranty card at all:
// most messages do not, and need no more reading by the card's rules.
func mayNameCard(s string) bool {
	return strings.Contains(s, "card") || cardWordSet.any(s)
}

var cardWordSet = newPhraseSet(cardWords)

// cardSpans returns where s (folded) names the warranty card.
func cardSpans(s string) [][2]int {
	var out [][2]int
	for _, w := range cardWords {
		for i := range phrases(s, []string{w}) {
			out = append(out, [2]int{i, i + len(w)})
		}
	}
	for _, m := range bareCard.FindAllStringSubmatchIndex(s, -1) {
		if m[2] >= 0 && contains(otherCards, s[m[2]:m[3]]) {
			continue
		}
		at := strings.Index(s[m[0]:m[1]], "card") + m[0]
		out = append(out, [2]int{at, at + len("card")})
	}
	return out
}

// firstCard returns where s first names the warranty card, or -1.
func firstCard(s string) int {
	first := -1
	for _, sp := range cardSpans(s) {
		if first < 0 || sp[0] < first {
			first = sp[0]
		}
	}
	return first
}

// modelLike is a word written like a model number (TV-50A, WM 100, hp30),
// in the catalog or not.
var modelLike = regexp.MustCompile(`(?i)\b[a-z]{1,4} ?[-‐‑–—]? ?\d{1,5}[a-z]{0,3}\b`)

// notModel are short words that may stand before a number without being a
// model's letters.
var notModel = wordSet("in", "at", "to", "by", "and", "or", "my", "all", "only", "just", "over", "for", "about", "than", "from", "are",
	"were", "be", "x")

// cardModel returns the key (policy.ModelKey) of the first model number a
// message says the warranty card names ("the warranty card says TV-65X but
// my TV is…", "保修卡上写的是TV-65X，…"), or "".
func cardModel(text string) string {
	s := folded(text)
	for _, at := range modelLike.FindAllStringIndex(s, -1) {
		if w, _, spaced := strings.Cut(s[at[0]:at[1]], " "); spaced && (cardSay[w] || notModel[w]) {
			continue // "the warranty card has 3 stamps", "is 2 years old"
		}
		if roleOf(s[:at[0]], s[at[1]:]) == cardNames {
			return policy.ModelKey(s[at[0]:at[1]])
		}
	}
	return ""
}

// A cardRole is what a model number written in a message is to the
// warranty card.
type cardRole int

const (
	notCards  cardRole = iota
	cardNames          // the card names it: "the warranty card says TV-65X", "保修卡上写的是TV-65X"
	cardOf             // it is the card's product: "the warranty card for WM-100", "WM-100的保修卡"
)

// roleAt returns what the model number at bytes [start, end) of text is to
// the warranty card.
func roleAt(text string, start, end int) cardRole {
	return roleOf(folded(text[:start]), folded(text[end:]))
}

// roleOf reads what a model number is to the warranty card from the text
// before and after it (folded).
func roleOf(before, after string) cardRole {
	a := strings.TrimLeft(after, " ")
	a = strings.TrimLeft(strings.TrimPrefix(strings.TrimPrefix(a, "'s"), "’s"), " ")
	a = strings.TrimLeft(strings.TrimPrefix(a, "的"), " ")
	for _, w := range cardWords {
		if strings.HasPrefix(a, w) {
			return cardOf // "WM-100的保修卡", "my WM-100 warranty card"
		}
	}
	end := -1
	for _, sp := range cardSpans(before) {
		end = max(end, sp[1])
	}
	if end < 0 {
		return notCards
	}
	gap := before[end:]
	if r := gapRole(gap); r != notCards {
		return r
	}
	// "I checked the warranty card, it says TV-65X", "我看了保修卡，上面写
	// 的是TV-65X": the clause after the card's goes on about it.
	m := clauseEnd.FindStringIndex(gap)
	if m == nil {
		return notCards
	}
	next := strings.TrimLeft(gap[m[1]:], " ")
	if clauseEnd.MatchString(next) || !cardAnaphor(next) {
		return notCards
	}
	if !hasPrefixAny(next, zhCardLeads...) {
		_, next, _ = strings.Cut(next, " ") // the pronoun: the verb tells what the card names
	}
	return gapRole(" " + next)
}

// clauseEnd ends the clause that names the card before one that goes on
// about it.
var clauseEnd = regexp.MustCompile(`[,;.，；。]|\b(?:and|but)\b|但是|不过|可是|但`)

// zhCardGap are the characters that may stand between the card's name and
// the model it names: "保修卡上写的是", "保修卡上的型号写成了".
const zhCardGap = "上面里写着的是为型号机显示印标注成了"

var (
	// cardSay are the words that may stand between the card's name and the
	// model it names: "the warranty card says", "the warranty card is for a".
	cardSay = wordSet("says", "said", "say", "shows", "showed", "show", "reads", "read", "lists", "listed", "names", "named", "states",
		"stated", "mentions", "mentioned", "has", "had", "have", "is", "was", "it's", "its", "it", "with", "the", "a", "an", "model",
		"number", "no", "type", "written", "printed", "typed", "marked", "on", "wrong", "different", "another", "other", "as", "for",
		"of", "that")
	// cardVerbs say what the card names after a description of the card:
	// "the warranty card for my TV says TV-65X".
	cardVerbs = wordSet("says", "said", "shows", "showed", "reads", "lists", "names", "states", "mentions", "is", "was", "has", "had")
	// cardOwner are the words of "the warranty card for (my) WM-100".
	cardOwner = wordSet("my", "the", "a", "an", "our", "this", "that", "other", "another", "his", "her", "their", "old")
	// joins start another statement: "the warranty card is lost but my TV is…".
	joins = wordSet("but", "and", "while", "although", "though", "so")
)

func wordSet(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// gapRole reads the words between the card's name and a model number.
func gapRole(gap string) cardRole {
	for _, r := range gap {
		if !(r >= 'a' && r <= 'z' || r == '\'' || r == '’' || r == ' ' || r == ':' || r == '：' || r == '"' || strings.ContainsRune(zhCardGap, r)) {
			return notCards // a clause ends, a number, another word
		}
	}
	words := strings.FieldsFunc(gap, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r == '\'' || r == '’') })
	if len(words) > 0 && (words[0] == "for" || words[0] == "of" || words[0] == "from" || words[0] == "that" || words[0] == "which") {
		// The card described: its product ("for WM-100"), or what it names
		// after that ("for my TV says TV-65X").
		for k := len(words) - 1; k >= 1; k-- {
			if cardVerbs[words[k]] && allIn(words[k+1:], cardSay) && !anyIn(words[:k], joins) {
				return cardNames
			}
		}
		if allIn(words[1:], cardOwner) {
			return cardOf
		}
		return notCards
	}
	if allIn(words, cardSay) {
		return cardNames
	}
	return notCards
}

func allIn(ws []string, set map[string]bool) bool {
	for _, w := range ws {
		if !set[w] {
			return false
		}
	}
	return true
}

func anyIn(ws []string, set map[string]bool) bool {
	for _, w := range ws {
		if set[w] {
			return true
		}
	}
	return false
}
