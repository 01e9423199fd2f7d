"""Decide how a run ended from what it raised: passed, failed (the customer could not finish)
or error (uxmon could not judge), with a reason a person can act on."""

from __future__ import annotations

import re
import traceback
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .text import clean

UNREACHABLE = re.compile(
    r"net::(ERR_CONNECTION_REFUSED|ERR_NAME_NOT_RESOLVED|ERR_NAME_RESOLUTION_FAILED|"
    r"ERR_ADDRESS_UNREACHABLE|ERR_CONNECTION_TIMED_OUT|ERR_INTERNET_DISCONNECTED|"
    r"ERR_CONNECTION_RESET|ERR_CONNECTION_CLOSED|ERR_EMPTY_RESPONSE|ERR_TIMED_OUT|"
    r"ERR_SSL_[A-Z_]+|ERR_CERT_[A-Z_]+|ERR_PROXY_CONNECTION_FAILED|ERR_TUNNEL_CONNECTION_FAILED)"
)
CLOSED = ("Target page, context or browser has been closed", "Browser has been closed",
          "browser has disconnected", "Target closed", "Connection closed")
PLAIN_WORDS = {
    "ERR_CONNECTION_REFUSED": "the connection was refused",
    "ERR_NAME_NOT_RESOLVED": "the host name does not resolve",
    "ERR_NAME_RESOLUTION_FAILED": "the host name does not resolve",
    "ERR_CONNECTION_TIMED_OUT": "the connection timed out",
    "ERR_TIMED_OUT": "the connection timed out",
    "ERR_ADDRESS_UNREACHABLE": "the address is unreachable",
    "ERR_CONNECTION_RESET": "the connection was reset",
    "ERR_EMPTY_RESPONSE": "the server sent an empty response",
}


@dataclass(frozen=True)
class Verdict:
    outcome: str
    error_kind: str = ""
    reason: str = ""


@dataclass(frozen=True)
class RunFacts:
    """What the runner knew besides the exception itself."""

    timed_out_after: float | None = None
    crashed: bool = False
    browser_died: bool = False
    site_answered: bool = False
    scenario_file: str = ""
    base_url: str = ""


def classify(exc: BaseException | None, facts: RunFacts) -> Verdict:
    """The verdict for a run that raised ``exc`` (None: the scenario returned normally).

    A run during which the browser or the page died is uxmon's problem, not the customer's,
    whatever the scenario raised while it waited: it is an error, retried and never judged.
    """
    if facts.timed_out_after is not None:
        return Verdict("failed", "run_timeout",
                       f"the journey did not finish within {facts.timed_out_after:g} s; uxmon stopped it")
    if facts.crashed:
        return Verdict("error", "browser_crash", "the page crashed (renderer process) during the run")
    if facts.browser_died:
        return Verdict("error", "browser_crash", "the browser crashed or was closed during the run")
    if exc is None:
        return Verdict("passed")
    name = type(exc).__name__
    message = first_lines(str(exc))
    if isinstance(exc, SystemExit):
        return Verdict("error", "scenario_error",
                       f"the scenario called sys.exit({exc.code!r}){_where(exc, facts)}")
    if isinstance(exc, KeyboardInterrupt):
        return Verdict("error", "scenario_error",
                       f"the scenario raised KeyboardInterrupt{_where(exc, facts)}")
    if name == "JourneyFailed":
        return Verdict("failed", "journey", message)
    if name == "TimeoutError" and _from_playwright(exc):
        return _timeout(message, facts)
    if isinstance(exc, AssertionError):
        return Verdict("failed", "assertion", message or "an expectation in the scenario was not met")
    if _from_playwright(exc):
        return _playwright_error(exc, message, facts)
    if name == "ScenarioMisuse":
        return Verdict("error", "scenario_error", f"{message}{_where(exc, facts)}")
    return Verdict("error", "scenario_error",
                   f"the scenario code raised {name}: {message}{_where(exc, facts)}")


def _timeout(message: str, facts: RunFacts) -> Verdict:
    """A wait that ran out: the customer's problem, unless it was the first page and the site had
    not answered anything yet (then it is unmeasured, as a refused connection is)."""
    navigating = any(word in message for word in ("goto", "reload", "navigat"))
    if facts.site_answered or not navigating:
        return Verdict("failed", "timeout", message)
    return Verdict("error", "unreachable",
                   f"the site did not answer: nothing came back before the timeout ({message})")


def _playwright_error(exc: BaseException, message: str, facts: RunFacts) -> Verdict:
    text = str(exc)
    if any(marker in text for marker in CLOSED) or type(exc).__name__ == "TargetClosedError":
        return Verdict("error", "browser_crash", "the browser crashed or was closed during the run")
    url = _url_in(text)
    if "ERR_UNSAFE_PORT" in text:
        port = urlsplit(url).port if url.startswith("http") else None
        return Verdict("error", "config", f"Chromium refuses port {port or '?'} as unsafe: it will not "
                       f"load {url} (net::ERR_UNSAFE_PORT); serve the site on another port")
    if "invalid URL" in text and not facts.base_url:
        return Verdict("error", "config", "no base URL is set, so a relative address cannot be opened: "
                       "give --base-url or base_url in uxmon.toml" + _where(exc, facts))
    if "ERR_TOO_MANY_REDIRECTS" in text:
        return Verdict("error", "site_error", f"the site redirects in a loop: {url} "
                       "(net::ERR_TOO_MANY_REDIRECTS)")
    match = UNREACHABLE.search(text)
    if match:
        code = match.group(1)
        plain = PLAIN_WORDS.get(code, code)
        if facts.site_answered:
            return Verdict("failed", "site_down",
                           f"the site stopped answering mid-journey: {plain} ({url}, net::{code})")
        return Verdict("error", "unreachable", f"could not reach {url}: {plain} (net::{code})")
    return Verdict("error", "scenario_error", f"Playwright error: {message}{_where(exc, facts)}")


def _from_playwright(exc: BaseException) -> bool:
    return type(exc).__module__.startswith("playwright")


_URL = re.compile(r"(?:at|navigating to) \"?(https?://[^\s\"]+)")


def _url_in(text: str) -> str:
    match = _URL.search(text)
    return match.group(1) if match else "the site"


def first_lines(text: str, limit: int = 4) -> str:
    """The useful head of an error message, plus what it was waiting for.

    Playwright appends a call log; of it, only the first "waiting for <locator>" line says
    which element never came.
    """
    kept: list[str] = []
    lines = [line.strip() for line in text.strip().splitlines()]
    for i, line in enumerate(lines):
        if line.startswith("Call log:") or (line.startswith("=") and "logs" in line):
            waiting = next((x.lstrip("- ") for x in lines[i + 1:] if "waiting for" in x), "")
            if waiting and waiting not in " ".join(kept):
                kept.append(waiting)
            break
        if line:
            kept.append(line + " (empty)" if line.endswith(":") else line)
    return clean(" — ".join(kept[:limit])[:600])


def _where(exc: BaseException, facts: RunFacts) -> str:
    """`` (file:line)`` of the deepest frame in the scenario's file, when there is one."""
    if not facts.scenario_file:
        return ""
    target = Path(facts.scenario_file).resolve()
    found = ""
    for frame in traceback.extract_tb(exc.__traceback__):
        if Path(frame.filename).resolve() == target:
            found = f" ({facts.scenario_file}:{frame.lineno})"
    return found
