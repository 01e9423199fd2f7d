"""The queue the fleet shares: procrastinate on the history's own PostgreSQL database.

The scheduler only defers jobs; workers run them. Both build the same app with the same task
names, so any uxmon on any machine that reaches the database can take part. procrastinate is
the optional extra ``uxmon[fleet]`` and is imported only here, when a fleet is asked for.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from ..config import Config
from .settings import FleetSettings, sweep_cron

if TYPE_CHECKING:
    from procrastinate import App

log = logging.getLogger("uxmon.fleet")
QUEUE = "uxmon"
RUN_TASK = "uxmon.run_journey"
FINISH_TASK = "uxmon.finish_batch"
SWEEP_TASK = "uxmon.sweep"
SCHEMA_LOCK = 73300  # advisory lock: one process installs the queue's tables at a time


class FleetError(Exception):
    """A fleet that cannot start (no PostgreSQL, no procrastinate); the message says what to do."""


def queue_dsn(db: str) -> str:
    """The history URL as libpq reads it; a FleetError unless it is PostgreSQL."""
    if not db:
        raise FleetError(_needs_postgres("no db is set, so the history is an SQLite file"))
    try:
        url = make_url(db)
    except ArgumentError as exc:
        raise FleetError("the history database URL (db, UXMON_DB) is not a database URL such as "
                         "postgresql+psycopg://user@host/uxmon") from exc
    if url.get_backend_name() != "postgresql":
        raise FleetError(_needs_postgres(f"the history is {url.get_backend_name()} "
                                         f"({url.render_as_string(hide_password=True)})"))
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _needs_postgres(why: str) -> str:
    return (f"a fleet needs PostgreSQL, and {why}: the scheduler and the workers share their queue "
            "and their results through the history database, which an SQLite file on one machine "
            "cannot be. Set db = \"postgresql+psycopg://user@host/uxmon\" in uxmon.toml (or UXMON_DB); "
            "on one machine, `uxmon schedule` without --queue runs the entries itself")


def require_procrastinate() -> None:
    try:
        import procrastinate  # noqa: F401
    except ImportError as exc:
        raise FleetError("the fleet runs on procrastinate, which is not installed: "
                         "pip install 'uxmon[fleet]'") from exc


def build_app(config: Config, settings: FleetSettings) -> App:
    """The app with uxmon's tasks (not opened yet)."""
    require_procrastinate()
    from procrastinate import App, PsycopgConnector

    from . import tasks

    dsn = queue_dsn(config.db)
    app = App(connector=PsycopgConnector(conninfo=dsn, min_size=1, max_size=5),
              periodic_defaults={"max_delay": max(60.0, settings.sweep_every_s * 2)})
    tasks.register(app, settings, sweep_cron(settings.sweep_every_s))
    return app


def install_schema(config: Config) -> bool:
    """procrastinate's tables in the history database, once; True when this call made them."""
    import psycopg
    from procrastinate.schema import SchemaManager

    try:
        with psycopg.connect(queue_dsn(config.db), autocommit=True) as conn:
            conn.execute(f"SELECT pg_advisory_lock({SCHEMA_LOCK})")
            try:
                row = conn.execute("SELECT to_regclass('procrastinate_jobs')").fetchone()
                if row is not None and row[0] is not None:
                    return False
                with conn.transaction():
                    conn.execute(SchemaManager.get_schema())
                log.info("made the queue's tables (procrastinate) in the history database")
                return True
            finally:
                conn.execute(f"SELECT pg_advisory_unlock({SCHEMA_LOCK})")
    except psycopg.Error as exc:
        raise FleetError(f"cannot set up the queue in the history database: {exc}".strip()) from exc


def job_args(values: dict[str, Any]) -> dict[str, Any]:
    """Job arguments are JSON: plain strings and numbers only."""
    return {k: v for k, v in values.items() if isinstance(v, str | int | float | bool)}
