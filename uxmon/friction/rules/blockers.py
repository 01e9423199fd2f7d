"""Late blocker: a message that stops the task shows up only after the customer invested in it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ...records import Evidence, Finding, Rect, Request, RunRecord, Step
from ..context import RuleContext, same_site
from ..registry import rule

FLOW_TYPES = ("document", "fetch", "xhr")


@dataclass(frozen=True)
class Sighting:
    text: str
    at_ms: float
    selector: str = ""
    rect: Rect | None = None


@rule("late-blocker", "blockers", "A message that stops the task appears after step 1")
def late_blocker(run: RunRecord, ctx: RuleContext) -> Iterator[Finding]:
    if len(run.steps) < 2:
        return
    earlier_text = run.steps[0].text.lower()
    available = _availability(run.steps[0], ctx)
    availability: dict[int, tuple[Step, str] | None] = {}
    for step in run.steps[1:]:
        availability[step.index] = available
        seen = _message(step, earlier_text, ctx)
        if seen is not None:
            failed = _failed_flow_request(run, step) or _failed_flow_request(run, _previous(run, step))
            yield _finding(run, step, seen, failed, available, ctx)
            return
        earlier_text += "\n" + step.text.lower()
        available = available or _availability(step, ctx)
    # No message anywhere: a refused checkout request that ended the journey still blocks it
    # (the step where the journey stopped, or the one whose last press led there).
    if run.outcome != "failed" or run.failed_step is None:
        return
    for step in run.steps[1:]:
        if not run.failed_step - 1 <= step.index <= run.failed_step:
            continue
        failed = _failed_flow_request(run, step)
        if failed is not None and not _answered(run, failed, ctx):
            yield _finding(run, step, None, failed, availability.get(step.index), ctx)
            return


def _answered(run: RunRecord, request: Request, ctx: RuleContext) -> bool:
    """A refused request the page explained at once (a voucher turned down) is not silent."""
    return any(ctx.words.error_in(text) for s in run.steps for text in
               [a.text for a in s.alerts if request.at_ms <= a.at_ms <= request.at_ms + 3000]
               + [m.text for m in s.messages if request.at_ms <= m.at_ms <= request.at_ms + 3000])


def _availability(step: Step, ctx: RuleContext) -> tuple[Step, str] | None:
    phrase = ctx.words.available_in(step.text)
    return (step, phrase) if phrase else None


def _message(step: Step, earlier_text: str, ctx: RuleContext) -> Sighting | None:
    """A blocking message in an alert region, or a new line of the page that says so."""
    for alert in step.alerts:
        if ctx.words.blocker_in(alert.text):
            return Sighting(alert.text, alert.at_ms, alert.selector, alert.rect)
    for line in step.text.splitlines():
        line = line.strip()
        if line and len(line) <= 300 and ctx.words.blocker_in(line) and line.lower() not in earlier_text:
            at = step.navigations[-1].at_ms if step.navigations else step.start_ms
            return Sighting(line, at)
    return None


def _failed_flow_request(run: RunRecord, step: Step | None) -> Request | None:
    if step is None:
        return None
    for request in step.requests:
        flow = request.resource_type in FLOW_TYPES or request.is_write
        if flow and request.status and request.status >= 400 and same_site(request.url, run.base_url):
            if request.status in (401, 403) and not request.is_write:
                continue
            return request
    return None


def _previous(run: RunRecord, step: Step) -> Step | None:
    earlier = [s for s in run.steps if s.index < step.index]
    return earlier[-1] if earlier else None


def _finding(run: RunRecord, step: Step, seen: Sighting | None, failed: Request | None,
             available: tuple[Step, str] | None, ctx: RuleContext) -> Finding:
    cause = f"{failed.method} {failed.url} answered HTTP {failed.status}" if failed else ""
    if seen is not None:
        title = f"“{_short(seen.text)}” only appears at step {step.index} ({step.name})"
        evidence = Evidence(selector=seen.selector, text=seen.text, rect=seen.rect, at_ms=seen.at_ms,
                            url=failed.url if failed else "")
        target, at = seen.text, seen.at_ms
    else:
        title = f"The order is refused at step {step.index} ({step.name}) without a word of why"
        evidence = Evidence(text=f"HTTP {failed.status}" if failed else "", url=failed.url if failed else "",
                            at_ms=failed.at_ms if failed else None)
        target, at = (failed.url if failed else ""), (failed.at_ms if failed else step.start_ms)
    found = ctx.finding(run, "late-blocker", "critical" if available or seen else "high", title,
                        step=step, evidence=evidence, cause=cause, target=target, at_ms=at)
    before = (f"Step {available[0].index} ({available[0].name}) said “{available[1]}”. "
              if available else "")
    e = found.effort
    found.detail = (f"{before}By then the customer had made {e.clicks} clicks, filled {e.fields} "
                    f"fields and spent {e.seconds:.1f} s on a task that could not succeed.")
    return found


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
