package dialog

// phraseSet finds many phrases in a text in one pass, as containsAny would
// find each (a phrase starting or ending with a Latin letter only at a word
// edge): every phrase is filed under its first two bytes, so a text of n
// bytes costs n table lookups and a comparison per phrase sharing a start,
// instead of one search of the text per phrase. For lists checked on every
// message (the intents' hundreds of cues).
type phraseSet struct {
	phrases []string
	start   map[uint16][]int32   // first two bytes → indexes into phrases
	starts  [1 << 16 / 64]uint64 // the keys of start as bits: most places in a text start no phrase
	short   []int32              // phrases of one byte
}

func newPhraseSet(phrases []string) *phraseSet {
	p := &phraseSet{phrases: phrases, start: map[uint16][]int32{}}
	for i, s := range phrases {
		if len(s) == 1 {
			p.short = append(p.short, int32(i))
			continue
		}
		k := uint16(s[0])<<8 | uint16(s[1])
		p.start[k] = append(p.start[k], int32(i))
		p.starts[k/64] |= 1 << (k % 64)
	}
	return p
}

// each calls fn with the index of every phrase found in s and where, from
// left to right, until fn returns false. s is normalised (norm).
func (p *phraseSet) each(s string, fn func(phrase, at int) bool) {
	for i := 0; i < len(s); i++ {
		for _, k := range p.short {
			if s[i] == p.phrases[k][0] && wordEdge(s, i, p.phrases[k]) && !fn(int(k), i) {
				return
			}
		}
		if i+1 >= len(s) {
			break
		}
		k2 := uint16(s[i])<<8 | uint16(s[i+1])
		if p.starts[k2/64]&(1<<(k2%64)) == 0 {
			continue
		}
		for _, k := range p.start[k2] {
			ph := p.phrases[k]
			if len(s)-i >= len(ph) && s[i:i+len(ph)] == ph && wordEdge(s, i, ph) && !fn(int(k), i) {
				return
			}
		}
	}
}

// any reports whether s contains one of the phrases.
func (p *phraseSet) any(s string) bool {
	found := false
	p.each(s, func(int, int) bool { found = true; return false })
	return found
}
