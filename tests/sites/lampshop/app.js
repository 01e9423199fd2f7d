// Lichthaus: a single-page shop. One shell, routes drawn by this script, state in memory.
(function () {
  "use strict";
  var TEXT = {
    en: {
      locale: "en-US", currency: "USD", home: "Light for long evenings", stock: "Available now, ships in 2 days",
      add: "Put in my bag", bag: "Your bag", bagLink: "Bag", voucher: "Voucher", redeem: "Redeem",
      saved: "Voucher noted: we will check it when you pay.", checkout: "Go to checkout",
      details: "Where should it go?", name: "Name", mail: "E-mail", street: "Street and number",
      town: "Town", next: "Review order", review: "Check and buy", sub: "Items", ship: "Standard shipping",
      charge: "Card processing", sum: "Total", pay: "Buy now", thanks: "Thank you! Your light is on its way.",
      refused: "We're sorry: the Nordlicht lamp is sold out.", specs: "Specifications"
    },
    de: {
      locale: "de-DE", currency: "EUR", home: "Licht für lange Abende", stock: "Vorrätig, Lieferung in 2 Tagen",
      add: "In die Tasche", bag: "Deine Tasche", bagLink: "Tasche", voucher: "Gutschein", redeem: "Einlösen",
      saved: "Gutschein notiert: wir prüfen ihn beim Bezahlen.", checkout: "Zur Kasse",
      details: "Wohin dürfen wir liefern?", name: "Name", mail: "E-Mail", street: "Straße und Hausnummer",
      town: "Ort", next: "Bestellung prüfen", review: "Prüfen und kaufen", sub: "Artikel", ship: "Standardversand",
      charge: "Zahlungsentgelt", sum: "Summe", pay: "Jetzt kaufen", thanks: "Danke! Deine Leuchte ist unterwegs.",
      refused: "Leider ist die Leuchte Nordlicht nicht mehr vorrätig.", specs: "Technische Daten"
    }
  };
  var LAMPS = [
    { id: "nordlicht", name: "Nordlicht", price: 1299 },
    { id: "kerze", name: "Kerze", price: 39.9 }
  ];
  var state = { t: TEXT.en, variants: [], bag: [] };
  var view = document.getElementById("view");

  function has(v) { return state.variants.indexOf(v) >= 0; }
  function money(n) {
    return new Intl.NumberFormat(state.t.locale, { style: "currency", currency: state.t.currency }).format(n);
  }
  function esc(s) { return String(s).replace(/[&<>"]/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; }); }
  function items() { return state.bag.reduce(function (s, l) { return s + l.price; }, 0); }
  function extra() { return has("late-cost") ? 4.9 : 0; }
  function row(label, amount, id) {
    return "<tr><td>" + esc(label) + "</td><td" + (id ? ' data-testid="' + id + '"' : "") + ">" + money(amount) + "</td></tr>";
  }

  var pages = {
    "": function () {
      return "<h1>" + state.t.home + "</h1><div class='tiles'>" + LAMPS.map(function (l) {
        return "<a class='tile' data-route data-testid='item-" + l.id + "' href='/lamp/" + l.id + "'><strong>" +
          l.name + "</strong><br>" + money(l.price) + "</a>";
      }).join("") + "</div>";
    },
    lamp: function (id) {
      var l = LAMPS.filter(function (x) { return x.id === id; })[0] || LAMPS[0];
      var specs = has("overflow") ? "<h2>" + state.t.specs + "</h2><table class='specs'><tr><td>E27</td><td>2700 K</td>" +
        "<td>806 lm</td><td>Ø 42 cm</td><td>IP20</td><td>230 V</td></tr></table>" : "";
      return "<h1 data-testid='item-title'>" + l.name + "</h1><p data-testid='price'>" + money(l.price) + "</p><p>" +
        state.t.stock + "</p><button data-testid='add' data-id='" + l.id + "'>" + state.t.add + "</button>" + specs;
    },
    bag: function () {
      return "<h1 data-testid='bag'>" + state.t.bag + "</h1><table class='sum'>" +
        state.bag.map(function (l) { return row(l.name, l.price); }).join("") + row(state.t.sum, items(), "total") +
        "</table><label>" + state.t.voucher + "<input data-testid='voucher'></label>" +
        "<button data-testid='redeem'>" + state.t.redeem + "</button><p class='note' data-testid='voucher-note'" +
        " role='status'></p><a class='go' data-route data-testid='to-checkout' href='/details'>" + state.t.checkout + "</a>";
    },
    details: function () {
      var t = state.t;
      return "<h1>" + t.details + "</h1><form id='where'>" + [["name", t.name], ["mail", t.mail], ["street", t.street],
        ["town", t.town]].map(function (f) {
        return "<label>" + f[1] + "<input data-testid='" + f[0] + "' required></label>";
      }).join("") + "<button data-testid='continue'>" + t.next + "</button></form>";
    },
    review: function () {
      var t = state.t;
      return "<h1 data-testid='review'>" + t.review + "</h1><table class='sum'>" + row(t.sub, items()) +
        row(t.ship, 0) + (extra() ? row(t.charge, extra()) : "") + row(t.sum, items() + extra(), "total") +
        "</table><button data-testid='pay'>" + t.pay + "</button>";
    },
    thanks: function () { return "<h1 data-testid='thanks'>" + state.t.thanks + "</h1>"; }
  };

  function draw() {
    var parts = location.pathname.split("/").filter(Boolean);
    var page = pages[parts[0] || ""] || pages[""];
    view.innerHTML = page(parts[1]);
    document.title = "Lichthaus · " + (parts[0] || "start");
    document.getElementById("bag-link").textContent = state.t.bagLink + " (" + state.bag.length + ")";
    document.getElementById("announce").textContent = "";
  }
  function go(path) { history.pushState({}, "", path); draw(); window.scrollTo(0, 0); }

  document.addEventListener("click", function (e) {
    var link = e.target.closest("a[data-route]");
    if (link) { e.preventDefault(); go(link.getAttribute("href")); return; }
    var button = e.target.closest("button");
    if (!button) return;
    var id = button.getAttribute("data-testid");
    if (id === "add") {
      var lamp = LAMPS.filter(function (x) { return x.id === button.getAttribute("data-id"); })[0];
      state.bag.push(lamp); go("/bag");
    } else if (id === "redeem" && !has("dead-click")) {
      document.querySelector("[data-testid=voucher-note]").textContent = state.t.saved;
    } else if (id === "pay") {
      button.disabled = true;
      fetch("/api/orders", { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ items: state.bag.map(function (l) { return l.id; }) }) })
        .then(function (r) {
          if (r.ok) { state.bag = []; go("/thanks"); return; }
          document.getElementById("announce").textContent = state.t.refused;
        });
    }
  });
  document.addEventListener("submit", function (e) { e.preventDefault(); go("/review"); });
  window.addEventListener("popstate", draw);

  fetch("/api/settings").then(function (r) { return r.json(); }).then(function (s) {
    state.t = TEXT[s.lang] || TEXT.en; state.variants = s.variants;
    document.documentElement.lang = s.lang; draw();
  });
})();
