package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// child is a server process started by the harness. Its stdin is the
// control line: "stats" asks for serverStats, closing it stops the child.
type child struct {
	mode  string
	addr  string // host:port
	cmd   *exec.Cmd
	in    io.WriteCloser
	lines chan string // its stdout, closed at its end
	data  string      // its temporary data directory
	pid   int
	waitc chan error
}

// startChild starts a server: this program in server mode, or for
// modeBotkit the peer under node (bench/botkit/bot.js in peerDir). cpu >= 0
// pins it to that core with taskset; profile, when set, is where a Go server
// writes its CPU profile.
func startChild(ctx context.Context, mode string, cpu int, profile, peerDir string) (*child, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "supportbench-"+mode+"-")
	if err != nil {
		return nil, err
	}
	args := []string{exe, "-serve", mode, "-data", dir}
	if profile != "" {
		args = append(args, "-cpuprofile", profile)
	}
	if mode == modeBotkit {
		args = []string{"node", "--expose-gc", filepath.Join(peerDir, "bot.js")}
	}
	if cpu >= 0 {
		args = append([]string{"taskset", "-c", strconv.Itoa(cpu)}, args...)
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	outPipe, err := cmd.StdoutPipe()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start %s server: %w", mode, err)
	}
	c := &child{mode: mode, cmd: cmd, in: in, lines: make(chan string, 16), data: dir, pid: cmd.Process.Pid, waitc: make(chan error, 1)}
	go func() { // ends with the child's stdout
		defer close(c.lines)
		sc := bufio.NewScanner(outPipe)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			c.lines <- sc.Text()
		}
	}()
	line, err := c.readLine(ctx, 60*time.Second)
	if err != nil {
		c.stop()
		return nil, fmt.Errorf("%s server did not start: %w", mode, err)
	}
	addr, ok := strings.CutPrefix(line, "addr ")
	if !ok {
		c.stop()
		return nil, fmt.Errorf("%s server said %q, want its address", mode, line)
	}
	c.addr = addr
	return c, nil
}

func (c *child) url() string {
	if c.mode == modeBotkit {
		return "ws://" + c.addr + "/" // Botkit's web adapter takes any path
	}
	return "ws://" + c.addr + wsPath
}

// readLine reads the child's next stdout line within timeout.
func (c *child) readLine(ctx context.Context, timeout time.Duration) (string, error) {
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case line, ok := <-c.lines:
		if !ok {
			return "", errors.New("the server process ended")
		}
		return line, nil
	case <-t.C:
		return "", fmt.Errorf("no answer within %s", timeout)
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// stats asks the child for its memory and CPU figures.
func (c *child) stats(ctx context.Context) (serverStats, error) {
	var s serverStats
	if _, err := io.WriteString(c.in, "stats\n"); err != nil {
		return s, fmt.Errorf("%s server: %w", c.mode, err)
	}
	line, err := c.readLine(ctx, 60*time.Second)
	if err != nil {
		return s, fmt.Errorf("%s server stats: %w", c.mode, err)
	}
	if err := json.Unmarshal([]byte(line), &s); err != nil {
		return s, fmt.Errorf("%s server stats %q: %w", c.mode, line, err)
	}
	return s, nil
}

// stop closes the child's stdin, waits up to 20 s for it to end, then kills
// it, and removes its data directory. It returns the child's exit error.
func (c *child) stop() error {
	c.in.Close()
	go func() { c.waitc <- c.cmd.Wait() }()
	var err error
	select {
	case err = <-c.waitc:
	case <-time.After(20 * time.Second):
		_ = c.cmd.Process.Kill()
		err = fmt.Errorf("%s server did not stop within 20s: killed", c.mode)
		<-c.waitc
	}
	for range c.lines { // the reader ends with the pipe
	}
	os.RemoveAll(c.data)
	return err
}
