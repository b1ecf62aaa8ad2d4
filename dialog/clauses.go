package dialog

import (
	"regexp"

	"github.com/supportd/supportd/policy"
)

// Rules that read what a message says of one thing (the warranty card, the
// packaging) read it in the sentence and the clause that name it: "保修卡在，
// 不过声音和以前不一样" says nothing different of the card, "the TV is fine
// but the box is crushed" nothing fine of the box.

// sentenceBreak ends a sentence: ! ? 。 ！ ？, a line break, or a full stop
// before a space or the end (not the one in "2026.5.1").
var sentenceBreak = regexp.MustCompile(`[!?。！？\n]+|\.+(?:\s+|$)`)

// clauseBreak ends a clause within a sentence.
var clauseBreak = regexp.MustCompile(`[,;，；、]|\b(?:but|however|although|though)\b|不过|但是|可是|但`)

// sentences cuts s into its sentences, each with the punctuation that ends
// it.
func sentences(s string) []string {
	var out []string
	from := 0
	for _, m := range sentenceBreak.FindAllStringIndex(s, -1) {
		out = append(out, s[from:m[1]])
		from = m[1]
	}
	if from < len(s) {
		out = append(out, s[from:])
	}
	return out
}

// folded is the form these rules read: width-folded, lower-case, a
// contraction typed without its apostrophe restored ("wont turn on" is
// "won't turn on"); norm is the same, trimmed.
func folded(text string) string {
	return restoreContractions(lower(policy.FoldWidth(text)))
}

// productWords name the product itself.
var productWords = []string{"机器", "机子", "产品", "本机", "实物", "product", "machine", "unit", "device"}

// aboutProduct reports whether a clause (folded) names the product: "机器",
// "the TV", "洗衣机".
func aboutProduct(cl string) bool {
	if containsAny(cl, productWords...) {
		return true
	}
	for _, group := range productNouns {
		if containsAny(cl, group...) {
			return true
		}
	}
	return false
}
