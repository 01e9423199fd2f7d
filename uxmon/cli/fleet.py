"""``uxmon worker``: take the fleet's jobs from the PostgreSQL queue (``uxmon schedule --queue`` fills it)."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from ..config import Config, load_config
from ..run.pipeline import EXIT_USAGE
from .app import cli, err_console, escape


@cli.command()
@click.option("-c", "--config", "config_file", type=click.Path(path_type=Path),
              help="uxmon.toml (or pyproject.toml): the site, timeouts and rules this worker runs with.")
@click.option("--concurrency", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes to start, each one run (one browser) at a time.")
@click.option("--db", help="History database URL, PostgreSQL (default: the config's db or UXMON_DB).")
@click.option("-o", "--output", help="Output folder for the runs' files (default reports/; share it "
                                     "between workers to have every picture in every report).")
@click.option("--name", default="", help="This worker's name in logs and the history (default host:pid).")
def worker(config_file: Path | None, concurrency: int, db: str | None, output: str | None, name: str) -> int:
    """Run journeys from the fleet's queue until stopped (SIGTERM: the run in flight may finish)."""
    from ..fleet.queue import FleetError, queue_dsn, require_procrastinate
    from ..fleet.settings import fleet_settings
    from ..fleet.worker import child_argv, run_worker, supervise

    config = load_config(config_file, overrides={"db": db, "output": output})
    try:
        queue_dsn(config.db)
        require_procrastinate()
    except FleetError as exc:
        err_console.print("[red]Error:[/] " + escape(str(exc)))
        return EXIT_USAGE
    log_to_stderr()
    if concurrency > 1:
        passthrough = [*(["-c", str(config_file)] if config_file else []), *(["--db", db] if db else []),
                       *(["-o", output] if output else [])]
        return supervise(child_argv(passthrough), concurrency)
    try:
        return run_worker(config, fleet_settings(config), name)
    except FleetError as exc:
        err_console.print("[red]Error:[/] " + escape(str(exc)))
        return EXIT_USAGE


def fleet_ready(config: Config) -> str:
    """'' when this config can carry a fleet, else why not."""
    from ..fleet.queue import FleetError, install_schema, queue_dsn, require_procrastinate

    try:
        queue_dsn(config.db)
        require_procrastinate()
        install_schema(config)
    except FleetError as exc:
        return str(exc)
    return ""


def log_to_stderr() -> None:
    """One line per event with time and level; procrastinate's own lines only when they warn."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for name in ("uxmon.fleet", "uxmon.notify", "uxmon.schedule"):
        logger = logging.getLogger(name)
        if not logger.handlers:
            logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    procrastinate = logging.getLogger("procrastinate")
    if not procrastinate.handlers:
        procrastinate.addHandler(handler)
    procrastinate.setLevel(logging.WARNING)
