"""What the worker fleet keeps in the store: claimed firings, queued batches and their runs.

Every change a worker makes to a batch happens in one transaction under the batch's lock, so
two runs ending at the same moment agree on which of them was the last (the one that has the
batch finished). Only PostgreSQL carries a fleet; the queries work on SQLite too (tests).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict

from sqlalchemy import Connection, func, select
from sqlalchemy.exc import DatabaseError

from . import schema as s
from .rows import FleetBatchRow, FleetJobRow
from .store import HistoryError, HistoryStore


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def claim_firing(store: HistoryStore, entry: str, scheduled_at: str, by: str) -> bool:
    """True for the one scheduler that claims this fire time of the entry; False for the others."""
    try:
        with store.engine.begin() as conn:
            done = conn.execute(store.insert_ignoring(s.fleet_firings).values(
                entry=entry, scheduled_at=scheduled_at, claimed_at=now_iso(), claimed_by=by)
                .returning(s.fleet_firings.c.entry))
            return done.first() is not None  # (a row count says nothing here on every driver)
    except DatabaseError as exc:
        raise HistoryError(store.explain("cannot write to", exc)) from exc


def create_batch(store: HistoryStore, batch: FleetBatchRow, jobs: Sequence[FleetJobRow]) -> None:
    try:
        with store.engine.begin() as conn:
            conn.execute(s.fleet_batches.insert().values(**asdict(batch)))
            if jobs:
                conn.execute(s.fleet_jobs.insert(), [asdict(j) for j in jobs])
            if batch.entry:
                conn.execute(s.fleet_firings.update().where(
                    s.fleet_firings.c.entry == batch.entry,
                    s.fleet_firings.c.scheduled_at == batch.scheduled_at).values(batch_id=batch.batch_id))
    except DatabaseError as exc:
        raise HistoryError(store.explain("cannot write to", exc)) from exc


def set_job_id(store: HistoryStore, batch_id: str, run_id: str, job_id: int) -> None:
    _update_job(store, batch_id, run_id, job_id=job_id)


def drop_job(store: HistoryStore, batch_id: str, run_id: str) -> None:
    """A run that was not queued after all (its journey still waits from an earlier firing)."""
    with store.engine.begin() as conn:
        conn.execute(s.fleet_jobs.delete().where(s.fleet_jobs.c.batch_id == batch_id,
                                                 s.fleet_jobs.c.run_id == run_id))
        conn.execute(s.fleet_batches.update().where(s.fleet_batches.c.batch_id == batch_id)
                     .values(runs=s.fleet_batches.c.runs - 1))


def job_started(store: HistoryStore, batch_id: str, run_id: str, worker: str, attempt: int) -> None:
    _update_job(store, batch_id, run_id, state="running", worker=worker, attempts=attempt,
                started_at=now_iso())


def job_queued_again(store: HistoryStore, batch_id: str, run_id: str) -> None:
    _update_job(store, batch_id, run_id, state="queued")


def job_done(store: HistoryStore, batch_id: str, run_id: str, outcome: str, record: str) -> bool:
    """Mark a run done; True when it was the batch's last, for the one caller that must finish it."""
    try:
        with store.engine.begin() as conn:
            store.lock_batch(conn, batch_id)
            conn.execute(s.fleet_jobs.update().where(
                s.fleet_jobs.c.batch_id == batch_id, s.fleet_jobs.c.run_id == run_id).values(
                state="done", outcome=outcome, record=record, finished_at=now_iso()))
            return _claim_finish(conn, batch_id)
    except DatabaseError as exc:
        raise HistoryError(store.explain("cannot write to", exc)) from exc


def claim_finish(store: HistoryStore, batch_id: str) -> bool:
    """True when every run is done and nobody has asked for the batch's finish yet."""
    with store.engine.begin() as conn:
        store.lock_batch(conn, batch_id)
        return _claim_finish(conn, batch_id)


def _claim_finish(conn: Connection, batch_id: str) -> bool:
    left = conn.execute(select(func.count()).select_from(s.fleet_jobs).where(
        s.fleet_jobs.c.batch_id == batch_id, s.fleet_jobs.c.state != "done")).scalar_one()
    if left:
        return False
    claimed = conn.execute(s.fleet_batches.update().where(
        s.fleet_batches.c.batch_id == batch_id, s.fleet_batches.c.finish_deferred_at == "",
        s.fleet_batches.c.finished_at == "").values(finish_deferred_at=now_iso()))
    return bool(claimed.rowcount)


def batch_finished(store: HistoryStore, batch_id: str, exit_code: int) -> None:
    with store.engine.begin() as conn:
        conn.execute(s.fleet_batches.update().where(s.fleet_batches.c.batch_id == batch_id)
                     .values(finished_at=now_iso(), exit_code=exit_code))


def release_finish(store: HistoryStore, batch_id: str) -> None:
    """The finish could not be asked for: let the sweep ask again."""
    with store.engine.begin() as conn:
        conn.execute(s.fleet_batches.update().where(s.fleet_batches.c.batch_id == batch_id)
                     .values(finish_deferred_at=""))


def fleet_batch(store: HistoryStore, batch_id: str) -> FleetBatchRow | None:
    with store.engine.connect() as conn:
        row = conn.execute(select(s.fleet_batches).where(s.fleet_batches.c.batch_id == batch_id)).first()
    return FleetBatchRow.from_row(row) if row is not None else None


def fleet_batches(store: HistoryStore, unfinished: bool = False) -> list[FleetBatchRow]:
    """Oldest first."""
    query = select(s.fleet_batches).order_by(s.fleet_batches.c.created_at)
    if unfinished:
        query = query.where(s.fleet_batches.c.finished_at == "")
    with store.engine.connect() as conn:
        return [FleetBatchRow.from_row(r) for r in conn.execute(query)]


def fleet_jobs(store: HistoryStore, batch_id: str) -> list[FleetJobRow]:
    query = select(s.fleet_jobs).where(s.fleet_jobs.c.batch_id == batch_id).order_by(s.fleet_jobs.c.run_id)
    with store.engine.connect() as conn:
        return [FleetJobRow.from_row(r) for r in conn.execute(query)]


def job_records(store: HistoryStore, batch_id: str) -> list[str]:
    """The records (JSON) of the batch's runs that are done, by run id."""
    query = (select(s.fleet_jobs.c.record).where(s.fleet_jobs.c.batch_id == batch_id,
                                                 s.fleet_jobs.c.state == "done", s.fleet_jobs.c.record != "")
             .order_by(s.fleet_jobs.c.run_id))
    with store.engine.connect() as conn:
        return [r[0] for r in conn.execute(query)]


def _update_job(store: HistoryStore, batch_id: str, run_id: str, **values: object) -> None:
    try:
        with store.engine.begin() as conn:
            conn.execute(s.fleet_jobs.update().where(
                s.fleet_jobs.c.batch_id == batch_id, s.fleet_jobs.c.run_id == run_id).values(**values))
    except DatabaseError as exc:
        raise HistoryError(store.explain("cannot write to", exc)) from exc
