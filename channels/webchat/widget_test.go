package webchat_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/gorilla/websocket"

	"github.com/supportd/supportd/config"
	"github.com/supportd/supportd/dialog"
)

// Tests of the widget's behaviour in the real browser against the real
// server, one behaviour each; browser_test.go has the whole journey.

// openWidget opens the demo page's widget and waits until it is online.
func (b *browser) openWidget() {
	b.t.Helper()
	b.do("open the widget", 10*time.Second, chromedp.Click(widget(".sd-launcher"), chromedp.NodeVisible))
	b.poll("the widget is online", 15*time.Second, widgetRoot+`.querySelector(".sd-root").dataset.conn === "online"`)
}

// setText puts text in the message box as a paste does: at once, with one
// input event.
func (b *browser) setText(text string) {
	b.t.Helper()
	evaluate[bool](b, "paste into the message box", `(() => { const i = `+widgetRoot+`.querySelector(".sd-input");
	  i.focus(); i.value = `+jsString(text)+`; i.dispatchEvent(new Event("input", {bubbles: true})); return true; })()`)
}

// countSockets makes every page of the tab count the WebSockets it opens
// in window.__sockets.
func (b *browser) countSockets() {
	b.t.Helper()
	b.call("count the sockets", func(ctx context.Context) error {
		_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: `
		  window.__sockets = 0;
		  window.WebSocket = class extends window.WebSocket {
		    constructor(...a) { super(...a); window.__sockets++; }
		  };`})
		return err
	})
}

// TestWidgetTooLargeMessage: a message whose frame is over the server's
// max_frame_bytes (1009) is shown as not sent, with the reason, and is not
// sent again: the widget reconnects once, the next message goes through,
// and after a reload nothing is pending.
func TestWidgetTooLargeMessage(t *testing.T) {
	needChromium(t)
	srv := startServer(t, func(w *config.Webchat) { w.MaxFrameBytes = 2048 })
	b := startBrowser(t)
	b.countSockets()
	b.do("open the demo page", 20*time.Second, desktop, chromedp.Navigate(srv.URL+"/"))
	b.openWidget()

	long := strings.Repeat("我的电视没有声音", 125) // 1000 characters, 3000 bytes
	b.setText(long)
	b.do("send the long message", 10*time.Second, enter)
	shown := b.poll("the long message is marked as not sent", 10*time.Second,
		`(() => { const m = `+widgetRoot+`.querySelector('.sd-msg[data-state="failed"]');
		  return m && m.querySelector(".sd-bubble").textContent.length === 1000 && !m.querySelector(".sd-meta button") &&
		    m.querySelector(".sd-meta").textContent; })()`)
	if !strings.Contains(shown, "消息太长") {
		t.Errorf("the failed message says %q, want that it is too long", shown)
	}
	b.poll("the widget is online again", 15*time.Second, widgetRoot+`.querySelector(".sd-root").dataset.conn === "online"`)
	b.say("你好")
	if n := evaluate[int](b, "count the sockets", `window.__sockets`); n != 2 {
		t.Errorf("the widget opened %d sockets, want 2 (one reconnect after the 1009)", n)
	}

	b.do("reload", 20*time.Second, chromedp.Reload())
	b.poll("the history after the reload", 15*time.Second,
		`(() => { const r = `+widgetRoot+`; return r && r.querySelector(".sd-root").dataset.conn === "online" &&
		  Array.from(r.querySelectorAll(".sd-msg[data-seq] .sd-bubble")).some((x) => x.textContent === "你好"); })()`)
	left := evaluate[int](b, "look for the long message", `Array.from(`+widgetRoot+`.querySelectorAll(".sd-msg .sd-bubble")).filter((x) => x.textContent === `+jsString(long)+`).length`)
	if left != 0 {
		t.Errorf("after the reload the long message is shown %d times, want it gone (it was never sent)", left)
	}
	if n := evaluate[int](b, "count the sockets", `window.__sockets`); n != 1 {
		t.Errorf("after the reload the widget opened %d sockets, want 1", n)
	}
}

// TestWidgetFailedUploadKeepsChoices: an upload the server refuses (a text
// file) is marked as not sent, but neither hides the quick replies of the
// question it follows nor those of the questions after it, which are shown
// after the failed message.
func TestWidgetFailedUploadKeepsChoices(t *testing.T) {
	needChromium(t)
	srv := startServer(t)
	b := startBrowser(t)
	notes := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(notes, []byte("not a receipt\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	b.do("open the demo page", 20*time.Second, desktop, chromedp.Navigate(srv.URL+"/"))
	b.openWidget()
	menu := b.nextPrompt(0)
	b.do("upload a text file", 10*time.Second, chromedp.SetUploadFiles(widget(".sd-file"), []string{notes}))
	b.poll("the upload is refused", 10*time.Second, widgetRoot+`.querySelector('.sd-msg[data-state="failed"]') !== null`)
	shownChoices := func(seq int) int {
		return evaluate[int](b, "count the shown quick replies", widgetRoot+`.querySelectorAll('.sd-msg[data-seq="`+fmt.Sprint(seq)+`"] .sd-choices:not([hidden]) .sd-choice:not([disabled])').length`)
	}
	if n := shownChoices(menu.Seq); n == 0 {
		t.Errorf("after the failed upload the menu's quick replies are hidden")
	}
	b.choose(menu.Seq, "退货/换货")
	for p := menu; ; {
		p = b.nextPrompt(p.Seq)
		switch p.Key {
		case "model":
			b.say("AP-300 前天买的，有异味")
			continue
		case "fault":
			b.say("有异味，开机就有一股焦味")
			continue
		case "purchased", "exact_date":
			b.say("前天")
			continue
		}
		if n := shownChoices(p.Seq); n == 0 {
			t.Errorf("the question %q after the failed upload shows no quick replies", p.Text)
		}
		break
	}
	order := evaluate[string](b, "read the order of the log", `Array.from(`+widgetRoot+`.querySelectorAll(".sd-log > .sd-msg")).map((m) => m.dataset.state || m.dataset.from).join(" ")`)
	if strings.HasSuffix(order, "failed") {
		t.Errorf("the failed upload is still the last message: %s", order)
	}
}

// waitLog waits for a console message or browser log entry that contains
// s.
func (b *browser) waitLog(s string, timeout time.Duration) {
	b.t.Helper()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(timeout)
	for {
		b.mu.Lock()
		for _, m := range b.logs {
			if strings.Contains(m.String(), s) {
				b.mu.Unlock()
				return
			}
		}
		b.mu.Unlock()
		select {
		case <-tick.C:
		case <-deadline:
			b.fatal("waiting for the console message "+s, context.DeadlineExceeded)
		}
	}
}

// cspShop serves a shop page on another origin than the server, with the
// widget's script tag and a Content-Security-Policy made by csp from the
// server's URL; the server allows the shop's origin.
func cspShop(t *testing.T, csp func(server string) string) (shop string, srv *testServer) {
	t.Helper()
	var server atomic.Value
	ps := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := server.Load().(string)
		w.Header().Set("Content-Security-Policy", csp(s))
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="zh"><head><title>shop</title></head><body><h1>shop</h1><script src="%s/widget.js" async></script></body></html>`, s)
	}))
	t.Cleanup(ps.Close)
	srv = startServer(t, func(w *config.Webchat) { w.AllowedOrigins = append(w.AllowedOrigins, ps.URL) })
	server.Store(srv.URL)
	return ps.URL, srv
}

// TestWidgetStrictCSP: on a page whose Content-Security-Policy allows
// what the README lists except blob: images, the chat works and an
// uploaded receipt shows as a file chip instead of a broken image.
func TestWidgetStrictCSP(t *testing.T) {
	needChromium(t)
	shop, _ := cspShop(t, func(s string) string {
		ws := "ws" + strings.TrimPrefix(s, "http")
		return "default-src 'none'; script-src " + s + "; style-src " + s + "; connect-src " + s + " " + ws + "; img-src 'self'"
	})
	b := startBrowser(t)
	b.do("open the shop", 20*time.Second, desktop, chromedp.Navigate(shop))
	b.openWidget()
	receipt := filepath.Join(t.TempDir(), "receipt.png")
	writeReceipt(t, receipt)
	b.do("upload the receipt", 10*time.Second, chromedp.SetUploadFiles(widget(".sd-file"), []string{receipt}))
	b.poll("the receipt as a file chip", 15*time.Second,
		`(() => { const m = `+widgetRoot+`.querySelector(".sd-log .sd-msg.sd-from-customer[data-seq]");
		  return !!m && !m.querySelector("img") && m.querySelector(".sd-chip .sd-chip-name")?.textContent === "receipt.png"; })()`)
}

// TestWidgetCSSBlocked: on a page whose style-src does not allow the
// server, widget.css cannot load: the widget stays hidden instead of
// showing an unstyled grey button, and says why in the console.
func TestWidgetCSSBlocked(t *testing.T) {
	needChromium(t)
	shop, _ := cspShop(t, func(s string) string {
		ws := "ws" + strings.TrimPrefix(s, "http")
		return "default-src 'none'; script-src " + s + "; style-src 'self'; connect-src " + s + " " + ws
	})
	b := startBrowser(t)
	b.do("open the shop", 20*time.Second, desktop, chromedp.Navigate(shop))
	b.waitLog("widget.css did not load", 10*time.Second)
	shown := evaluate[string](b, "look at the widget", `(() => { const h = document.querySelector("#supportd-widget");
	  const l = h.shadowRoot.querySelector(".sd-launcher").getBoundingClientRect();
	  return getComputedStyle(h).display + " " + l.width + "x" + l.height; })()`)
	if shown != "none 0x0" {
		t.Errorf("without its CSS the widget shows (display, launcher size): %s, want it hidden", shown)
	}
}

// TestWidgetTouchNoFocus: on a touch screen opening the chat and sending a
// message do not put the focus in the message box, whose on-screen
// keyboard would cover the greeting and the menu.
func TestWidgetTouchNoFocus(t *testing.T) {
	needChromium(t)
	srv := startServer(t)
	b := startBrowser(t)
	b.do("emulate a phone with a touch screen", 10*time.Second,
		chromedp.EmulateViewport(390, 800, chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate(srv.URL+"/"))
	if !evaluate[bool](b, "check the pointer", `matchMedia("(pointer: coarse)").matches`) {
		t.Fatal("the emulated phone has no coarse pointer")
	}
	b.openWidget()
	b.nextPrompt(0)
	inInput := `(() => { const r = ` + widgetRoot + `; return r.activeElement === r.querySelector(".sd-input"); })()`
	if evaluate[bool](b, "read the focus", inInput) {
		t.Error("opening the chat on a touch screen put the focus in the message box")
	}
	b.setText("你好")
	b.do("tap send", 10*time.Second, chromedp.Click(widget(".sd-send"), chromedp.NodeVisible))
	b.poll("the echo", 10*time.Second, `Array.from(`+widgetRoot+`.querySelectorAll(".sd-msg[data-seq] .sd-bubble")).some((x) => x.textContent === "你好")`)
	if evaluate[bool](b, "read the focus", inInput) {
		t.Error("sending with the send button on a touch screen put the focus back in the message box")
	}
}

// TestWidgetCloseKeepsPageFocus: supportd.close() called by the page, on
// a closed widget or an open one, leaves the focus where the page put it.
func TestWidgetCloseKeepsPageFocus(t *testing.T) {
	needChromium(t)
	srv := startServer(t)
	b := startBrowser(t)
	b.do("open the demo page", 20*time.Second, desktop, chromedp.Navigate(srv.URL+"/"))
	b.poll("the launcher", 10*time.Second, widgetRoot+`?.querySelector(".sd-launcher") != null`)
	closeFrom := `(() => { let q = document.getElementById("search");
	  if (!q) { q = document.createElement("input"); q.id = "search"; document.body.prepend(q); }
	  q.focus(); window.supportd.close(); return document.activeElement.id; })()`
	if got := evaluate[string](b, "close the closed widget", closeFrom); got != "search" {
		t.Errorf("after supportd.close() on a closed widget the focus is on #%s, want the page's #search", got)
	}
	b.openWidget()
	if got := evaluate[string](b, "close the open widget", closeFrom); got != "search" {
		t.Errorf("after supportd.close() on an open widget the focus is on #%s, want the page's #search", got)
	}
	if !evaluate[bool](b, "check the panel", widgetRoot+`.querySelector(".sd-panel").hidden`) {
		t.Error("supportd.close() left the panel open")
	}
}

// newTab opens another tab of the same browser (the same localStorage),
// closed when the test ends.
func (b *browser) newTab() *browser {
	t := b.t
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	t.Cleanup(cancel)
	// The first action opens the tab; like the browser's, it carries no
	// deadline and is bounded from outside.
	opened := make(chan error, 1)
	go func() { opened <- chromedp.Do(ctx, chromedp.Navigate("about:blank")) }()
	select {
	case err := <-opened:
		if err != nil {
			t.Fatalf("open a second tab: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the second tab did not open within 30s")
	}
	tab := &browser{t: t, ctx: ctx}
	tab.call("set the time zone", func(ctx context.Context) error {
		_, err := chromedp.Call(ctx, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "Asia/Shanghai"})
		return err
	})
	return tab
}

// badgeOf returns the launcher's accessible name and the badge's text
// ("" while it is hidden).
func (b *browser) badgeOf() string {
	b.t.Helper()
	return evaluate[string](b, "read the launcher", `(() => { const r = `+widgetRoot+`;
	  const bd = r.querySelector(".sd-badge");
	  return r.querySelector(".sd-launcher").getAttribute("aria-label") + "|" + (bd.hidden ? "" : bd.textContent); })()`)
}

// TestWidgetSeenInOtherTab: what the visitor reads in one tab is not new in
// another. Tab 1 has the chat open and asks a question there; tab 2, with
// the chat closed, receives the question and the bot's answer live, and its
// launcher shows no unread message. After tab 1 closes the chat, a message
// nobody has seen counts as new in both.
func TestWidgetSeenInOtherTab(t *testing.T) {
	needChromium(t)
	srv := startServer(t)
	b := startBrowser(t)
	b.do("open the demo page", 20*time.Second, desktop, chromedp.Navigate(srv.URL+"/"))
	b.openWidget()
	menu := b.nextPrompt(0)

	tab2 := b.newTab()
	tab2.do("open the demo page in a second tab", 20*time.Second, desktop, chromedp.Navigate(srv.URL+"/"))
	tab2.poll("the second tab is online with the chat closed", 15*time.Second,
		`(() => { const r = `+widgetRoot+`; return !!r && r.querySelector(".sd-root").dataset.conn === "online" &&
		  r.querySelector(".sd-panel").hidden && r.querySelector('.sd-msg[data-seq="`+fmt.Sprint(menu.Seq)+`"]') !== null; })()`)
	if got := tab2.badgeOf(); got != "在线客服|" {
		t.Errorf("before anything new, the second tab's launcher is %q, want no unread message", got)
	}

	// The question in tab 1; its answers reach tab 2 while tab 1 shows them.
	b.say("请问滤网多久需要更换？")
	last := b.lastBotAfter(menu.Seq + 1)
	tab2.poll("the second tab receives the answer", 10*time.Second,
		widgetRoot+`.querySelector('.sd-msg[data-seq="`+fmt.Sprint(last)+`"]') !== null`)
	b.poll("the first tab has seen the answer", 5*time.Second,
		`JSON.parse(localStorage.getItem("supportd:v1:" + location.origin + ":seen")) >= `+fmt.Sprint(last))
	tab2.poll("the second tab's launcher shows nothing new", 5*time.Second, `(() => {
	  const r = `+widgetRoot+`; return r.querySelector(".sd-badge").hidden && r.querySelector(".sd-launcher").getAttribute("aria-label") === "在线客服"; })()`)
	if got := tab2.badgeOf(); got != "在线客服|" {
		t.Errorf("the second tab's launcher is %q after the visitor read the answer in the first tab, want no unread message", got)
	}

	// With the chat closed in both tabs, the visitor writes from a third
	// client (a real WebSocket with the same token): the bot's answer is
	// new in both tabs.
	b.do("close the chat in the first tab", 10*time.Second, chromedp.Click(widget(".sd-close"), chromedp.NodeVisible))
	token := evaluate[string](b, "read the token", `JSON.parse(localStorage.getItem("supportd:v1:" + location.origin + ":token"))`)
	conn, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http")+"/chat/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	bots := 0
	conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	for _, out := range []string{
		`{"v":1,"type":"hello","token":` + jsString(token) + `}`,
		`{"v":1,"type":"message","id":"third-client-1","text":"你好"}`,
		`{"v":1,"type":"barrier"}`, // answered in order, after the turn
	} {
		if err := conn.WriteMessage(websocket.TextMessage, []byte(out)); err != nil {
			t.Fatal(err)
		}
	}
	for welcomed := false; ; {
		var f struct{ Type, From, Code string }
		if err := conn.ReadJSON(&f); err != nil {
			t.Fatalf("the third client: %v", err)
		}
		if f.Type == "welcome" {
			welcomed = true
		}
		if welcomed && f.Type == "message" && f.From == "bot" {
			bots++
		}
		if f.Type == "error" && f.Code == "unknown_type" {
			break
		}
	}
	if bots == 0 {
		t.Fatal("the bot did not answer the third client")
	}
	want := fmt.Sprintf("在线客服 (%d 条新消息)|%d", bots, bots)
	for i, tab := range []*browser{b, tab2} {
		tab.poll(fmt.Sprintf("tab %d counts the unseen answer", i+1), 10*time.Second,
			`(() => { const r = `+widgetRoot+`; return !r.querySelector(".sd-badge").hidden; })()`)
		time.Sleep(200 * time.Millisecond) // every answer has arrived
		if got := tab.badgeOf(); got != want {
			t.Errorf("tab %d's launcher is %q, want %q", i+1, got, want)
		}
	}
}

// lastBotAfter waits for the bot's answer to the message seq and returns
// the seq of its last message.
func (b *browser) lastBotAfter(seq int) int {
	b.t.Helper()
	b.poll("the bot's answer", 15*time.Second, `Array.from(`+widgetRoot+`.querySelectorAll(".sd-log .sd-msg.sd-from-bot[data-seq]")).some((m) => Number(m.dataset.seq) > `+fmt.Sprint(seq)+`)`)
	time.Sleep(500 * time.Millisecond) // the rest of the turn
	return evaluate[int](b, "read the last message", `(() => { const ms = `+widgetRoot+`.querySelectorAll(".sd-log .sd-msg[data-seq]");
	  return Number(ms[ms.length - 1].dataset.seq); })()`)
}

// paste inserts text at the cursor of the message box as a paste or an
// input method does, through the browser's editing (which applies a
// maxlength, were there one).
func (b *browser) paste(text string) {
	b.t.Helper()
	b.do("paste into the message box", 10*time.Second, chromedp.Focus(widget(".sd-input"), chromedp.NodeVisible))
	b.call("paste", func(ctx context.Context) error {
		_, err := chromedp.Call(ctx, input.InsertText, input.InsertTextParams{Text: text})
		return err
	})
}

// customerTexts returns what the customer said in the conversation, as the
// server stored it.
func customerTexts(t *testing.T, srv *testServer, b *browser) []string {
	t.Helper()
	conv := evaluate[string](b, "read the conversation id",
		`JSON.parse(localStorage.getItem("supportd:v1:" + `+jsString(srv.URL)+` + ":conversation"))`)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	hist, err := srv.db.History(ctx, conv, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range hist {
		if m.Dir == dialog.In {
			out = append(out, m.Text)
		}
	}
	return out
}

// TestWidgetLongText: the message box counts characters as the server does
// (an emoji is one), shows the count near the limit of 4000, keeps a
// pasted text whole, and does not send a text over the limit but says by
// how much it is over; at 4000 characters it goes, whole.
func TestWidgetLongText(t *testing.T) {
	needChromium(t)
	srv := startServer(t)
	b := startBrowser(t)
	b.do("open the demo page", 20*time.Second, desktop, chromedp.Navigate(srv.URL+"/"))
	b.openWidget()
	b.nextPrompt(0)
	box := `(() => { const r = ` + widgetRoot + `, i = r.querySelector(".sd-input"), c = r.querySelector(".sd-count");
	  return {value: i.value, invalid: i.getAttribute("aria-invalid") || "",
	    shown: !!c && !c.hidden, over: !!c && c.classList.contains("sd-over"), count: c ? c.textContent : ""}; })()`
	type boxState struct {
		Value   string `json:"value"`
		Invalid string `json:"invalid"`
		Shown   bool   `json:"shown"`
		Over    bool   `json:"over"`
		Count   string `json:"count"`
	}
	// what the customer sees of the count, without the long text
	shown := func(s boxState) string {
		return fmt.Sprintf("count %q shown=%v over=%v aria-invalid=%q", s.Count, s.Shown, s.Over, s.Invalid)
	}

	// 3990 characters, 4990 UTF-16 units: it fits, and goes whole.
	fits := strings.Repeat("👍", 1000) + strings.Repeat("好", 2990)
	b.paste(fits)
	got := evaluate[boxState](b, "read the message box", box)
	if got.Value != fits {
		t.Errorf("the pasted text of 3990 characters (1000 emoji) became %d characters in the message box", utf8.RuneCountInString(got.Value))
	}
	if !got.Shown || got.Over || got.Invalid != "" || got.Count != "3990/4000" {
		t.Errorf("near the limit: %s, want 3990/4000 shown, not over", shown(got))
	}
	b.do("send", 10*time.Second, enter)
	b.poll("the echo of the long text", 10*time.Second,
		`Array.from(`+widgetRoot+`.querySelectorAll(".sd-msg.sd-from-customer[data-seq] .sd-bubble")).some((x) => x.textContent === `+jsString(fits)+`)`)
	if said := customerTexts(t, srv, b); len(said) != 1 || said[0] != fits {
		t.Errorf("the server got %d messages, want the 3990 characters whole", len(said))
	}
	if got := evaluate[boxState](b, "read the message box", box); got.Value != "" || got.Shown {
		t.Errorf("after sending, the message box holds %d characters and %s, want it empty without a count", utf8.RuneCountInString(got.Value), shown(got))
	}

	// 4001 characters: kept whole, not sent, and the customer is told.
	over := strings.Repeat("好", 4000) + "👍"
	n := evaluate[int](b, "count the messages", widgetRoot+`.querySelectorAll(".sd-log .sd-msg").length`)
	b.paste(over)
	got = evaluate[boxState](b, "read the message box", box)
	if got.Value != over {
		t.Errorf("the pasted text of 4001 characters became %d characters in the message box", utf8.RuneCountInString(got.Value))
	}
	if !got.Shown || !got.Over || got.Invalid != "true" || !strings.Contains(got.Count, "多了 1 个字") {
		t.Errorf("over the limit: %s, want it marked over by 1", shown(got))
	}
	b.do("try to send", 10*time.Second, enter)
	alert := b.poll("the alert", 5*time.Second,
		`(() => { const a = `+widgetRoot+`.querySelector(".sd-alert"); return !a.hidden && a.textContent; })()`)
	if !strings.Contains(alert, "多了 1 个字") {
		t.Errorf("the alert says %q, want by how much the text is over", alert)
	}
	if m := evaluate[int](b, "count the messages", widgetRoot+`.querySelectorAll(".sd-log .sd-msg").length`); m != n {
		t.Errorf("the text over the limit added %d messages to the log, want none", m-n)
	}
	if got := evaluate[boxState](b, "read the message box", box); got.Value != over {
		t.Errorf("after the refused send the message box holds %d characters, want the 4001 kept", utf8.RuneCountInString(got.Value))
	}

	// Backspace removes the emoji (both its UTF-16 units): 4000 go.
	b.do("delete the last character", 10*time.Second, chromedp.KeyEvent("\b"))
	got = evaluate[boxState](b, "read the message box", box)
	if got.Over || got.Invalid != "" || got.Count != "4000/4000" {
		t.Errorf("at 4000 characters: %s, want 4000/4000, not over", shown(got))
	}
	b.do("send", 10*time.Second, enter)
	want := strings.Repeat("好", 4000)
	b.poll("the echo of 4000 characters", 10*time.Second,
		`Array.from(`+widgetRoot+`.querySelectorAll(".sd-msg.sd-from-customer[data-seq] .sd-bubble")).some((x) => x.textContent === `+jsString(want)+`)`)
	if said := customerTexts(t, srv, b); len(said) != 2 || said[1] != want {
		t.Errorf("the server got %d messages, want the 4000 characters whole as the second", len(said))
	}
}

// TestWidgetOfflineReload: a reload while the server cannot be reached
// shows the conversation as it was (kept in the tab), with what the
// visitor writes meanwhile queued after it; once the server is back its
// history replaces the copy, each message shown once, the queued one sent
// once. The shop page is on its own origin and the widget's files come
// from the browser's cache, as when the support server is down.
func TestWidgetOfflineReload(t *testing.T) {
	needChromium(t)
	var server atomic.Value
	ps := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="zh"><head><title>shop</title></head><body><h1>shop</h1><script src="%s/widget.js" data-lang="zh" async></script></body></html>`, server.Load())
	}))
	t.Cleanup(ps.Close)
	srv := startServer(t, func(w *config.Webchat) { w.AllowedOrigins = append(w.AllowedOrigins, ps.URL) })
	server.Store(srv.URL)
	shop := ps.URL
	b := startBrowser(t)
	b.do("open the shop", 20*time.Second, desktop, chromedp.Navigate(shop))
	b.openWidget()
	menu := b.nextPrompt(0)
	b.say("请问滤网多久需要更换？")
	b.lastBotAfter(menu.Seq + 1)
	before := b.transcript()

	srv.down()
	b.poll("the widget shows the lost connection", 10*time.Second, widgetRoot+`.querySelector(".sd-root").dataset.conn === "waiting"`)
	b.do("reload while the server is down", 20*time.Second, chromedp.Reload())
	b.poll("the widget reopens offline with the conversation", 15*time.Second,
		`(() => { const r = `+widgetRoot+`; if (!r) return false;
		  return !r.querySelector(".sd-panel").hidden && r.querySelector(".sd-root").dataset.conn !== "online" &&
		    r.querySelectorAll(".sd-log .sd-msg[data-seq]").length >= `+fmt.Sprint(len(before))+`; })()`)
	if offline := b.transcript(); !equalTranscripts(before, offline) {
		t.Errorf("offline after the reload the widget shows:\n%v\nwant what it showed before:\n%v", offline, before)
	}

	const text = "好的，谢谢"
	b.do("write while offline", 10*time.Second, chromedp.SendKeys(widget(".sd-input"), text, chromedp.NodeVisible), enter)
	b.poll("the message waits after the history", 5*time.Second,
		`(() => { const m = `+widgetRoot+`.querySelector(".sd-log .sd-msg:last-child");
		  return m.dataset.state === "queued" && m.querySelector(".sd-bubble").textContent === `+jsString(text)+`; })()`)

	srv.up()
	b.poll("the reconnect button", 10*time.Second, widgetRoot+`.querySelector(".sd-root").dataset.conn === "waiting"`)
	b.do("click reconnect now", 10*time.Second, chromedp.Click(widget(".sd-conn-row .sd-link"), chromedp.NodeVisible))
	b.poll("the queued message is sent and echoed", 15*time.Second,
		`(() => { const r = `+widgetRoot+`; return r.querySelector(".sd-root").dataset.conn === "online" &&
		  Array.from(r.querySelectorAll(".sd-log .sd-msg.sd-from-customer[data-seq]:not([data-state]) .sd-bubble"))
		    .some((x) => x.textContent === `+jsString(text)+`); })()`)
	last := b.lastBotAfter(0)

	after := b.transcript()
	if len(after) <= len(before) || !equalTranscripts(before, after[:len(before)]) {
		t.Errorf("after reconnecting the widget shows:\n%v\nwant what it showed before, then the new messages:\n%v", after, before)
	}
	for i := 1; i < len(after); i++ {
		if after[i].Seq <= after[i-1].Seq {
			t.Errorf("after reconnecting message %d is shown after message %d (twice or out of order):\n%v", after[i].Seq, after[i-1].Seq, after)
		}
	}
	if all := evaluate[int](b, "count the messages", widgetRoot+`.querySelectorAll(".sd-log .sd-msg").length`); all != len(after) {
		t.Errorf("the log has %d messages, %d of them acknowledged, want all", all, len(after))
	}
	if n := evaluate[int](b, "count the kept copies", widgetRoot+`.querySelectorAll(".sd-log .sd-msg[data-cached]").length`); n != 0 {
		t.Errorf("%d messages of the copy kept offline are still shown after the server's history came", n)
	}
	if got := after[len(after)-1].Seq; got != last {
		t.Errorf("the last message shown is %d, want %d", got, last)
	}
	said := customerTexts(t, srv, b)
	if n := len(said); n != 2 || said[1] != text {
		t.Errorf("the server has the customer's messages %q, want the question, then %q once", said, text)
	}
}

// TestWidgetGreetingNotNew: a visitor who opened the chat, read the
// greeting and closed it sees no unread badge on the next page: not when
// the server remembers the conversation (the same one), and not when it has
// forgotten it (a restart: a new conversation, greeted again).
func TestWidgetGreetingNotNew(t *testing.T) {
	needChromium(t)
	srv := startServer(t)
	b := startBrowser(t)
	b.do("open the demo page", 20*time.Second, desktop, chromedp.Navigate(srv.URL+"/"))
	b.openWidget()
	menu := b.nextPrompt(0)
	b.do("close the chat", 10*time.Second, chromedp.Click(widget(".sd-close"), chromedp.NodeVisible))
	conv := func() string {
		return evaluate[string](b, "read the conversation id", `JSON.parse(localStorage.getItem("supportd:v1:" + location.origin + ":conversation"))`)
	}
	first := conv()
	for _, restart := range []bool{false, true} {
		if restart {
			srv.down()
			srv.up()
		}
		b.do("open another page", 20*time.Second, chromedp.Navigate(srv.URL+"/"))
		b.poll("the widget is online with the chat closed and the greeting", 15*time.Second,
			`(() => { const r = `+widgetRoot+`; return !!r && r.querySelector(".sd-root").dataset.conn === "online" &&
			  r.querySelector(".sd-panel").hidden && r.querySelector('.sd-msg[data-seq="`+fmt.Sprint(menu.Seq)+`"]') !== null; })()`)
		if got := b.badgeOf(); got != "在线客服|" {
			t.Errorf("restart=%v: the launcher is %q, want no unread message for the greeting", restart, got)
		}
		if same := conv() == first; same == restart {
			t.Errorf("restart=%v: conversation %s, first %s", restart, conv(), first)
		}
	}
}
