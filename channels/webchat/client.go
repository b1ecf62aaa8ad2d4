package webchat

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"golang.org/x/time/rate"
)

// client is one open socket. Its reader goroutine (readLoop) owns the read
// side and the conversation state; its writer goroutine (writeLoop) owns the
// write side and closes the connection. Anyone may queue a frame (enqueue) or
// end the socket (kill).
type client struct {
	c    *Channel
	conn *websocket.Conn
	addr string // the per-address key

	send       chan []byte   // frames to write, bounded
	done       chan struct{} // closed by kill
	readerDone chan struct{} // closed when readLoop returns
	once       sync.Once
	code       int    // the close code, set by kill before done is closed
	reason     string // the close reason

	connLimit *rate.Limiter // this socket's messages
	addrLimit *rate.Limiter // shared by the address's sockets

	// Owned by the reader goroutine.
	visitor string
	lang    string
	room    *room // nil until hello

	// Guarded by room.mu.
	cursor  int64            // the last message seq queued to this socket
	tickets map[string]int64 // ticket id → the version last sent
}

// hijacker gives gorilla's Upgrade a Hijacker on response writers that only
// expose one through Unwrap (the server's status recorder).
type hijacker struct{ http.ResponseWriter }

func (h hijacker) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(h.ResponseWriter).Hijack()
}

// serveSocket upgrades /chat/ws. It returns as soon as the socket's two
// goroutines run, so that net/http frees the request's buffers.
func (c *Channel) serveSocket(w http.ResponseWriter, r *http.Request) {
	if !c.originAllowed(r) {
		c.m.refused.WithLabelValues("origin").Inc()
		c.log.Debug("socket refused: origin not allowed", "origin", r.Header.Get("Origin"))
		http.Error(w, "origin not allowed", http.StatusForbidden)
		return
	}
	if _, ok := w.(http.Hijacker); !ok {
		w = hijacker{w}
	}
	addr := c.clientAddr(r)
	addrLimit, ok := c.addrs.acquire(addr)
	conn, err := c.up.Upgrade(w, r, nil)
	if err != nil {
		if ok {
			c.addrs.release(addr, c.now())
		}
		return // Upgrade answered the request
	}
	if !ok {
		c.m.refused.WithLabelValues("address_limit").Inc()
		closeNow(conn, websocket.ClosePolicyViolation, "too many connections from this address", c.cfg.WriteTimeout)
		return
	}
	cl := &client{
		c: c, conn: conn, addr: addr,
		send: make(chan []byte, c.cfg.SendQueue), done: make(chan struct{}), readerDone: make(chan struct{}),
		connLimit: rate.NewLimiter(rate.Limit(c.cfg.Rate.Connection.PerSecond), c.cfg.Rate.Connection.Burst),
		addrLimit: addrLimit,
		tickets:   map[string]int64{},
	}
	c.connMu.Lock()
	if c.closed {
		c.connMu.Unlock()
		c.addrs.release(addr, c.now())
		c.m.refused.WithLabelValues("shutdown").Inc()
		closeNow(conn, websocket.CloseNormalClosure, "server shutting down", c.cfg.WriteTimeout)
		return
	}
	c.conns[cl] = struct{}{}
	c.wg.Add(2)
	c.connMu.Unlock()
	c.m.conns.Inc()
	go cl.readLoop()
	go cl.writeLoop()
}

// closeNow sends a close frame on a socket that has no goroutines yet and
// closes it.
func closeNow(conn *websocket.Conn, code int, reason string, timeout time.Duration) {
	_ = conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), time.Now().Add(timeout))
	lingerClose(conn.UnderlyingConn())
}

// lingerClose closes a connection after reading, for at most closeGrace, what
// the peer still sends (its close frame, the rest of a refused frame), so
// that unread data does not make the kernel reset the connection before the
// peer has read our close frame.
func lingerClose(nc net.Conn) {
	if tc, ok := nc.(*net.TCPConn); ok {
		_ = tc.CloseWrite()
	}
	_ = nc.SetReadDeadline(time.Now().Add(closeGrace))
	_, _ = io.Copy(io.Discard, io.LimitReader(nc, 1<<20))
	_ = nc.Close()
}

// kill ends the socket with a close code; the first call wins. It never
// blocks: the writer goroutine sends the close frame and closes.
func (cl *client) kill(code int, reason string) {
	cl.once.Do(func() {
		cl.code, cl.reason = code, reason
		close(cl.done)
	})
}

// enqueue queues a frame for the writer. A full queue means the client does
// not read fast enough: it is dropped with 1011, alone. It returns false
// when the frame will not be written.
func (cl *client) enqueue(frame []byte) bool {
	select {
	case <-cl.done:
		return false
	default:
	}
	select {
	case cl.send <- frame:
		return true
	default:
		cl.c.m.slowDropped.Inc()
		cl.c.log.Info("dropped a client that does not read: send queue full", "conversation", cl.conversation())
		cl.kill(websocket.CloseInternalServerErr, "send queue overflow")
		return false
	}
}

func (cl *client) conversation() string {
	if r := cl.room; r != nil {
		return r.id
	}
	return ""
}

// writeLoop writes queued frames and pings until the socket is killed, then
// sends the close frame and closes the connection.
func (cl *client) writeLoop() {
	defer cl.c.wg.Done()
	cfg := &cl.c.cfg
	ping := time.NewTicker(cfg.PingInterval)
	defer ping.Stop()
	for {
		select {
		case <-cl.done: // before anything queued
			cl.finish()
			return
		default:
		}
		var err error
		select {
		case <-cl.done:
			cl.finish()
			return
		case frame := <-cl.send:
			_ = cl.conn.SetWriteDeadline(time.Now().Add(cfg.WriteTimeout))
			if err = cl.conn.WriteMessage(websocket.TextMessage, frame); err == nil {
				cl.c.m.framesOut.Inc()
			}
		case <-ping.C:
			err = cl.conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(cfg.WriteTimeout))
		}
		if err != nil {
			cl.kill(0, "") // the connection is broken: no close frame
			cl.finish()
			return
		}
	}
}

// finish sends the close frame (when the connection still works), lets the
// reader see the client's answer, and closes the connection.
func (cl *client) finish() {
	if cl.code != 0 {
		deadline := time.Now().Add(min(cl.c.cfg.WriteTimeout, closeGrace))
		_ = cl.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(cl.code, cl.reason), deadline)
	}
	t := time.NewTimer(closeGrace)
	defer t.Stop()
	select {
	case <-cl.readerDone:
		lingerClose(cl.conn.UnderlyingConn())
	case <-t.C:
		_ = cl.conn.Close() // the reader returns with an error
	}
}

// readLoop reads frames until the connection fails or is closed, handling
// each in turn, then leaves the conversation.
func (cl *client) readLoop() {
	defer cl.c.wg.Done()
	defer close(cl.readerDone)
	defer cl.leave()
	cfg := &cl.c.cfg
	alive := func() { _ = cl.conn.SetReadDeadline(time.Now().Add(cfg.PongWait)) }
	cl.conn.SetReadLimit(cfg.MaxFrameBytes)
	alive()
	cl.conn.SetPongHandler(func(string) error { alive(); return nil })
	for {
		typ, data, err := cl.conn.ReadMessage()
		if err != nil {
			cl.kill(closeCodeFor(err))
			return
		}
		cl.c.m.framesIn.Inc()
		alive()
		if typ != websocket.TextMessage {
			cl.refuse(refuse(codeBadFrame, "frames must be text"))
			continue
		}
		cl.handle(data)
		alive() // the time spent handling is not the client's silence
	}
}

// closeCodeFor maps a read error to the close frame to send.
func closeCodeFor(err error) (int, string) {
	var ce *websocket.CloseError
	var ne net.Error
	switch {
	case errors.Is(err, websocket.ErrReadLimit):
		return websocket.CloseMessageTooBig, "frame too large" // gorilla sent it already
	case errors.As(err, &ce):
		return websocket.CloseNormalClosure, "" // the client closed; gorilla answered
	case errors.As(err, &ne) && ne.Timeout():
		return websocket.CloseInternalServerErr, "no pong"
	}
	return 0, "" // broken connection
}

// refuse sends an error frame; the connection stays open.
func (cl *client) refuse(e *frameError) { cl.enqueue(encodeError(e)) }

// leave takes the socket out of its conversation and of the counts.
func (cl *client) leave() {
	c := cl.c
	if cl.room != nil {
		c.leaveRoom(cl.room, cl)
	}
	c.addrs.release(cl.addr, c.now())
	c.connMu.Lock()
	delete(c.conns, cl)
	c.connMu.Unlock()
	c.m.conns.Dec()
}
