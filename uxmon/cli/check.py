"""``uxmon check`` and ``uxmon baseline export``: the deploy gate and the baseline it compares with.

``check`` is ``run`` plus a verdict: it walks the journeys through the one pipeline (or takes
a stored batch with ``--batch``), judges the batch against budgets and a baseline, and on
GitHub Actions writes the job summary, annotations and step outputs.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..config import Config, load_config, with_overrides
from ..gate import BaselineChoice, BaselineError, GateInputError, GateSettings, Verdict, gate_settings
from ..gate.github import on_github
from ..run.pipeline import (
    EXIT_NOT_MEASURED,
    EXIT_USAGE,
    BatchOptions,
    BatchResult,
    find_scenarios,
    plan_batch,
)
from .app import cli, console, err_console, escape
from .runs import batch_options, config_from, run_and_show, run_options

if TYPE_CHECKING:
    from ..gate.baseline import Baseline
    from ..history import HistoryStore


def gate_options(func: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--batch", "batch_id",
                     help="Judge this batch from the history instead of running one."),
        click.option("--baseline", help="A baseline file from `uxmon baseline export`, or `previous` (the "
                                        "newest earlier batch with the same label and environment)."),
        click.option("--baseline-label", help="Compare with the newest batch with this label, e.g. main."),
        click.option("--fail-on-flaky", is_flag=True,
                     help="A run that passed only on a retry fails the gate."),
        click.option("--allow-unmeasured", is_flag=True,
                     help="Runs that could not be measured are a warning, not exit code 3."),
        click.option("--github/--no-github", default=None,
                     help="Write the job summary, annotations and outputs (default: on in GitHub Actions)."),
        click.option("--pr-comment", type=click.Path(path_type=Path),
                     help="Also write a pull-request comment body (Markdown) to this file."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@cli.command()
@click.argument("paths", nargs=-1)
@click.option("--base-url", help="The site to test, e.g. https://staging.example.com")
@run_options
@gate_options
def check(paths: tuple[str, ...], base_url: str | None, batch_id: str | None, **opts: Any) -> int:
    """Run scenarios and fail when customers would meet new friction (the deploy gate)."""
    from ..gate.load import read_baseline_file

    if batch_id and paths:
        raise click.UsageError("--batch judges a batch already in the history: "
                               "leave out the scenario paths")
    if batch_id and (opts["into_batch"] or opts["shard"]):
        raise click.UsageError("--batch judges a batch already in the history; --batch-id and --shard "
                               "are for runs: give one or the other")
    config = config_from(opts, base_url=base_url)
    choice = BaselineChoice.of(opts["baseline"], opts["baseline_label"])
    try:
        early = read_baseline_file(Path(choice.file)) if choice.file else None
        verdict: Verdict | None
        if batch_id:
            verdict = _judge_stored(config, batch_id, choice, opts)
        else:
            verdict = _run_and_judge(config, paths, choice, opts, early)
    except (BaselineError, GateInputError) as exc:
        err_console.print("[red]Error:[/] " + escape(str(exc)))
        return EXIT_USAGE
    if verdict is None:  # a shard with no runs: nothing to judge, nothing wrong
        return 0
    _tell(verdict, config, opts)
    return verdict.exit_code


def _settings(config: Config, opts: dict[str, Any], known: set[str]) -> GateSettings:
    return gate_settings(config, fail_on_flaky=opts["fail_on_flaky"], known=known)


def _run_and_judge(config: Config, paths: tuple[str, ...], choice: BaselineChoice, opts: dict[str, Any],
                   early: Baseline | None) -> Verdict | None:
    from ..gate.baseline import check_same_site
    from ..gate.load import verdict_for

    options = batch_options(paths, opts)
    every, _ = find_scenarios(config, BatchOptions(paths=options.paths))
    settings = _settings(config, opts, {s.name for s in every})
    if opts["retries"] is None:  # check retries errored runs once unless told otherwise
        config = with_overrides(config, retries=max(config.retries, settings.retries))
    plan = plan_batch(config, options)
    if early is not None:
        check_same_site(early, {(j.scenario.name, j.viewport.name) for j in plan.jobs})
    github = on_github(opts["github"], os.environ)
    token = secrets.token_hex(12)
    if github:  # site text printed while the journeys run must not be read as workflow commands
        click.echo(f"::stop-commands::{token}")
    try:
        result = run_and_show(config, options, plan)
    finally:
        if github:
            click.echo(f"::{token}::")
    if not result.batch_id:
        return None
    with _store_for(config, result) as store:
        return verdict_for(store, result.batch_id, settings, choice,
                           allow_unmeasured=opts["allow_unmeasured"], output=config.path(config.output))


def _store_for(config: Config, result: BatchResult) -> AbstractContextManager[HistoryStore]:
    """The history store, or a scratch one with this batch when the history could not be written."""
    from ..gate.load import scratch_store
    from ..history import BatchRow, HistoryStore, database_url

    if result.history is not None:
        return HistoryStore(database_url(config.db, config.path(config.output)))
    err_console.print("[yellow]Warning:[/] the gate judges this batch without its history: "
                      + escape(result.history_warning))
    row = BatchRow.of(result.batch_id, result.started_at, config.base_url, str(result.folder),
                      result.records)
    return scratch_store(row, result.records)


def _judge_stored(config: Config, batch_id: str, choice: BaselineChoice,
                  opts: dict[str, Any]) -> Verdict:
    from ..gate.load import verdict_for
    from ..history import HistoryError, HistoryStore, database_url

    try:
        with HistoryStore(database_url(config.db, config.path(config.output))) as store:
            known = {r.scenario for r in store.runs_of_batch(batch_id)}
            return verdict_for(store, batch_id, _settings(config, opts, known), choice,
                               allow_unmeasured=opts["allow_unmeasured"], output=config.path(config.output))
    except HistoryError as exc:
        raise GateInputError(str(exc)) from exc


def _tell(verdict: Verdict, config: Config, opts: dict[str, Any]) -> None:
    from ..gate.github import links_from, report_to_github
    from ..gate.summary import render_comment
    from .console import print_verdict

    print_verdict(console, verdict)
    links = links_from(os.environ)
    from ..history.store import batch_folder

    output = config.path(config.output)
    report_dir = str(batch_folder(output, verdict.batch) or verdict.batch.folder or output / verdict.batch.id)
    problems: list[str] = []
    if on_github(opts["github"], os.environ):
        lines, problems = report_to_github(verdict, links, report_dir, os.environ)
        for line in lines:
            click.echo(line)
    if opts["pr_comment"] is not None:
        try:
            opts["pr_comment"].write_text(render_comment(verdict, links), encoding="utf-8")
        except OSError as exc:
            problems.append(f"cannot write the pull-request comment to {opts['pr_comment']}: "
                            f"{exc.strerror or exc}")
    for problem in problems:
        err_console.print("[yellow]Warning:[/] " + escape(problem))


@cli.group()
def baseline() -> None:
    """Baselines for `uxmon check`: export one from the history, for CI without a shared database."""


@baseline.command(name="export")
@click.option("-c", "--config", "config_file", type=click.Path(path_type=Path),
              help="uxmon.toml (or pyproject.toml) to use instead of the one found.")
@click.option("-o", "--output", "out", type=click.Path(path_type=Path),
              default=Path("uxmon-baseline.json"), show_default=True,
              help="The file to write ('-' for standard output).")
@click.option("--reports", help="Output folder whose history.sqlite to use (default reports/).")
@click.option("--batch", "batch_id",
              help="The batch to export (default: the newest, or the newest with --label).")
@click.option("--label", help="Export the newest batch with this label, e.g. main.")
def export(config_file: Path | None, out: Path, reports: str | None, batch_id: str | None,
           label: str | None) -> int:
    """Write the newest batch (or the one named) as a baseline file for `uxmon check --baseline FILE`."""
    from ..gate.baseline import to_json
    from ..gate.load import stored_baseline
    from ..history import HistoryError, HistoryStore, database_url

    config = load_config(config_file, overrides={"output": reports})
    try:
        with HistoryStore(database_url(config.db, config.path(config.output))) as store:
            batch = store.batch(batch_id) if batch_id else store.newest_batch(label=label or None)
            if batch is None:
                what = f"batch {batch_id!r}" if batch_id else \
                    (f"batch labelled {label!r}" if label else "batch")
                err_console.print(f"[red]Error:[/] no {escape(what)} in the history at {escape(store.url)}")
                return EXIT_USAGE
            text = to_json(stored_baseline(store, batch, f"batch {batch.id}"))
    except HistoryError as exc:
        err_console.print("[red]Error:[/] " + escape(str(exc)))
        return EXIT_NOT_MEASURED
    if str(out) == "-":
        click.echo(text, nl=False)
        return 0
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        err_console.print(f"[red]Error:[/] cannot write {escape(str(out))}: "
                          + escape(exc.strerror or str(exc)))
        return EXIT_USAGE
    err_console.print(f"Baseline of batch {batch.id} written to {escape(str(out))}", soft_wrap=True)
    return 0
