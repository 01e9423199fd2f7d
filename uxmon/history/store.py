"""The history store: every batch, run, step, action and finding, in SQLite or PostgreSQL.

SQLite (the default, ``reports/history.sqlite``) runs in WAL mode with a busy timeout, so a
cron run and a CI run writing at the same moment both land; each batch is written in one
transaction. PostgreSQL is used when the config's ``db`` (or ``UXMON_DB``) is a
``postgresql://`` URL.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, delete, event, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from ..records import Rect, RunRecord
from . import schema as s
from .rows import ActionRow, BatchRow, FindingRow, RunRow, StepRow

DEFAULT_FILE = "history.sqlite"


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
        args: dict[str, Any] = {"connect_args": {"timeout": 30}} if self.sqlite else {}
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
        try:
            with self.engine.begin() as conn:
                if not self.sqlite:
                    conn.execute(text("SELECT pg_advisory_xact_lock(73297)"))  # one migrator at a time
                version = s.current_version(conn)
                if version > s.SCHEMA_VERSION:
                    raise HistoryError(f"{self.url} was written by a newer uxmon (schema {version}); "
                                       f"this one knows up to {s.SCHEMA_VERSION}: upgrade uxmon")
                for number in range(version + 1, s.SCHEMA_VERSION + 1):
                    s.MIGRATIONS[number](conn)
                    s.set_version(conn, number)
        except OperationalError as exc:
            raise HistoryError(f"cannot open history database {self.url}: {exc.orig}") from exc

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
        except OperationalError as exc:
            raise HistoryError(f"cannot write to history database {self.url}: {exc.orig}") from exc

    def prune(self, keep_days: float, now: datetime | None = None) -> list[BatchRow]:
        """Delete batches older than ``keep_days`` with their runs, and their folders on disk."""
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
        for batch in old:
            if batch.folder and Path(batch.folder).is_dir():
                shutil.rmtree(batch.folder, ignore_errors=True)
        return old

    # ---- reading --------------------------------------------------------------------

    def batches(self, limit: int | None = None) -> list[BatchRow]:
        """Newest first."""
        query = select(s.batches).order_by(s.batches.c.started_at.desc(), s.batches.c.id.desc())
        with self.engine.connect() as conn:
            return [BatchRow.from_row(r) for r in conn.execute(query.limit(limit))]

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


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _insert_run(conn: Connection, batch: BatchRow, record: RunRecord) -> None:
    key = conn.execute(s.runs.insert().values(**RunRow.values_of(batch, record))).inserted_primary_key
    if key is None:
        raise HistoryError("the database did not return the new run's id")
    run_pk = key[0]
    if record.steps:
        conn.execute(s.steps.insert(), [
            {"run": run_pk, "idx": st.index, "name": st.name, "start_ms": st.start_ms,
             "duration_ms": st.duration_ms, "clicks": sum(a.kind in ("click", "tap") for a in st.actions),
             "keystrokes": sum(a.keystrokes for a in st.actions), "url": st.url, "screenshot": st.screenshot}
            for st in record.steps])
    acts = [{"run": run_pk, "seq": n, "step": st.index, "kind": a.kind, "at_ms": a.at_ms,
             "selector": a.target.selector, "text": a.target.text[:500], "answer_ms": a.answer_ms}
            for n, (st, a) in enumerate(((st, a) for st in record.steps for a in st.actions), start=1)]
    if acts:
        conn.execute(s.actions.insert(), acts)
    if record.findings:
        conn.execute(s.findings.insert(), [
            {"run": run_pk, "fingerprint": f.fingerprint, "rule": f.rule, "severity": f.severity,
             "step": f.step, "step_name": f.step_name, "title": f.title,
             "wasted_clicks": f.effort.clicks, "wasted_seconds": f.effort.seconds,
             "detail": f.detail[:2000], "cause": f.cause[:1000], "evidence_text": f.evidence.text[:1000],
             "screenshot": f.evidence.screenshot, **_box(f.evidence.picture_box)}
            for f in record.findings])


def _box(rect: Rect | None) -> dict[str, float | None]:
    values = (rect.x, rect.y, rect.width, rect.height) if rect is not None else (None,) * 4
    return dict(zip(s.V4_BOX_COLUMNS, values, strict=True))
