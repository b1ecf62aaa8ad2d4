package kb

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/supportd/supportd/internal/fuzzy"
	"github.com/supportd/supportd/policy"
)

// KB is a loaded knowledge base with its search index. It is immutable and
// safe for concurrent use.
type KB struct {
	entries         []*Entry
	troubleshooting map[string][]Step // by key: a category id or a model
	models          map[string]string // policy.ModelKey of a key → the key
	idx             *index

	file     string         // the file's base name, for messages
	keyLines map[string]int // troubleshooting key → its line
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

// Step is one remote troubleshooting step. When, if not nil, holds the
// words of the symptoms the step is for (see StepsFor); a step without is
// for every fault.
type Step struct {
	ZH, EN string
	When   *Phrasings
	match  []string // When's words as saysAny looks for them, made at load
}

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

// Troubleshooting returns the remote troubleshooting steps for a product,
// in order: those of its model (such as "WP-8", compared as the catalog
// compares models, so that "wp8" finds the steps under WP-8) when the
// knowledge base has steps for the model, otherwise those of its category id
// (such as "small-appliances"); nil when it has neither.
func (kb *KB) Troubleshooting(model, category string) []Step {
	if key, ok := kb.models[policy.ModelKey(model)]; ok && model != "" {
		return slices.Clone(kb.troubleshooting[key])
	}
	return slices.Clone(kb.troubleshooting[category])
}

// StepsFor returns the troubleshooting steps of a product (as
// Troubleshooting) for the fault the customer described, in the file's
// order: every step without When, and the steps whose When words the
// description says, in either language. When it says none of them (or
// nothing), no step is left out: better every check than too few.
func (kb *KB) StepsFor(model, category, fault string) []Step {
	steps := kb.Troubleshooting(model, category)
	f := normalize(fault)
	said := make([]bool, len(steps))
	matched := false
	for i, s := range steps {
		said[i] = s.When != nil && saysAny(f, s.match)
		matched = matched || said[i]
	}
	if !matched {
		return steps
	}
	out := steps[:0]
	for i, s := range steps {
		if s.When == nil || said[i] {
			out = append(out, s)
		}
	}
	return out
}

// saysAny reports whether the normalized text f says one of words (made
// by matchWords): a word written with spaces where one of f's words starts
// with it ("leak" in "leaking"), a Chinese one anywhere.
func saysAny(f string, words []string) bool {
	for _, w := range words {
		if strings.Contains(f, w) {
			return true
		}
	}
	return false
}

// matchWords normalizes a step's symptom words for saysAny: a word written
// with spaces gets the space before it, so that it matches at a word's
// start.
func matchWords(p *Phrasings) []string {
	var out []string
	for _, w := range append(slices.Clip(p.ZH), p.EN...) {
		n := strings.TrimSpace(normalize(w))
		if n == "" {
			continue
		}
		if r, _ := utf8.DecodeRuneInString(n); isLatin(r) {
			n = " " + n
		}
		out = append(out, n)
	}
	return out
}

// TroubleshootingKeys returns the keys that have troubleshooting steps,
// category ids and models, sorted, so that the caller can check them against
// its policy (CheckTroubleshooting does).
func (kb *KB) TroubleshootingKeys() []string {
	keys := make([]string, 0, len(kb.troubleshooting))
	for k := range kb.troubleshooting {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// CheckTroubleshooting reports every troubleshooting key that is neither a
// category id of p nor a model of its catalog (compared as the catalog
// compares models): its steps would never be offered, and the category or
// model meant would get none. The error is an *Error matching ErrInvalid,
// each problem with its line and the closest category or model.
func (kb *KB) CheckTroubleshooting(p *policy.Policy) error {
	categories := make([]string, len(p.Categories))
	for i, c := range p.Categories {
		categories[i] = c.ID
	}
	models := p.Models()
	var ps []Problem
	for _, key := range kb.TroubleshootingKeys() {
		if slices.Contains(categories, key) || slices.ContainsFunc(models, func(m string) bool { return policy.ModelKey(m) == policy.ModelKey(key) }) {
			continue
		}
		ps = append(ps, Problem{Path: "troubleshooting." + key, File: kb.file, Line: kb.keyLines[key],
			Msg: "neither a category nor a model of the policy" + keyHint(key, categories, models) + ": its steps would never be offered"})
	}
	if len(ps) == 0 {
		return nil
	}
	slices.SortStableFunc(ps, func(a, b Problem) int { return a.Line - b.Line })
	return &Error{Problems: ps, Kind: ErrInvalid}
}

// keyHint names the categories or models closest to an unknown
// troubleshooting key (by edit distance, at most 2 and short of rewriting
// the whole key, or one the prefix or part of the other; models compared as
// the catalog compares them), or lists them all.
func keyHint(key string, categories, models []string) string {
	best, near := 0, []string(nil)
	consider := func(name string, d int, ok bool) {
		switch {
		case !ok:
		case near == nil || d < best:
			best, near = d, []string{strconv.Quote(name)}
		case d == best:
			near = append(near, strconv.Quote(name))
		}
	}
	for _, c := range categories {
		d := fuzzy.Distance(key, c)
		consider(c, d, (d <= 2 && d < len(key)) || strings.HasPrefix(c, key) || strings.HasPrefix(key, c))
	}
	k := policy.ModelKey(key)
	for _, m := range models {
		mk := policy.ModelKey(m)
		d := fuzzy.Distance(k, mk)
		consider(m, d, (d <= 2 && d < len(k)) || strings.Contains(mk, k) || strings.Contains(k, mk))
	}
	if len(near) > 0 {
		return " (did you mean " + strings.Join(near, " or ") + "?)"
	}
	return " (categories: " + strings.Join(categories, ", ") + "; models: " + strings.Join(models, ", ") + ")"
}
