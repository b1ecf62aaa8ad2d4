package dialog

import (
	"strings"

	"github.com/supportd/supportd/internal/fuzzy"
)

// A fault told with its words misspelt ("my refrigerater is not coling")
// understands nothing else: before it goes to a person, each English word
// of it that the dialog does not know, and that is one letter away from a
// product or fault word (two for long words; two neighbouring letters
// swapped count as one), is read as that word.

// spellWords are the product and fault words a misspelling is read as;
// knownWords the words the dialog reads otherwise ("stock" is no "stuck").
var spellWords, knownWords = func() ([]string, map[string]bool) {
	var nouns []string
	for _, group := range productNouns {
		nouns = append(nouns, group...)
	}
	known := map[string]bool{}
	var spell []string
	for _, list := range [][]string{nouns, faultWords, priceCues, stockCues, warrantyCues, fillers, questionLeads, helpWords, worksFine} {
		for _, p := range list {
			for _, w := range strings.Fields(p) {
				if !lettersOnly(w) || known[w] {
					continue
				}
				known[w] = true
				if len(w) >= minSpelt && (contains(nouns, p) || contains(faultWords, p)) {
					spell = append(spell, w)
				}
			}
		}
	}
	for _, ic := range intentCues {
		for _, p := range ic.cues {
			for _, w := range strings.Fields(p) {
				known[w] = true
			}
		}
	}
	return spell, known
}()

// minSpelt is the length of the shortest word read as a misspelling: a
// short word is one letter away from too many others.
const minSpelt = 5

// respelled returns text with its misspelt product and fault words spelt
// right, and whether it had any. Only English is read.
func respelled(text string) (string, bool) {
	if !isASCII(text) {
		return text, false
	}
	var b strings.Builder // built from the first misspelt word on
	done := 0             // text[:done] is in b
	for i := 0; i < len(text); {
		j := i
		for j < len(text) && isLetter(text[j]) {
			j++
		}
		if j == i {
			i++
			continue
		}
		if j-i >= minSpelt {
			if r, ok := spelt(strings.ToLower(text[i:j])); ok {
				b.WriteString(text[done:i])
				b.WriteString(r)
				done = j
			}
		}
		i = j
	}
	if done == 0 {
		return text, false
	}
	b.WriteString(text[done:])
	return b.String(), true
}

// spelt returns the product or fault word that lower-case word w
// misspells: one with the same first letter, one edit away, or two when
// both words have eight letters or more.
func spelt(w string) (string, bool) {
	if len(w) < minSpelt || knownWords[w] {
		return "", false
	}
	best, least := "", 3
	for _, s := range spellWords {
		if s[0] != w[0] || len(s)-len(w) > 2 || len(w)-len(s) > 2 {
			continue
		}
		edits := 1
		if len(w) >= 8 && len(s) >= 8 {
			edits = 2
		}
		d := fuzzy.Distance(w, s)
		if d == 2 && swapped(w, s) {
			d = 1 // "machnie": two letters typed the wrong way round, one slip
		}
		if d <= edits && d < least {
			best, least = s, d // the closest word
		}
	}
	return best, best != ""
}

// swapped reports whether w is s with two neighbouring letters exchanged.
func swapped(w, s string) bool {
	if len(w) != len(s) {
		return false
	}
	i := 0
	for i < len(w) && w[i] == s[i] {
		i++
	}
	return i+1 < len(w) && w[i] == s[i+1] && w[i+1] == s[i] && w[i+2:] == s[i+2:]
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func lettersOnly(w string) bool {
	for i := 0; i < len(w); i++ {
		if !isLetter(w[i]) {
			return false
		}
	}
	return w != ""
}
