"""What the friction rules read from the config: thresholds, budgets, vocabulary, switched-off rules.

Global values live in ``[friction]``; ``[scenario."Name".friction]`` overrides them for one
scenario. Every default and its source is in docs/friction-rules.md.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..config.schema import (
    BOOL,
    INT,
    LIST,
    NUM,
    SCENARIO_SECTIONS,
    TABLE,
    Key,
    non_negative,
    positive,
    regex_list,
    register_section,
    str_list,
)
from .vocabulary import Vocabulary, build_vocabulary

if TYPE_CHECKING:
    from ..config.load import Config


@dataclass(frozen=True)
class Thresholds:
    dead_click_ms: float = 1000          # "nothing visibly happens within 1 s"
    slow_answer_ms: float = 1000         # RAIL: 1 s keeps the flow of thought
    very_slow_answer_ms: float = 3000
    step_budget_ms: float = 10_000       # Nielsen: 10 s is the limit of attention
    lcp_ms: float = 2500                 # Web Vitals: LCP "needs improvement" above 2.5 s
    very_slow_lcp_ms: float = 4000       # Web Vitals: "poor" above 4 s
    layout_shift: float = 0.1            # Web Vitals: CLS "needs improvement" above 0.1
    bad_layout_shift: float = 0.25       # Web Vitals: "poor" above 0.25
    shift_before_action_ms: float = 500
    max_steps: int = 10
    max_clicks: int = 25
    max_keystrokes: int = 300
    max_fields: int = 14                 # Baymard: 12-14 form elements is achievable for checkout
    tap_target_px: float = 24            # WCAG 2.2 success criterion 2.5.8 (AA)
    min_text_px: float = 12
    support_max_clicks: int = 3
    support_max_ms: float = 60_000
    chat_answer_ms: float = 5000
    overlay_grace_ms: float = 1000
    frozen_ms: float = 1000              # a page that cannot paint or answer for a second
    very_frozen_ms: float = 5000
    busy_machine: float = 0.75           # CPU stall share over a wait that makes it the monitor's
    step_budgets: Mapping[str, float] = field(default_factory=dict)


NUMBER_KEYS = {f.name: f.default for f in dataclasses.fields(Thresholds) if f.name != "step_budgets"}

VOCABULARY_KEYS: dict[str, Key] = {
    "blockers": Key(LIST, str_list, "phrases that stop a task"),
    "blocker_patterns": Key(LIST, regex_list, "regular expressions that stop a task"),
    "availability": Key(LIST, str_list, "phrases that say an item can be bought"),
    "fees": Key(LIST, str_list, "words that name a cost"),
    "errors": Key(LIST, str_list, "phrases of an error banner"),
    "required": Key(LIST, str_list, "phrases of a form saying a field must be filled"),
    "invalid": Key(LIST, str_list, "phrases of a page turning down what the customer typed"),
    "taxes": Key(LIST, str_list, "labels of tax lines in a price breakdown"),
    "signup": Key(LIST, str_list, "phrases that ask for a new account"),
    "guest": Key(LIST, str_list, "phrases that offer a way on without an account"),
    "replace": Key(BOOL, None, "replace the built-in vocabulary instead of adding to it"),
}


def _number_key(name: str, default: Any) -> Key:
    if isinstance(default, int):
        return Key(INT, non_negative)
    return Key(NUM, positive if "ms" in name or "px" in name else non_negative)


SCENARIO_FRICTION_KEYS: dict[str, Key] = {
    **{name: _number_key(name, default) for name, default in NUMBER_KEYS.items()},
    "disabled": Key(LIST, str_list, "rule ids or families to switch off"),
    "step_budgets": Key(TABLE, None, "ms per step name", values=Key(NUM, positive)),
}
FRICTION_KEYS: dict[str, Key] = {
    **SCENARIO_FRICTION_KEYS,
    "vocabulary": Key(TABLE, None, "phrases and patterns", table=VOCABULARY_KEYS),
}
register_section("friction", FRICTION_KEYS)
SCENARIO_SECTIONS["friction"] = SCENARIO_FRICTION_KEYS


@dataclass(frozen=True)
class FrictionSettings:
    """The settings one scenario's runs are judged with."""

    thresholds: Thresholds = field(default_factory=Thresholds)
    vocabulary: Vocabulary = field(default_factory=build_vocabulary)
    disabled: frozenset[str] = frozenset()

    def enabled(self, rule_id: str, family: str) -> bool:
        return rule_id not in self.disabled and family not in self.disabled


def settings_for(config: Config | None, scenario: str = "") -> FrictionSettings:
    """Merge ``[friction]`` with the scenario's own ``friction`` table."""
    if config is None:
        return FrictionSettings()
    base: Mapping[str, Any] = config.section("friction")
    own: Mapping[str, Any] = config.for_scenario(scenario).get("friction", {}) if scenario else {}
    values = {**{k: v for k, v in base.items() if k in NUMBER_KEYS},
              **{k: v for k, v in own.items() if k in NUMBER_KEYS}}
    budgets = {**base.get("step_budgets", {}), **own.get("step_budgets", {})}
    thresholds = Thresholds(**values, step_budgets=budgets)
    disabled = frozenset(base.get("disabled", [])) | frozenset(own.get("disabled", []))
    vocabulary = build_vocabulary(base.get("vocabulary", {}))
    return FrictionSettings(thresholds, vocabulary, disabled)
