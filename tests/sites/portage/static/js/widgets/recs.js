// "Picked for you": three products ranked for the member. The ranking normally comes from the
// server; the "in-page" setting ranks on the device instead, refining the scores until a time
// budget runs out. That code was written for a Web Worker, but here it runs on the main thread.
import { api, html, PortageElement } from "../base.js";
import { flags, t } from "../i18n.js";
import { cards } from "../styles.js";
import { card } from "./card.js";

const BUDGET_MS = 2500;
let rankedOnDevice = false;

function rankOnDevice(budget) {
  const views = JSON.parse(localStorage.getItem("portage-views") || "[]");
  const scores = new Float64Array(2048);
  const until = performance.now() + budget;
  let round = 0;
  while (performance.now() < until) {
    for (let i = 0; i < scores.length; i++) {
      scores[i] = (scores[i] * 0.9 + Math.sin(i * 0.37 + round) * (views.length + 1)) % 1000;
    }
    round++;
  }
  return round;
}

class Recs extends PortageElement {
  static styles = [cards];

  connectedCallback() {
    this.draw(html`<section aria-labelledby="recs-title"><h2 id="recs-title">${t("recsHeading")}</h2>
      <ul class="grid"></ul></section>`);
    if (flags.recs === "in-page" && !rankedOnDevice) {
      rankedOnDevice = true;
      rankOnDevice(BUDGET_MS);
    }
    this.load();
  }

  async load() {
    const { products } = await api("/api/recommendations");
    this.$(".grid").innerHTML = String(html`${products.map((p) => card(p, 3))}`);
  }
}

customElements.define("portage-recs", Recs);
