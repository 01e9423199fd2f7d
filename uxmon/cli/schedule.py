"""``uxmon schedule``: the scheduler service in the foreground (systemd, Docker, Kubernetes)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..config import Config, load_config
from ..run.pipeline import EXIT_OK, EXIT_USAGE
from .app import cli, console, err_console, escape

if TYPE_CHECKING:
    from ..schedule.jobs import Job
    from ..schedule.settings import SchedulerSettings


@cli.command()
@click.option("-c", "--config", "config_file", type=click.Path(path_type=Path),
              help="uxmon.toml (or pyproject.toml) with the [[schedule]] entries.")
@click.option("--dry-run", is_flag=True, help="Print each entry's next 5 fire times, then exit.")
@click.option("--health-addr", metavar="HOST:PORT",
              help="Serve /livez /readyz /metrics /status here ('off': not at all). Default 127.0.0.1:9464.")
@click.option("--queue", is_flag=True,
              help="Put each firing's runs on the fleet's queue (PostgreSQL) for `uxmon worker` "
                   "processes on any machine, instead of running them here.")
def schedule(config_file: Path | None, dry_run: bool, health_addr: str | None, queue: bool) -> int:
    """Run the [[schedule]] entries until stopped (SIGTERM or Ctrl-C: a clean stop, exit 0)."""
    from ..schedule.jobs import prepare
    from ..schedule.serve import dry_run as dry_run_text
    from ..schedule.serve import serve
    from ..schedule.settings import entries, scheduler_settings

    config = load_config(config_file)
    found = entries(config)
    if not found:
        where = config.source or "no config file was found"
        problem = f"{where}: no [[schedule]] entries (docs/scheduling.md)"
        err_console.print("[red]Error:[/] " + escape(problem))
        return EXIT_USAGE
    jobs = prepare(config, found)
    if dry_run:
        console.print(dry_run_text(jobs), markup=False, highlight=False, soft_wrap=True)
        return EXIT_OK
    settings = scheduler_settings(config)
    if queue:
        from .fleet import fleet_ready

        problem = fleet_ready(config)
        if problem:
            err_console.print("[red]Error:[/] " + escape(problem))
            return EXIT_USAGE
    for job in jobs:
        if job.warning:
            text = f"[[schedule]] {job.entry.name!r}: {job.warning}"
            err_console.print("[yellow]Warning:[/] " + escape(text))
    _log_to_stderr()
    addr = health_addr if health_addr is not None else settings.health_addr
    try:
        if queue:
            return _serve_queue(config, jobs, settings, addr)
        return serve(config, jobs, settings, addr)
    except OSError as exc:  # the health port is taken, or not ours to bind
        err_console.print("[red]Error:[/] " + escape(f"cannot serve health on {addr}: {exc.strerror or exc}"))
        return EXIT_USAGE


def _serve_queue(config: Config, jobs: list[Job], settings: SchedulerSettings, addr: str) -> int:
    """The service, its firings put on the fleet's queue (deduplicated by the database)."""
    from ..fleet.launch import QueueLauncher
    from ..fleet.queue import build_app
    from ..fleet.settings import fleet_settings
    from ..history.store import HistoryStore, database_url
    from ..schedule.serve import serve

    app = build_app(config, fleet_settings(config))
    app.open()
    try:
        with HistoryStore(database_url(config.db, config.path(config.output))) as store:
            return serve(config, jobs, settings, addr, launcher=QueueLauncher(config, app, store))
    finally:
        app.close()


def _log_to_stderr() -> None:
    """One line per event, with time and level: what journald and `kubectl logs` show."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for name in ("uxmon.schedule", "uxmon.notify", "uxmon.fleet"):
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    logging.getLogger("apscheduler").setLevel(logging.ERROR)  # ours says the same, with the reason
