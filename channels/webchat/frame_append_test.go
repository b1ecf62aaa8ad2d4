package webchat

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/supportd/supportd/dialog"
)

// marshalMessageFrame is what encoding/json makes of a message frame: the
// reference appendMessageFrame must match byte for byte.
func marshalMessageFrame(t testing.TB, w wireMessage) []byte {
	b, err := json.Marshal(messageFrame{env(typeMessage), w})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestAppendMessageFrameIsMarshal(t *testing.T) {
	at := time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)
	for name, w := range map[string]wireMessage{
		"bot with choices": {Seq: 3, From: dialog.FromBot, Text: "请选择：", At: at.Add(123456789),
			Choices: []dialog.Choice{{Value: "intent:repair", Label: "报修"}, {Value: "rate:4", Label: "★★★★", Name: "4 out of 5"}}},
		"customer echo":  {Seq: 1, From: dialog.FromCustomer, Text: "my TV-55X won't turn on", At: at, ClientID: "k-1"},
		"agent by email": {Seq: 12, From: dialog.FromAgent, Text: "Hi, it's Dave.\nThe part ships Monday.", At: at, Agent: "Dave", Via: "email"},
		"input asked":    {Seq: 4, From: dialog.FromBot, Text: "Your phone number?", Input: dialog.InputTel, At: at},
		"escapes": {Seq: -1, From: dialog.FromBot, At: at.Add(time.Millisecond),
			Text: "\"quoted\" \\ back\b\f\n\r\t \x00\x01\x1f\x7f <script>&amp; \u2028\u2029 é 中文 🙂 \xff\xc3( end"},
		"empty":         {},
		"empty choices": {From: dialog.FromBot, Text: "x", Choices: []dialog.Choice{}, At: at},
	} {
		t.Run(name, func(t *testing.T) {
			want := marshalMessageFrame(t, w)
			if got := appendMessageFrame(nil, w); !bytes.Equal(got, want) {
				t.Errorf("appended\n%s\nwant (json.Marshal)\n%s", got, want)
			}
		})
	}
}

// FuzzAppendMessageFrame: any text, labels and ids encode as json.Marshal
// encodes them.
func FuzzAppendMessageFrame(f *testing.F) {
	f.Add("hello", "v", "l", "", "k1", int64(1), int64(0))
	f.Add("\x00\"<>&\u2028\xff中", "a\\b", "★", "4 out of 5", "", int64(-3), int64(1764036000123456789))
	f.Fuzz(func(t *testing.T, text, value, label, name, id string, seq, nanos int64) {
		w := wireMessage{Seq: seq, From: dialog.FromBot, Text: text, ClientID: id, At: time.Unix(0, nanos).UTC(),
			Choices: []dialog.Choice{{Value: value, Label: label, Name: name}}}
		if want, got := marshalMessageFrame(t, w), appendMessageFrame(nil, w); !bytes.Equal(got, want) {
			t.Fatalf("appended\n%q\nwant\n%q", got, want)
		}
	})
}

func BenchmarkEncodeMessage(b *testing.B) {
	w := wireMessage{Seq: 7, From: dialog.FromBot, At: time.Now().UTC(),
		Text:    "Sorry it still won't work. Could you tell me the order number or invoice number of the purchase?",
		Choices: []dialog.Choice{{Value: "yes", Label: "Yes"}, {Value: "no", Label: "No"}}}
	b.Run("marshal", func(b *testing.B) {
		for b.Loop() {
			marshalMessageFrame(b, w)
		}
	})
	b.Run("append", func(b *testing.B) {
		for b.Loop() {
			encodeMessageWire(w)
		}
	})
}
