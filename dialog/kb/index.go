package kb

import (
	"math"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// Retrieval parameters, calibrated on the embedded knowledge base with the
// held-out questions of the tests (TestHeldOutAccuracy, TestNoAnswer).
const (
	// unigramWeight is the weight of a single Chinese character relative to
	// a bigram or a word: enough to survive a typo in one character of a
	// two-character word, too little to match on one shared character.
	unigramWeight = 0.3
	// dfSmoothing is added to every document frequency, so that a bigram
	// that only one phrasing has (often one across a word boundary, "门冰"
	// in "对开门冰箱") does not outweigh the words many phrasings share.
	dfSmoothing = 3
	// A query token that no phrasing has weighs as much as one that a single
	// phrasing has (an unknown word means the question is about something
	// else), times these factors for a Chinese bigram, which is often just a
	// new pairing of known characters, and for one across a word boundary
	// (see markJunk).
	unknownBigram = 0.75
	unknownJunk   = 0.35
	// typoWeight is the weight of an English word corrected to a known word
	// one edit away.
	typoWeight = 0.8
	// keywordBoost is the share of the distance to a perfect score that an
	// entry gains when its keywords cover the whole question.
	keywordBoost = 0.3
	// minTypoLen is the shortest unknown word that is corrected ("mcuh").
	minTypoLen = 4
)

func kindWeight(k uint8) float64 {
	if k == kindUnigram {
		return unigramWeight
	}
	return 1
}

// index is the precomputed search structure: one unit TF-IDF vector per
// phrasing (a "document"), stored as postings per token.
type index struct {
	rep     *replacer
	vocab   map[string]int32 // token → id
	words   []string         // id → token
	idf     []float64        // per token id
	df      []int32          // per token id
	post    [][]posting      // per token id: the phrasings that have it
	kwPost  [][]int32        // per token id: the entries with it as a keyword
	deletes map[string][]int32
	docs    []doc
	span    [][2]int32 // per entry: its docs are docs[span[0]:span[1]]
	unkIDF  float64
	scratch sync.Pool // *scratch
}

type posting struct {
	doc int32
	w   float64 // the token's weight in the unit vector of the phrasing
}

type doc struct {
	entry int32
	zh    bool
	text  string  // as written in the file
	topic []int32 // its topic tokens: words and bigrams that are not questionForm
}

type scratch struct {
	dotC, dotL []float64 // per doc: dot product with the Chinese and Latin parts
	kw         []float64 // per entry: squared query weight its keywords cover
	touched    []uint64  // per doc, a bit: its dot products are not zero
	toks       []token
	terms      []term
	hits       []hit
}

// plainWords are English words (stemmed) that a question may use about any
// topic: unknown to the knowledge base, they do not make a question
// off-topic (see Answer), as "gift" in "do you sell gift cards?" does.
var plainWords = stemmedSet(
	"help", "real", "actual", "file", "prove", "need", "want", "know", "make", "find", "give",
	"take", "tell", "ask", "see", "look", "mean", "right", "sure", "still", "again", "thing",
	"something", "anything", "someone", "somebody", "anyone", "anybody", "way", "possible",
	"able", "exactly", "quick", "quickly", "soon", "usual", "usually", "normal", "normally",
	"okay", "fine", "much", "many", "more", "less", "other", "else", "same", "different",
)

func stemmedSet(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[stem(w)] = true
	}
	return m
}

// term is one distinct token of a query, with its weight.
type term struct {
	id    int32 // -1 when unknown
	w     float64
	latin bool
	// word is an unknown English word, uncorrected, neither a plain word
	// nor one with digits; else "".
	word string
}

// docTokens is a phrasing tokenised, with its source for error messages.
type docTokens struct {
	entry int
	zh    bool
	text  string
	toks  []token
}

// buildIndex indexes the tokenised phrasings (grouped by entry, in entry
// order) and the keywords of each entry.
func buildIndex(rep *replacer, nEntries int, docsIn []docTokens, keywords [][]token) *index {
	ix := &index{rep: rep, vocab: map[string]int32{}, span: make([][2]int32, nEntries)}
	id := func(s string) int32 {
		if i, ok := ix.vocab[s]; ok {
			return i
		}
		i := int32(len(ix.df))
		ix.vocab[s] = i
		ix.words = append(ix.words, s)
		ix.df = append(ix.df, 0)
		return i
	}
	type tf struct {
		id   int32
		kind uint8
		n    int
	}
	vecs := make([][]tf, len(docsIn))
	for d, dt := range docsIn {
		for _, t := range dt.toks {
			i := id(t.s)
			if k := slices.IndexFunc(vecs[d], func(x tf) bool { return x.id == i }); k >= 0 {
				vecs[d][k].n++
				continue
			}
			vecs[d] = append(vecs[d], tf{i, t.kind, 1})
			ix.df[i]++
		}
	}
	for _, toks := range keywords {
		for _, t := range toks {
			id(t.s)
		}
	}
	n := float64(len(docsIn))
	ix.idf = make([]float64, len(ix.df))
	for i, df := range ix.df {
		ix.idf[i] = math.Log(1 + n/(max(float64(df), 1)+dfSmoothing))
	}
	ix.unkIDF = math.Log(1 + n/(1+dfSmoothing))
	ix.post = make([][]posting, len(ix.df))
	ix.kwPost = make([][]int32, len(ix.df))
	for e, toks := range keywords {
		for _, t := range toks {
			if i := ix.vocab[t.s]; !slices.Contains(ix.kwPost[i], int32(e)) {
				ix.kwPost[i] = append(ix.kwPost[i], int32(e))
			}
		}
	}
	for d, vec := range vecs {
		var norm float64
		ws := make([]float64, len(vec))
		for k, t := range vec {
			ws[k] = kindWeight(t.kind) * (1 + math.Log(float64(t.n))) * ix.idf[t.id]
			norm += ws[k] * ws[k]
		}
		norm = math.Sqrt(norm)
		for k, t := range vec {
			ix.post[t.id] = append(ix.post[t.id], posting{int32(d), ws[k] / norm})
		}
		e := docsIn[d].entry
		if ix.span[e][1] == 0 {
			ix.span[e][0] = int32(d)
		}
		ix.span[e][1] = int32(d + 1)
		var topic []int32
		for _, t := range vec {
			if w := ix.words[t.id]; t.kind != kindUnigram && !questionForm[w] && !hedges[w] {
				topic = append(topic, t.id)
			}
		}
		ix.docs = append(ix.docs, doc{int32(e), docsIn[d].zh, docsIn[d].text, topic})
	}
	ix.buildDeletes()
	ix.scratch.New = func() any {
		return &scratch{
			dotC:    make([]float64, len(ix.docs)),
			dotL:    make([]float64, len(ix.docs)),
			kw:      make([]float64, nEntries),
			touched: make([]uint64, (len(ix.docs)+63)/64),
		}
	}
	return ix
}

// buildDeletes indexes every known English word of four letters or more
// under each form with one letter deleted, to correct typos: an unknown word
// is one edit (insertion, deletion, substitution or transposition of
// neighbours) from a known word when the two share a form.
func (ix *index) buildDeletes() {
	ix.deletes = map[string][]int32{}
	for w, i := range ix.vocab {
		if !typoCandidate(w, 4) {
			continue
		}
		for k := range len(w) {
			del := w[:k] + w[k+1:]
			if !slices.Contains(ix.deletes[del], i) {
				ix.deletes[del] = append(ix.deletes[del], i)
			}
		}
	}
}

func typoCandidate(w string, minLen int) bool {
	if len(w) < minLen {
		return false
	}
	for i := 0; i < len(w); i++ {
		if c := w[i]; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// correct returns the known word one edit from w with the highest document
// frequency (ties: the first in byte order), or -1.
func (ix *index) correct(w string) int32 {
	if !typoCandidate(w, minTypoLen) {
		return -1
	}
	best := int32(-1)
	better := func(i int32) {
		if best < 0 || ix.df[i] > ix.df[best] || (ix.df[i] == ix.df[best] && ix.words[i] < ix.words[best]) {
			best = i
		}
	}
	for _, i := range ix.deletes[w] { // w lacks a letter
		better(i)
	}
	var buf [64]byte
	for k := range len(w) {
		if len(w) > len(buf) {
			break
		}
		del := append(append(buf[:0], w[:k]...), w[k+1:]...)
		if i, ok := ix.vocab[string(del)]; ok && len(del) >= 4 { // w has an extra letter
			better(i)
		}
		for _, i := range ix.deletes[string(del)] { // a letter differs, or two are swapped
			better(i)
		}
	}
	return best
}

// terms turns a query into weighted distinct terms, and returns the squared
// norms of its Chinese and Latin parts.
func (ix *index) terms(norm string, sc *scratch) (terms []term, c2, l2 float64) {
	toks := tokenize(ix.rep.apply(norm), sc.toks[:0])
	sc.toks = toks
	ix.markJunk(toks)
	slices.SortFunc(toks, func(a, b token) int { return strings.Compare(a.s, b.s) })
	terms = sc.terms[:0]
	for i := 0; i < len(toks); {
		j := i + 1
		for j < len(toks) && toks[j].s == toks[i].s {
			j++
		}
		t := toks[i]
		w := kindWeight(t.kind) * (1 + math.Log(float64(j-i)))
		id, ok := ix.vocab[t.s]
		word := ""
		switch {
		case ok:
			w *= ix.idf[id]
		case t.kind == kindWord:
			if id = ix.correct(t.s); id >= 0 {
				w *= typoWeight * ix.idf[id]
				break
			}
			fallthrough
		default:
			id = -1
			if t.kind == kindWord && !plainWords[t.s] && !strings.ContainsAny(t.s, "0123456789") {
				word = t.s
			}
			switch {
			case t.junk:
				w *= ix.unkIDF * unknownJunk
			case t.kind == kindBigram:
				w *= ix.unkIDF * unknownBigram
			default:
				w *= ix.unkIDF
			}
		}
		terms = append(terms, term{id, w, t.latin(), word})
		if t.latin() {
			l2 += w * w
		} else {
			c2 += w * w
		}
		i = j
	}
	sc.terms = terms
	return terms, c2, l2
}

// markJunk marks the unknown Chinese bigrams that overlap a known bigram
// next to them ("般保" in "一般保修"): they straddle a word boundary, while an
// unknown bigram that overlaps none ("空调") is likely a word the knowledge
// base does not know. toks is in text order.
func (ix *index) markJunk(toks []token) {
	prev := -1 // index of the previous bigram
	for i := range toks {
		if toks[i].kind != kindBigram {
			continue
		}
		if prev >= 0 && overlaps(toks[prev].s, toks[i].s) {
			a, b := &toks[prev], &toks[i]
			_, aKnown := ix.vocab[a.s]
			_, bKnown := ix.vocab[b.s]
			if aKnown && !bKnown {
				b.junk = true
			}
			if bKnown && !aKnown {
				a.junk = true
			}
		}
		prev = i
	}
}

// overlaps reports whether bigram b starts with the last character of a.
func overlaps(a, b string) bool {
	_, n := utf8.DecodeLastRuneInString(a)
	return strings.HasPrefix(b, a[len(a)-n:])
}

// topicShared returns how many of the query terms are topic tokens of
// phrasing d, and one of the unknown English words of the query ("" when
// none; see term.word).
func (ix *index) topicShared(terms []term, d int32) (shared int, word string) {
	topic := ix.docs[d].topic
	for _, t := range terms {
		switch {
		case t.id >= 0 && slices.Contains(topic, t.id):
			shared++
		case t.id < 0 && t.word != "":
			word = t.word
		}
	}
	return shared, word
}

// unknownModifier returns a Chinese word no phrasing has that the query
// norm puts right before a topic token of phrasing d, as its modifier: the
// query is about that kind of it ("有学生优惠吗" asks about a student
// discount, not the discounts "现在有优惠吗" is about). The word is an unknown
// bigram that is no junk (see markJunk), then the junk bigram across the
// boundary, then the topic bigram; not a misspelling of the phrasing's
// word there ("保秀期多久" for "保修期多久": the phrasing has the same first
// character two before the topic bigram). "" when there is none.
func (ix *index) unknownModifier(norm string, d int32) string {
	var bi []token // the bigrams, in order
	for _, t := range tokenize(ix.rep.apply(norm), nil) {
		if t.kind == kindBigram {
			bi = append(bi, t)
		}
	}
	ix.markJunk(bi)
	topic := ix.docs[d].topic
	for i := 2; i < len(bi); i++ {
		id, ok := ix.vocab[bi[i].s]
		if !ok || !slices.Contains(topic, id) {
			continue
		}
		a, b := bi[i-2], bi[i-1]
		if _, known := ix.vocab[a.s]; !known && !a.junk && b.junk && overlaps(a.s, b.s) && overlaps(b.s, bi[i].s) &&
			!misspelt(ix.docs[d].text, a.s, bi[i].s) {
			return a.s
		}
	}
	return ""
}

// misspelt reports whether phrasing has the first character of word two
// characters before topic, where the query has word: the same word with
// its second character mistyped.
func misspelt(phrasing, word, topic string) bool {
	first, _ := utf8.DecodeRuneInString(word)
	p := []rune(phrasing)
	t := []rune(topic)
	for i := 2; i+len(t) <= len(p); i++ {
		if p[i-2] == first && string(p[i:i+len(t)]) == topic {
			return true
		}
	}
	return false
}
