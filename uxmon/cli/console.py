"""What the terminal shows while a batch runs and after: live progress, then a table of runs."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.live import Live
from rich.markup import escape
from rich.table import Table

from ..records import RunRecord
from ..records.text import terminal_safe
from ..report.failure import Failure, failure_of_record
from ..report.times import seconds
from ..run.plan import Job
from ..run.runner import Hooks

if TYPE_CHECKING:
    from ..gate import Verdict
    from ..history import JourneyTrend
    from ..run.pipeline import BatchResult

OUTCOME_STYLE = {"passed": "green", "failed": "bold red", "error": "yellow"}


def safe(text: object) -> str:
    """Site and scenario text for the terminal: never read as markup, escapes shown, not obeyed."""
    return escape(terminal_safe(str(text)))


def plain(text: object) -> str:
    """The same, for lines printed with ``markup=False``."""
    return terminal_safe(str(text))


def outcome_text(record: RunRecord) -> str:
    text = f"[{OUTCOME_STYLE.get(record.outcome, '')}]{record.outcome}[/]"
    return text + (" [magenta](flaky)[/]" if record.flaky else "")


class Progress:
    """Shows runs as they start and finish: a live table on a terminal, plain lines otherwise."""

    def __init__(self, console: Console, total: int) -> None:
        self.console = console
        self.total = total
        self.done = 0
        self.rows: dict[str, tuple[Job, str]] = {}
        self._lock = threading.Lock()
        self._live: Live | None = None

    def __enter__(self) -> Progress:
        if self.console.is_terminal:
            self._live = Live(self._table(), console=self.console, refresh_per_second=8,
                              transient=True)
            self._live.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._live is not None:
            self._live.__exit__(None, None, None)

    def hooks(self) -> Hooks:
        return Hooks(on_start=self.started, on_retry=self.retrying, on_done=self.finished)

    def started(self, job: Job) -> None:
        self._set(job, "[cyan]running…[/]")

    def retrying(self, job: Job, record: RunRecord) -> None:
        self._set(job, f"[yellow]retrying after: {safe(record.reason[:60])}[/]")
        if self._live is None:
            self.console.print(plain(f"  ↻ {job.scenario.name} · {job.viewport.name}: retrying "
                                     f"(attempt {record.attempt} errored: {record.reason})"), markup=False)

    def finished(self, record: RunRecord) -> None:
        with self._lock:
            self.done += 1
            done = self.done
        job = self.rows[record.run_id][0]
        detail = f"{len(record.steps)} steps, {record.clicks} clicks, {times_text(record)}"
        self._set(job, f"{outcome_text(record)} · {detail}")
        if self._live is None:
            line = f"[{done}/{self.total}] {record.scenario} · {record.viewport.name}: " \
                   f"{record.outcome}{' (flaky)' if record.flaky else ''} · {detail}"
            failure = failure_of_record(record)
            if failure is not None or record.outcome != "passed":
                line += f" · {failure.sentence if failure else record.reason}"
            self.console.print(plain(line), markup=False, highlight=False)

    def _set(self, job: Job, status: str) -> None:
        with self._lock:
            self.rows[job.run_id] = (job, status)
        if self._live is not None:
            self._live.update(self._table())

    def _table(self) -> Table:
        table = Table(title=f"uxmon · {self.done}/{self.total} runs done", title_justify="left")
        table.add_column("Scenario")
        table.add_column("Viewport")
        table.add_column("Status")
        for job, status in self.rows.values():
            table.add_row(safe(job.scenario.name), safe(job.viewport.name), status)
        return table


SEVERITY_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan", "info": "dim"}


def score_text(record: RunRecord) -> str:
    if record.outcome == "error":
        return "—"
    score = record.friction_score
    style = "red" if score >= 50 else "yellow" if score >= 15 else "green"
    return f"[{style}]{score:.0f}[/]"


def times_text(record: RunRecord) -> str:
    """'time to goal 3.4 s, run time 3.5 s' (passed) or 'run time 13.1 s' — the report's names."""
    goal = record.time_to_complete_ms
    return (f"time to goal {seconds(goal)}, " if goal is not None else "") + \
        f"run time {seconds(record.duration_ms)}"


def findings_text(record: RunRecord, failure: Failure | None = None) -> str:
    """What the customer met (a failed run), or the worst finding in words; and how many more."""
    if record.outcome == "error":
        return safe(record.reason)
    shown = [f for f in record.findings if f.severity != "info"]
    if failure is not None:
        more = f" [dim]({len(shown)} finding{'s' if len(shown) != 1 else ''})[/]" if shown else ""
        return f"[red]{safe(failure.sentence)}[/]{more}"
    if not shown:
        return "[green]no friction found[/]"
    top = shown[0]
    more = f" [dim](+{len(shown) - 1} more)[/]" if len(shown) > 1 else ""
    return f"[{SEVERITY_STYLE[top.severity]}]{top.severity}[/] {safe(top.title)}{more}"


def results_table(records: Sequence[RunRecord]) -> Table:
    table = Table(title="Runs", title_justify="left")
    for name, justify in (("Scenario", "left"), ("Viewport", "left"), ("Outcome", "left"),
                          ("Score", "right"), ("Steps", "right"), ("Clicks", "right"),
                          ("Time to goal", "right"), ("Run time", "right")):
        table.add_column(name, justify=justify, no_wrap=True)  # type: ignore[arg-type]
    table.add_column("Friction", min_width=40, ratio=1)
    for r in records:
        table.add_row(safe(r.scenario), safe(r.viewport.name), outcome_text(r), score_text(r),
                      str(len(r.steps)), str(r.clicks), seconds(r.time_to_complete_ms),
                      seconds(r.duration_ms), findings_text(r, failure_of_record(r)))
    return table


def print_failures(console: Console, records: Sequence[RunRecord], folder: Path) -> None:
    """Each failed run: what the customer met, then (indented) the wait, Playwright's words
    and the command that replays its trace."""
    for r in records:
        failure = failure_of_record(r)
        if failure is None:
            continue
        console.print(plain(f"✖ {r.scenario} · {r.viewport.name}: {failure.sentence}"), markup=False,
                      highlight=False, soft_wrap=True)
        if failure.wait_sentence and failure.stopped_ms is not None:
            console.print(plain(f"    The customer met it after {seconds(failure.stopped_ms)}; "
                                f"{failure.wait_sentence}."), markup=False, highlight=False, soft_wrap=True)
        console.print(plain(f"    Technical reason: {failure.technical}"), markup=False, highlight=False,
                      soft_wrap=True, style="dim")
        if r.trace:
            console.print(plain(f"    Replay: playwright show-trace {folder / 'runs' / r.run_id / r.trace}"),
                          markup=False, highlight=False, soft_wrap=True, style="dim")


def print_result(console: Console, result: BatchResult) -> None:
    for error in result.load_errors:
        console.print(f"[red]Scenario file did not load:[/] {safe(error)}", highlight=False)
    if result.records:
        console.print(results_table(result.records))
        print_failures(console, result.records, result.folder)
    print_batch_notes(console, result)
    print_history(console, result)
    console.print(f"Results: {safe(result.folder / 'index.html')}", highlight=False, soft_wrap=True)


def print_batch_notes(console: Console, result: BatchResult) -> None:
    """What kept the batch from being whole: a signal, its deadline, a full disk, capped workers."""
    for warning in result.warnings:
        console.print(f"[yellow]Warning:[/] {safe(warning)}", highlight=False, soft_wrap=True)
    if result.stopped:
        left = f"; {len(result.not_started)} run(s) did not start" if result.not_started else ""
        console.print(f"[yellow]Stopped early:[/] {safe(result.stopped)}{left}. What finished is kept.",
                      highlight=False, soft_wrap=True)
    if result.storage_error:
        console.print(f"[red]Error:[/] {safe(result.storage_error)}: free some space; what fitted is "
                      "kept", highlight=False, soft_wrap=True)
    for record in result.records:
        for note in record.notes:
            console.print(f"[yellow]Note:[/] {safe(record.scenario)} · {safe(record.viewport.name)}: "
                          f"{safe(note)}", highlight=False, soft_wrap=True)


def print_history(console: Console, result: BatchResult) -> None:
    """What changed since the last batch: regressions, new and fixed findings."""
    if result.history_warning:
        console.print(f"[yellow]Warning:[/] {safe(result.history_warning)}", highlight=False, soft_wrap=True)
    history = result.history
    if history is None or history.previous is None:
        return
    for trend in history.regressions:
        console.print(f"[red]Regression:[/] {safe(trend.sentence())}", highlight=False)
    status = history.findings
    console.print(f"Since the last batch: {len(status.new)} new, {len(status.still)} still there, "
                  f"{len(status.fixed)} fixed", highlight=False)
    for finding in status.new[:5]:
        console.print(f"  new {finding.severity}: {safe(finding.title)} ({safe(finding.scenario)}, "
                      f"{safe(finding.viewport)})",
                      highlight=False, soft_wrap=True)


def print_trends(console: Console, where: str, batches: int, trends: Sequence[JourneyTrend]) -> None:
    """One line per journey: how often it passes, how long it takes, against its usual."""
    console.print(f"History: {where} · {batches} batch(es)", highlight=False, soft_wrap=True)
    if not trends:
        console.print("No runs recorded yet: run `uxmon run` or `uxmon demo` first.")
        return
    table = Table(title="Journeys", title_justify="left")
    for name, justify in (("Scenario", "left"), ("Viewport", "left"), ("Runs", "right"),
                          ("Success", "right"), ("Median", "right"), ("p90", "right"),
                          ("Clicks", "right"), ("Score", "right"), ("Latest against its usual", "left")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for t in sorted(trends, key=lambda t: (t.scenario, t.viewport)):
        table.add_row(safe(t.scenario), safe(t.viewport), str(t.runs), f"{t.success_rate:.0%}",
                      _s(t.median_s), _s(t.p90_s), _n(t.median_clicks), _n(t.median_score),
                      ("[red]" if t.regression else "") + safe(t.sentence()))
    console.print(table)


def _s(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f} s"


def _n(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


LEVEL_STYLE = {"error": "[red]error[/]", "warn": "[yellow]warn[/] "}


def print_verdict(console: Console, verdict: Verdict) -> None:
    """The gate's verdict: one line, then each error and warning with where it is."""
    style = {"failed": "bold red", "unmeasured": "yellow", "passed": "bold green"}[verdict.result]
    console.print(f"[{style}]{escape(verdict.headline())}[/]", soft_wrap=True)
    base = verdict.baseline
    said = base.describe() if base else "none"
    console.print("Baseline: " + escape(said), soft_wrap=True)
    for note in verdict.notes:
        console.print(f"  {escape(note)}", soft_wrap=True)
    for check in verdict.checks:
        where = f" ({check.file}:{check.line})" if check.file and check.line else ""
        console.print(f"  {LEVEL_STYLE[check.level]} {check.rule:<15} {escape(check.where)}: "
                      f"{escape(check.message)}{escape(where)}", soft_wrap=True, highlight=False)
