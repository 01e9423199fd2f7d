// #/login: members sign in (or, where the shop was set up that way, must create an account).
import { api, ApiError, go, html, PortageElement, raw } from "../base.js";
import { flags, t } from "../i18n.js";
import { session } from "../session.js";
import { forms } from "../styles.js";

const link = (key) => html`<a href="#/help">${t(key)}</a>`;

class SignIn extends PortageElement {
  static styles = [forms];

  connectedCallback() {
    if (flags.auth === "register") return this.drawRegister();
    this.titled(t("signInTitle"));
    this.draw(html`
      <h1 tabindex="-1">${t("signInHeading")}</h1>
      <p class="lede">${t("signInIntro")}</p>
      <form class="auth" name="sign-in" novalidate>
        <div class="notice notice--error" role="alert" hidden></div>
        <div class="field">
          <label for="username">${t("username")}</label>
          <input id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" required>
        </div>
        <div class="field">
          <label for="password">${t("password")}</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required>
        </div>
        <button class="btn btn--primary" type="submit">${t("signIn")}</button>
        <p class="fine" style="margin-top:1rem">${t("forgot")} ${link("forgotLink")}</p>
      </form>
      <p class="fine" style="margin-top:1.5rem">${raw(t("terms", { terms: link("termsLink"), privacy: link("privacyLink") }))}</p>`);
    this.$("form").addEventListener("submit", (e) => this.signIn(e));
  }

  async signIn(event) {
    event.preventDefault();
    const form = event.target;
    const button = form.querySelector("button");
    const notice = form.querySelector(".notice");
    button.disabled = true;
    button.textContent = t("signingIn");
    try {
      const me = await api("/api/session", { method: "POST",
        body: { username: form.username.value, password: form.password.value } });
      session.member = me.member;
      go("#/shop");
    } catch (error) {
      notice.hidden = false;
      notice.textContent = error instanceof ApiError && error.status === 401 ? t("badCredentials") : t("genericError");
      button.disabled = false;
      button.textContent = t("signIn");
    }
  }

  drawRegister() {
    this.titled(t("registerTitle"));
    this.draw(html`
      <h1 tabindex="-1">${t("registerHeading")}</h1>
      <p class="lede">${t("registerIntro")}</p>
      <form class="auth" name="register" novalidate>
        <div class="notice notice--error" role="alert" hidden></div>
        <div class="field">
          <label for="email">${t("email")}</label>
          <input id="email" name="email" type="email" autocomplete="email" required>
        </div>
        <div class="field">
          <label for="new-password">${t("newPassword")}</label>
          <p class="hint" id="password-hint">${t("passwordHint")}</p>
          <input id="new-password" name="password" type="password" autocomplete="new-password"
                 aria-describedby="password-hint" minlength="8" required>
        </div>
        <div class="field">
          <label for="confirm-password">${t("confirmPassword")}</label>
          <input id="confirm-password" name="confirm" type="password" autocomplete="new-password" required>
          <p class="field-error" id="confirm-error" hidden></p>
        </div>
        <button class="btn btn--primary" type="submit">${t("createAccount")}</button>
      </form>
      <p class="fine" style="margin-top:1.5rem">${raw(t("terms", { terms: link("termsLink"), privacy: link("privacyLink") }))}</p>`);
    this.$("form").addEventListener("submit", (e) => this.register(e));
  }

  async register(event) {
    event.preventDefault();
    const form = event.target;
    const confirm = form.confirm;
    const error = this.$("#confirm-error");
    if (form.password.value !== confirm.value) {
      confirm.setAttribute("aria-invalid", "true");
      confirm.setAttribute("aria-describedby", "confirm-error");
      error.hidden = false;
      error.textContent = t("passwordsDiffer");
      return;
    }
    confirm.removeAttribute("aria-invalid");
    error.hidden = true;
    try {
      const me = await api("/api/accounts", { method: "POST",
        body: { email: form.email.value, password: form.password.value } });
      session.member = me.member;
      go("#/shop");
    } catch {
      const notice = form.querySelector(".notice");
      notice.hidden = false;
      notice.textContent = t("genericError");
    }
  }
}

customElements.define("portage-sign-in", SignIn);
