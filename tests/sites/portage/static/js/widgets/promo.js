// The promo code box: the server knows the running codes and says when one is unknown.
import { api, ApiError, html, PortageElement } from "../base.js";
import { t } from "../i18n.js";
import { ownStyles } from "./sheet.js";

const styles = ownStyles(`
  form { display: flex; flex-wrap: wrap; gap: .5rem; align-items: flex-end; }
  .field { margin: 0; max-width: 16rem; }
  .msg { flex-basis: 100%; margin: .25rem 0 0; min-height: 1.5em; font-size: .95rem; }
  .msg--bad { color: #8c1d18; }
  .msg--good { color: #1d5c3a; }
  @media (max-width: 600px) { form .btn { width: auto; } }
`);

class Promo extends PortageElement {
  static styles = [styles];

  connectedCallback() {
    this.draw(html`
      <form novalidate>
        <div class="field">
          <label for="promo-code">${t("promoLabel")}</label>
          <input id="promo-code" name="code" autocomplete="off" autocapitalize="characters">
        </div>
        <button class="btn btn--secondary" type="submit">${t("promoApply")}</button>
        <p class="msg" id="promo-msg" aria-live="polite" data-testid="promo-message"></p>
      </form>`);
    this.$("form").addEventListener("submit", (e) => this.apply(e));
  }

  async apply(event) {
    event.preventDefault();
    const input = this.$("#promo-code");
    const msg = this.$("#promo-msg");
    const code = input.value.trim();
    const bad = (text) => {
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", "promo-msg");
      msg.className = "msg msg--bad";
      msg.textContent = text;
    };
    if (!code) return bad(t("promoEmpty"));
    try {
      await api("/api/cart/promo", { method: "POST", body: { code } });
      input.removeAttribute("aria-invalid");
      msg.className = "msg msg--good";
    } catch (error) {
      bad(error instanceof ApiError && error.status === 422 ? t("promoInvalid") : t("genericError"));
    }
  }
}

customElements.define("portage-promo", Promo);
