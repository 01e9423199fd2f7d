"""The history tables (SQLAlchemy Core) and the migrations that build them, version by version.

One schema for SQLite and PostgreSQL. A database remembers its version in ``uxmon_meta``;
opening it runs the migrations it has not had yet, in order, each in its own transaction, so
a database made by any earlier uxmon is brought up to date and never rebuilt.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    BigInteger,
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

SCHEMA_VERSION = 8
# The tables as version 1 and 2 made them; the columns of later versions are added further down.
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
# Version 5: what the deploy gate needs from the store alone: which build a batch measured
# (label, commit, branch, environment), a run's scenario file and attempt, a step's line in it.
V5_COLUMNS: dict[str, tuple[tuple[str, type[Text] | type[Integer], str | None], ...]] = {
    "batches": (("label", Text, ""), ("git_sha", Text, ""), ("git_ref", Text, ""),
                ("environment", Text, "")),
    "runs": (("scenario_file", Text, ""), ("attempt", Integer, "1")),
    "steps": (("line", Integer, None),),  # None: nullable, no default
}
V1_TABLES = ("uxmon_meta", "batches", "runs", "steps", "findings")

metadata = MetaData()  # the current schema
for _table in first.tables.values():
    _table.to_metadata(metadata)
for _name, _columns in V3_COLUMNS.items():
    for _column in _columns:
        metadata.tables[_name].append_column(Column(_column, Text, nullable=False, server_default=""))

# Version 4: scheduled monitoring. Which schedule entry made a batch, at which fire time and
# why (a firing or the catch-up on start); the alert state of each journey, so a restart
# keeps it; and the firings that did not run (missed, overlapping, crashed, past deadline).
V4_BATCH_COLUMNS = ("entry", "trigger", "scheduled_at")
for _column in V4_BATCH_COLUMNS:
    metadata.tables["batches"].append_column(Column(_column, Text, nullable=False, server_default=""))

alert_states = Table(
    "alert_states", metadata,
    Column("scenario", String(200), primary_key=True),
    Column("viewport", String(60), primary_key=True),
    Column("status", String(12), nullable=False),
    Column("streak", Integer, nullable=False, default=0),
    Column("notified", String(12), nullable=False, default=""),
    Column("reminders", Integer, nullable=False, default=0),
    Column("notified_at", String(40), nullable=False, default=""),
    Column("changed_at", String(40), nullable=False, default=""),
    Column("batch_id", String(40), nullable=False, default=""),
)

skipped_firings = Table(
    "skipped_firings", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entry", String(200), nullable=False),
    Column("scheduled_at", String(40), nullable=False),
    Column("recorded_at", String(40), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("reason", Text, nullable=False, default=""),
    Index("ix_skipped_entry_time", "entry", "scheduled_at"),
)

for _name, _specs in V5_COLUMNS.items():
    for _column, _type, _default in _specs:
        metadata.tables[_name].append_column(
            Column(_column, _type, nullable=_default is None, server_default=_default))

# Version 6: what the emailed digest needs. A run's scenario tags (recipients per tag), where
# a finding's element is in its evidence picture (to crop around it), and the digests sent, so
# a scheduled period is never mailed twice, even across restarts.
V6_TEXT_COLUMNS = {"runs": ("tags",)}
V6_BOX_COLUMNS = ("box_x", "box_y", "box_w", "box_h")
for _name, _columns in V6_TEXT_COLUMNS.items():
    for _column in _columns:
        metadata.tables[_name].append_column(Column(_column, Text, nullable=False, server_default=""))
for _column in V6_BOX_COLUMNS:
    metadata.tables["findings"].append_column(Column(_column, Float))
digests = Table(
    "digests", metadata,
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
# Version 7: how long each step's page could not paint or answer (frozen by its scripts).
metadata.tables["steps"].append_column(Column("blocked_ms", Float))

# Version 8: the worker fleet (uxmon schedule --queue, uxmon worker). A schedule entry's fire
# times claimed by one scheduler (two never enqueue the same firing), the fleet's batches (how
# many runs, when the last one ended and who draws the report), and each queued run: its
# state, who ran it, when it was queued and started (the queue's overhead) and its record, so
# the last job can judge the whole batch wherever its runs ran.
fleet_firings = Table(
    "fleet_firings", metadata,
    Column("entry", String(200), primary_key=True),
    Column("scheduled_at", String(40), primary_key=True),
    Column("claimed_at", String(40), nullable=False),
    Column("claimed_by", Text, nullable=False, default=""),
    Column("batch_id", String(40), nullable=False, default=""),
)
fleet_batches = Table(
    "fleet_batches", metadata,
    Column("batch_id", String(40), primary_key=True),
    Column("entry", Text, nullable=False, default=""),
    Column("trigger", Text, nullable=False, default=""),
    Column("scheduled_at", Text, nullable=False, default=""),
    Column("created_at", String(40), nullable=False),
    Column("deadline_at", String(40), nullable=False),
    Column("runs", Integer, nullable=False, default=0),
    Column("load_errors", Text, nullable=False, default=""),  # scenario files that did not load, one a line
    Column("label", Text, nullable=False, default=""),
    Column("finish_deferred_at", Text, nullable=False, default=""),
    Column("finished_at", Text, nullable=False, default=""),
    Column("exit_code", Integer),
)
fleet_jobs = Table(
    "fleet_jobs", metadata,
    Column("batch_id", String(40), primary_key=True),
    Column("run_id", String(200), primary_key=True),
    Column("scenario", String(200), nullable=False),
    Column("viewport", String(60), nullable=False),
    Column("scenario_file", Text, nullable=False, default=""),
    Column("state", String(10), nullable=False, default="queued"),
    Column("job_id", BigInteger),
    Column("attempts", Integer, nullable=False, default=0),
    Column("worker", Text, nullable=False, default=""),
    Column("enqueued_at", String(40), nullable=False, default=""),
    Column("started_at", String(40), nullable=False, default=""),
    Column("finished_at", String(40), nullable=False, default=""),
    Column("outcome", String(10), nullable=False, default=""),
    Column("record", Text, nullable=False, default=""),
    Index("ix_fleet_jobs_state", "batch_id", "state"),
)
FLEET_TABLES = (fleet_firings, fleet_batches, fleet_jobs)
meta, batches, runs, steps, findings, actions = (
    metadata.tables[n] for n in ("uxmon_meta", "batches", "runs", "steps", "findings", "actions"))


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
    for column in V4_BATCH_COLUMNS:
        conn.execute(text(f"ALTER TABLE batches ADD COLUMN {preparer.quote(column)} "
                          "TEXT NOT NULL DEFAULT ''"))
    metadata.create_all(conn, tables=[alert_states, skipped_firings])


def _v5(conn: Connection) -> None:
    preparer = conn.dialect.identifier_preparer
    for table, specs in V5_COLUMNS.items():
        for column, type_, default in specs:
            sql = "TEXT" if type_ is Text else "INTEGER"
            if default is not None:
                sql += f" NOT NULL DEFAULT {default or repr('')}"
            name = f"{preparer.quote(table)} ADD COLUMN {preparer.quote(column)}"
            conn.execute(text(f"ALTER TABLE {name} {sql}"))
    conn.execute(text("CREATE INDEX ix_batches_label ON batches (label, started_at)"))



def _v6(conn: Connection) -> None:
    preparer = conn.dialect.identifier_preparer
    for table, columns in V6_TEXT_COLUMNS.items():
        for column in columns:
            conn.execute(text(f"ALTER TABLE {preparer.quote(table)} ADD COLUMN "
                              f"{preparer.quote(column)} TEXT NOT NULL DEFAULT ''"))
    real = Float().compile(dialect=conn.dialect)
    for column in V6_BOX_COLUMNS:
        conn.execute(text(f"ALTER TABLE findings ADD COLUMN {preparer.quote(column)} {real}"))
    metadata.create_all(conn, tables=[digests])


def _v7(conn: Connection) -> None:
    real = Float().compile(dialect=conn.dialect)
    conn.execute(text(f"ALTER TABLE steps ADD COLUMN blocked_ms {real}"))


def _v8(conn: Connection) -> None:
    metadata.create_all(conn, tables=list(FLEET_TABLES))


MIGRATIONS: dict[int, Callable[[Connection], None]] = {1: _v1, 2: _v2, 3: _v3, 4: _v4, 5: _v5, 6: _v6,
                                                       7: _v7, 8: _v8}


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table(meta.name):
        return 0
    row = conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")).first()
    return int(row[0]) if row else 0


def set_version(conn: Connection, version: int) -> None:
    updated = conn.execute(meta.update().where(meta.c.key == "schema_version").values(value=str(version)))
    if not updated.rowcount:
        conn.execute(meta.insert().values(key="schema_version", value=str(version)))
