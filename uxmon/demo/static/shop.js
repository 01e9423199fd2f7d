// Demo Homeware: the little client-side behaviour of the demo shop.
// Friction switches arrive in <body data-friction="...">; each is off unless listed.
(function () {
  "use strict";
  const flags = new Set((document.body.dataset.friction || "").split(" ").filter(Boolean));
  const page = document.body.dataset.page;
  const $ = (sel) => document.querySelector(sel);

  function setupPromo() {
    const form = $("#promo-form");
    if (!form) return;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (flags.has("dead-button")) return; // the bug: the handler gives up silently
      const code = $("#promo-code").value;
      const reply = await fetch("/api/promo", {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ code }),
      }).then((r) => r.json());
      $("#promo-message").textContent = reply.message;
      if (reply.ok) {
        const total = document.querySelector('[data-testid="total"]');
        if (total) total.textContent = reply.total;
      }
    });
  }

  function setupPopup() {
    const modal = $("#newsletter");
    const field = $("#promo-code");
    if (!modal || !field || !flags.has("popup")) return;
    let shown = false;
    const show = () => {
      if (shown) return;
      shown = true;
      modal.hidden = false;
    };
    field.addEventListener("focus", show);
    modal.querySelectorAll("button").forEach((b) => b.addEventListener("click", () => { modal.hidden = true; }));
    // On a slow machine the customer may be in the field before this script ran.
    if (document.activeElement === field) show();
  }

  function setupLayoutShift() {
    const button = $("#continue");
    if (!button || !flags.has("layout-shift")) return;
    let done = false;
    button.addEventListener("pointerover", () => {
      if (done) return;
      done = true;
      const banner = document.createElement("div");
      banner.className = "notice info banner";
      banner.textContent = "Good news: every order now comes with free 60-day returns.";
      $("#banner-slot").appendChild(banner);
    });
  }

  function setupChat() {
    const open = $("#chat-open");
    if (!open) return;
    const chat = $("#chat");
    const log = chat.querySelector(".chat-log");
    const typing = chat.querySelector(".typing");
    open.addEventListener("click", () => { chat.hidden = false; $("#chat-input").focus(); });
    $("#chat-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      const input = $("#chat-input");
      const text = input.value.trim();
      if (!text) return;
      add("me", text);
      input.value = "";
      typing.hidden = false;
      const reply = await fetch("/api/chat?q=" + encodeURIComponent(text)).then((r) => r.json());
      typing.hidden = true;
      add("bot", reply.answer);
    });
    function add(who, text) {
      const p = document.createElement("p");
      p.className = "chat-msg " + who;
      p.textContent = text;
      log.appendChild(p);
    }
  }

  function setupDeliveryTotal() {
    // The summary follows the delivery method the customer picks.
    const summary = document.querySelector(".summary[data-base]");
    if (!summary) return;
    const money = (cents) => cents ? "$" + (cents / 100).toLocaleString("en-US", { minimumFractionDigits: 2 }) : "Free";
    document.querySelectorAll('input[name="method"]').forEach((radio) => radio.addEventListener("change", () => {
      const cost = Number(radio.dataset.cost);
      summary.querySelector('[data-testid="shipping"]').textContent = money(cost);
      summary.querySelector('[data-testid="total"]').textContent = money(Number(summary.dataset.base) + cost);
    }));
  }

  setupPromo();
  setupDeliveryTotal();
  setupPopup();
  setupLayoutShift();
  setupChat();
  void page;
})();
