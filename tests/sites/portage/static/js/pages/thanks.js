// #/thanks/<number>: the order went through.
import { html, PortageElement } from "../base.js";
import { price, t } from "../i18n.js";

class Thanks extends PortageElement {
  connectedCallback() {
    const [number] = this.params;
    const order = JSON.parse(sessionStorage.getItem("portage-last-order") || "{}");
    this.titled(t("thanksTitle"));
    this.draw(html`
      <h1 tabindex="-1">${t("thanksHeading", { name: order.first_name || "" })}</h1>
      <p>${t("thanksBody", { number })}</p>
      ${order.number === number ? html`<p><strong>${t("totalPaid")}</strong>
        <span class="money" data-testid="total-paid">${price(order.total)}</span></p>` : ""}
      <a class="btn btn--secondary" href="#/shop">${t("keepShopping")}</a>`);
  }
}

customElements.define("portage-thanks", Thanks);
