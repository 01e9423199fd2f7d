"""What scheduled monitoring keeps in the store: skipped firings, last batches per entry, alert states.

Alert states are read and written in one transaction that holds the database's write lock
(SQLite) or an advisory lock (PostgreSQL), so two batches finishing at once never lose each
other's update.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict

from sqlalchemy import Connection, delete, func, select, text
from sqlalchemy.exc import OperationalError

from . import schema as s
from .rows import AlertStateRow, BatchRow, SkippedRow
from .store import HistoryError, HistoryStore

Journey = tuple[str, str]
StatesUpdate = Callable[[dict[Journey, AlertStateRow]], Iterable[AlertStateRow]]


def save_skipped(store: HistoryStore, row: SkippedRow) -> None:
    try:
        with store.engine.begin() as conn:
            conn.execute(s.skipped_firings.insert().values(**asdict(row)))
    except OperationalError as exc:
        raise HistoryError(f"cannot write to history database {store.url}: {exc.orig}") from exc


def skipped(store: HistoryStore, entry: str | None = None, after: str = "") -> list[SkippedRow]:
    """Skipped firings, oldest first (of one entry, scheduled after a time)."""
    query = select(s.skipped_firings).order_by(s.skipped_firings.c.scheduled_at, s.skipped_firings.c.id)
    if entry is not None:
        query = query.where(s.skipped_firings.c.entry == entry)
    if after:
        query = query.where(s.skipped_firings.c.scheduled_at > after)
    with store.engine.connect() as conn:
        return [SkippedRow.from_row(r) for r in conn.execute(query)]


def last_batch_of_entries(store: HistoryStore) -> dict[str, BatchRow]:
    """The newest batch each schedule entry made (by its fire time, else its start)."""
    newest = (select(s.batches.c.entry, func.max(s.batches.c.started_at).label("at"))
              .where(s.batches.c.entry != "").group_by(s.batches.c.entry).subquery())
    query = select(s.batches).join(newest, (s.batches.c.entry == newest.c.entry)
                                   & (s.batches.c.started_at == newest.c.at))
    with store.engine.connect() as conn:
        return {row.entry: row for row in (BatchRow.from_row(r) for r in conn.execute(query))}


def batches_of_entry(store: HistoryStore, entry: str) -> list[BatchRow]:
    """Oldest first."""
    query = select(s.batches).where(s.batches.c.entry == entry).order_by(s.batches.c.started_at)
    with store.engine.connect() as conn:
        return [BatchRow.from_row(r) for r in conn.execute(query)]


def alert_states(store: HistoryStore) -> dict[Journey, AlertStateRow]:
    with store.engine.connect() as conn:
        return _states(conn)


def update_alert_states(store: HistoryStore, update: StatesUpdate) -> None:
    """Read every journey's state, let ``update`` compute the changed ones, write them: atomically."""
    try:
        with store.engine.begin() as conn:
            _write_lock(store, conn)
            changed = list(update(_states(conn)))
            for row in changed:
                conn.execute(delete(s.alert_states).where(
                    s.alert_states.c.scenario == row.scenario, s.alert_states.c.viewport == row.viewport))
                conn.execute(s.alert_states.insert().values(**asdict(row)))
    except OperationalError as exc:
        raise HistoryError(f"cannot write to history database {store.url}: {exc.orig}") from exc


def _states(conn: Connection) -> dict[Journey, AlertStateRow]:
    rows = (AlertStateRow.from_row(r) for r in conn.execute(select(s.alert_states)))
    return {(r.scenario, r.viewport): r for r in rows}


def _write_lock(store: HistoryStore, conn: Connection) -> None:
    if store.sqlite:  # a write first: SQLite then holds its write lock until the commit
        conn.execute(s.meta.update().where(s.meta.c.key == "schema_version")
                     .values(value=s.meta.c.value))
    else:
        conn.execute(text("SELECT pg_advisory_xact_lock(73298)"))
