"""Stored batches of recorded demo-shop runs, for gate tests that need no browser."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from uxmon.friction import analyse_batch, score_run
from uxmon.history import BatchRow, HistoryStore
from uxmon.records import RunRecord
from uxmon.records.serial import load_record

ROOT = Path(__file__).resolve().parents[1]
RUNS = ROOT / "tests" / "fixtures" / "runs"
PURCHASE = ROOT / "scenarios" / "purchase.py"


def step_lines(path: Path = PURCHASE) -> dict[str, int]:
    """The line of each ``journey.step("Name")`` in a scenario file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return {m.group(1): n for n, text in enumerate(lines, start=1)
            if (m := re.search(r'journey\.step\("([^"]+)"\)', text))}


def recorded(switch: str, journey: str = "buy-a-mug--desktop", *, run_id: str = "") -> RunRecord:
    """A recorded run, scored, with its scenario file and step lines as a current uxmon keeps them."""
    run = load_record(RUNS / f"{switch}--{journey}.json")
    run.scenario_file = str(PURCHASE if run.scenario == "Buy a mug" else ROOT / "scenarios" / "support.py")
    lines = step_lines(Path(run.scenario_file))
    for step in run.steps:
        step.line = lines.get(step.name)
    run.run_id = run_id or run.run_id
    score_run(run)
    return run


def store_batch(store: HistoryStore, batch_id: str, started_at: str, runs: Sequence[RunRecord],
                folder: Path | None = None, **build: str) -> BatchRow:
    for run in runs:
        run.batch_id, run.started_at = batch_id, started_at
    analyse_batch(list(runs), {})
    row = BatchRow.of(batch_id, started_at, "http://127.0.0.1:8000", str(folder or ""), list(runs), **build)
    store.save_batch(row, runs)
    return row


def repeated(switch: str, times: int, journey: str = "buy-a-mug--desktop", *,
             stretch: Sequence[float] = ()) -> list[RunRecord]:
    """``times`` runs of one journey (``--repeat``), their durations multiplied by ``stretch``."""
    out = []
    for n in range(times):
        run = recorded(switch, journey, run_id=f"{journey}--{n + 1}")
        factor = stretch[n] if n < len(stretch) else 1.0
        out.append(replace(run, duration_ms=run.duration_ms * factor))
    return out
