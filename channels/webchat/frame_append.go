package webchat

import (
	"strconv"
	"time"
	"unicode/utf8"
)

// appendMessageFrame appends the message frame of w, the bytes json.Marshal
// gives for messageFrame{env(typeMessage), w} (TestAppendMessageFrameIsMarshal
// holds the two together). A message frame leaves with every answer, and the
// reflection of encoding/json cost a tenth of a turn's socket work.
func appendMessageFrame(b []byte, w wireMessage) []byte {
	b = append(b, `{"v":`...)
	b = strconv.AppendInt(b, version, 10)
	b = append(b, `,"type":"`+typeMessage+`","seq":`...)
	b = strconv.AppendInt(b, w.Seq, 10)
	b = append(b, `,"from":`...)
	b = appendJSONString(b, string(w.From))
	b = append(b, `,"text":`...)
	b = appendJSONString(b, w.Text)
	if len(w.Choices) > 0 {
		b = append(b, `,"choices":[`...)
		for i, c := range w.Choices {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"value":`...)
			b = appendJSONString(b, c.Value)
			b = append(b, `,"label":`...)
			b = appendJSONString(b, c.Label)
			if c.Name != "" {
				b = append(b, `,"name":`...)
				b = appendJSONString(b, c.Name)
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if w.Input != "" {
		b = append(b, `,"input":`...)
		b = appendJSONString(b, string(w.Input))
	}
	b = append(b, `,"at":"`...)
	b = w.At.AppendFormat(b, time.RFC3339Nano)
	b = append(b, '"')
	for _, f := range [...]struct{ key, v string }{{`,"agent":`, w.Agent}, {`,"client_id":`, w.ClientID}, {`,"via":`, w.Via}} {
		if f.v != "" {
			b = append(b, f.key...)
			b = appendJSONString(b, f.v)
		}
	}
	return append(b, '}')
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string escaped as encoding/json
// escapes it: quotes, backslashes and control characters; <, > and & as
// \u escapes (safe inside a script); U+2028 and U+2029, which end a line in
// JavaScript; and each invalid UTF-8 byte as U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// encodeMessageWire is w's message frame in a buffer sized for it.
func encodeMessageWire(w wireMessage) []byte {
	n := 160 + len(w.Text) + len(w.Agent) + len(w.ClientID)
	for _, c := range w.Choices {
		n += 32 + len(c.Value) + len(c.Label) + len(c.Name)
	}
	return appendMessageFrame(make([]byte, 0, n), w)
}
