package kb

import (
	"fmt"
	"slices"
	"strings"

	"github.com/supportd/supportd/internal/fuzzy"
)

// KB is a loaded knowledge base with its search index. It is immutable and
// safe for concurrent use.
type KB struct {
	entries         []*Entry
	troubleshooting map[string][]Step
	idx             *index

	file          string         // the file's base name, for messages
	categoryLines map[string]int // troubleshooting category → its line
}

// Entry is one FAQ entry.
type Entry struct {
	ID        string
	Questions Phrasings // example phrasings, at least one per language
	Keywords  Phrasings // optional words that add weight to the entry
	Answer    Bilingual
}

// Text returns the answer in lang: Chinese for "zh" (or any "zh-…" tag),
// English otherwise.
func (e *Entry) Text(lang string) string { return e.Answer.Text(lang) }

// Phrasings holds texts per language.
type Phrasings struct{ ZH, EN []string }

// Bilingual is one text in Chinese and English.
type Bilingual struct{ ZH, EN string }

// Text returns the text in lang: Chinese for "zh" (or any "zh-…" tag),
// English otherwise.
func (b Bilingual) Text(lang string) string { return pick(lang, b.ZH, b.EN) }

// Step is one remote troubleshooting step.
type Step struct{ ZH, EN string }

// Text returns the step in lang: Chinese for "zh" (or any "zh-…" tag),
// English otherwise.
func (s Step) Text(lang string) string { return pick(lang, s.ZH, s.EN) }

func pick(lang, zh, en string) string {
	if isZH(lang) {
		return zh
	}
	return en
}

func isZH(lang string) bool {
	return len(lang) >= 2 && strings.EqualFold(lang[:2], "zh") && (len(lang) == 2 || lang[2] == '-' || lang[2] == '_')
}

// Entries returns the FAQ entries in file order. The slice is the caller's;
// the entries are shared.
func (kb *KB) Entries() []*Entry { return slices.Clone(kb.entries) }

// Entry returns the entry with the given id.
func (kb *KB) Entry(id string) (*Entry, bool) {
	for _, e := range kb.entries {
		if e.ID == id {
			return e, true
		}
	}
	return nil, false
}

// Troubleshooting returns the remote troubleshooting steps for a product
// category id (such as "home-electronics"), in order, or nil when the
// knowledge base has none for it.
func (kb *KB) Troubleshooting(category string) []Step {
	return slices.Clone(kb.troubleshooting[category])
}

// Categories returns the category ids that have troubleshooting steps,
// sorted, so that the caller can check them against the policy's categories.
func (kb *KB) Categories() []string {
	ids := make([]string, 0, len(kb.troubleshooting))
	for id := range kb.troubleshooting {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// CheckCategories reports every troubleshooting category that is not one of
// known (the policy's category ids): its steps would never be offered, and
// the category meant would get none. The error is an *Error matching
// ErrInvalid, each problem with its line and the closest known id.
func (kb *KB) CheckCategories(known []string) error {
	var ps []Problem
	for _, id := range kb.Categories() {
		if slices.Contains(known, id) {
			continue
		}
		hint := " (known: " + strings.Join(known, ", ") + ")"
		for _, k := range known {
			if fuzzy.Distance(id, k) <= 2 || strings.HasPrefix(k, id) || strings.HasPrefix(id, k) {
				hint = fmt.Sprintf(" (did you mean %q?)", k)
				break
			}
		}
		ps = append(ps, Problem{Path: "troubleshooting." + id, File: kb.file, Line: kb.categoryLines[id],
			Msg: "not a category of the policy" + hint + ": its steps would never be offered"})
	}
	if len(ps) == 0 {
		return nil
	}
	slices.SortStableFunc(ps, func(a, b Problem) int { return a.Line - b.Line })
	return &Error{Problems: ps, Kind: ErrInvalid}
}
