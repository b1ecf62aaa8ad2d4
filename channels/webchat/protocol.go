package webchat

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/ticketing"
)

// version is the protocol version of docs/webchat-protocol.md.
const version = 1

// Client frame types.
const (
	typeHello      = "hello"
	typeMessage    = "message"
	typeChoice     = "choice"
	typeAttachment = "attachment"
	typeTyping     = "typing"
)

// Error codes of the error frame.
const (
	codeBadFrame          = "bad_frame"
	codeUnsupported       = "unsupported_version"
	codeUnknownType       = "unknown_type"
	codeHelloFirst        = "hello_first"
	codeBadMessage        = "bad_message"
	codeUnknownAttachment = "unknown_attachment"
	codeRateLimited       = "rate_limited"
	codeInternal          = "internal"
)

// Field limits, in characters (runes).
const (
	maxID    = 64
	maxText  = 4000
	maxValue = 200
	maxLabel = 200
)

// inFrame is any client frame; which fields count depends on Type.
type inFrame struct {
	V      json.RawMessage `json:"v"`
	Type   string          `json:"type"`
	Token  string          `json:"token"`
	Locale string          `json:"locale"`
	ID     string          `json:"id"`
	Text   string          `json:"text"`
	Value  string          `json:"value"`
	Label  string          `json:"label"`
	Ref    string          `json:"ref"`
}

// frameError is a refused frame: the error frame's code and message.
type frameError struct {
	Code, Msg string
	ID        string // the client message id, when the frame had one
}

func (e *frameError) Error() string { return e.Code + ": " + e.Msg }

func refuse(code, msg string) *frameError { return &frameError{Code: code, Msg: msg} }

// decodeFrame parses a client frame and checks its envelope and fields.
// hello tells whether the connection has said hello already.
func decodeFrame(data []byte, hello bool) (*inFrame, *frameError) {
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, refuse(codeBadFrame, "a frame must be a JSON object")
	}
	var f inFrame
	if err := json.Unmarshal(data, &f); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return nil, refuse(codeBadFrame, "field "+te.Field+" has the wrong type")
		}
		return nil, refuse(codeBadFrame, "not valid JSON")
	}
	if !isVersion(f.V) {
		return nil, refuse(codeUnsupported, `this server speaks protocol version 1 ("v": 1)`)
	}
	switch f.Type {
	case typeHello, typeMessage, typeChoice, typeAttachment, typeTyping:
	default:
		return nil, refuse(codeUnknownType, "unknown frame type")
	}
	if !hello && f.Type != typeHello {
		return nil, refuse(codeHelloFirst, "send hello first")
	}
	if err := f.check(hello); err != nil {
		return nil, err
	}
	return &f, nil
}

// isVersion reports whether v is a JSON number equal to the protocol
// version: 1, 1.0 and 1e0 are; "1", true and 2 are not.
func isVersion(v json.RawMessage) bool {
	v = bytes.TrimSpace(v)
	if len(v) == 0 || (v[0] != '-' && (v[0] < '0' || v[0] > '9')) {
		return false // not a number (a string, a literal, missing)
	}
	n, err := strconv.ParseFloat(string(v), 64)
	return err == nil && n == version
}

// check validates the fields of a frame whose type is known.
func (f *inFrame) check(hello bool) *frameError {
	bad := func(msg string) *frameError { return &frameError{Code: codeBadMessage, Msg: msg, ID: f.ID} }
	switch f.Type {
	case typeHello:
		if hello {
			return refuse(codeBadFrame, "hello was received already")
		}
		if f.Locale != "" && f.Locale != "zh" && f.Locale != "en" {
			f.Locale = "" // an unknown locale is a hint we cannot use
		}
		return nil
	case typeTyping:
		return nil
	}
	if n := utf8.RuneCountInString(f.ID); n < 1 || n > maxID {
		return bad("id must be 1 to 64 characters")
	}
	if !utf8.ValidString(f.Text + f.Label + f.Value) {
		return bad("text is not valid UTF-8")
	}
	f.Text, f.Label, f.Value = stripControls(f.Text), stripControls(f.Label), stripControls(f.Value)
	switch f.Type {
	case typeMessage:
		if strings.TrimSpace(f.Text) == "" {
			return bad("text is empty")
		}
		if utf8.RuneCountInString(f.Text) > maxText {
			return bad("text is longer than 4000 characters")
		}
	case typeChoice:
		if n := utf8.RuneCountInString(strings.TrimSpace(f.Value)); n < 1 || n > maxValue {
			return bad("value must be 1 to 200 characters")
		}
		if utf8.RuneCountInString(f.Label) > maxLabel {
			return bad("label is longer than 200 characters")
		}
	case typeAttachment:
		if !validRef(f.Ref) {
			return &frameError{Code: codeUnknownAttachment, Msg: "no such upload", ID: f.ID}
		}
		if utf8.RuneCountInString(f.Text) > maxText {
			return bad("text is longer than 4000 characters")
		}
	}
	return nil
}

// stripControls removes the control characters that plain text has no use
// for and that would reach Slack, mail and the store: C0 controls other than
// tab and line feed (NUL, BEL, ESC…) and DEL. A carriage return ends a line:
// CR LF and a lone CR become LF. s is valid UTF-8.
func stripControls(s string) string {
	if strings.IndexFunc(s, isStripped) < 0 {
		return s
	}
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	return strings.Map(func(r rune) rune {
		if isStripped(r) {
			return -1
		}
		return r
	}, s)
}

func isStripped(r rune) bool { return (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f }

// Server frames. Every frame carries "v" and "type".

type envelope struct {
	V    int    `json:"v"`
	Type string `json:"type"`
}

// wireMessage is one message of the conversation, in history and in message
// frames.
type wireMessage struct {
	Seq      int64           `json:"seq"`
	From     dialog.Sender   `json:"from"`
	Text     string          `json:"text"`
	Choices  []dialog.Choice `json:"choices,omitempty"`
	Input    dialog.Input    `json:"input,omitempty"`
	At       time.Time       `json:"at"`
	Agent    string          `json:"agent,omitempty"`
	ClientID string          `json:"client_id,omitempty"`
	Via      string          `json:"via,omitempty"` // "email": the reply went out by mail while the visitor was away
}

func toWire(m dialog.Message) wireMessage {
	w := wireMessage{Seq: m.Seq, From: m.From, Text: m.Text, Choices: m.Choices, Input: m.Input, At: m.At.UTC(), Agent: m.Agent}
	if m.From == dialog.FromCustomer {
		w.ClientID = m.ClientID
	}
	return w
}

type business struct {
	Open     bool       `json:"open"`
	NextOpen *time.Time `json:"next_open,omitempty"`
}

type welcomeFrame struct {
	envelope
	Token          string        `json:"token"`
	ConversationID string        `json:"conversation_id"`
	Lang           string        `json:"lang"`
	Business       *business     `json:"business,omitempty"`
	History        []wireMessage `json:"history"`
}

// messageFrame is the shape of a message frame; appendMessageFrame writes
// it without reflection.
type messageFrame struct {
	envelope
	wireMessage
}

type typingFrame struct {
	envelope
	From dialog.Sender `json:"from"`
}

type ticketFrame struct {
	envelope
	ID     string              `json:"id"`
	Kind   ticketing.Kind      `json:"kind"`
	Status ticketing.Status    `json:"status"`
	Due    ticketing.Deadlines `json:"due"`
}

type errorFrame struct {
	envelope
	Code    string `json:"code"`
	Message string `json:"message"`
	ID      string `json:"id,omitempty"`
}

func env(typ string) envelope { return envelope{V: version, Type: typ} }

// encode marshals a server frame. Server frames are plain structs of
// strings, numbers and times, which always encode.
func encode(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		return []byte(`{"v":1,"type":"error","code":"internal","message":"the server could not encode a frame"}`)
	}
	return b
}

func encodeMessage(m dialog.Message) []byte {
	return encodeMessageWire(toWire(m))
}

func encodeTicket(t *ticketing.Ticket) []byte {
	return encode(ticketFrame{envelope: env("ticket"), ID: t.ID, Kind: t.Kind, Status: t.Status, Due: t.Due})
}

func encodeError(e *frameError) []byte {
	return encode(errorFrame{envelope: env("error"), Code: e.Code, Message: e.Msg, ID: e.ID})
}
