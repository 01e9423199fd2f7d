"""Render HTML pages from records with Jinja2; every value from the monitored site is escaped."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from ..records import RunRecord
from . import svg
from .compiled import template_cache
from .failure import failure_of_record
from .model import Overview, slug
from .times import seconds


@dataclass
class BatchView:
    """What the batch index shows."""

    batch_id: str
    started_at: str
    duration_s: float
    base_url: str
    records: Sequence[RunRecord]
    load_errors: Sequence[object] = ()  # shown with str(): LoadError, or text
    extra: dict[str, Any] = field(default_factory=dict)


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("uxmon.report", "templates"),
        autoescape=select_autoescape(["html", "xml"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=template_cache("report"),
    )
    env.filters["seconds"] = seconds
    env.filters["grade"] = grade
    env.filters["slug"] = slug
    env.filters["sparkline"] = svg.sparkline
    env.filters["chart"] = svg.line_chart
    env.filters["waterfall"] = svg.waterfall
    return env


def grade(score: float) -> str:
    return "bad" if score >= 50 else "meh" if score >= 15 else "good"


def render_overview(overview: Overview, prefix: str = "") -> str:
    """The overview; ``prefix`` leads from where the page is written to the batch folder."""
    return environment().get_template("overview.html").render(ov=overview, prefix=prefix)


def render_journey(overview: Overview, scenario: str) -> str:
    return environment().get_template("journey.html").render(
        ov=overview, scenario=scenario, views=overview.journey_runs(scenario),
        run_path=lambda v: f"runs/{v.run.run_id}/")


def render_batch_index(view: BatchView) -> str:
    counts = {o: sum(1 for r in view.records if r.outcome == o) for o in ("passed", "failed", "error")}
    return environment().get_template("batch.html").render(view=view, counts=counts,
                                                           failure=failure_of_record)
