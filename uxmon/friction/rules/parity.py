"""Desktop–mobile parity: one scenario that works on one device and not the other, or differs."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from ...records import Evidence, Finding, PriceSeen, RunRecord
from ..context import RuleContext
from ..money import parse_amount
from ..registry import rule

REPEAT = re.compile(r"--(\d+)$")


def _pairs(runs: Sequence[RunRecord]) -> Iterator[tuple[RunRecord, RunRecord]]:
    """(reference, other) pairs of one scenario's runs, same repeat, desktop first."""
    by_repeat: dict[str, list[RunRecord]] = {}
    for run in runs:
        match = REPEAT.search(run.run_id)
        by_repeat.setdefault(match.group(1) if match else "", []).append(run)
    for group in by_repeat.values():
        group = sorted(group, key=lambda r: (r.viewport.mobile or r.viewport.touch, r.viewport.name))
        for other in group[1:]:
            yield group[0], other


@rule("viewport-parity", "parity", "The same journey differs between desktop and mobile",
      scope="batch")
def viewport_parity(runs: Sequence[RunRecord], ctx: RuleContext) -> Iterator[tuple[RunRecord, Finding]]:
    for ref, other in _pairs(runs):
        measured = ("passed", "failed")
        if ref.outcome in measured and other.outcome in measured and ref.outcome != other.outcome:
            bad, good = (other, ref) if other.outcome == "failed" else (ref, other)
            step = bad.step_at_failure
            yield bad, ctx.finding(
                bad, "viewport-parity", "high",
                f"Works on {good.viewport.name}, fails on {bad.viewport.name}"
                + (f" at step {step.index} ({step.name})" if step else ""),
                step=step, target="outcome", detail=bad.reason,
                evidence=Evidence(text=bad.reason))
            continue
        if ref.outcome == other.outcome == "passed":
            yield from _effort_gap(ref, other, ctx)
        yield from _price_gap(ref, other, ctx)


def _effort_gap(ref: RunRecord, other: RunRecord, ctx: RuleContext) -> Iterator[tuple[RunRecord, Finding]]:
    for name, a, b in (("clicks", ref.clicks, other.clicks), ("steps", len(ref.steps), len(other.steps))):
        if b >= a + 3 or (a and b >= 1.5 * a and b - a >= 2):
            yield other, ctx.finding(
                other, "viewport-parity", "medium",
                f"On {other.viewport.name} the journey takes {b} {name}; on {ref.viewport.name}, {a}",
                step=None, target=name,
                evidence=Evidence(figures={ref.viewport.name: a, other.viewport.name: b}))


def _price_gap(ref: RunRecord, other: RunRecord, ctx: RuleContext) -> Iterator[tuple[RunRecord, Finding]]:
    # A label can come back at several steps ("Total" in the cart and at payment): compare
    # the same step's price on both devices.
    shown: dict[tuple[str, str], PriceSeen] = {}
    for s in ref.steps:
        for p in s.prices:
            shown.setdefault((s.name, p.label), p)
    for step in other.steps:
        for price in step.prices:
            mine, theirs = parse_amount(price.text), shown.get((step.name, price.label))
            base = parse_amount(theirs.text) if theirs else None
            if mine is None or base is None or mine.value == base.value:
                continue
            yield other, ctx.finding(
                other, "viewport-parity", "high",
                f"“{price.label}” is {mine.text} on {other.viewport.name} but {base.text} on "
                f"{ref.viewport.name}",
                step=step, target=f"price:{price.label}",
                evidence=Evidence(text=price.label, amounts=[base.text, mine.text], at_ms=price.at_ms))
