"""Plan files (``uxmon plan``): each run's expected duration and its shard, made once before the shards.

Shards never read live history to plan, because other shards may be writing to it meanwhile;
they read the plan file the plan job wrote. A run the plan does not know (a scenario added
since) is placed around the planned ones by the default duration, the same way in every shard.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..history.stats import median
from ..run.plan import Job
from .shards import DEFAULT_S, Run, Shard, ShardError, assign, duration_text, expected_total, split_scenarios

KIND = "uxmon-plan"
VERSION = 1
HISTORY_RUNS = 10  # a journey's expected duration: the median of its last 10 runs


@dataclass(frozen=True)
class PlannedRun:
    run_id: str
    scenario: str
    viewport: str
    expected_s: float
    samples: int  # runs in the history the median came from (0: the default)
    shard: int


@dataclass(frozen=True)
class PlanFile:
    shards: int
    runs: tuple[PlannedRun, ...]
    created_at: str = ""
    source: str = ""

    def expected(self) -> dict[str, float]:
        return {r.run_id: r.expected_s for r in self.runs}

    def placed(self) -> dict[str, int]:
        return {r.run_id: r.shard for r in self.runs}


def expected_seconds(durations_ms: Mapping[tuple[str, str], Sequence[float]],
                     journey: tuple[str, str]) -> tuple[float, int]:
    """(the median of a journey's last runs in seconds, how many) or (60 s, 0) when unknown."""
    recent = [d for d in durations_ms.get(journey, ()) if d and d > 0][-HISTORY_RUNS:]
    if not recent:
        return DEFAULT_S, 0
    return round((median(recent) or 0) / 1000, 3) or DEFAULT_S, len(recent)


def make_plan(jobs: Sequence[Job], count: int, durations_ms: Mapping[tuple[str, str], Sequence[float]],
              source: str = "") -> PlanFile:
    """Every planned run with its expected duration and the shard it goes to."""
    known = {j.run_id: (j, *expected_seconds(durations_ms, (j.scenario.name, j.viewport.name)))
             for j in jobs}
    runs = [Run(run_id, job.scenario.name, seconds) for run_id, (job, seconds, _) in known.items()]
    where = {run_id: index + 1 for index, ids in enumerate(assign(runs, count)) for run_id in ids}
    planned = tuple(PlannedRun(run_id, job.scenario.name, job.viewport.name, seconds, samples, where[run_id])
                    for run_id, (job, seconds, samples) in sorted(known.items()))
    return PlanFile(count, planned, dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), source)


def totals(plan: PlanFile) -> list[tuple[int, int, float]]:
    """(shard, runs, expected seconds) for each shard."""
    runs = [Run(r.run_id, r.scenario, r.expected_s) for r in plan.runs]
    return [(k, len(ids), expected_total(ids, runs))
            for k in range(1, plan.shards + 1)
            for ids in [[r.run_id for r in plan.runs if r.shard == k]]]


def to_json(plan: PlanFile) -> str:
    data = {
        "kind": KIND, "version": VERSION, "created_at": plan.created_at, "source": plan.source,
        "shards": plan.shards, "default_s": DEFAULT_S, "history_runs": HISTORY_RUNS,
        "totals": [{"shard": k, "runs": n, "expected_s": round(s, 1)} for k, n, s in totals(plan)],
        "runs": [{"run_id": r.run_id, "scenario": r.scenario, "viewport": r.viewport,
                  "expected_s": r.expected_s, "samples": r.samples, "shard": r.shard} for r in plan.runs],
    }
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def read_plan(path: Path) -> PlanFile:
    """A plan file; raises ShardError naming the file and what is wrong with it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ShardError(f"{path}: cannot read the plan file: {exc.strerror or exc}") from exc
    except ValueError as exc:
        raise ShardError(f"{path}: not a plan file (not JSON: {exc}); make one with `uxmon plan`") from exc
    if not isinstance(data, dict) or data.get("kind") != KIND:
        raise ShardError(f"{path}: not a plan file (made by `uxmon plan --shards N -o FILE`)")
    if data.get("version") != VERSION:
        raise ShardError(f"{path}: plan file version {data.get('version')!r}; this uxmon reads version "
                         f"{VERSION}: make it again with this uxmon's `uxmon plan`")
    try:
        shards = int(data["shards"])
        runs = tuple(_planned(r, shards) for r in data["runs"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ShardError(f"{path}: the plan file is damaged ({type(exc).__name__}: {exc}); "
                         "make it again with `uxmon plan`") from exc
    return PlanFile(shards, runs, str(data.get("created_at", "")), str(data.get("source", "")))


def _planned(raw: Any, shards: int) -> PlannedRun:
    run = PlannedRun(str(raw["run_id"]), str(raw["scenario"]), str(raw.get("viewport", "")),
                     float(raw["expected_s"]), int(raw.get("samples", 0)), int(raw["shard"]))
    if not 1 <= run.shard <= shards or not run.expected_s >= 0:
        raise ValueError(f"run {run.run_id!r} has shard {run.shard} or {run.expected_s} s")
    return run


class ShardFilter:
    """The job filter of one shard: every shard computes the same split and keeps its part."""

    def __init__(self, shard: Shard, plan: PlanFile | None = None, plan_name: str = "") -> None:
        if plan is not None and plan.shards != shard.count:
            raise ShardError(f"{plan_name or 'the plan'} was made for {plan.shards} shards; "
                             f"--shard {shard} asks for {shard.count}")
        self.shard, self.plan, self.plan_name = shard, plan, plan_name or "the plan"

    def __call__(self, jobs: Sequence[Job]) -> tuple[list[Job], str]:
        expected = self.plan.expected() if self.plan else {}
        runs = [Run(j.run_id, j.scenario.name, expected.get(j.run_id, DEFAULT_S)) for j in jobs]
        split = assign(runs, self.shard.count, self.plan.placed() if self.plan else None)
        mine = set(split[self.shard.index - 1])
        kept = [j for j in jobs if j.run_id in mine]
        line = (f"shard {self.shard}: {len(kept)} of {len(jobs)} runs, about "
                f"{duration_text(expected_total(sorted(mine), runs))} expected")
        unknown = [j.run_id for j in jobs if j.run_id not in expected] if self.plan else []
        if unknown:
            line += (f"; {len(unknown)} run(s) are not in {self.plan_name} (made before they existed?), "
                     f"placed by the default {DEFAULT_S:g} s")
        spread = split_scenarios(split, runs)
        if spread:
            line += (f"; {', '.join(spread)} run on several shards (fewer scenarios than shards): their "
                     "desktop–mobile comparison is made when `uxmon merge` brings the runs together")
        return kept, line
