"""The digests sent: one row per (schedule entry, period end), so no period is mailed twice."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from . import schema as s
from .store import HistoryError, HistoryStore


@dataclass(frozen=True)
class SentDigest:
    entry: str
    period_end: str
    sent_at: str
    status: str        # "sent", or "skipped" (a quiet period with only_if_changed)
    subject: str = ""
    recipients: str = ""
    message_id: str = ""


def digest_sent(store: HistoryStore, entry: str, period_end: str) -> SentDigest | None:
    """The digest already sent (or skipped on purpose) for this entry and period, if any."""
    query = (select(s.digests).where(s.digests.c.entry == entry, s.digests.c.period_end == period_end)
             .order_by(s.digests.c.id))
    with store.engine.connect() as conn:
        row = conn.execute(query).first()
    return _of(row) if row is not None else None


def last_digest(store: HistoryStore, entry: str, before: str) -> SentDigest | None:
    """The latest digest of an entry whose period ended before ``before``."""
    query = (select(s.digests).where(s.digests.c.entry == entry, s.digests.c.period_end < before)
             .order_by(s.digests.c.period_end.desc()).limit(1))
    with store.engine.connect() as conn:
        row = conn.execute(query).first()
    return _of(row) if row is not None else None


def record_digest(store: HistoryStore, digest: SentDigest) -> None:
    try:
        with store.engine.begin() as conn:
            conn.execute(s.digests.insert().values(
                entry=digest.entry, period_end=digest.period_end, sent_at=digest.sent_at,
                status=digest.status, subject=digest.subject[:1000], recipients=digest.recipients[:2000],
                message_id=digest.message_id))
    except OperationalError as exc:
        raise HistoryError(f"cannot write to history database {store.url}: {exc.orig}") from exc


def _of(row: object) -> SentDigest:
    values = row._mapping  # type: ignore[attr-defined]
    return SentDigest(**{name: values[name] for name in SentDigest.__dataclass_fields__})
