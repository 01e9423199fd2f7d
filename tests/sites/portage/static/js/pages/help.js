// #/help: a short help page; most of the answers live elsewhere.
import { html, PortageElement, raw } from "../base.js";
import { t } from "../i18n.js";

class Help extends PortageElement {
  connectedCallback() {
    this.titled(t("helpTitle"));
    const faq = html`<a href="#/help">${t("faqLink")}</a>`;
    const contact = html`<a href="mailto:members@portage.example">${t("contactLink")}</a>`;
    this.draw(html`<h1 tabindex="-1">${t("helpHeading")}</h1>
      <p class="lede">${raw(t("helpBody", { faq, contact }))}</p>`);
  }
}

customElements.define("portage-help", Help);
