"""The deploy gate: a batch judged against budgets and a baseline, and told to GitHub Actions.

Importing it registers the ``[gate]`` config section. The rules, the verdict and the Markdown
are pure; :mod:`.load` reads the history store and is imported when first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .baseline import Baseline, BaselineError, from_json, to_json
from .rules import Check, evaluate
from .settings import LEVELS, RULES, Budget, GateSettings, gate_settings
from .verdict import Verdict, judge

if TYPE_CHECKING:
    from .load import BaselineChoice, GateInputError, verdict_for

_FROM_LOAD = {"BaselineChoice", "GateInputError", "verdict_for"}


def __getattr__(name: str) -> Any:
    if name in _FROM_LOAD:
        from . import load

        return getattr(load, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "LEVELS",
    "RULES",
    "Baseline",
    "BaselineChoice",
    "BaselineError",
    "Budget",
    "Check",
    "GateInputError",
    "GateSettings",
    "Verdict",
    "evaluate",
    "from_json",
    "gate_settings",
    "judge",
    "to_json",
    "verdict_for",
]
