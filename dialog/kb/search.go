package kb

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
)

// Match is one entry found by Search.
type Match struct {
	Entry *Entry
	// Score is the entry's similarity to the question, in (0, 1]: 1 when a
	// phrasing has the same words.
	Score float64
	// Phrasing is the example phrasing of the entry closest to the question,
	// as written in the file.
	Phrasing string
}

// Search returns the entries that share at least one token with text, best
// first (equal scores in file order).
//
// An entry's score is the cosine similarity between the question's TF-IDF
// vector and that of its closest phrasing, in either language. For a
// question that mixes Chinese and English ("洗衣机warranty几年"), the Chinese
// and the Latin parts may each match a different phrasing of the entry, and
// the entry scores the better of the two ways: (|c|·bestC + |l|·bestL) / |q|²,
// where c and l are the two parts of the query vector q and bestC, bestL the
// largest dot products of each part with a phrasing's unit vector. When the
// entry's keywords cover a share k of the question's squared weight, the
// score gains 0.3·k·(1 − score).
//
// lang ("zh" or "en") does not restrict the search; it picks the phrasing
// reported when phrasings in both languages score the same.
func (kb *KB) Search(text, lang string) []Match {
	sc := kb.idx.scratch.Get().(*scratch)
	defer kb.idx.scratch.Put(sc)
	hits := kb.rank(normalize(text), lang, sc)
	if len(hits) == 0 {
		return nil
	}
	out := make([]Match, len(hits))
	for i, h := range hits {
		out[i] = Match{Entry: kb.entries[h.entry], Score: h.score, Phrasing: kb.idx.docs[h.doc].text}
	}
	return out
}

// The Answer rule, calibrated on the embedded knowledge base (see the tests
// for the measured accuracy and rejections).
const (
	// AnswerMinScore is the lowest score of an entry that Answer returns.
	AnswerMinScore = 0.35
	// AnswerMinMargin is by how much the entry must lead the runner-up.
	AnswerMinMargin = 0.05
)

// Answer returns the entry that answers text, when it is confident:
//
//   - the best entry of Search scores at least AnswerMinScore, and
//   - it leads the runner-up by at least AnswerMinMargin, and
//   - the question shares a topic token with the entry's closest phrasing:
//     a word or a Chinese bigram other than question forms such as 多少,
//     多久, "how long" ("空调多少钱" shares only 多少钱 with "检测费多少钱"),
//     and, when it shares only one, it has no English word the knowledge
//     base does not know (after typo correction; words with digits aside):
//     such a word is what the question is about ("do you sell gift cards?"
//     shares only "card" with "do I need the warranty card"), nor, in
//     Chinese, a word no phrasing has right before the shared word, unless
//     it misspells the phrasing's word there ("有学生优惠吗" shares only 优惠
//     with "现在有优惠吗": it asks about a student discount), and

//   - text is a question rather than a request or a report: a message with a
//     request or fault cue ("我要", "I want", "坏了", "not working") and no
//     question cue ("吗", "怎么", "?", "how", "can I") is left to the dialog's
//     intents ("我的洗衣机不转了", "I want to return my TV"), however close an
//     entry is.
//
// Otherwise it returns false, and the dialog asks with the top choices of
// Search or hands off.
func (kb *KB) Answer(text, lang string) (*Entry, bool) {
	sc := kb.idx.scratch.Get().(*scratch)
	defer kb.idx.scratch.Put(sc)
	hits, why, _ := kb.decide(text, lang, sc)
	if why != answered {
		return nil, false
	}
	return kb.entries[hits[0].entry], true
}

// Why Answer gives no answer (answered: it gives one).
const (
	answered = iota
	noMatch
	lowScore
	lowMargin
	noTopic
	unknownWord
	request
)

// decide applies the Answer rule: it returns the ranked hits, why there is
// no answer (answered when there is: hits[0]), and for unknownWord the
// word.
func (kb *KB) decide(text, lang string, sc *scratch) (hits []hit, why int, word string) {
	norm := normalize(text)
	hits = kb.rank(norm, lang, sc)
	switch {
	case len(hits) == 0:
		return hits, noMatch, ""
	case hits[0].score < AnswerMinScore:
		return hits, lowScore, ""
	case len(hits) > 1 && hits[0].score-hits[1].score < AnswerMinMargin:
		return hits, lowMargin, ""
	}
	shared, word := kb.idx.topicShared(sc.terms, hits[0].doc)
	switch {
	case shared == 0:
		return hits, noTopic, ""
	case shared == 1 && word != "":
		return hits, unknownWord, word
	case shared == 1 && kb.idx.unknownModifier(norm, hits[0].doc) != "":
		return hits, unknownWord, kb.idx.unknownModifier(norm, hits[0].doc)
	case isRequest(text, norm):
		return hits, request, ""
	}
	return hits, answered, ""
}

// Verdict is what Answer decides for a question, and why: for an operator
// checking a knowledge base (`supportd kb ask`).
type Verdict struct {
	Entry  *Entry  // the entry Answer returns; nil when it returns none
	Reason string  // why it returns none; "" when it returns one
	Top    []Match // the best entries of Search, at most three
}

// Explain returns what Answer decides for text, with the reason and the
// closest entries.
func (kb *KB) Explain(text, lang string) Verdict {
	sc := kb.idx.scratch.Get().(*scratch)
	defer kb.idx.scratch.Put(sc)
	hits, why, word := kb.decide(text, lang, sc)
	var v Verdict
	for _, h := range hits[:min(len(hits), 3)] {
		v.Top = append(v.Top, Match{Entry: kb.entries[h.entry], Score: h.score, Phrasing: kb.idx.docs[h.doc].text})
	}
	switch why {
	case answered:
		v.Entry = v.Top[0].Entry
	case noMatch:
		v.Reason = "no phrasing shares a word with it"
	case lowScore:
		v.Reason = fmt.Sprintf("the closest entry scores %.2f, under %.2f", hits[0].score, AnswerMinScore)
	case lowMargin:
		v.Reason = fmt.Sprintf("the two closest entries score %.2f and %.2f, less than %.2f apart", hits[0].score, hits[1].score, AnswerMinMargin)
	case noTopic:
		v.Reason = "it shares only question words (how long, 多少…) with the closest phrasing"
	case unknownWord:
		v.Reason = fmt.Sprintf("it shares one word with the closest phrasing and says %q, which no phrasing has: add a phrasing with it if the entry answers such questions", word)
	case request:
		v.Reason = "it reads as a request or a fault report, which the dialog's journeys take"
	}
	return v
}

// hit is an entry found, with its closest phrasing.
type hit struct {
	entry, doc int32
	score      float64
}

// rank scores the entries against norm (the output of normalize) and returns
// those with a positive score, best first, in sc.hits. sc.terms holds the
// query's terms afterwards. Only the phrasings that share a token with the
// question are visited: a question touches a fraction of them.
func (kb *KB) rank(norm, lang string, sc *scratch) []hit {
	ix := kb.idx
	terms, c2, l2 := ix.terms(norm, sc)
	hits := sc.hits[:0]
	defer func() { sc.hits = hits }()
	q2 := c2 + l2
	if q2 == 0 {
		return hits
	}
	// sc.touched marks the phrasings with a dot product; they are visited in
	// file order, so an entry's phrasings come together.
	for _, t := range terms {
		if t.id < 0 {
			continue
		}
		dot := sc.dotC
		if t.latin {
			dot = sc.dotL
		}
		for _, p := range ix.post[t.id] {
			dot[p.doc] += t.w * p.w
			sc.touched[p.doc/64] |= 1 << (p.doc % 64)
		}
		for _, e := range ix.kwPost[t.id] {
			sc.kw[e] += t.w * t.w
		}
	}
	qn, cn, ln := math.Sqrt(q2), math.Sqrt(c2), math.Sqrt(l2)
	zh := isZH(lang)
	e := int32(-1) // the entry being scored
	best, bestDoc, bestC, bestL := 0.0, int32(-1), 0.0, 0.0
	score := func() {
		if bestDoc < 0 {
			return
		}
		s := max(best/qn, (cn*bestC+ln*bestL)/q2)
		s += keywordBoost * (1 - min(s, 1)) * min(sc.kw[e]/q2, 1)
		hits = append(hits, hit{e, bestDoc, min(s, 1)})
	}
	for w, word := range sc.touched {
		sc.touched[w] = 0
		for ; word != 0; word &= word - 1 {
			d := int32(w*64 + bits.TrailingZeros64(word))
			if ix.docs[d].entry != e {
				score()
				e, best, bestDoc, bestC, bestL = ix.docs[d].entry, 0, -1, 0, 0
			}
			c, l := sc.dotC[d], sc.dotL[d]
			if c == 0 && l == 0 {
				continue
			}
			sc.dotC[d], sc.dotL[d] = 0, 0
			bestC, bestL = max(bestC, c), max(bestL, l)
			if s := c + l; s > best || (s == best && ix.docs[d].zh == zh && ix.docs[bestDoc].zh != zh) {
				best, bestDoc = s, d
			}
		}
	}
	score()
	for _, t := range terms {
		if t.id >= 0 {
			for _, e := range ix.kwPost[t.id] {
				sc.kw[e] = 0
			}
		}
	}
	slices.SortStableFunc(hits, func(a, b hit) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return 0
	})
	return hits
}
