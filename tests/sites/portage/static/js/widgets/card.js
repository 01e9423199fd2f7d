// One product as a card in a grid: picture, name (the link), price, a line about it.
import { html, raw } from "../base.js";
import { price, t } from "../i18n.js";

export function card(p, headingLevel = 2) {
  const was = p.was ? html` <del class="was"><span class="visually-hidden">${t("was", { price: "" })}</span>${price(p.was)}</del>` : "";
  return html`
    <li>
      <article class="card" data-testid="product-card" data-product="${p.id}">
        <img src="/assets/img/${p.id}.svg" alt="" width="320" height="240" loading="lazy">
        <div class="card__body">
          ${raw(`<h${headingLevel}>`)}<a href="#/product/${p.id}">${p.name}</a>${raw(`</h${headingLevel}>`)}
          <p class="price"><span class="money" data-testid="price">${price(p.price)}</span>${was}</p>
          <p class="blurb">${p.blurb}</p>
        </div>
      </article>
    </li>`;
}
