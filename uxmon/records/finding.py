"""What the friction rules hand on: findings, with their evidence and the effort spent before them."""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import Rect

SEVERITIES: tuple[str, ...] = ("info", "low", "medium", "high", "critical")


@dataclass
class Effort:
    """What the customer had spent before the friction point."""

    clicks: int = 0
    keystrokes: int = 0
    fields: int = 0
    steps: int = 0
    seconds: float = 0.0


@dataclass
class Evidence:
    """What proves a finding: the element, the text, the amounts, a picture of the moment."""

    selector: str = ""
    text: str = ""
    amounts: list[str] = field(default_factory=list)
    url: str = ""
    rect: Rect | None = None
    at_ms: float | None = None
    screenshot: str = ""
    figures: dict[str, float] = field(default_factory=dict)
    picture_box: Rect | None = None  # where ``rect`` is in the picture, in the picture's pixels


@dataclass
class Finding:
    """One friction point a customer would feel."""

    rule: str
    severity: str
    title: str
    detail: str = ""
    step: int | None = None
    step_name: str = ""
    evidence: Evidence = field(default_factory=Evidence)
    effort: Effort = field(default_factory=Effort)
    cause: str = ""
    fingerprint: str = ""
