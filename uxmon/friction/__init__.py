"""The friction engine: pure rules over RunRecords that find what makes customers give up."""

from .context import RuleContext
from .engine import analyse_batch, analyse_run, score_run
from .registry import RULES, RuleInfo, rule
from .score import friction_score, scenario_score
from .settings import FrictionSettings, Thresholds, settings_for

__all__ = [
    "RULES",
    "FrictionSettings",
    "RuleContext",
    "RuleInfo",
    "Thresholds",
    "analyse_batch",
    "analyse_run",
    "friction_score",
    "rule",
    "scenario_score",
    "score_run",
    "settings_for",
]
