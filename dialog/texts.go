package dialog

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/supportd/supportd/internal/fuzzy"
)

//go:embed texts.yaml
var defaultTexts []byte

// Texts are everything the bot says, in Chinese and English, keyed by name.
// Operators translate and reword them in a YAML file without recompiling: a
// file given in the configuration overrides the embedded texts key by key.
// Placeholders are written {name}. Safe for concurrent use.
type Texts struct {
	m map[string]Phrase
}

// Phrase is one text in both languages.
type Phrase struct {
	Zh string `yaml:"zh"`
	En string `yaml:"en"`
}

var placeholder = regexp.MustCompile(`\{([a-z_]+)\}`)

// DefaultTextsYAML returns the embedded texts file, a starting point for an
// operator's own (dialog.texts).
func DefaultTextsYAML() []byte { return bytes.Clone(defaultTexts) }

// DefaultTexts returns the embedded texts.
func DefaultTexts() *Texts {
	t, err := parseTexts("texts.yaml", defaultTexts, nil)
	if err != nil {
		panic(fmt.Sprintf("embedded texts: %v", err)) // guarded by a test
	}
	return t
}

// LoadTexts reads a texts file that overrides the embedded texts. Unknown
// keys (with the closest known one), a key listed twice, a missing or blank
// language, a malformed placeholder ({Name}, {user name}) and placeholders
// the embedded text does not have are errors, each with its line.
func LoadTexts(path string) (*Texts, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read texts: %w", err)
	}
	return parseTexts(filepath.Base(path), data, DefaultTexts())
}

func parseTexts(name string, data []byte, base *Texts) (*Texts, error) {
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: not valid YAML: %w", name, err)
	}
	t := &Texts{m: map[string]Phrase{}}
	if base != nil {
		for k, v := range base.m {
			t.m[k] = v
		}
	}
	if len(doc.Content) == 0 {
		return t, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s:%d: want a mapping of text names to {zh, en}", name, root.Line)
	}
	var problems []string
	bad := func(k *yaml.Node, format string, args ...any) {
		problems = append(problems, fmt.Sprintf("%s: %s (%s:%d)", k.Value, fmt.Sprintf(format, args...), name, k.Line))
	}
	first := map[string]int{} // key → its line
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if line, dup := first[k.Value]; dup {
			bad(k, "listed twice (first at line %d): remove one", line)
			continue
		}
		first[k.Value] = k.Line
		if base != nil && !base.Has(k.Value) {
			problems = append(problems, fmt.Sprintf("%s: unknown text (%s:%d)%s", k.Value, name, k.Line, base.suggest(k.Value)))
			continue
		}
		var p Phrase
		if err := decodePhrase(v, &p); err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v (%s:%d)", k.Value, err, name, v.Line))
			continue
		}
		if p.Zh == "" || p.En == "" {
			bad(k, "needs both zh and en")
			continue
		}
		if lang := blankLang(p); lang != "" {
			bad(k, "the %s text is only spaces: the customer would see an empty message", lang)
			continue
		}
		if m := malformedPlaceholder(p); m != "" {
			bad(k, "malformed placeholder %s: a placeholder is lower-case letters and _ in braces, such as {model}", m)
			continue
		}
		if base != nil {
			if extra, known := extraPlaceholders(base.m[k.Value], p); extra != "" {
				bad(k, "unknown placeholder {%s}%s", extra, placeholderHint(extra, known))
				continue
			}
		}
		t.m[k.Value] = p
	}
	if len(problems) > 0 {
		return nil, errors.New(strings.Join(problems, "\n"))
	}
	return t, nil
}

// suggest names the known text closest to an unknown key, or "".
func (t *Texts) suggest(key string) string {
	best, bestD := "", 3
	for _, k := range t.Keys() {
		if d := fuzzy.Distance(key, k); d < bestD {
			best, bestD = k, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}

// blankLang returns the language of p whose text is only white space, or "".
func blankLang(p Phrase) string {
	switch {
	case strings.TrimSpace(p.Zh) == "":
		return "zh"
	case strings.TrimSpace(p.En) == "":
		return "en"
	}
	return ""
}

// braced is anything in braces; a placeholder is the braced text that
// matches placeholder.
var braced = regexp.MustCompile(`\{[^{}\n]*\}`)

// malformedPlaceholder returns the first braced text of p that is not a
// placeholder ("{Name}", "{user name}", "{}"), or "": it would be shown to
// the customer as written.
func malformedPlaceholder(p Phrase) string {
	for _, s := range []string{p.Zh, p.En} {
		for _, m := range braced.FindAllString(s, -1) {
			if !placeholder.MatchString(m) {
				return m
			}
		}
	}
	return ""
}

// decodePhrase decodes {zh, en}, rejecting any other key.
func decodePhrase(n *yaml.Node, p *Phrase) error {
	if n.Kind != yaml.MappingNode {
		return errors.New("want {zh: ..., en: ...}")
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		switch n.Content[i].Value {
		case "zh", "en":
		default:
			return fmt.Errorf("unknown key %q (want zh, en)", n.Content[i].Value)
		}
	}
	return n.Decode(p)
}

// extraPlaceholders returns the first placeholder of p that the embedded
// text base does not have ("" when none), and those it has, sorted.
func extraPlaceholders(base, p Phrase) (string, []string) {
	known := map[string]bool{}
	for _, m := range placeholder.FindAllStringSubmatch(base.Zh+base.En, -1) {
		known[m[1]] = true
	}
	for _, m := range placeholder.FindAllStringSubmatch(p.Zh+p.En, -1) {
		if !known[m[1]] {
			return m[1], slices.Sorted(maps.Keys(known))
		}
	}
	return "", nil
}

// placeholderHint says which placeholders the text has: the one meant
// when one is a typo away from extra ("{open}": did you mean {opens}?),
// else the list.
func placeholderHint(extra string, known []string) string {
	if len(known) == 0 {
		return ": this text takes none"
	}
	best, dist := "", 3
	for _, k := range known {
		if d := fuzzy.Distance(extra, k); d < dist {
			best, dist = k, d
		}
	}
	if best != "" {
		return fmt.Sprintf(" (did you mean {%s}?)", best)
	}
	return ": this text takes {" + strings.Join(known, "}, {") + "}"
}

// Has reports whether key is a known text.
func (t *Texts) Has(key string) bool { _, ok := t.m[key]; return ok }

// Keys returns every key, sorted.
func (t *Texts) Keys() []string {
	out := make([]string, 0, len(t.m))
	for k := range t.m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Format returns the text key in lang with its placeholders replaced by
// kv pairs ("model", "TV-55X", ...). An unknown key yields the key itself,
// so that a missing text is visible rather than silent.
func (t *Texts) Format(lang, key string, kv ...string) string {
	p, ok := t.m[key]
	if !ok {
		return strings.Clone(key) // a copy: callers may build key on the stack
	}
	s := p.En
	if lang == "zh" {
		s = p.Zh
	}
	if len(kv) == 0 || !strings.Contains(s, "{") {
		return s
	}
	n := len(s)
	for i := 1; i < len(kv); i += 2 {
		n += len(kv[i])
	}
	var b strings.Builder
	b.Grow(n)
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			break
		}
		name := placeholderAt(s[i:])
		if name == "" {
			b.WriteString(s[:i+1])
			s = s[i+1:]
			continue
		}
		lit, v := s[:i], lookupKV(kv, name, s[i:i+len(name)+2])
		s = s[i+len(name)+2:]
		if lang == "zh" {
			lit, s = unspaced(lit, v, s)
		}
		b.WriteString(lit)
		b.WriteString(v)
	}
	b.WriteString(s)
	return b.String()
}

// unspaced drops the spaces a Chinese text puts between a value filled in
// and the Chinese words around it: "您希望 {day} 上门" with "周末" reads
// "您希望周末上门", "确认 {day} 上门" with "12月7日（周一）" reads "确认
// 12月7日（周一）上门" (a space stays beside digits and Latin letters, and
// between two values). before and after are the text around the value.
func unspaced(before, v, after string) (string, string) {
	if v == "" {
		return before, after
	}
	first, _ := utf8.DecodeRuneInString(v)
	last, _ := utf8.DecodeLastRuneInString(v)
	if l := len(before); l >= 2 && before[l-1] == ' ' && chineseRune(first) {
		if r, _ := utf8.DecodeLastRuneInString(before[:l-1]); chineseRune(r) {
			before = before[:l-1]
		}
	}
	if len(after) >= 2 && after[0] == ' ' && chineseRune(last) {
		if r, _ := utf8.DecodeRuneInString(after[1:]); chineseRune(r) {
			after = after[1:]
		}
	}
	return before, after
}

// chineseRune reports whether r is a Chinese character or full-width
// punctuation (（）、，：).
func chineseRune(r rune) bool {
	return unicode.Is(unicode.Han, r) || r >= 0x3000 && r <= 0x303f || r >= 0xff00 && r <= 0xffef
}

// placeholderAt returns the name of the placeholder s starts with ("{model}"
// gives "model"), or "" when it starts with none.
func placeholderAt(s string) string {
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == '}' && i > 1:
			return s[1:i]
		case c >= 'a' && c <= 'z', c == '_':
		default:
			return ""
		}
	}
	return ""
}

// lookupKV returns the value of name in kv pairs, or def.
func lookupKV(kv []string, name, def string) string {
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i] == name {
			return kv[i+1]
		}
	}
	return def
}
