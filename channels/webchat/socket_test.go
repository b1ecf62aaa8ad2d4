package webchat

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/dialog"
)

// TestIdleSocketCost: an idle socket (hello answered, pings answered) costs
// one goroutine with the stack of a waiting reader, and stays open past the pong wait: its
// pongs are seen. The clients run in a child process, so that only the
// server's goroutines and stacks are counted.
func TestIdleSocketCost(t *testing.T) {
	const n = 400
	e := newWSEnv(t, loadLimits, func(w *config.Webchat) {
		w.PingInterval = 250 * time.Millisecond
		w.PongWait = time.Second
	})
	g0, s0 := runtime.NumGoroutine(), stackInUse()
	stop := idleClients(t, n, e.wsURL(), "webchat")
	waitFor(t, 60*time.Second, "the idle connections", func() bool { return e.openSockets() == n })
	time.Sleep(2500 * time.Millisecond) // 10 pings, more than twice the pong wait
	if open := e.openSockets(); open != n {
		t.Fatalf("%d of %d idle sockets still open after the pong wait: pongs were missed", open, n)
	}
	// The least of a few readings: a socket's writer goroutine runs while
	// a ping goes out (every 250 ms here), longer on a busy machine.
	perConn, stack := math.Inf(1), math.Inf(1)
	for range 5 {
		perConn = min(perConn, float64(runtime.NumGoroutine()-g0)/n)
		stack = min(stack, float64(stackInUse()-s0)/n)
		if perConn <= 1.1 && stack <= 6144 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("%d idle sockets: %.2f goroutines and %.0f bytes of stack each (race detector %v)", n, perConn, stack, raceEnabled)
	if perConn > 1.1 {
		t.Errorf("%.2f goroutines per idle socket, want 1", perConn)
	}
	// A goroutine waiting in gorilla's reader has a small stack (at most
	// 4 KiB); the hello's turn, which grows a stack to 8 KiB or more, ran
	// on a worker.
	if !raceEnabled && stack > 6144 {
		t.Errorf("%.0f bytes of stack per idle socket, want about 4 KiB (at most 6)", stack)
	}
	stop()
	waitFor(t, 30*time.Second, "the idle connections to close", func() bool { return e.openSockets() == 0 })
}

// TestTalkedSocketCost: a socket whose visitor has written and had the
// answer, and now says nothing, costs the same small reader stack as one
// that never wrote: the turn ran on a worker (workers.go), not on the
// reader, whose stack would have grown to the engine's depth.
func TestTalkedSocketCost(t *testing.T) {
	const n = 200
	e := newWSEnv(t, loadLimits)
	s0 := stackInUse()
	stop := idleClients(t, n, e.wsURL(), "talked")
	waitFor(t, 60*time.Second, "the connections", func() bool { return e.openSockets() == n })
	time.Sleep(2 * workerKeep) // the workers have ended
	stack := float64(stackInUse()-s0) / n
	t.Logf("%d sockets idle after a turn: %.0f bytes of stack each (race detector %v)", n, stack, raceEnabled)
	if !raceEnabled && stack > 6144 {
		t.Errorf("%.0f bytes of stack per socket idle after a turn, want about 4 KiB (at most 6)", stack)
	}
	stop()
}

// idleClients opens n idle connections, each answering pings from its
// welcome on (mode "webchat"), or from the answer to its first message
// ("talked"), from a child process (TestIdleClientsHelper) and returns the
// function that closes them.
func idleClients(t *testing.T, n int, url, mode string) (stop func()) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestIdleClientsHelper$")
	cmd.Env = append(os.Environ(), "WEBCHAT_IDLE_URL="+url, "WEBCHAT_IDLE_N="+strconv.Itoa(n), "WEBCHAT_IDLE_MODE="+mode)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	for sc.Scan() && sc.Text() != "ready" {
	}
	stopped := false
	stop = func() {
		if !stopped {
			stopped = true
			stdin.Close()
			_ = cmd.Wait()
		}
	}
	t.Cleanup(stop)
	return stop
}

func stackInUse() int64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return int64(m.StackInuse)
}

// TestFramesCoalesced: the frames queued while the writer is away go out
// together, complete and in order, in one write per batch buffer.
func TestFramesCoalesced(t *testing.T) {
	cases := []struct {
		name      string
		frames    int
		size      int // bytes of text in each frame
		maxWrites float64
	}{
		{"a turn's frames", 6, 200, 1},
		{"larger than the buffer", 24, 3000, 24 * 3000 / batchBufSize * 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newWSEnv(t)
			c := e.dial(nil)
			c.hello("", "en")
			cl := onlySocket(t, e)
			waitFor(t, 10*time.Second, "the welcome to be written", func() bool {
				cl.mu.Lock()
				defer cl.mu.Unlock()
				return !cl.writing
			})
			before := metric(e.ch.m.writes)
			cl.mu.Lock() // queued at once: the writer finds them all
			for i := range tc.frames {
				text := fmt.Sprint(i, strings.Repeat("x", tc.size))
				cl.queue = append(cl.queue, encode(typingFrame{env("test"), dialog.Sender(text)}))
			}
			cl.startWriter()
			cl.mu.Unlock()
			for i := range tc.frames {
				f := c.next(10 * time.Second)
				if want := fmt.Sprint(i, strings.Repeat("x", tc.size)); f.Type != "test" || f.From != want {
					t.Fatalf("frame %d: type %q, %d bytes of text, want frame %d", i, f.Type, len(f.From), i)
				}
			}
			writes := metric(e.ch.m.writes) - before
			t.Logf("%d frames of %d bytes: %v writes", tc.frames, tc.size, writes)
			if writes > tc.maxWrites {
				t.Errorf("%v writes for %d frames, want at most %v", writes, tc.frames, tc.maxWrites)
			}
		})
	}
}

// TestTurnWrites: a customer's turn (typing, the echo, the replies) reaches
// the socket in fewer writes than frames, and every frame arrives.
func TestTurnWrites(t *testing.T) {
	e := newWSEnv(t)
	c := e.dial(nil)
	c.hello("", "en")
	var frames int
	before := metric(e.ch.m.writes)
	for range 10 {
		fs := c.say("help")
		if len(replies(fs)) == 0 || countFrom(fs, "customer") != 1 || len(ofType(fs, "typing")) != 1 {
			t.Fatalf("a turn without its typing, echo or reply: %+v", fs)
		}
		frames += len(fs) + 1 // and the barrier's answer
	}
	writes := metric(e.ch.m.writes) - before
	t.Logf("10 turns: %d frames in %v writes", frames, writes)
	if writes >= float64(frames) {
		t.Errorf("%v writes for %d frames: nothing was coalesced", writes, frames)
	}
}

// TestPipelinedFrames: frames the client sends right behind its hello, in
// the same segment, are answered, whether gorilla has read them along with
// the hello or they wait in the kernel (a hello that fills gorilla's read
// buffer exactly).
func TestPipelinedFrames(t *testing.T) {
	hello := func(size int) []byte {
		f := clientFrame(`{"v":1,"type":"hello","locale":"en","pad":""}`)
		if size > 0 {
			pad := size - len(f) - 2 // the length takes 2 more bytes past 125
			f = clientFrame(`{"v":1,"type":"hello","locale":"en","pad":"` + strings.Repeat("p", pad) + `"}`)
			if len(f) != size {
				t.Fatalf("hello frame of %d bytes, want %d", len(f), size)
			}
		}
		return f
	}
	cases := []struct {
		name  string
		hello []byte
	}{
		{"small hello", hello(0)},
		{"hello filling the read buffer", hello(1024)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newWSEnv(t)
			conn := e.rawDial(nil)
			seg := append(tc.hello, clientFrame(`{"v":1,"type":"message","id":"p1","text":"help"}`)...)
			if _, err := conn.UnderlyingConn().Write(seg); err != nil {
				t.Fatal(err)
			}
			c := startClient(t, conn)
			fs := c.until(10*time.Second, func(f frame) bool { return f.Type == "message" && f.From == "customer" })
			if f := fs[len(fs)-1]; f.ClientID != "p1" {
				t.Errorf("echo %+v, want the message p1", f)
			}
		})
	}
}

// clientFrame is a text frame as a client sends it: masked, here with a
// zero mask (RFC 6455 5.3).
func clientFrame(text string) []byte {
	var f []byte
	if n := len(text); n < 126 {
		f = append(f, 0x81, 0x80|byte(n))
	} else {
		f = append(f, 0x81, 0x80|126)
		f = binary.BigEndian.AppendUint16(f, uint16(n))
	}
	f = append(f, 0, 0, 0, 0)
	return append(f, text...)
}

// onlySocket returns the channel's one open socket.
func onlySocket(t *testing.T, e *wsEnv) *client {
	t.Helper()
	var cl *client
	waitFor(t, 10*time.Second, "one open socket", func() bool {
		s := e.sockets()
		for x := range s {
			cl = x
		}
		return len(s) == 1
	})
	return cl
}

// TestSlowReaderDeadline: a client that stops reading is dropped once a
// write has waited the write timeout, even with frames coalesced.
func TestSlowReaderDeadline(t *testing.T) {
	e := newWSEnv(t, func(w *config.Webchat) { w.WriteTimeout = 300 * time.Millisecond })
	conn := e.rawDial(nil)
	if err := conn.WriteJSON(map[string]any{"v": 1, "type": "hello"}); err != nil {
		t.Fatal(err)
	}
	cl := onlySocket(t, e)
	_ = tcpConn(cl.conn.UnderlyingConn()).(interface{ SetWriteBuffer(int) error }).SetWriteBuffer(4096)
	big, _ := json.Marshal(strings.Repeat("长", 2000))
	start := time.Now()
	for i := 0; e.openSockets() == 1; i++ {
		if time.Since(start) > 10*time.Second {
			t.Fatal("the client that does not read is still open")
		}
		cl.enqueue([]byte(`{"v":1,"type":"test","from":` + string(big) + `}`))
		time.Sleep(20 * time.Millisecond) // slower than the queue fills
	}
	if metric(e.ch.m.slowDropped) != 0 {
		t.Errorf("dropped for its queue, want for the write deadline")
	}
}
