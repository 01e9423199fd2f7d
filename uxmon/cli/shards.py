"""``uxmon plan`` and ``uxmon merge``: a batch split over shards, and its bundles brought back together."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..config import load_config
from ..run.pipeline import EXIT_NOT_MEASURED, EXIT_OK, EXIT_USAGE, BatchOptions
from .app import cli, console, err_console, escape


def _selection(func: Any) -> Any:
    """Which runs to plan: the same choices ``uxmon run`` takes, so the plan matches the shards."""
    options = [
        click.option("-c", "--config", "config_file", type=click.Path(path_type=Path),
                     help="uxmon.toml (or pyproject.toml) to use instead of the one found."),
        click.option("-v", "--viewport", "viewports", multiple=True, help="Viewport profile (repeatable)."),
        click.option("-k", "--scenario", "names", multiple=True,
                     help="Only scenarios whose name contains this (repeatable)."),
        click.option("-t", "--tag", "tags", multiple=True, help="Only scenarios with this tag."),
        click.option("--repeat", type=click.IntRange(min=1), default=1, show_default=True,
                     help="Each scenario and viewport this many times (as the shards will run them)."),
        click.option("--reports", help="Output folder whose history.sqlite to read (default reports/)."),
        click.option("--db", help="History database URL (default: the config's db or UXMON_DB)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@cli.command()
@click.argument("paths", nargs=-1)
@click.option("--shards", type=click.IntRange(min=1), required=True, help="How many shards will run.")
@click.option("-o", "--output", "out", type=click.Path(path_type=Path, dir_okay=False),
              default=Path("plan.json"), show_default=True,
              help="The plan file to write ('-': standard output).")
@_selection
def plan(paths: tuple[str, ...], shards: int, out: Path, config_file: Path | None,
         viewports: tuple[str, ...], names: tuple[str, ...], tags: tuple[str, ...], repeat: int,
         reports: str | None, db: str | None) -> int:
    """Split the planned runs over N shards by expected duration (for `uxmon run --shard K/N --plan`)."""
    from ..fleet.plans import make_plan, to_json, totals
    from ..fleet.shards import DEFAULT_S, duration_text
    from ..run.pipeline import plan_batch

    config = load_config(config_file, overrides={"output": reports, "db": db,
                                                 "viewports": list(viewports) or None})
    options = BatchOptions(paths=list(paths), names=names, tags=tags, viewports=list(viewports) or None,
                           repeat=repeat)
    planned = plan_batch(config, options)
    durations, source = _durations(config, {(j.scenario.name, j.viewport.name) for j in planned.jobs})
    made = make_plan(planned.jobs, shards, durations, source)
    for error in planned.load_errors:
        err_console.print(f"[red]Did not load:[/] {escape(str(error))}")
    if not _write(out, to_json(made)):
        return EXIT_USAGE
    known = sum(1 for r in made.runs if r.samples)
    how = (f"the expected durations of {known} from {source}" if known else
           f"no expected durations from {source}")
    err_console.print(escape(f"{len(made.runs)} runs over {shards} shards; {how}"
                             + (f"; the others {DEFAULT_S:g} s each" if known < len(made.runs) else "")
                             + (f" ({DEFAULT_S:g} s each)" if not known else "")), soft_wrap=True)
    for shard, runs, seconds in totals(made):
        err_console.print(f"  shard {shard}/{shards}: {runs} runs, about {duration_text(seconds)}")
    if str(out) != "-":
        err_console.print(f"Plan written to {escape(str(out))}: give every shard --shard K/{shards} "
                          f"--plan {escape(str(out))}", soft_wrap=True)
    return EXIT_NOT_MEASURED if planned.load_errors else EXIT_OK


def _durations(config: Any, journeys: set[tuple[str, str]]) -> tuple[dict[tuple[str, str], list[float]], str]:
    """Each journey's last run durations (ms) from the history, and where they came from."""
    from ..fleet.plans import HISTORY_RUNS
    from ..history import HistoryError, HistoryStore, database_url

    try:
        with HistoryStore(database_url(config.db, config.path(config.output))) as store:
            found = {j: [r.duration_ms for r in store.journey_runs(*j, limit=HISTORY_RUNS)]
                     for j in sorted(journeys)}
            return found, f"the last {HISTORY_RUNS} runs in {store.url}"
    except HistoryError as exc:
        err_console.print("[yellow]Warning:[/] " + escape(f"the history could not be read ({exc}); "
                                                          "every run is expected to take 60 s"))
        return {}, "no history"


def _write(out: Path, text: str) -> bool:
    if str(out) == "-":
        click.echo(text, nl=False)
        return True
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        problem = f"cannot write {out}: {exc.strerror or exc}"
        err_console.print("[red]Error:[/] " + escape(problem))
        return False
    return True


@cli.command()
@click.argument("bundles", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True,
              help="The output folder to merge into (batch folders, latest, history), as `run -o` makes.")
@click.option("-c", "--config", "config_file", type=click.Path(path_type=Path),
              help="uxmon.toml (or pyproject.toml) to use instead of the one found.")
@click.option("--db", help="History database URL (default: the config's db, UXMON_DB, or the output "
                           "folder's history.sqlite).")
@click.option("--batch-id", default="", help="The merged batch's id (default: the shards' common --batch-id, "
                                             "else a new one).")
def merge(bundles: tuple[Path, ...], output: str, config_file: Path | None, db: str | None,
          batch_id: str) -> int:
    """Merge shard bundles (batch folders) into one batch: one report, results.json and junit.xml."""
    from ..fleet.merge import MergeError
    from ..fleet.merge import merge as merge_bundles

    config = load_config(config_file, overrides={"output": output, "db": db})
    try:
        result, found = merge_bundles(config, bundles, batch_id.strip())
    except MergeError as exc:
        err_console.print("[red]Error:[/] " + escape(str(exc)))
        return EXIT_USAGE
    counts = {o: sum(r.outcome == o for r in result.records) for o in ("passed", "failed", "error")}
    console.print(f"Merged {len(found)} bundle(s) into batch {escape(result.batch_id)}: "
                  f"{len(result.records)} runs ({counts['passed']} passed, {counts['failed']} failed, "
                  f"{counts['error']} could not be measured)", soft_wrap=True)
    for warning in [*result.warnings, result.storage_error]:
        if warning:
            err_console.print("[yellow]Warning:[/] " + escape(warning))
    if result.history is None:
        err_console.print("[yellow]Warning:[/] " + escape(result.history_warning or "history not updated"))
    console.print(f"Report: {escape(str(result.folder / 'index.html'))}", soft_wrap=True)
    return EXIT_OK if result.history is not None else EXIT_NOT_MEASURED
