// #/checkout: the delivery form. Checked in the browser before it is sent; errors are shown
// next to each field and in a summary at the top, the way the GOV.UK pattern does it.
import { api, go, html, PortageElement, raw } from "../base.js";
import { flags, price, t } from "../i18n.js";
import { forms } from "../styles.js";
import { bindNameTidy, bindPhoneMask } from "../widgets/tidy.js";

const PROVINCES = ["AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const POSTAL = /^[A-Za-z]\d[A-Za-z] ?\d[A-Za-z]\d$/;
const DELIVERY = [["standard", "standard", 995], ["express", "express", 1895], ["pickup", "pickup", 0]];
const RULES = [
  { name: "first_name", id: "first-name", label: "firstName" },
  { name: "last_name", id: "last-name", label: "lastName" },
  { name: "email", id: "email", label: "email", check: (v) => EMAIL.test(v) || t("badEmail") },
  { name: "address", id: "address", label: "address" },
  { name: "city", id: "city", label: "city" },
  { name: "province", id: "province", label: "province" },
  { name: "postal_code", id: "postal-code", label: "postalCode", check: (v) => POSTAL.test(v) || t("badPostal") },
  { name: "delivery", id: "delivery-standard", message: "chooseDelivery" },
];
// What each version of the checkout API calls the fields. 2024-05 renamed last_name to
// lastName; the validation follows the schema, the form's markup was never updated.
const SCHEMA = { "2024-01": {}, "2024-05": { last_name: "lastName" } };
const key = (name) => SCHEMA[flags.checkout_schema]?.[name] ?? name;

function field(id, name, label, attrs = "", hint = "") {
  const hintId = hint ? `${id}-hint` : "";
  return html`
    <div class="field" data-field="${id}">
      <label for="${id}">${t(label)}</label>
      ${hint ? html`<p class="hint" id="${hintId}">${t(hint)}</p>` : ""}
      <input id="${id}" name="${name}" ${raw(attrs)} ${raw(hintId ? `aria-describedby="${hintId}"` : "")}>
    </div>`;
}

class Checkout extends PortageElement {
  static styles = [forms];

  async connectedCallback() {
    this.titled(t("checkoutTitle"));
    let saved = {};
    try {
      saved = (await api("/api/checkout")).details;
    } catch {
      return go("#/cart");
    }
    this.draw(html`
      <h1 tabindex="-1">${t("checkoutHeading")}</h1>
      <div class="error-summary" role="alert" tabindex="-1" hidden>
        <h2>${t("problem")}</h2><ul></ul>
      </div>
      <form name="delivery" novalidate>
        <div class="two">
          ${field("first-name", "first_name", "firstName", 'autocomplete="given-name" data-tidy')}
          ${field("last-name", "last_name", "lastName", 'autocomplete="family-name" data-tidy')}
        </div>
        ${field("email", "email", "email", 'type="email" autocomplete="email" spellcheck="false"')}
        ${field("phone", "phone", "phone", 'type="tel" autocomplete="tel"', "phoneHint")}
        ${field("address", "address", "address", 'autocomplete="street-address"')}
        <div class="two">
          ${field("city", "city", "city", 'autocomplete="address-level2"')}
          <div class="field" data-field="province">
            <label for="province">${t("province")}</label>
            <select id="province" name="province" autocomplete="address-level1">
              <option value="">${t("choose")}</option>
              ${PROVINCES.map((p) => html`<option>${p}</option>`)}
            </select>
          </div>
        </div>
        ${field("postal-code", "postal_code", "postalCode", 'autocomplete="postal-code" class="short"', "postalHint")}
        <fieldset class="field" data-field="delivery-standard">
          <legend>${t("delivery")}</legend>
          ${DELIVERY.map(([value, label, cents]) => html`
            <label class="choice"><input type="radio" name="delivery" value="${value}" id="delivery-${value}">
              <span>${t(label)}</span><span class="money">${cents ? price(cents) : t("free")}</span></label>`)}
        </fieldset>
        <button class="btn btn--primary" type="submit">${t("continueReview")}</button>
        <p class="fine" style="margin-top:1rem">${raw(t("privacyNote", { privacy: html`<a href="#/help">${t("privacyLink")}</a>` }))}</p>
      </form>`);
    const form = this.$("form");
    for (const [name, value] of Object.entries(saved)) {
      const input = form.elements.namedItem(name);
      if (input && name !== "delivery") input.value = value;
    }
    if (saved.delivery) this.$(`#delivery-${saved.delivery}`).checked = true;
    bindNameTidy(form, flags.name_tidy);
    bindPhoneMask(form.elements.phone, flags.phone_mask);
    form.addEventListener("submit", (e) => this.submit(e));
    this.$(".error-summary ul").addEventListener("click", (e) => {
      const a = e.target.closest("a");
      if (!a) return;
      e.preventDefault(); // the hash belongs to the router: move focus instead
      this.$(`#${a.dataset.target}`)?.focus();
    });
  }

  errors(data) {
    const found = [];
    for (const rule of RULES) {
      const value = String(data.get(key(rule.name)) ?? "").trim();
      let message = "";
      if (!value) message = rule.message ? t(rule.message) : t("required", { field: t(rule.label) });
      else if (rule.check && rule.check(value) !== true) message = rule.check(value);
      if (message) found.push({ id: rule.id, message });
    }
    return found;
  }

  show(errors) {
    this.$$("[aria-invalid]").forEach((el) => {
      el.removeAttribute("aria-invalid");
      const kept = (el.getAttribute("aria-describedby") || "").split(" ").filter((x) => x && !x.endsWith("-error"));
      if (kept.length) el.setAttribute("aria-describedby", kept.join(" "));
      else el.removeAttribute("aria-describedby");
    });
    this.$$(".field-error").forEach((el) => el.remove());
    for (const { id, message } of errors) {
      const input = this.$(`#${id}`);
      const wrapper = this.$(`[data-field="${id}"]`);
      const p = document.createElement("p");
      p.className = "field-error";
      p.id = `${id}-error`;
      p.innerHTML = String(html`<span>${t("errorPrefix")}</span> ${message}`);
      wrapper.querySelector("label, legend").after(p);
      input.setAttribute("aria-invalid", "true");
      const described = (input.getAttribute("aria-describedby") || "").split(" ").filter((x) => x && x !== p.id);
      input.setAttribute("aria-describedby", [p.id, ...described].join(" "));
    }
    const summary = this.$(".error-summary");
    summary.hidden = !errors.length;
    summary.querySelector("ul").innerHTML = String(html`${errors.map((e) =>
      html`<li><a href="#${e.id}" data-target="${e.id}">${e.message}</a></li>`)}`);
    if (errors.length) summary.focus();
  }

  async submit(event) {
    event.preventDefault();
    const form = event.target;
    const data = new FormData(form);
    const errors = this.errors(data);
    this.show(errors);
    if (errors.length) return;
    const details = Object.fromEntries([...data.entries()].map(([k, v]) => [k, String(v).trim()]));
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      await api("/api/checkout", { method: "POST", body: details });
      go("#/review");
    } catch {
      this.show([{ id: "first-name", message: t("genericError") }]);
      button.disabled = false;
    }
  }
}

customElements.define("portage-checkout", Checkout);
