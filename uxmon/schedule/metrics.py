"""What the service counts, and the Prometheus text format it is read in (``/metrics``)."""

from __future__ import annotations

import threading
import time
from collections import Counter, deque
from collections.abc import Iterable

from ..history.rows import RunRow


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _labels(pairs: Iterable[tuple[str, str]]) -> str:
    inner = ",".join(f'{k}="{_label(v)}"' for k, v in pairs)
    return "{" + inner + "}" if inner else ""


class Metrics:
    """Counters and gauges, safe to update from the firing threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.runs: Counter[tuple[str, str, str]] = Counter()  # (scenario, viewport, outcome)
        self.scores: dict[tuple[str, str], float] = {}
        self.last_run: dict[str, float] = {}  # entry → unix time its last batch ended
        self.firings: Counter[tuple[str, str]] = Counter()  # (entry, result)
        self.missed: Counter[tuple[str, str]] = Counter()  # (entry, kind)
        self.delays: deque[float] = deque(maxlen=2000)
        self.running = 0

    def batch(self, entry: str, runs: Iterable[RunRow]) -> None:
        with self._lock:
            for r in runs:
                self.runs[(r.scenario, r.viewport, r.outcome)] += 1
                if r.outcome != "error":
                    self.scores[(r.scenario, r.viewport)] = r.friction_score
            self.last_run[entry] = time.time()

    def fired(self, entry: str, result: str, delay_s: float | None = None) -> None:
        with self._lock:
            self.firings[(entry, result)] += 1
            if delay_s is not None:
                self.delays.append(delay_s)

    def skipped(self, entry: str, kind: str) -> None:
        with self._lock:
            self.missed[(entry, kind)] += 1

    def text(self) -> str:
        with self._lock:
            return "".join(self._text())

    def _text(self) -> Iterable[str]:
        yield from _family("uxmon_runs_total", "counter", "Runs by journey and outcome since the start",
                           ((_labels(zip(("scenario", "viewport", "outcome"), k, strict=True)), v)
                            for k, v in sorted(self.runs.items())))
        yield from _family("uxmon_friction_score", "gauge", "Friction score (0-100) of a journey's last run",
                           ((_labels(zip(("scenario", "viewport"), k, strict=True)), v)
                            for k, v in sorted(self.scores.items())))
        yield from _family("uxmon_last_run_timestamp_seconds", "gauge", "When each entry's last batch ended",
                           ((_labels([("entry", k)]), v) for k, v in sorted(self.last_run.items())))
        yield from _family("uxmon_firings_total", "counter", "Firings by entry and result",
                           ((_labels(zip(("entry", "result"), k, strict=True)), v)
                            for k, v in sorted(self.firings.items())))
        yield from _family("uxmon_scheduler_missed_total", "counter",
                           "Firings that made no batch (missed, overlap, crashed, deadline)",
                           ((_labels(zip(("entry", "kind"), k, strict=True)), v)
                            for k, v in sorted(self.missed.items())))
        yield from _family("uxmon_batches_running", "gauge", "Batches running now", [("", self.running)])


def _family(name: str, kind: str, doc: str, samples: Iterable[tuple[str, float]]) -> Iterable[str]:
    yield f"# HELP {name} {doc}\n# TYPE {name} {kind}\n"
    for labels, value in samples:
        yield f"{name}{labels} {value:g}\n"
