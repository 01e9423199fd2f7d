// #/review: the last look before paying: where it goes, what is in it, and what it costs.
import { api, go, html, PortageElement } from "../base.js";
import { price, t } from "../i18n.js";
import { forms, tables } from "../styles.js";
import { ownStyles } from "../widgets/sheet.js";

const styles = ownStyles(`
  .columns { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 2rem; align-items: start; }
  address { font-style: normal; line-height: 1.5; background: #fff; border: 1px solid #e2ddd0; border-radius: 8px;
            padding: 1rem; margin-bottom: 1rem; }
  .place { margin-top: 1.25rem; }
  @media (max-width: 760px) { .columns { grid-template-columns: 1fr; } }
`);

const DELIVERY = { standard: "standard", express: "express", pickup: "pickup" };

function line(label, cents, testid) {
  return html`<div><dt>${label}</dt><dd><span class="money" data-testid="${testid}">${cents ? price(cents) : t("free")}</span></dd></div>`;
}

class Review extends PortageElement {
  static styles = [forms, tables, styles];

  async connectedCallback() {
    this.titled(t("reviewTitle"));
    let order;
    try {
      order = await api("/api/checkout");
    } catch {
      return go("#/cart");
    }
    const { details: d, quote: q } = order;
    if (!d.first_name) return go("#/checkout");
    this.draw(html`
      <h1 tabindex="-1">${t("reviewHeading")}</h1>
      <div class="columns">
        <section aria-labelledby="items-title">
          <h2 id="items-title">${t("items")}</h2>
          <table>
            <tbody>${q.lines.map((l) => html`<tr><th scope="row">${l.name} × ${l.qty}</th>
              <td class="num"><span class="money">${price(l.line)}</span></td></tr>`)}</tbody>
          </table>
          <h2>${t("deliverTo")}</h2>
          <address>${d.first_name} ${d.last_name}<br>${d.address}<br>${d.city} ${d.province} ${d.postal_code}<br>
            ${d.email}${d.phone ? html`<br>${d.phone}` : ""}<br>${t(DELIVERY[d.delivery])}</address>
          <a href="#/checkout">${t("edit")}</a>
        </section>
        <section aria-labelledby="cost-title">
          <h2 id="cost-title">${t("summaryHeading")}</h2>
          <dl class="breakdown">
            ${line(t("items"), q.items, "items-total")}
            ${line(t("shipping"), q.shipping, "shipping")}
            ${q.fee ? line(t("fee"), q.fee, "fee") : ""}
            ${line(t("tax", { rate: q.tax_rate }), q.tax, "tax")}
            <div class="grand"><dt>${t("total")}</dt><dd><span class="money" data-testid="total">${price(q.total)}</span></dd></div>
          </dl>
          <button class="btn btn--primary place" type="button" id="place">${t("placeOrder")}</button>
        </section>
      </div>`);
    this.$("#place").addEventListener("click", () => this.place());
  }

  async place() {
    const button = this.$("#place");
    button.disabled = true;
    button.textContent = t("placing");
    const order = await api("/api/orders", { method: "POST", body: {} });
    sessionStorage.setItem("portage-last-order", JSON.stringify(order));
    this.cartChanged(0);
    go(`#/thanks/${order.number}`);
  }
}

customElements.define("portage-review", Review);
