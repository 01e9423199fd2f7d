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

# A form's complaint that something it needs is missing ("Last name is required").
REQUIRED = (
    "is required", "are required", "required", "is mandatory", "cannot be empty", "can't be empty",
    "must not be empty", "please enter", "please fill in", "please fill out", "please provide",
    "please select", "please choose", "is missing",
    "ist erforderlich", "erforderlich", "pflichtfeld", "darf nicht leer sein", "bitte geben sie",
    "bitte füllen sie", "bitte wählen sie",
    "est obligatoire", "obligatoire", "est requis", "requis", "ne peut pas être vide",
    "veuillez saisir", "veuillez renseigner", "veuillez indiquer", "veuillez choisir",
    "es obligatorio", "obligatorio", "requerido", "no puede estar vacío", "introduce", "introduzca",
    "is verplicht", "verplicht", "vul uw", "è obbligatorio", "obbligatorio",
)

# The page turning down what the customer typed: their own input, their own mistake.
INVALID = (
    "not valid", "isn't valid", "is not valid", "invalid", "incorrect", "not recognised",
    "not recognized", "unknown", "has expired", "expired", "does not exist", "doesn't exist",
    "do not match", "does not match", "doesn't match", "not found", "wrong",
    "ungültig", "unbekannt", "abgelaufen", "falsch", "stimmen nicht überein",
    "n'est pas valide", "pas valide", "invalide", "inconnu", "expiré", "incorrect",
    "ne correspondent pas",
    "no es válido", "no válido", "inválido", "desconocido", "caducado", "incorrecto",
    "ongeldig", "onbekend", "verlopen", "onjuist", "non valido", "non è valido", "scaduto", "errato",
)

ERRORS = (
    "error", "failed", "something went wrong", "try again", *INVALID, *REQUIRED,
    "fehler", "fehlgeschlagen", "erreur", "échoué", "falló", "fout", "mislukt", "errore",
)

# Lines of a price breakdown that are taxes: a total grown by them explains itself.
TAXES = (
    "tax", "taxes", "sales tax", "vat", "gst", "hst", "pst", "qst", "mwst", "ust", "umsatzsteuer",
    "mehrwertsteuer", "tva", "tvh", "tps", "tvq", "taxe", "iva", "impuesto", "impuestos", "igic",
    "btw", "moms", "igv",
)

# What makes a customer create an account (not sign in to one) before going on.
SIGNUP = (
    "create account", "create an account", "create your account", "register", "sign up",
    "become a member", "join now", "new password", "confirm password", "repeat password",
    "konto erstellen", "konto anlegen", "registrieren", "passwort bestätigen", "passwort wiederholen",
    "créer un compte", "créer mon compte", "s'inscrire", "inscription", "devenez membre",
    "confirmez le mot de passe", "confirmer le mot de passe", "choisissez un mot de passe",
    "crear cuenta", "crear una cuenta", "regístrate", "registrarse", "confirmar contraseña",
    "account aanmaken", "registreren", "bevestig wachtwoord", "crea account", "registrati",
    "conferma password",
)

# A way to go on without an account.
GUEST = (
    "guest", "as a guest", "without an account", "without account", "no account",
    "gast", "als gast", "ohne konto", "invité", "en tant qu'invité", "sans compte",
    "invitado", "como invitado", "sin cuenta", "zonder account", "ospite", "senza account",
)


@dataclass(frozen=True)
class Vocabulary:
    """Compiled matchers for each kind of phrase."""

    blockers: re.Pattern[str]
    availability: re.Pattern[str]
    fees: re.Pattern[str]
    errors: re.Pattern[str]
    required: re.Pattern[str] = re.compile(r"(?!x)x")
    invalid: re.Pattern[str] = re.compile(r"(?!x)x")
    taxes: re.Pattern[str] = re.compile(r"(?!x)x")
    signup: re.Pattern[str] = re.compile(r"(?!x)x")
    guest: re.Pattern[str] = re.compile(r"(?!x)x")

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

    @staticmethod
    def found(pattern: re.Pattern[str], text: str) -> str:
        match = pattern.search(text)
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
        required=_compile(words("required", REQUIRED)),
        invalid=_compile(words("invalid", INVALID)),
        taxes=_compile(words("taxes", TAXES)),
        signup=_compile(words("signup", SIGNUP)),
        guest=_compile(words("guest", GUEST)),
    )
