package webchat

import (
	"bufio"
	"net"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// batchBufSize is the buffer a socket's writer collects frames in: the
// frames of one turn (typing, the echo, the replies, a ticket) or a welcome
// usually fit, and go out in one system call.
const batchBufSize = 16 << 10

// batchBufs holds the collecting buffers, so that an idle socket has none.
var batchBufs = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, batchBufSize) }}

// batchConn is a socket's TCP connection as gorilla sees it. Between hold
// and flush (the socket's writer draining its queue) the bytes gorilla
// writes collect in a pooled buffer and reach the kernel together: a full
// buffer is written at once, the rest at flush. At any other time writes go
// straight through, so that the frames other goroutines write (gorilla's
// pong, the close frame) leave at once. A frame written while a batch is
// held (a pong) joins the batch, whole: gorilla writes each frame under its
// own lock. Safe for concurrent use.
type batchConn struct {
	net.Conn
	writes prometheus.Counter // write system calls on the socket

	mu  sync.Mutex
	buf *bufio.Writer // non-nil between hold and flush
}

// Write writes p, or adds it to the held batch.
func (b *batchConn) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.buf != nil {
		return b.buf.Write(p)
	}
	return b.writeNow(p)
}

// SetWriteDeadline sets the deadline of the next writes. While a batch is
// held its deadline, set by hold, covers every write of the batch.
func (b *batchConn) SetWriteDeadline(t time.Time) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.buf != nil {
		return nil
	}
	return b.Conn.SetWriteDeadline(t)
}

// hold starts a batch: writes collect until flush, and every write of the
// batch, flush included, must end before deadline.
func (b *batchConn) hold(deadline time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	_ = b.Conn.SetWriteDeadline(deadline)
	if b.buf == nil {
		b.buf = batchBufs.Get().(*bufio.Writer)
		b.buf.Reset(connWriter{b})
	}
}

// flush writes what the batch holds and ends it. The error is the first
// write error of the batch (gorilla got it too, when it happened during one
// of its writes).
func (b *batchConn) flush() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.buf == nil {
		return nil
	}
	err := b.buf.Flush()
	b.buf.Reset(nil)
	batchBufs.Put(b.buf)
	b.buf = nil
	return err
}

// writeNow writes p to the connection. b.mu is held.
func (b *batchConn) writeNow(p []byte) (int, error) {
	if b.writes != nil {
		b.writes.Inc()
	}
	return b.Conn.Write(p)
}

// connWriter is where a held batch's buffer writes: the connection itself.
type connWriter struct{ b *batchConn }

func (w connWriter) Write(p []byte) (int, error) { return w.b.writeNow(p) }

// tcpConn returns the connection under nc, without the batching.
func tcpConn(nc net.Conn) net.Conn {
	if b, ok := nc.(*batchConn); ok {
		return b.Conn
	}
	return nc
}
