"""Charts as inline SVG: no script, no network, prints and scales. Numbers only, plus escaped
labels: nothing from the monitored site reaches the markup unescaped."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from ..history.rows import StepRow
from ..history.trends import Point
from .axes import time_labels, value_ticks
from .model import RunView

OUTCOME_COLOUR = {"passed": "#1a7f4b", "failed": "#c0362c", "error": "#b7791f"}
HEAT = {"": "#eef1f4", "info": "#eef1f4", "low": "#dbeafe", "medium": "#fde68a", "high": "#f9a87d",
        "critical": "#ef6b5b"}


def _colour(point: Point) -> str:
    return OUTCOME_COLOUR.get(point.outcome, "#555")


def sparkline(points: Sequence[Point], width: int = 120, height: int = 28) -> Markup:
    """Run time of the journey's recent runs; failed and errored runs as red/amber dots."""
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
    label = escape(f"Run time, last {len(points)} runs: {low:.1f} s to {high:.1f} s")
    return Markup(f'<svg class="spark" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
                  f'role="img" aria-label="{label}"><polyline points="{path}" fill="none" '
                  f'stroke="#4a5b6e" stroke-width="1.5"/>{dots}</svg>')


def line_chart(points: Sequence[Point], attribute: str, unit: str, top: float | None = None,
               width: int = 360, height: int = 130) -> Markup:
    """A labelled line over the runs for the history section ('seconds' or 'score').

    ``top`` fixes the value axis (the score is always 0–100, so charts compare); otherwise it
    runs from 0 to a round number above the highest value. Times on the x axis are labelled
    in the unit their span calls for.
    """
    if not points:
        return Markup("")
    values = [float(getattr(p, attribute)) for p in points]
    ticks = value_ticks(top if top is not None else max(max(values), 1.0))
    high = ticks[-1]
    left, right, bottom, upper = 34, 12, 22, 8
    plot = height - bottom - upper
    step = (width - left - right) / max(len(points) - 1, 1)
    xs = [left + i * step if len(points) > 1 else (left + width - right) / 2 for i in range(len(points))]
    xy = [(x, (height - bottom) - min(v, high) / high * plot) for x, v in zip(xs, values, strict=True)]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
    dots = "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{_colour(p)}">'
                   f'<title>{escape(p.started_at[:19].replace("T", " "))}: {v:.1f} {escape(unit)}</title>'
                   f'</circle>' for (x, y), p, v in zip(xy, points, values, strict=True))
    digits = 0 if all(float(t).is_integer() for t in ticks) else 1
    grid = "".join(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e5e7eb"/>'
                   f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{t:.{digits}f}</text>'
                   for t, y in ((t, (height - bottom) - t / high * plot) for t in ticks))
    last = len(points) - 1
    axis = "".join(
        f'<text x="{xs[i]:.1f}" y="{height - 5}" text-anchor="'
        f'{"start" if i == 0 and last else "end" if i == last and last else "middle"}">{escape(text)}</text>'
        for i, text in time_labels([p.started_at for p in points]))
    label = escape(f"{attribute} per run, {len(points)} runs from {points[0].started_at[:16]} to "
                   f"{points[-1].started_at[:16]}, latest {values[-1]:.1f} {unit}")
    return Markup(f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{label}">'
                  f'{grid}<polyline points="{line}" fill="none" stroke="#2f4b7c" stroke-width="2"/>{dots}'
                  f'{axis}</svg>')


def waterfall(view: RunView, width: int = 560) -> Markup:
    """Each step a bar along the run's time; actions as ticks inside it; waits over 1 s marked.

    A failed run's last bar ends where the customer was stopped (framed red, "✖ stopped");
    what uxmon then waited for nothing is a dashed grey bar of its own.
    """
    if not view.steps:
        return Markup("")
    failure = view.failure
    end = max(s.start_ms + s.duration_ms for s in view.steps)
    until = failure.stopped_ms if failure and failure.waited_ms and failure.stopped_ms else None
    total = max(end, view.run.duration_ms if until is not None else 0.0, 1.0)
    label_w, row_h = 136, 26
    scale = (width - label_w - 10) / total
    stopped = failure.step if failure else None
    rows = [_step_row(view, step, i * row_h + 4, label_w, row_h, scale, width,
                      step.idx == stopped, until) for i, step in enumerate(view.steps)]
    if failure and until is not None:
        y = len(view.steps) * row_h + 4
        x, w = label_w + until * scale, failure.waited_ms * scale
        rows.append(f'<g><title>{escape(failure.wait_sentence)}</title>'
                    f'<text x="0" y="{y + 14}">uxmon waited</text>'
                    f'<rect x="{x:.1f}" y="{y}" width="{max(w, 2):.1f}" height="{row_h - 8}" rx="3" '
                    f'fill="#f3f4f6" stroke="#9ca3af" stroke-dasharray="4 3"/>'
                    f'<text x="{min(x + 4, width - 90):.1f}" y="{y + 14}">{failure.waited_ms / 1000:.1f} s, '
                    f'for nothing</text></g>')
    height = len(rows) * row_h + 8
    label = escape(f"Step timeline of {view.run.scenario} on {view.run.viewport}: "
                   f"{len(view.steps)} steps over {end / 1000:.1f} s"
                   + (f", stopped at step {stopped}" if stopped is not None else "")
                   + (f"; {failure.wait_sentence}" if failure and failure.waited_ms else ""))
    return Markup(f'<svg class="waterfall" viewBox="0 0 {width} {height}" role="img" '
                  f'aria-label="{label}">{"".join(rows)}</svg>')


def _step_row(view: RunView, step: StepRow, y: float, label_w: int, row_h: int, scale: float,
              width: int, stopped: bool, until: float | None) -> str:
    """One step's bar; ``until`` cuts the bars where the customer was stopped (uxmon's wait after
    it is drawn apart)."""
    ms = view.step_ms(step)
    x, w = label_w + step.start_ms * scale, max(ms * scale, 2)
    heat = max((f.severity for f in view.findings_at(step.idx)),
               key=lambda s: ["", "info", "low", "medium", "high", "critical"].index(s), default="")
    ticks = "".join(
        f'<line x1="{label_w + a.at_ms * scale:.1f}" x2="{label_w + a.at_ms * scale:.1f}" '
        f'y1="{y + 2}" y2="{y + row_h - 8}" stroke="#1f2937" stroke-width="1.5"/>'
        + (f'<rect x="{label_w + a.at_ms * scale:.1f}" y="{y + row_h - 10}" '
           f'width="{max((a.answer_ms or 0) * scale, 1):.1f}" height="3" fill="#c0362c"/>'
           if (a.answer_ms or 0) > 1000 else "")
        for a in view.actions_at(step.idx) if until is None or a.at_ms <= until)
    frame = 'stroke="#b3261e" stroke-width="2.5"' if stopped else 'stroke="#94a3b8"'
    name = ("✖ " if stopped else "") + f"{step.idx}. {step.name[:18]}"
    bold = ' font-weight="700" fill="#8c1d18"' if stopped else ""
    return (f'<g><title>{escape(step.name)}: {ms / 1000:.1f} s, {step.clicks} clicks'
            f'{", where the customer was stopped" if stopped else ""}</title>'
            f'<text x="0" y="{y + 14}"{bold}>{escape(name)}</text>'
            f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row_h - 8}" rx="3" '
            f'fill="{HEAT[heat]}" {frame}/>{ticks}'
            f'<text {_duration_place(x, w, label_w, width)} y="{y + 14}">{ms / 1000:.1f} s</text></g>')


def _duration_place(x: float, w: float, label_w: int, width: int) -> str:
    """Where a bar's duration goes: after the bar, else before it, else inside on a white halo
    (never on top of the action ticks without one)."""
    if x + w + 4 < width - 40:
        return f'x="{x + w + 4:.1f}"'
    if x - label_w >= 44:
        return f'x="{x - 4:.1f}" text-anchor="end"'
    return (f'x="{x + w - 4:.1f}" text-anchor="end" paint-order="stroke" stroke="#fff" '
            f'stroke-width="3"')
