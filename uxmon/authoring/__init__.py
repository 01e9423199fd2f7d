"""What scenario writers touch: the ``@scenario`` registry and its loader, and the Journey."""

from .journey import Journey, JourneyFailed, ScenarioMisuse
from .scenarios import Discovery, LoadError, Scenario, discover, scenario, select

__all__ = [
    "Discovery",
    "Journey",
    "JourneyFailed",
    "LoadError",
    "Scenario",
    "ScenarioMisuse",
    "discover",
    "scenario",
    "select",
]
