"""uxmon: real browsers walk real customer journeys and report where customers suffer.

The public API: write scenarios with :func:`scenario` and :class:`Journey`; read results as
:class:`RunRecord` and friends; judge them with :func:`analyse_run` and your own :func:`rule`.
"""

from . import gate as _gate  # noqa: F401 - registers [gate] with the config, as friction does [friction]
from .authoring import Journey, JourneyFailed, Scenario, ScenarioMisuse, discover, scenario
from .config import Config, ConfigError, load_config
from .friction import RuleContext, analyse_run, friction_score, rule
from .notify import settings as _alert_settings  # noqa: F401 - registers [[alerts]], [alerting]
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
from .records.serial import load_record, record_from_json, record_to_json
from .schedule import settings as _schedule_settings  # noqa: F401 - registers [[schedule]], [scheduler]
from .version import __version__

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
