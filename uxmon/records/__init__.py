"""The records: the plain data between stages (model), its JSON (serial), and its pure assembly
from a run's event log (timeline, actions, evidence), verdicts (outcomes) and redaction.

This stage imports nothing else of uxmon, and no browser, database or network library.
"""

from .contention import Contention
from .finding import SEVERITIES, Effort, Evidence, Finding
from .model import (
    ACTION_KINDS,
    OUTCOMES,
    SCHEMA_VERSION,
    Action,
    Alert,
    BrokenImage,
    ConsoleMessage,
    FieldCheck,
    Goal,
    Lag,
    LayoutShift,
    Message,
    MovedElement,
    Navigation,
    Outcome,
    Overlay,
    PageError,
    PriceSeen,
    Rect,
    Request,
    Step,
    Target,
    Timing,
)
from .run import Attempt, RunRecord, Viewport

__all__ = [
    "ACTION_KINDS",
    "OUTCOMES",
    "SCHEMA_VERSION",
    "SEVERITIES",
    "Action",
    "Alert",
    "Attempt",
    "BrokenImage",
    "ConsoleMessage",
    "Contention",
    "Effort",
    "Evidence",
    "Finding",
    "FieldCheck",
    "Goal",
    "Lag",
    "LayoutShift",
    "Message",
    "MovedElement",
    "Navigation",
    "Outcome",
    "Overlay",
    "PageError",
    "PriceSeen",
    "Rect",
    "Request",
    "RunRecord",
    "Step",
    "Target",
    "Timing",
    "Viewport",
]
