"""What a failed run meant to its customer, in their words first.

Playwright says "Locator expected to be visible … waiting for get_by_role(…)"; the customer
met "Sorry, Blue Mug is out of stock" at the payment step. The sentence is built from the
findings where the run stopped (a message the site showed, or what did not answer) and the
step's name; Playwright's words stay, for the engineer, in ``technical``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..history.rows import BatchRow, FindingRow, RunRow, StepRow, rows_of
from ..records import RunRecord
from .times import seconds, stopped_after_ms, waited_ms

# Findings whose evidence text is a message the site showed the customer.
MESSAGE_RULES = ("late-blocker", "refused-input", "error-banner", "error-click")
# Findings that say what the customer met where the run stopped, when no message did.
STOPPER_RULES = ("dead-click", "covered-click", "interruption", "error-click", "dropped-input",
                 "frozen-page", "js-error", "failed-request", "slow-answer", "moved-target")
SEVERITY_RANK = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
MESSAGE_CHARS = 160


@dataclass(frozen=True)
class Failure:
    sentence: str            # "Customers were stopped at step 7 (Confirmation): the site said “…”"
    technical: str           # the run's own reason (Playwright's message, or uxmon's)
    step: int | None
    step_name: str
    message: str = ""        # what the site said, when it said something
    stopped_ms: float | None = None   # the customer's time, until they met the refusal
    waited_ms: float = 0.0   # what uxmon then waited, for nothing
    waiting_for: str = ""    # "for “Thank you for your order”, which never came"

    @property
    def wait_sentence(self) -> str:
        """'then uxmon waited 10.0 s for “Thank you”, which never came' (or '' below a second)."""
        if not self.waited_ms:
            return ""
        return f"then uxmon waited {seconds(self.waited_ms)} {self.waiting_for or 'before giving up'}"


def failure_of(run: RunRow, steps: Sequence[StepRow], findings: Sequence[FindingRow]) -> Failure | None:
    """The customer's side of a failed run; None for a run that passed or could not be judged."""
    if run.outcome != "failed":
        return None
    step = next((s for s in steps if s.idx == run.failed_step), None) or (steps[-1] if steps else None)
    where = f" at step {step.idx} ({step.name})" if step else ""
    doing = playwright_doing(run.reason)
    told = _message(findings, step.idx if step else None)
    if told is not None:
        said = " ".join(told.evidence_text.split())
        at = "" if step is None or told.step == step.idx else f"at step {told.step} ({told.step_name}) "
        sentence = f"Customers were stopped{where}: {at}the site said “{_cut(said)}”"
    else:
        said = ""
        parts = [p for p in (doing.clause, _stopper(findings, step.idx if step else None)) if p]
        sentence = f"Customers were stopped{where}" + (": " + ". ".join(parts) if parts else "")
    # A finding's wasted seconds are the customer's time until its moment, to a tenth of a
    # second: for the message that stopped them, they had read it by the end of that tenth.
    seen = told.wasted_seconds * 1000 + 50 if told is not None and told.wasted_seconds else None
    return Failure(full_stop(sentence), run.reason, step.idx if step else run.failed_step,
                   step.name if step else "", said, stopped_after_ms(run, steps, seen),
                   waited_ms(run, steps, seen), doing.waiting_for)


def failure_of_record(record: RunRecord) -> Failure | None:
    """The same for a record not yet in the store (the console, right after a run)."""
    if record.outcome != "failed":
        return None
    rows = rows_of(BatchRow(record.batch_id, record.started_at), [record])
    return failure_of(rows.runs[0], rows.steps, rows.findings)


def _message(findings: Sequence[FindingRow], stopped: int | None) -> FindingRow | None:
    """The message that stopped the customer: a late blocker's, or an error at the last steps."""
    for rule in MESSAGE_RULES:
        for f in findings:
            if f.rule != rule or not _is_message(f.evidence_text) or f.step is None:
                continue
            if stopped is None or f.step == stopped or (rule == "late-blocker" and f.step <= stopped) \
                    or f.step == stopped - 1:
                return f
    return None


def _is_message(text: str) -> bool:
    """A message in words, not a status code ('HTTP 409') standing in for one."""
    return bool(text.strip()) and re.fullmatch(r"HTTP \d{3}", text.strip()) is None


def _stopper(findings: Sequence[FindingRow], stopped: int | None) -> str:
    here = [f for f in findings if f.step == stopped and f.rule in STOPPER_RULES]
    if not here:
        return ""
    worst = max(here, key=lambda f: (SEVERITY_RANK.get(f.severity, 0), -STOPPER_RULES.index(f.rule)))
    return without_step(worst.title)


_STEP_REF = re.compile(r"[\s,]*(?:\b(?:at|in|on|during|in the middle of)\s+)?step \d+ \([^()]*\)\s*$")


def without_step(title: str) -> str:
    """A finding's title without its trailing 'at step 3 (Cart)': the sentence names the step."""
    return _STEP_REF.sub("", title).strip() or title


def full_stop(sentence: str) -> str:
    """End with a full stop, unless a quoted sentence already ended it (“… payment.”)."""
    end = sentence.rstrip("”’\"")
    return sentence if end[-1:] in (".", "!", "?", "…") else sentence + "."


def _cut(text: str, limit: int = MESSAGE_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Doing:
    """What a Playwright message says the script was doing, in a customer's words."""

    clause: str = ""         # "“Apply” could not be pressed"
    waiting_for: str = ""    # "to press “Apply”"


ROLE_WORDS = {"heading": "a heading", "status": "a status message", "alert": "an alert",
              "dialog": "a dialog", "button": "a button", "link": "a link", "textbox": "a field",
              "img": "a picture", "list": "a list", "table": "a table", "row": "a row"}
ACTS = {"click": ("could not be pressed", "to press"), "tap": ("could not be pressed", "to press"),
        "dblclick": ("could not be pressed", "to press"), "press": ("could not be pressed", "to press"),
        "fill": ("could not be filled in", "to fill in"), "type": ("could not be filled in", "to fill in"),
        "press_sequentially": ("could not be filled in", "to fill in"),
        "select_option": ("could not be chosen", "to choose"), "check": ("could not be ticked", "to tick"),
        "set_checked": ("could not be ticked", "to tick"), "hover": ("could not be reached", "to reach")}
_ACT = re.compile(r"\b(?:Locator|Page|ElementHandle|Frame)\.(\w+):")
_EXPECTED_TEXT = re.compile(r"expected to (?:contain|have) text ['\"“](.+?)['\"”](?: —|$|\s)")
_NAME = re.compile(r"name=(?:re\.compile\()?[\"'](.+?)[\"']")
_BY_TEXT = re.compile(r"get_by_(?:text|label|placeholder|title|alt_text)\([\"'](.+?)[\"']")
_ROLE = re.compile(r"get_by_role\([\"'](\w+)[\"']")


def playwright_doing(reason: str) -> Doing:
    """'Locator.click: Timeout … waiting for get_by_role("button", name="Apply")' → “Apply”…"""
    waiting = reason.split("waiting for", 1)[1] if "waiting for" in reason else ""
    thing = _thing(waiting)
    act = _ACT.search(reason)
    if act and act.group(1) in ACTS and thing:
        clause, to = ACTS[act.group(1)]
        return Doing(f"{thing} {clause}", f"{to} {thing}")
    if act and act.group(1) in ("goto", "reload", "wait_for_url", "wait_for_load_state"):
        return Doing("the page did not load", "for the page to load")
    if "expected" in reason and thing:
        text = _EXPECTED_TEXT.search(reason)
        seen = f"“{text.group(1)}”" if text else thing
        return Doing(f"{seen} never appeared", f"for {seen}, which never came")
    if "waiting for navigation" in reason or "wait_for_url" in reason:
        return Doing("the next page never came", "for the next page, which never came")
    if not _technical(reason) and reason.strip():
        return Doing(_cut(" ".join(reason.split()), 200))  # journey.fail(...) or uxmon's own words
    return Doing()


def _thing(waiting: str) -> str:
    """The element a 'waiting for …' part names: “its name”, or what its role is."""
    for pattern in (_NAME, _BY_TEXT):
        found = pattern.search(waiting)
        if found:
            return f"“{_cut(found.group(1), 80)}”"
    role = _ROLE.search(waiting)
    return ROLE_WORDS.get(role.group(1), f"a {role.group(1)}") if role else ""


def _technical(reason: str) -> bool:
    return bool(re.search(r"Locator|Timeout \d+ms|waiting for|expect\(|Error:|\w+\.\w+:", reason))
