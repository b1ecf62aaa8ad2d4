package webchat_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/supportd/supportd/channels/email/mailstore"
	"github.com/supportd/supportd/channels/webchat"
	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/dialog"
	"github.com/supportd/supportd/dialog/kb"
	"github.com/supportd/supportd/internal/syncbuf"
	"github.com/supportd/supportd/store/sqlite"
	"github.com/supportd/supportd/ticketing"
)

// chromiumPath is Debian's Chromium (apt-get install chromium). Nothing in
// this test downloads a browser.
const chromiumPath = "/usr/bin/chromium"

// browserNow is the server's clock at the start of the test: a Wednesday
// evening in Beijing, after business hours, so that the welcome reports the
// next opening (Thursday 09:00) whatever day the test runs.
var browserNow = time.Date(2026, 11, 25, 20, 0, 0, 0, time.FixedZone("CST", 8*3600))

// TestBrowserWidget drives the real widget in headless Chromium against the
// real server: the demo page, a return request completed with quick replies,
// typed answers and an uploaded proof image (the ticket checked in the
// store), the history after a reload, text that looks like HTML, the
// keyboard, a server restart with a message written meanwhile, a PDF chip,
// the layout at 360 px and the English interface. Screenshots go to the
// test's artifact directory (go test -artifacts -outputdir DIR keeps them).
func TestBrowserWidget(t *testing.T) {
	needChromium(t)
	srv := startServer(t)
	b := startBrowser(t)
	shots := t.ArtifactDir()

	// The demo page with the widget from its one script tag.
	b.do("open the demo page", 20*time.Second, desktop, chromedp.Navigate(srv.URL+"/"))
	b.poll("the launcher is shown", 10*time.Second,
		`(() => { const r = `+widgetRoot+`; const l = r && r.querySelector(".sd-launcher");
		  return !!l && l.getBoundingClientRect().width > 0; })()`)
	title := evaluate[string](b, "read the page title", `document.title`)
	if !strings.Contains(title, "示例电器") {
		t.Errorf("demo page title = %q, want the demo shop's", title)
	}

	// Open the widget: a new visitor gets the greeting, the menu and the
	// after-hours notice.
	b.do("open the widget", 10*time.Second, chromedp.Click(widget(".sd-launcher"), chromedp.NodeVisible))
	b.poll("the widget is online", 15*time.Second, widgetRoot+`.querySelector(".sd-root").dataset.conn === "online"`)
	b.checkAccessibility()
	notice := b.poll("the after-hours notice", 10*time.Second,
		`(() => { const n = `+widgetRoot+`.querySelector(".sd-notice"); return !n.hidden && n.textContent; })()`)
	if !strings.Contains(notice, "非工作时间") || !strings.Contains(notice, "09:00") {
		t.Errorf("after-hours notice = %q, want the next opening at 09:00", notice)
	}
	focused := evaluate[string](b, "read the focus", widgetRoot+`.activeElement && `+widgetRoot+`.activeElement.className`)
	if focused != "sd-input" {
		t.Errorf("after opening, the focus is on %q, want the message input", focused)
	}

	b.completeReturn(shots)
	tk := ticketOf(t, srv.db)
	ticketLine := b.poll("the ticket status line", 10*time.Second,
		`(() => { const n = `+widgetRoot+`.querySelector(".sd-ticket"); return !n.hidden && n.textContent; })()`)
	if !strings.Contains(ticketLine, tk.ID) {
		t.Errorf("ticket status line = %q, want ticket %s", ticketLine, tk.ID)
	}
	b.screenshot(shots, "desktop-zh.png", true)

	// A reload keeps the conversation: the same messages, the widget open;
	// a reply the send log says went out by mail is marked so.
	before := b.transcript()
	mailed := before[len(before)-1]
	if err := srv.db.PutOutbound(context.Background(), mailstore.Outbound{MessageID: "r1@shop.example.com", ConversationID: tk.ConversationID,
		FirstSeq: int64(mailed.Seq), LastSeq: int64(mailed.Seq), Recipient: "jo@example.com", Status: mailstore.SendSent}, nil, nil); err != nil {
		t.Fatal(err)
	}
	b.do("reload the page", 20*time.Second, chromedp.Reload())
	b.poll("the widget reopens with its history", 15*time.Second,
		`(() => { const r = `+widgetRoot+`; if (!r) return false;
		  const p = r.querySelector(".sd-panel");
		  return !p.hidden && r.querySelector(".sd-root").dataset.conn === "online" &&
		    r.querySelectorAll(".sd-log .sd-msg[data-seq]").length >= `+fmt.Sprint(len(before))+`; })()`)
	after := b.transcript()
	if !equalTranscripts(before, after) {
		t.Errorf("history after the reload differs:\nbefore: %v\nafter:  %v", before, after)
	}
	b.poll("the mailed reply is marked", 10*time.Second,
		`(() => { const m = `+widgetRoot+`.querySelector('.sd-log .sd-msg[data-seq="`+fmt.Sprint(mailed.Seq)+`"] .sd-meta');
		  return !!m && m.textContent === "已发到您的邮箱"; })()`)
	if n := evaluate[int](b, "count the marked messages", `Array.from(`+widgetRoot+`.querySelectorAll(".sd-log .sd-meta")).filter((m) => m.textContent === "已发到您的邮箱").length`); n != 1 {
		t.Errorf("%d messages are marked as mailed, want 1", n)
	}
	b.poll("the proof image is shown again", 10*time.Second,
		`(() => { const i = `+widgetRoot+`.querySelector(".sd-log .sd-msg.sd-from-customer .sd-att-img");
		  return !!i && i.complete && i.naturalWidth > 0; })()`)

	b.checkXSS()
	b.checkKeyboard()
	b.checkReconnect(srv)
	b.checkPDF()
	b.checkNarrow(shots)
	b.checkEnglish(shots)
	b.checkInputKind(shots)

	if errs := b.exceptions(); len(errs) > 0 {
		t.Errorf("the page threw: %s", strings.Join(errs, "\n"))
	}
}

// needChromium skips the test when Chromium is not installed, or fails it
// with SUPPORTD_INTEGRATION=1.
func needChromium(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("SUPPORTD_INTEGRATION") == "1" {
			t.Fatalf("SUPPORTD_INTEGRATION=1 but Chromium is missing at %s: %v", chromiumPath, err)
		}
		t.Skipf("Chromium is not installed at %s (apt-get install chromium); set SUPPORTD_INTEGRATION=1 to make this a failure", chromiumPath)
	}
}

// ---- the server --------------------------------------------------------------

// testServer is supportd's web chat on a real SQLite file behind httptest.
// It can go down and come back like a restarted process: a new engine and
// channel on the same database and data directory.
type testServer struct {
	t    *testing.T
	URL  string
	db   *sqlite.DB
	cfg  *config.Config
	wc   config.Webchat
	dir  string
	now  func() time.Time
	log  *slog.Logger
	h    atomic.Pointer[http.Handler]
	stop func() // ends the running channel; nil while down
}

// startServer starts the server; it stops when the test ends. The mutators
// adjust the web chat configuration.
func startServer(t *testing.T, mutate ...func(*config.Webchat)) *testServer {
	t.Helper()
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "supportd.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })

	offset := time.Until(browserNow)
	logs := &syncbuf.Buffer{}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	s := &testServer{
		t: t, db: db, cfg: cfg, dir: dir,
		now: func() time.Time { return time.Now().Add(offset) },
		log: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	hs := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		(*s.h.Load()).ServeHTTP(w, r)
	}))
	s.wc = cfg.Channels.Webchat
	s.wc.AllowedOrigins = append(s.wc.AllowedOrigins, "http://"+hs.Listener.Addr().String())
	for _, m := range mutate {
		m(&s.wc)
	}
	s.up()
	hs.Start()
	s.URL = hs.URL
	t.Cleanup(func() {
		s.down()
		hs.Close()
	})
	return s
}

// up starts an engine and a channel and routes the requests to them.
func (s *testServer) up() {
	t := s.t
	t.Helper()
	eng, err := dialog.New(dialog.Options{
		Policy: &s.cfg.Policy, Store: s.db, Knowledge: dialog.KnowledgeBase(kb.Default()),
		Now: s.now, Logger: s.log.With("component", "dialog"),
	})
	if err != nil {
		t.Fatal(err)
	}
	ch, err := webchat.New(webchat.Options{
		Engine: eng, Store: s.db, Config: s.wc, DataDir: s.dir,
		Logger: s.log.With("channel", "webchat"), Now: s.now, Mailed: s.db,
	})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	ch.Register(mux)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ch.Run(ctx) }()
	s.stop = func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("webchat Run: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("webchat Run did not return within 10s of its context ending")
		}
	}
	var h http.Handler = mux
	s.h.Store(&h)
}

// down answers every request with 503 and stops the channel, which closes
// its sockets.
func (s *testServer) down() {
	var h http.Handler = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
	})
	s.h.Store(&h)
	if s.stop != nil {
		s.stop()
		s.stop = nil
	}
}

// ticketOf returns the one return ticket and checks that it has the uploaded
// file as its proof of purchase.
func ticketOf(t *testing.T, db *sqlite.DB) *ticketing.Ticket {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	list, err := db.List(ctx, ticketing.Filter{Kind: ticketing.KindReturn})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 {
		t.Fatalf("the store has %d return tickets, want 1", len(list))
	}
	tk := list[0]
	if tk.Channel != webchat.ChannelName {
		t.Errorf("ticket %s channel = %q, want %q", tk.ID, tk.Channel, webchat.ChannelName)
	}
	if !strings.HasPrefix(tk.ProofRef, "file:") {
		t.Errorf("ticket %s proof_ref = %q, want the uploaded file (file:…)", tk.ID, tk.ProofRef)
	}
	return tk
}

// ---- the browser -------------------------------------------------------------

// widgetRoot is the widget's shadow root, in the page's JavaScript.
const widgetRoot = `document.querySelector("#supportd-widget")?.shadowRoot`

// widget selects an element inside the widget's shadow root.
func widget(css string) chromedp.JSPath {
	return chromedp.JSPath(widgetRoot + `?.querySelector(` + jsString(css) + `)`)
}

func jsString(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err) // a string always marshals
	}
	return string(b)
}

type browser struct {
	t   *testing.T
	ctx context.Context // the tab; every step derives its own deadline

	mu   sync.Mutex
	logs []chromedp.ConsoleMessage
}

// startBrowser starts headless Chromium with a desktop window and the
// visitor's time zone set to Beijing.
func startBrowser(t *testing.T) *browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("lang", "zh-CN"),
		chromedp.WindowSize(1280, 860),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
	})
	b := &browser{t: t, ctx: ctx}

	// The first action starts the browser; it must not carry a deadline
	// (that would end the browser with it), so it is bounded from outside.
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx, chromedp.Navigate("about:blank")) }()
	select {
	case err := <-started:
		if err != nil {
			t.Fatalf("start Chromium: %v", err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("Chromium did not start within 60s")
	}

	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.logs = append(b.logs, m)
			b.mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		if t.Failed() {
			b.mu.Lock()
			defer b.mu.Unlock()
			for _, m := range b.logs {
				t.Logf("console: %s", m)
			}
		}
	})
	b.call("set the time zone", func(ctx context.Context) error {
		_, err := chromedp.Call(ctx, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "Asia/Shanghai"})
		return err
	})
	return b
}

// exceptions returns the uncaught exceptions the page reported.
func (b *browser) exceptions() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, m := range b.logs {
		if m.IsException() {
			out = append(out, m.String())
		}
	}
	return out
}

// do runs actions with a deadline and stops the test on an error.
func (b *browser) do(step string, timeout time.Duration, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, timeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.fatal(step, err)
	}
}

func (b *browser) call(step string, fn func(ctx context.Context) error) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	if err := fn(ctx); err != nil {
		b.fatal(step, err)
	}
}

// fatal stops the test with what the widget showed.
func (b *browser) fatal(step string, err error) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	shown, _ := chromedp.Run(ctx, chromedp.Evaluate[string](
		`(() => { const r = `+widgetRoot+`; return r ? r.querySelector(".sd-panel").innerText : "(no widget)"; })()`))
	b.t.Fatalf("%s: %v\nthe widget shows:\n%s", step, err, shown)
}

// poll waits up to timeout for a JavaScript expression to be truthy and
// returns its value as text.
func (b *browser) poll(step string, timeout time.Duration, expr string) string {
	b.t.Helper()
	return pollValue[string](b, step, timeout, `(() => { const v = (`+expr+`); return v ? String(v) : v; })()`)
}

func pollValue[T any](b *browser, step string, timeout time.Duration, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, timeout+5*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Poll[T](expr,
		chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(timeout)))
	if err != nil {
		b.fatal("waiting for "+step, err)
	}
	return v
}

func evaluate[T any](b *browser, step, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.fatal(step, err)
	}
	return v
}

// desktop is the screen of a desktop browser.
var desktop = chromedp.EmulateViewport(desktopWidth, desktopHeight)

const desktopWidth, desktopHeight = 1280, 900

// enter presses Enter with no char event, as a keyboard does when the page
// handles the key down.
var enter = chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
	for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeRawKeyDown, input.DispatchKeyEventTypeKeyUp} {
		if _, err := chromedp.Call(ctx, input.DispatchKeyEvent, input.DispatchKeyEventParams{
			Type: typ, Key: "Enter", Code: "Enter", WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13,
		}); err != nil {
			return err
		}
	}
	return nil
})

// say types text into the widget, sends it with Enter and waits until the
// server has echoed it.
func (b *browser) say(text string) {
	b.t.Helper()
	n := evaluate[int](b, "count the messages", widgetRoot+`.querySelectorAll(".sd-log .sd-msg").length`)
	b.do("type "+text, 15*time.Second,
		chromedp.SendKeys(widget(".sd-input"), text, chromedp.NodeVisible),
		enter)
	b.poll("the echo of "+text, 10*time.Second,
		`(() => { const r = `+widgetRoot+`; const ms = r.querySelectorAll(".sd-log .sd-msg");
		  const m = ms[ms.length - 1];
		  return r.querySelector(".sd-input").value === "" && ms.length > `+fmt.Sprint(n)+` &&
		    Array.from(r.querySelectorAll(".sd-log .sd-msg.sd-from-customer[data-seq] .sd-bubble"))
		      .some((x) => x.textContent === `+jsString(text)+`); })()`)
}

// choose clicks the quick reply labelled label on the bot message seq.
func (b *browser) choose(seq int, label string) {
	b.t.Helper()
	sel := chromedp.JSPath(`Array.from(` + widgetRoot + `.querySelectorAll('.sd-msg[data-seq="` + fmt.Sprint(seq) +
		`"] .sd-choices:not([hidden]) .sd-choice')).find((x) => x.textContent === ` + jsString(label) + `)`)
	b.do("click the quick reply "+label, 10*time.Second, chromedp.Click(sel, chromedp.NodeVisible))
	b.poll("the echo of "+label, 10*time.Second,
		`Array.from(`+widgetRoot+`.querySelectorAll(".sd-log .sd-msg.sd-from-customer[data-seq] .sd-bubble"))
		  .some((x) => x.textContent === `+jsString(label)+`)`)
}

// upload sends a PNG through the attach button's file input and waits for
// its preview in an acknowledged message.
func (b *browser) upload(path string) {
	b.t.Helper()
	b.do("upload "+filepath.Base(path), 10*time.Second, chromedp.SetUploadFiles(widget(".sd-file"), []string{path}))
	b.poll("the acknowledged image preview", 15*time.Second,
		`(() => { const i = `+widgetRoot+`.querySelector(".sd-log .sd-msg.sd-from-customer[data-seq] .sd-att-img");
		  return !!i && i.src.startsWith("blob:") && i.complete && i.naturalWidth > 0; })()`)
}

// checkPDF uploads a PDF: the widget shows a file chip with its name, not
// an image.
func (b *browser) checkPDF() {
	t := b.t
	t.Helper()
	path := filepath.Join(t.TempDir(), "invoice.pdf")
	pdf := "%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
	if err := os.WriteFile(path, []byte(pdf), 0o600); err != nil {
		t.Fatal(err)
	}
	b.do("upload invoice.pdf", 10*time.Second, chromedp.SetUploadFiles(widget(".sd-file"), []string{path}))
	b.poll("the acknowledged file chip", 15*time.Second,
		`(() => { const ms = `+widgetRoot+`.querySelectorAll(".sd-log .sd-msg.sd-from-customer[data-seq]");
		  const m = ms[ms.length - 1];
		  return !!m && !m.querySelector("img") && m.querySelector(".sd-chip .sd-chip-name")?.textContent === "invoice.pdf"; })()`)
}

// prompts are the questions of the return journey (dialog/texts.yaml), most
// specific first: the summary also names the proof of purchase.
var prompts = [][2]string{
	{"done", "工单号"},
	{"confirm", "信息正确吗"},
	{"options", "您可以选择"},
	{"packaging", "包装是否完好"},
	{"proof", "购买凭证"},
	{"fault", "故障现象"},
	{"purchased", "什么时候购买"},
	{"exact_date", "具体哪一天"},
	{"misuse", "跌落、进水"},
	{"opened", "拆开或维修"},
	{"model", "产品型号"},
	{"menu", "请问有什么可以帮您"},
}

type prompt struct {
	Key  string `json:"key"`
	Seq  int    `json:"seq"`
	Text string `json:"text"`
}

// nextPrompt waits for a bot question newer than seq.
func (b *browser) nextPrompt(after int) prompt {
	b.t.Helper()
	list, err := json.Marshal(prompts)
	if err != nil {
		b.t.Fatal(err)
	}
	return pollValue[prompt](b, fmt.Sprintf("a bot question after message %d", after), 20*time.Second,
		`(() => {
		  const ms = Array.from(`+widgetRoot+`.querySelectorAll(".sd-log .sd-msg.sd-from-bot[data-seq]"))
		    .filter((m) => Number(m.dataset.seq) > `+fmt.Sprint(after)+`).reverse();
		  for (const m of ms) {
		    const text = m.querySelector(".sd-bubble").textContent;
		    for (const [key, s] of `+string(list)+`) if (text.includes(s)) return {key, seq: Number(m.dataset.seq), text};
		  }
		  return null;
		})()`)
}

// completeReturn answers the bot's questions until the return is booked:
// quick replies where the bot offers them, typed text, and a photo of the
// receipt as the proof of purchase.
func (b *browser) completeReturn(dir string) {
	t := b.t
	t.Helper()
	proof := filepath.Join(t.TempDir(), "receipt.png")
	writeReceipt(t, proof)

	p := b.nextPrompt(0)
	if p.Key != "menu" {
		t.Fatalf("the first question is %q, want the menu", p.Text)
	}
	b.choose(p.Seq, "退货/换货")
	seen := map[string]int{}
	uploaded := false
	for {
		p = b.nextPrompt(p.Seq)
		if seen[p.Key]++; seen[p.Key] > 2 {
			t.Fatalf("the bot asks %q a third time", p.Text)
		}
		switch p.Key {
		case "model":
			b.say("AP-300 前天买的，有异味")
		case "fault":
			b.say("有异味，开机就有一股焦味")
		case "purchased", "exact_date":
			b.say("前天")
		case "proof":
			b.upload(proof)
			b.screenshot(dir, "desktop-upload-zh.png", false)
			uploaded = true
		case "packaging":
			b.choose(p.Seq, "是")
		case "options":
			b.choose(p.Seq, "退货")
		case "misuse", "opened":
			b.choose(p.Seq, "否")
		case "confirm":
			for _, want := range []string{"AP-300", "receipt.png", "退货"} {
				if !strings.Contains(p.Text, want) {
					t.Errorf("the summary lacks %q:\n%s", want, p.Text)
				}
			}
			b.choose(p.Seq, "是")
		case "done":
			if !uploaded {
				t.Error("the return was booked without the uploaded proof")
			}
			return
		default:
			t.Fatalf("unexpected question %q", p.Text)
		}
	}
}

// writeReceipt writes a small PNG that looks a little like a receipt.
func writeReceipt(t *testing.T, path string) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 120, 160))
	for y := range 160 {
		for x := range 120 {
			c := color.RGBA{250, 250, 246, 255}
			if y%16 < 3 && x > 12 && x < 108-(y%48) {
				c = color.RGBA{90, 96, 110, 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

// line is one message as the widget shows it.
type line struct {
	Seq   int    `json:"seq"`
	From  string `json:"from"`
	Text  string `json:"text"`
	Image bool   `json:"image"`
}

func (l line) String() string { return fmt.Sprintf("%d %s %q img=%v", l.Seq, l.From, l.Text, l.Image) }

// transcript returns the acknowledged messages the widget shows.
func (b *browser) transcript() []line {
	return evaluate[[]line](b, "read the transcript",
		`Array.from(`+widgetRoot+`.querySelectorAll(".sd-log .sd-msg[data-seq]")).map((m) => ({
		  seq: Number(m.dataset.seq), from: m.dataset.from,
		  text: Array.from(m.querySelectorAll(".sd-bubble")).map((x) => x.textContent).join("\n"),
		  image: !!m.querySelector(".sd-att-img") }))`)
}

func equalTranscripts(a, b []line) bool {
	if len(a) != len(b) || len(a) == 0 {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// checkAccessibility checks the roles and labels the widget promises.
func (b *browser) checkAccessibility() {
	b.t.Helper()
	problems := evaluate[[]string](b, "check the ARIA roles", `(() => {
	  const r = `+widgetRoot+`, out = [];
	  const p = r.querySelector(".sd-panel"), log = r.querySelector(".sd-log");
	  if (p.getAttribute("role") !== "dialog" || !p.getAttribute("aria-labelledby")) out.push("the panel is not a labelled dialog");
	  if (log.getAttribute("role") !== "log" || log.getAttribute("aria-live") !== "polite") out.push("the messages are not a polite live log");
	  for (const btn of r.querySelectorAll("button")) {
	    if (!(btn.getAttribute("aria-label") || btn.textContent.trim())) out.push("a button has no label: " + btn.className);
	  }
	  if (!r.querySelector(".sd-input").getAttribute("aria-label")) out.push("the input has no label");
	  return out;
	})()`)
	for _, p := range problems {
		b.t.Error(p)
	}
}

// checkXSS sends texts that are HTML and checks that they show as text,
// run nothing and create no element.
func (b *browser) checkXSS() {
	t := b.t
	t.Helper()
	count := func() int {
		return evaluate[int](b, "count the images", widgetRoot+`.querySelectorAll("img, svg, script, iframe").length`)
	}
	before := count()
	for _, s := range []string{`<img src=x onerror="window.__xss=1">`, `<svg onload=window.__xss=2>`} {
		b.say(s)
		children := evaluate[int](b, "inspect the bubble",
			`Array.from(`+widgetRoot+`.querySelectorAll(".sd-log .sd-msg.sd-from-customer .sd-bubble"))
			  .filter((x) => x.textContent === `+jsString(s)+`).reduce((n, x) => n + x.children.length, 0)`)
		if children != 0 {
			t.Errorf("the message %s became %d elements", s, children)
		}
	}
	// The bot answers after the echo; by then an injected handler would
	// have run.
	b.poll("the bot's answer to the last text", 15*time.Second,
		`(() => { const ms = `+widgetRoot+`.querySelectorAll(".sd-log .sd-msg[data-seq]");
		  return ms.length && ms[ms.length - 1].dataset.from === "bot"; })()`)
	if got := evaluate[string](b, "read window.__xss", `typeof window.__xss`); got != "undefined" {
		t.Errorf("window.__xss is %s: the widget ran a script from a message", got)
	}
	if after := count(); after != before {
		t.Errorf("the widget has %d img/svg/script/iframe elements after the HTML-like messages, %d before", after, before)
	}
}

// checkKeyboard closes the widget with Escape and opens it with the
// keyboard.
func (b *browser) checkKeyboard() {
	b.t.Helper()
	b.do("focus the input and press Escape", 10*time.Second,
		chromedp.Focus(widget(".sd-input")),
		chromedp.KeyEvent("\u001b")) // Escape (chromedp/kb.Escape)
	b.poll("the panel closes with the focus on the launcher", 5*time.Second,
		`(() => { const r = `+widgetRoot+`; return r.querySelector(".sd-panel").hidden &&
		  r.activeElement === r.querySelector(".sd-launcher") &&
		  r.querySelector(".sd-launcher").getAttribute("aria-expanded") === "false"; })()`)
	b.do("press Enter on the launcher", 10*time.Second, chromedp.KeyEvent("\r"))
	b.poll("the panel opens with the focus in the input", 5*time.Second,
		`(() => { const r = `+widgetRoot+`; return !r.querySelector(".sd-panel").hidden &&
		  r.activeElement === r.querySelector(".sd-input"); })()`)
}

// checkReconnect takes the server down, writes while it is away and brings
// it back: the widget shows the lost connection, keeps the message, and
// sends it once after reconnecting.
func (b *browser) checkReconnect(s *testServer) {
	t := b.t
	t.Helper()
	s.down()
	b.poll("the widget shows the lost connection", 10*time.Second,
		`(() => { const r = `+widgetRoot+`; return r.querySelector(".sd-root").dataset.conn === "waiting" &&
		  r.querySelector(".sd-conn-text").textContent.includes("连接中断") &&
		  !r.querySelector(".sd-conn-row .sd-link").hidden; })()`)
	const text = "请问滤网多久需要更换？"
	b.do("write while the server is down", 10*time.Second,
		chromedp.SendKeys(widget(".sd-input"), text, chromedp.NodeVisible), enter)
	b.poll("the message waits", 5*time.Second,
		`Array.from(`+widgetRoot+`.querySelectorAll('.sd-log .sd-msg[data-state="queued"] .sd-bubble'))
		  .some((x) => x.textContent === `+jsString(text)+`)`)
	s.up()
	b.do("click reconnect now", 10*time.Second, chromedp.Click(widget(".sd-conn-row .sd-link"), chromedp.NodeVisible))
	b.poll("the kept message is sent and echoed", 15*time.Second,
		`(() => { const r = `+widgetRoot+`; return r.querySelector(".sd-root").dataset.conn === "online" &&
		  Array.from(r.querySelectorAll(".sd-log .sd-msg.sd-from-customer[data-seq]:not([data-state]) .sd-bubble"))
		    .some((x) => x.textContent === `+jsString(text)+`); })()`)

	conv := evaluate[string](b, "read the conversation id",
		`JSON.parse(localStorage.getItem("supportd:v1:" + location.origin + ":conversation"))`)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	hist, err := s.db.History(ctx, conv, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range hist {
		if m.Dir == dialog.In && m.Text == text {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the message written while the server was down is %d times in the conversation, want once", n)
	}
}

// checkEnglish switches the demo page to English: the widget's interface
// follows.
func (b *browser) checkEnglish(dir string) {
	b.t.Helper()
	b.do("back to the desktop", 10*time.Second, desktop)
	b.poll("the desktop width", 5*time.Second, `innerWidth > 1000`)
	b.do("switch the page to English", 10*time.Second, chromedp.Click(chromedp.ID("lang-toggle"), chromedp.NodeVisible))
	b.poll("the widget in English", 5*time.Second,
		`(() => { const r = `+widgetRoot+`; return r.querySelector(".sd-title").textContent === "After-sales service" &&
		  r.querySelector(".sd-notice").textContent.includes("outside business hours") &&
		  r.querySelector(".sd-ticket").textContent.startsWith("Ticket T-") &&
		  r.querySelector(".sd-input").placeholder === "Type a message…"; })()`)
	b.screenshot(dir, "desktop-en.png", true)
}

// checkInputKind books an installation: when the bot asks for a phone
// number the message box asks for one too (the phone's number keypad,
// autofill), and after the answer it is a plain message box again.
func (b *browser) checkInputKind(dir string) {
	b.t.Helper()
	for _, s := range []string{"I need someone to install my TV-65X", "12 Nanjing Road, Hangzhou", "Saturday afternoon"} {
		b.say(s)
	}
	b.poll("the message box asks for a phone number", 10*time.Second,
		`(() => { const i = `+widgetRoot+`.querySelector(".sd-input");
		  return i.getAttribute("inputmode") === "tel" && i.getAttribute("autocomplete") === "tel" && i.placeholder === "Your phone number…"; })()`)
	b.screenshot(dir, "desktop-phone-en.png", true)
	b.say("13712345678")
	b.poll("the message box is for text again", 10*time.Second,
		`(() => { const r = `+widgetRoot+`, i = r.querySelector(".sd-input");
		  return r.querySelector(".sd-log .sd-msg:last-child .sd-choices") !== null &&
		    !i.hasAttribute("inputmode") && i.getAttribute("autocomplete") === "off" && i.placeholder === "Type a message…"; })()`)
}

// checkNarrow checks the panel at 360×740: all of it on screen, full width.
func (b *browser) checkNarrow(dir string) {
	t := b.t
	t.Helper()
	b.do("emulate a 360 px phone", 10*time.Second,
		chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile, chromedp.EmulateScale(2)))
	type box struct {
		W        float64  `json:"w"`
		H        float64  `json:"h"`
		Left     float64  `json:"left"`
		Top      float64  `json:"top"`
		Right    float64  `json:"right"`
		Bottom   float64  `json:"bottom"`
		Overflow []string `json:"overflow"`
	}
	got := pollValue[box](b, "the panel at 360 px", 5*time.Second, `(() => {
	  if (innerWidth !== 360) return null;
	  const r = `+widgetRoot+`, p = r.querySelector(".sd-panel").getBoundingClientRect();
	  const overflow = Array.from(r.querySelectorAll(".sd-panel *")).filter((e) => {
	    const b = e.getBoundingClientRect();
	    return b.width > 0 && (b.left < -0.5 || b.right > innerWidth + 0.5);
	  }).map((e) => e.className.baseVal ?? e.className);
	  return {w: innerWidth, h: innerHeight, left: p.left, top: p.top, right: p.right, bottom: p.bottom, overflow};
	})()`)
	if got.Left < 0 || got.Top < 0 || got.Right > got.W || got.Bottom > got.H {
		t.Errorf("at 360 px the panel is at %+v, outside the %gx%g viewport", got, got.W, got.H)
	}
	if got.Right-got.Left < got.W-1 {
		t.Errorf("at 360 px the panel is %g px wide, want the full width %g", got.Right-got.Left, got.W)
	}
	if len(got.Overflow) > 0 {
		t.Errorf("at 360 px these elements stick out of the screen: %v", got.Overflow)
	}
	b.screenshot(dir, "mobile-360-zh.png", false)
}

// screenshot saves a screenshot of the viewport under dir and logs its
// path, once the log shows its newest message. With full, the desktop
// viewport first grows to the page's height: a full-page screenshot without
// CaptureBeyondViewport, whose extra layout moves the log's scroll position.
func (b *browser) screenshot(dir, name string, full bool) {
	b.t.Helper()
	if full {
		h := evaluate[int](b, "measure the page", `document.documentElement.scrollHeight`)
		b.do("fit the page", 10*time.Second, chromedp.EmulateViewport(desktopWidth, int64(max(h, desktopHeight))))
		b.poll("the page fits", 5*time.Second, `innerHeight >= document.documentElement.scrollHeight`)
	}
	b.poll("the log scrolled to its end for "+name, 5*time.Second,
		`(() => { const l = `+widgetRoot+`.querySelector(".sd-log");
		  return l.clientHeight > 0 && l.scrollHeight - l.scrollTop - l.clientHeight < 2; })()`)
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	img, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.fatal("screenshot "+name, err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, img, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot: %s", path)
}
