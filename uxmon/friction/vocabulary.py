"""The words that tell a rule what a message means: blockers, availability, costs, errors.

Built in for English, German, French, Spanish, Dutch and Italian; sites add their own
phrases and regular expressions in ``[friction.vocabulary]``. Matching is case-insensitive
and on whole words, so "unavailable" is not read as "available".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

BLOCKERS = (
    # English
    "out of stock", "sold out", "no longer available", "not available", "currently unavailable",
    "unavailable", "cannot be delivered", "can't be delivered", "not deliverable",
    "do not deliver", "don't deliver", "does not ship", "cannot ship", "payment declined",
    "payment was declined", "card was declined", "card has been declined", "payment failed",
    "could not take your payment", "could not process your payment", "something went wrong",
    "an error occurred", "an error has occurred", "please try again later", "order could not",
    # German
    "nicht auf lager", "ausverkauft", "nicht mehr verfügbar", "nicht verfügbar", "nicht lieferbar",
    "zahlung abgelehnt", "zahlung fehlgeschlagen", "etwas ist schiefgelaufen",
    "ein fehler ist aufgetreten", "es ist ein fehler aufgetreten",
    # French
    "en rupture de stock", "rupture de stock", "épuisé", "plus disponible", "non disponible",
    "paiement refusé", "une erreur est survenue", "une erreur s'est produite",
    # Spanish
    "agotado", "sin existencias", "no disponible", "pago rechazado", "algo salió mal",
    "se ha producido un error",
    # Dutch
    "uitverkocht", "niet op voorraad", "niet beschikbaar", "betaling geweigerd",
    "er is iets misgegaan",
    # Italian
    "esaurito", "non disponibile", "pagamento rifiutato", "qualcosa è andato storto",
)

AVAILABILITY = (
    "in stock", "available", "ships today", "ships tomorrow", "add to cart", "add to basket",
    "auf lager", "verfügbar", "lieferbar", "sofort lieferbar", "in den warenkorb",
    "en stock", "disponible", "ajouter au panier",
    "en existencias", "añadir al carrito",
    "op voorraad", "beschikbaar", "in winkelwagen",
    "disponibile", "aggiungi al carrello",
)

FEES = (
    "fee", "surcharge", "service charge", "charge", "handling", "shipping", "delivery",
    "postage", "booking", "processing", "convenience",
    "gebühr", "servicegebühr", "bearbeitungsgebühr", "zuschlag", "versand", "versandkosten",
    "lieferung", "porto",
    "frais", "supplément", "livraison", "port",
    "cargo", "tarifa", "recargo", "envío", "gastos de envío",
    "kosten", "toeslag", "verzendkosten", "bezorging", "servicekosten",
    "commissione", "spedizione", "supplemento",
)

ERRORS = (
    "error", "failed", "something went wrong", "try again", "not valid", "invalid",
    "fehler", "fehlgeschlagen", "ungültig", "erreur", "échoué", "invalide",
    "falló", "inválido", "fout", "mislukt", "errore", "non valido",
)


@dataclass(frozen=True)
class Vocabulary:
    """Compiled matchers for each kind of phrase."""

    blockers: re.Pattern[str]
    availability: re.Pattern[str]
    fees: re.Pattern[str]
    errors: re.Pattern[str]

    def blocker_in(self, text: str) -> str:
        """The first blocking phrase in ``text`` (as written there), or ''."""
        match = self.blockers.search(text)
        return match.group(0) if match else ""

    def available_in(self, text: str) -> str:
        match = self.availability.search(text)
        return match.group(0) if match else ""

    def fee_in(self, text: str) -> str:
        match = self.fees.search(text)
        return match.group(0) if match else ""

    def error_in(self, text: str) -> str:
        match = self.errors.search(text)
        return match.group(0) if match else ""


def _phrases(words: Iterable[str]) -> str:
    escaped = sorted({re.escape(w.strip().lower()) for w in words if w.strip()}, key=len, reverse=True)
    return "|".join(escaped) or r"(?!x)x"


def _compile(words: Iterable[str], patterns: Iterable[str] = ()) -> re.Pattern[str]:
    # \b does not work next to apostrophes and accents the same way in every phrase, so the
    # boundaries are spelled out: no letter or digit right before or after the phrase.
    alternatives = [f"(?<![\\w])(?:{_phrases(words)})(?![\\w])", *patterns]
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.IGNORECASE)


def build_vocabulary(overrides: Mapping[str, Any] | None = None) -> Vocabulary:
    """The built-in vocabulary, extended (or replaced, with ``replace = true``) by config."""
    extra = dict(overrides or {})
    keep = not extra.get("replace", False)

    def words(name: str, builtin: tuple[str, ...]) -> list[str]:
        return (list(builtin) if keep else []) + list(extra.get(name, []))

    return Vocabulary(
        blockers=_compile(words("blockers", BLOCKERS), extra.get("blocker_patterns", [])),
        availability=_compile(words("availability", AVAILABILITY)),
        fees=_compile(words("fees", FEES)),
        errors=_compile(words("errors", ERRORS)),
    )
