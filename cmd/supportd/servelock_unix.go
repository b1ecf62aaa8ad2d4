//go:build unix

package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// lockServe takes the database's serve lock (<database>.serve.lock, an
// exclusive flock) for the life of serve: a second serve on the same
// database refuses to start, saying which process holds it, since two
// servers would both read the mailbox, answer Slack and fire the timers.
// The system releases the lock when the process ends, however it ends.
// The other commands do not take it: they work beside a running serve.
func lockServe(dbPath string) (release func(), err error) {
	if err := os.MkdirAll(filepath.Dir(dbPath), 0o750); err != nil {
		return nil, err
	}
	path := dbPath + ".serve.lock"
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("serve lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		held, _ := os.ReadFile(path)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			who := strings.TrimSpace(string(held))
			if who == "" {
				who = "a process starting"
			}
			return nil, fmt.Errorf("another supportd serve is running on the database %s (%s): stop it first; two servers on one database would both read the mailbox, answer Slack and fire the timers", dbPath, who)
		}
		return nil, fmt.Errorf("serve lock %s: %w", path, err)
	}
	if err := f.Truncate(0); err == nil {
		host, _ := os.Hostname()
		fmt.Fprintf(f, "pid %d on %s, started %s", os.Getpid(), host, time.Now().UTC().Format(time.RFC3339))
	}
	return func() { f.Close() }, nil
}
