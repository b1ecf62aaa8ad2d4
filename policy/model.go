package policy

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// FoldRune maps a full-width ASCII variant (U+FF01–U+FF5E) to its ASCII form
// and the ideographic space (U+3000) to a space; other runes are returned
// unchanged.
func FoldRune(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		return r - 0xFEE0
	case r == 0x3000:
		return ' '
	}
	return r
}

// FoldWidth returns s with full-width ASCII variants (such as "ＴＶ－５５Ｘ" or
// "３月５日") and the ideographic space mapped to ASCII. Case, punctuation and
// every other rune are kept. When s has nothing to fold, s itself is returned
// without allocating.
func FoldWidth(s string) string {
	i := 0
	for i < len(s) {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if FoldRune(r) != r {
			break
		}
		i += n
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		b.WriteRune(FoldRune(r))
	}
	return b.String()
}

// IsModelSep reports whether r (already width-folded) is dropped from a model
// key: white space, hyphens, underscores, dots and the dash variants that
// input methods produce (‐ ‑ ‒ – — ― − ﹘ ﹣ ⸺ ⸻ and the soft hyphen).
func IsModelSep(r rune) bool {
	switch r {
	case ' ', '-', '_', '.', '\t', '\n', '\r', '\v', '\f',
		0x00A0, 0x00AD, 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015,
		0x2212, 0xFE58, 0xFE63, 0x2E3A, 0x2E3B:
		return true
	}
	return r > utf8.RuneSelf && unicode.IsSpace(r)
}

// ModelKey returns the key model numbers are compared on: s width-folded,
// upper-cased, with white space, hyphens, underscores, dots and the dash
// variants removed. "TV-55X", "tv 55x", "ＴＶ－５５Ｘ" and "TV—55X" all have
// the key "TV55X".
func ModelKey(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		r = FoldRune(r)
		if IsModelSep(r) {
			continue
		}
		if 'a' <= r && r <= 'z' {
			r -= 'a' - 'A'
		} else if r >= utf8.RuneSelf {
			r = unicode.ToUpper(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}
