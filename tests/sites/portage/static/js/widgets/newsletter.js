// The newsletter sign-up box, over the whole page. Closed for the rest of the visit once
// dismissed or answered.
import { html, PortageElement } from "../base.js";
import { t } from "../i18n.js";
import { ownStyles } from "./sheet.js";

const styles = ownStyles(`
  .backdrop { position: fixed; inset: 0; z-index: 1000; background: rgba(18, 32, 24, .72);
              display: grid; place-items: center; padding: 1rem; }
  .panel { background: #fff; border-radius: 10px; max-width: 26rem; width: 100%; padding: 1.75rem 1.5rem 1.5rem;
           position: relative; box-shadow: 0 12px 40px rgba(0, 0, 0, .3); }
  .x { position: absolute; top: .5rem; right: .5rem; width: 44px; height: 44px; border: 0; background: none;
       font-size: 1.5rem; cursor: pointer; color: #33413a; }
  h2 { margin-top: 0; font: 600 1.35rem/1.25 Georgia, serif; padding-right: 2rem; }
  .buttons { display: flex; gap: .75rem; flex-wrap: wrap; margin-top: .5rem; }
`);

class Newsletter extends PortageElement {
  static styles = [styles];

  connectedCallback() {
    this.draw(html`
      <div class="backdrop">
        <div class="panel" role="dialog" aria-modal="true" aria-labelledby="nl-title" data-testid="newsletter">
          <button class="x" type="button" aria-label="${t("close")}">×</button>
          <h2 id="nl-title">${t("newsletterHeading")}</h2>
          <p>${t("newsletterBody")}</p>
          <form>
            <div class="field">
              <label for="nl-email">${t("newsletterEmail")}</label>
              <input id="nl-email" type="email" autocomplete="email">
            </div>
            <div class="buttons">
              <button class="btn btn--primary" type="submit">${t("subscribe")}</button>
              <button class="btn btn--secondary" type="button" data-dismiss>${t("noThanks")}</button>
            </div>
          </form>
        </div>
      </div>`);
    const close = () => {
      sessionStorage.setItem("portage-newsletter", "seen");
      this.remove();
    };
    this.$(".x").addEventListener("click", close);
    this.$("[data-dismiss]").addEventListener("click", close);
    this.$("form").addEventListener("submit", (e) => { e.preventDefault(); close(); });
    this.$("[data-dismiss]").focus();
  }
}

customElements.define("portage-newsletter", Newsletter);
