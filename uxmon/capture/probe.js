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

  // ---- shadow DOM: pages built of web components ----------------------------------
  // Every shadow root (open or closed) is watched like the document: its changes, its
  // alerts and overlays, its text. Events from inside one reach the window retargeted to
  // the outermost host; composedPath() names the element the customer really used.
  const roots = new Set();
  const hosts = new Set();
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init);
    roots.add(root);
    hosts.add(this);
    try { watchRoot(root); } catch (e) { /* not ready yet: the probe is still starting */ }
    return root;
  };
  const origin = (ev) => (ev.composedPath && ev.composedPath()[0]) || ev.target;
  const up = (n) => n.parentElement || (n.parentNode && n.parentNode.host) || null;
  function closestDeep(el, selector) {
    for (let n = el; n; n = up(n)) if (n.nodeType === 1 && n.matches(selector)) return n;
    return null;
  }
  function queryDeep(selector) {
    const found = [...document.querySelectorAll(selector)];
    for (const root of roots) if (root.host && root.host.isConnected) found.push(...root.querySelectorAll(selector));
    return found;
  }
  function holdsHost(el) {
    for (const host of hosts) if (host !== el && el.contains(host)) return true;
    return false;
  }
  // The text a customer sees, shadow roots included (innerText stops at their boundary).
  function deepText(node) {
    if (node.nodeType === 3) return node.data;
    if (node.nodeType !== 1 && node.nodeType !== 11) return "";
    if (node.nodeType === 1) {
      if (IGNORED_TAGS.test(node.tagName)) return "";
      if (!node.shadowRoot && !holdsHost(node)) return node.innerText || "";
      const style = getComputedStyle(node);
      if (style.display === "none" || style.visibility === "hidden") return "";
    }
    let kids = node.nodeType === 1 && node.shadowRoot ? node.shadowRoot.childNodes : node.childNodes;
    if (node.tagName === "SLOT" && node.assignedNodes({ flatten: true }).length) kids = node.assignedNodes({ flatten: true });
    const parts = [];
    for (const kid of kids) { const text = deepText(kid); if (text && text.trim()) parts.push(text.trim()); }
    const inline = node.nodeType === 1 && /^inline/.test(getComputedStyle(node).display);
    return parts.join(inline ? " " : "\n");
  }
  const pageText = () => (document.body ? (hosts.size ? deepText(document.body) : document.body.innerText || "") : "");

  // ---- describing elements -------------------------------------------------------
  const clean = (s, n) => (s || "").replace(/\s+/g, " ").trim().slice(0, n || 80);
  const actionable = (el) => (el && el.nodeType === 1 && closestDeep(el, INTERACTIVE)) || el;
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
    const text = hosts.size && (el.shadowRoot || holdsHost(el)) ? deepText(el) : el.innerText;
    return clean(el.getAttribute("aria-label") || text || el.getAttribute("title") || el.getAttribute("alt"));
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
    if (!parent) {
      const host = el.parentNode && el.parentNode.host;  // the top of a shadow tree: name its host
      return host ? part(host) + " >> " + own : own;
    }
    if (parent === document.body || parent === document.documentElement) return own;
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
             input_type: el.tagName === "INPUT" ? (el.getAttribute("type") || "text").toLowerCase() : "",
             autocomplete: el.getAttribute("autocomplete") || "" };
  }
  const rendered = (el) => !!el && el.nodeType === 1 && el.getClientRects().length > 0;

  // ---- actions and their answers ----------------------------------------------------
  let watched = null;       // the action waiting for a visible answer
  let lastPress = null;     // the last click, tap or key press: what newly shown text answers
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
    if (moved) {  // all it moved since the customer could first see it, and when it last did
      action.moved_ms_before = t - moved.t;
      action.moved_px = Math.round(Math.hypot(moved.dx, moved.dy));
    }
    checkFields(null);
    const submits = (kind === "key" && /Enter$/.test((extra || {}).key || "")) ||
      ((kind === "click" || kind === "tap") && el && !isField(el) && !/^(SELECT|LABEL|OPTION)$/.test(el.tagName));
    if (submits) sentFields();
    // The page as the customer saw it when they pressed: what the press brings is the next step's.
    if (TOP && kind !== "fill") send("state", Object.assign(state(), { why: "press" }));
    if (kind === "click" || kind === "tap") {
      const small = sizeException(el, action.target.hit_rect || action.target.rect);
      if (small) Object.assign(action.target, small);
      const recent = blocked.filter((b) => t - b.t < 2000);
      if (recent.length) { action.retries = recent.length; action.covered_by = recent[0].target; }
      blocked.length = 0;
    }
    flushUpdates();
    typing = filling = null;
    watched = action;
    lastPress = kind === "fill" ? lastPress : action;
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

  // ---- fields that do not keep what was typed ---------------------------------------
  // What the customer typed is each field's value as their own input event left it (this
  // listener runs before the page's). Later, the field must still show it, allowing for
  // formatting (case, spaces, punctuation); and typing into one field must not rewrite
  // another the customer had filled. Password values are never sent, only their length.
  const typed = new Map();    // field -> what the customer's last input left in it
  const reported = new WeakMap();
  const norm = (s) => (s || "").normalize("NFKC").toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
  const shown = (el) => (el.isContentEditable ? el.innerText : el.value) || "";
  const safeValue = (el, v) => (el.type === "password" ? "•".repeat(v.length) : clean(v, 120));
  let fillCheck = 0;
  function typedInto(el) {
    lastTyped = el;
    typed.set(el, shown(el));
    sent.delete(el);
    reported.delete(el);
    // Once the page's own handlers of this input have run: did they rewrite another field?
    setTimeout(() => checkFields(el), 0);
    clearTimeout(fillCheck);
    fillCheck = setTimeout(() => checkFields(null), 700);
  }
  // A field emptied after the customer sent it (Enter, a button) was used, not lost: a chat
  // box clears once the message is sent.
  const sent = new WeakSet();
  function sentFields() { for (const el of typed.keys()) sent.add(el); }
  function checkFields(cause) {
    for (const [el, value] of typed) {
      if (!el.isConnected) { typed.delete(el); continue; }
      if (cause === el) continue;
      const now = shown(el);
      if (!now.trim() && sent.has(el)) { typed.delete(el); continue; }
      if (norm(now) === norm(value) || reported.get(el) === now) continue;
      reported.set(el, now);
      send("field", { field: describe(el), typed: safeValue(el, value), shown: safeValue(el, now),
                      cause: cause ? describe(cause) : null });
    }
  }
  let lastTyped = null;

  // WCAG 2.5.8's exceptions for a target under 24 × 24 px: spacing (a 24 px circle on its
  // centre touches no other target) and links inline in a sentence.
  function sizeException(el, rect) {
    if (!el || !rect || (rect.width >= 24 && rect.height >= 24)) return null;
    const parent = el.parentElement;
    const inline = el.tagName === "A" && /^inline/.test(getComputedStyle(el).display) && !!parent &&
      clean(parent.innerText, 2000).length > clean(el.innerText, 2000).length + 20;
    const cx = rect.x + rect.width / 2, cy = rect.y + rect.height / 2;
    let spaced = true;
    const others = queryDeep(INTERACTIVE);
    for (let i = 0; i < others.length && i < 800 && spaced; i++) {
      const other = others[i];
      if (other === el || other.contains(el) || el.contains(other) || !rendered(other)) continue;
      const r = rectOf(other);
      const dx = Math.max(r.x - cx, 0, cx - (r.x + r.width)), dy = Math.max(r.y - cy, 0, cy - (r.y + r.height));
      const small = r.width < 24 || r.height < 24;
      const ox = r.x + r.width / 2, oy = r.y + r.height / 2;
      if (Math.hypot(dx, dy) < 12 || (small && Math.hypot(ox - cx, oy - cy) < 24)) spaced = false;
    }
    return { spaced, inline };
  }

  let pendingClick = null;
  let labelClick = { control: null, t: 0 };
  window.addEventListener("click", (ev) => {
    if (!ev.isTrusted) return;
    // Enter in a form or Space on a button makes the browser click for the customer: the key
    // press is the action, this click is only its effect.
    if (ev.detail === 0 && !ev.pointerType && at(ev) - lastKeyDown < 100) return;
    const el = actionable(origin(ev));
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
    const el = origin(ev);
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
    const el = origin(ev);
    if (!isField(el)) {
      if (watched && ev.isTrusted) answered("value", at(ev));
      return;
    }
    if (ev.isTrusted) typedInto(el);
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

  // change, invalid and scroll events do not leave a shadow root: each root is listened to too.
  function onChange(ev) {
    const el = origin(ev);
    if (el && el.tagName === "SELECT") {
      const chosen = el.selectedOptions && el.selectedOptions[0];
      const action = begin("select", el, at(ev), { answer: "value", answer_ms: 0 });
      action.target.text = clean(textOf(el) + (chosen ? ": " + chosen.text : ""));
      emitAction(action);
    } else if (watched && !isField(el)) {
      answered("value", at(ev));
    }
  }
  function onInvalid(ev) {
    // The browser refused to send a form: its own bubble says why, outside the page.
    const el = origin(ev);
    if (el && el.nodeType === 1) send("field-error", { field: describe(el), message: clean(el.validationMessage, 200),
                                                      filled: !!(el.value || "").trim(), native: true });
  }
  function listenIn(target) {
    target.addEventListener("change", onChange, true);
    target.addEventListener("invalid", onInvalid, true);
    target.addEventListener("scroll", (ev) => answered("scroll", at(ev)), true);
  }
  listenIn(window);

  window.addEventListener("focusin", (ev) => {
    const el = origin(ev);
    if (isField(el) || el.tagName === "SELECT") answered("focus", at(ev));
  }, true);

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
  // Short texts that appear in answer to a press: a message the page gives without any
  // alert role ("Error: Last Name is required" in a plain <h3>).
  const SAID_MS = 2000;
  let saidFor = null, saidTexts = [], saidTimer = 0;
  function heard(node) {
    const press = lastPress;
    if (!press || now() - press.t > SAID_MS || !node || node.nodeType !== 1 || !rendered(node)) return;
    const text = clean(node.innerText, 400);
    if (!text || text.length > 300 || saidTexts.includes(text)) return;
    if (saidFor !== press) { flushSaid(); saidFor = press; }
    if (saidTexts.length < 6) saidTexts.push(text);
    clearTimeout(saidTimer);
    saidTimer = setTimeout(flushSaid, 250);
  }
  function flushSaid() {
    if (saidFor && saidTexts.length) send("said", { id: saidFor.id, texts: saidTexts });
    saidFor = null;
    saidTexts = [];
  }
  const observer = new MutationObserver((records) => {
    const t = now();
    const action = watched;
    for (const record of records) {
      const node = record.target.nodeType === 1 ? record.target : record.target.parentElement;
      if (!node) continue;
      if (record.type === "characterData") heard(node);
      for (const added of record.addedNodes) heard(added.nodeType === 1 ? added : node);
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
    if (viewDrawing) { clearTimeout(drawnTimer); drawnTimer = setTimeout(drawn, DRAWN_QUIET_MS); }
  });
  // When a new view is drawn: the first moment its DOM stays still for a little while after
  // it began (a client-side view fetches its data and renders after the route changed). The
  // customer pace counts a person's look at the page from there.
  const DRAWN_QUIET_MS = 150;
  let viewDrawing = true, drawnTimer = 0;
  function drawing() { viewDrawing = true; clearTimeout(drawnTimer); drawnTimer = setTimeout(drawn, DRAWN_QUIET_MS); }
  function drawn() { if (viewDrawing && TOP) { viewDrawing = false; send("drawn", { t: now() - DRAWN_QUIET_MS }); } }
  const OBSERVED = { subtree: true, childList: true, characterData: true, attributes: true,
    attributeFilter: ["class", "style", "hidden", "open", "src", "aria-expanded", "aria-hidden", "disabled",
                      "aria-selected", "aria-checked", "aria-pressed", "aria-busy", "aria-invalid"] };
  observer.observe(document, OBSERVED);
  function watchRoot(root) {
    observer.observe(root, OBSERVED);
    listenIn(root);
  }

  // Scans run a moment after the change that asked for them; what they find is stamped
  // with the change's time, not the scan's (a press just after must not take the credit).
  let scanTimer = 0, scanSince = 0;
  function scheduleScan() {
    if (!TOP || scanTimer) return;
    scanSince = now();
    scanTimer = setTimeout(flushScan, 60);
  }
  function flushScan() {
    if (!scanTimer) return;
    clearTimeout(scanTimer);
    scanTimer = 0;
    scanAlerts();
    scanOverlays();
    addRects();
    scanSince = 0;
  }
  const seenAt = () => (scanSince ? { t: scanSince } : {});
  const ALERTS = '[role=alert],[role=alertdialog],[role=status],[aria-live=assertive],[aria-live=polite],output';
  const alertText = new WeakMap();
  const fieldErrors = new WeakMap();
  function scanFieldErrors() {
    // A field the page marks invalid, with the words it gives, and whether it holds a value.
    for (const el of queryDeep('[aria-invalid="true"]')) {
      if (!rendered(el)) continue;
      const root = el.getRootNode();
      const ids = (el.getAttribute("aria-errormessage") || el.getAttribute("aria-describedby") || "").split(/\s+/);
      const message = clean(ids.map((id) => { const m = id && root.getElementById && root.getElementById(id);
                                              return m ? m.innerText : ""; }).join(" "), 200);
      const key = message + "|" + shown(el);
      if (fieldErrors.get(el) === key) continue;
      fieldErrors.set(el, key);
      send("field-error", Object.assign({ field: describe(el), message, filled: !!shown(el).trim() }, seenAt()));
    }
  }
  function scanAlerts() {
    scanFieldErrors();
    for (const el of queryDeep(ALERTS)) {
      const role = el.getAttribute("role") || "";
      if (/^(log|marquee|timer)$/.test(role) || !rendered(el)) continue;
      const text = clean(el.innerText, 300);
      if (!text || alertText.get(el) === text) continue;
      alertText.set(el, text);
      send("alert", Object.assign({ text, role: role || "live", selector: selectorOf(el), rect: rectOf(el) }, seenAt()));
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
    const candidates = new Set(queryDeep('[role=dialog],[role=alertdialog],[aria-modal=true],dialog[open]'));
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
      send("overlay", Object.assign({ id, selector: selectorOf(el), text: clean(deepText(el), 160),
                        coverage: Math.round(coverage(el) * 100) / 100, modal, rect: rectOf(el) }, seenAt()));
    }
    for (const [el, id] of openOverlays) {
      if (!el.isConnected || !isOverlay(el)) { openOverlays.delete(el); send("overlay-closed", { id }); }
    }
  }

  // ---- layout shifts, and which controls they moved --------------------------------
  let positions = new Map();
  function refreshRects() {
    const next = new Map();
    const all = queryDeep(INTERACTIVE);
    for (let i = 0; i < all.length && i < 600; i++) {
      const el = all[i];
      if (rendered(el)) { const r = rectOf(el); next.set(el, [r.x, r.y]); }
    }
    positions = next;
  }
  // Controls drawn since the last refresh (a view rendered after its data came): where they
  // first stood is where a later shift is measured from; known ones keep their place.
  function addRects() {
    const all = queryDeep(INTERACTIVE);
    for (let i = 0; i < all.length && i < 600; i++) {
      const el = all[i];
      if (!positions.has(el) && rendered(el)) { const r = rectOf(el); positions.set(el, [r.x, r.y]); }
    }
  }
  function movedBy(t) {
    const moved = [];
    for (const [el, [x, y]] of positions) {
      if (!el.isConnected || !rendered(el)) continue;
      const r = rectOf(el);
      const dx = r.x - x, dy = r.y - y;
      if (Math.abs(dx) >= 1 || Math.abs(dy) >= 1) {
        const before = lastMoved.get(el) || { dx: 0, dy: 0 };
        lastMoved.set(el, { t, dx: before.dx + dx, dy: before.dy + dy });
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
    // A page that cannot paint or answer: long animation frames (or long tasks where those are
    // not known), and inputs that took long to show their effect (INP's ingredients).
    const frames = (PerformanceObserver.supportedEntryTypes || []).includes("long-animation-frame");
    observe(frames ? "long-animation-frame" : "longtask", (entry) => {
      if (entry.duration < 150) return;
      const blocking = frames ? entry.blockingDuration || 0 : Math.max(0, entry.duration - 50);
      // The script that took the time, where the browser tells (long animation frames do).
      const top = (entry.scripts || []).reduce((a, s) => (!a || s.duration > a.duration ? s : a), null);
      const source = top ? clean(`${(top.sourceURL || "").split("/").pop()} ${top.sourceFunctionName || top.invoker || ""}`, 120)
        : (frames ? "rendering" : "");
      send("lag", { t: performance.timeOrigin + entry.startTime, duration: Math.round(entry.duration),
                    blocking: Math.round(blocking), source, script_ms: top ? Math.round(top.duration) : 0 });
    });
    try {
      new PerformanceObserver((list) => list.getEntries().forEach((entry) => {
        if (entry.duration >= 200 && entry.interactionId) {
          send("input-lag", { t: performance.timeOrigin + entry.startTime, duration: Math.round(entry.duration),
                              name: entry.name, source: entry.name + " handlers",
                              script_ms: Math.round(entry.processingEnd - entry.processingStart) });
        }
      })).observe({ type: "event", durationThreshold: 104, buffered: true });
    } catch (e) { /* not supported here */ }
    observe("largest-contentful-paint", (entry) => send("lcp", { lcp: entry.renderTime || entry.startTime }));
  }

  window.addEventListener("error", (ev) => {
    const el = ev.target;
    if (el && el.tagName === "IMG") send("broken-image", { src: el.currentSrc || el.src, selector: selectorOf(el) });
  }, true);

  // ---- navigation, page state -------------------------------------------------------
  const route = (kind) => { send("route", { url: location.href, how: kind }); drawing(); };
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
  // Hash routes: this listener runs before the page's own, so the view is still the old one.
  window.addEventListener("hashchange", (ev) => {
    if (!TOP) return;
    send("state", Object.assign(state(), { url: ev.oldURL, why: "route" }));
    route("hashchange");
  });

  function overflowing(limit) {
    const width = document.documentElement.clientWidth;
    const found = [];
    const all = document.body ? [...document.body.getElementsByTagName("*")] : [];
    for (const root of roots) if (root.host && root.host.isConnected) all.push(...root.querySelectorAll("*"));
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
    const text = pageText().slice(0, 20000);
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
  window.addEventListener("beforeunload", () => {
    if (TOP) { flushUpdates(); flushSaid(); checkFields(null); send("state", Object.assign(state(), { why: "leave" })); }
  });
  document.addEventListener("DOMContentLoaded", () => { refreshRects(); scanAlerts(); scanOverlays(); drawing(); });
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
    flush() { flushUpdates(); flushSaid(); checkFields(null); scanAlerts(); scanOverlays(); return seq; },
  };
})();
