package webchat

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"golang.org/x/time/rate"
)

// client is one open socket. An idle socket has one goroutine, its reader
// (read), which owns the read side and the conversation state. Anyone may
// queue a frame (enqueue) or end the socket (kill); a writer goroutine
// (writeLoop) runs only while frames are queued: enqueue starts it, it
// writes everything queued, coalesced, and ends when the queue is empty. A
// timer queues the pings. The writer that finds the socket killed sends the
// close frame and closes the connection. The reader has workers handle the
// frames (workers.go), so that its own stack stays small.
type client struct {
	c    *Channel
	conn *websocket.Conn
	nc   *batchConn // conn's connection, which coalesces the writer's frames
	addr string     // the per-address key

	mu      sync.Mutex
	queue   [][]byte    // frames to write, oldest first; nil when empty
	held    int         // frames the writer took and is writing
	ping    bool        // a ping is due
	writing bool        // a writer goroutine runs (it closes a killed socket)
	killed  bool        // the socket is ending: nothing more is queued
	code    int         // the close code, set by kill
	reason  string      // the close reason
	pinger  *time.Timer // queues a ping every ping interval

	readerDone chan struct{} // closed when the reader ends

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

// queueStart is the room a socket's queue starts with: a turn's frames.
const queueStart = 8

// hijacker hands gorilla's Upgrade the connection wrapped for coalescing,
// and a Hijacker on response writers that only expose one through Unwrap
// (the server's status recorder).
type hijacker struct{ http.ResponseWriter }

func (h hijacker) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	nc, brw, err := http.NewResponseController(h.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	return &batchConn{Conn: nc}, brw, nil
}

// serveSocket upgrades /chat/ws. It returns as soon as the socket's reader
// runs, so that net/http frees the request's buffers.
func (c *Channel) serveSocket(w http.ResponseWriter, r *http.Request) {
	if !c.originAllowed(r) {
		c.m.refused.WithLabelValues("origin").Inc()
		c.log.Debug("socket refused: origin not allowed", "origin", r.Header.Get("Origin"))
		http.Error(w, "origin not allowed", http.StatusForbidden)
		return
	}
	addr := c.clientAddr(r)
	addrLimit, ok := c.addrs.acquire(addr)
	conn, err := c.up.Upgrade(hijacker{w}, r, nil)
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
	nc := conn.UnderlyingConn().(*batchConn)
	nc.writes = c.m.writes
	cl := &client{
		c: c, conn: conn, nc: nc, addr: addr,
		readerDone: make(chan struct{}),
		connLimit:  rate.NewLimiter(rate.Limit(c.cfg.Rate.Connection.PerSecond), c.cfg.Rate.Connection.Burst),
		addrLimit:  addrLimit,
		tickets:    map[string]int64{},
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
	c.wg.Add(1) // the reader; each writer adds itself while the reader runs
	c.connMu.Unlock()
	c.m.conns.Inc()
	cl.alive()
	conn.SetPongHandler(func(string) error { cl.alive(); return nil })
	cl.mu.Lock()
	cl.pinger = time.AfterFunc(c.cfg.PingInterval, cl.pingDue)
	cl.mu.Unlock()
	go cl.read()
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
	nc = tcpConn(nc)
	if tc, ok := nc.(*net.TCPConn); ok {
		_ = tc.CloseWrite()
	}
	_ = nc.SetReadDeadline(time.Now().Add(closeGrace))
	_, _ = io.Copy(io.Discard, io.LimitReader(nc, 1<<20))
	_ = nc.Close()
}

// kill ends the socket with a close code (0: the connection is broken, no
// close frame); the first call wins and what is still queued is dropped. It
// never blocks: a writer goroutine sends the close frame and closes.
func (cl *client) kill(code int, reason string) {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	if cl.killed {
		return
	}
	cl.killed, cl.code, cl.reason = true, code, reason
	cl.queue, cl.ping = nil, false
	if cl.pinger != nil {
		cl.pinger.Stop()
	}
	cl.startWriter()
}

// enqueue queues a frame for the writer. A full queue means the client does
// not read fast enough: it is dropped with 1011, alone. It returns false
// when the frame will not be written.
func (cl *client) enqueue(frame []byte) bool {
	cl.mu.Lock()
	if cl.killed {
		cl.mu.Unlock()
		return false
	}
	if len(cl.queue)+cl.held >= cl.c.cfg.SendQueue {
		cl.mu.Unlock()
		cl.c.m.slowDropped.Inc()
		cl.c.log.Info("dropped a client that does not read: send queue full", "conversation", cl.conversation())
		cl.kill(websocket.CloseInternalServerErr, "send queue overflow")
		return false
	}
	if cl.queue == nil {
		cl.queue = make([][]byte, 0, min(queueStart, cl.c.cfg.SendQueue))
	}
	cl.queue = append(cl.queue, frame)
	cl.startWriter()
	cl.mu.Unlock()
	return true
}

// pingDue queues a ping; the ping timer calls it.
func (cl *client) pingDue() {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	if cl.killed {
		return
	}
	cl.ping = true
	cl.startWriter()
	cl.pinger.Reset(cl.c.cfg.PingInterval)
}

// startWriter starts the writer goroutine unless it runs. cl.mu is held and
// the socket's reader has not returned (it kills the socket first), so that
// Channel.wg counts the writer before it can reach zero.
func (cl *client) startWriter() {
	if cl.writing {
		return
	}
	cl.writing = true
	cl.c.wg.Add(1)
	go cl.writeLoop()
}

func (cl *client) conversation() string {
	if r := cl.room; r != nil {
		return r.id
	}
	return ""
}

// writeLoop writes what is queued, each time everything queued at once,
// until the queue is empty; when the socket is killed it sends the close
// frame and closes the connection instead.
func (cl *client) writeLoop() {
	defer cl.c.wg.Done()
	var spare [][]byte // the last batch's room, for the next one
	for {
		cl.mu.Lock()
		cl.held = 0
		if cl.killed { // before anything queued
			cl.mu.Unlock()
			cl.finish()
			return
		}
		batch, ping := cl.queue, cl.ping
		if len(batch) == 0 && !ping {
			cl.queue, cl.writing = nil, false
			cl.mu.Unlock()
			return
		}
		cl.queue, cl.ping, cl.held = spare, false, len(batch)
		cl.mu.Unlock()
		if err := cl.write(batch, ping); err != nil {
			cl.kill(0, "") // the connection is broken: no close frame
		}
		clear(batch) // the frames are garbage once written
		spare = batch[:0]
	}
}

// write writes frames, then a ping when one is due, in as few system calls
// as the batch buffer allows, all within the write timeout.
func (cl *client) write(frames [][]byte, ping bool) error {
	deadline := time.Now().Add(cl.c.cfg.WriteTimeout)
	_ = cl.conn.SetWriteDeadline(deadline)
	cl.nc.hold(deadline)
	var err error
	for _, f := range frames {
		if err = cl.conn.WriteMessage(websocket.TextMessage, f); err != nil {
			break
		}
	}
	if err == nil && ping {
		err = cl.conn.WriteControl(websocket.PingMessage, nil, deadline)
	}
	if ferr := cl.nc.flush(); err == nil {
		err = ferr
	}
	if err == nil {
		cl.c.m.framesOut.Add(float64(len(frames)))
	}
	return err
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
		lingerClose(cl.nc)
	case <-t.C:
		_ = cl.conn.Close() // the reader returns with an error
	}
}

// alive extends the read deadline: a socket from which nothing arrives for
// the pong wait is closed.
func (cl *client) alive() { _ = cl.conn.SetReadDeadline(time.Now().Add(cl.c.cfg.PongWait)) }

// read is the reader goroutine: it reads frames and has workers handle them
// (see workers), one at a time, until the connection fails or is closed,
// then leaves the conversation. Its own stack stays the small one of a
// goroutine waiting in gorilla's reader: a visitor who opened the widget
// and says nothing costs little more.
func (cl *client) read() {
	for {
		typ, data, err := cl.readFrame()
		if err != nil {
			cl.kill(closeCodeFor(err))
			break
		}
		cl.c.m.framesIn.Inc()
		cl.alive()
		if typ != websocket.TextMessage {
			cl.refuse(refuse(codeBadFrame, "frames must be text"))
			continue
		}
		cl.c.work.do(func() { cl.handle(data) })
		cl.alive() // the time spent handling is not the client's silence
	}
	cl.leave()
	close(cl.readerDone)
	cl.c.wg.Done()
}

// frameTooLarge is a frame over max_frame_bytes.
type frameTooLarge struct{ max int64 }

func (e frameTooLarge) Error() string {
	return "frame larger than " + strconv.FormatInt(e.max, 10) + " bytes"
}

// readFrame reads the next frame, at most max_frame_bytes of it: a larger
// one is errFrameTooLarge, and the rest of it is left unread.
func (cl *client) readFrame() (int, []byte, error) {
	typ, r, err := cl.conn.NextReader()
	if err != nil {
		return 0, nil, err
	}
	max := cl.c.cfg.MaxFrameBytes
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return 0, nil, err
	}
	if int64(len(data)) > max {
		return 0, nil, frameTooLarge{max}
	}
	return typ, data, nil
}

// closeCodeFor maps a read error to the close frame to send.
func closeCodeFor(err error) (int, string) {
	var ce *websocket.CloseError
	var ne net.Error
	var big frameTooLarge
	switch {
	case errors.As(err, &big):
		// The reason tells the client that this frame was refused and
		// must not be sent again.
		return websocket.CloseMessageTooBig, big.Error()
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
