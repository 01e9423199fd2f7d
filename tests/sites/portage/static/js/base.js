// The small base every Portage element is built on: a shadow root, shared styles, escaped
// templates and the JSON API.
import { base } from "./styles.js";

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escape = (value) => String(value ?? "").replace(/[&<>"']/g, (c) => ESCAPES[c]);

/** Markup that is already safe: `html` leaves it alone. */
export class Safe {
  constructor(text) { this.text = text; }
  toString() { return this.text; }
}
export const raw = (text) => new Safe(text);

/** A tagged template that escapes every value unless it is `Safe` (or a list of `Safe`). */
export function html(strings, ...values) {
  const out = strings.reduce((acc, s, i) => {
    if (i === 0) return s;
    const v = values[i - 1];
    const text = Array.isArray(v) ? v.map((x) => (x instanceof Safe ? x.text : escape(x))).join("")
      : v instanceof Safe ? v.text : escape(v);
    return acc + text + s;
  }, "");
  return new Safe(out);
}

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

export async function api(path, { method = "GET", body } = {}) {
  const reply = await fetch(path, {
    method,
    headers: body ? { "Content-Type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
    credentials: "same-origin",
  });
  const data = await reply.json().catch(() => ({}));
  if (reply.status === 401 && data.error === "SIGN_IN_REQUIRED") {
    go("#/login");
  }
  if (!reply.ok) throw new ApiError(reply.status, data);
  return data;
}

export function go(hash) {
  if (location.hash !== hash) location.hash = hash;
}

export class PortageElement extends HTMLElement {
  static styles = [];

  constructor() {
    super();
    this.attachShadow({ mode: "open" });
    this.shadowRoot.adoptedStyleSheets = [base, ...this.constructor.styles];
  }

  /** Replace the element's content with `markup` (a `Safe` from `html`). */
  draw(markup) {
    this.shadowRoot.innerHTML = String(markup);
  }

  $(selector) { return this.shadowRoot.querySelector(selector); }
  $$(selector) { return [...this.shadowRoot.querySelectorAll(selector)]; }

  /** Tell the app shell the page's title (for <title> and the screen-reader announcement). */
  titled(title) {
    this.dispatchEvent(new CustomEvent("page-title", { detail: title, bubbles: true, composed: true }));
  }

  cartChanged(count) {
    this.dispatchEvent(new CustomEvent("cart-count", { detail: count, bubbles: true, composed: true }));
  }
}
