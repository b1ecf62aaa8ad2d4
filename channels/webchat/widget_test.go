package webchat_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/supportd/supportd/config"
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
