package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"

	"github.com/supportd/supportd/dialog/kb"
)

// kbCmd lets an operator check the knowledge base of a configuration:
// `kb ask` says what it answers to questions, and why not when it does not;
// `kb test` runs a file of questions with the entry each must get.
func kbCmd(_ context.Context, e env, args []string) error {
	if len(args) == 0 || args[0] != "ask" && args[0] != "test" {
		return fmt.Errorf("%w: want 'kb ask QUESTION...' or 'kb test FILE'", errUsage)
	}
	fs := newFlags("kb " + args[0])
	cfgPath := fs.String("config", "", "configuration file (default: embedded)")
	lang := fs.String("lang", "", "zh or en (default: zh for a question with Chinese characters, else en)")
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	if *lang != "" && *lang != "zh" && *lang != "en" {
		return fmt.Errorf("%w: --lang %q: want zh or en", errUsage, *lang)
	}
	if args[0] == "test" {
		if err := wantArgs(pos, 1, 1, "the file of questions (kb test questions.yaml)"); err != nil {
			return err
		}
	} else if len(pos) == 0 {
		return fmt.Errorf("%w: kb ask: give the questions as arguments", errUsage)
	}
	cfg, err := loadOffline(*cfgPath, "")
	if err != nil {
		return err
	}
	know, err := knowledgeBase(cfg)
	if err != nil {
		return err
	}
	if args[0] == "test" {
		which := cfg.Dialog.Knowledge
		if which == "" {
			which = "the embedded knowledge base"
		}
		return kbTest(e.stdout, know, which, pos[0], *lang)
	}
	for i, q := range pos {
		if i > 0 {
			fmt.Fprintln(e.stdout)
		}
		l := questionLang(q, *lang)
		v := know.Explain(q, l)
		fmt.Fprintf(e.stdout, "%q\n", q)
		if v.Entry != nil {
			fmt.Fprintf(e.stdout, "  answer: %s (%.2f, closest phrasing %q)\n", v.Entry.ID, v.Top[0].Score, v.Top[0].Phrasing)
			fmt.Fprintf(e.stdout, "  %s\n", v.Entry.Text(l))
		} else {
			fmt.Fprintf(e.stdout, "  no answer: %s\n", v.Reason)
		}
		if len(v.Top) > 0 {
			fmt.Fprintf(e.stdout, "  closest: %s\n", closest(v.Top))
		}
	}
	return nil
}

// closest lists the entries of a search with their scores and phrasings.
func closest(ms []kb.Match) string {
	var parts []string
	for _, m := range ms {
		parts = append(parts, fmt.Sprintf("%s %.2f (%q)", m.Entry.ID, m.Score, m.Phrasing))
	}
	return strings.Join(parts, ", ")
}

// questionLang is lang, or the language the question is written in.
func questionLang(q, lang string) string {
	if lang != "" {
		return lang
	}
	for _, r := range q {
		if unicode.Is(unicode.Han, r) {
			return "zh"
		}
	}
	return "en"
}

// kbQuestion is one question of a `kb test` file.
type kbQuestion struct {
	Text string `yaml:"text"`
	Want string `yaml:"want"` // an entry id, or "none"
	Lang string `yaml:"lang"` // optional
	line int
}

// readKBQuestions reads a `kb test` file: a list of {text, want, lang}.
// Every problem is reported at once, with its line.
func readKBQuestions(path string, know *kb.KB, which string) ([]kbQuestion, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read questions: %w", err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("%s: want a list of questions, each {text: ..., want: ENTRY_ID or none}", path)
	}
	var qs []kbQuestion
	var problems []string
	unknown := false // a want that is no entry
	for i, n := range doc.Content[0].Content {
		var q kbQuestion
		dec := yaml.NewDecoder(bytes.NewReader(mustMarshal(n)))
		dec.KnownFields(true)
		if err := dec.Decode(&q); err != nil && !errors.Is(err, io.EOF) {
			problems = append(problems, fmt.Sprintf("[%d]: %v (%s:%d)", i, unwrapYAML(err), path, n.Line))
			continue
		}
		q.line = n.Line
		switch {
		case strings.TrimSpace(q.Text) == "":
			problems = append(problems, fmt.Sprintf("[%d].text: required (%s:%d)", i, path, n.Line))
		case q.Want == "":
			problems = append(problems, fmt.Sprintf("[%d].want: required: an entry id, or none (%s:%d)", i, path, n.Line))
		case q.Lang != "" && q.Lang != "zh" && q.Lang != "en":
			problems = append(problems, fmt.Sprintf("[%d].lang: %q: want zh or en (%s:%d)", i, q.Lang, path, n.Line))
		default:
			if _, ok := know.Entry(q.Want); !ok && q.Want != "none" {
				problems = append(problems, fmt.Sprintf("[%d].want: %q is no entry of %s (%s:%d)", i, q.Want, which, path, n.Line))
				unknown = true
				continue
			}
			qs = append(qs, q)
		}
	}
	if unknown && which == "the embedded knowledge base" {
		problems = append(problems, "(to test your own knowledge base, give the configuration that names it: --config FILE)")
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%s:\n  %s", path, strings.Join(problems, "\n  "))
	}
	if len(qs) == 0 {
		return nil, fmt.Errorf("%s: no questions", path)
	}
	return qs, nil
}

func mustMarshal(n *yaml.Node) []byte {
	b, err := yaml.Marshal(n)
	if err != nil {
		panic(err) // a node yaml parsed always marshals
	}
	return b
}

// unwrapYAML drops the "yaml: unmarshal errors:" heading and the line
// numbers of a re-encoded node, which are not the file's.
func unwrapYAML(err error) string {
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		s := te.Errors[0]
		if _, after, ok := strings.Cut(s, ": "); ok && strings.HasPrefix(s, "line ") {
			s = after
		}
		if key, ok := strings.CutPrefix(s, "field "); ok {
			if key, _, ok := strings.Cut(key, " not found"); ok {
				return fmt.Sprintf("unknown key %q: the keys are text, want and lang", key)
			}
		}
		return s
	}
	return err.Error()
}

// kbTest runs the questions of path against know and prints each that does
// not get its entry, then the tally. It fails when one does not.
// which names the knowledge base in an error.
func kbTest(w io.Writer, know *kb.KB, which, path, lang string) error {
	qs, err := readKBQuestions(path, know, which)
	if err != nil {
		return err
	}
	right, wrong, missed := 0, 0, 0
	for _, q := range qs {
		l := lang
		if q.Lang != "" {
			l = q.Lang
		}
		v := know.Explain(q.Text, questionLang(q.Text, l))
		got := "none"
		if v.Entry != nil {
			got = v.Entry.ID
		}
		switch {
		case got == q.Want:
			right++
			continue
		case v.Entry != nil:
			wrong++
			fmt.Fprintf(w, "wrong  %s:%d %q: answered %s, want %s\n", path, q.line, q.Text, got, q.Want)
		default:
			missed++
			fmt.Fprintf(w, "none   %s:%d %q: no answer, want %s: %s\n", path, q.line, q.Text, q.Want, v.Reason)
		}
		if len(v.Top) > 0 {
			fmt.Fprintf(w, "       closest: %s\n", closest(v.Top))
		}
	}
	fmt.Fprintf(w, "%d questions: %d right, %d answered wrongly, %d not answered\n", len(qs), right, wrong, missed)
	if wrong+missed > 0 {
		return fmt.Errorf("%d of %d questions did not get the entry they want", wrong+missed, len(qs))
	}
	return nil
}
