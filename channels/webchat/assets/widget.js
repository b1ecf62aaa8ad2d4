// The supportd chat widget.
//
// Embed it on any page with one tag:
//
//   <script src="https://support.example.com/widget.js" data-lang="zh" async></script>
//
// The server is the origin the script came from (document.currentScript), so
// the widget works on any site. It speaks the web chat protocol (version 1,
// docs/webchat-protocol.md) over one WebSocket at chat/ws next to the script,
// uploads attachments to chat/upload, and keeps its resume token in
// localStorage so that the conversation and its history survive a reload;
// the last messages shown are kept in sessionStorage for a reload while
// the server cannot be reached.
//
// Everything lives in an open shadow root under <div id="supportd-widget">,
// styled only by widget.css (loaded into that shadow root), so the host page's
// CSS neither breaks the widget nor is touched by it. Every text that comes
// from the customer, the bot or an agent is inserted as text, never as HTML.
//
// A small API is left on window.supportd: open(), close(), setLang("zh"|"en").
(() => {
  "use strict";

  if (window.supportd) return; // loaded twice

  const script = document.currentScript ||
    Array.from(document.scripts).find((s) => /\/widget\.js(?:[?#]|$)/.test(s.src));
  if (!script || !script.src) return;

  const base = new URL(script.src, location.href);
  const wsURL = new URL("chat/ws", base);
  wsURL.protocol = base.protocol === "https:" ? "wss:" : "ws:";
  const uploadURL = new URL("chat/upload", base).href;
  const cssURL = new URL("widget.css", base).href;
  const keyPrefix = "supportd:v1:" + base.origin + ":";

  const MAX_TEXT = 4000; // characters (Unicode code points), as the server counts
  const COUNT_FROM = 3500; // characters from which the composer shows the count
  const BACKOFF_BASE = 1000; // ms, first retry
  const BACKOFF_CAP = 30000; // ms
  const WELCOME_TIMEOUT = 15000; // ms from opening the socket to the welcome
  const TYPING_EVERY = 3000; // ms between our own typing frames
  const TYPING_SHOWN = 8000; // ms a typing indicator stays without a message
  const ATTACHMENTS_KEPT = 100; // uploads remembered for previews after a reload
  const HISTORY_KEPT = 50; // messages kept to show after a reload while offline
  const HISTORY_CHARS = 100000; // at most this much of them (JSON characters)

  // ---- texts ---------------------------------------------------------------

  const TEXTS = {
    zh: {
      launcher: "在线客服",
      title: "售后服务",
      close: "关闭对话",
      log: "对话记录",
      input: "输入消息",
      placeholder: "输入消息…",
      placeholderEmail: "输入您的邮箱地址…",
      placeholderTel: "输入您的电话号码…",
      send: "发送",
      attach: "上传图片或 PDF（购买凭证、故障照片）",
      choices: "快捷回复",
      you: "我",
      bot: "售后助手",
      agent: "人工客服",
      system: "系统消息",
      said: "：",
      idle: "未连接",
      connecting: "正在连接…",
      online: "在线",
      waiting: "连接中断，正在重连",
      countdown: "（{s} 秒）",
      retryNow: "立即重连",
      sending: "发送中…",
      byEmail: "已发到您的邮箱",
      uploading: "上传中…",
      queued: "等待网络恢复后发送",
      failed: "发送失败",
      retry: "重试",
      closed: "现在是非工作时间，人工客服将于 {when} 起回复。您可以先留言，售后助手随时为您服务。",
      typingBot: "售后助手正在输入",
      typingAgent: "客服正在输入",
      rateLimited: "发送太快了，请稍候片刻。",
      tooLarge: "文件太大，无法上传。",
      badType: "只能上传 JPG、PNG、WebP、GIF 图片或 PDF 文件。",
      uploadFailed: "上传失败，请重试。",
      tooLong: "消息太长，无法发送，请分成几条发送。",
      count: "{n}/{max}",
      overLimit: "{n}/{max}，多了 {over} 个字，请删减或分成几条发送",
      ticket: "工单 {id} {status}",
      dueFirst: "，预计 {when} 前回复",
      dueResolution: "，预计 {when} 前处理完毕",
      dueOnsite: "，预计 {when} 前上门",
      unread: "{n} 条新消息",
      status: {
        new: "已创建", open: "已创建", assigned: "已分配客服", in_progress: "处理中",
        waiting_customer: "等待您的回复", resolved: "已解决", closed: "已关闭",
        reopened: "已重新打开", cancelled: "已取消",
      },
      locale: "zh-CN",
    },
    en: {
      launcher: "Chat with support",
      title: "After-sales service",
      close: "Close chat",
      log: "Conversation",
      input: "Message",
      placeholder: "Type a message…",
      placeholderEmail: "Your email address…",
      placeholderTel: "Your phone number…",
      send: "Send",
      attach: "Upload a photo or PDF (receipt, fault)",
      choices: "Quick replies",
      you: "You",
      bot: "Assistant",
      agent: "Agent",
      system: "Notice",
      said: ": ",
      idle: "Not connected",
      connecting: "Connecting…",
      online: "Online",
      waiting: "Connection lost, reconnecting",
      countdown: " (in {s} s)",
      retryNow: "Retry now",
      sending: "Sending…",
      byEmail: "Sent to you by email",
      uploading: "Uploading…",
      queued: "Will be sent when the connection is back",
      failed: "Not sent",
      retry: "Retry",
      closed: "We're outside business hours: a person will answer from {when}. Leave a message any time; the assistant is here around the clock.",
      typingBot: "The assistant is typing",
      typingAgent: "An agent is typing",
      rateLimited: "That was a bit fast, please wait a moment.",
      tooLarge: "The file is too large to upload.",
      badType: "Only JPG, PNG, WebP or GIF images and PDF files can be uploaded.",
      uploadFailed: "The upload failed, please try again.",
      tooLong: "This message is too long to send; please split it into several.",
      count: "{n}/{max}",
      overLimit: "{n}/{max}: {over} characters too many; shorten it or split it into several messages",
      ticket: "Ticket {id} {status}",
      dueFirst: "; expect a reply by {when}",
      dueResolution: "; expect it done by {when}",
      dueOnsite: "; a technician comes by {when}",
      unread: "{n} new messages",
      status: {
        new: "created", open: "created", assigned: "assigned", in_progress: "in progress",
        waiting_customer: "waiting for your reply", resolved: "resolved", closed: "closed",
        reopened: "reopened", cancelled: "cancelled",
      },
      locale: "en-GB",
    },
  };

  const pickLang = (s) => (String(s || "").toLowerCase().startsWith("zh") ? "zh" : "en");
  let lang = pickLang(script.dataset.lang || navigator.language);

  const t = (key, vars) => {
    let s = TEXTS[lang][key];
    for (const k in vars || {}) s = s.split("{" + k + "}").join(String(vars[k]));
    return s;
  };

  // formatWhen shows a time in the visitor's time zone, as the bot writes
  // dates: 11月26日（周四）09:00, Thu 26 Nov, 09:00.
  const formatWhen = (rfc3339) => {
    const d = new Date(rfc3339);
    if (Number.isNaN(d.getTime())) return "";
    const parts = {};
    const f = new Intl.DateTimeFormat(TEXTS[lang].locale, {
      month: lang === "zh" ? "numeric" : "short", day: "numeric", weekday: "short",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    });
    for (const p of f.formatToParts(d)) parts[p.type] = p.value;
    const time = parts.hour + ":" + parts.minute;
    return lang === "zh"
      ? parts.month + "月" + parts.day + "日（" + parts.weekday + "）" + time
      : parts.weekday + " " + parts.day + " " + parts.month + ", " + time;
  };

  // ---- storage (never fatal: private modes and sandboxes may refuse it) ----

  const store = {
    get(area, key, fallback) {
      try {
        const v = window[area].getItem(keyPrefix + key);
        return v === null ? fallback : JSON.parse(v);
      } catch (_) {
        return fallback;
      }
    },
    set(area, key, value) {
      try {
        if (value === undefined || value === null) window[area].removeItem(keyPrefix + key);
        else window[area].setItem(keyPrefix + key, JSON.stringify(value));
      } catch (_) { /* storage full or disabled: the widget still works */ }
    },
  };

  const newID = () => {
    const b = new Uint8Array(12);
    crypto.getRandomValues(b);
    return "w" + Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  };

  // ---- DOM helpers: elements and text only, never HTML ---------------------

  const el = (tag, cls, attrs) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
    return e;
  };
  const txt = (tag, cls, text) => {
    const e = el(tag, cls);
    e.textContent = text;
    return e;
  };

  const ICONS = {
    chat: "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z",
    close: "M6 6l12 12M18 6L6 18",
    send: "M4 12l16-8-6 16-2.5-6.5L4 12z",
    clip: "M16.5 6.5l-8 8a2 2 0 0 0 2.8 2.8l8.2-8.2a4 4 0 0 0-5.6-5.6L5.6 11.8a6 6 0 0 0 8.5 8.5l6.4-6.4",
    file: "M6 2h8l5 5v15H6zM14 2v5h5",
  };
  const icon = (name, cls) => {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", cls ? "sd-icon " + cls : "sd-icon");
    const p = document.createElementNS(ns, "path");
    p.setAttribute("d", ICONS[name]);
    svg.appendChild(p);
    return svg;
  };

  // ---- the widget's DOM ----------------------------------------------------

  // The widget is shown once widget.css has loaded. Without it (a
  // Content-Security-Policy whose style-src lacks the server, a network
  // error) it stays hidden: unstyled, it would be an empty grey button.
  const host = el("div", "", { id: "supportd-widget" });
  host.style.display = "none";
  const shadow = host.attachShadow({ mode: "open" });

  const link = el("link", "", { rel: "stylesheet", href: cssURL });
  link.addEventListener("load", () => { host.style.display = ""; });
  link.addEventListener("error", () => {
    if (window.console) console.warn("supportd: " + cssURL + " did not load (does the page's Content-Security-Policy allow it in style-src?); the chat stays hidden");
  });

  const root = el("div", "sd-root");
  const launcher = el("button", "sd-launcher", {
    type: "button", "aria-haspopup": "dialog", "aria-expanded": "false", "aria-controls": "sd-panel",
  });
  const badge = el("span", "sd-badge", { "aria-hidden": "true" });
  badge.hidden = true;
  launcher.append(icon("chat", "sd-icon-open"), icon("close", "sd-icon-close"), badge);

  const panel = el("section", "sd-panel", { id: "sd-panel", role: "dialog", "aria-labelledby": "sd-title" });
  panel.hidden = true;

  const header = el("header", "sd-header");
  const heading = el("div", "sd-heading");
  const title = el("h2", "sd-title", { id: "sd-title" });
  const conn = el("p", "sd-conn", { role: "status" });
  const connDot = el("span", "sd-dot", { "aria-hidden": "true" });
  const connText = el("span", "sd-conn-text");
  // The countdown changes every second: kept out of the status region.
  const countdown = el("span", "sd-countdown", { "aria-hidden": "true" });
  const retryNow = el("button", "sd-link", { type: "button" });
  retryNow.hidden = true;
  conn.append(connDot, connText);
  const connRow = el("div", "sd-conn-row");
  connRow.append(conn, countdown, retryNow);
  heading.append(title, connRow);
  const closeBtn = el("button", "sd-close", { type: "button" });
  closeBtn.append(icon("close"));
  header.append(heading, closeBtn);

  const notice = el("p", "sd-notice");
  notice.hidden = true;
  const ticketLine = el("p", "sd-ticket", { role: "status" });
  ticketLine.hidden = true;

  const log = el("div", "sd-log", { role: "log", "aria-live": "polite", tabindex: "0" });

  const typing = el("div", "sd-typing", { "aria-live": "polite" });
  typing.hidden = true;
  const typingText = el("span", "sd-typing-text");
  const dots = el("span", "sd-dots", { "aria-hidden": "true" });
  dots.append(el("i"), el("i"), el("i"));
  typing.append(dots, typingText);

  const alertBox = el("p", "sd-alert", { role: "alert" });
  alertBox.hidden = true;

  const form = el("form", "sd-composer");
  const fileInput = el("input", "sd-file", {
    type: "file", tabindex: "-1", "aria-hidden": "true",
    accept: "image/jpeg,image/png,image/webp,image/gif,application/pdf",
  });
  const attachBtn = el("button", "sd-attach", { type: "button" });
  attachBtn.append(icon("clip"));
  // No maxlength: it counts UTF-16 code units (an emoji counts twice) and
  // cuts a paste silently. The count below says when a message is too long.
  const input = el("textarea", "sd-input", { rows: "1", "aria-describedby": "sd-count" });
  const sendBtn = el("button", "sd-send", { type: "submit" });
  sendBtn.append(icon("send"));
  form.append(fileInput, attachBtn, input, sendBtn);

  const counter = el("p", "sd-count", { id: "sd-count" });
  counter.hidden = true;

  panel.append(header, notice, ticketLine, log, typing, alertBox, counter, form);
  root.append(panel, launcher);
  shadow.append(link, root);

  // applyTexts sets every fixed text of the interface in the current language.
  const applyTexts = () => {
    root.setAttribute("lang", lang === "zh" ? "zh-CN" : "en");
    launcher.setAttribute("aria-label", t("launcher"));
    title.textContent = t("title");
    closeBtn.setAttribute("aria-label", t("close"));
    log.setAttribute("aria-label", t("log"));
    input.setAttribute("aria-label", t("input"));
    updateInput();
    renderCount();
    sendBtn.setAttribute("aria-label", t("send"));
    attachBtn.setAttribute("aria-label", t("attach"));
    attachBtn.setAttribute("title", t("attach"));
    retryNow.textContent = t("retryNow");
    for (const g of log.querySelectorAll(".sd-choices")) g.setAttribute("aria-label", t("choices"));
    for (const m of log.querySelectorAll(".sd-msg")) setWho(m);
    for (const m of log.querySelectorAll(".sd-msg[data-state]")) setMsgState(m, m.dataset.state);
    renderConn();
    renderNotice();
    renderTicket();
    renderBadge();
    if (!typing.hidden) typingText.textContent = typingFrom === "agent" ? t("typingAgent") : t("typingBot");
  };

  // ---- state ---------------------------------------------------------------

  const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
  let token = String(store.get("localStorage", "token", "") || "");
  let conversationID = String(store.get("localStorage", "conversation", "") || "");
  let business = null; // welcome.business
  let tickets = store.get("localStorage", "tickets", {}); // conversation id → {ticket id → frame}
  if (!isObject(tickets)) tickets = {};
  let attachments = store.get("localStorage", "attachments", {}); // client id → {ref, name, type}
  if (!isObject(attachments)) attachments = {};
  // seenSeq is the newest message the visitor has seen with the chat open,
  // in any tab: bot and agent messages after it count as unread, also after
  // a reload. Every tab keeps it in localStorage and follows the others'.
  let seenSeq = Number(store.get("localStorage", "seen", 0)) || 0;

  // pending holds what the customer sent and the server has not echoed yet,
  // oldest first: {id, frame, el}. frame is null while an upload runs.
  // Frames are kept in sessionStorage so a reload in the middle resends them.
  const pending = [];
  const savePending = () => store.set("sessionStorage", "pending",
    pending.filter((p) => p.frame && p.frame.type !== "attachment").map((p) => p.frame));

  let ws = null;
  let connState = "idle"; // idle | connecting | online | waiting
  let welcomed = false;
  let attempts = 0;
  let stableTimer = 0; // a connection that lasts resets the backoff
  let retryAt = 0;
  let retryTimer = 0;
  let countdownTimer = 0;
  let welcomeTimer = 0;
  let resendTimer = 0;
  let readyWaiters = [];

  // ---- connection ----------------------------------------------------------

  const setConn = (s) => {
    connState = s;
    renderConn();
  };

  function renderConn() {
    root.dataset.conn = connState;
    retryNow.hidden = connState !== "waiting";
    connText.textContent = t(connState);
    countdown.textContent = connState === "waiting"
      ? t("countdown", { s: Math.max(1, Math.ceil((retryAt - Date.now()) / 1000)) })
      : "";
    const offline = connState !== "online";
    attachBtn.disabled = offline;
    for (const p of pending) if (p.frame && p.el.dataset.state === "sending" && offline) setMsgState(p.el, "queued");
  }

  const send = (frame) => {
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    ws.send(JSON.stringify(frame));
    return true;
  };

  // sendPending sends a pending message and remembers on which socket.
  const sendPending = (p) => {
    if (!send(p.frame)) return false;
    p.sentOn = ws;
    return true;
  };

  function connect() {
    if (ws) return;
    clearTimeout(retryTimer);
    clearInterval(countdownTimer);
    welcomed = false;
    setConn("connecting");
    let sock;
    try {
      sock = new WebSocket(wsURL.href);
    } catch (_) {
      scheduleReconnect(0);
      return;
    }
    ws = sock;
    welcomeTimer = setTimeout(() => sock.close(), WELCOME_TIMEOUT);
    sock.addEventListener("open", () => {
      sock.send(JSON.stringify({ v: 1, type: "hello", token: token || "", locale: lang }));
    });
    sock.addEventListener("message", (e) => {
      if (ws !== sock) return;
      let f;
      try {
        f = JSON.parse(e.data);
      } catch (_) {
        return;
      }
      if (f && typeof f === "object") onFrame(f);
    });
    sock.addEventListener("close", (e) => {
      if (ws !== sock) return;
      ws = null;
      clearTimeout(welcomeTimer);
      clearTimeout(stableTimer);
      if (e.code === 1009) refuseTooLarge(sock);
      scheduleReconnect(e.code);
    });
  }

  // refuseTooLarge handles a close for a frame over the server's size
  // limit: the largest message sent on that socket is at least as large as
  // the one refused. It is marked as not sent and never sent again, so that
  // reconnecting does not resend it in a loop.
  function refuseTooLarge(sock) {
    const size = (p) => new TextEncoder().encode(JSON.stringify(p.frame)).length;
    let big = null;
    for (const p of pending) if (p.frame && p.sentOn === sock && (!big || size(p) > size(big))) big = p;
    if (big) failPending(big, t("tooLong"), false);
  }

  // scheduleReconnect waits a capped exponential backoff with jitter (half
  // fixed, half random) and connects again. Too many connections (1008)
  // waits the longest.
  function scheduleReconnect(code) {
    const d = code === 1008 ? BACKOFF_CAP : Math.min(BACKOFF_CAP, BACKOFF_BASE * 2 ** attempts);
    attempts++;
    const delay = d / 2 + Math.random() * d / 2;
    retryAt = Date.now() + delay;
    clearTimeout(retryTimer);
    clearInterval(countdownTimer);
    retryTimer = setTimeout(connect, delay);
    countdownTimer = setInterval(renderConn, 1000);
    setConn("waiting");
  }

  const reconnectNow = () => {
    if (connState === "waiting") connect();
  };
  window.addEventListener("online", reconnectNow);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") reconnectNow();
  });

  // ready resolves once a welcome has given the widget a token.
  const ready = () => {
    if (welcomed && connState === "online") return Promise.resolve();
    if (!ws && connState !== "waiting") connect();
    return new Promise((resolve) => readyWaiters.push(resolve));
  };

  // ---- frames from the server ----------------------------------------------

  function onFrame(f) {
    switch (f.type) {
      case "welcome": return onWelcome(f);
      case "message": return onMessage(f, true);
      case "typing": return showTyping(f.from);
      case "ticket": return onTicket(f);
      case "error": return onError(f);
      default: return undefined; // a newer server: ignore what we do not know
    }
  }

  function onWelcome(f) {
    clearTimeout(welcomeTimer);
    welcomed = true;
    clearTimeout(stableTimer);
    stableTimer = setTimeout(() => { attempts = 0; }, 10000);
    token = String(f.token || "");
    store.set("localStorage", "token", token);
    const cid = String(f.conversation_id || "");
    const another = cid !== conversationID;
    if (another) {
      // A fresh conversation (a new visitor, or a token the server refused):
      // what we showed belongs to another one.
      for (const m of Array.from(log.querySelectorAll(".sd-msg[data-seq]"))) m.remove();
      conversationID = cid;
      store.set("localStorage", "conversation", cid);
      seenSeq = 0;
      store.set("localStorage", "seen", 0);
    }
    business = f.business && typeof f.business === "object" ? f.business : null;
    renderNotice();
    renderTicket();
    // The server's history replaces the copy shown while offline.
    for (const m of Array.from(log.querySelectorAll(".sd-msg[data-cached]"))) m.remove();
    const history = Array.isArray(f.history) ? f.history : [];
    for (const m of history) onMessage(m, false);
    if (another && !history.some((m) => m && m.from === "customer")) {
      // A greeting the visitor has not answered is nothing new to them.
      markSeen();
      renderBadge();
    }
    saveHistory();
    setConn("online");
    // Everything the server has not echoed goes again, with the same ids.
    for (const p of pending) {
      if (p.frame) {
        sendPending(p);
        setMsgState(p.el, "sending");
      }
    }
    const waiters = readyWaiters;
    readyWaiters = [];
    for (const w of waiters) w();
  }

  function onMessage(m, live) {
    if (!m || typeof m !== "object") return;
    const seq = Number(m.seq);
    if (!Number.isFinite(seq)) return;
    if (log.querySelector('.sd-msg[data-seq="' + seq + '"]')) return; // seen: a resend or a second tab
    const from = ["bot", "agent", "system", "customer"].includes(m.from) ? m.from : "system";
    let node = null;
    if (from === "customer" && m.client_id) {
      const i = pending.findIndex((p) => p.id === m.client_id);
      if (i >= 0) {
        node = pending[i].el;
        pending.splice(i, 1);
        savePending();
        delete node.dataset.state;
        setMsgState(node, "");
      }
    }
    if (!node) node = renderMessage(from, m);
    node.dataset.seq = String(seq);
    node._m = m;
    if (m.at) node.title = new Date(m.at).toLocaleString(TEXTS[lang].locale);
    placeBySeq(node, seq);
    if (from === "bot" || from === "agent") {
      if (typingFrom === from) hideTyping();
    }
    if (!panel.hidden) markSeen(seq);
    else renderBadge();
    updateChoices();
    scrollDown(live);
    if (live) saveHistory();
  }

  // saveHistory keeps the last messages shown in sessionStorage (at most
  // HISTORY_KEPT, HISTORY_CHARS), so that a reload while the server cannot
  // be reached still shows the conversation.
  function saveHistory() {
    const kept = [];
    let size = 0;
    const shown = log.querySelectorAll(".sd-msg[data-seq]");
    for (let i = shown.length - 1; i >= 0 && kept.length < HISTORY_KEPT; i--) {
      const m = shown[i]._m;
      if (!m) continue;
      const c = {
        seq: m.seq, from: m.from, text: m.text, choices: m.choices, input: m.input,
        at: m.at, agent: m.agent, client_id: m.client_id, via: m.via,
      };
      size += JSON.stringify(c).length;
      if (size > HISTORY_CHARS) break;
      kept.push(c);
    }
    store.set("sessionStorage", "history", { conversation: conversationID, messages: kept.reverse() });
  }

  function onTicket(f) {
    if (!f.id) return;
    const mine = tickets[conversationID] || {};
    mine[String(f.id)] = { id: String(f.id), kind: f.kind, status: f.status, due: f.due || {}, at: Date.now() };
    tickets = { [conversationID]: mine }; // only the current conversation is kept
    store.set("localStorage", "tickets", tickets);
    renderTicket();
  }

  // onError handles a refused frame. A retryable error resends everything
  // still pending (sends are idempotent by id); a final one fails the frame
  // the error names by its id, or else the oldest one still pending.
  function onError(f) {
    switch (f.code) {
      case "internal":
        resendSoon(1000);
        break;
      case "rate_limited":
        showAlert(t("rateLimited"));
        resendSoon(2000);
        break;
      case "bad_message":
      case "unknown_attachment": {
        const p = pending.find((x) => x.frame && x.id === f.id) || pending.find((x) => x.frame);
        if (p) failPending(p, null);
        break;
      }
      case "hello_first":
        if (ws) ws.close();
        break;
      default:
        if (window.console) console.warn("supportd: the server refused a frame:", f.code, f.message);
    }
  }

  function resendSoon(ms) {
    clearTimeout(resendTimer);
    resendTimer = setTimeout(() => {
      if (!welcomed) return;
      for (const p of pending) if (p.frame) sendPending(p);
    }, ms);
  }

  // ---- rendering -----------------------------------------------------------

  function setWho(node) {
    const who = node.querySelector(".sd-who");
    if (!who) return;
    const from = node.dataset.from;
    let name = from === "customer" ? t("you") : t(from);
    if (from === "agent" && node.dataset.agent) name = node.dataset.agent;
    who.textContent = name + t("said");
  }

  function renderMessage(from, m) {
    const node = el("div", "sd-msg sd-from-" + from);
    node.dataset.from = from;
    if (from === "agent" && m.agent) node.dataset.agent = String(m.agent);
    // The sender's name: visible for agents, for screen readers always.
    node.append(el("span", from === "agent" ? "sd-who sd-who-agent" : "sd-who sd-sr"));
    setWho(node);
    const att = from === "customer" && m.client_id ? attachments[m.client_id] : null;
    if (att) {
      node.append(attachmentView(att, null));
      if (m.text && m.text !== att.name) node.append(txt("div", "sd-bubble", String(m.text)));
    } else {
      node.append(txt("div", "sd-bubble", String(m.text || "")));
    }
    if ((m.input === "email" || m.input === "tel") && from !== "customer") node.dataset.input = m.input;
    if (Array.isArray(m.choices) && m.choices.length && from !== "customer") {
      const g = el("div", "sd-choices", { role: "group", "aria-label": t("choices") });
      for (const c of m.choices) {
        if (!c || typeof c.value !== "string") continue;
        const label = String(c.label || c.value);
        const b = txt("button", "sd-choice", label);
        b.type = "button";
        if (typeof c.name === "string" && c.name) b.setAttribute("aria-label", c.name); // ★★★★: "4 out of 5"
        b.addEventListener("click", () => choose(c.value, label));
        g.append(b);
      }
      node.append(g);
    }
    const meta = el("div", "sd-meta");
    // A reply that went out by mail while the visitor was away.
    if (m.via === "email" && from !== "customer") meta.textContent = t("byEmail");
    node.append(meta);
    return node;
  }

  // attachmentView shows an image (from the local file, or fetched with the
  // token after a reload) or a file chip for a PDF, and for an image that
  // cannot be shown (a Content-Security-Policy whose img-src lacks blob:).
  function attachmentView(att, file) {
    const box = el("div", "sd-att");
    if (String(att.type || "").startsWith("image/")) {
      const img = el("img", "sd-att-img");
      img.alt = att.name || "";
      img.addEventListener("load", () => scrollDown(false));
      img.addEventListener("error", () => box.replaceChildren(fileChip(att)));
      box.append(img);
      if (file) {
        img.src = URL.createObjectURL(file);
      } else if (att.ref) {
        fetch(uploadURL + "/" + encodeURIComponent(att.ref), { headers: { Authorization: "Bearer " + token } })
          .then((r) => (r.ok ? r.blob() : Promise.reject(new Error(String(r.status)))))
          .then((b) => { img.src = URL.createObjectURL(b); })
          .catch(() => { box.replaceChildren(fileChip(att)); });
      }
    } else {
      box.append(fileChip(att));
    }
    return box;
  }

  function fileChip(att) {
    const chip = el("div", "sd-chip");
    const kind = String(att.type || "").includes("pdf") ? "PDF" : "FILE";
    const ic = el("span", "sd-chip-icon", { "aria-hidden": "true" });
    ic.append(icon("file"), txt("span", "", kind));
    chip.append(ic, txt("span", "sd-chip-name", String(att.name || kind)));
    if (att.size) chip.append(txt("span", "sd-chip-size", formatSize(att.size)));
    return chip;
  }

  const formatSize = (n) => (n >= 1048576 ? (n / 1048576).toFixed(1) + " MB" : Math.max(1, Math.round(n / 1024)) + " KB");

  // placeBySeq keeps acknowledged messages in seq order, before any that are
  // still pending. Messages that failed stay where they failed: what comes
  // later goes after them.
  function placeBySeq(node, seq) {
    for (const other of log.children) {
      if (other === node || other.dataset.state === "failed") continue;
      const s = other.dataset.seq;
      if (s === undefined || Number(s) > seq) {
        if (node.nextSibling !== other) log.insertBefore(node, other);
        return;
      }
    }
    log.append(node);
  }

  // lastMessage is the last message shown, not counting those that failed
  // (they were never said).
  function lastMessage() {
    let m = log.lastElementChild;
    while (m && m.dataset.state === "failed") m = m.previousElementSibling;
    return m;
  }

  // updateChoices shows the quick replies of the last message only, and only
  // while nothing was said after it; so goes the keyboard it asks for.
  function updateChoices() {
    const last = lastMessage();
    for (const g of log.querySelectorAll(".sd-choices")) {
      const show = g.parentElement === last && !last.dataset.state;
      g.hidden = !show;
      for (const b of g.querySelectorAll("button")) b.disabled = !show;
    }
    updateInput();
  }

  // updateInput fits the message box to what the last message asks for: an
  // email address or a phone number brings the phone's matching keyboard
  // and the browser's autofill; anything else, plain text.
  function updateInput() {
    const last = lastMessage();
    const kind = (last && !last.dataset.state && last.dataset.input) || "";
    if (kind) {
      input.setAttribute("inputmode", kind);
      input.setAttribute("autocomplete", kind);
      input.setAttribute("placeholder", t(kind === "email" ? "placeholderEmail" : "placeholderTel"));
    } else {
      input.removeAttribute("inputmode");
      input.setAttribute("autocomplete", "off");
      input.setAttribute("placeholder", t("placeholder"));
    }
  }

  function setMsgState(node, state) {
    if (state) node.dataset.state = state;
    else delete node.dataset.state;
    const meta = node.querySelector(".sd-meta");
    if (!meta) return;
    meta.replaceChildren();
    if (state === "sending") meta.textContent = connState === "online" ? t("sending") : t("queued");
    else if (state === "queued") meta.textContent = t("queued");
    else if (state === "uploading") meta.textContent = t("uploading");
    else if (state === "failed") {
      meta.append(txt("span", "", node.dataset.error || t("failed")));
      if (node._retry) {
        const b = txt("button", "sd-link", t("retry"));
        b.type = "button";
        b.addEventListener("click", node._retry);
        meta.append(" ", b);
      }
    }
  }

  // The log sticks to its end while the visitor has not scrolled up, also
  // when banners above it or the keyboard below it change its height.
  // The log sticks to its end unless the visitor scrolls up: a scroll that
  // follows the visitor's own input (wheel, touch, keys, scrollbar) and
  // leaves the log above where we last put it. Layout changes (banners, the
  // on-screen keyboard, rotating the phone) move or resize the log without
  // unsticking it; it is put back at its end.
  let atEnd = true;
  let pinnedTop = 0;
  let userScrollUntil = 0;
  const userInput = (e) => {
    if (e.type !== "pointermove" || e.buttons) userScrollUntil = Date.now() + 1000;
  };
  for (const ev of ["wheel", "touchmove", "keydown", "pointerdown", "pointermove"]) {
    log.addEventListener(ev, userInput, { passive: true });
  }
  log.addEventListener("scroll", () => {
    if (log.scrollHeight - log.scrollTop - log.clientHeight < 48) {
      atEnd = true;
      pinnedTop = log.scrollTop;
    } else if (Date.now() < userScrollUntil && log.scrollTop < pinnedTop - 2) {
      atEnd = false;
    }
  });
  if (window.ResizeObserver) new ResizeObserver(() => scrollDown(false)).observe(log);

  function scrollDown(force) {
    if (!force && !atEnd) return;
    atEnd = true;
    log.scrollTop = log.scrollHeight;
    pinnedTop = log.scrollTop;
  }

  function renderNotice() {
    if (business && business.open === false && business.next_open) {
      notice.textContent = t("closed", { when: formatWhen(business.next_open) });
      notice.hidden = false;
    } else {
      notice.hidden = true;
    }
  }

  function renderTicket() {
    const mine = Object.values(tickets[conversationID] || {});
    if (!mine.length) {
      ticketLine.hidden = true;
      return;
    }
    const tk = mine.reduce((a, b) => (b.at > a.at ? b : a));
    const status = TEXTS[lang].status[tk.status] || String(tk.status || "");
    let s = t("ticket", { id: tk.id, status });
    const due = tk.due || {};
    if (["new", "open", "reopened", "assigned"].includes(tk.status) && due.first_response) {
      s += t("dueFirst", { when: formatWhen(due.first_response) });
    } else if (due.onsite && !["resolved", "closed", "cancelled"].includes(tk.status)) {
      s += t("dueOnsite", { when: formatWhen(due.onsite) });
    } else if (due.resolution && !["resolved", "closed", "cancelled"].includes(tk.status)) {
      s += t("dueResolution", { when: formatWhen(due.resolution) });
    }
    ticketLine.textContent = s;
    ticketLine.hidden = false;
  }

  // renderBadge shows on the launcher how many bot and agent messages came
  // after the newest one seen (none while the chat is open).
  function renderBadge() {
    let unread = 0;
    if (panel.hidden) {
      for (const m of log.querySelectorAll(".sd-msg[data-seq]")) {
        if ((m.dataset.from === "bot" || m.dataset.from === "agent") && Number(m.dataset.seq) > seenSeq) unread++;
      }
    }
    badge.hidden = unread === 0;
    badge.textContent = unread > 9 ? "9+" : String(unread);
    launcher.setAttribute("aria-label", unread ? t("launcher") + " (" + t("unread", { n: unread }) + ")" : t("launcher"));
  }

  let typingFrom = "";
  let typingTimer = 0;
  function showTyping(from) {
    if (from !== "bot" && from !== "agent") return;
    typingFrom = from;
    typingText.textContent = from === "agent" ? t("typingAgent") : t("typingBot");
    typing.hidden = false;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(hideTyping, TYPING_SHOWN);
    scrollDown(false);
  }
  function hideTyping() {
    clearTimeout(typingTimer);
    typingFrom = "";
    typing.hidden = true;
  }

  let alertTimer = 0;
  function showAlert(s) {
    alertBox.textContent = s;
    alertBox.hidden = false;
    clearTimeout(alertTimer);
    alertTimer = setTimeout(() => { alertBox.hidden = true; }, 6000);
  }

  // ---- the customer's side ---------------------------------------------------

  // queue shows a customer message at once and sends it when it can; it stays
  // pending until the server echoes it with its id.
  function queue(frame, node) {
    const p = { id: frame ? frame.id : node.dataset.id, frame, el: node };
    pending.push(p);
    savePending();
    log.append(node);
    updateChoices();
    scrollDown(true);
    if (frame) transmit(p);
    return p;
  }

  function transmit(p) {
    setMsgState(p.el, "sending");
    if (welcomed && sendPending(p)) return;
    if (!ws && connState !== "waiting") connect();
    renderConn();
  }

  function localMessage(text, id) {
    const node = renderMessage("customer", { text });
    node.dataset.id = id;
    return node;
  }

  // focusInput puts the focus back in the input, except on touch screens,
  // where that would open the on-screen keyboard after every tap.
  const focusInput = () => {
    if (!window.matchMedia || !matchMedia("(pointer: coarse)").matches) input.focus();
  };

  // chars counts a text as the server does: in Unicode code points, so an
  // emoji is one character, not two UTF-16 units.
  const chars = (s) => Array.from(s).length;

  // renderCount shows how long the message is once it nears the limit, and
  // says by how much it is over.
  function renderCount() {
    const n = chars(input.value.trim());
    const over = n - MAX_TEXT;
    counter.hidden = n < COUNT_FROM;
    counter.classList.toggle("sd-over", over > 0);
    counter.textContent = over > 0
      ? t("overLimit", { n, max: MAX_TEXT, over })
      : t("count", { n, max: MAX_TEXT });
    if (over > 0) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }

  // sendText sends what the customer typed. A text over the limit is not
  // sent (nor cut): it stays in the box, and the alert says why.
  function sendText() {
    const text = input.value.trim();
    if (!text) return;
    const n = chars(text);
    if (n > MAX_TEXT) {
      renderCount();
      showAlert(t("overLimit", { n, max: MAX_TEXT, over: n - MAX_TEXT }));
      return;
    }
    const id = newID();
    queue({ v: 1, type: "message", id, text }, localMessage(text, id));
    input.value = "";
    autosize();
    renderCount();
  }

  function choose(value, label) {
    const id = newID();
    queue({ v: 1, type: "choice", id, value, label }, localMessage(label, id));
    focusInput();
  }

  function sendFile(file) {
    const id = newID();
    const att = { name: file.name, type: file.type, size: file.size };
    const node = renderMessage("customer", { text: "" });
    node.querySelector(".sd-bubble").remove();
    node.insertBefore(attachmentView(att, file), node.querySelector(".sd-meta"));
    node.dataset.id = id;
    const p = queue(null, node);
    node._retry = () => startUpload(p, file, att);
    startUpload(p, file, att);
  }

  async function startUpload(p, file, att) {
    setMsgState(p.el, "uploading");
    if (!pending.includes(p)) {
      pending.push(p);
      savePending();
    }
    try {
      await ready();
      let res = await postFile(file);
      if (res.status === 401) { // the server forgot our token: get a new one, once
        welcomed = false;
        if (ws) ws.close();
        await ready();
        res = await postFile(file);
      }
      if (!res.ok) {
        const reason = res.status === 413 ? t("tooLarge") : res.status === 400 ? t("badType") : t("uploadFailed");
        return failPending(p, reason, res.status >= 500);
      }
      const body = await res.json();
      const ref = String(body.ref || "");
      if (!ref) return failPending(p, t("uploadFailed"), true);
      att.ref = ref;
      att.name = String(body.name || att.name);
      att.type = String(body.type || att.type);
      rememberAttachment(p.id, { ref, name: att.name, type: att.type, size: att.size });
      p.frame = { v: 1, type: "attachment", id: p.id, ref };
      transmit(p);
    } catch (_) {
      failPending(p, t("uploadFailed"), true);
    }
  }

  const postFile = (file) => {
    const body = new FormData();
    body.append("file", file, file.name);
    return fetch(uploadURL, { method: "POST", headers: { Authorization: "Bearer " + token }, body });
  };

  function rememberAttachment(id, att) {
    attachments[id] = att;
    const ids = Object.keys(attachments);
    for (const old of ids.slice(0, Math.max(0, ids.length - ATTACHMENTS_KEPT))) delete attachments[old];
    store.set("localStorage", "attachments", attachments);
  }

  function failPending(p, reason, retryable) {
    const i = pending.indexOf(p);
    if (i >= 0) pending.splice(i, 1);
    savePending();
    if (reason) p.el.dataset.error = reason;
    if (!retryable) p.el._retry = null;
    setMsgState(p.el, "failed");
    updateChoices();
    if (reason) showAlert(reason);
  }

  // The history last shown in this tab, until the welcome brings the
  // server's: a reload while offline still shows the conversation.
  const cached = store.get("sessionStorage", "history", null);
  if (conversationID && isObject(cached) && cached.conversation === conversationID && Array.isArray(cached.messages)) {
    for (const m of cached.messages) onMessage(m, false);
    for (const node of log.querySelectorAll(".sd-msg[data-seq]")) node.dataset.cached = "";
  }

  // Messages a reload interrupted: shown again, sent after the welcome.
  const kept = store.get("sessionStorage", "pending", []);
  for (const frame of Array.isArray(kept) ? kept : []) {
    if (!frame || !frame.id) continue;
    const text = frame.type === "choice" ? frame.label || frame.value : frame.text;
    const node = localMessage(String(text || ""), frame.id);
    pending.push({ id: frame.id, frame, el: node });
    log.append(node);
    setMsgState(node, "queued");
  }

  // ---- interaction ---------------------------------------------------------

  let lastTypingSent = 0;
  function autosize() {
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight, 132) + "px";
  }

  input.addEventListener("input", () => {
    autosize();
    renderCount();
    const now = Date.now();
    if (input.value.trim() && welcomed && now - lastTypingSent > TYPING_EVERY) {
      lastTypingSent = now;
      send({ v: 1, type: "typing" });
    }
  });
  input.addEventListener("keydown", (e) => {
    // Enter sends; Shift+Enter is a new line; never while an IME composes.
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      sendText();
    }
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    sendText();
    focusInput();
  });
  attachBtn.addEventListener("click", () => fileInput.click());
  fileInput.addEventListener("change", () => {
    const files = Array.from(fileInput.files || []);
    fileInput.value = "";
    for (const f of files) sendFile(f);
    focusInput();
  });
  retryNow.addEventListener("click", reconnectNow);

  // markSeen records that the visitor saw the messages up to seq (default:
  // all shown; acknowledged messages are in seq order).
  function markSeen(seq) {
    if (seq === undefined) {
      const shown = log.querySelectorAll(".sd-msg[data-seq]");
      seq = shown.length ? Number(shown[shown.length - 1].dataset.seq) : 0;
    }
    if (seq > seenSeq) {
      seenSeq = seq;
      store.set("localStorage", "seen", seenSeq);
    }
  }

  // syncSeen takes what another tab has seen of the same conversation: a
  // message read there is not new here.
  function syncSeen() {
    if (String(store.get("localStorage", "conversation", "") || "") !== conversationID) return;
    const seq = Number(store.get("localStorage", "seen", 0)) || 0;
    if (seq > seenSeq) {
      seenSeq = seq;
      renderBadge();
    }
  }
  window.addEventListener("storage", (e) => {
    if (e.key === keyPrefix + "seen" || e.key === keyPrefix + "conversation") syncSeen();
  });
  window.addEventListener("focus", syncSeen);
  document.addEventListener("visibilitychange", syncSeen);

  function open(focus = true) {
    panel.hidden = false;
    root.classList.add("sd-open");
    launcher.setAttribute("aria-expanded", "true");
    store.set("sessionStorage", "open", true);
    markSeen();
    renderBadge();
    if (!ws && connState !== "waiting") connect();
    scrollDown(true);
    if (focus) focusInput();
  }

  // close hides the panel. The focus goes back to the launcher only from
  // inside the panel (Escape, the close button); a page that calls
  // supportd.close() keeps its focus.
  function close() {
    if (panel.hidden) return;
    const inside = panel.contains(shadow.activeElement);
    panel.hidden = true;
    root.classList.remove("sd-open");
    launcher.setAttribute("aria-expanded", "false");
    store.set("sessionStorage", "open", null);
    if (inside) launcher.focus();
  }

  launcher.addEventListener("click", () => (panel.hidden ? open() : close()));
  closeBtn.addEventListener("click", () => close());
  root.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !panel.hidden) {
      e.preventDefault();
      close();
    }
  });

  window.supportd = Object.freeze({
    version: 1,
    open: () => open(),
    close: () => close(),
    setLang(l) {
      lang = pickLang(l);
      applyTexts();
    },
  });

  // ---- start -------------------------------------------------------------

  applyTexts();
  const mount = () => {
    document.body.append(host);
    // A returning visitor connects at once, to see replies that came while
    // away; a new one only when opening the chat (no empty conversations).
    if (store.get("sessionStorage", "open", false)) open(false);
    else if (token || pending.length) connect();
  };
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount, { once: true });
})();
