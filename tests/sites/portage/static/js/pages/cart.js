// #/cart: what is in the cart, a promo code box and the way to checkout.
import { api, html, PortageElement, raw } from "../base.js";
import { price, t } from "../i18n.js";
import { forms, tables } from "../styles.js";
import { ownStyles } from "../widgets/sheet.js";
import "../widgets/promo.js";

const styles = ownStyles(`
  .qty select { font: inherit; min-height: 40px; padding: .25rem .4rem; }
  .link-button { background: none; border: 0; color: #1d5c3a; text-decoration: underline; font: inherit;
                 font-weight: 400; font-size: .9rem;
                 cursor: pointer; padding: .5rem 0; min-height: 24px; }
  .actions { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-end; justify-content: space-between;
             max-width: 44rem; margin-top: 1.5rem; }
`);

class Cart extends PortageElement {
  static styles = [forms, tables, styles];

  connectedCallback() {
    this.titled(t("cartTitle"));
    this.draw(html`<h1 tabindex="-1">${t("cartHeading")}</h1><div class="body"><p>${t("loading")}</p></div>`);
    api("/api/cart").then((cart) => this.show(cart));
  }

  show(cart) {
    this.cartChanged(cart.lines.reduce((n, line) => n + line.qty, 0));
    const body = this.$(".body");
    if (!cart.lines.length) {
      body.innerHTML = String(html`<p>${t("cartEmpty")}</p><a class="btn btn--secondary" href="#/shop">${t("keepShopping")}</a>`);
      return;
    }
    body.innerHTML = String(html`
      <table>
        <caption class="visually-hidden">${t("cartHeading")}</caption>
        <thead><tr><th scope="col">${t("item")}</th><th scope="col" class="num">${t("price")}</th>
          <th scope="col">${t("qty")}</th><th scope="col" class="num hide-small">${t("lineTotal")}</th></tr></thead>
        <tbody>${cart.lines.map((line) => html`
          <tr data-line="${line.id}">
            <th scope="row"><a href="#/product/${line.id}">${line.name}</a><br>
              <button class="link-button" type="button" data-remove="${line.id}">${t("remove")}</button></th>
            <td class="num"><span class="money" data-testid="unit-price">${price(line.unit)}</span></td>
            <td class="qty"><select aria-label="${t("qty")}: ${line.name}" data-qty="${line.id}">
              ${[1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => html`<option ${raw(n === line.qty ? "selected" : "")}>${n}</option>`)}
            </select></td>
            <td class="num hide-small"><span class="money">${price(line.line)}</span></td>
          </tr>`)}
        </tbody>
        <tfoot><tr><th scope="row" colspan="3">${t("subtotal")}</th>
          <td class="num"><span class="money" data-testid="subtotal">${price(cart.subtotal)}</span></td></tr></tfoot>
      </table>
      <p class="fine" style="margin-top:.75rem">${raw(t("cartNote", { returns: html`<a href="#/help">${t("returnsLink")}</a>` }))}</p>
      <div class="actions">
        <portage-promo></portage-promo>
        <a class="btn btn--primary" href="#/checkout">${t("checkout")}</a>
      </div>`);
    this.$$("[data-qty]").forEach((select) => select.addEventListener("change", () => this.set(select.dataset.qty, Number(select.value))));
    this.$$("[data-remove]").forEach((button) => button.addEventListener("click", () => this.set(button.dataset.remove, 0)));
  }

  async set(id, qty) {
    this.show(await api("/api/cart/items", { method: "POST", body: { id, qty, set: true } }));
  }
}

customElements.define("portage-cart", Cart);
