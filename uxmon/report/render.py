"""Render HTML pages from records with Jinja2; every value from the monitored site is escaped."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from ..records import RunRecord
from ..scenarios import LoadError


@dataclass
class BatchView:
    """What the batch index shows."""

    batch_id: str
    started_at: str
    duration_s: float
    base_url: str
    records: Sequence[RunRecord]
    load_errors: Sequence[LoadError] = ()
    extra: dict[str, Any] = field(default_factory=dict)


def seconds(ms: float | None) -> str:
    if ms is None:
        return "—"
    return f"{ms / 1000:.1f} s" if ms < 60_000 else f"{ms / 60_000:.1f} min"


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("uxmon.report", "templates"),
        autoescape=select_autoescape(["html", "xml"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["seconds"] = seconds
    return env


def render_batch_index(view: BatchView) -> str:
    counts = {o: sum(1 for r in view.records if r.outcome == o) for o in ("passed", "failed", "error")}
    return environment().get_template("batch.html").render(view=view, counts=counts)
