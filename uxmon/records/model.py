"""The plain data that flows from the recorder to the rules, the store and the reports.

Times are milliseconds since the start of the run (``at_ms``) unless a name says
otherwise, so a record reads the same whatever the clock of the machine was.
The schema is versioned (``SCHEMA_VERSION``) and documented in
``docs/record-schema.md``; bump the version when a field changes meaning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

SCHEMA_VERSION = 1

Outcome = Literal["passed", "failed", "error"]
OUTCOMES: tuple[str, ...] = ("passed", "failed", "error")
ACTION_KINDS: tuple[str, ...] = ("click", "tap", "key", "fill", "select")


@dataclass
class Rect:
    """A box in CSS pixels, in document coordinates (scrolling does not change it)."""

    x: float
    y: float
    width: float
    height: float


@dataclass
class Target:
    """What the customer acted on, described for a human reader.

    ``hit_rect`` is the area that answers a press when larger than the element itself (a
    radio button's label); ``input_type`` is the ``type`` of an ``<input>``.
    """

    selector: str = ""
    text: str = ""
    tag: str = ""
    role: str = ""
    rect: Rect | None = None
    font_px: float | None = None
    hit_rect: Rect | None = None
    input_type: str = ""
    autocomplete: str = ""
    spaced: bool | None = None   # under 24 px: a 24 px circle on it touches no other target
    inline: bool = False         # a link inside a sentence (WCAG 2.5.8's inline exception)


@dataclass
class Action:
    """One click, tap, key press, field fill or choice in a select."""

    kind: str
    at_ms: float
    target: Target = field(default_factory=Target)
    key: str = ""
    chars: int = 0
    keystrokes: int = 0
    answer_ms: float | None = None
    answer: str = ""
    request_ms: float | None = None
    watched_ms: float = 0.0
    retries: int = 0
    covered_by: Target | None = None
    moved_ms_before: float | None = None
    moved_px: float = 0.0

    @property
    def answered_within(self) -> float | None:
        """Milliseconds until a visible answer, or None when none came."""
        return self.answer_ms


@dataclass
class Request:
    """One network request made while the step ran."""

    url: str
    method: str = "GET"
    resource_type: str = ""
    status: int | None = None
    failure: str = ""
    bytes: int = 0
    at_ms: float = 0.0
    duration_ms: float | None = None

    @property
    def is_write(self) -> bool:
        """It asks the server to change something (an order, a cart), not only to read."""
        return self.method.upper() in ("POST", "PUT", "PATCH", "DELETE")

    @property
    def failed(self) -> bool:
        """An HTTP error or a network failure; requests a navigation canceled do not count."""
        broken = bool(self.failure) and self.failure != "canceled"
        return broken or (self.status is not None and self.status >= 400)


@dataclass
class ConsoleMessage:
    at_ms: float
    level: str
    text: str
    location: str = ""


@dataclass
class PageError:
    """An uncaught exception in the page's JavaScript."""

    at_ms: float
    message: str
    stack: str = ""


@dataclass
class MovedElement:
    selector: str
    text: str
    dx: float
    dy: float


@dataclass
class LayoutShift:
    """A layout shift; ``expected`` when it follows the page's answer to the customer's action."""

    at_ms: float
    value: float
    recent_input: bool = False
    moved: list[MovedElement] = field(default_factory=list)
    expected: bool = False


@dataclass
class Navigation:
    """A page load (``document``) or a client-side route change (``same-document``)."""

    at_ms: float
    url: str
    kind: str = "document"
    status: int | None = None
    ttfb_ms: float | None = None
    dom_ready_ms: float | None = None
    load_ms: float | None = None
    fcp_ms: float | None = None
    lcp_ms: float | None = None


@dataclass
class Alert:
    """A message the page showed in an alert, status or live region, or a dialog."""

    at_ms: float
    text: str
    role: str = ""
    selector: str = ""
    rect: Rect | None = None


@dataclass
class Overlay:
    """Something that appeared on top of the page and had to be dealt with."""

    at_ms: float
    selector: str
    text: str = ""
    coverage: float = 0.0
    modal: bool = False
    closed_ms: float | None = None
    rect: Rect | None = None


@dataclass
class Lag:
    """A time the page could not paint or answer: a long animation frame (or task), or an
    input whose effect took long to show (``kind="input"``)."""

    at_ms: float
    duration_ms: float
    blocking_ms: float = 0.0
    kind: str = "frame"
    source: str = ""          # the script that took the time (file and function), when known
    script_ms: float = 0.0


@dataclass
class FieldCheck:
    """A field that no longer shows what the customer typed into it (values of password
    fields are never kept, only their length as dots)."""

    at_ms: float
    field: Target
    typed: str
    shown: str
    cause: Target | None = None  # the field the customer was typing in, when it was another


@dataclass
class Message:
    """Words the page gave the customer: in answer to a press (``said``), or about a field
    it marks invalid (``field``, and ``native`` for the browser's own validation bubble)."""

    at_ms: float
    text: str
    kind: str = "said"
    action_at_ms: float | None = None
    field: Target | None = None
    filled: bool = False


@dataclass
class BrokenImage:
    at_ms: float
    src: str
    selector: str = ""


@dataclass
class PriceSeen:
    """A price the customer was shown, as recorded by ``journey.price``."""

    label: str
    text: str
    at_ms: float
    selector: str = ""
    amount: float | None = None
    currency: str = ""


@dataclass
class Timing:
    """A named wait the scenario measured (``journey.measure``)."""

    name: str
    kind: str
    at_ms: float
    duration_ms: float
    ok: bool = True


@dataclass
class Goal:
    """The moment the customer's task was done (``journey.goal``)."""

    name: str
    at_ms: float
    channel: str = ""


@dataclass
class Step:
    """A customer-visible stage of the journey (Product, Cart, Payment, ...)."""

    index: int
    name: str
    start_ms: float
    duration_ms: float = 0.0
    named: bool = True
    url: str = ""
    title: str = ""
    actions: list[Action] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    console: list[ConsoleMessage] = field(default_factory=list)
    errors: list[PageError] = field(default_factory=list)
    shifts: list[LayoutShift] = field(default_factory=list)
    navigations: list[Navigation] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    overlays: list[Overlay] = field(default_factory=list)
    broken_images: list[BrokenImage] = field(default_factory=list)
    prices: list[PriceSeen] = field(default_factory=list)
    timings: list[Timing] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    lags: list[Lag] = field(default_factory=list)
    field_checks: list[FieldCheck] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    screenshot: str = ""
    scroll_y: float = 0.0
    text: str = ""
    page_width: int = 0
    viewport_width: int = 0
    overflow: list[str] = field(default_factory=list)
    line: int | None = None  # the scenario file's line of the journey.step(...) that named it

    @property
    def end_ms(self) -> float:
        return self.start_ms + self.duration_ms

    @property
    def clicks(self) -> int:
        return sum(1 for a in self.actions if a.kind in ("click", "tap"))

    @property
    def keystrokes(self) -> int:
        return sum(a.keystrokes for a in self.actions)

    @property
    def layout_shift(self) -> float:
        """Shifts the customer did not cause (as Web Vitals count them, and not expected)."""
        return sum(s.value for s in self.shifts if not s.recent_input and not s.expected)

    @property
    def blocked_ms(self) -> float:
        """How long the page could not paint or answer during the step."""
        return round(sum(lag.blocking_ms for lag in self.lags if lag.kind == "frame"), 1)

    @property
    def request_bytes(self) -> int:
        return sum(r.bytes for r in self.requests)

    @property
    def failed_requests(self) -> list[Request]:
        return [r for r in self.requests if r.failed]
