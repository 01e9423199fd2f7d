"""History: every batch in a database (SQLite or PostgreSQL), trends, regressions, finding status."""

from .rows import BatchRow, FindingRow, RunRow
from .schema import SCHEMA_VERSION
from .stats import RankTest, mann_whitney_greater, median, percentile
from .store import HistoryError, HistoryStore, database_url
from .summary import BatchHistory, batch_history
from .trends import FindingStatus, JourneyTrend, Point, finding_status, journey_trend

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
