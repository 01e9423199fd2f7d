// #/shop: the catalogue, with a sort control; the sort is kept in the URL (#/shop?sort=...).
import { api, html, PortageElement, raw } from "../base.js";
import { t } from "../i18n.js";
import { cards, forms } from "../styles.js";
import { card } from "../widgets/card.js";
import "../widgets/recs.js";

const SORTS = [["featured", "sortFeatured"], ["price-asc", "sortPriceAsc"], ["price-desc", "sortPriceDesc"],
  ["newest", "sortNewest"]];

class Shop extends PortageElement {
  static styles = [cards, forms];

  connectedCallback() {
    this.titled(t("shopTitle"));
    const sort = SORTS.some(([v]) => v === this.query?.get("sort")) ? this.query.get("sort") : "featured";
    this.draw(html`
      <h1 tabindex="-1">${t("shopHeading")}</h1>
      <p class="lede">${raw(t("shopIntro", { fit: html`<a href="#/help">${t("fitLink")}</a>` }))}</p>
      <div class="toolbar">
        <p class="fine" id="count" aria-live="polite">${t("loading")}</p>
        <div class="field">
          <label for="sort">${t("sortBy")}</label>
          <select id="sort" name="sort">
            ${SORTS.map(([value, key]) => html`<option value="${value}" ${raw(value === sort ? "selected" : "")}>${t(key)}</option>`)}
          </select>
        </div>
      </div>
      <ul class="grid" aria-labelledby="count"></ul>
      <portage-recs hidden></portage-recs>`);
    this.$("#sort").addEventListener("change", (e) => {
      history.replaceState(null, "", `#/shop?sort=${e.target.value}`);
      this.load(e.target.value);
    });
    this.load(sort);
  }

  async load(sort) {
    const grid = this.$(".grid");
    grid.setAttribute("aria-busy", "true");
    const { products } = await api(`/api/products?sort=${encodeURIComponent(sort)}`);
    grid.innerHTML = String(html`${products.map((p) => card(p))}`);
    grid.removeAttribute("aria-busy");
    this.$("#count").textContent = t("productsCount", { n: products.length });
    this.$("portage-recs").hidden = false; // below the list, once the list has its height
  }
}

customElements.define("portage-shop", Shop);
