"""The gate's rules and budgets from ``[gate]`` and ``[scenario."Name".gate]``, registered with the config.

Each rule has a level, as Lighthouse CI's assertions do: ``off``, ``warn`` (shown, the job
passes) or ``error`` (the job fails). Defaults and their reasons are in docs/ci.md.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..config.schema import (
    INT,
    NUM,
    SCENARIO_SECTIONS,
    TABLE,
    ConfigError,
    Key,
    non_negative,
    one_of,
    positive,
    register_section,
)

if TYPE_CHECKING:
    from ..config.load import Config

LEVELS = ("off", "warn", "error")

# rule id: (default level, what it judges)
RULES: dict[str, tuple[str, str]] = {
    "failed-run": ("error", "a run failed: customers could not finish the journey"),
    "new-critical": ("error", "a critical finding the baseline did not have"),
    "new-high": ("error", "a high finding the baseline did not have"),
    "new-medium": ("warn", "a medium finding the baseline did not have"),
    "new-low": ("off", "a low finding the baseline did not have"),
    "known-friction": ("warn", "a high or critical finding the baseline already had"),
    "flaky": ("warn", "a run passed only on a retry (--fail-on-flaky makes it an error)"),
    "over-budget": ("warn", "a journey or step over its budget"),
    "far-over-budget": ("error", "a journey or step over its budget by more than budget_margin"),
    "slower": ("warn", "run time regressed against the baseline (needs --repeat)"),
    "more-steps": ("warn", "more steps than the baseline"),
    "more-clicks": ("warn", "more clicks than the baseline"),
    "higher-score": ("warn", "a friction score higher than the baseline's"),
    "no-baseline": ("warn", "no baseline was found: findings are judged as new, budgets only"),
}


@dataclass(frozen=True)
class Budget:
    """Limits for one journey; ``None`` is no limit. Times in seconds."""

    seconds: float | None = None
    clicks: int | None = None
    steps: int | None = None
    friction_score: float | None = None
    step_seconds: Mapping[str, float] = field(default_factory=dict)
    step_clicks: Mapping[str, int] = field(default_factory=dict)

    def over(self, other: Mapping[str, Any]) -> Budget:
        """This budget with the keys of a scenario's own ``gate`` table replacing its own."""
        scalars = {k: v for k, v in other.items() if k in ("seconds", "clicks", "steps", "friction_score")}
        return replace(self, **scalars,
                       step_seconds={**self.step_seconds, **other.get("step_seconds", {})},
                       step_clicks={**self.step_clicks, **other.get("step_clicks", {})})


@dataclass(frozen=True)
class GateSettings:
    levels: Mapping[str, str] = field(default_factory=lambda: {r: lv for r, (lv, _) in RULES.items()})
    budget_margin: float = 0.5      # error past budget × 1.5 (delivery research A5: a guess)
    slower_change: float = 0.20     # a timing regression needs +20 % ...
    slower_ms: float = 250.0        # ... and +250 ms on the median ...
    slower_alpha: float = 0.05      # ... and, with enough samples, Mann-Whitney p < 0.05
    slower_samples: int = 5         # samples a side before the rank test is used
    more_steps: int = 1
    more_clicks: int = 3
    higher_score: float = 10.0
    retries: int = 1                # check retries errored runs once unless told otherwise
    budget: Budget = field(default_factory=Budget)
    journeys: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def level(self, rule: str) -> str:
        return self.levels.get(rule, "off")

    def budget_for(self, scenario: str) -> Budget:
        return self.budget.over(self.journeys.get(scenario, {}))


BUDGET_KEYS: dict[str, Key] = {
    "seconds": Key(NUM, positive, "seconds the whole journey may take"),
    "clicks": Key(INT, non_negative, "clicks and taps the journey may take"),
    "steps": Key(INT, positive, "steps the journey may take"),
    "friction_score": Key(NUM, non_negative, "friction score (0-100) the journey may reach"),
    "step_seconds": Key(TABLE, None, "seconds per step name", values=Key(NUM, positive)),
    "step_clicks": Key(TABLE, None, "clicks per step name", values=Key(INT, non_negative)),
}
GATE_KEYS: dict[str, Key] = {
    "rules": Key(TABLE, None, "a level per rule id",
                 table={rule: Key((str,), one_of(*LEVELS)) for rule in RULES}),
    "budget_margin": Key(NUM, non_negative, "over the budget by more than this share is an error"),
    "slower_change": Key(NUM, non_negative, "relative change of the median time to call it slower"),
    "slower_ms": Key(NUM, non_negative, "milliseconds the median time must grow to call it slower"),
    "slower_alpha": Key(NUM, positive, "p-value of the Mann-Whitney test to call it slower"),
    "slower_samples": Key(INT, positive, "samples a side before the rank test is used"),
    "more_steps": Key(INT, positive, "steps more than the baseline's to warn"),
    "more_clicks": Key(INT, positive, "clicks more than the baseline's to warn"),
    "higher_score": Key(NUM, positive, "friction score points above the baseline's to warn"),
    "retries": Key(INT, non_negative, "retries for errored runs in uxmon check (without --retries)"),
    "budgets": Key(TABLE, None, "budgets for every journey", table=BUDGET_KEYS),
}
register_section("gate", GATE_KEYS)
SCENARIO_SECTIONS["gate"] = BUDGET_KEYS

_NUMBERS = ("budget_margin", "slower_change", "slower_ms", "slower_alpha", "slower_samples",
            "more_steps", "more_clicks", "higher_score", "retries")


def gate_settings(config: Config | None, *, fail_on_flaky: bool = False,
                  known: Collection[str] | None = None) -> GateSettings:
    """``[gate]`` merged with the defaults; with ``known`` (scenario names), a budget for a
    journey that does not exist is a ConfigError naming the file and the key."""
    if config is None:
        return _with_flaky(GateSettings(), fail_on_flaky)
    section: Mapping[str, Any] = config.section("gate")
    levels = {**GateSettings().levels, **section.get("rules", {})}
    journeys = {name: body["gate"] for name, body in config.scenario_overrides.items()
                if isinstance(body, Mapping) and "gate" in body}
    if known is not None:
        _check_known(journeys, known, config.source)
    base = Budget().over(section.get("budgets", {}))
    numbers = {k: section[k] for k in _NUMBERS if k in section}
    return _with_flaky(GateSettings(levels=levels, budget=base, journeys=journeys, **numbers),
                       fail_on_flaky)


def _with_flaky(settings: GateSettings, fail_on_flaky: bool) -> GateSettings:
    if not fail_on_flaky:
        return settings
    return replace(settings, levels={**settings.levels, "flaky": "error"})


def _check_known(journeys: Mapping[str, Any], known: Collection[str], source: str) -> None:
    for name in journeys:
        if name not in known:
            match = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
            hint = f" (did you mean '{match[0]}'?)" if match else \
                f" (the scenarios are: {', '.join(sorted(known)) or 'none'})"
            raise ConfigError(f"{source or 'config'}: [scenario.\"{name}\".gate]: budget for a "
                              f"journey that does not exist{hint}")
