package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// target is a server under load.
type target struct {
	mode   string
	url    string
	echo   bool // the echo server: every frame is answered by one frame
	botkit bool // the Botkit peer: no hello; a turn is answered by botkitReplies messages
}

// botkitReplies is how many messages the Botkit peer sends for each turn of
// exchangeScript (bench/botkit/bot.js): a turn is complete, and the next may
// be sent, when they have all arrived.
var botkitReplies = []int{2, 2, 2, 2}

// botkitTicket is in the peer's last reply when the dialog filed its request.
var botkitTicket = []byte("registered as ticket")

// botkitUsers numbers the peer's visitors: one per dialog.
var botkitUsers atomic.Int64

// errFrame is an error frame where a reply was expected.
var errFrame = errors.New("error frame")

// Prefixes of the server frames (encoding/json writes the fields in order).
var (
	pMessage    = []byte(`{"v":1,"type":"message"`)
	pWelcome    = []byte(`{"v":1,"type":"welcome"`)
	pError      = []byte(`{"v":1,"type":"error"`)
	pTicket     = []byte(`{"v":1,"type":"ticket"`)
	fromBot     = []byte(`"from":"bot"`)
	unknownType = []byte(`"code":"unknown_type"`)
)

// conn is one visitor's socket. It is used by one goroutine.
type conn struct {
	t       *target
	ws      *websocket.Conn
	buf     bytes.Buffer // the frame being read
	out     []byte       // the frame being written
	needle  []byte       // "client_id":"m<k>" of the turn being answered
	seq     int          // client message ids
	tickets int          // ticket frames seen
	user    []byte       // the Botkit peer's visitor id, JSON-quoted
}

var dialer = websocket.Dialer{HandshakeTimeout: 10 * time.Second, ReadBufferSize: 1024, WriteBufferSize: 1024}

// benchAddr is the address session i claims in X-Forwarded-For: one of
// 198.18.0.0/15, the range set aside for benchmarks. It is only a header;
// the connection is to the loopback server.
func benchAddr(i int) string {
	return fmt.Sprintf("198.%d.%d.%d", 18+(i>>16&1), i>>8&255, i&255)
}

// dial opens a socket and says hello; for the gateway it waits for the
// welcome. deadline bounds every read.
func dial(ctx context.Context, t *target, i int, deadline time.Time) (*conn, error) {
	hdr := http.Header{"X-Forwarded-For": {benchAddr(i)}}
	ws, _, err := dialer.DialContext(ctx, t.url, hdr)
	if err != nil {
		return nil, fmt.Errorf("dial: %w", err)
	}
	c := &conn{t: t, ws: ws}
	_ = ws.SetReadDeadline(deadline)
	if t.botkit { // no hello in Botkit's web protocol: the visitor is named in every message
		c.user = fmt.Appendf(nil, `"u%d"`, botkitUsers.Add(1))
		return c, nil
	}
	if err := c.write(helloFrame); err != nil {
		c.close()
		return nil, err
	}
	for {
		f, err := c.read()
		if err != nil {
			c.close()
			return nil, fmt.Errorf("welcome: %w", err)
		}
		if t.echo || bytes.HasPrefix(f, pWelcome) {
			return c, nil
		}
	}
}

func (c *conn) write(frame []byte) error {
	_ = c.ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
	return c.ws.WriteMessage(websocket.TextMessage, frame)
}

// read returns the next frame (valid until the next read); an error frame
// other than the barrier's answer is errFrame.
func (c *conn) read() ([]byte, error) {
	_, r, err := c.ws.NextReader()
	if err != nil {
		return nil, err
	}
	c.buf.Reset()
	if _, err := c.buf.ReadFrom(r); err != nil {
		return nil, err
	}
	f := c.buf.Bytes()
	if c.t.echo || c.t.botkit {
		return f, nil
	}
	switch {
	case bytes.HasPrefix(f, pTicket):
		c.tickets++
	case bytes.HasPrefix(f, pError) && !bytes.Contains(f, unknownType):
		return nil, fmt.Errorf("%w: %s", errFrame, f)
	}
	return f, nil
}

// turn sends input i of the script and returns when the first bot message
// answering it has arrived (after the echo of the customer's own message;
// the typing frame and the previous turn's later replies come before).
func (c *conn) turn(fr frames, i int) error {
	if c.t.botkit {
		return c.botkitTurn(fr, i)
	}
	c.seq++
	c.out = fr.message(c.out[:0], i, c.seq)
	if err := c.write(c.out); err != nil {
		return err
	}
	c.needle = append(append(c.needle[:0], `"client_id":"m`...), strconv.Itoa(c.seq)...)
	c.needle = append(c.needle, '"')
	echoed := false
	for {
		f, err := c.read()
		if err != nil {
			return err
		}
		switch {
		case c.t.echo:
			return nil
		case !bytes.HasPrefix(f, pMessage):
		case !echoed:
			echoed = bytes.Contains(f, c.needle)
		case bytes.Contains(f, fromBot):
			return nil
		}
	}
}

// botkitTurn sends input i to the Botkit peer and returns when all its
// replies to the turn are in: Botkit does not order a visitor's messages, so
// the next may be sent only then. (Its turn time is thus send → last reply;
// the peer comparison is in dialogs/s, where this does not matter.)
func (c *conn) botkitTurn(fr frames, i int) error {
	c.out = append(c.out[:0], `{"type":"message","channel":"websocket","user":`...)
	c.out = append(c.out, c.user...)
	c.out = append(c.out, `,"text":`...)
	c.out = append(c.out, fr.texts[i]...)
	c.out = append(c.out, '}')
	if err := c.write(c.out); err != nil {
		return err
	}
	for n := 0; n < botkitReplies[i]; {
		f, err := c.read()
		if err != nil {
			return err
		}
		if bytes.HasPrefix(f, []byte(`{"type":"message"`)) {
			n++
			if bytes.Contains(f, botkitTicket) {
				c.tickets++
			}
		}
	}
	return nil
}

// finish waits for the rest of the dialog's frames (a barrier: an unknown
// frame type, refused in order after everything before it), then closes.
func (c *conn) finish() error {
	defer c.close()
	if c.t.botkit {
		return nil // botkitTurn read every reply
	}
	if err := c.write(barrierFrame); err != nil {
		return err
	}
	for {
		f, err := c.read()
		if err != nil {
			return err
		}
		if c.t.echo || (bytes.HasPrefix(f, pError) && bytes.Contains(f, unknownType)) {
			return nil
		}
	}
}

// close sends a close frame and closes the socket without waiting.
func (c *conn) close() {
	_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
	_ = c.ws.Close()
}
