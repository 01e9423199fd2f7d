"""The terminal's table and failure lines, on recorded runs: the customer's words first, the
technical reason and the trace command on their own indented lines, times named as in the report."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from uxmon.cli.console import print_failures, results_table
from uxmon.friction import score_run
from uxmon.records import RunRecord
from uxmon.records.serial import load_record

RUNS = Path(__file__).parents[1] / "fixtures" / "runs"
SORRY = "Sorry, Blue Mug is out of stock. We could not take your payment."


def recorded(name: str) -> RunRecord:
    run = load_record(RUNS / f"{name}.json")
    score_run(run)
    return run


def printed(*what: object, width: int = 320) -> str:
    console = Console(record=True, width=width, color_system=None)
    for thing in what:
        console.print(thing)
    return console.export_text()


def secs(ms: float) -> str:
    return f"{ms / 1000:.1f} s"


def test_the_table_names_time_to_goal_and_run_time_and_what_stopped_the_customer() -> None:
    late = recorded("late-stock--buy-a-mug--desktop")  # its last step ends when the refusal was seen
    chat = recorded("slow-chat--reach-a-human--desktop")
    text = printed(results_table([late, chat]))
    assert "Time to goal" in text and "Run time" in text
    assert f"Customers were stopped at step 7 (Confirmation): the site said “{SORRY}”" in text
    assert "Locator expected" not in text  # the technical reason is not in the table
    row = next(line for line in text.splitlines() if "Reach a human" in line)
    goal = chat.time_to_complete_ms
    assert goal is not None and secs(goal) in row and secs(chat.duration_ms) in row  # time to goal, run time


def test_failure_lines_fold_the_technical_reason_and_the_trace_below(tmp_path: Path) -> None:
    late = recorded("late-stock--buy-a-mug--desktop")
    seen = late.steps[-1].end_ms
    console = Console(record=True, width=400, color_system=None)
    print_failures(console, [late, recorded("clean--buy-a-mug--desktop")], tmp_path)
    lines = console.export_text().splitlines()
    assert lines == [
        f"✖ Buy a mug · desktop: Customers were stopped at step 7 (Confirmation): the site said “{SORRY}”",
        f"    The customer met it after {secs(seen)}; then uxmon waited {secs(late.duration_ms - seen)} for "
        "“Thank you for your order”, which never came.",
        f"    Technical reason: {late.reason}",
        f"    Replay: playwright show-trace {tmp_path / 'runs' / 'buy-a-mug--desktop' / 'trace.zip'}",
    ]
