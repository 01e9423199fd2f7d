"""The rule registry: ``@rule`` registers a pure function that turns records into findings.

A run rule reads one RunRecord; a batch rule reads the runs of one scenario across
viewports (desktop–mobile parity). Users register their own rules the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..records import Finding, RunRecord

if TYPE_CHECKING:
    from .context import RuleContext

RunRule = Callable[[RunRecord, "RuleContext"], Iterable[Finding]]
BatchRule = Callable[[Sequence[RunRecord], "RuleContext"], Iterable[tuple[RunRecord, Finding]]]


@dataclass(frozen=True)
class RuleInfo:
    id: str
    family: str
    summary: str
    func: Any
    scope: str = "run"


RULES: dict[str, RuleInfo] = {}


def rule(rule_id: str, family: str, summary: str, *, scope: str = "run"
         ) -> Callable[[Any], Any]:
    """Register a rule: ``@rule("dead-click", "clicks", "A click nothing answered")``."""

    def register(func: Any) -> Any:
        RULES[rule_id] = RuleInfo(rule_id, family, summary, func, scope)
        return func

    return register


def run_rules() -> list[RuleInfo]:
    _load_builtin()
    return [r for r in RULES.values() if r.scope == "run"]


def batch_rules() -> list[RuleInfo]:
    _load_builtin()
    return [r for r in RULES.values() if r.scope == "batch"]


def _load_builtin() -> None:
    from . import rules  # noqa: F401 - importing registers the built-in rules
