// Portage Co-op: the app shell and the hash router. Each route is a custom element with its
// own shadow root; the shell swaps them inside <main> and keeps the header's cart count.
import { api, go, html, PortageElement } from "./base.js";
import { flags, t } from "./i18n.js";
import { session } from "./session.js";
import { shell } from "./styles.js";
import "./pages/sign-in.js";
import "./pages/shop.js";
import "./pages/product.js";
import "./pages/cart.js";
import "./pages/checkout.js";
import "./pages/review.js";
import "./pages/thanks.js";
import "./pages/help.js";
import "./widgets/newsletter.js";

const ROUTES = [
  { path: /^\/login$/, tag: "portage-sign-in", open: true },
  { path: /^\/shop$/, tag: "portage-shop" },
  { path: /^\/product\/([\w-]+)$/, tag: "portage-product" },
  { path: /^\/cart$/, tag: "portage-cart" },
  { path: /^\/checkout$/, tag: "portage-checkout" },
  { path: /^\/review$/, tag: "portage-review" },
  { path: /^\/thanks\/([\w-]+)$/, tag: "portage-thanks" },
  { path: /^\/help$/, tag: "portage-help", open: true },
];
const NAV = { "portage-shop": "shop", "portage-product": "shop", "portage-cart": "cart", "portage-help": "help" };

class PortageApp extends PortageElement {
  static styles = [shell];

  connectedCallback() {
    this.draw(html`
      <a class="skip" href="#main" data-skip>${t("skip")}</a>
      <header>
        <a class="brand" href="#/shop">${t("shopName")}</a>
        <nav aria-label="${t("shopName")}">
          <ul>
            <li><a href="#/shop" data-nav="shop">${t("navShop")}</a></li>
            <li><a href="#/help" data-nav="help">${t("navHelp")}</a></li>
            <li><a href="#/cart" data-nav="cart" data-testid="cart-link">${t("navCart")} (<span class="count">0</span>)</a></li>
          </ul>
        </nav>
      </header>
      <main id="main"></main>
      <footer>${t("footer")}</footer>
      <div class="visually-hidden" aria-live="polite" id="route-announcer"></div>`);
    this.$("[data-skip]").addEventListener("click", (e) => { e.preventDefault(); this.focusHeading(); });
    this.addEventListener("page-title", (e) => this.retitle(e.detail));
    this.addEventListener("cart-count", (e) => this.count(e.detail));
    window.addEventListener("hashchange", () => this.route());
    this.start();
  }

  async start() {
    try {
      const me = await api("/api/me");
      session.member = me.member;
      this.count(me.cart_count);
    } catch {
      session.member = null;
    }
    this.route();
  }

  route() {
    const [path, query = ""] = (location.hash.replace(/^#/, "") || "/").split("?");
    const found = ROUTES.find((r) => r.path.test(path));
    if (!found) return go(session.member ? "#/shop" : "#/login");
    if (!found.open && !session.member) return go("#/login");
    if (found.tag === "portage-sign-in" && session.member) return go("#/shop");
    const page = document.createElement(found.tag);
    page.params = path.match(found.path).slice(1);
    page.query = new URLSearchParams(query);
    const main = this.$("main");
    main.replaceChildren(page);
    this.$$("[data-nav]").forEach((a) => {
      if (a.dataset.nav === NAV[found.tag]) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    });
    window.scrollTo(0, 0);
  }

  retitle(title) {
    document.title = `${title} · ${t("shopName")}`;
    this.$("#route-announcer").textContent = title;
    this.focusHeading();
  }

  focusHeading() {
    const page = this.$("main").firstElementChild;
    page?.shadowRoot?.querySelector("h1")?.focus({ preventScroll: true });
  }

  count(n) {
    session.cartCount = n;
    this.$(".count").textContent = String(n);
  }
}

customElements.define("portage-app", PortageApp);

if (flags.newsletter_prompt === "on-load" && !sessionStorage.getItem("portage-newsletter")) {
  // Marketing asked for the sign-up box "as soon as the visitor lands".
  setTimeout(() => document.body.append(document.createElement("portage-newsletter")), 600);
}
