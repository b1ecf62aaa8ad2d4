package memory

import (
	"encoding/binary"
	"time"

	"github.com/supportd/supportd/dialog"
)

// messageLog is one conversation's messages, oldest first, kept compactly:
// fixed-size records without pointers and one buffer holding every
// message's strings. However long a conversation grows, the garbage
// collector has three objects to mark for its messages and nothing inside
// them to scan. Only a commit changes a log, under the store's lock; bytes
// written to the buffer are never changed.
type messageLog struct {
	recs    []record
	buf     []byte
	pending int // outbound messages not delivered yet
}

// record is one message. Its strings are buf[start:end]: ClientID, Dir,
// Channel, From, User, Text, TicketID, Agent and Input, then the choices'
// values and labels, each as a uvarint length and the bytes. The ones
// searched come first.
type record struct {
	start, end  int
	at          int64 // Unix nanoseconds
	deliveredAt int64 // Unix nanoseconds, when delivered is set
	choices     int32
	delivered   bool
	out         bool // Dir is dialog.Out
}

// add appends m.
func (l *messageLog) add(m *dialog.Message) {
	start := len(l.buf)
	for _, s := range []string{m.ClientID, string(m.Dir), m.Channel, string(m.From), m.User, m.Text, m.TicketID, m.Agent, string(m.Input)} {
		l.buf = appendString(l.buf, s)
	}
	for _, ch := range m.Choices {
		l.buf = appendString(appendString(l.buf, ch.Value), ch.Label)
	}
	r := record{start: start, end: len(l.buf), at: m.At.UnixNano(), choices: int32(len(m.Choices)), out: m.Dir == dialog.Out}
	if m.DeliveredAt != nil {
		r.delivered, r.deliveredAt = true, m.DeliveredAt.UnixNano()
	}
	if r.out && !r.delivered {
		l.pending++
	}
	l.recs = append(l.recs, r)
}

// newMessageLog returns an empty log with room for n messages of size bytes
// in all.
func newMessageLog(n, size int) *messageLog {
	return &messageLog{recs: make([]record, 0, n), buf: make([]byte, 0, size)}
}

// copyFrom appends message i of o.
func (l *messageLog) copyFrom(o *messageLog, i int) {
	r := o.recs[i]
	start := len(l.buf)
	l.buf = append(l.buf, o.buf[r.start:r.end]...)
	r.start, r.end = start, len(l.buf)
	l.recs = append(l.recs, r)
	if r.out && !r.delivered {
		l.pending++
	}
}

// hasClientID reports whether a message has this client id; only an
// inbound one when in is set. A nil log has none.
func (l *messageLog) hasClientID(clientID string, in bool) bool {
	for seq := int64(1); seq <= int64(l.len()); seq++ {
		if l.is(seq, clientID, in) {
			return true
		}
	}
	return false
}

// is reports whether message seq has this client id, and is inbound when in
// is set.
func (l *messageLog) is(seq int64, clientID string, in bool) bool {
	return string(l.clientID(seq)) == clientID && (!in || string(l.dir(seq)) == string(dialog.In))
}

// deliver records the first delivery of message seq, an outbound one.
func (l *messageLog) deliver(seq int64, at time.Time) {
	r := &l.recs[seq-1]
	if r.delivered {
		return
	}
	r.delivered, r.deliveredAt = true, at.UnixNano()
	l.pending--
}

// message returns message seq of conversation id. Its strings share one
// allocation; its times are in UTC.
func (l *messageLog) message(id string, seq int64) dialog.Message {
	r := &l.recs[seq-1]
	f := fields[string]{s: string(l.buf[r.start:r.end])}
	m := dialog.Message{ConversationID: id, Seq: seq, At: time.Unix(0, r.at).UTC()}
	m.ClientID, m.Dir, m.Channel, m.From = f.next(), dialog.Direction(f.next()), f.next(), dialog.Sender(f.next())
	m.User, m.Text, m.TicketID, m.Agent, m.Input = f.next(), f.next(), f.next(), f.next(), dialog.Input(f.next())
	if r.choices > 0 {
		m.Choices = make([]dialog.Choice, r.choices)
		for i := range m.Choices {
			m.Choices[i] = dialog.Choice{Value: f.next(), Label: f.next()}
		}
	}
	if r.delivered {
		d := time.Unix(0, r.deliveredAt).UTC()
		m.DeliveredAt = &d
	}
	return m
}

// clientID returns the client id of message seq without copying it.
func (l *messageLog) clientID(seq int64) []byte {
	f := l.fields(seq)
	return f.next()
}

// dir returns the direction of message seq without copying it.
func (l *messageLog) dir(seq int64) []byte {
	f := l.fields(seq)
	f.skip(1) // ClientID
	return f.next()
}

// channel returns the channel of message seq without copying it.
func (l *messageLog) channel(seq int64) []byte {
	f := l.fields(seq)
	f.skip(2) // ClientID, Dir
	return f.next()
}

func (l *messageLog) fields(seq int64) fields[[]byte] {
	r := &l.recs[seq-1]
	return fields[[]byte]{s: l.buf[r.start:r.end]}
}

// len returns the number of messages; a nil log has none.
func (l *messageLog) len() int {
	if l == nil {
		return 0
	}
	return len(l.recs)
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// fields reads the strings of a record in order.
type fields[S string | []byte] struct {
	s S
	i int
}

func (f *fields[S]) next() S {
	var n, shift int
	for {
		b := f.s[f.i]
		f.i++
		n |= int(b&0x7f) << shift
		if b < 0x80 {
			break
		}
		shift += 7
	}
	v := f.s[f.i : f.i+n]
	f.i += n
	return v
}

func (f *fields[S]) skip(n int) {
	for range n {
		f.next()
	}
}
