package extract

import (
	"cmp"
	"slices"
)

// ModelMatch is a product model number found in a message.
type ModelMatch struct {
	Model string // the catalog model, as given to NewCatalog
	// Exact reports that the text has the model's key (ModelKey). When false
	// the text is a near miss and the bot must confirm the model.
	Exact    bool
	Distance int    // edit distance between the keys: 0 when Exact
	Text     string // the model as written: text[Start:End]
	Start    int    // byte offset of Text in the message
	End      int    // byte offset just after Text
}

// Catalog finds a product catalog's model numbers in messages. It is built
// once with NewCatalog and is read-only afterwards: safe for concurrent use.
type Catalog struct {
	entries []entry
	exact   map[string]int32   // key → entry
	near    map[string][]int32 // key with up to maxDist deletions → entries
	maxKey  int                // length of the longest key
}

// entry is one distinct model key and the models that have it.
type entry struct {
	key    string
	models []string
}

const (
	minModelKey = 3  // shortest key that is looked up at all
	maxNearKey  = 32 // longest key that near misses are searched for
	maxWindow   = 4  // most space-separated pieces an exact match spans
)

// maxDist is the largest edit distance accepted for a key of length n.
func maxDist(n int) int {
	if n <= 5 {
		return 1
	}
	return 2
}

// NewCatalog indexes models (such as "TV-55X", "KFR-35GW/BP") by ModelKey.
// A model whose key is not made of ASCII letters and digits (and '/' or '+'
// between them), or lacks either a letter or a digit, or is shorter than 3,
// is never matched: plain words and plain numbers are not model numbers.
// Models that share a key are all returned when it matches.
func NewCatalog(models []string) *Catalog {
	c := &Catalog{exact: map[string]int32{}, near: map[string][]int32{}}
	for _, m := range models {
		k := ModelKey(m)
		if !keyLike(k) {
			continue
		}
		idx, ok := c.exact[k]
		if !ok {
			idx = int32(len(c.entries))
			c.exact[k] = idx
			c.entries = append(c.entries, entry{key: k})
			c.maxKey = max(c.maxKey, len(k))
		}
		if e := &c.entries[idx]; !slices.Contains(e.models, m) {
			e.models = append(e.models, m)
		}
	}
	for idx, e := range c.entries {
		if len(e.key) > maxNearKey {
			continue
		}
		seen := map[string]bool{}
		deletions(e.key, maxDist(len(e.key)), func(v string) {
			if !seen[v] {
				seen[v] = true
				c.near[v] = append(c.near[v], int32(idx))
			}
		})
	}
	return c
}

// deletions calls f with s and every string made from s by deleting up to n
// bytes.
func deletions(s string, n int, f func(string)) {
	f(s)
	if n == 0 || len(s) <= 1 {
		return
	}
	for p := range len(s) {
		deletions(s[:p]+s[p+1:], n-1, f)
	}
}

// keyLike reports whether k can be a model key: ASCII letters and digits,
// with '/' or '+' inside, at least one letter and one digit, length ≥ 3.
func keyLike[S ~string | ~[]byte](k S) bool {
	if len(k) < minModelKey {
		return false
	}
	letter, digit := false, false
	for i := 0; i < len(k); i++ {
		switch c := rune(k[i]); {
		case isDigit(c):
			digit = true
		case isLetter(c):
			letter = true
		case (c == '/' || c == '+') && i > 0 && i < len(k)-1:
		default:
			return false
		}
	}
	return letter && digit
}

// link says how a run of letters and digits is joined to the next one.
type link uint8

const (
	linkNone link = iota // not joined: other text between them
	linkHard             // '-', '_', '.' or a dash: one token, "TV-55X"
	linkSoft             // white space (maybe with a dash): "TV 55X", "TV - 55X"
)

// group is one token of a message as model numbers see it: runs of ASCII
// letters and digits ('/' and '+' included between them) joined by hyphens,
// underscores, dots or dashes, "ＴＶ－５５Ｘ". Its upper-cased key without the
// separators is keys[k0:k1].
type group struct {
	start, end int // byte offsets in the text
	k0, k1     int
	soft       bool // joined to the next group by white space
	used       bool // part of an exact match
}

// groups cuts text into groups, appending to gs and their keys to keys.
func groups(text string, gs []group, keys []byte) ([]group, []byte) {
	open := false
	for i := 0; i < len(text); {
		r, n := decodeFold(text, i)
		if !isAlnum(r) {
			i += n
			continue
		}
		if !open {
			gs = append(gs, group{start: i, k0: len(keys)})
		}
		for i < len(text) {
			r, n = decodeFold(text, i)
			if r == '/' || r == '+' {
				if i+n >= len(text) {
					break
				}
				if r2, _ := decodeFold(text, i+n); !isAlnum(r2) {
					break
				}
			} else if !isAlnum(r) {
				break
			}
			if isLetter(r) {
				r &^= 0x20
			}
			keys = append(keys, byte(r))
			i += n
		}
		g := &gs[len(gs)-1]
		g.end, g.k1 = i, len(keys)
		var l link
		l, i = linkAfter(text, i)
		open = l == linkHard
		g.soft = l == linkSoft
	}
	return gs, keys
}

// linkAfter classifies the separators from i up to the next run of letters
// and digits and returns where that run starts (or where they end).
func linkAfter(text string, i int) (link, int) {
	seps, space := 0, false
	j := i
	for j < len(text) {
		r, n := decodeFold(text, j)
		if !isKeySep(r) {
			if seps == 0 || seps > 3 || !isAlnum(r) {
				return linkNone, j
			}
			if space {
				return linkSoft, j
			}
			return linkHard, j
		}
		seps++
		space = space || isSpace(r)
		j += n
	}
	return linkNone, j
}

// Models returns the catalog models in text: first the exact matches on
// ModelKey, in text order ("TV-55X", "tv 55x", "ＴＶ－５５Ｘ" and "TV 55X" are
// all exact for TV-55X; so is "TV-55Xs", a plural, its Text without the s), then the near misses, best first: tokens that look
// like a model number (letters and digits, key length ≥ 3), alone or after a
// series prefix of up to 4 letters ("TV 55Y"), within edit distance 1 of a
// key of up to 5 characters, or 2 of a longer key (Damerau: a transposition
// counts 1). For one piece of text only the closest keys are returned, all of
// them when several tie, so that the caller can ask which. A hyphenated token
// is never split: "WM-100-2" is a near miss of WM-100, not an exact match.
// Plain words and plain numbers never match ("2026" is not RF-450), nor do
// quantities and ordinals ("220V", "4K", "5th"). Safe for concurrent use.
func (c *Catalog) Models(text string) []ModelMatch { return c.matches(text, true) }

// Exact returns the catalog models text names exactly (Models without the
// near matches), from left to right.
func (c *Catalog) Exact(text string) []ModelMatch { return c.matches(text, false) }

func (c *Catalog) matches(text string, near bool) []ModelMatch {
	if len(c.entries) == 0 {
		return nil
	}
	var gbuf [32]group
	var kbuf [256]byte
	gs, keys := groups(text, gbuf[:0], kbuf[:0])
	var out []ModelMatch
	out = c.exactMatches(text, gs, keys, out)
	if !near {
		return out
	}
	nExact := len(out)
	out = c.nearMatches(text, gs, keys, out)
	slices.SortStableFunc(out[nExact:], func(a, b ModelMatch) int {
		return cmp.Or(cmp.Compare(a.Distance, b.Distance), cmp.Compare(a.Start, b.Start))
	})
	return out
}

// exactMatches appends the exact matches: the longest window of up to
// maxWindow space-joined groups, from left to right, whose key is in the
// catalog.
func (c *Catalog) exactMatches(text string, gs []group, keys []byte, out []ModelMatch) []ModelMatch {
	for g := 0; g < len(gs); g++ {
		h := g
		for h < len(gs)-1 && h-g < maxWindow-1 && gs[h].soft && gs[h+1].k1-gs[g].k0 <= c.maxKey {
			h++
		}
		for ; h >= g; h-- {
			end := gs[h].end
			idx, ok := c.exact[string(keys[gs[g].k0:gs[h].k1])]
			if !ok && plural(text, gs[g].start, end) {
				// "the WM-100s", "two SB-200s": the model, in the plural.
				idx, ok = c.exact[string(keys[gs[g].k0:gs[h].k1-1])]
				end--
			}
			if !ok {
				continue
			}
			for _, m := range c.entries[idx].models {
				out = append(out, ModelMatch{Model: m, Exact: true, Text: text[gs[g].start:end], Start: gs[g].start, End: end})
			}
			for k := g; k <= h; k++ {
				gs[k].used = true
			}
			g = h
			break
		}
	}
	return out
}

// plural reports whether text[start:end], a piece of a message that may be
// a model, ends in a plural s: a lower-case s after a digit or an upper-case
// letter ("WM-100s", "TV-55Xs"), said of a model written in capitals.
func plural(text string, start, end int) bool {
	if end-start < minModelKey+1 || text[end-1] != 's' {
		return false
	}
	b := text[end-2]
	return isDigit(rune(b)) || 'A' <= b && b <= 'Z'
}

// nearMatches appends the near misses for the groups no exact match used:
// each group alone, or after a short letters-only group and a space
// ("TV 55Y").
func (c *Catalog) nearMatches(text string, gs []group, keys []byte, out []ModelMatch) []ModelMatch {
	var scratch, bestBuf [8]hit
	for g := 0; g < len(gs); g++ {
		if gs[g].used {
			continue
		}
		best, bestH, bestD := bestBuf[:0], g, -1
		for h := g; h <= g+1 && h < len(gs) && !gs[h].used; h++ {
			if h > g && !(gs[g].soft && seriesPrefix(keys[gs[g].k0:gs[g].k1])) {
				break
			}
			hs, d := c.search(keys[gs[g].k0:gs[h].k1], scratch[:0])
			if d >= 0 && (bestD < 0 || d < bestD) {
				best = append(bestBuf[:0], hs...)
				bestD, bestH = d, h
			}
		}
		if bestD < 0 {
			continue
		}
		for _, hh := range best {
			for _, m := range c.entries[hh.idx].models {
				out = append(out, ModelMatch{Model: m, Distance: hh.dist, Text: text[gs[g].start:gs[bestH].end], Start: gs[g].start, End: gs[bestH].end})
			}
		}
		g = bestH
	}
	return out
}

// seriesPrefix reports whether a key can be the letters-only series prefix
// of a model written with a space: the "TV" of "TV 55Y".
func seriesPrefix(k []byte) bool {
	if len(k) > 4 {
		return false
	}
	for _, c := range k {
		if !isLetter(rune(c)) {
			return false
		}
	}
	return true
}

// hit is a catalog entry within reach of a piece of text.
type hit struct {
	idx  int32
	dist int
}

// search returns the entries closest to key (when it looks like a model
// number) and their distance, or -1.
func (c *Catalog) search(key []byte, hs []hit) ([]hit, int) {
	if len(key) > maxNearKey+2 || !keyLike(key) || unitLike(key) {
		return hs, -1
	}
	best := -1
	var b1, b2 [maxNearKey + 2]byte
	try := func(v []byte) {
		for _, idx := range c.near[string(v)] {
			if slices.ContainsFunc(hs, func(h hit) bool { return h.idx == idx }) {
				continue
			}
			ek := c.entries[idx].key
			d := osa(key, ek)
			if d > maxDist(len(ek)) || best >= 0 && d > best {
				continue
			}
			if d < best || best < 0 {
				hs, best = hs[:0], d
			}
			hs = append(hs, hit{idx, d})
		}
	}
	try(key)
	n := len(key)
	for p1 := range n {
		v1 := append(append(b1[:0], key[:p1]...), key[p1+1:]...)
		try(v1)
		for p2 := p1; p2 < n-1; p2++ {
			v2 := append(append(b2[:0], v1[:p2]...), v1[p2+1:]...)
			try(v2)
		}
	}
	return hs, best
}

// unitLike reports whether key is a quantity with a unit or an ordinal
// ("220V", "5KG", "3RD", "4K"), which looks like a model number but is not.
func unitLike(key []byte) bool {
	i := 0
	for i < len(key) && isDigit(rune(key[i])) {
		i++
	}
	if i == 0 {
		return false
	}
	switch string(key[i:]) {
	case "ST", "ND", "RD", "TH", "V", "W", "KW", "HZ", "MM", "CM", "M", "KG", "G", "ML", "L",
		"MAH", "GB", "TB", "MB", "K", "P", "H", "HR", "HRS", "MIN", "S", "X", "PCS", "YUAN",
		"RMB", "CNY", "AM", "PM", "D", "DAYS", "INCH", "IN":
		return true
	}
	return false
}

// osa returns the optimal-string-alignment (restricted Damerau-Levenshtein)
// distance between a and b, both at most maxNearKey+2 bytes.
func osa(a []byte, b string) int {
	const w = maxNearKey + 3
	if len(a) >= w || len(b) >= w {
		return w
	}
	var r0, r1, r2 [w]int // rows i-2, i-1, i
	for j := 0; j <= len(b); j++ {
		r1[j] = j
	}
	for i := 1; i <= len(a); i++ {
		r2[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d := min(r1[j]+1, r2[j-1]+1, r1[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d = min(d, r0[j-2]+1)
			}
			r2[j] = d
		}
		r0, r1 = r1, r2
	}
	return r1[len(b)]
}
