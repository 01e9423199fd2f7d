"""``uxmon run``, ``uxmon demo`` and ``uxmon list``: the commands that walk journeys or find them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from ..config import Config, load_config
from ..history.rows import Origin
from ..run.pipeline import EXIT_NOT_MEASURED, EXIT_OK, BatchOptions, BatchResult, Plan
from ..run.plan import JobFilter
from .app import cli, console, err_console, escape


def run_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The options ``run`` and ``demo`` share."""
    options = [
        click.option("-c", "--config", "config_file", type=click.Path(path_type=Path),
                     help="uxmon.toml (or pyproject.toml) to use instead of the one found."),
        click.option("-v", "--viewport", "viewports", multiple=True,
                     help="Viewport profile (repeatable): desktop, mobile, mobile-slow4g or your own."),
        click.option("-w", "--workers", type=click.IntRange(min=1),
                     help="Browsers in parallel (held to what this machine's cores and memory allow)."),
        click.option("--no-worker-cap", is_flag=True,
                     help="Use as many workers as asked, even past what this machine holds."),
        click.option("--retries", type=click.IntRange(min=0), help="Retries for runs that errored."),
        click.option("--timeout", type=click.FloatRange(min=0, min_open=True),
                     help="Seconds one run may take."),
        click.option("-o", "--output", help="Output folder (default reports/)."),
        click.option("-k", "--scenario", "names", multiple=True,
                     help="Only scenarios whose name contains this (repeatable)."),
        click.option("-t", "--tag", "tags", multiple=True, help="Only scenarios with this tag."),
        click.option("--repeat", type=click.IntRange(min=1), default=1, show_default=True,
                     help="Run each scenario and viewport this many times."),
        click.option("--trace", type=click.Choice(["on-failure", "always", "off"]),
                     help="When to keep a Playwright trace."),
        click.option("--no-screenshots", is_flag=True, help="Do not keep step pictures."),
        click.option("--pace", type=click.Choice(["human", "robot"]),
                     help="Customer pace: 'human' (default) looks at each new page and gives each "
                          "press a moment to be answered; 'robot' goes at machine speed."),
        click.option("--headed", is_flag=True, help="Show the browser window."),
        click.option("--label", default="", envvar="UXMON_LABEL",
                     help="Name this batch, e.g. main (`check --baseline-label main` compares with it)."),
        click.option("--git-sha", default="", envvar="GITHUB_SHA",
                     help="The commit measured (default: $GITHUB_SHA)."),
        click.option("--git-ref", default="", envvar=["GITHUB_HEAD_REF", "GITHUB_REF_NAME"],
                     help="The branch or tag measured (default: $GITHUB_HEAD_REF or $GITHUB_REF_NAME)."),
        click.option("--environment", default="", envvar="UXMON_ENVIRONMENT",
                     help="Where the site runs, e.g. staging or preview."),
        click.option("--shard", metavar="K/N",
                     help="Run only part K of N of the planned runs (auto/N: K from Kubernetes' "
                          "JOB_COMPLETION_INDEX); every shard makes the same split."),
        click.option("--plan", "plan_file", type=click.Path(path_type=Path, dir_okay=False),
                     help="With --shard: expected durations and shards from `uxmon plan`."),
        click.option("--batch-id", "into_batch", default="",
                     help="Write the runs into this batch (made if new): shards sharing one history "
                          "make one batch. Up to 40 letters, digits, '.', '_', '-'."),
    ]
    for option in reversed(options):
        func = option(func)
    return func



def cron_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Cron mode (docs/scheduling.md), and the hidden options ``uxmon schedule`` passes its children."""
    options = [
        click.option("-q", "--quiet", is_flag=True,
                     help="Print nothing when every run passed; a short summary otherwise (for cron)."),
        click.option("--lock", metavar="PATH|auto",
                     help="Skip this run if another holds the lock file (auto: <output>/.uxmon.lock)."),
        click.option("--lock-busy-exit", type=click.IntRange(0, 255), default=0, show_default=True,
                     help="Exit code when the lock is held."),
        click.option("--ping-url", metavar="URL",
                     help="Dead-man's switch: POST URL/start before, URL/<exit code> after."),
        click.option("--schedule-entry", hidden=True, default=""),
        click.option("--scheduled-at", hidden=True, default=""),
        click.option("--trigger", hidden=True, default=""),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@cli.command()
@click.argument("paths", nargs=-1)
@click.option("--base-url", help="The site to test, e.g. https://shop.example.com")
@click.option("--email", is_flag=True,
              help="Then email the batch's report to [email] to; a failed send is only a warning.")
@run_options
@cron_options
def run(paths: tuple[str, ...], base_url: str | None, email: bool, quiet: bool, lock: str | None,
        lock_busy_exit: int, ping_url: str | None, schedule_entry: str, scheduled_at: str, trigger: str,
        **opts: Any) -> int:
    """Run scenarios (files or folders; default: the config's 'scenarios')."""
    from ..schedule.cron import LockBusy, guarded

    config = config_from(opts, base_url=base_url)
    if email:
        from ..notify.email.send import ready_to_send

        ready_to_send(config)  # a configuration error stops before any browser starts
    options = batch_options(paths, opts)
    options.origin = Origin(schedule_entry, trigger or ("schedule" if schedule_entry else ""), scheduled_at)

    def batch() -> BatchResult:
        result = run_and_show(config, options, quiet=quiet)
        if email and result.batch_id:
            _email(config, result.batch_id, result.history is not None)
        return result  # the batch's verdict, whatever happened to the email

    try:
        return guarded(batch, config, lock=lock, ping_url=ping_url,
                       warn=lambda text: err_console.print("[yellow]Warning:[/] " + escape(text)))
    except LockBusy as exc:
        err_console.print(f"uxmon: {escape(str(exc))}")
        return lock_busy_exit


@cli.command()
@click.option("--serve", is_flag=True, help="Only serve the demo shop, until Ctrl-C.")
@click.option("--port", type=click.IntRange(0, 65535), help="Port for the demo shop.")
@click.option("--friction", default="", help="Friction switches, e.g. late-stock,slow:payment:1500")
@run_options
def demo(serve: bool, port: int | None, friction: str, **opts: Any) -> int:
    """Start the bundled demo shop and walk the bundled journeys on desktop and mobile."""
    from ..demo import DemoShop, FrictionError
    from ..demo.bundled import scenarios_path

    try:
        shop = DemoShop(port=port if port is not None else (8000 if serve else 0), friction=friction)
    except FrictionError as exc:
        raise click.BadParameter(str(exc), param_hint="--friction") from exc
    except OSError as exc:
        raise click.UsageError(f"cannot serve the demo shop on port {port}: {exc.strerror}") from exc
    if serve:
        console.print(f"Demo shop on {shop.url} (friction: {shop.friction}). Ctrl-C stops it.")
        try:
            shop.serve_forever()
        except KeyboardInterrupt:
            pass
        return EXIT_OK
    with shop:
        config = config_from(opts, base_url=shop.url, scenarios=(str(scenarios_path()),))
        console.print(f"Demo shop on {shop.url} (friction: {shop.friction})")
        return _run(config, batch_options((), opts))



@cli.command(name="list")
@click.argument("paths", nargs=-1)
@click.option("-c", "--config", "config_file", type=click.Path(path_type=Path))
def list_scenarios(paths: tuple[str, ...], config_file: Path | None) -> int:
    """List the scenarios found, and the files that did not load."""
    from rich.table import Table

    from ..run.pipeline import find_scenarios

    config = load_config(config_file)
    found, errors = find_scenarios(config, BatchOptions(paths=paths))
    table = Table(title=f"{len(found)} scenarios", title_justify="left")
    for column in ("Name", "Tags", "Viewports", "Where"):
        table.add_column(column)
    for s in found:
        views = ", ".join(s.viewports or config.viewports)
        table.add_row(s.name, ", ".join(s.tags), views, _short(s.location))
    console.print(table)
    for error in errors:
        err_console.print(f"[red]Did not load:[/] {escape(str(error))}")
    return EXIT_NOT_MEASURED if errors else EXIT_OK



def config_from(opts: dict[str, Any], **extra: Any) -> Config:
    overrides = {
        "viewports": list(opts["viewports"]) or None,
        "workers": opts["workers"], "retries": opts["retries"], "output": opts["output"],
        "cap_workers": False if opts["no_worker_cap"] else None,
        "trace": opts["trace"], "timeouts.run": opts["timeout"], "pace": opts["pace"],
        "screenshots": False if opts["no_screenshots"] else None,
    }
    base_url = extra.pop("base_url", None)
    if base_url:
        overrides["base_url"] = base_url
    config = load_config(opts["config_file"], overrides=overrides)
    if "scenarios" in extra:
        config = replace(config, **extra)
    return config


def batch_options(paths: Sequence[str], opts: dict[str, Any]) -> BatchOptions:
    from ..run.output import batch_id_problem

    batch_id = opts["into_batch"].strip()
    if batch_id and batch_id_problem(batch_id):
        raise click.BadParameter(batch_id_problem(batch_id), param_hint="'--batch-id'")
    return BatchOptions(paths=list(paths), names=opts["names"], tags=opts["tags"],
                        viewports=list(opts["viewports"]) or None, repeat=opts["repeat"],
                        headed=opts["headed"], label=opts["label"].strip(), git_sha=opts["git_sha"].strip(),
                        git_ref=opts["git_ref"].strip(), environment=opts["environment"].strip(),
                        part=_shard_filter(opts), batch_id=batch_id)


def _shard_filter(opts: dict[str, Any]) -> JobFilter | None:
    """``--shard K/N`` (with ``--plan FILE``): the part of the planned runs this process runs."""
    if not opts["shard"]:
        if opts["plan_file"] is not None:
            raise click.UsageError("--plan goes with --shard K/N")
        return None
    from ..fleet.plans import ShardFilter, read_plan
    from ..fleet.shards import ShardError, parse_shard

    try:
        plan = read_plan(opts["plan_file"]) if opts["plan_file"] is not None else None
        return ShardFilter(parse_shard(opts["shard"]), plan, str(opts["plan_file"] or ""))
    except ShardError as exc:
        raise click.BadParameter(str(exc), param_hint="'--shard' / '--plan'") from exc


def _run(config: Config, options: BatchOptions) -> int:
    return run_and_show(config, options).exit_code


def run_and_show(config: Config, options: BatchOptions, plan: Plan | None = None,
                 quiet: bool = False) -> BatchResult:
    """The one pipeline, printed: live progress and the table, or (quiet) only what went wrong."""
    from ..run.pipeline import plan_batch, run_batch
    from ..schedule.cron import summary_text
    from .console import Progress, print_result

    plan = plan or plan_batch(config, options)
    if plan.part and not quiet:
        console.print(escape(plan.part[0].upper() + plan.part[1:]), soft_wrap=True)
    if plan.part and not plan.jobs and not plan.load_errors:
        if quiet:
            console.print(escape(f"{plan.part}: nothing to run"), soft_wrap=True)
        return BatchResult("", config.path(config.output), [], part=plan.part)
    if quiet:
        result = run_batch(config, options, None, plan)
        if result.exit_code != EXIT_OK:
            console.print(summary_text(result), markup=False, highlight=False, soft_wrap=True)
        else:
            for warning in [result.history_warning, *result.warnings]:
                if warning:
                    err_console.print("[yellow]Warning:[/] " + escape(warning))
        return result
    with Progress(console, len(plan.jobs)) as progress:
        result = run_batch(config, options, progress.hooks(), plan)
    print_result(console, result)
    return result


def _email(config: Config, batch_id: str, kept: bool) -> None:
    from ..notify.email.send import Request, send_report
    from .digest import show

    if not kept:
        err_console.print("[yellow]Warning:[/] report not emailed: the batch is not in the history")
        return
    show(send_report(config, Request(batch_id=batch_id)))


def _short(location: str) -> str:
    try:
        return str(Path(location).relative_to(Path.cwd()))
    except ValueError:
        return location
