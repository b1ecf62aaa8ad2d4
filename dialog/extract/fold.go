package extract

import "github.com/supportd/supportd/policy"

// foldRune maps a full-width ASCII variant to ASCII; see policy.FoldRune.
func foldRune(r rune) rune { return policy.FoldRune(r) }

// FoldWidth returns s with full-width ASCII variants (U+FF01–U+FF5E, such as
// "ＴＶ－５５Ｘ" or "３月５日") and the ideographic space mapped to ASCII; see
// policy.FoldWidth.
func FoldWidth(s string) string { return policy.FoldWidth(s) }

// isKeySep reports whether r is dropped from a model key; see
// policy.IsModelSep.
func isKeySep(r rune) bool { return policy.IsModelSep(r) }

// ModelKey returns the key model numbers are compared on ("TV-55X", "tv 55x"
// and "ＴＶ－５５Ｘ" all have the key "TV55X"); see policy.ModelKey.
func ModelKey(s string) string { return policy.ModelKey(s) }
