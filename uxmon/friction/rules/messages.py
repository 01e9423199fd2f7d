"""What the page says when something is wrong: the answer to a press, a banner, a form that
refuses what the customer filled in.

Messages come from alert and live regions, from text that appears in answer to a press (a
plain ``<h3>Error: …</h3>`` counts), and from fields the page marks invalid (with their
words, or the browser's own validation bubble). One press with its messages is one finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ...records import Action, Evidence, Finding, Rect, Request, RunRecord, Step, Target
from ..context import RuleContext, cap, describe_target, same_site, step_of
from ..registry import rule

ANSWER_WINDOW_MS = 2000


@dataclass
class Said:
    """One thing the page said, where, and what it was about."""

    step: Step
    at_ms: float
    text: str
    selector: str = ""
    rect: Rect | None = None
    field: Target | None = None
    filled: bool = False
    press_at: float | None = None


@dataclass
class Answer:
    press: Action | None
    said: list[Said] = field(default_factory=list)


def pressed(action: Action) -> bool:
    return action.kind in ("click", "tap", "select") or (action.kind == "key" and action.key == "Enter")


def _said(run: RunRecord) -> list[Said]:
    found: list[Said] = []
    for step in run.steps:
        found += [Said(step, a.at_ms, a.text, a.selector, a.rect) for a in step.alerts]
        found += [Said(step, m.at_ms, m.text, field=m.field, filled=m.filled, press_at=m.action_at_ms,
                       rect=m.field.rect if m.field else None, selector=m.field.selector if m.field else "")
                  for m in step.messages if m.text]
    return sorted(found, key=lambda s: s.at_ms)


def answers(run: RunRecord, ctx: RuleContext) -> list[Answer]:
    """Error messages grouped by the press they answer (None: shown without one)."""
    presses = [a for a in run.actions if pressed(a)]
    by_press: dict[int, Answer] = {}
    loose: list[Answer] = []
    for said in _said(run):
        if not ctx.words.error_in(said.text) or ctx.words.blocker_in(said.text):
            continue
        press = _press_for(presses, said)
        if press is None:
            loose.append(Answer(None, [said]))
            continue
        answer = by_press.setdefault(id(press), Answer(press))
        if said.text not in {s.text for s in answer.said}:
            answer.said.append(said)
    return list(by_press.values()) + loose


def _press_for(presses: list[Action], said: Said) -> Action | None:
    if said.press_at is not None:
        exact = [p for p in presses if abs(p.at_ms - said.press_at) < 1]
        if exact:
            return exact[0]
    before = [p for p in presses if p.at_ms <= said.at_ms <= p.at_ms + ANSWER_WINDOW_MS]
    return before[-1] if before else None


def refused_field(run: RunRecord, said: Said, ctx: RuleContext) -> str:
    """The label of a filled field that the message says is missing, or ''."""
    if not ctx.words.found(ctx.words.required, said.text):
        return ""
    if said.field is not None:
        return (said.field.text or said.field.selector) if said.filled else ""
    message = _words(said.text)
    for action in run.actions:
        label = _words(action.target.text)
        if action.kind == "fill" and action.chars > 0 and label and label in message \
                and action.at_ms < said.at_ms and not _emptied(run, action.target):
            return action.target.text
    return ""


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _emptied(run: RunRecord, target: Target) -> bool:
    return any(c.field.selector == target.selector and not c.shown for s in run.steps for c in s.field_checks)


@rule("refused-input", "forms", "A form says a field is missing although the customer filled it in")
def refused_input(run: RunRecord, ctx: RuleContext) -> Iterator[Finding]:
    for answer in answers(run, ctx):
        said_first = sorted(answer.said, key=lambda s: s.field is None)  # the field's own words first
        refusal = next(((s, label) for s in said_first if (label := refused_field(run, s, ctx))), None)
        if refusal is None:
            continue
        said, label = refusal
        # Stopped there, or at the next step (whose first wait was for the page the form withheld).
        stuck = run.outcome == "failed" and run.failed_step is not None \
            and said.step.index <= run.failed_step <= said.step.index + 1
        yield ctx.finding(
            run, "refused-input", "critical" if stuck else "high",
            f"The form says “{_short(said.text)}” although “{label}” is filled in",
            step=said.step, target=label, at_ms=said.at_ms,
            detail="The customer filled the field and the page still asks for it"
                   + (": they cannot go on." if stuck else "."),
            evidence=Evidence(selector=said.selector, text=said.text, rect=said.rect, at_ms=said.at_ms),
            cause="the page checks a field other than the one it shows (a name that does not match)")


@rule("error-click", "clicks", "An action answered by an error message or a script error")
def error_click(run: RunRecord, ctx: RuleContext) -> Iterator[Finding]:
    actions = run.actions
    for answer in answers(run, ctx):
        press = answer.press
        if press is None or any(refused_field(run, s, ctx) for s in answer.said):
            continue
        said = answer.said[0]
        own = _own_input(actions, press, said, ctx)
        yield ctx.finding(
            run, "error-click", "low" if own else "medium",
            (f"{cap(describe_target(press))} turns down what was typed: “{_short(said.text)}”" if own
             else f"{cap(describe_target(press))} answers with the error “{_short(said.text)}”"),
            step=step_of(run, press.at_ms), target=press.target.selector or press.target.text,
            at_ms=press.at_ms,
            detail=("A clear, immediate answer to the customer's own input: fine if the customer "
                    "can tell what to change." if own
                    else "The customer did what the page asked and got an error back."),
            evidence=Evidence(selector=said.selector or press.target.selector, text=said.text,
                              rect=said.rect or press.target.rect, at_ms=said.at_ms,
                              url=_request_url(run, press, said)),
            cause="; ".join(s.text for s in answer.said[1:3]))
    yield from _script_errors(run, ctx)


def _own_input(actions: list[Action], press: Action, said: Said, ctx: RuleContext) -> bool:
    """A rejection of what the customer typed just before: a made-up voucher, a wrong code."""
    if not (ctx.words.found(ctx.words.invalid, said.text) or ctx.words.found(ctx.words.required, said.text)):
        return False
    before = [a for a in actions if a.at_ms < press.at_ms]
    return bool(before) and before[-1].kind == "fill"


def _request_url(run: RunRecord, press: Action, said: Said) -> str:
    """The site's request that the message reports (its 4xx is the same problem, said once)."""
    requests: list[Request] = [r for s in run.steps for r in s.requests
                               if press.at_ms <= r.at_ms <= said.at_ms and r.failed
                               and same_site(r.url, run.base_url)]
    return requests[-1].url if requests else ""


def _script_errors(run: RunRecord, ctx: RuleContext) -> Iterator[Finding]:
    """A press answered by an uncaught script error (and no message)."""
    actions = run.actions
    for i, action in enumerate(actions):
        if not pressed(action):
            continue
        limit = min(action.at_ms + ANSWER_WINDOW_MS, actions[i + 1].at_ms if i + 1 < len(actions) else 1e18)
        loaded = [n.at_ms for s in run.steps for n in s.navigations
                  if n.kind == "document" and action.at_ms <= n.at_ms < limit]
        limit = min([limit, *loaded])  # an error on a page the press opened is that page's
        errors = [e for s in run.steps for e in s.errors if action.at_ms <= e.at_ms < limit]
        if not errors:
            continue
        yield ctx.finding(
            run, "error-click", "medium",
            f"{cap(describe_target(action))} answers with a script error ({_short(errors[0].message, 80)})",
            step=step_of(run, action.at_ms), target=action.target.selector or action.target.text,
            at_ms=action.at_ms, detail="The customer did what the page asked and the page broke.",
            evidence=Evidence(selector=action.target.selector, rect=action.target.rect, at_ms=action.at_ms),
            cause=errors[0].message)


@rule("error-banner", "errors", "An error message shown to the customer without anything they did")
def error_banner(run: RunRecord, ctx: RuleContext) -> Iterator[Finding]:
    for answer in answers(run, ctx):
        if answer.press is not None:
            continue
        said = answer.said[0]
        yield ctx.finding(
            run, "error-banner", "medium",
            f"Customers see “{_short(said.text)}” at step {said.step.index} ({said.step.name})",
            step=said.step, target=said.text, at_ms=said.at_ms,
            evidence=Evidence(selector=said.selector, text=said.text, rect=said.rect, at_ms=said.at_ms))


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
