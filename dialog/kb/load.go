package kb

import (
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/policy"
)

// DefaultName is the file name that problems in the embedded knowledge base
// are reported with.
const DefaultName = "default.yaml"

//go:embed default.yaml
var defaultYAML []byte

// DefaultYAML returns the embedded knowledge base file, a starting point for
// an operator's own. Its answers state the policy's numbers as placeholders
// ({exchange_days}).
func DefaultYAML() []byte { return slices.Clone(defaultYAML) }

var loadEmbedded = sync.OnceValue(func() *KB {
	kb, err := Load(DefaultName, defaultYAML)
	if err != nil {
		panic("kb: the embedded knowledge base is invalid:\n" + err.Error())
	}
	return kb
})

var loadDefault = sync.OnceValue(func() *KB {
	cfg, err := config.Load("")
	if err != nil {
		panic("kb: the embedded configuration is invalid:\n" + err.Error())
	}
	return Embedded().ForPolicy(&cfg.Policy)
})

// Embedded returns the embedded knowledge base as written, its placeholders
// not filled: ForPolicy fills them with the policy the gateway runs on. It is
// loaded once and shared. It panics only if the embedded file is invalid,
// which the package's tests rule out.
func Embedded() *KB { return loadEmbedded() }

// Default returns the embedded knowledge base for the demo company: its
// placeholders filled with the demo policy of the embedded configuration. It
// is loaded once and shared.
func Default() *KB { return loadDefault() }

// LoadFile reads and loads the knowledge base file at path.
func LoadFile(path string) (*KB, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read knowledge base: %w", err)
	}
	return Load(path, data)
}

// Load decodes, validates and indexes a knowledge base file. name (a path or
// a file name) is used in messages, by its base name. Every problem is
// reported, with its key path and line, in an *Error that matches ErrInvalid.
func Load(name string, data []byte) (*KB, error) {
	l := &loader{file: filepath.Base(name)}
	f := l.decode(data)
	var kb *KB
	if f != nil {
		kb = l.build(f)
	}
	if err := l.err(); err != nil {
		return nil, err
	}
	return kb, nil
}

// The file as decoded, with the place of every text for messages.
type (
	rawFile struct {
		entries         []rawEntry
		troubleshooting map[string][]Step
		models          map[string]string // policy.ModelKey of a troubleshooting key → the key
		keyLines        map[string]int    // troubleshooting key → its line
		synonyms        []rawSynonym
	}
	rawEntry struct {
		entry     *Entry
		path      string
		idLine    int
		questions [2][]located // zh, en
		keywords  [2][]located
	}
	located struct {
		text, path string
		line       int
	}
	rawSynonym struct {
		from, to, path string
		line           int
	}
)

var langs = [2]string{"zh", "en"}

type loader struct {
	file     string
	problems []Problem
}

func (l *loader) add(path string, line int, format string, args ...any) {
	l.problems = append(l.problems, Problem{Path: path, Msg: fmt.Sprintf(format, args...), File: l.file, Line: line})
}

func (l *loader) err() error {
	if len(l.problems) == 0 {
		return nil
	}
	slices.SortStableFunc(l.problems, func(a, b Problem) int { return a.Line - b.Line })
	return &Error{Problems: l.problems, Kind: ErrInvalid}
}

var lineRef = regexp.MustCompile(`^line (\d+): (.*)$`)

// decode parses the YAML and walks the document, reporting every key that
// is unknown, missing or of the wrong shape.
func (l *loader) decode(data []byte) *rawFile {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		line := 0
		if m := lineRef.FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = m[2]
		}
		l.add("", line, "not valid YAML: %s", msg)
		return nil
	}
	var root *yaml.Node
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		root = doc.Content[0]
	}
	if root == nil || isNull(root) {
		l.add("", 0, "the knowledge base is empty: it needs at least a faq list")
		return nil
	}
	fs, ok := l.fields(root, "", root.Line, "must be a mapping with faq, troubleshooting and synonyms",
		"faq", "troubleshooting", "synonyms")
	if !ok {
		return nil
	}
	f := &rawFile{troubleshooting: map[string][]Step{}, models: map[string]string{}, keyLines: map[string]int{}}
	if faq, ok := fs["faq"]; !ok || isNull(faq.val) {
		l.add("faq", 1, "required: the list of questions and answers")
	} else if l.kind(faq.val, "faq", yaml.SequenceNode, "must be a list of entries") {
		if len(faq.val.Content) == 0 {
			l.add("faq", faq.key.Line, "must have at least one entry")
		}
		for i, n := range faq.val.Content {
			if e, ok := l.entry(n, fmt.Sprintf("faq[%d]", i)); ok {
				f.entries = append(f.entries, e)
			}
		}
	}
	if ts, ok := fs["troubleshooting"]; ok && !isNull(ts.val) {
		l.troubleshooting(ts.val, f)
	}
	if syn, ok := fs["synonyms"]; ok && !isNull(syn.val) {
		l.synonyms(syn.val, f)
	}
	return f
}

var idPattern = regexp.MustCompile(`^[a-z0-9]+([-_][a-z0-9]+)*$`)

func (l *loader) entry(n *yaml.Node, path string) (rawEntry, bool) {
	fs, ok := l.fields(n, path, n.Line, "must be a mapping with id, questions, keywords and answer",
		"id", "questions", "keywords", "answer")
	if !ok {
		return rawEntry{}, false
	}
	e := rawEntry{entry: &Entry{}, path: path, idLine: n.Line}
	if id, ok := l.requiredText(fs, "id", path, n.Line); ok {
		e.idLine = fs["id"].key.Line
		if !idPattern.MatchString(id) {
			l.add(path+".id", e.idLine, "%q: use lower-case letters, digits, - and _", id)
		}
		e.entry.ID = id
	}
	e.questions = l.phrasings(fs, "questions", path, n.Line, true)
	e.keywords = l.phrasings(fs, "keywords", path, n.Line, false)
	e.entry.Questions = Phrasings{ZH: texts(e.questions[0]), EN: texts(e.questions[1])}
	e.entry.Keywords = Phrasings{ZH: texts(e.keywords[0]), EN: texts(e.keywords[1])}
	e.entry.Answer = l.bilingual(fs, "answer", path, n.Line)
	return e, true
}

// phrasings decodes {zh: [...], en: [...]} under key. When required, both
// languages need at least one phrasing.
func (l *loader) phrasings(parent map[string]field, key, path string, line int, required bool) (out [2][]located) {
	path += "." + key
	f, ok := parent[key]
	if !ok || isNull(f.val) {
		if required {
			l.add(path, line, "required: phrasings in zh and en")
		}
		return out
	}
	fs, ok := l.fields(f.val, path, f.key.Line, "must be a mapping with zh and en lists", langs[:]...)
	if !ok {
		return out
	}
	for li, lang := range langs {
		p := path + "." + lang
		lf, ok := fs[lang]
		if !ok || isNull(lf.val) {
			if required {
				l.add(p, f.key.Line, "required")
			}
			continue
		}
		if !l.kind(lf.val, p, yaml.SequenceNode, "must be a list of phrasings") {
			continue
		}
		if len(lf.val.Content) == 0 && required {
			l.add(p, lf.key.Line, "must have at least one phrasing")
		}
		for i, n := range lf.val.Content {
			ip := fmt.Sprintf("%s[%d]", p, i)
			if s, ok := l.text(n, ip); ok {
				if s == "" {
					l.add(ip, n.Line, "empty phrasing")
					continue
				}
				out[li] = append(out[li], located{s, ip, n.Line})
			}
		}
	}
	return out
}

// bilingual decodes {zh: text, en: text} under key; both are required.
func (l *loader) bilingual(parent map[string]field, key, path string, line int) Bilingual {
	path += "." + key
	f, ok := parent[key]
	if !ok || isNull(f.val) {
		l.add(path, line, "required: a text in zh and en")
		return Bilingual{}
	}
	return l.pair(f.val, path, f.key.Line)
}

func (l *loader) pair(n *yaml.Node, path string, line int) Bilingual {
	fs, ok := l.fields(n, path, line, "must be a mapping with zh and en texts", langs[:]...)
	if !ok {
		return Bilingual{}
	}
	zh, _ := l.requiredText(fs, "zh", path, line)
	en, _ := l.requiredText(fs, "en", path, line)
	for _, lang := range langs {
		if f, ok := fs[lang]; ok {
			l.checkPlaceholders(pick(lang, zh, en), join(path, lang), f.val.Line)
		}
	}
	return Bilingual{ZH: zh, EN: en}
}

// troubleshootingKey is a category id (home-electronics) or a model as the
// catalog writes it (WP-8, TV 55X).
var troubleshootingKey = regexp.MustCompile(`^[A-Za-z0-9]+([-_. ][A-Za-z0-9]+)*$`)

func (l *loader) troubleshooting(n *yaml.Node, f *rawFile) {
	fs, ok := l.fields(n, "troubleshooting", n.Line, "must be a mapping of category id or model to steps")
	if !ok {
		return
	}
	for _, key := range sortedKeys(fs) {
		c := fs[key]
		p := "troubleshooting." + key
		f.keyLines[key] = c.key.Line
		if !troubleshootingKey.MatchString(key) {
			l.add(p, c.key.Line, "%q: use a category id (lower-case letters, digits, - and _) or a model (letters, digits, -, _, . and spaces)", key)
		} else if prev, dup := f.models[policy.ModelKey(key)]; dup {
			l.add(p, c.key.Line, "the same model as %s (line %d): models are compared without case, spaces, - _ and .", prev, f.keyLines[prev])
		} else {
			f.models[policy.ModelKey(key)] = key
		}
		if isNull(c.val) || !l.kind(c.val, p, yaml.SequenceNode, "must be a list of steps") {
			if isNull(c.val) {
				l.add(p, c.key.Line, "must have at least one step")
			}
			continue
		}
		if len(c.val.Content) == 0 {
			l.add(p, c.key.Line, "must have at least one step")
		}
		steps := []Step{}
		for i, s := range c.val.Content {
			steps = append(steps, l.step(s, fmt.Sprintf("%s[%d]", p, i)))
		}
		f.troubleshooting[key] = steps
	}
}

// step reads one troubleshooting step: its text in zh and en and, when the
// step is for some symptoms only, their words in when.
func (l *loader) step(n *yaml.Node, path string) Step {
	fs, ok := l.fields(n, path, n.Line, "must be a mapping with zh and en texts (and when)", "zh", "en", "when")
	if !ok {
		return Step{}
	}
	var s Step
	s.ZH, _ = l.requiredText(fs, "zh", path, n.Line)
	s.EN, _ = l.requiredText(fs, "en", path, n.Line)
	for _, lang := range langs {
		if f, ok := fs[lang]; ok {
			l.checkPlaceholders(pick(lang, s.ZH, s.EN), join(path, lang), f.val.Line)
		}
	}
	if _, ok := fs["when"]; ok {
		w := l.phrasings(fs, "when", path, n.Line, true)
		s.When = &Phrasings{ZH: texts(w[0]), EN: texts(w[1])}
		s.match = matchWords(s.When)
	}
	return s
}

func (l *loader) synonyms(n *yaml.Node, f *rawFile) {
	fs, ok := l.fields(n, "synonyms", n.Line, "must be a mapping with zh and en", langs[:]...)
	if !ok {
		return
	}
	for _, lang := range langs {
		lf, ok := fs[lang]
		if !ok || isNull(lf.val) {
			continue
		}
		p := "synonyms." + lang
		m, ok := l.fields(lf.val, p, lf.key.Line, "must be a mapping of phrase to canonical form")
		if !ok {
			continue
		}
		for _, from := range sortedKeys(m) {
			kv := m[from]
			sp := p + "." + from
			to, ok := l.text(kv.val, sp)
			if !ok {
				continue
			}
			if to == "" {
				l.add(sp, kv.key.Line, "required: the canonical form")
				continue
			}
			f.synonyms = append(f.synonyms, rawSynonym{from, to, sp, kv.key.Line})
		}
	}
}

// field is one key and its value in a mapping.
type field struct{ key, val *yaml.Node }

// fields returns the pairs of mapping n by key. With known keys, any other
// key is reported as unknown. Duplicate keys are reported. It returns false
// (and reports want) when n is not a mapping.
func (l *loader) fields(n *yaml.Node, path string, line int, want string, known ...string) (map[string]field, bool) {
	if !l.kind(n, path, yaml.MappingNode, want) {
		return nil, false
	}
	fs := make(map[string]field, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		p := join(path, k.Value)
		if k.Kind != yaml.ScalarNode {
			l.add(path, k.Line, "keys must be plain text")
			continue
		}
		if prev, dup := fs[k.Value]; dup {
			l.add(p, k.Line, "duplicate key (first at line %d)", prev.key.Line)
			continue
		}
		if len(known) > 0 && !slices.Contains(known, k.Value) {
			l.add(p, k.Line, "unknown key%s", suggest(k.Value, known))
			continue
		}
		fs[k.Value] = field{k, v}
	}
	return fs, true
}

// kind reports whether n has kind k, and reports want when it does not.
func (l *loader) kind(n *yaml.Node, path string, k yaml.Kind, want string) bool {
	switch {
	case n.Kind == yaml.AliasNode:
		l.add(path, n.Line, "aliases (*%s) are not supported: write the value out", n.Value)
		return false
	case n.Kind != k:
		l.add(path, n.Line, "%s", want)
		return false
	}
	return true
}

// text returns the trimmed text of a scalar ("" for null); it reports
// anything else.
func (l *loader) text(n *yaml.Node, path string) (string, bool) {
	if isNull(n) {
		return "", true
	}
	if !l.kind(n, path, yaml.ScalarNode, "must be a text") {
		return "", false
	}
	return strings.TrimSpace(n.Value), true
}

func (l *loader) requiredText(fs map[string]field, key, path string, line int) (string, bool) {
	p := join(path, key)
	f, ok := fs[key]
	if !ok {
		l.add(p, line, "required")
		return "", false
	}
	s, ok := l.text(f.val, p)
	if ok && s == "" {
		l.add(p, f.key.Line, "required")
		return "", false
	}
	return s, ok
}

func isNull(n *yaml.Node) bool {
	return n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null")
}

func texts(ls []located) []string {
	out := make([]string, len(ls))
	for i, x := range ls {
		out[i] = x.text
	}
	return out
}

func sortedKeys(m map[string]field) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	// In file order: by line, then by column (a flow mapping is one line).
	slices.SortFunc(keys, func(a, b string) int {
		ka, kb := m[a].key, m[b].key
		if ka.Line != kb.Line {
			return ka.Line - kb.Line
		}
		return ka.Column - kb.Column
	})
	return keys
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func suggest(key string, known []string) string {
	for _, k := range known {
		if d := editDistance(key, k); d <= 2 && 2*d < len(key) {
			return fmt.Sprintf(" (did you mean %q?)", k)
		}
	}
	return " (known keys: " + strings.Join(known, ", ") + ")"
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// msgNoWords is the problem of a phrasing or keyword that tokenises to
// nothing.
const msgNoWords = `has no searchable words (only punctuation or words like "the", "请问")`
