"""Fields that do not keep what the customer typed: emptied, rewritten, or changed by another.

The probe compares each field with what the customer's own input left in it, allowing for
formatting (case, spaces, punctuation: a phone number tidied as ``(613) 555-0142`` keeps every
digit); and notices a field the customer had filled that changes while they type in another.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...records import Evidence, Finding, RunRecord
from ..context import RuleContext
from ..registry import rule


@rule("dropped-input", "fields", "A field that does not keep what the customer typed")
def dropped_input(run: RunRecord, ctx: RuleContext) -> Iterator[Finding]:
    seen: set[str] = set()
    for step in run.steps:
        for check in step.field_checks:
            name = check.field.text or check.field.selector or "a field"
            if name in seen:
                continue
            seen.add(name)
            other = check.cause is not None and check.cause.selector != check.field.selector
            if other and check.cause is not None:
                title = (f"Typing in “{check.cause.text or check.cause.selector}” changes “{name}”: "
                         f"it now says “{check.shown}” instead of “{check.typed}”")
            elif not check.shown:
                title = f"“{name}” throws away what was typed (“{check.typed}”)"
            else:
                title = f"“{name}” shows “{check.shown}” instead of the “{check.typed}” that was typed"
            yield ctx.finding(
                run, "dropped-input", "high", title, step=step, target=name, at_ms=check.at_ms,
                detail="Customers who check the form find their details gone or wrong; those who do "
                       "not send an order with the wrong name, address or phone.",
                evidence=Evidence(selector=check.field.selector, text=f"typed “{check.typed}”, "
                                  f"shows “{check.shown}”", rect=check.field.rect, at_ms=check.at_ms),
                cause=(f"a script on “{check.cause.text or check.cause.selector}” writes into it"
                       if other and check.cause else "the page changes the field after the customer leaves it"
                       ))
