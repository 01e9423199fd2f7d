"""History: every batch in a database (SQLite or PostgreSQL), trends, regressions, finding status.

The rows, the statistics and the trends are pure; the store (SQLAlchemy) is imported only when
one of its names is first used, so the report's pure model can read rows and trends without
loading a database library.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .rows import BatchRow, FindingRow, RunRow
from .stats import RankTest, mann_whitney_greater, median, percentile
from .summary import BatchHistory, batch_history
from .trends import FindingStatus, JourneyTrend, Point, finding_status, journey_trend

if TYPE_CHECKING:
    from .schema import SCHEMA_VERSION
    from .store import HistoryError, HistoryStore, database_url

_FROM_STORE = {"HistoryError", "HistoryStore", "database_url"}


def __getattr__(name: str) -> Any:
    if name in _FROM_STORE:
        from . import store

        return getattr(store, name)
    if name == "SCHEMA_VERSION":
        from .schema import SCHEMA_VERSION

        return SCHEMA_VERSION
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "SCHEMA_VERSION",
    "BatchHistory",
    "BatchRow",
    "FindingRow",
    "FindingStatus",
    "HistoryError",
    "HistoryStore",
    "JourneyTrend",
    "Point",
    "RankTest",
    "RunRow",
    "batch_history",
    "database_url",
    "finding_status",
    "journey_trend",
    "mann_whitney_greater",
    "median",
    "percentile",
]
