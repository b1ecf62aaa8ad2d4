// Package dovecot runs a throwaway Dovecot IMAP server (the Debian package
// dovecot-imapd) for integration tests and the benchmark harness: a
// generated configuration in a temporary directory of its own, one user
// with a plaintext password, maildir storage in that directory, IMAP
// without TLS on a free port of 127.0.0.1. Stop removes everything.
package dovecot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/supportd/supportd/internal/syncbuf"
)

// ErrNotInstalled is returned by Start when there is no dovecot binary.
var ErrNotInstalled = errors.New("dovecot is not installed (apt-get install -y dovecot-imapd)")

// Options configure a server; the zero value is a server for user
// "support" with password "secret".
type Options struct {
	User     string
	Password string
	// Prefix is a command that Dovecot is started under, for example
	// taskset -c 0; its worker processes inherit it. nil: none.
	Prefix []string
}

// Server is a running Dovecot. Its fields are read-only.
type Server struct {
	Addr     string // 127.0.0.1:PORT, plain IMAP
	Dir      string // configuration, logs and mail
	User     string
	Password string

	cmd    *exec.Cmd
	out    *syncbuf.Buffer // the master's own output
	exited chan struct{}
	stop   sync.Once
}

// Binary returns the path of the dovecot binary, or ErrNotInstalled.
func Binary() (string, error) {
	if p, err := exec.LookPath("dovecot"); err == nil {
		return p, nil
	}
	for _, p := range []string{"/usr/sbin/dovecot", "/usr/local/sbin/dovecot"} {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", ErrNotInstalled
}

// Version returns the installed Dovecot's version, e.g. "2.3.19.1".
func Version() (string, error) {
	bin, err := Binary()
	if err != nil {
		return "", err
	}
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		return "", fmt.Errorf("dovecot --version: %w", err)
	}
	v, _, _ := strings.Cut(strings.TrimSpace(string(out)), " ")
	return v, nil
}

// startAttempts bounds the retries when another process took the free
// port between its choice and Dovecot's bind.
const startAttempts = 3

// Start starts a server and returns once it accepts a login, within ctx and
// at most 15 s per attempt. The caller must call Stop.
func Start(ctx context.Context, o Options) (*Server, error) {
	bin, err := Binary()
	if err != nil {
		return nil, err
	}
	if o.User == "" {
		o.User = "support"
	}
	if o.Password == "" {
		o.Password = "secret"
	}
	for attempt := 1; ; attempt++ {
		s, err := start(ctx, bin, o)
		if err == nil || attempt == startAttempts || ctx.Err() != nil {
			return s, err
		}
	}
}

func start(ctx context.Context, bin string, o Options) (*Server, error) {
	// Dovecot's unprivileged processes must reach the directory, so it is
	// world-readable (and must not lie under a private test directory).
	dir, err := os.MkdirTemp("", "supportd-dovecot-")
	if err != nil {
		return nil, err
	}
	s := &Server{Dir: dir, User: o.User, Password: o.Password, out: &syncbuf.Buffer{}, exited: make(chan struct{})}
	if err := s.configure(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	args := append(append([]string{}, o.Prefix...), bin, "-F", "-c", filepath.Join(dir, "dovecot.conf"))
	s.cmd = exec.Command(args[0], args[1:]...)
	s.cmd.Stdout, s.cmd.Stderr = s.out, s.out
	s.cmd.WaitDelay = 2 * time.Second // a worker left holding the output pipe
	if err := s.cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start dovecot: %w", err)
	}
	go func() { s.cmd.Wait(); close(s.exited) }()
	if err := s.waitReady(ctx); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

// configure writes the configuration, the password file and the mail
// directories.
func (s *Server) configure() error {
	if err := os.Chmod(s.Dir, 0o755); err != nil {
		return err
	}
	uid, gid := os.Getuid(), os.Getgid()
	internal, login := "", ""
	if me, err := user.Current(); err == nil {
		internal, login = me.Username, me.Username
	}
	if uid == 0 { // Dovecot gives root no mail access: use its own users
		du, err := user.Lookup("dovecot")
		if err != nil {
			return fmt.Errorf("running as root and there is no dovecot user: %w", err)
		}
		uid, _ = strconv.Atoi(du.Uid)
		gid, _ = strconv.Atoi(du.Gid)
		internal, login = "dovecot", "dovenull"
		if _, err := user.Lookup("dovenull"); err != nil {
			login = "dovecot"
		}
	}
	for _, sub := range []string{"mail", "home"} {
		p := filepath.Join(s.Dir, sub)
		if err := os.MkdirAll(p, 0o755); err != nil {
			return err
		}
		if err := os.Chown(p, uid, gid); err != nil && os.Getuid() == 0 {
			return err
		}
	}
	port, err := freePort()
	if err != nil {
		return err
	}
	s.Addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	passwd := s.User + ":{PLAIN}" + s.Password + "::::::\n"
	if err := os.WriteFile(filepath.Join(s.Dir, "passwd"), []byte(passwd), 0o644); err != nil { // read by the auth process
		return err
	}
	conf := fmt.Sprintf(config, s.Dir, uid, gid, internal, login, port)
	return os.WriteFile(filepath.Join(s.Dir, "dovecot.conf"), []byte(conf), 0o644)
}

// config is Dovecot's configuration: directory, uid, gid, internal user,
// login user, port.
const config = `protocols = imap
listen = 127.0.0.1
base_dir = %[1]s/run
state_dir = %[1]s/state
log_path = %[1]s/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:%[1]s/mail/%%u
first_valid_uid = %[2]d
last_valid_uid = 0
first_valid_gid = 0
default_internal_user = %[4]s
default_login_user = %[5]s
mail_max_userip_connections = 100
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%%u %[1]s/passwd
}
userdb {
  driver = static
  args = uid=%[2]d gid=%[3]d home=%[1]s/home/%%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = %[6]d
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 0
  }
}
`

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// waitReady logs in until it works, Dovecot exits, 15 s pass or ctx ends.
func (s *Server) waitReady(ctx context.Context) error {
	deadline := time.Now().Add(15 * time.Second)
	for {
		c, err := s.Dial()
		if err == nil {
			c.Close()
			return nil
		}
		select {
		case <-s.exited:
			return fmt.Errorf("dovecot exited: %s%s", s.out, s.Log())
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("dovecot did not answer within 15s: %w\n%s%s", err, s.out, s.Log())
		}
	}
}

// Log returns Dovecot's log file.
func (s *Server) Log() string {
	b, _ := os.ReadFile(filepath.Join(s.Dir, "dovecot.log"))
	return string(b)
}

// Pid is the process id of the Dovecot master (or of Options.Prefix's
// command, which becomes it).
func (s *Server) Pid() int { return s.cmd.Process.Pid }

// Stop stops Dovecot (SIGINT, then SIGKILL after 10 s) and removes its
// directory. It is safe to call more than once.
func (s *Server) Stop() {
	s.stop.Do(func() {
		s.cmd.Process.Signal(os.Interrupt)
		select {
		case <-s.exited:
		case <-time.After(10 * time.Second):
			s.cmd.Process.Kill()
			<-s.exited
		}
		os.RemoveAll(s.Dir)
	})
}

// Dial connects and logs in. The caller closes the client.
func (s *Server) Dial() (*imapclient.Client, error) {
	c, err := imapclient.DialInsecure(s.Addr, nil)
	if err != nil {
		return nil, err
	}
	if err := c.Login(s.User, s.Password).Wait(); err != nil {
		c.Close()
		return nil, fmt.Errorf("login: %w", err)
	}
	return c, nil
}

// Append delivers mails into a mailbox over one connection, pipelining the
// APPEND commands; line ends are made CRLF. It returns when the server has
// stored every mail, or at the first error.
func (s *Server) Append(ctx context.Context, mailbox string, mails ...[]byte) error {
	c, err := s.Dial()
	if err != nil {
		return err
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	if err := AppendWith(c, mailbox, mails...); err != nil {
		return errors.Join(ctx.Err(), err)
	}
	return c.Logout().Wait()
}

// AppendWith is Append on a client the caller has logged in.
func AppendWith(c *imapclient.Client, mailbox string, mails ...[]byte) error {
	cmds := make([]*imapclient.AppendCommand, 0, len(mails))
	for _, m := range mails {
		raw := CRLF(m)
		cmd := c.Append(mailbox, int64(len(raw)), nil)
		_, werr := cmd.Write(raw)
		if err := errors.Join(werr, cmd.Close()); err != nil {
			return fmt.Errorf("append: %w", err)
		}
		cmds = append(cmds, cmd)
	}
	for _, cmd := range cmds {
		if _, err := cmd.Wait(); err != nil {
			return fmt.Errorf("append: %w", err)
		}
	}
	return nil
}

// CRLF returns mail with every line ending in CRLF, as IMAP wants it.
func CRLF(mail []byte) []byte {
	lf := bytes.ReplaceAll(mail, []byte("\r\n"), []byte("\n"))
	return bytes.ReplaceAll(lf, []byte("\n"), []byte("\r\n"))
}
