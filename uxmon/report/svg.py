"""Charts as inline SVG: no script, no network, prints and scales. Numbers only, plus escaped
labels: nothing from the monitored site reaches the markup unescaped."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from ..history.trends import Point
from .model import RunView

OUTCOME_COLOUR = {"passed": "#1a7f4b", "failed": "#c0362c", "error": "#b7791f"}
HEAT = {"": "#eef1f4", "info": "#eef1f4", "low": "#dbeafe", "medium": "#fde68a", "high": "#f9a87d",
        "critical": "#ef6b5b"}


def _colour(point: Point) -> str:
    return OUTCOME_COLOUR.get(point.outcome, "#555")


def sparkline(points: Sequence[Point], width: int = 120, height: int = 28) -> Markup:
    """Time to complete of the journey's recent runs; failed and errored runs as red/amber dots."""
    if len(points) < 2:
        return Markup("")
    values = [p.seconds for p in points]
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = (width - 4) / (len(points) - 1)
    xy = [(2 + i * step, height - 3 - (v - low) / span * (height - 6)) for i, v in enumerate(values)]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
    dots = "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.2" fill="{_colour(p)}"/>'
                   for (x, y), p in zip(xy, points, strict=True) if p.outcome != "passed")
    label = escape(f"Time to complete, last {len(points)} runs: {low:.1f} s to {high:.1f} s")
    return Markup(f'<svg class="spark" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
                  f'role="img" aria-label="{label}"><polyline points="{path}" fill="none" '
                  f'stroke="#4a5b6e" stroke-width="1.5"/>{dots}</svg>')


def line_chart(points: Sequence[Point], attribute: str, unit: str, width: int = 520,
               height: int = 140) -> Markup:
    """A labelled line over time for the history section ('seconds' or 'score')."""
    if not points:
        return Markup("")
    values = [float(getattr(p, attribute)) for p in points]
    high = max(max(values), 1.0) * 1.1
    left, bottom = 40, 20
    step = (width - left - 10) / max(len(points) - 1, 1)
    plot = height - bottom - 10
    xy = [(left + i * step, (height - bottom) - v / high * plot) for i, v in enumerate(values)]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
    dots = "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{_colour(p)}">'
                   f'<title>{escape(p.started_at[:16])}: {v:.1f} {escape(unit)}</title></circle>'
                   for (x, y), p, v in zip(xy, points, values, strict=True))
    digits = 0 if high >= 10 else 1
    grid = "".join(f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e5e7eb"/>'
                   f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{v:.{digits}f}</text>'
                   for v, y in ((high * k / 3, (height - bottom) - k / 3 * (height - bottom - 10))
                                for k in range(4)))
    label = escape(f"{attribute} per run, {len(points)} runs, latest {values[-1]:.1f} {unit}")
    return Markup(f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{label}">'
                  f'{grid}<polyline points="{line}" fill="none" stroke="#2f4b7c" stroke-width="2"/>{dots}'
                  f'<text x="{left}" y="{height - 4}">{escape(points[0].started_at[:10])}</text>'
                  f'<text x="{width - 10}" y="{height - 4}" text-anchor="end">'
                  f'{escape(points[-1].started_at[:10])}</text></svg>')


def waterfall(view: RunView, width: int = 640) -> Markup:
    """Each step a bar along the run's time; actions as ticks inside it; waits over 1 s hatched."""
    if not view.steps:
        return Markup("")
    total = max(max(s.start_ms + s.duration_ms for s in view.steps), 1.0)
    label_w, row_h = 150, 26
    scale = (width - label_w - 10) / total
    rows = []
    for i, step in enumerate(view.steps):
        y = i * row_h + 4
        x, w = label_w + step.start_ms * scale, max(step.duration_ms * scale, 2)
        heat = max((f.severity for f in view.findings_at(step.idx)),
                   key=lambda s: ["", "info", "low", "medium", "high", "critical"].index(s), default="")
        ticks = "".join(
            f'<line x1="{label_w + a.at_ms * scale:.1f}" x2="{label_w + a.at_ms * scale:.1f}" '
            f'y1="{y + 2}" y2="{y + row_h - 8}" stroke="#1f2937" stroke-width="1.5"/>'
            + (f'<rect x="{label_w + a.at_ms * scale:.1f}" y="{y + row_h - 10}" '
               f'width="{max((a.answer_ms or 0) * scale, 1):.1f}" height="3" fill="#c0362c"/>'
               if (a.answer_ms or 0) > 1000 else "")
            for a in view.actions_at(step.idx))
        rows.append(f'<g><title>{escape(step.name)}: {step.duration_ms / 1000:.1f} s, {step.clicks} clicks'
                    f'</title><text x="0" y="{y + 14}">{step.idx}. {escape(step.name[:22])}</text>'
                    f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row_h - 8}" rx="3" '
                    f'fill="{HEAT[heat]}" stroke="#94a3b8"/>{ticks}'
                    f'<text x="{min(x + w + 4, width - 40):.1f}" y="{y + 14}">{step.duration_ms / 1000:.1f} s'
                    f'</text></g>')
    height = len(view.steps) * row_h + 8
    label = escape(f"Step timeline of {view.run.scenario} on {view.run.viewport}: "
                   f"{len(view.steps)} steps over {total / 1000:.1f} s")
    return Markup(f'<svg class="waterfall" viewBox="0 0 {width} {height}" role="img" '
                  f'aria-label="{label}">{"".join(rows)}</svg>')
