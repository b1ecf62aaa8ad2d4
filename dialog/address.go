package dialog

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/supportd/supportd/dialog/extract"
	"github.com/supportd/supportd/policy"
)

// addressIn returns the street address a message gives among other things
// ("冰箱RF-450需要上门安装，地址上海市浦东新区世纪大道100号，12月1号下午",
// "I need installation for my fridge at 200 Caoxi Road, Shanghai"), or ""
// when it gives none: a clause that says 地址, or one that names a street
// and a number (Chinese: 路/街/道/弄/巷 and 号, or a city or district with one
// of them; English: a house number before a street word).
func addressIn(text string) string {
	for _, clause := range clauses.Split(text, -1) {
		c := strings.TrimSpace(clause)
		if c == "" {
			continue
		}
		if rest, ok := cutAddressLead(c); ok && utf8.RuneCountInString(rest) >= 4 && !addressNewsIn(rest) {
			return rest
		}
		if zhAddress(c) {
			return trimAddressLead(c)
		}
	}
	if m := enAddress.FindStringIndex(text); m != nil {
		if u := enUnit.FindStringIndex(text[:m[0]]); u != nil {
			m[0] = u[0] // "Room 1201, 88 Wensan Road": the room too
		}
		rest := text[m[0]:]
		if i := strings.IndexAny(rest, ";\n"); i >= 0 {
			rest = rest[:i]
		}
		// "… Road, Shanghai. Call me on …": up to the end of the sentence.
		if i := sentenceEnd.FindStringIndex(rest); i != nil {
			rest = rest[:i[0]]
		}
		rest = withoutContact(rest)
		// "18 Hengshan Road Shanghai, 138…, next Monday": the day and the
		// phone told after it are no part of it.
		for {
			i := strings.LastIndexByte(rest, ',')
			if i < 0 {
				break
			}
			tail := rest[i+1:]
			if strings.TrimSpace(tail) != "" && !dayAside(tail, anyDay) {
				break
			}
			if place := beforeDay(tail); place != "" {
				rest = rest[:i] + ", " + place // "8 Park Lane, Beijing on Saturday": the city kept
				break
			}
			rest = rest[:i]
		}
		return strings.Trim(rest, " ,.;:")
	}
	return ""
}

// addressNews tell of an address after "my address" or "the address is"
// rather than give it ("my address has changed", "the address is wrong").
var addressNews = []string{"has ", "have ", "changed", "was ", "will ", "is changing", "is different", "is wrong", "wrong", "incorrect",
	"not right", "not correct", "different"}

// addressNewsIn reports whether what follows the word address tells of it
// (addressNews) rather than gives it.
func addressNewsIn(rest string) bool { return hasPrefixAny(strings.ToLower(rest), addressNews...) }

// anyDay is the day dates are read from where only their place in a text
// matters.
var anyDay = policy.NewDate(2026, 1, 1)

// clauseAround returns the clause of text that holds bytes [start, end):
// up to the punctuation before and after it (commas included), or a
// bracket ("installed on 2026-06-10 (bought online on 2026-06-01)": two
// clauses).
func clauseAround(text string, start, end int) string {
	from := 0
	if i := strings.LastIndexAny(text[:start], clauseMarks); i >= 0 {
		_, size := utf8.DecodeRuneInString(text[i:])
		from = i + size
	}
	to := len(text)
	if i := strings.IndexAny(text[end:], clauseMarks); i >= 0 {
		to = end + i
	}
	return strings.TrimSpace(text[from:to]) // "…on the wall? can u come sunday": no space before "can"
}

// clauseMarks end a clause.
const clauseMarks = ",.;!?，。；！？\n()（）"

// clauses splits a Chinese message into clauses; an English address keeps
// its commas ("200 Caoxi Road, Shanghai") and is read by enAddress.
var clauses = regexp.MustCompile(`[，。；;！？!?\n]`)

// enAddress finds a house number before a street word.
var enAddress = regexp.MustCompile(`(?i)\b\d{1,5}[a-z]?\s+(?:[a-z]+\s+){0,3}(?:road|rd|street|st|avenue|ave|lane|ln|drive|dr|boulevard|blvd|way|lu|jie|dadao|highway|place|court|ct)\b`)

// enUnit is a room, flat or unit just before a street address.
var enUnit = regexp.MustCompile(`(?i)(?:\b(?:room|rm|flat|apt|apartment|unit|suite|floor)\.?\s*[\w-]+|\b\d+(?:st|nd|rd|th)?\s+floor),?\s*$`)

// sentenceEnd is a full stop followed by a space or the end (not the one in
// "Rd." followed by a comma).
var sentenceEnd = regexp.MustCompile(`\.(\s|$)`)

// cutAddressLead returns what follows 地址/address in a clause.
func cutAddressLead(c string) (string, bool) {
	lower := strings.ToLower(c)
	for _, lead := range []string{"地址是", "地址:", "地址：", "地址", "address is", "address:", "my address"} {
		if i := strings.Index(lower, lead); i >= 0 {
			return strings.Trim(c[i+len(lead):], " :：,，"), true
		}
	}
	return "", false
}

// trimAddressLead drops the words before an address ("我家在", "住在", "送到").
func trimAddressLead(c string) string {
	for _, lead := range []string{"我家在", "我住在", "住在", "我家地址", "送到", "上门到", "在"} {
		if i := strings.Index(c, lead); i >= 0 && i < 12 {
			return strings.TrimSpace(c[i+len(lead):])
		}
	}
	return c
}

// zhAddress reports whether a clause is a Chinese street address: a street
// word and a number, or a place (市/区/县/省) and a street word.
func zhAddress(c string) bool {
	street := strings.ContainsAny(c, "路街巷弄") || strings.Contains(c, "大道")
	place := strings.ContainsAny(c, "市区县省")
	number := strings.ContainsRune(c, '号') && strings.ContainsAny(c, "0123456789一二三四五六七八九十")
	return street && (number || place) && utf8.RuneCountInString(c) >= 6
}

// beforeDay returns what a piece of an address says before the day told
// after it ("Beijing" of " Beijing on Saturday"), without the words that
// lead to the day; "" when the day comes first.
func beforeDay(tail string) string {
	ds := extract.NextDates(tail, anyDay)
	if len(ds) == 0 {
		return ""
	}
	head := strings.Fields(tail[:ds[0].Start])
	for len(head) > 0 && contains([]string{"on", "this", "next", "for", "by", "at", "from"}, strings.ToLower(head[len(head)-1])) {
		head = head[:len(head)-1]
	}
	return strings.Join(head, " ")
}
