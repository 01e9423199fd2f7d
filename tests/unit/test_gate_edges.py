"""Edges of the gate that need no browser: step lines, files that did not load, a failed history."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from tests.gate_data import recorded
from uxmon.authoring.journey import Journey
from uxmon.gate import gate_settings, judge, verdict_for
from uxmon.gate.load import BaselineChoice, scratch_store
from uxmon.history import BatchRow
from uxmon.records import Viewport
from uxmon.records.timeline import Capture, build_steps


class StepLog:
    """Stands in for the recorder: Journey.step only tells it where steps begin and end."""

    def __init__(self) -> None:
        self.begun: list[tuple[str, int | None]] = []

    def step_begin(self, name: str, line: int | None = None) -> None:
        self.begun.append((name, line))

    def step_end(self, page: Any, name: str, ok: bool) -> None:
        pass


def load(path: Path) -> Any:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_step_keeps_the_line_of_the_scenario_that_named_it(tmp_path: Path) -> None:
    helper = tmp_path / "shop_helpers.py"
    helper.write_text("def pay(journey):\n    with journey.step('Payment'):\n        pass\n")
    scenario = tmp_path / "buy.py"
    scenario.write_text("def run(journey, helpers):\n    with journey.step('Cart'):\n        pass\n"
                        "    helpers.pay(journey)\n")
    log = StepLog()
    journey = Journey(None, log, Viewport("desktop", 1, 1), "", "Buy",  # type: ignore[arg-type]
                      scenario_file=str(scenario))
    load(scenario).run(journey, load(helper))
    # The helper's own line is not in the scenario's diff: the scenario line that called it is.
    assert log.begun == [("Cart", 2), ("Payment", 4)]
    outside = StepLog()
    Journey(None, outside, Viewport("desktop", 1, 1), "", "Buy").step("X").__enter__()  # type: ignore[arg-type]
    assert outside.begun == [("X", None)]


def test_the_timeline_puts_the_line_on_the_named_step() -> None:
    events = [{"k": "step-begin", "t": 1000.0, "name": "Cart", "line": 42},
              {"k": "step-end", "t": 1500.0, "name": "Cart", "ok": True},
              {"k": "step-begin", "t": 1600.0, "name": "Pay", "line": "7"}]
    steps = build_steps(Capture(1000.0, 2000.0, events)).steps
    assert [(s.name, s.line) for s in steps] == [("Cart", 42), ("Pay", None)]


def test_a_scenario_file_that_did_not_load_is_unmeasured_on_its_line() -> None:
    batch = BatchRow("b1", "2026-11-02T10:00:00+00:00")
    verdict = judge(batch, [], None, gate_settings(None),
                    load_errors=["/repo/scenarios/broken.py:12: SyntaxError: invalid syntax"])
    [check] = [c for c in verdict.checks if c.rule == "unmeasured"]
    assert (check.file, check.line, verdict.exit_code) == ("/repo/scenarios/broken.py", 12, 3)
    assert check.message == ("A scenario file did not load: /repo/scenarios/broken.py:12: "
                             "SyntaxError: invalid syntax")


def test_a_batch_whose_history_failed_is_judged_from_a_scratch_store() -> None:
    run = recorded("late-stock")
    row = BatchRow.of("b1", "2026-11-02T10:00:00+00:00", "http://shop", "", [run])
    with scratch_store(row, [run]) as store:
        verdict = verdict_for(store, "b1", gate_settings(None), BaselineChoice(label="main"))
        path = Path(store.url.removeprefix("sqlite:///"))
        assert path.is_file()
    assert not path.exists()
    assert verdict.exit_code == 1 and verdict.errors[0].rule == "failed-run"
