package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/supportd/supportd/internal/fuzzy"
	"github.com/supportd/supportd/internal/problem"
	"github.com/supportd/supportd/policy"
)

// Problem is one thing wrong with a configuration.
type Problem = problem.Problem

// Error lists every problem found in a configuration; errors.Is(err,
// ErrInvalid) is true for it.
type Error = problem.List

// ErrInvalid is matched by errors.Is for every *Error.
var ErrInvalid = errors.New("invalid configuration")

// Load reads and validates the configuration file at path. An empty path
// loads the embedded default configuration.
func Load(path string) (*Config, error) {
	if path == "" {
		return Parse(DefaultName, defaultYAML, os.LookupEnv)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return Parse(path, data, os.LookupEnv)
}

// LoadOffline is Load for the commands that read what serve stored or act
// on it but never reach Slack, the mail server, a webhook or a browser
// (supportd tickets, report, chat, ...): a secret only serve uses (the Slack
// tokens and signing secret, the mail servers' username and password, the
// web chat's secret, a webhook's secret) whose environment variable is
// unset stands for a value that passes validation, so that such a command
// runs in a shell without the server's environment. Any other unset
// variable is still a problem.
func LoadOffline(path string) (*Config, error) {
	if path == "" {
		return Load(path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return parse(path, data, os.LookupEnv, true)
}

// Parse decodes and validates a configuration. name is used in messages;
// lookupEnv resolves ${VAR} references (os.LookupEnv in production).
func Parse(name string, data []byte, lookupEnv func(string) (string, bool)) (*Config, error) {
	return parse(name, data, lookupEnv, false)
}

func parse(name string, data []byte, lookupEnv func(string) (string, bool), offline bool) (*Config, error) {
	l := &loader{file: filepath.Base(name), dir: filepath.Dir(name), lines: map[string]int{}, texts: map[string]int{}, offline: offline}
	if name == DefaultName {
		l.file, l.dir = DefaultName, ""
	}
	cfg, err := l.parse(data, lookupEnv)
	if err != nil {
		return nil, err
	}
	cfg.Source = name
	return cfg, nil
}

type loader struct {
	offline bool // LoadOffline: unset secrets stand for a valid value
	file    string
	dir     string         // relative paths in the file are relative to it; "" for the embedded file
	lines   map[string]int // key path → line
	// texts are the values written as literal blocks (|), by key path: the
	// line of the block's first line of text, so that a problem inside it
	// is reported on its own line.
	texts    map[string]int
	problems []Problem
}

func (l *loader) add(path, msg string) {
	l.problems = append(l.problems, Problem{Path: path, Msg: msg, File: l.file, Line: l.lineOf(path)})
}

// addIn adds a problem found on the line-th line (0 the first) of the text
// of path: its own line in a literal block (|), else the key's.
func (l *loader) addIn(path string, line int, msg string) {
	p := Problem{Path: path, Msg: msg, File: l.file, Line: l.lineOf(path)}
	if first, ok := l.texts[path]; ok {
		p.Line = first + line
	}
	l.problems = append(l.problems, p)
}

// lineOf returns the line of path, or of its nearest ancestor that appears in
// the file (a defaulted value has no line of its own).
func (l *loader) lineOf(path string) int {
	for path != "" {
		if n, ok := l.lines[path]; ok {
			return n
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return 0
}

func (l *loader) err() error {
	if len(l.problems) == 0 {
		return nil
	}
	sort.SliceStable(l.problems, func(i, j int) bool { return l.problems[i].Line < l.problems[j].Line })
	return &Error{Problems: l.problems, Kind: ErrInvalid}
}

func (l *loader) parse(data []byte, lookupEnv func(string) (string, bool)) (*Config, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		line := 0
		if sub := lineRef.FindStringSubmatch(msg); sub != nil {
			line, _ = strconv.Atoi(sub[1])
			msg = sub[2]
		}
		if n := flowEnvRef(data); n > 0 {
			// YAML reads the braces of ${NAME} in an inline map as its own.
			line = n
			msg += `: YAML reads the braces of ${NAME} inside an inline map {…} as its own: quote a text ("${NAME}"), or write the map one key per line (a number, such as a port)`
		}
		l.problems = append(l.problems, Problem{Msg: "not valid YAML: " + msg, File: l.file, Line: line})
		return nil, l.err()
	}
	root := &yaml.Node{Kind: yaml.MappingNode}
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		root = doc.Content[0]
	}
	if root.Kind != yaml.MappingNode && !(root.Kind == yaml.ScalarNode && root.Tag == "!!null") {
		l.add("", fmt.Sprintf("line %d: the configuration must be a mapping of sections", root.Line))
		return nil, l.err()
	}
	if root.Kind == yaml.ScalarNode {
		root = &yaml.Node{Kind: yaml.MappingNode}
	}

	l.index(root, "")
	l.expandEnv(root, "", lookupEnv)
	l.checkKeys(root, reflect.TypeOf(Config{}), "")
	if len(l.problems) > 0 {
		return nil, l.err()
	}

	// The policy is decoded onto its defaults: a key left out keeps its
	// default, a key given (0 included) is the file's value.
	cfg := Config{Policy: policy.Defaults()}
	if err := root.Decode(&cfg); err != nil {
		l.addDecodeError(err)
		return nil, l.err()
	}
	if !hasKey(root, "policy") {
		if err := decodeDefaultPolicy(&cfg); err != nil {
			return nil, err
		}
		cfg.DemoPolicy = true
	}
	if _, ok := l.lines["channels.webchat.enabled"]; !ok {
		cfg.Channels.Webchat.Enabled = true // on by default, also in a file that does not mention it
	}
	cfg.applyDefaults()
	l.resolvePaths(&cfg)
	cfg.validate(l)
	if err := l.err(); err != nil {
		return nil, err
	}
	return &cfg, nil
}

func decodeDefaultPolicy(cfg *Config) error {
	var def struct {
		Policy yaml.Node `yaml:"policy"`
	}
	if err := yaml.Unmarshal(defaultYAML, &def); err != nil {
		return fmt.Errorf("embedded default configuration: %w", err)
	}
	if err := def.Policy.Decode(&cfg.Policy); err != nil {
		return fmt.Errorf("embedded default policy: %w", err)
	}
	return nil
}

func hasKey(m *yaml.Node, key string) bool {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return true
		}
	}
	return false
}

// index records the line of every key path in the document.
func (l *loader) index(n *yaml.Node, path string) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			p := join(path, n.Content[i].Value)
			l.lines[p] = n.Content[i].Line
			if v := n.Content[i+1]; v.Kind == yaml.ScalarNode && v.Style&yaml.LiteralStyle != 0 {
				l.texts[p] = v.Line + 1
			}
			l.index(n.Content[i+1], p)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			p := fmt.Sprintf("%s[%d]", path, i)
			l.lines[p] = c.Line
			l.index(c, p)
		}
	}
}

// unquotedFlowRef is an unquoted ${NAME} after the opening brace of an
// inline map on one line.
var unquotedFlowRef = regexp.MustCompile(`\{[^}#]*[:,\s]\$\{`)

// flowEnvRef returns the line (1-based) of the first unquoted ${NAME} inside
// an inline map, or 0.
func flowEnvRef(data []byte) int {
	for i, line := range strings.Split(string(data), "\n") {
		if trimmed := strings.TrimSpace(line); strings.HasPrefix(trimmed, "#") {
			continue
		}
		if unquotedFlowRef.MatchString(line) {
			return i + 1
		}
	}
	return 0
}

// secretStandIn returns a value that passes validation for the key at
// path when it is a secret only serve uses (see LoadOffline).
func secretStandIn(path string) (string, bool) {
	switch {
	case path == "channels.slack.bot_token":
		return "xoxb-unset", true
	case path == "channels.slack.app_token":
		return "xapp-unset", true
	case path == "channels.webchat.secret":
		return strings.Repeat("u", 32), true
	case path == "channels.slack.signing_secret",
		path == "channels.email.imap.username", path == "channels.email.imap.password",
		path == "channels.email.smtp.username", path == "channels.email.smtp.password",
		strings.HasPrefix(path, "webhooks[") && strings.HasSuffix(path, "].secret"):
		return "unset", true
	}
	return "", false
}

var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// expandEnv replaces ${VAR} in scalar values (never in keys) with the
// environment variable's value. An unset variable is a problem; a variable
// set to the empty string expands to "".
func (l *loader) expandEnv(n *yaml.Node, path string, lookupEnv func(string) (string, bool)) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			l.expandEnv(n.Content[i+1], join(path, n.Content[i].Value), lookupEnv)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			l.expandEnv(c, fmt.Sprintf("%s[%d]", path, i), lookupEnv)
		}
	case yaml.ScalarNode:
		if !strings.Contains(n.Value, "${") {
			return
		}
		n.Value = envRef.ReplaceAllStringFunc(n.Value, func(ref string) string {
			name := envRef.FindStringSubmatch(ref)[1]
			v, ok := lookupEnv(name)
			if !ok && l.offline {
				v, ok = secretStandIn(path)
			}
			if !ok {
				l.add(path, fmt.Sprintf("environment variable %s is not set", name))
			}
			return v
		})
		if n.Style == 0 {
			// A plain scalar: resolve the expanded value's type (a port
			// becomes a number). Quote a reference to keep it text.
			n.Tag = ""
		}
	}
}

var unmarshalerType = reflect.TypeOf((*yaml.Unmarshaler)(nil)).Elem()

// checkKeys reports every mapping key that names no field of the Go type the
// node decodes into, with a suggestion when a known key is close.
func (l *loader) checkKeys(n *yaml.Node, t reflect.Type, path string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) {
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return // the decoder reports the type mismatch
		}
		fields := yamlFields(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			key := n.Content[i].Value
			p := join(path, key)
			f, ok := fields[key]
			if !ok {
				l.add(p, "unknown key"+suggest(key, fields))
				continue
			}
			l.checkKeys(n.Content[i+1], f.Type, p)
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			l.checkKeys(n.Content[i+1], t.Elem(), join(path, n.Content[i].Value))
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return
		}
		for i, c := range n.Content {
			p := fmt.Sprintf("%s[%d]", path, i)
			if c.Kind == yaml.ScalarNode && c.ShortTag() == "!!null" {
				// The decoder would drop it from the list without a word.
				l.add(p, "empty list item: give a value or remove the line")
				continue
			}
			l.checkKeys(c, t.Elem(), p)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		l.checkWhole(n, t, path)
	}
}

// checkWhole reports a number with a fraction where a whole number goes
// (the decoder would cut 30.5 to 30) and a key given without a value.
func (l *loader) checkWhole(n *yaml.Node, t reflect.Type, path string) {
	if n.Kind != yaml.ScalarNode {
		return // the decoder reports the type mismatch
	}
	want, ok := goTypes[t.String()]
	if !ok {
		want = goTypes["int"]
	}
	switch n.ShortTag() {
	case "!!null":
		l.add(path, fmt.Sprintf("no value: want %s, or leave the key out for its default", want))
	case "!!float":
		f, err := strconv.ParseFloat(n.Value, 64)
		if t != durationType && (err != nil || f != math.Trunc(f)) { // a duration's own error comes from the decoder
			l.add(path, fmt.Sprintf("%q: want %s", n.Value, want))
		}
	}
}

var durationType = reflect.TypeOf(time.Duration(0))

func yamlFields(t reflect.Type) map[string]reflect.StructField {
	fields := map[string]reflect.StructField{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if !f.IsExported() || name == "-" || name == "" {
			continue
		}
		fields[name] = f
	}
	return fields
}

func suggest(key string, fields map[string]reflect.StructField) string {
	best, bestD := "", 3
	for name := range fields {
		if d := fuzzy.Distance(key, name); d < bestD || (d == bestD && name < best) {
			best, bestD = name, d
		}
	}
	if best != "" && bestD <= 2 {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	sort.Strings(names)
	return " (known keys: " + strings.Join(names, ", ") + ")"
}

var lineRef = regexp.MustCompile(`^line (\d+): (.*)$`)

// addDecodeError turns the decoder's "line N: ..." messages into problems
// with key paths.
func (l *loader) addDecodeError(err error) {
	var te *yaml.TypeError
	msgs := []string{err.Error()}
	if errors.As(err, &te) {
		msgs = te.Errors
	}
	for _, m := range msgs {
		m = strings.TrimPrefix(m, "yaml: ")
		sub := lineRef.FindStringSubmatch(m)
		if sub == nil {
			l.problems = append(l.problems, Problem{Msg: m, File: l.file})
			continue
		}
		line, _ := strconv.Atoi(sub[1])
		msg := sub[2]
		if inner := lineRef.FindStringSubmatch(msg); inner != nil {
			msg = inner[2] // custom unmarshalers prefix their own line
		}
		msg = plainTypeError(msg)
		l.problems = append(l.problems, Problem{Path: l.pathAt(line), Msg: msg, File: l.file, Line: line})
	}
}

// goTypes say what a configuration value of a Go type looks like.
var goTypes = map[string]string{
	"time.Duration": "a duration such as 10s or 5m", "int": "a whole number", "int64": "a whole number",
	"float64": "a number", "bool": "true or false", "string": "text", "[]string": "a list",
	"config.SavedReply": "a reply in both languages, {zh: …, en: …}",
}

var unmarshalError = regexp.MustCompile("^cannot unmarshal !!\\w+ `(.*)` into (\\S+)$")

// plainTypeError says a value of the wrong type in the operator's words:
// "cannot unmarshal !!str `ten` into time.Duration" is `"ten": want a
// duration such as 10s or 5m`.
func plainTypeError(msg string) string {
	sub := unmarshalError.FindStringSubmatch(msg)
	if sub == nil {
		return msg
	}
	want, ok := goTypes[sub[2]]
	if !ok {
		return msg
	}
	return fmt.Sprintf("%q: want %s", sub[1], want)
}

// pathAt returns the deepest key path that starts on line.
func (l *loader) pathAt(line int) string {
	best := ""
	for p, n := range l.lines {
		if n == line && len(p) > len(best) {
			best = p
		}
	}
	return best
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func joinPath(dir, name string) string { return filepath.Join(dir, name) }

// resolvePaths makes the file paths of the configuration absolute: a
// relative path written in the file is relative to the file's directory, not
// to wherever supportd was started from (a data_dir of ./data must not
// become a fresh, empty database when run from elsewhere). The default data
// directory, given in no file, is relative to the working directory.
func (l *loader) resolvePaths(c *Config) {
	_, inFile := l.lines["storage.data_dir"]
	c.Storage.DataDir = l.abs(c.Storage.DataDir, inFile)
	for _, p := range []*string{&c.Storage.Path, &c.Dialog.Texts, &c.Dialog.Knowledge} {
		if *p != "" {
			*p = l.abs(*p, true)
		}
	}
}

func (l *loader) abs(path string, inFile bool) string {
	if !filepath.IsAbs(path) && inFile && l.dir != "" {
		path = filepath.Join(l.dir, path)
	}
	return AbsPath(path)
}

// AbsPath returns path made absolute against the working directory (path
// itself if the working directory cannot be found).
func AbsPath(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}
