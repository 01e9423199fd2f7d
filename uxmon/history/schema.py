"""The history tables (SQLAlchemy Core) and the migrations that build them, version by version.

One schema for SQLite and PostgreSQL. A database remembers its version in ``uxmon_meta``;
opening it runs the migrations it has not had yet, in order, each in its own transaction, so
a database made by any earlier uxmon is brought up to date and never rebuilt.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    inspect,
    select,
    text,
)

SCHEMA_VERSION = 4
# The tables as version 1 and 2 made them; version 3 and 4 columns are added further down.
first = MetaData()

meta = Table("uxmon_meta", first, Column("key", String(40), primary_key=True),
             Column("value", String(200), nullable=False))

batches = Table(
    "batches", first,
    Column("id", String(40), primary_key=True),
    Column("started_at", String(40), nullable=False),
    Column("base_url", Text, nullable=False, default=""),
    Column("folder", Text, nullable=False, default=""),
    Column("runs", Integer, nullable=False, default=0),
    Column("passed", Integer, nullable=False, default=0),
    Column("failed", Integer, nullable=False, default=0),
    Column("errors", Integer, nullable=False, default=0),
)

runs = Table(
    "runs", first,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("batch_id", String(40), ForeignKey("batches.id", ondelete="CASCADE"), nullable=False),
    Column("run_id", String(200), nullable=False),
    Column("scenario", String(200), nullable=False),
    Column("viewport", String(60), nullable=False),
    Column("outcome", String(10), nullable=False),
    Column("started_at", String(40), nullable=False),
    Column("duration_ms", Float, nullable=False),
    Column("steps", Integer, nullable=False),
    Column("clicks", Integer, nullable=False),
    Column("keystrokes", Integer, nullable=False),
    Column("friction_score", Float, nullable=False),
    Column("reason", Text, nullable=False, default=""),
    Column("failed_step", Integer),
    Column("flaky", Boolean, nullable=False, default=False),
    Column("record_path", Text, nullable=False, default=""),
    Index("ix_runs_journey_time", "scenario", "viewport", "started_at"),
    Index("ix_runs_batch", "batch_id"),
)

steps = Table(
    "steps", first,
    Column("run", Integer, ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
    Column("idx", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("start_ms", Float, nullable=False),
    Column("duration_ms", Float, nullable=False),
    Column("clicks", Integer, nullable=False),
    Column("keystrokes", Integer, nullable=False),
    Column("url", Text, nullable=False, default=""),
    Column("screenshot", Text, nullable=False, default=""),
)

findings = Table(
    "findings", first,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run", Integer, ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    Column("fingerprint", String(40), nullable=False),
    Column("rule", String(60), nullable=False),
    Column("severity", String(10), nullable=False),
    Column("step", Integer),
    Column("step_name", String(200), nullable=False, default=""),
    Column("title", Text, nullable=False),
    Column("wasted_clicks", Integer, nullable=False, default=0),
    Column("wasted_seconds", Float, nullable=False, default=0.0),
    Index("ix_findings_fingerprint", "fingerprint"),
    Index("ix_findings_run", "run"),
)

# Version 2: every action, for the journey page's timeline.
actions = Table(
    "actions", first,
    Column("run", Integer, ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("step", Integer, nullable=False),
    Column("kind", String(10), nullable=False),
    Column("at_ms", Float, nullable=False),
    Column("selector", Text, nullable=False, default=""),
    Column("text", Text, nullable=False, default=""),
    Column("answer_ms", Float),
)

# Version 3: what the report shows without the record files: a run's trace, a finding's
# detail, cause and evidence picture.
V3_COLUMNS = {
    "runs": ("trace",),
    "findings": ("detail", "cause", "evidence_text", "screenshot"),
}
V1_TABLES = ("uxmon_meta", "batches", "runs", "steps", "findings")

# Version 4: what the emailed digest needs. A run's scenario tags (recipients per tag), where
# a finding's element is in its evidence picture (to crop around it), and the digests sent, so
# a scheduled period is never mailed twice, even across restarts.
V4_TEXT_COLUMNS = {"runs": ("tags",)}
V4_BOX_COLUMNS = ("box_x", "box_y", "box_w", "box_h")
digests = Table(
    "digests", first,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entry", String(200), nullable=False, default=""),
    Column("period_end", String(40), nullable=False),
    Column("sent_at", String(40), nullable=False),
    Column("status", String(10), nullable=False),
    Column("subject", Text, nullable=False, default=""),
    Column("recipients", Text, nullable=False, default=""),
    Column("message_id", Text, nullable=False, default=""),
    Index("ix_digests_entry_period", "entry", "period_end"),
)

metadata = MetaData()  # the current schema
for _table in first.tables.values():
    _table.to_metadata(metadata)
for _name, _columns in (*V3_COLUMNS.items(), *V4_TEXT_COLUMNS.items()):
    for _column in _columns:
        metadata.tables[_name].append_column(Column(_column, Text, nullable=False, server_default=""))
for _column in V4_BOX_COLUMNS:
    metadata.tables["findings"].append_column(Column(_column, Float))
meta, batches, runs, steps, findings, actions, digests = (
    metadata.tables[n] for n in ("uxmon_meta", "batches", "runs", "steps", "findings", "actions", "digests"))


def _v1(conn: Connection) -> None:
    first.create_all(conn, tables=[first.tables[n] for n in V1_TABLES])


def _v2(conn: Connection) -> None:
    first.create_all(conn, tables=[first.tables["actions"]])


def _v3(conn: Connection) -> None:
    preparer = conn.dialect.identifier_preparer
    for table, columns in V3_COLUMNS.items():
        for column in columns:
            conn.execute(text(f"ALTER TABLE {preparer.quote(table)} ADD COLUMN "
                              f"{preparer.quote(column)} TEXT NOT NULL DEFAULT ''"))


def _v4(conn: Connection) -> None:
    preparer = conn.dialect.identifier_preparer
    for table, columns in V4_TEXT_COLUMNS.items():
        for column in columns:
            conn.execute(text(f"ALTER TABLE {preparer.quote(table)} ADD COLUMN "
                              f"{preparer.quote(column)} TEXT NOT NULL DEFAULT ''"))
    real = Float().compile(dialect=conn.dialect)
    for column in V4_BOX_COLUMNS:
        conn.execute(text(f"ALTER TABLE findings ADD COLUMN {preparer.quote(column)} {real}"))
    first.create_all(conn, tables=[first.tables["digests"]])


MIGRATIONS: dict[int, Callable[[Connection], None]] = {1: _v1, 2: _v2, 3: _v3, 4: _v4}


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table(meta.name):
        return 0
    row = conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")).first()
    return int(row[0]) if row else 0


def set_version(conn: Connection, version: int) -> None:
    updated = conn.execute(meta.update().where(meta.c.key == "schema_version").values(value=str(version)))
    if not updated.rowcount:
        conn.execute(meta.insert().values(key="schema_version", value=str(version)))
