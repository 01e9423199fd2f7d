// The delivery estimate above "Add to cart". The carrier's service takes most of a second, so
// the box keeps its space from the start and only its words change when the answer comes.
// With eta_placeholder off (an older version of this widget), nothing is drawn until then.
import { api, html, PortageElement } from "../base.js";
import { flags, settings, t } from "../i18n.js";
import { ownStyles } from "./sheet.js";

const styles = ownStyles(`
  :host { margin: 0 0 1rem; }
  .eta { display: grid; gap: .2rem; padding: .8rem 1rem; border-radius: 6px; background: #e6efe4;
         border-left: 4px solid #1d5c3a; min-height: 6.25rem; max-width: 28rem; }
  .eta strong { font-size: .95rem; }
  .eta span { font-size: .9rem; color: #33413a; }
  .eta--waiting span { color: #6b766f; }
`);

function hour(cutoff) {
  const [h, m] = cutoff.split(":").map(Number);
  return new Intl.DateTimeFormat(settings.locale, { hour: "numeric", minute: m ? "2-digit" : undefined })
    .format(new Date(2024, 0, 1, h, m));
}

class Eta extends PortageElement {
  static styles = [styles];

  connectedCallback() {
    const reserve = flags.eta_placeholder !== false;
    if (reserve) {
      this.draw(html`<div class="eta eta--waiting" aria-busy="true"><strong>${t("etaTitle")}</strong>
        <span>${t("etaLoading")}</span></div>`);
    } else {
      this.style.display = "none";
    }
    this.load();
  }

  async load() {
    const eta = await api("/api/delivery-estimate");
    if (!this.isConnected) return;
    this.style.display = "";
    this.draw(html`<div class="eta" role="status"><strong>${t("etaTitle")}</strong>
      <span>${t("eta", { cutoff: hour(eta.cutoff), min: eta.days_min, max: eta.days_max })}</span></div>`);
  }
}

customElements.define("portage-eta", Eta);
