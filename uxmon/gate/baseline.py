"""What a batch is compared with: its journeys' figures and findings, from the store or a file.

A baseline is one earlier batch boiled down to what the rules need: per journey, the
fingerprints of its findings, its step and click counts, its friction score and the time
samples of its passed runs. ``uxmon baseline export`` writes it as JSON, so a CI job without a
shared database can still compare with main.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from ..history.rows import BatchRow, FindingRow, RunRow
from ..history.stats import median
from ..records.redact import mask_url
from ..version import __version__

KIND = "uxmon-baseline"
SCHEMA = 1


class BaselineError(ValueError):
    """A baseline that cannot be used: the message says which file and why."""


@dataclass(frozen=True)
class KnownFinding:
    rule: str
    severity: str
    title: str
    step_name: str = ""


@dataclass(frozen=True)
class JourneyBaseline:
    scenario: str
    viewport: str
    runs: int
    passed: int
    steps: float | None = None
    clicks: float | None = None
    friction_score: float | None = None
    seconds: list[float] = field(default_factory=list)
    findings: dict[str, KnownFinding] = field(default_factory=dict)


@dataclass(frozen=True)
class Baseline:
    source: str                  # how it was chosen, for the reader: "label main", "file x.json"
    batch_id: str
    started_at: str
    base_url: str = ""
    label: str = ""
    git_sha: str = ""
    git_ref: str = ""
    environment: str = ""
    journeys: dict[tuple[str, str], JourneyBaseline] = field(default_factory=dict)

    def describe(self) -> str:
        ref = self.git_ref if self.git_ref != self.label else ""
        label = f"label {self.label}" if self.label else ""
        build = ", ".join(x for x in (label, ref, self.git_sha[:7]) if x)
        origin = f" from {self.source}" if self.source.startswith("file ") else ""
        return f"batch {self.batch_id}" + (f" ({build})" if build else "") + origin


def check_same_site(baseline: Baseline, journeys: Collection[tuple[str, str]]) -> None:
    """A baseline that shares no journey with the batch is from another site or scenario set."""
    if not baseline.journeys or not journeys or any(key in baseline.journeys for key in journeys):
        return
    had = ", ".join(sorted(f"{s} · {v}" for s, v in baseline.journeys)[:6])
    site = mask_url(baseline.base_url) if baseline.base_url else "an unknown site"
    raise BaselineError(f"the baseline ({baseline.source}, measured on {site}) has none of this batch's "
                        f"journeys (it has {had}): is it from another site?")


def baseline_of(batch: BatchRow, runs: Sequence[RunRow], findings: Iterable[FindingRow],
                source: str) -> Baseline:
    """Boil a stored batch down to a baseline (pure: rows in, figures out)."""
    found: dict[int, list[FindingRow]] = {}
    for f in findings:
        found.setdefault(f.run, []).append(f)
    journeys: dict[tuple[str, str], list[RunRow]] = {}
    for run in runs:
        journeys.setdefault(run.journey, []).append(run)
    return Baseline(
        source, batch.id, batch.started_at, batch.base_url, batch.label, batch.git_sha, batch.git_ref,
        batch.environment,
        {key: _journey(key, mine, found) for key, mine in sorted(journeys.items())})


def _journey(key: tuple[str, str], runs: list[RunRow], found: dict[int, list[FindingRow]]) -> JourneyBaseline:
    passed = [r for r in runs if r.outcome == "passed"]
    measured = [r for r in runs if r.outcome != "error"]
    known = {f.fingerprint: KnownFinding(f.rule, f.severity, f.title, f.step_name)
             for r in runs for f in found.get(r.id, []) if f.fingerprint}
    return JourneyBaseline(
        key[0], key[1], len(runs), len(passed),
        median([r.steps for r in passed]), median([r.clicks for r in passed]),
        median([r.friction_score for r in measured]),
        [round(r.duration_ms / 1000, 3) for r in passed], known)


def to_json(baseline: Baseline) -> str:
    data = {
        "kind": KIND, "schema": SCHEMA, "uxmon": __version__, "source": baseline.source,
        "batch": {k: getattr(baseline, k) for k in ("batch_id", "started_at", "base_url", "label",
                                                     "git_sha", "git_ref", "environment")},
        "journeys": [{**asdict(j), "findings": {fp: asdict(f) for fp, f in j.findings.items()}}
                     for j in baseline.journeys.values()],
    }
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def from_json(text: str, where: str) -> Baseline:
    """Read an exported baseline; anything else is a BaselineError naming ``where``."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise BaselineError(f"{where}: not JSON ({exc}): make it with `uxmon baseline export`") from None
    if not isinstance(data, dict) or data.get("kind") != KIND:
        raise BaselineError(f"{where}: not a uxmon baseline (it has no \"kind\": \"{KIND}\"): "
                            "make one with `uxmon baseline export`")
    schema = data.get("schema")
    if schema != SCHEMA:
        newer = isinstance(schema, int) and schema > SCHEMA
        raise BaselineError(f"{where}: a baseline of schema {schema!r}; this uxmon reads schema {SCHEMA}"
                            + (": upgrade uxmon" if newer else ": export it again with this uxmon"))
    try:
        batch = data["batch"]
        journeys = [_journey_from(j) for j in data["journeys"]]
        build = {k: str(batch.get(k, "")) for k in ("base_url", "label", "git_sha", "git_ref", "environment")}
        return Baseline(f"file {where}", str(batch["batch_id"]), str(batch["started_at"]), **build,
                        journeys={(j.scenario, j.viewport): j for j in journeys})
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise BaselineError(f"{where}: a damaged uxmon baseline ({type(exc).__name__}: {exc}): "
                            "export it again") from None


def _journey_from(data: dict[str, Any]) -> JourneyBaseline:
    findings = {str(fp): KnownFinding(str(f["rule"]), str(f["severity"]), str(f["title"]),
                                      str(f.get("step_name", "")))
                for fp, f in dict(data.get("findings", {})).items()}
    number = _number_or_none
    return JourneyBaseline(str(data["scenario"]), str(data["viewport"]), int(data["runs"]),
                           int(data["passed"]), number(data.get("steps")), number(data.get("clicks")),
                           number(data.get("friction_score")),
                           [float(x) for x in data.get("seconds", [])], findings)


def _number_or_none(value: Any) -> float | None:
    return None if value is None else float(value)
