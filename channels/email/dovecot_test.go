package email

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// dovecot is a Dovecot IMAP server run by the test in a directory of its
// own: passwd-file auth, maildir storage, a free port on 127.0.0.1.
type dovecot struct {
	addr string
	dir  string
}

// startDovecot starts Dovecot, or skips the test when it is not installed
// (fails instead under SUPPORTD_INTEGRATION=1).
func startDovecot(t *testing.T) *dovecot {
	t.Helper()
	bin, err := exec.LookPath("dovecot")
	if err != nil {
		for _, p := range []string{"/usr/sbin/dovecot", "/usr/local/sbin/dovecot"} {
			if _, serr := os.Stat(p); serr == nil {
				bin, err = p, nil
			}
		}
	}
	if err != nil {
		if os.Getenv("SUPPORTD_INTEGRATION") == "1" {
			t.Fatal("SUPPORTD_INTEGRATION=1 but dovecot is not installed (apt-get install -y dovecot-imapd)")
		}
		t.Skip("dovecot is not installed (apt-get install -y dovecot-imapd); SUPPORTD_INTEGRATION=1 makes this a failure")
	}
	// Dovecot's unprivileged processes must reach the directory: not
	// t.TempDir, whose parents are private.
	dir, err := os.MkdirTemp("", "supportd-dovecot-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, 0o755)
	uid, gid, internal, login := os.Getuid(), os.Getgid(), "", ""
	if me, err := user.Current(); err == nil {
		internal, login = me.Username, me.Username
	}
	if uid == 0 { // Dovecot gives no mail access to root: use its own users
		du, err := user.Lookup("dovecot")
		if err != nil {
			t.Fatalf("running as root and no dovecot user: %v", err)
		}
		fmt.Sscan(du.Uid, &uid)
		fmt.Sscan(du.Gid, &gid)
		internal, login = "dovecot", "dovenull"
		if _, err := user.Lookup("dovenull"); err != nil {
			login = "dovecot"
		}
	}
	for _, sub := range []string{"mail", "home"} {
		p := filepath.Join(dir, sub)
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
		os.Chown(p, uid, gid)
	}
	port := freePort(t)
	if err := os.WriteFile(filepath.Join(dir, "passwd"), []byte(imapUser+":{PLAIN}"+imapPass+"::::::\n"), 0o644); err != nil {
		t.Fatal(err) // readable by Dovecot's auth process
	}
	conf := fmt.Sprintf(`protocols = imap
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
`, dir, uid, gid, internal, login, port)
	confPath := filepath.Join(dir, "dovecot.conf")
	writeFile(t, confPath, conf)
	cmd := exec.Command(bin, "-F", "-c", confPath)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	})
	d := &dovecot{addr: fmt.Sprintf("127.0.0.1:%d", port), dir: dir}
	deadline := time.Now().Add(15 * time.Second)
	for {
		c, err := imapclient.DialInsecure(d.addr, nil)
		if err == nil {
			lerr := c.Login(imapUser, imapPass).Wait()
			c.Close()
			if lerr == nil {
				return d
			}
			err = lerr
		}
		select {
		case <-exited:
			log, _ := os.ReadFile(filepath.Join(dir, "dovecot.log"))
			t.Fatalf("dovecot exited: %s\n%s", out.String(), log)
		default:
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "dovecot.log"))
			t.Fatalf("dovecot did not answer: %v\n%s\n%s", err, out.String(), log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func freePort(t *testing.T) int {
	ln := listen(t)
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// appendAll appends mails to INBOX over IMAP, as mail delivered while the
// gateway was down.
func (d *dovecot) appendAll(t *testing.T, mails []string) {
	t.Helper()
	c, err := imapclient.DialInsecure(d.addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(imapUser, imapPass).Wait(); err != nil {
		t.Fatal(err)
	}
	for _, m := range mails {
		raw := []byte(strings.ReplaceAll(strings.ReplaceAll(m, "\r\n", "\n"), "\n", "\r\n"))
		cmd := c.Append("INBOX", int64(len(raw)), nil)
		if _, err := cmd.Write(raw); err != nil {
			t.Fatal(err)
		}
		if err := cmd.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := cmd.Wait(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestDovecot: against a real Dovecot, 500 mails queued while the gateway
// was down are each ingested once (RELIABILITY 4), and IDLE brings a new
// mail for a ticket in well under 2 s.
func TestDovecot(t *testing.T) {
	d := startDovecot(t)
	e := newEnv(t)
	host, port := hostPort(t, d.addr)
	e.cfg.IMAP.Host, e.cfg.IMAP.Port = host, port
	e.cfg.IdleRestart, e.cfg.Watchdog = 25*time.Minute, 5*time.Minute // production values
	e.opts.SendInterval = time.Second

	const n = 500
	mails := make([]string, n)
	for i := range mails {
		mails[i] = customerMail{From: fmt.Sprintf("customer%03d@example.net", i), Subject: fmt.Sprintf("Case %d", i),
			MessageID: fmt.Sprintf("bulk%03d@example.net", i), Body: "I want to talk to a human agent"}.String()
	}
	mails[n-1] = customerMail{From: "customer499@example.net", Subject: "Case 499", Body: "I want to talk to a human agent"}.String() // no Message-ID
	d.appendAll(t, mails)

	start := time.Now()
	r := e.start()
	defer r.stop(t)
	e.eventually("500 mails ingested", 5*time.Minute, func() bool {
		return e.count(`SELECT count(*) FROM email_inbound WHERE status = 'done'`) == n
	})
	ingest := time.Since(start)
	e.eventually("500 replies", 2*time.Minute, func() bool { return e.sink.count() >= n && e.pending() == 0 })
	all := time.Since(start)
	if c := e.conversations(); c != n {
		t.Errorf("conversations = %d, want %d", c, n)
	}
	if c := e.inboundTurns(); c != n {
		t.Errorf("inbound messages = %d, want %d", c, n)
	}
	if c := len(e.tickets()); c != n {
		t.Errorf("tickets = %d, want %d", c, n)
	}
	time.Sleep(time.Second)
	if c := e.sink.count(); c != n {
		t.Errorf("replies = %d, want %d", c, n)
	}
	t.Logf("ingested %d mails in %s (%.0f mails/s), all replied in %s; %s, %d CPUs, race detector %v",
		n, ingest.Round(time.Millisecond), float64(n)/ingest.Seconds(), all.Round(time.Millisecond), runtime.GOARCH, runtime.NumCPU(), raceEnabled)

	// IDLE: a customer writes about their ticket.
	tk := e.tickets()[0] // the newest
	var owner string
	e.db.SQL().QueryRow(`SELECT channel_user FROM tickets WHERE id = ?`, tk.ID).Scan(&owner)
	e.eventually("the reader idles", 5*time.Second, func() bool { return strings.Contains(e.logs.String(), "idle=true") })
	time.Sleep(200 * time.Millisecond)
	start = time.Now()
	d.appendAll(t, []string{customerMail{From: owner, Subject: "Re: Case [" + tk.ID + "]", MessageID: "idle@example.net", Body: "Any news?"}.String()})
	e.eventually("the new mail joins the ticket", 10*time.Second, func() bool {
		var conv string
		e.db.SQL().QueryRow(`SELECT conversation_id FROM email_inbound WHERE dedupe_key = 'idle@example.net' AND status = 'done'`).Scan(&conv)
		return conv == tk.ConversationID
	})
	latency := time.Since(start)
	t.Logf("IDLE: new mail for %s handled %s after APPEND", tk.ID, latency.Round(time.Millisecond))
	if latency > 2*time.Second {
		t.Errorf("IDLE latency %s, want under 2s", latency)
	}
	e.eventually("checkpoint at the last UID", 5*time.Second, func() bool {
		cp, _ := e.db.Checkpoint(context.Background(), "INBOX")
		return cp.LastUID == n+1
	})
	c, err := imapclient.DialInsecure(d.addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Login(imapUser, imapPass).Wait()
	st, err := c.Status("INBOX", &imap.StatusOptions{NumUnseen: true}).Wait()
	if err != nil || *st.NumUnseen != 0 {
		t.Errorf("unseen = %v (%v), want 0", st, err)
	}
}
