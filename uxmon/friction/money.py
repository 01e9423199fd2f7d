"""Amounts of money in page text: parsing (with price-parser), cost lines, and totals.

Formats vary by country (``$1,299.00``, ``1.299,00 €``, ``CHF 1'299.50``); price-parser
reads them, and this module adds what it leaves out: the sign, and which amount on a page
belongs to which label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from price_parser import Price

from .vocabulary import Vocabulary

# A currency sign after a number ("89,00 $") unless it starts the next amount ("× 1 $89.00").
_MONEY = re.compile(
    r"(?:[-−–]\s*)?(?:[$€£¥₹]|CHF|EUR|USD|GBP|Fr\.?)?\s?\d{1,3}(?:[.,'’\s]\d{3})*(?:[.,]\d{1,2})?"
    r"(?:\s?(?:[$€£¥₹]|CHF|EUR|USD|GBP|€)(?!\s?\d))?"
)
_HAS_CURRENCY = re.compile(r"[$€£¥₹]|\b(?:CHF|EUR|USD|GBP)\b")
TOTAL_WORDS = re.compile(r"(?<!\w)(?:total|gesamt\w*|summe|totale?|importe total|totaal|te betalen|"
                         r"to pay|zu zahlen|à payer|amount due|amount charged|amount paid|charged|"
                         r"montant|betrag|importe)(?!\w)", re.IGNORECASE)
SUBTOTAL_WORDS = re.compile(r"(?<!\w)(?:sub-?total|zwischensumme|sous-total|subtotaal|"
                            r"subtotale|items?)(?!\w)", re.IGNORECASE)
DISCOUNT_WORDS = re.compile(r"(?<!\w)(?:discount|promo\w*|coupon|voucher|rabatt|gutschein|remise|"
                            r"descuento|korting|sconto|saving|savings)(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class Amount:
    value: Decimal
    currency: str
    text: str


def parse_amount(text: str) -> Amount | None:
    """The amount in ``text`` ('Free' is zero), keeping a leading minus sign."""
    price = Price.fromstring(text)
    if price.amount is None:
        return None
    value = price.amount
    if re.search(r"[-−–]\s*(?:[$€£¥₹]|CHF|EUR|USD|GBP)?\s?\d", text):
        value = -abs(value)
    # Shops often put a no-break space before the currency sign; show it as a plain one.
    return Amount(value, price.currency or "", " ".join(text.split()))


def money_in(line: str) -> list[str]:
    """Substrings of ``line`` that look like prices (with a currency sign or code)."""
    found = [m.group(0).strip() for m in _MONEY.finditer(line)]
    return [f for f in found if _HAS_CURRENCY.search(f) and re.search(r"\d", f)]


@dataclass(frozen=True)
class CostLine:
    """A labelled amount on a page: 'Service fee  $3.95'."""

    label: str
    amount: Amount


@lru_cache(maxsize=512)
def labelled_amounts(text: str) -> tuple[CostLine, ...]:
    """Label and amount pairs: on one line, or a label line followed by an amount-only line.

    Several cost rules read the same step texts; the cache makes that one parse per text.
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    found: list[CostLine] = []
    for i, line in enumerate(lines):
        amounts = money_in(line)
        if amounts:
            label = line[: line.find(amounts[0])].strip(" :\t-–")
            if label:
                parsed = parse_amount(amounts[-1])
                if parsed is not None:
                    found.append(CostLine(label, parsed))
            continue
        if i + 1 < len(lines) and len(line) <= 60:
            follower = lines[i + 1]
            only = money_in(follower)
            if only and len(follower) <= len(only[0]) + 2:
                parsed = parse_amount(only[0])
                if parsed is not None:
                    found.append(CostLine(line.strip(" :"), parsed))
    return tuple(found)


def cost_lines(text: str, vocabulary: Vocabulary) -> list[CostLine]:
    """Labelled amounts whose label names a cost (fee, surcharge, shipping...)."""
    return [c for c in labelled_amounts(text)
            if vocabulary.fee_in(c.label) and not TOTAL_WORDS.search(c.label)
            and not DISCOUNT_WORDS.search(c.label) and len(c.label) <= 80]


@dataclass(frozen=True)
class TotalCheck:
    total: CostLine
    parts: list[CostLine]
    listed: Decimal

    @property
    def unexplained(self) -> Decimal:
        return self.total.amount.value - self.listed


def check_total(text: str, vocabulary: Vocabulary) -> TotalCheck | None:
    """When a page shows a subtotal, its adjustments and a total: do they add up?

    Only pages with an explicit subtotal are judged; items listed one by one are too easy to
    misread. A total *lower* than its parts (an unlisted discount) is not a customer's problem.
    """
    lines = labelled_amounts(text)
    totals = [c for c in lines if TOTAL_WORDS.search(c.label) and not SUBTOTAL_WORDS.search(c.label)]
    subtotals = [c for c in lines if SUBTOTAL_WORDS.search(c.label)]
    if not totals or not subtotals:
        return None
    total = totals[-1]
    start = lines.index(subtotals[-1])
    end = lines.index(total)
    if start >= end:
        return None
    parts = [lines[start]] + [c for c in lines[start + 1:end]
                              if vocabulary.fee_in(c.label) or DISCOUNT_WORDS.search(c.label)
                              or vocabulary.taxes.search(c.label)]
    listed = sum((p.amount.value for p in parts), Decimal(0))
    return TotalCheck(total, parts, listed)
