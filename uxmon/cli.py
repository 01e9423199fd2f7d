"""The ``uxmon`` command: each subcommand parses, calls one function, prints, returns an exit code.

Exit codes: 0 every run passed · 1 a run failed · 2 usage or configuration error ·
3 nothing failed but something could not be measured.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from . import __version__
from .browser import BrowserNotFound
from .config import Config, load_config
from .config_schema import ConfigError
from .history import HistoryStore
from .pipeline import EXIT_NOT_MEASURED, EXIT_OK, EXIT_USAGE, BatchOptions, NothingToRun


def _console(**kwargs: object) -> Console:
    """A terminal's own width; 140 columns for logs (CI, cron mail), not 80."""
    probe = Console(**kwargs)  # type: ignore[arg-type]
    return probe if probe.is_terminal else Console(width=140, **kwargs)  # type: ignore[arg-type]


console = _console(highlight=False)
# Errors carry paths and commands people copy: never wrap them.
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def run_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The options ``run`` and ``demo`` share."""
    options = [
        click.option("-c", "--config", "config_file", type=click.Path(path_type=Path),
                     help="uxmon.toml (or pyproject.toml) to use instead of the one found."),
        click.option("-v", "--viewport", "viewports", multiple=True,
                     help="Viewport profile (repeatable): desktop, mobile, mobile-slow4g or your own."),
        click.option("-w", "--workers", type=click.IntRange(min=1), help="Browsers in parallel."),
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
        click.option("--headed", is_flag=True, help="Show the browser window."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="uxmon")
def cli() -> None:
    """uxmon walks customer journeys in a real browser and reports where customers suffer."""


@cli.command()
@click.argument("paths", nargs=-1)
@click.option("--base-url", help="The site to test, e.g. https://shop.example.com")
@run_options
def run(paths: tuple[str, ...], base_url: str | None, **opts: Any) -> int:
    """Run scenarios (files or folders; default: the config's 'scenarios')."""
    config = _config(opts, base_url=base_url)
    return _run(config, _batch_options(paths, opts))


@cli.command()
@click.option("--serve", is_flag=True, help="Only serve the demo shop, until Ctrl-C.")
@click.option("--port", type=click.IntRange(0, 65535), help="Port for the demo shop.")
@click.option("--friction", default="", help="Friction switches, e.g. late-stock,slow:payment:1500")
@run_options
def demo(serve: bool, port: int | None, friction: str, **opts: Any) -> int:
    """Start the bundled demo shop and walk the bundled journeys on desktop and mobile."""
    from .demo import DemoShop, FrictionError
    from .demo.bundled import scenarios_path

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
        config = _config(opts, base_url=shop.url, scenarios=(str(scenarios_path()),))
        console.print(f"Demo shop on {shop.url} (friction: {shop.friction})")
        return _run(config, _batch_options((), opts))


@cli.command(name="list")
@click.argument("paths", nargs=-1)
@click.option("-c", "--config", "config_file", type=click.Path(path_type=Path))
def list_scenarios(paths: tuple[str, ...], config_file: Path | None) -> int:
    """List the scenarios found, and the files that did not load."""
    from rich.table import Table

    from .pipeline import find_scenarios

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
        err_console.print(f"[red]Did not load:[/] {error}")
    return EXIT_NOT_MEASURED if errors else EXIT_OK


@cli.command()
def doctor() -> int:
    """Check Python, Playwright, the browser, the config and the output folder."""
    from .doctor import run_checks

    try:
        output = load_config().path(load_config().output)
    except ConfigError as exc:
        err_console.print(f"[red]Configuration error:[/] {exc}")
        output = None
    checks = run_checks(output)
    for check in checks:
        mark = "[green]✓[/]" if check.ok else "[red]✗[/]"
        console.print(f"{mark} {check.name:<11} {_escape(check.detail)}")
        if check.fix:
            console.print("  " + _escape(check.fix).replace("\n", "\n  "))
    return EXIT_OK if all(c.ok for c in checks) else EXIT_NOT_MEASURED


@cli.command(name="install-browser")
@click.option("--if-missing", is_flag=True, help="Do nothing when a usable browser is found.")
def install_browser_cmd(if_missing: bool) -> int:
    """Install Chromium: Playwright's download, or the system package on Debian/Ubuntu."""
    from .browser import install_browser
    from .doctor import run_checks

    if if_missing and all(c.ok for c in run_checks() if c.name == "browser"):
        console.print("A usable browser is already installed.")
        return EXIT_OK
    result = install_browser(log=lambda line: console.print(line, markup=False))
    (console if result.ok else err_console).print(result.message, markup=False)
    return EXIT_OK if result.ok else EXIT_NOT_MEASURED


@cli.command()
@click.option("-c", "--config", "config_file", type=click.Path(path_type=Path),
              help="uxmon.toml (or pyproject.toml) to use instead of the one found.")
@click.option("-o", "--output", help="Output folder whose history.sqlite to use (default reports/).")
@click.option("--db", help="History database URL (default: the config's db, UXMON_DB, or the "
                           "output folder's history.sqlite).")
@click.option("--keep-days", type=click.FloatRange(min=0),
              help="First delete runs older than this many days, with their files.")
def history(config_file: Path | None, output: str | None, db: str | None, keep_days: float | None) -> int:
    """Trends per scenario and viewport from the history store; prune it with --keep-days."""
    from .console import print_trends
    from .history import HistoryError, HistoryStore, batch_history, database_url, journey_trend

    config = load_config(config_file, overrides={"output": output, "db": db})
    try:
        with HistoryStore(database_url(config.db, config.path(config.output))) as store:
            if keep_days is not None:
                gone = store.prune(keep_days)
                _after_prune(store, config.path(config.output))
                console.print(f"Removed {len(gone)} batch(es) older than {keep_days:g} days "
                              f"({sum(b.runs for b in gone)} runs) and their folders.")
            latest = batch_history(store)
            trends = list(latest.trends.values()) if latest else []
            shown = {(t.scenario, t.viewport) for t in trends}
            trends += [journey_trend(store.journey_runs(s, v), []) for s, v in store.journeys()
                       if (s, v) not in shown]
            print_trends(console, store.url, len(store.batches()), trends)
    except HistoryError as exc:
        err_console.print("[red]Error:[/] " + _escape(str(exc)))
        return EXIT_NOT_MEASURED
    return EXIT_OK


@cli.command()
@click.option("-c", "--config", "config_file", type=click.Path(path_type=Path),
              help="uxmon.toml (or pyproject.toml) to use instead of the one found.")
@click.option("-o", "--output", help="Output folder (default reports/).")
@click.option("--db", help="History database URL (default: the config's db or the output folder's file).")
@click.option("--batch", "batch_id", help="The batch to draw (default: the newest).")
def report(config_file: Path | None, output: str | None, db: str | None, batch_id: str | None) -> int:
    """Draw the HTML report, results.json and junit.xml again from the history store alone."""
    from .history import HistoryError, HistoryStore, database_url
    from .report.publish import redraw

    config = load_config(config_file, overrides={"output": output, "db": db})
    out = config.path(config.output)
    try:
        with HistoryStore(database_url(config.db, out)) as store:
            page = redraw(store, out, batch_id)
    except HistoryError as exc:
        err_console.print("[red]Error:[/] " + _escape(str(exc)))
        return EXIT_NOT_MEASURED
    if page is None:
        err_console.print(f"[red]Error:[/] no batch {batch_id or ''} in the history: run `uxmon run` first")
        return EXIT_USAGE
    console.print(f"Report: {page}", soft_wrap=True)
    return EXIT_OK


def _after_prune(store: HistoryStore, out: Path) -> None:
    """Nothing may lead to a batch that is gone: the latest link and the top report page."""
    from .report.publish import redraw

    latest = out / "latest"
    if latest.is_symlink() and not latest.exists():
        latest.unlink()
    if redraw(store, out) is None:
        (out / "index.html").unlink(missing_ok=True)


def _config(opts: dict[str, Any], **extra: Any) -> Config:
    overrides = {
        "viewports": list(opts["viewports"]) or None,
        "workers": opts["workers"], "retries": opts["retries"], "output": opts["output"],
        "trace": opts["trace"], "timeouts.run": opts["timeout"],
        "screenshots": False if opts["no_screenshots"] else None,
    }
    base_url = extra.pop("base_url", None)
    if base_url:
        overrides["base_url"] = base_url
    config = load_config(opts["config_file"], overrides=overrides)
    if "scenarios" in extra:
        from dataclasses import replace

        config = replace(config, **extra)
    return config


def _batch_options(paths: Sequence[str], opts: dict[str, Any]) -> BatchOptions:
    return BatchOptions(paths=list(paths), names=opts["names"], tags=opts["tags"],
                        viewports=list(opts["viewports"]) or None, repeat=opts["repeat"],
                        headed=opts["headed"])


def _run(config: Config, options: BatchOptions) -> int:
    from .console import Progress, print_result
    from .pipeline import plan_batch, run_batch

    plan = plan_batch(config, options)
    with Progress(console, len(plan.jobs)) as progress:
        result = run_batch(config, options, progress.hooks(), plan)
    print_result(console, result)
    return result.exit_code


def _short(location: str) -> str:
    try:
        return str(Path(location).relative_to(Path.cwd()))
    except ValueError:
        return location


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code (tests call this; only ``run_cli`` exits)."""
    try:
        result = cli.main(args=list(argv) if argv is not None else None, prog_name="uxmon",
                          standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return EXIT_USAGE
    except (ConfigError, NothingToRun) as exc:
        err_console.print("[red]Error:[/] " + _escape(str(exc)))
        return EXIT_USAGE
    except BrowserNotFound as exc:
        err_console.print(_escape(str(exc)))
        return EXIT_NOT_MEASURED
    except click.exceptions.Abort:
        err_console.print("Interrupted.")
        return 130
    return result if isinstance(result, int) else EXIT_OK


def run_cli() -> None:
    sys.exit(main())
