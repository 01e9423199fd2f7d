"""Which runs each shard takes: the same answer in every shard, balanced by expected duration.

Every shard plans the whole batch, then keeps its part, so no shard needs to talk to another.
The split is greedy longest-processing-time: each unit of work, longest first, goes to the
shard that is lightest so far (ties to the lower shard). A unit is a scenario's runs on all
its viewports, so the cross-viewport rules (desktop against mobile) still see them together;
only when there are fewer scenarios than shards are scenarios split into single runs, so that
no shard is empty while there are at least as many runs as shards. A run is in exactly one
shard: ties break on names, never on order or chance.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

DEFAULT_S = 60.0  # expected seconds of a run the history knows nothing about
_SHARD = re.compile(r"^\s*(\d+|auto)\s*/\s*(\d+)\s*$")
INDEX_VARIABLE = "JOB_COMPLETION_INDEX"  # Kubernetes Indexed Jobs: 0 … completions - 1


class ShardError(ValueError):
    """A shard that cannot be worked out; the message says what to give instead."""


@dataclass(frozen=True)
class Shard:
    index: int  # 1-based, as Playwright's --shard
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def parse_shard(text: str, environ: Mapping[str, str] | None = None) -> Shard:
    """``K/N`` (1 ≤ K ≤ N), or ``auto/N``: K from Kubernetes' ``JOB_COMPLETION_INDEX`` + 1."""
    match = _SHARD.match(text)
    if not match:
        raise ShardError(f"{text!r} is not a shard: give K/N (e.g. 2/4, the second of four) or auto/N")
    count = int(match.group(2))
    if count < 1:
        raise ShardError(f"{text!r}: the number of shards must be at least 1")
    if match.group(1) != "auto":
        index = int(match.group(1))
        if not 1 <= index <= count:
            raise ShardError(f"{text!r}: the shard number must be between 1 and {count}")
        return Shard(index, count)
    raw = (os.environ if environ is None else environ).get(INDEX_VARIABLE, "").strip()
    if not raw:
        raise ShardError(f"--shard auto/{count} reads ${INDEX_VARIABLE}, which Kubernetes sets in the "
                         "pods of an Indexed Job (completionMode: Indexed); it is not set here")
    if not raw.isdigit() or int(raw) >= count:
        raise ShardError(f"${INDEX_VARIABLE} is {raw!r}, but --shard auto/{count} needs 0 to {count - 1} "
                         f"(set completions: {count} in the Job)")
    return Shard(int(raw) + 1, count)


@dataclass(frozen=True)
class Run:
    """What the split needs of a planned run."""

    run_id: str
    scenario: str
    expected_s: float = DEFAULT_S


@dataclass(frozen=True)
class _Unit:
    key: str
    runs: tuple[Run, ...]

    @property
    def weight(self) -> float:
        return sum(max(r.expected_s, 0.001) for r in self.runs)  # a unit never weighs nothing


def assign(runs: Sequence[Run], count: int, fixed: Mapping[str, int] | None = None) -> list[list[str]]:
    """The run ids of each shard (index 0 is shard 1), each list sorted.

    ``fixed`` maps run ids to a shard (1-based) already chosen, by a plan file: those stay where
    they are and count towards their shard's load; the others are placed around them.
    """
    fixed = fixed or {}
    shards: list[list[str]] = [[] for _ in range(count)]
    loads = [0.0] * count
    free = []
    for run in sorted(runs, key=lambda r: r.run_id):
        place = fixed.get(run.run_id)
        if place is not None and 1 <= place <= count:
            shards[place - 1].append(run.run_id)
            loads[place - 1] += max(run.expected_s, 0.001)
        else:
            free.append(run)
    empty = sum(1 for s in shards if not s)
    for unit in sorted(_units(free, empty), key=lambda u: (-u.weight, u.key)):
        lightest = min(range(count), key=lambda i: (loads[i], i))
        shards[lightest].extend(r.run_id for r in unit.runs)
        loads[lightest] += unit.weight
    return [sorted(s) for s in shards]


def _units(runs: Sequence[Run], wanted: int) -> list[_Unit]:
    """A scenario's runs together, split into single runs (heaviest first) while there are
    fewer units than ``wanted`` (the shards still empty)."""
    by_scenario: dict[str, list[Run]] = {}
    for run in runs:
        by_scenario.setdefault(run.scenario, []).append(run)
    units = [_Unit(name, tuple(group)) for name, group in sorted(by_scenario.items())]
    while len(units) < wanted:
        splittable = [u for u in units if len(u.runs) > 1]
        if not splittable:
            break
        widest = max(splittable, key=lambda u: (u.weight, u.key))
        units.remove(widest)
        units += [_Unit(f"{widest.key}\x00{r.run_id}", (r,)) for r in widest.runs]
    return units


def split_scenarios(shards: Sequence[Sequence[str]], runs: Sequence[Run]) -> list[str]:
    """Scenarios whose runs landed in more than one shard (their cross-viewport rules are then
    judged only where the runs meet again: ``uxmon merge``)."""
    scenario = {r.run_id: r.scenario for r in runs}
    where: dict[str, set[int]] = {}
    for index, ids in enumerate(shards):
        for run_id in ids:
            where.setdefault(scenario.get(run_id, run_id), set()).add(index)
    return sorted(name for name, places in where.items() if len(places) > 1)


def expected_total(ids: Sequence[str], runs: Sequence[Run]) -> float:
    expected = {r.run_id: r.expected_s for r in runs}
    return sum(expected.get(i, DEFAULT_S) for i in ids)


def duration_text(seconds: float) -> str:
    """``45 s``, ``3 min 20 s``, ``1 h 5 min``: how long a shard is expected to take."""
    seconds = max(0, math.ceil(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, rest = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {rest} s" if rest else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"
