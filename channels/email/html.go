package email

import (
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
)

// sanitizer is the policy HTML bodies pass before anything else reads them:
// scripts, event handlers, styles and unknown elements are removed.
var sanitizer = bluemonday.UGCPolicy()

// blockElements end a line when converting HTML to text.
var blockElements = map[string]bool{
	"p": true, "div": true, "br": true, "li": true, "tr": true, "table": true, "ul": true, "ol": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "blockquote": true, "pre": true, "hr": true,
}

// htmlToText sanitises an HTML body with bluemonday, then keeps its text:
// block elements become line breaks, entities are decoded. The result is
// plain text, never markup.
func htmlToText(s string) string {
	safe := sanitizer.Sanitize(s)
	z := html.NewTokenizer(strings.NewReader(safe))
	var b strings.Builder
	quote := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return tidyText(b.String())
		case html.TextToken:
			t := strings.Join(strings.Fields(string(z.Text())), " ")
			if t != "" {
				if quote > 0 && endsLine(&b) {
					b.WriteString("> ")
				}
				b.WriteString(t)
				b.WriteByte(' ')
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			if string(name) == "blockquote" {
				quote++
			}
			if blockElements[string(name)] {
				b.WriteByte('\n')
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if string(name) == "blockquote" && quote > 0 {
				quote--
			}
			if blockElements[string(name)] {
				b.WriteByte('\n')
			}
		}
	}
}

func endsLine(b *strings.Builder) bool {
	s := b.String()
	return s == "" || strings.HasSuffix(s, "\n")
}

// tidyText trims every line and keeps at most one blank line in a row.
func tidyText(s string) string {
	var out []string
	blank := false
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			if !blank && len(out) > 0 {
				out = append(out, "")
			}
			blank = true
			continue
		}
		blank = false
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}
