"""Late and hidden costs: fees first shown at the paying step, totals that grow or do not add up."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import Decimal

from ...records import Action, Evidence, Finding, RunRecord, Step
from ..context import RuleContext
from ..money import (
    DISCOUNT_WORDS,
    SUBTOTAL_WORDS,
    TOTAL_WORDS,
    Amount,
    CostLine,
    check_total,
    cost_lines,
    labelled_amounts,
    parse_amount,
)
from ..registry import rule

CHOICE_ROLES = ("radio", "checkbox", "option", "switch", "spinbutton", "combobox", "menuitemradio")
ADDS = re.compile(r"(?<!\w)(add|increase|upgrade|insurance|protect\w*|gift|extra)(?!\w)|\+", re.I)


def _priced_steps(run: RunRecord, ctx: RuleContext) -> list[Step]:
    return [s for s in run.steps if s.prices or cost_lines(s.text, ctx.words)
            or any(TOTAL_WORDS.search(c.label) for c in labelled_amounts(s.text))]


@rule("late-cost", "costs", "A cost first shown at the step where the customer pays")
def late_cost(run: RunRecord, ctx: RuleContext) -> Iterator[Finding]:
    priced = _priced_steps(run, ctx)
    if len(priced) < 2:
        return
    paying = _paying_step(priced, run)
    if paying is None or paying is priced[0]:
        return
    seen_words: set[str] = set()
    for step in run.steps:
        lines = cost_lines(step.text, ctx.words) + [
            c for p in step.prices if (c := _price_line(p.label, p.text, ctx)) is not None]
        for line in lines:
            word = ctx.words.fee_in(line.label).lower()
            if step is paying and word not in seen_words and line.amount.value > 0:
                yield ctx.finding(
                    run, "late-cost", "high",
                    f"A {line.amount.text} “{line.label}” only appears at step {step.index} "
                    f"({step.name}), where the customer pays",
                    step=step, target=line.label,
                    detail="Costs that show up at the end are the first reason shoppers give for "
                           "abandoning a checkout. Show it with the price, or on the first page "
                           "that has a total.",
                    evidence=Evidence(text=line.label, amounts=[line.amount.text]))
            seen_words.add(word)
        if step is paying:
            return


def _paying_step(priced: list[Step], run: RunRecord) -> Step | None:
    """The last priced step with a total where the customer still acted: not the receipt
    after paying, nor the page a refused payment left behind, nor a delivery form (its
    options have prices, but nothing is paid there)."""
    acted = [s for s in priced if s.actions and not _is_receipt(s, run) and _has_total(s)]
    return acted[-1] if acted else None


def _has_total(step: Step) -> bool:
    lines = labelled_amounts(step.text)
    return any(TOTAL_WORDS.search(p.label) for p in step.prices) or any(
        TOTAL_WORDS.search(c.label) and not SUBTOTAL_WORDS.search(c.label) for c in lines)


def _is_receipt(step: Step, run: RunRecord) -> bool:
    """The confirmation after paying repeats the amounts: it is not where costs appear."""
    return bool(step.goals) and not any(a.kind in ("fill", "select") for a in step.actions)


def _price_line(label: str, text: str, ctx: RuleContext) -> CostLine | None:
    if not ctx.words.fee_in(label) or TOTAL_WORDS.search(label):
        return None
    amount = parse_amount(text)
    return CostLine(label, amount) if amount is not None else None


def _totals(run: RunRecord) -> list[tuple[Step, Amount, float]]:
    """The totals the customer was shown, in order: from journey.price, else the page."""
    found: list[tuple[Step, Amount, float]] = []
    for step in run.steps:
        for price in step.prices:
            amount = parse_amount(price.text)
            if amount is not None and TOTAL_WORDS.search(price.label):
                found.append((step, amount, price.at_ms))
        if not any(s is step for s, _, _ in found):
            lines = [c for c in labelled_amounts(step.text) if TOTAL_WORDS.search(c.label)
                     and not re.search(r"sub", c.label, re.I)]
            if lines:
                found.append((step, lines[-1].amount, step.end_ms))
    return found


def _explains(action: Action) -> bool:
    """A customer choice that can change a total: an option picked, a quantity, an extra."""
    target = action.target
    return (action.kind == "select" or target.role in CHOICE_ROLES
            or target.input_type in ("radio", "checkbox", "number")
            or bool(ADDS.search(target.text)))


@rule("growing-total", "costs", "The total grows between steps with nothing the customer chose")
def growing_total(run: RunRecord, ctx: RuleContext) -> Iterator[Finding]:
    totals = _totals(run)
    for (s1, a1, t1), (s2, a2, t2) in zip(totals, totals[1:], strict=False):
        if a2.currency != a1.currency or a2.value <= a1.value + Decimal("0.005"):
            continue
        between = [a for a in run.actions if t1 <= a.at_ms <= t2]
        if any(_explains(a) for a in between):
            continue
        increase = a2.value - a1.value
        taxes = _new_lines(s1, s2, lambda label: bool(ctx.words.found(ctx.words.taxes, label)), (a1, a2))
        if abs(increase - sum(c.amount.value for c in taxes)) <= Decimal("0.01"):
            continue  # a tax line the page shows explains it
        shown = _new_lines(s1, s2, lambda label: True, (a1, a2))
        labelled = abs(increase - sum(c.amount.value for c in shown)) <= Decimal("0.01") and bool(shown)
        lines = ", ".join(f"{c.label} {c.amount.text}" for c in shown if c.amount.value)
        yield ctx.finding(
            run, "growing-total", "low" if labelled else "high",
            f"The total went up from {a1.text} to {a2.text} at step {s2.index} ({s2.name})"
            + (f": {lines}" if labelled else " with nothing the customer chose"),
            step=s2, target=f"total {a1.currency}",
            detail=("The page names what was added." if labelled else
                    "A price that changes on its own breaks trust; say what was added and why."),
            evidence=Evidence(amounts=[a1.text, a2.text], at_ms=t2,
                              figures={"increase": float(increase)}))


def _new_lines(before: Step, after: Step, keep: Callable[[str], bool],
               totals: tuple[Amount, Amount]) -> list[CostLine]:
    """Labelled amounts on ``after`` that ``before`` did not show, except totals (and what
    repeats one: a "Pay $27.25" button)."""
    known = {(c.label.lower(), c.amount.value) for c in labelled_amounts(before.text)}
    repeats = {t.value for t in totals}
    return [c for c in labelled_amounts(after.text)
            if (c.label.lower(), c.amount.value) not in known and c.amount.value not in repeats
            and keep(c.label)
            and not TOTAL_WORDS.search(c.label) and not SUBTOTAL_WORDS.search(c.label)
            and not DISCOUNT_WORDS.search(c.label) and c.amount.value > 0]


@rule("total-mismatch", "costs", "A total larger than the prices listed above it")
def total_mismatch(run: RunRecord, ctx: RuleContext) -> Iterator[Finding]:
    for step in run.steps:
        check = check_total(step.text, ctx.words)
        if check is None or check.unexplained <= Decimal("0.01"):
            continue
        yield ctx.finding(
            run, "total-mismatch", "high",
            f"The total ({check.total.amount.text}) is {check.unexplained} more than the prices "
            f"listed at step {step.index} ({step.name})",
            step=step, target="total",
            detail="Listed: " + ", ".join(f"{p.label} {p.amount.text}" for p in check.parts)
                   + ". Something in the total is not shown to the customer.",
            evidence=Evidence(text=check.total.label, amounts=[p.amount.text for p in check.parts]
                              + [check.total.amount.text],
                              figures={"unexplained": float(check.unexplained)}))
