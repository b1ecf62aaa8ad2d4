package email

import (
	"bytes"
	"encoding/base64"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
)

// TestPollingWithoutIdle: a server without IDLE is polled.
func TestPollingWithoutIdle(t *testing.T) {
	e := newEnv(t, withoutIdle())
	r := e.start()
	defer r.stop(t)
	time.Sleep(150 * time.Millisecond)
	e.deliver("INBOX", customerMail{From: customer, Subject: "Q", MessageID: "p@example.net", Body: "How do I install the AC-35?"}.String())
	e.waitMails(1)
	if !strings.Contains(e.logs.String(), "idle=false") {
		t.Error("the reader did not notice the server has no IDLE")
	}
}

// TestMoveAfterCommit: with after: move, handled mail goes to move_to.
func TestMoveAfterCommit(t *testing.T) {
	e := newEnv(t)
	e.cfg.After, e.cfg.MoveTo = "move", "Done/Support" // created by the reader
	r := e.start()
	defer r.stop(t)
	e.deliver("INBOX", customerMail{From: customer, Subject: "Q", MessageID: "mv@example.net", Body: "How do I install the AC-35?"}.String())
	e.waitMails(1)
	e.eventually("moved", 5*time.Second, func() bool {
		st, err := e.mem.Status("Done/Support", &imap.StatusOptions{NumMessages: true})
		return err == nil && *st.NumMessages == 1
	})
	st, _ := e.mem.Status("INBOX", &imap.StatusOptions{NumMessages: true})
	if *st.NumMessages != 0 {
		t.Errorf("INBOX still holds %d mails", *st.NumMessages)
	}
}

// proxy forwards TCP connections to an address; freeze makes every open
// connection silent (nothing forwarded, nothing closed): a dead peer.
type proxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	frozen []chan struct{}
	conns  []net.Conn
}

func newProxy(t *testing.T, target string) *proxy {
	p := &proxy{ln: listen(t), target: target}
	go func() {
		for {
			c, err := p.ln.Accept()
			if err != nil {
				return
			}
			go p.serve(c)
		}
	}()
	t.Cleanup(func() {
		p.ln.Close()
		p.mu.Lock()
		defer p.mu.Unlock()
		for _, c := range p.conns {
			c.Close()
		}
	})
	return p
}

func (p *proxy) serve(c net.Conn) {
	u, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	stop := make(chan struct{})
	p.mu.Lock()
	p.frozen = append(p.frozen, stop)
	p.conns = append(p.conns, c, u)
	p.mu.Unlock()
	pipe := func(dst, src net.Conn) {
		buf := make([]byte, 32<<10)
		for {
			n, err := src.Read(buf)
			select {
			case <-stop:
				<-make(chan struct{}) // swallow everything, forever (closed at cleanup: Read fails)
			default:
			}
			if n > 0 {
				dst.Write(buf[:n])
			}
			if err != nil {
				dst.Close()
				return
			}
		}
	}
	go pipe(u, c)
	go pipe(c, u)
}

// freeze silences every connection open now.
func (p *proxy) freeze() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, s := range p.frozen {
		close(s)
	}
	p.frozen = nil
}

// TestWatchdogSilentConnection (RELIABILITY 5): the IMAP connection goes
// silent (no RST, no FIN); the watchdog notices, the reader reconnects
// with backoff and catches up by UID.
func TestWatchdogSilentConnection(t *testing.T) {
	e := newEnv(t)
	p := newProxy(t, e.imapLn.Addr().String())
	host, port := hostPort(t, p.ln.Addr().String())
	e.cfg.IMAP.Host, e.cfg.IMAP.Port = host, port
	e.cfg.Watchdog = 300 * time.Millisecond
	e.cfg.IdleRestart = 10 * time.Second
	r := e.start()
	defer r.stop(t)
	e.deliver("INBOX", customerMail{From: customer, Subject: "Q1", MessageID: "w1@example.net", Body: "How do I install the AC-35?"}.String())
	e.waitMails(1)
	p.freeze()
	start := time.Now()
	e.deliver("INBOX", customerMail{From: "bob@example.net", Subject: "Q2", MessageID: "w2@example.net", Body: "How do I install the AC-35?"}.String())
	e.waitMails(2)
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("the dead connection took %s to notice", d)
	}
	logs := e.logs.String()
	if !strings.Contains(logs, "did not answer in time") || !strings.Contains(logs, "reconnecting") {
		t.Errorf("no watchdog or reconnect in the logs:\n%s", tail(logs, 3000))
	}
}

// TestIdleReissued: IDLE is ended and issued again every idle_restart, and
// mail arriving after that is still seen at once.
func TestIdleReissued(t *testing.T) {
	e := newEnv(t)
	e.cfg.IdleRestart = 100 * time.Millisecond
	r := e.start()
	defer r.stop(t)
	time.Sleep(450 * time.Millisecond) // several IDLE cycles
	start := time.Now()
	e.deliver("INBOX", customerMail{From: customer, Subject: "Q", MessageID: "i@example.net", Body: "How do I install the AC-35?"}.String())
	e.waitMails(1)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %s", d)
	}
	if strings.Contains(e.logs.String(), "reconnecting") {
		t.Errorf("the IDLE restarts broke the connection:\n%s", tail(e.logs.String(), 2000))
	}
}

// TestAttachmentsStored: a proof of purchase is stored under
// <data_dir>/attachments and given to the engine; one over the limit is
// skipped and named in the stored message.
func TestAttachmentsStored(t *testing.T) {
	e := newEnv(t)
	e.cfg.MaxAttachmentBytes = 2048
	png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 200)...)
	big := make([]byte, 4096)
	raw := "From: " + customer + "\nTo: " + support + "\nSubject: invoice\nMessage-ID: <att@example.net>\nMIME-Version: 1.0\n" +
		"Content-Type: multipart/mixed; boundary=\"XX\"\n\n--XX\nContent-Type: text/plain; charset=utf-8\n\nMy TV-55X has no sound, invoice attached\n" +
		"--XX\nContent-Type: image/png; name=\"invoice.png\"\nContent-Disposition: attachment; filename=\"invoice.png\"\nContent-Transfer-Encoding: base64\n\n" +
		base64.StdEncoding.EncodeToString(png) + "\n--XX\nContent-Type: application/pdf\nContent-Disposition: attachment; filename=\"huge.pdf\"\nContent-Transfer-Encoding: base64\n\n" +
		base64.StdEncoding.EncodeToString(big) + "\n--XX--\n"
	r := e.start()
	defer r.stop(t)
	e.deliver("INBOX", raw)
	e.waitMails(1)
	files := e.storedFiles()
	if len(files) != 1 {
		t.Fatalf("stored files = %v, want the invoice only", files)
	}
	f, _ := os.Open(files[0])
	got, _ := io.ReadAll(f)
	f.Close()
	if string(got) != string(png) {
		t.Error("stored attachment differs")
	}
	var text string
	e.db.SQL().QueryRow(`SELECT data ->> '$.text' FROM messages WHERE client_id = 'att@example.net'`).Scan(&text)
	if !strings.Contains(text, "huge.pdf") {
		t.Errorf("stored message does not name the skipped attachment: %q", text)
	}
	// The customer is told, in the reply, which file did not arrive and the
	// limit: it would otherwise vanish without a word.
	reply := e.waitMails(1)[0].text(t)
	if !strings.Contains(reply, "We could not receive huge.pdf: attachments are limited to 2 KB each") {
		t.Errorf("reply does not tell the customer about huge.pdf:\n%s", reply)
	}
}

// TestChineseMail: a GBK mail with an RFC 2047 GB2312 subject reaches the
// engine decoded and is answered in Chinese.
func TestChineseMail(t *testing.T) {
	e := newEnv(t)
	r := e.start()
	defer r.stop(t)
	e.deliver("INBOX", "From: =?GB2312?B?"+base64.StdEncoding.EncodeToString(gbk(t, "张三"))+"?= <zhang@example.cn>\nTo: "+support+
		"\nSubject: =?GB2312?B?"+base64.StdEncoding.EncodeToString(gbk(t, "电视没有声音"))+"?=\nMessage-ID: <zh@example.cn>\nMIME-Version: 1.0\n"+
		"Content-Type: text/plain; charset=GBK\nContent-Transfer-Encoding: base64\n\n"+base64.StdEncoding.EncodeToString(gbk(t, "我的TV-55X没有声音，2026年4月10日买的"))+"\n")
	mails := e.waitMails(1)
	if txt := mails[0].text(t); !strings.Contains(txt, "回复：") {
		t.Errorf("reply not in Chinese or without quick replies:\n%s", txt)
	}
	h := mails[0].header(t)
	if subj, _ := h.Subject(); subj != "Re: 电视没有声音" {
		t.Errorf("subject = %q", subj)
	}
	if to, _ := h.AddressList("To"); len(to) != 1 || to[0].Name != "张三" {
		t.Errorf("To = %v", to)
	}
}

// TestTLSAndAuth: IMAP over implicit TLS, SMTP with STARTTLS and AUTH
// PLAIN, with the servers' certificate verified.
func TestTLSAndAuth(t *testing.T) {
	e := newEnv(t, withTLS())
	e.sink.username, e.sink.password = "bot", "pw"
	e.cfg.SMTP.Username, e.cfg.SMTP.Password = "bot", "pw"
	r := e.start()
	defer r.stop(t)
	e.deliver("INBOX", customerMail{From: customer, Subject: "Q", MessageID: "tls@example.net", Body: "How do I install the AC-35?"}.String())
	e.waitMails(1)
	if strings.Contains(e.logs.String(), "reconnecting") {
		t.Errorf("connection trouble:\n%s", e.logs.String())
	}
}

// TestUntrustedCertificateRefused: a server whose certificate is not
// trusted is not talked to.
func TestUntrustedCertificateRefused(t *testing.T) {
	e := newEnv(t, withTLS())
	e.opts.TLSConfig = nil // the system roots do not know the test CA
	r := e.start()
	defer r.stop(t)
	e.deliver("INBOX", customerMail{From: customer, Subject: "Q", MessageID: "tls@example.net", Body: "How do I install the AC-35?"}.String())
	e.eventually("a refused connection", 5*time.Second, func() bool { return strings.Contains(e.logs.String(), "certificate") })
	if e.conversations() != 0 {
		t.Error("mail read over an untrusted connection")
	}
}

// TestWinmailDatProof: an Outlook Rich Text mail carries the photo of the
// invoice inside winmail.dat; the dialog gets invoice.jpg as the proof of
// purchase, exactly as if it had been attached on its own, and the photo
// is what is stored.
func TestWinmailDatProof(t *testing.T) {
	e := newEnv(t)
	raw := "From: \"Smith, John\" <" + customer + ">\nTo: " + support + "\nSubject: TV-55X no sound\nMessage-ID: <tnef-e2e@example.net>\n" +
		"X-MS-Has-Attach: yes\nX-MS-TNEF-Correlator: <DM6PR01MB1234@namprd01.prod.outlook.com>\nX-Mailer: Microsoft Outlook 16.0\nMIME-Version: 1.0\n" +
		"Content-Type: multipart/mixed; boundary=\"_000_DM6PR01MB\"\n\n--_000_DM6PR01MB\nContent-Type: text/plain; charset=\"us-ascii\"\n\n" +
		"My TV-55X has no sound, I bought it on 2026-04-10. The invoice is attached.\n\n" +
		"--_000_DM6PR01MB\nContent-Type: application/ms-tnef; name=\"winmail.dat\"\nContent-Disposition: attachment; filename=\"winmail.dat\"\n" +
		"Content-Transfer-Encoding: base64\n\n" + base64.StdEncoding.EncodeToString(outlookTNEF("invoice.jpg", jpegBytes)) + "\n--_000_DM6PR01MB--\n"
	r := e.start()
	defer r.stop(t)
	e.deliver("INBOX", raw)
	first := e.waitMails(1)[0]
	var proof, proofName string
	e.db.SQL().QueryRow(`SELECT data ->> '$.slots.proof.value', data ->> '$.slots.proof.raw' FROM conversations`).Scan(&proof, &proofName)
	if !strings.HasPrefix(proof, "file:attachments/") || proofName != "invoice.jpg" {
		t.Errorf("proof of purchase %q named %q, want the stored invoice.jpg", proof, proofName)
	}
	// The bot goes on without asking for the proof again.
	e.deliver("INBOX", replyTo(first, t, customer, "tnef-e2e-2@example.net", "No"))
	next := e.waitMails(2)[1]
	if txt := next.text(t); strings.Contains(txt, "proof of purchase") || !strings.Contains(txt, "dropped") {
		t.Errorf("after the troubleshooting the bot should ask the exclusions, not the proof:\n%s", txt)
	}
	e.deliver("INBOX", replyTo(next, t, customer, "tnef-e2e-3@example.net", "1. no\n2. no\n3. no"))
	summary := e.waitMails(3)[2]
	if txt := summary.text(t); !strings.Contains(txt, "Proof of purchase: uploaded invoice.jpg") {
		t.Errorf("the summary does not name invoice.jpg as the proof of purchase:\n%s", txt)
	}
	e.deliver("INBOX", replyTo(summary, t, customer, "tnef-e2e-4@example.net", "Yes"))
	e.eventually("a ticket", 5*time.Second, func() bool { return len(e.tickets()) == 1 })
	if tk := e.tickets()[0]; tk.ProofRef != proof {
		t.Errorf("ticket proof_ref %q, want %q", tk.ProofRef, proof)
	}
	files := e.storedFiles()
	if len(files) != 1 {
		t.Fatalf("stored files = %v, want the photo only", files)
	}
	if got, _ := os.ReadFile(files[0]); !bytes.Equal(got, jpegBytes) {
		t.Error("the stored file is not the photo")
	}
	if strings.Contains(e.logs.String(), "winmail.dat kept") {
		t.Errorf("winmail.dat logged as undecoded:\n%s", tail(e.logs.String(), 2000))
	}
}

// TestWinmailDatUndecodedKept: a winmail.dat that cannot be read is stored
// as it came (not lost: an agent can still open it), and why is logged.
func TestWinmailDatUndecodedKept(t *testing.T) {
	e := newEnv(t)
	broken := outlookTNEF("invoice.jpg", jpegBytes)
	broken = broken[:len(broken)-40]
	raw := "From: " + customer + "\nTo: " + support + "\nSubject: invoice\nMessage-ID: <tnef-broken@example.net>\nMIME-Version: 1.0\n" +
		"Content-Type: multipart/mixed; boundary=\"b1\"\n\n--b1\nContent-Type: text/plain; charset=\"us-ascii\"\n\nMy TV-55X has no sound, invoice attached.\n\n" +
		"--b1\nContent-Type: application/ms-tnef; name=\"winmail.dat\"\nContent-Disposition: attachment; filename=\"winmail.dat\"\n" +
		"Content-Transfer-Encoding: base64\n\n" + base64.StdEncoding.EncodeToString(broken) + "\n--b1--\n"
	r := e.start()
	defer r.stop(t)
	e.deliver("INBOX", raw)
	e.waitMails(1)
	files := e.storedFiles()
	if len(files) != 1 {
		t.Fatalf("stored files = %v, want winmail.dat as it came", files)
	}
	if got, _ := os.ReadFile(files[0]); !bytes.Equal(got, broken) {
		t.Error("the stored file is not the winmail.dat that came")
	}
	if logs := e.logs.String(); !strings.Contains(logs, "winmail.dat kept as it came") || !strings.Contains(logs, "tnef: attribute") {
		t.Errorf("the undecoded winmail.dat is not logged with its reason:\n%s", tail(logs, 2000))
	}
}

// storedFiles returns the attachment files the channel stored.
func (e *env) storedFiles() []string {
	var files []string
	filepath.WalkDir(filepath.Join(e.dataDir, "attachments"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	return files
}
