"""The gate's verdict as Markdown: the job summary (under 900 KiB) and the pull-request comment.

Failing and unmeasured journeys come first; what does not fit is counted and left to the
report artifact, because GitHub drops a step summary past 1 MiB and a comment past 65,536
characters. Every piece of site text goes through :func:`text.markdown`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from ..records.redact import mask_url
from ..version import __version__
from .journeys import JudgedJourney
from .rules import Check
from .text import markdown
from .verdict import Verdict

MAX_SUMMARY_BYTES = 900 * 1024
MAX_COMMENT_CHARS = 60_000
COMMENT_MARKER = "<!-- uxmon-check -->"
MAX_LISTED = 50  # errors or warnings listed before "and N more"

ICON = {"failed": "❌", "unmeasured": "⚠️", "passed": "✅"}


@dataclass(frozen=True)
class Links:
    """Where things are on GitHub, when known: file links and the run with the report artifact."""

    blob: str = ""        # https://github.com/owner/repo/blob/<sha>/
    run: str = ""         # the workflow run's page, where the artifact is
    artifact: str = ""    # the report artifact's name
    workspace: str = ""   # paths are shown relative to it

    def path(self, file: str) -> str:
        if self.workspace and file.startswith(self.workspace.rstrip("/") + "/"):
            return file[len(self.workspace.rstrip("/")) + 1:]
        return file


def render_summary(verdict: Verdict, links: Links, *, limit_bytes: int = MAX_SUMMARY_BYTES) -> str:
    return _render(verdict, links, lambda text: len(text.encode("utf-8")), limit_bytes)


def render_comment(verdict: Verdict, links: Links, *, limit_chars: int = MAX_COMMENT_CHARS) -> str:
    """One comment a workflow upserts: it starts with a hidden marker to find it again."""
    body = _render(verdict, links, len, limit_chars - len(COMMENT_MARKER) - 1)
    return f"{COMMENT_MARKER}\n{body}"


def _render(verdict: Verdict, links: Links, size: Callable[[str], int], limit: int) -> str:
    """Lines in order of importance, until the next one would pass ``limit``; the rest is counted."""
    sections = [_head(verdict, links), _listing("❌ Errors", verdict.errors, links),
                _listing("⚠️ Warnings", verdict.warnings, links), _table(verdict), _flaky(verdict)]
    reserve = size(f"\n\n_… 000000000 more lines not shown: the full report is in the report artifact "
                   f"`{markdown(links.artifact)}`._\n{_foot(links)}")
    out: list[str] = []
    used, left = 0, 0
    for line in (line for section in sections for line in section):
        cost = size(line) + 1
        if left or used + cost + reserve > limit:
            left += 1
        else:
            out.append(line)
            used += cost
    if left:
        where = "the report artifact" + (f" `{markdown(links.artifact)}`" if links.artifact else "")
        out += ["", f"_… {left} more lines not shown: the full report is in {where}._"]
    return "\n".join(out) + "\n" + _foot(links)


def _head(v: Verdict, links: Links) -> list[str]:
    b = v.batch
    sha = f"`{markdown(b.git_sha[:7])}`" if b.git_sha else ""
    label = f"label `{markdown(b.label)}`" if b.label else ""
    ref = markdown(b.git_ref) if b.git_ref != b.label else ""
    build = ", ".join(x for x in (label, ref, sha) if x)
    facts = [f"{v.runs} run{'s' * (v.runs != 1)} of {len(v.journeys)} journey{'s' * (len(v.journeys) != 1)}"
             + (f" on {markdown(mask_url(b.base_url))}" if b.base_url else ""),
             f"batch `{markdown(b.id)}`" + (f" ({build})" if build else ""),
             "baseline: " + (markdown(v.baseline.describe()) if v.baseline else "none")]
    if links.run:
        facts.append(f"[full report]({links.run})")
    lines = [f"## {ICON[v.result]} {markdown(v.headline(), 500)}", "", " · ".join(facts)]
    lines += [f"> {markdown(note, 500)}" for note in v.notes]
    return lines


def _listing(title: str, checks: list[Check], links: Links) -> list[str]:
    if not checks:
        return []
    lines = ["", f"### {title}", ""]
    for check in checks[:MAX_LISTED]:
        lines.append(f"- **{markdown(check.where, 200)}** · `{check.rule}` · {markdown(check.message, 500)}"
                     + _where(check, links))
    if len(checks) > MAX_LISTED:
        lines.append(f"- _and {len(checks) - MAX_LISTED} more: see the table and the report_")
    return lines


def _where(check: Check, links: Links) -> str:
    if not check.file:
        return ""
    path = links.path(check.file)
    label = markdown(f"{path}:{check.line}" if check.line else path, 200)
    if links.blob and not path.startswith("/"):
        anchor = f"#L{check.line}" if check.line else ""
        return f" ([{label}]({links.blob}{quote(path)}{anchor}))"
    return f" ({label})"


def _table(v: Verdict) -> list[str]:
    if not v.journeys:
        return []
    lines = ["", "### Journeys", "",
             "| Journey | Viewport | Result | Friction | New findings | Steps/clicks | Run time |",
             "|:--|:--|:--|--:|--:|--:|--:|"]
    order = {"failed": 0, "unmeasured": 1, "friction": 2, "warn": 3}
    mine: dict[tuple[str, str], list[Check]] = {}
    for check in v.checks:
        mine.setdefault((check.scenario, check.viewport), []).append(check)
    results = {j.key: _result(j, mine.get(j.key, [])) for j in v.journeys}
    for j in sorted(v.journeys, key=lambda j: (order.get(results[j.key][1], 4), j.scenario, j.viewport)):
        text = results[j.key][0]
        steps, clicks, seconds = j.shown()
        score = "—" if j.median_score is None else f"{j.median_score:.0f}"
        counts = "—" if steps is None else f"{_n(steps)} / {_n(clicks)}"
        time = "—" if seconds is None else f"{seconds:.1f} s"
        if len(j.runs) > 1 and seconds is not None:
            time += f" (median of {len(j.passed) or len(j.measured)})"
        lines.append(f"| {markdown(j.scenario, 120)} | {markdown(j.viewport, 60)} | {text} | {score} | "
                     f"{v.new_of(j)} | {counts} | {time} |")
    return lines


def _result(j: JudgedJourney, mine: list[Check]) -> tuple[str, str]:
    if j.result == "failed":
        return "❌ failed", "failed"
    if j.result == "unmeasured":
        return "⚠️ not measured", "unmeasured"
    if any(c.level == "error" for c in mine):
        return "❌ new friction", "friction"
    tail = " · 🔁 flaky" if j.flaky else ""
    if any(c.level == "warn" for c in mine):
        return f"⚠️ passed, {sum(c.level == 'warn' for c in mine)} warning(s){tail}", "warn"
    return f"✅ passed{tail}", "passed"


def _flaky(v: Verdict) -> list[str]:
    flaky = [(j, r) for j in v.journeys for r in j.flaky]
    if not flaky:
        return []
    lines = ["", "### 🔁 Flaky", "",
             "These passed only after a retry: the site or the scenario is unsteady.", ""]
    lines += [f"- {markdown(j.scenario, 120)} · {markdown(j.viewport, 60)}: passed on attempt {r.attempt} "
              f"of {r.attempt}" for j, r in flaky]
    return lines


def _foot(links: Links) -> str:
    where = f" · report artifact `{markdown(links.artifact)}`" if links.artifact else ""
    return f"\n<sub>uxmon {__version__}{where}</sub>\n"


def _n(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}".removesuffix(".0")

