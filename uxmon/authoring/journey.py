"""What a scenario drives: the real Playwright page, plus steps, goals, prices and timed waits."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Any, NoReturn
from urllib.parse import urljoin

from ..capture.clock import now_ms

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Locator, Page

    from ..capture.recorder import Recorder
    from ..records import Viewport


class JourneyFailed(AssertionError):
    """Raised by ``journey.fail(...)``: the customer could not complete the task."""


class ScenarioMisuse(RuntimeError):
    """The scenario used the Journey API in a way that cannot be recorded (a bug in the scenario)."""


class Journey:
    """A customer's path through the site, recorded as it happens.

    ``journey.page`` is the real Playwright ``Page``: code from ``playwright codegen --target
    python`` works unchanged, and its clicks and keystrokes are counted from the page's own
    input events. Name customer-visible stages with ``with journey.step("Cart"):``; outside
    named steps, each page load starts a step of its own.
    """

    def __init__(self, page: Page, recorder: Recorder, viewport: Viewport, base_url: str,
                 scenario: str = "", secrets: list[str] | None = None, *,
                 scenario_file: str = "") -> None:
        self._page = page
        self._scenario_file = scenario_file
        self._secrets = secrets if secrets is not None else []
        self._recorder = recorder
        self._step_name: str | None = None
        self.viewport = viewport
        self.base_url = base_url
        self.scenario = scenario

    @property
    def page(self) -> Page:
        return self._page

    @property
    def context(self) -> BrowserContext:
        return self._page.context

    @property
    def is_mobile(self) -> bool:
        return self.viewport.mobile

    def url(self, path: str = "/") -> str:
        """An absolute URL for ``path``, relative to the base URL (as ``page.goto`` resolves it)."""
        if not self.base_url:
            return path
        return urljoin(self.base_url if self.base_url.endswith("/") else self.base_url + "/",
                       path.lstrip("/") if not path.startswith("/") else path)

    def step(self, name: str) -> AbstractContextManager[None]:
        """Time and record a named stage; it is recorded even when the block raises.

        The scenario's line that named the step is kept with it, so a CI annotation about
        this step lands on that line of the pull request's diff.
        """
        return self._step(name, _caller_line(self._scenario_file))

    @contextmanager
    def _step(self, name: str, line: int | None) -> Iterator[None]:
        if not isinstance(name, str) or not name.strip():
            raise ScenarioMisuse("journey.step() needs a name, e.g. journey.step('Cart')")
        if self._step_name is not None:
            raise ScenarioMisuse(
                f"step '{name}' starts inside step '{self._step_name}': steps cannot be nested")
        self._step_name = name
        self._recorder.step_begin(name, line)
        ok = False
        try:
            yield
            ok = True
        finally:
            self._step_name = None
            self._recorder.step_end(self._page, name, ok)

    @property
    def current_step(self) -> str | None:
        return self._step_name

    def goal(self, name: str = "Task completed", channel: str = "") -> None:
        """Mark the moment the customer's task is done (``channel``: chat, phone, form...)."""
        self._recorder.mark("goal", name=name, channel=channel)

    def price(self, label: str, source: Locator | str | float, *, timeout: float = 5000) -> str:
        """Record a price shown to the customer; ``source`` is a locator, a text or a number."""
        selector = ""
        if isinstance(source, int | float):
            text = f"{source}"
        elif isinstance(source, str):
            text = source
        else:
            text = source.inner_text(timeout=timeout).strip()
            selector = _locator_selector(source)
        self._recorder.mark("price", label=label, text=text[:200], selector=selector)
        return text

    @contextmanager
    def measure(self, name: str, kind: str = "wait") -> Iterator[None]:
        """Time a wait the customer sits through (``kind="chat"`` for a first chat answer)."""
        start = now_ms()
        ok = False
        try:
            yield
            ok = True
        finally:
            duration = now_ms() - start
            self._recorder.mark("timing", t=start, name=name, kind=kind,
                                duration_ms=duration, ok=ok)

    def secret(self, name: str, value: str | None = None) -> str:
        """A value that must never be shown: read from the environment variable ``name`` (or
        given), and masked in the record, the trace, the report, the logs and emails."""
        found = value if value is not None else os.environ.get(name)
        if found is None:
            raise ScenarioMisuse(f"journey.secret({name!r}): the environment variable {name} is not set")
        self._secrets.append(found)
        return found

    def fail(self, reason: str) -> NoReturn:
        """End the run as failed: the customer could not do what they came for."""
        raise JourneyFailed(reason)


def _caller_line(scenario_file: str, depth: int = 8) -> int | None:
    """The line in the scenario's own file that led to this call (a helper module's lines
    would not be in the pull request's diff of the scenario)."""
    if not scenario_file:
        return None
    frame = sys._getframe(2)
    for _ in range(depth):
        if frame is None:
            return None
        if frame.f_code.co_filename == scenario_file:
            return frame.f_lineno
        frame = frame.f_back  # type: ignore[assignment]
    return None


_SELECTOR = re.compile(r"selector='(.*)'>$")


def _locator_selector(locator: Any) -> str:
    match = _SELECTOR.search(repr(locator))
    return match.group(1) if match else ""
