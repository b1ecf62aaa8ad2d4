package kb

import (
	"slices"
	"strings"
)

// build checks what spans entries (duplicate ids and phrasings, synonyms)
// and indexes the file.
func (l *loader) build(f *rawFile) *KB {
	rep := l.replacer(f.synonyms)
	ids := map[string]int{}
	entries := make([]*Entry, 0, len(f.entries))
	var docs []docTokens
	keywords := make([][]token, 0, len(f.entries))
	type seenAt struct {
		entry int
		at    located
	}
	seen := map[string]seenAt{} // bag of words → first phrasing with it
	for ei, re := range f.entries {
		if id := re.entry.ID; id != "" {
			if line, dup := ids[id]; dup {
				l.add(re.path+".id", re.idLine, "duplicate id %q (first at line %d)", id, line)
			} else {
				ids[id] = re.idLine
			}
		}
		entries = append(entries, re.entry)
		for li := range langs {
			for _, q := range re.questions[li] {
				toks := tokenize(rep.apply(normalize(q.text)), nil)
				if len(toks) == 0 {
					l.add(q.path, q.line, msgNoWords)
					continue
				}
				key := bagKey(toks)
				if prev, ok := seen[key]; ok {
					if prev.entry != ei {
						l.add(q.path, q.line, "has the same words as %s (line %d) of another entry", prev.at.path, prev.at.line)
					}
					continue // the same words twice in one entry add nothing
				}
				seen[key] = seenAt{ei, q}
				docs = append(docs, docTokens{entry: ei, zh: li == 0, text: q.text, toks: toks})
			}
		}
		var kw []token
		for li := range langs {
			for _, k := range re.keywords[li] {
				toks := tokenize(rep.apply(normalize(k.text)), nil)
				if len(toks) == 0 {
					l.add(k.path, k.line, msgNoWords)
				}
				kw = append(kw, toks...)
			}
		}
		keywords = append(keywords, kw)
	}
	if len(l.problems) > 0 {
		return nil
	}
	return &KB{
		entries:         entries,
		troubleshooting: f.troubleshooting,
		models:          f.models,
		file:            l.file,
		keyLines:        f.keyLines,
		idx:             buildIndex(rep, len(entries), docs, keywords),
	}
}

// bagKey identifies a phrasing by its words, in any order.
func bagKey(toks []token) string {
	ss := make([]string, len(toks))
	for i, t := range toks {
		ss[i] = t.s
	}
	slices.Sort(ss)
	return strings.Join(ss, "\x00")
}

// replacer checks the synonyms and builds the replacer from them and the
// built-in fillers.
func (l *loader) replacer(syns []rawSynonym) *replacer {
	m := map[string]string{}
	at := map[string]rawSynonym{}
	for _, s := range syns {
		from := strings.TrimSpace(normalize(s.from))
		to := strings.TrimSpace(normalize(s.to))
		switch {
		case from == "":
			l.add(s.path, s.line, "the phrase has no letters or digits")
			continue
		case to == "":
			l.add(s.path, s.line, "the canonical form %q has no letters or digits", s.to)
			continue
		case from == to:
			l.add(s.path, s.line, "maps to itself")
			continue
		}
		if prev, dup := at[from]; dup {
			l.add(s.path, s.line, "duplicate synonym (first at %s, line %d)", prev.path, prev.line)
			continue
		}
		at[from] = s
		m[from] = to
	}
	for _, s := range syns {
		to := strings.TrimSpace(normalize(s.to))
		if next, chained := at[to]; chained {
			l.add(s.path, s.line, "the canonical form %q is itself replaced (at %s): map to %q",
				s.to, next.path, strings.TrimSpace(normalize(next.to)))
		}
	}
	return newReplacer(m, fillers)
}
