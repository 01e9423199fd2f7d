// uxmon's in-page probe: watches what the customer does and how the page answers.
// Installed in every frame before the page's own scripts. It reports through the
// `__uxmon_emit` binding; every event has a kind `k` and an epoch time `t` in ms.
// It never reads the values typed into fields, only their lengths.
(() => {
  "use strict";
  if (window.__uxmon) return;
  const TOP = window === window.top;
  const WINDOW_MS = 10000;   // how long an action is watched for an answer
  const DOC = Math.random().toString(36).slice(2, 10);
  const INTERACTIVE = 'a[href],button,input,select,textarea,summary,label,[role=button],[role=link],' +
    '[role=tab],[role=menuitem],[role=checkbox],[role=radio],[role=option],[role=switch],[onclick]';
  const TEXT_TYPES = /^(text|email|password|search|tel|url|number|date|datetime-local|month|time|week|)$/;
  const IGNORED_TAGS = /^(SCRIPT|STYLE|LINK|META|NOSCRIPT|TEMPLATE|HEAD|TITLE)$/;
  const now = () => performance.timeOrigin + performance.now();
  const at = (ev) => performance.timeOrigin + ev.timeStamp;
  let seq = 0;

  // The CDP binding needs no reply; Playwright's binding is the fallback for frames the
  // recorder's DevTools session does not reach (out-of-process iframes).
  function send(k, data) {
    const event = Object.assign({ k, t: now(), doc: DOC, top: TOP }, data);
    try {
      if (typeof window.__uxmon_cdp === "function") window.__uxmon_cdp(JSON.stringify(event));
      else window.__uxmon_emit(event);
    } catch (e) { /* not recording */ }
  }

  // ---- describing elements -------------------------------------------------------
  const clean = (s, n) => (s || "").replace(/\s+/g, " ").trim().slice(0, n || 80);
  const actionable = (el) => (el && el.closest && el.closest(INTERACTIVE)) || el;
  function isField(el) {
    if (!el || !el.tagName) return false;
    if (el.tagName === "TEXTAREA" || el.isContentEditable) return true;
    return el.tagName === "INPUT" && TEXT_TYPES.test((el.getAttribute("type") || "").toLowerCase());
  }
  function labelText(el) {
    const label = el.labels && el.labels[0];
    if (!label) return "";
    let text = "";
    for (const node of label.childNodes) {
      if (node.nodeType === 3) text += node.textContent;
      else if (node.nodeType === 1 && !node.contains(el) && !/INPUT|SELECT|TEXTAREA/.test(node.tagName)) text += node.innerText;
    }
    return text;
  }
  function textOf(el) {
    if (/^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName)) {
      const own = el.type === "submit" || el.type === "button" ? el.value : "";
      return clean(el.getAttribute("aria-label") || labelText(el) || el.getAttribute("placeholder") || own || el.name);
    }
    return clean(el.getAttribute("aria-label") || el.innerText || el.getAttribute("title") || el.getAttribute("alt"));
  }
  function part(el) {
    const tag = el.tagName.toLowerCase();
    if (el.id && /^[A-Za-z][\w-]*$/.test(el.id)) return tag + "#" + el.id;
    for (const attr of ["data-testid", "data-test", "data-qa", "name", "aria-label"]) {
      const v = el.getAttribute(attr);
      if (v && v.length < 40) return `${tag}[${attr}="${v}"]`;
    }
    const classes = [...el.classList].filter((c) => /^[A-Za-z][\w-]{1,30}$/.test(c) && !/\d{3}/.test(c));
    return tag + classes.slice(0, 2).map((c) => "." + c).join("");
  }
  function selectorOf(el) {
    if (!el || el.nodeType !== 1) return "";
    const own = part(el);
    if (/[#\[]/.test(own)) return own;
    const parent = el.parentElement;
    if (!parent || parent === document.body || parent === document.documentElement) return own;
    return part(parent) + " > " + own;
  }
  function roleOf(el) {
    const role = el.getAttribute("role");
    if (role) return role;
    const tag = el.tagName;
    if (tag === "A") return "link";
    if (tag === "BUTTON" || tag === "SUMMARY") return "button";
    if (tag === "SELECT") return "combobox";
    if (tag === "TEXTAREA") return "textbox";
    if (tag === "INPUT") {
      const type = (el.type || "text").toLowerCase();
      return { checkbox: "checkbox", radio: "radio", submit: "button", button: "button" }[type] || "textbox";
    }
    return "";
  }
  function rectOf(el) {
    const r = el.getBoundingClientRect();
    return { x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: r.height };
  }
  function hitRect(el, own) {
    // A labelled control also answers presses on its label: that is its real target size.
    const label = el.labels && el.labels[0];
    if (!label || !rendered(label)) return null;
    const r = rectOf(label);
    const x = Math.min(own.x, r.x), y = Math.min(own.y, r.y);
    const w = Math.max(own.x + own.width, r.x + r.width) - x, h = Math.max(own.y + own.height, r.y + r.height) - y;
    return w * h > own.width * own.height ? { x, y, width: w, height: h } : null;
  }
  function describe(el) {
    if (!el || el.nodeType !== 1) return { selector: "", text: "", tag: "", role: "" };
    const style = getComputedStyle(el);
    const rect = rectOf(el);
    return { selector: selectorOf(el), text: textOf(el), tag: el.tagName.toLowerCase(), role: roleOf(el),
             rect, font_px: parseFloat(style.fontSize) || null, hit_rect: hitRect(el, rect),
             input_type: el.tagName === "INPUT" ? (el.getAttribute("type") || "text").toLowerCase() : "" };
  }
  const rendered = (el) => !!el && el.nodeType === 1 && el.getClientRects().length > 0;

  // ---- actions and their answers ----------------------------------------------------
  let watched = null;       // the action waiting for a visible answer
  let typing = null;        // the fill being typed key by key
  let filling = null;       // the fill Playwright-style (input events without keys)
  let lastKey = { el: null, t: 0 };
  let lastKeyDown = 0;
  let lastDomAnswer = -Infinity;
  const blocked = [];       // presses that never reached the page: something covered the target
  const lastMoved = new WeakMap();
  const pendingUpdates = new Map();

  function begin(kind, el, t, extra) {
    // A popup that appeared moments ago must be on record before the press that closes it.
    flushScan();
    const action = Object.assign({ id: DOC + ":" + (++seq), kind, t, target: describe(el) }, extra || {});
    const moved = el && lastMoved.get(el);
    if (moved && t - moved.t <= 500) {
      action.moved_ms_before = t - moved.t;
      action.moved_px = Math.round(Math.hypot(moved.dx, moved.dy));
    }
    if (kind === "click" || kind === "tap") {
      const recent = blocked.filter((b) => t - b.t < 2000);
      if (recent.length) { action.retries = recent.length; action.covered_by = recent[0].target; }
      blocked.length = 0;
    }
    flushUpdates();
    typing = filling = null;
    watched = action;
    setTimeout(() => { if (watched === action) watched = null; }, WINDOW_MS);
    return action;
  }
  function answered(how, t) {
    const action = watched;
    if (!action || action.answer) return;
    if (t < action.t) return;
    action.answer = how;
    action.answer_ms = Math.max(0, t - action.t);
    if (how === "dom") lastDomAnswer = t;
    watched = null;
    if (action.sent) send("answer", { id: action.id, ms: action.answer_ms, how });
    requestAnimationFrame(refreshRects);
    scheduleState();
  }
  function emitAction(action) {
    action.sent = true;
    const data = Object.assign({}, action);
    delete data.sent;
    send("action", data);
  }
  function update(action, fields) {
    Object.assign(action, fields);
    pendingUpdates.set(action.id, Object.assign(pendingUpdates.get(action.id) || {}, fields));
    clearTimeout(update.timer);
    update.timer = setTimeout(flushUpdates, 150);
  }
  function flushUpdates() {
    for (const [id, fields] of pendingUpdates) send("update", Object.assign({ id }, fields));
    pendingUpdates.clear();
  }

  let pendingClick = null;
  let labelClick = { control: null, t: 0 };
  window.addEventListener("click", (ev) => {
    if (!ev.isTrusted) return;
    // Enter in a form or Space on a button makes the browser click for the customer: the key
    // press is the action, this click is only its effect.
    if (ev.detail === 0 && !ev.pointerType && at(ev) - lastKeyDown < 100) return;
    const el = actionable(ev.target);
    // A click on a <label> is followed by the browser's own click on its control: count one.
    if (el === labelClick.control && at(ev) - labelClick.t < 50) return;
    labelClick = el && el.tagName === "LABEL" ? { control: el.control, t: at(ev) } : { control: null, t: 0 };
    const kind = ev.pointerType === "touch" ? "tap" : "click";
    const action = begin(kind, el, at(ev));
    const focused = document.activeElement;
    if ((isField(el) || (el && el.tagName === "SELECT")) && focused === el) answered("focus", action.t);
    const info = { ev, action, reached: false };
    pendingClick = info;
    emitAction(action);  // at once: a link may unload this page before any timer runs
    setTimeout(() => {
      if (info.reached) return;
      // Stopped before it reached the document: a press on something covering the target.
      if (watched === action) watched = null;
      blocked.push({ t: action.t, target: action.target });
      send("cancel", { id: action.id });
    }, 0);
  }, true);
  document.addEventListener("click", (ev) => {
    if (pendingClick && ev === pendingClick.ev) pendingClick.reached = true;
  }, true);

  window.addEventListener("keydown", (ev) => {
    if (!ev.isTrusted || /^(Shift|Control|Alt|Meta|CapsLock|Fn)$/.test(ev.key)) return;
    const el = ev.target;
    const t = at(ev);
    lastKeyDown = t;
    const editing = (ev.key.length === 1 && !ev.ctrlKey && !ev.metaKey) || ev.key === "Backspace" || ev.key === "Delete";
    if (editing && isField(el)) {
      lastKey = { el, t };
      if (typing && typing.el === el) { update(typing.action, { keystrokes: typing.action.keystrokes + 1 }); return; }
      const action = begin("fill", el, t, { keystrokes: 1, chars: 0, answer: "echo", answer_ms: 0 });
      emitAction(action);
      typing = { el, action };
      return;
    }
    const combo = (ev.ctrlKey ? "Control+" : "") + (ev.metaKey ? "Meta+" : "") + (ev.altKey ? "Alt+" : "") + ev.key;
    emitAction(begin("key", el, t, { key: combo, keystrokes: 1 }));
  }, true);

  window.addEventListener("input", (ev) => {
    const el = ev.target;
    if (!isField(el)) {
      if (watched && ev.isTrusted) answered("value", at(ev));
      return;
    }
    const length = el.isContentEditable ? (el.innerText || "").length : (el.value || "").length;
    if (typing && typing.el === el) { update(typing.action, { chars: length }); return; }
    if (lastKey.el === el && at(ev) - lastKey.t < 50) return;
    if (filling && filling.el === el) {
      update(filling.action, { chars: length, keystrokes: length });
      return;
    }
    const action = begin("fill", el, at(ev), { keystrokes: length, chars: length, answer: "echo", answer_ms: 0 });
    emitAction(action);
    filling = { el, action };
  }, true);

  window.addEventListener("change", (ev) => {
    const el = ev.target;
    if (el && el.tagName === "SELECT") {
      const chosen = el.selectedOptions && el.selectedOptions[0];
      const action = begin("select", el, at(ev), { answer: "value", answer_ms: 0 });
      action.target.text = clean(textOf(el) + (chosen ? ": " + chosen.text : ""));
      emitAction(action);
    } else if (watched && !isField(el)) {
      answered("value", at(ev));
    }
  }, true);

  window.addEventListener("focusin", (ev) => { if (isField(ev.target) || ev.target.tagName === "SELECT") answered("focus", at(ev)); }, true);
  window.addEventListener("scroll", (ev) => answered("scroll", at(ev)), true);

  // ---- DOM changes: answers, alerts and overlays ----------------------------------
  // Background noise: an element that keeps changing on its own (a carousel, a clock) says
  // nothing about the customer's action. Changes while parsing, or while an action waits for
  // its answer, are not counted: a popup that appeared once is not noise.
  const NOISE_WINDOW_MS = 10000;
  const NOISE_CHANGES = 3;
  const unprompted = new WeakMap();  // element -> times of its recent unprompted changes
  const changed = new Set();
  function meaningful(record, node) {
    if (!node.isConnected || (node.closest && node.closest("head"))) return false;
    if (record.type === "childList") {
      const nodes = [...record.addedNodes, ...record.removedNodes];
      return nodes.some((n) => (n.nodeType === 1 && !IGNORED_TAGS.test(n.tagName)) ||
                              (n.nodeType === 3 && n.textContent.trim()));
    }
    return true;
  }
  const observer = new MutationObserver((records) => {
    const t = now();
    const action = watched;
    for (const record of records) {
      const node = record.target.nodeType === 1 ? record.target : record.target.parentElement;
      if (!node) continue;
      const times = unprompted.get(node) || [];
      changed.add(node);
      for (const added of record.addedNodes) if (added.nodeType === 1) changed.add(added);
      if (!action || action.answer) {
        if (document.readyState !== "loading" && !(times.length && t - times[times.length - 1] < 20)) {
          unprompted.set(node, times.concat([t]).slice(-NOISE_CHANGES));
        }
        continue;
      }
      if (times.filter((x) => action.t - x < NOISE_WINDOW_MS).length >= NOISE_CHANGES) continue;
      if (meaningful(record, node) && (rendered(node) || rendered(node.parentElement))) answered("dom", t);
    }
    scheduleScan();
  });
  observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true,
    attributeFilter: ["class", "style", "hidden", "open", "src", "aria-expanded", "aria-hidden", "disabled",
                      "aria-selected", "aria-checked", "aria-pressed", "aria-busy"] });

  let scanTimer = 0;
  function scheduleScan() {
    if (!TOP || scanTimer) return;
    scanTimer = setTimeout(flushScan, 60);
  }
  function flushScan() {
    if (!scanTimer) return;
    clearTimeout(scanTimer);
    scanTimer = 0;
    scanAlerts();
    scanOverlays();
  }
  const ALERTS = '[role=alert],[role=alertdialog],[role=status],[aria-live=assertive],[aria-live=polite],output';
  const alertText = new WeakMap();
  function scanAlerts() {
    for (const el of document.querySelectorAll(ALERTS)) {
      const role = el.getAttribute("role") || "";
      if (/^(log|marquee|timer)$/.test(role) || !rendered(el)) continue;
      const text = clean(el.innerText, 300);
      if (!text || alertText.get(el) === text) continue;
      alertText.set(el, text);
      send("alert", { text, role: role || "live", selector: selectorOf(el), rect: rectOf(el) });
    }
  }
  const overlayIds = new WeakMap();
  const openOverlays = new Map();
  function coverage(el) {
    const r = el.getBoundingClientRect();
    const w = Math.max(0, Math.min(r.right, innerWidth) - Math.max(r.left, 0));
    const h = Math.max(0, Math.min(r.bottom, innerHeight) - Math.max(r.top, 0));
    return (w * h) / (innerWidth * innerHeight);
  }
  function isOverlay(el) {
    if (!rendered(el) || el === document.body || el === document.documentElement) return false;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.display === "none" || parseFloat(style.opacity) === 0) return false;
    const modal = el.matches('[role=dialog],[role=alertdialog],[aria-modal=true],dialog[open]');
    return modal || ((style.position === "fixed" || style.position === "sticky") && coverage(el) >= 0.25);
  }
  function scanOverlays() {
    const candidates = new Set(document.querySelectorAll('[role=dialog],[role=alertdialog],[aria-modal=true],dialog[open]'));
    let budget = 300;
    for (const el of changed) if (el.nodeType === 1 && el.isConnected && budget-- > 0) candidates.add(el);
    changed.clear();
    const found = [...candidates].filter(isOverlay);
    const outer = found.filter((el) => !found.some((o) => o !== el && o.contains(el)));
    for (const el of outer) {
      if (openOverlays.has(el) || [...openOverlays.keys()].some((o) => o.contains(el) || el.contains(o))) continue;
      const id = overlayIds.get(el) || DOC + ":o" + (++seq);
      overlayIds.set(el, id);
      openOverlays.set(el, id);
      const modal = el.matches('[role=dialog],[role=alertdialog],[aria-modal=true],dialog') ||
        !!el.querySelector('[role=dialog],[aria-modal=true],dialog');
      send("overlay", { id, selector: selectorOf(el), text: clean(el.innerText, 160),
                        coverage: Math.round(coverage(el) * 100) / 100, modal, rect: rectOf(el) });
    }
    for (const [el, id] of openOverlays) {
      if (!el.isConnected || !isOverlay(el)) { openOverlays.delete(el); send("overlay-closed", { id }); }
    }
  }

  // ---- layout shifts, and which controls they moved --------------------------------
  let positions = new Map();
  function refreshRects() {
    const next = new Map();
    const all = document.querySelectorAll(INTERACTIVE);
    for (let i = 0; i < all.length && i < 600; i++) {
      const el = all[i];
      if (rendered(el)) { const r = rectOf(el); next.set(el, [r.x, r.y]); }
    }
    positions = next;
  }
  function movedBy(t) {
    const moved = [];
    for (const [el, [x, y]] of positions) {
      if (!el.isConnected || !rendered(el)) continue;
      const r = rectOf(el);
      const dx = r.x - x, dy = r.y - y;
      if (Math.abs(dx) >= 1 || Math.abs(dy) >= 1) {
        lastMoved.set(el, { t, dx, dy });
        if (moved.length < 10) moved.push({ selector: selectorOf(el), text: textOf(el), dx: Math.round(dx), dy: Math.round(dy) });
      }
    }
    return moved;
  }
  function observe(type, callback) {
    try { new PerformanceObserver((list) => list.getEntries().forEach(callback)).observe({ type, buffered: true }); }
    catch (e) { /* not supported here */ }
  }
  if (TOP) {
    observe("layout-shift", (entry) => {
      // A shift that follows the page's answer to the customer's own action is expected; any
      // other one can move a control away just as the customer reaches for it.
      const t = performance.timeOrigin + entry.startTime;
      const expected = t - lastDomAnswer < 500;
      const moved = expected ? [] : movedBy(t);
      send("shift", { t, value: entry.value, recent: entry.hadRecentInput, expected, moved });
      refreshRects();
    });
    observe("paint", (entry) => { if (entry.name === "first-contentful-paint") send("paint", { fcp: entry.startTime }); });
    observe("largest-contentful-paint", (entry) => send("lcp", { lcp: entry.renderTime || entry.startTime }));
  }

  window.addEventListener("error", (ev) => {
    const el = ev.target;
    if (el && el.tagName === "IMG") send("broken-image", { src: el.currentSrc || el.src, selector: selectorOf(el) });
  }, true);

  // ---- navigation, page state -------------------------------------------------------
  const route = (kind) => send("route", { url: location.href, how: kind });
  for (const name of ["pushState", "replaceState"]) {
    const original = history[name];
    history[name] = function (...args) {
      const before = location.pathname + location.search;
      // The view that is about to go, as the customer saw it (a single-page app keeps no
      // other trace of it once the next route is drawn).
      if (TOP && name === "pushState") send("state", Object.assign(state(), { why: "route" }));
      const result = original.apply(this, args);
      if (TOP && (name === "pushState" || before !== location.pathname + location.search)) route(name);
      return result;
    };
  }
  window.addEventListener("popstate", () => TOP && route("popstate"));

  function overflowing(limit) {
    const width = document.documentElement.clientWidth;
    const found = [];
    const all = document.body ? document.body.getElementsByTagName("*") : [];
    for (let i = 0; i < all.length && i < 3000 && found.length < limit; i++) {
      const el = all[i];
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > width + 1 && !found.some((f) => f.contains(el))) found.push(el);
    }
    return found.map((el) => `${selectorOf(el)} (${Math.round(el.getBoundingClientRect().width)}px wide)`);
  }
  let lastState = "";
  function state() {
    const root = document.documentElement;
    const text = document.body ? (document.body.innerText || "").slice(0, 20000) : "";
    const wide = root.scrollWidth > root.clientWidth + 1;
    return { doc: DOC, ready: document.readyState, url: location.href, title: document.title, text, page_width: root.scrollWidth,
             viewport_width: root.clientWidth, scroll_y: scrollY, overflow: wide ? overflowing(5) : [] };
  }
  let stateTimer = 0;
  function scheduleState() {
    if (!TOP) return;
    clearTimeout(stateTimer);
    stateTimer = setTimeout(emitState, 400);
  }
  function emitState() {
    const s = state();
    const key = s.url + s.title + s.page_width + s.text.length + s.text.slice(-200);
    if (key !== lastState) { lastState = key; send("state", Object.assign(s, { why: "page" })); }
  }

  // t: when the navigation started; commit: when this document replaced the previous one.
  if (TOP) send("doc", { t: performance.timeOrigin, commit: now(), url: location.href });
  // The last moment this page is on screen: its final state, and a cue for a screenshot.
  window.addEventListener("beforeunload", () => { if (TOP) { flushUpdates(); send("state", Object.assign(state(), { why: "leave" })); } });
  document.addEventListener("DOMContentLoaded", () => { refreshRects(); scanAlerts(); scanOverlays(); });
  window.addEventListener("load", () => setTimeout(() => {
    refreshRects();
    if (!TOP) return;
    const nav = performance.getEntriesByType("navigation")[0] || {};
    send("ready", { url: location.href, title: document.title, ttfb: nav.responseStart || null,
                    dom_ready: nav.domContentLoadedEventEnd || null, load: nav.loadEventEnd || null,
                    status: nav.responseStatus || null });
    emitState();
  }, 0));

  window.__uxmon = {
    state,
    flush() { flushUpdates(); scanAlerts(); scanOverlays(); return seq; },
  };
})();
