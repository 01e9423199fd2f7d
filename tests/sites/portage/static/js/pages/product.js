// #/product/<id>: one product, its price, a delivery estimate and "Add to cart".
import { api, go, html, PortageElement } from "../base.js";
import { price, t } from "../i18n.js";
import { forms } from "../styles.js";
import { ownStyles } from "../widgets/sheet.js";
import "../widgets/eta.js";

const styles = ownStyles(`
  .product { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 2rem; align-items: start; }
  .product img { width: 100%; height: auto; border-radius: 8px; background: #dfe7df; display: block; }
  .product .price { font-size: 1.5rem; font-weight: 700; margin: .25rem 0 .5rem; }
  .stock { color: #1d5c3a; font-weight: 600; }
  .qty { max-width: 8rem; }
  .back { display: inline-block; margin-bottom: 1rem; }
  @media (max-width: 700px) { .product { grid-template-columns: 1fr; gap: 1rem; } }
`);

class Product extends PortageElement {
  static styles = [forms, styles];

  async connectedCallback() {
    const [id] = this.params;
    this.draw(html`<p>${t("loading")}</p>`);
    let p;
    try {
      p = await api(`/api/products/${encodeURIComponent(id)}`);
    } catch {
      return go("#/shop");
    }
    this.titled(p.name);
    this.remember(p.id);
    this.draw(html`
      <a class="back" href="#/shop">← ${t("backToShop")}</a>
      <div class="product">
        <img src="/assets/img/${p.id}.svg" alt="${p.name}" width="480" height="360">
        <div>
          <h1 tabindex="-1">${p.name}</h1>
          <p class="price"><span class="money" data-testid="product-price">${price(p.price)}</span></p>
          <p class="stock">${t("inStock")}</p>
          <p>${p.blurb}</p>
          <div class="field qty">
            <label for="qty">${t("qty")}</label>
            <select id="qty" name="qty">${[1, 2, 3, 4, 5].map((n) => html`<option>${n}</option>`)}</select>
          </div>
          <portage-eta></portage-eta>
          <button class="btn btn--primary" type="button" id="add">${t("addToCart")}</button>
        </div>
      </div>`);
    this.$("#add").addEventListener("click", () => this.add(p.id));
  }

  remember(id) {
    const views = JSON.parse(localStorage.getItem("portage-views") || "[]");
    localStorage.setItem("portage-views", JSON.stringify([id, ...views.filter((v) => v !== id)].slice(0, 20)));
  }

  async add(id) {
    const button = this.$("#add");
    button.disabled = true;
    button.textContent = t("adding");
    const cart = await api("/api/cart/items", { method: "POST", body: { id, qty: Number(this.$("#qty").value) } });
    this.cartChanged(cart.lines.reduce((n, line) => n + line.qty, 0));
    go("#/cart");
  }
}

customElements.define("portage-product", Product);
