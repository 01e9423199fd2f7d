"""``uxmon run``, ``uxmon demo`` and ``uxmon list``: the commands that walk journeys or find them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from ..config import Config, load_config
from ..run.pipeline import EXIT_NOT_MEASURED, EXIT_OK, BatchOptions
from .app import cli, console, err_console


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



@cli.command()
@click.argument("paths", nargs=-1)
@click.option("--base-url", help="The site to test, e.g. https://shop.example.com")
@click.option("--email", is_flag=True,
              help="Then email the batch's report to [email] to; a failed send is only a warning.")
@run_options
def run(paths: tuple[str, ...], base_url: str | None, email: bool, **opts: Any) -> int:
    """Run scenarios (files or folders; default: the config's 'scenarios')."""
    config = config_from(opts, base_url=base_url)
    if email:
        from ..notify.email.send import ready_to_send

        ready_to_send(config)  # a configuration error stops before any browser starts
    return _run(config, batch_options(paths, opts), email=email)


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
        err_console.print(f"[red]Did not load:[/] {error}")
    return EXIT_NOT_MEASURED if errors else EXIT_OK



def config_from(opts: dict[str, Any], **extra: Any) -> Config:
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
        config = replace(config, **extra)
    return config


def batch_options(paths: Sequence[str], opts: dict[str, Any]) -> BatchOptions:
    return BatchOptions(paths=list(paths), names=opts["names"], tags=opts["tags"],
                        viewports=list(opts["viewports"]) or None, repeat=opts["repeat"],
                        headed=opts["headed"])


def _run(config: Config, options: BatchOptions, *, email: bool = False) -> int:
    from ..run.pipeline import plan_batch, run_batch
    from .console import Progress, print_result

    plan = plan_batch(config, options)
    with Progress(console, len(plan.jobs)) as progress:
        result = run_batch(config, options, progress.hooks(), plan)
    print_result(console, result)
    if email:
        _email(config, result.batch_id, result.history is not None)
    return result.exit_code  # the batch's verdict, whatever happened to the email


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
