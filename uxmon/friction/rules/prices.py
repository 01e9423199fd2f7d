"""The same item's price, from the list to the product page to the cart: it must not change.

Item prices are the ``journey.price`` marks that are not totals, subtotals, taxes or fees
(the scenario's "List price", "Product price", "Cart price"), and the amounts the pages show
next to the name of the product the customer opened.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from ...records import Evidence, Finding, RunRecord, Step
from ..context import RuleContext
from ..money import DISCOUNT_WORDS, SUBTOTAL_WORDS, TOTAL_WORDS, Amount, money_in, parse_amount
from ..registry import rule


@dataclass(frozen=True)
class Sighting:
    step: Step
    amount: Amount
    label: str
    at_ms: float


ITEM_WORDS = re.compile(r"(?<!\w)(?:price|prix|preis|precio|prijs|prezzo|preço|unit|each|per item|"
                        r"pièce|stück|unidad)(?!\w)", re.IGNORECASE)


def _item_marks(run: RunRecord, ctx: RuleContext) -> list[Sighting]:
    """The scenario's marks of one item's price ("List price", "Cart price", "Unit price")."""
    found = []
    for step in run.steps:
        for price in step.prices:
            label = price.label
            excluded = (TOTAL_WORDS.search(label) or SUBTOTAL_WORDS.search(label)
                        or DISCOUNT_WORDS.search(label) or ctx.words.fee_in(label)
                        or ctx.words.found(ctx.words.taxes, label))
            if not ITEM_WORDS.search(label) or excluded:
                continue
            amount = parse_amount(price.text)
            if amount is not None and amount.value > 0:
                found.append(Sighting(step, amount, label, price.at_ms))
    return found


def _named(run: RunRecord) -> list[Sighting]:
    """The opened product's row on each page: a line that starts with its name and holds an
    amount (a cart or order table). A line of its own followed by an amount is not taken:
    on a summary that amount is as often the total."""
    names = {a.target.text.strip() for a in run.actions if a.kind in ("click", "tap")
             and a.target.role == "link" and len(a.target.text.strip()) >= 6}
    found = []
    for step in run.steps:
        lines = [line.strip() for line in step.text.splitlines() if line.strip()]
        for line in lines:
            name = next((n for n in names if line.lower().startswith(n.lower())), None)
            if name is None:
                continue
            amounts = money_in(line[len(name):])
            amount = parse_amount(amounts[0]) if amounts else None
            if amount is not None and amount.value > 0:
                found.append(Sighting(step, amount, name, step.end_ms))
                break
    return found


def _changed(seen: list[Sighting]) -> tuple[Sighting, Sighting] | None:
    for first, later in zip(seen, seen[1:], strict=False):
        a, b = first.amount.value, later.amount.value
        if first.amount.currency != later.amount.currency or abs(a - b) < Decimal("0.005"):
            continue
        if a and (b / a) == (b / a).to_integral_value():  # a quantity of two or more
            continue
        return first, later
    return None


@rule("price-change", "costs", "The same item's price changes between steps")
def price_change(run: RunRecord, ctx: RuleContext) -> Iterator[Finding]:
    for seen in (_item_marks(run, ctx), _named(run)):
        change = _changed(seen)
        if change is None:
            continue
        first, later = change
        name = re.sub(r"\s+", " ", later.label)
        yield ctx.finding(
            run, "price-change", "high",
            f"The price changes from {first.amount.text} at step {first.step.index} ({first.step.name}) "
            f"to {later.amount.text} at step {later.step.index} ({later.step.name})",
            step=later.step, target="price-change", at_ms=later.at_ms,
            detail=f"“{name}”: a customer who chose it at {first.amount.text} is asked {later.amount.text}. "
                   "Prices that change on the way to checkout break trust.",
            evidence=Evidence(text=name, amounts=[first.amount.text, later.amount.text], at_ms=later.at_ms,
                              figures={"change": float(later.amount.value - first.amount.value)}))
        return
