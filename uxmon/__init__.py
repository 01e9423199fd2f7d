"""uxmon: real browsers walk real customer journeys and report where customers suffer.

The public API: write scenarios with :func:`scenario` and :class:`Journey`; read results as
:class:`RunRecord` and friends; judge them with :func:`analyse_run` and your own :func:`rule`.
"""

__version__ = "0.1.0"

from .config import Config, load_config
from .config_schema import ConfigError
from .friction import RuleContext, analyse_run, friction_score, rule
from .journey import Journey, JourneyFailed, ScenarioMisuse
from .records import (
    SCHEMA_VERSION,
    Action,
    Alert,
    Effort,
    Evidence,
    Finding,
    Goal,
    LayoutShift,
    Navigation,
    Overlay,
    PriceSeen,
    Request,
    RunRecord,
    Step,
    Target,
    Timing,
    Viewport,
)
from .scenarios import Scenario, discover, scenario
from .serial import load_record, record_from_json, record_to_json

__all__ = [
    "SCHEMA_VERSION",
    "Action",
    "Alert",
    "Config",
    "Effort",
    "Evidence",
    "Finding",
    "ConfigError",
    "Goal",
    "Journey",
    "JourneyFailed",
    "LayoutShift",
    "Navigation",
    "Overlay",
    "PriceSeen",
    "Request",
    "RuleContext",
    "RunRecord",
    "Scenario",
    "ScenarioMisuse",
    "Step",
    "Target",
    "Timing",
    "Viewport",
    "__version__",
    "analyse_run",
    "discover",
    "friction_score",
    "load_config",
    "load_record",
    "record_from_json",
    "record_to_json",
    "rule",
    "scenario",
]
