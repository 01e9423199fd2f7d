"""The history store: every batch, run, step, action and finding, in SQLite or PostgreSQL.

SQLite (the default, ``reports/history.sqlite``) runs in WAL mode with a busy timeout, so a
cron run and a CI run writing at the same moment both land; each batch is written in one
transaction. PostgreSQL is used when the config's ``db`` (or ``UXMON_DB``) is a
``postgresql://`` URL.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, delete, event, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError

from ..records import RunRecord
from . import schema as s
from .rows import (
    ActionRow,
    BatchRow,
    FindingRow,
    RunRow,
    StepRow,
    action_values,
    finding_values,
    step_values,
)

DEFAULT_FILE = "history.sqlite"
# What a batch written by many processes takes from the first one that knows it.
FILLED_FIELDS = ("base_url", "entry", "trigger", "scheduled_at", "label", "git_sha", "git_ref", "environment")
BUSY_TIMEOUT_S = 30.0  # how long a writer waits for another one (a cron run and a CI run at once)


class HistoryError(Exception):
    """The history database cannot be opened or written: the message says which and why."""


def database_url(db: str, output: Path) -> str:
    """The config's ``db``, or the SQLite file in the output folder."""
    if db:
        return db
    output.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(output / DEFAULT_FILE).resolve()}"


class HistoryStore:
    """Open (and migrate) once, then write batches and read trends."""

    def __init__(self, url: str) -> None:
        try:
            parsed = make_url(url)
        except ArgumentError as exc:
            raise HistoryError(f"history database URL {url!r} is not a database URL") from exc
        self.url = parsed.render_as_string(hide_password=True)
        self.sqlite = parsed.get_backend_name() == "sqlite"
        args: dict[str, Any] = {"connect_args": {"timeout": BUSY_TIMEOUT_S}} if self.sqlite else {}
        try:
            self.engine: Engine = create_engine(parsed, **args)
        except Exception as exc:  # noqa: BLE001 - a missing driver, a bad option
            raise HistoryError(f"cannot use history database {self.url}: {exc}") from exc
        if self.sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._migrate()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- schema ---------------------------------------------------------------------

    def _migrate(self) -> None:
        """Bring the schema up to date, one process at a time: two cron runs (or the scheduler
        and its child) opening a new history at once must not both create or alter it."""
        try:
            if self.version() == s.SCHEMA_VERSION:
                return  # the usual case: no lock taken, readers never wait
            with self.engine.begin() as conn:
                if self.sqlite:  # the write lock first; pysqlite would begin only at the first write
                    conn.exec_driver_sql("BEGIN IMMEDIATE")
                else:
                    conn.execute(text("SELECT pg_advisory_xact_lock(73297)"))
                version = s.current_version(conn)  # again: another process may have just migrated
                if version > s.SCHEMA_VERSION:
                    raise HistoryError(f"{self.url} was written by a newer uxmon (schema {version}); "
                                       f"this one knows up to {s.SCHEMA_VERSION}: upgrade uxmon")
                for number in range(version + 1, s.SCHEMA_VERSION + 1):
                    s.MIGRATIONS[number](conn)
                    s.set_version(conn, number)
        except DatabaseError as exc:
            raise HistoryError(self.explain("cannot open", exc)) from exc

    def explain(self, doing: str, exc: DatabaseError) -> str:
        """What went wrong with the database, and for a broken file, how to get going again."""
        reason = str(exc.orig).strip() or type(exc.orig).__name__
        if "locked" in reason:
            return (f"{doing} history database {self.url}: another process kept it locked for "
                    f"{BUSY_TIMEOUT_S:g} s; this batch is added by the next run (or `uxmon report "
                    "--import FOLDER`)")
        if isinstance(exc, OperationalError) and not self.sqlite:
            return f"{doing} history database {self.url}: {reason}"
        if self.sqlite:
            path = make_url(self.url).database or "history.sqlite"
            return (f"{doing} history database {self.url}: the file is damaged or not a uxmon "
                    f"history ({reason}). Move it aside (mv '{path}' '{path}.broken'); the next run "
                    "starts a new history, and `uxmon report --import FOLDER` adds old batch folders")
        return f"{doing} history database {self.url}: {reason}"

    def version(self) -> int:
        with self.engine.connect() as conn:
            return s.current_version(conn)

    # ---- writing --------------------------------------------------------------------

    def save_batch(self, batch: BatchRow, records: Sequence[RunRecord]) -> None:
        """Write a batch and its runs in one transaction; saving it again replaces it."""
        try:
            with self.engine.begin() as conn:
                conn.execute(delete(s.batches).where(s.batches.c.id == batch.id))
                conn.execute(s.batches.insert().values(**batch.values()))
                for record in records:
                    _insert_run(conn, batch, record)
        except DatabaseError as exc:
            raise HistoryError(self.explain("cannot write to", exc)) from exc

    def add_runs(self, batch: BatchRow, records: Sequence[RunRecord]) -> BatchRow:
        """Add runs to a batch, made if it is new: idempotent by run id, the counts recomputed.

        Shards, merged bundles and queued jobs write one batch from many processes at once;
        a run saved again replaces itself, so a retried job or a bundle merged twice never
        counts twice. The batch keeps its earliest start and its first folder; fields it
        lacks (the base URL, the build, the schedule entry) are filled from ``batch``.
        """
        try:
            with self.engine.begin() as conn:
                self.lock_batch(conn, batch.id)
                conn.execute(self.insert_ignoring(s.batches).values(**batch.values()))
                ids = [r.run_id for r in records]
                if ids:
                    old = select(s.runs.c.id).where(s.runs.c.batch_id == batch.id, s.runs.c.run_id.in_(ids))
                    for table in (s.actions, s.steps, s.findings):
                        conn.execute(delete(table).where(table.c.run.in_(old)))
                    conn.execute(delete(s.runs).where(s.runs.c.batch_id == batch.id,
                                                      s.runs.c.run_id.in_(ids)))
                for record in records:
                    _insert_run(conn, batch, record)
                return self._recount(conn, batch)
        except DatabaseError as exc:
            raise HistoryError(self.explain("cannot write to", exc)) from exc

    def lock_batch(self, conn: Connection, batch_id: str) -> None:
        """One writer per batch at a time (SQLite has one writer anyway)."""
        if not self.sqlite:
            conn.execute(text("SELECT pg_advisory_xact_lock(73299, hashtext(:id))"), {"id": batch_id})

    def insert_ignoring(self, table: Any) -> Any:
        if self.sqlite:
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert

            return sqlite_insert(table).on_conflict_do_nothing()
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table).on_conflict_do_nothing()

    def _recount(self, conn: Connection, batch: BatchRow) -> BatchRow:
        stored = BatchRow.from_row(conn.execute(select(s.batches).where(s.batches.c.id == batch.id)).one())
        outcomes = [r[0] for r in conn.execute(select(s.runs.c.outcome).where(s.runs.c.batch_id == batch.id))]
        values: dict[str, Any] = {
            "runs": len(outcomes), "passed": outcomes.count("passed"), "failed": outcomes.count("failed"),
            "errors": outcomes.count("error"), "started_at": min(stored.started_at, batch.started_at)}
        for name in FILLED_FIELDS:
            if not getattr(stored, name) and getattr(batch, name):
                values[name] = getattr(batch, name)
        conn.execute(s.batches.update().where(s.batches.c.id == batch.id).values(**values))
        return replace(stored, **values)

    def prune(self, keep_days: float, output: Path, now: datetime | None = None) -> list[BatchRow]:
        """Delete batches older than ``keep_days`` with their runs, and their folders on disk.

        A folder is deleted only when it lies inside ``output`` and holds that batch's own
        batch.json: a copied reports folder, or a row naming any other directory, deletes nothing.
        """
        cutoff = ((now or datetime.now(UTC)) - timedelta(days=keep_days)).isoformat(timespec="seconds")
        with self.engine.begin() as conn:
            old = [BatchRow.from_row(r) for r in conn.execute(
                select(s.batches).where(s.batches.c.started_at < cutoff))]
            ids = [b.id for b in old]
            if ids:
                run_ids = select(s.runs.c.id).where(s.runs.c.batch_id.in_(ids))
                for table in (s.actions, s.steps, s.findings):
                    conn.execute(delete(table).where(table.c.run.in_(run_ids)))
                conn.execute(delete(s.runs).where(s.runs.c.batch_id.in_(ids)))
                conn.execute(delete(s.batches).where(s.batches.c.id.in_(ids)))
            _prune_fleet(conn, ids, cutoff)
        for batch in old:
            folder = batch_folder(output, batch)
            if folder is not None and _holds_batch(folder, batch.id):
                shutil.rmtree(folder, ignore_errors=True)
        return old

    def has_batch(self, batch_id: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(s.batches.c.id).where(s.batches.c.id == batch_id)).first() is not None

    # ---- reading --------------------------------------------------------------------

    def batches(self, limit: int | None = None) -> list[BatchRow]:
        """Newest first."""
        query = select(s.batches).order_by(s.batches.c.started_at.desc(), s.batches.c.id.desc())
        with self.engine.connect() as conn:
            return [BatchRow.from_row(r) for r in conn.execute(query.limit(limit))]

    def batch(self, batch_id: str) -> BatchRow | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(s.batches).where(s.batches.c.id == batch_id)).first()
        return BatchRow.from_row(row) if row is not None else None

    def newest_batch(self, *, label: str | None = None, environment: str | None = None,
                     before: BatchRow | None = None) -> BatchRow | None:
        """The newest batch with this label (and environment), older than ``before`` if given."""
        query = select(s.batches)
        if label is not None:
            query = query.where(s.batches.c.label == label)
        if environment is not None:
            query = query.where(s.batches.c.environment == environment)
        if before is not None:
            query = query.where(s.batches.c.id != before.id, s.batches.c.started_at <= before.started_at)
        query = query.order_by(s.batches.c.started_at.desc(), s.batches.c.id.desc()).limit(1)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return BatchRow.from_row(row) if row is not None else None

    def labels(self) -> list[str]:
        label = s.batches.c.label
        query = select(label).distinct().where(label != "").order_by(label)
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(query)]

    def runs_of_batch(self, batch_id: str) -> list[RunRow]:
        query = select(s.runs).where(s.runs.c.batch_id == batch_id).order_by(s.runs.c.id)
        with self.engine.connect() as conn:
            return [RunRow.from_row(r) for r in conn.execute(query)]

    def journey_runs(self, scenario: str, viewport: str, limit: int = 50,
                     before: str | None = None) -> list[RunRow]:
        """The last ``limit`` runs of one journey, oldest first (optionally before a time)."""
        query = select(s.runs).where(s.runs.c.scenario == scenario, s.runs.c.viewport == viewport)
        if before is not None:
            query = query.where(s.runs.c.started_at < before)
        query = query.order_by(s.runs.c.started_at.desc(), s.runs.c.id.desc()).limit(limit)
        with self.engine.connect() as conn:
            return [RunRow.from_row(r) for r in reversed(list(conn.execute(query)))]

    def journeys(self) -> list[tuple[str, str]]:
        query = select(s.runs.c.scenario, s.runs.c.viewport).distinct().order_by(
            s.runs.c.scenario, s.runs.c.viewport)
        with self.engine.connect() as conn:
            return [(r[0], r[1]) for r in conn.execute(query)]

    def findings_of_runs(self, run_ids: Iterable[int]) -> list[FindingRow]:
        ids = list(run_ids)
        if not ids:
            return []
        query = (select(s.findings, s.runs.c.scenario, s.runs.c.viewport)
                 .join(s.runs, s.runs.c.id == s.findings.c.run).where(s.findings.c.run.in_(ids)))
        with self.engine.connect() as conn:
            return [FindingRow.from_row(r) for r in conn.execute(query)]

    def steps_of_runs(self, run_ids: Iterable[int]) -> list[StepRow]:
        ids = list(run_ids)
        query = select(s.steps).where(s.steps.c.run.in_(ids)).order_by(s.steps.c.run, s.steps.c.idx)
        with self.engine.connect() as conn:
            return [StepRow.from_row(r) for r in conn.execute(query)] if ids else []

    def actions_of_runs(self, run_ids: Iterable[int]) -> list[ActionRow]:
        ids = list(run_ids)
        query = select(s.actions).where(s.actions.c.run.in_(ids)).order_by(s.actions.c.run, s.actions.c.seq)
        with self.engine.connect() as conn:
            return [ActionRow.from_row(r) for r in conn.execute(query)] if ids else []

    def fingerprints_before(self, scenario: str, viewport: str, before: str) -> set[str]:
        """Every fingerprint a journey's earlier runs ever had."""
        query = (select(s.findings.c.fingerprint).distinct()
                 .join(s.runs, s.runs.c.id == s.findings.c.run)
                 .where(s.runs.c.scenario == scenario, s.runs.c.viewport == viewport,
                        s.runs.c.started_at < before))
        with self.engine.connect() as conn:
            return {r[0] for r in conn.execute(query)}

    def count_runs(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(s.runs)).scalar_one())


def batch_folder(output: Path, batch: BatchRow) -> Path | None:
    """The batch's folder inside ``output`` (relative as stored; older rows stored it absolute)."""
    folder = Path(batch.folder) if batch.folder else Path(batch.id)
    folder = folder if folder.is_absolute() else output / folder
    try:
        folder.resolve().relative_to(output.resolve())
    except ValueError:
        return None
    return folder if folder.resolve() != output.resolve() else None


def _holds_batch(folder: Path, batch_id: str) -> bool:
    try:
        return json.loads((folder / "batch.json").read_text(encoding="utf-8")).get("batch_id") == batch_id
    except (OSError, ValueError, AttributeError):
        return False


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
    cursor.close()


def _insert_run(conn: Connection, batch: BatchRow, record: RunRecord) -> None:
    key = conn.execute(s.runs.insert().values(**RunRow.values_of(batch, record))).inserted_primary_key
    if key is None:
        raise HistoryError("the database did not return the new run's id")
    run_pk = key[0]
    for table, values in ((s.steps, step_values(run_pk, record)), (s.actions, action_values(run_pk, record)),
                          (s.findings, finding_values(run_pk, record))):
        if values:
            conn.execute(table.insert(), values)


def _prune_fleet(conn: Connection, ids: list[str], cutoff: str) -> None:
    """The fleet's bookkeeping of pruned batches goes with them, and so does any older than
    the cutoff that never made a batch (its deadline is long past)."""
    fb, fj, ff = s.fleet_batches, s.fleet_jobs, s.fleet_firings
    gone = select(fb.c.batch_id).where(fb.c.batch_id.in_(ids) | (fb.c.created_at < cutoff))
    conn.execute(delete(fj).where(fj.c.batch_id.in_(gone) | fj.c.batch_id.in_(ids)))
    conn.execute(delete(fb).where(fb.c.batch_id.in_(ids) | (fb.c.created_at < cutoff)))
    conn.execute(delete(ff).where(ff.c.batch_id.in_(ids) | (ff.c.scheduled_at < cutoff)))
