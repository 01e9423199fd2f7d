"""What scheduled monitoring keeps in the store, on a real SQLite file and a real PostgreSQL
(UXMON_TEST_PG): alert states survive a restart, two batches finishing at once never lose each
other's update (SQLite's write lock, PostgreSQL's advisory lock), skipped firings by entry."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from uxmon.history import HistoryStore
from uxmon.history.rows import AlertStateRow, SkippedRow
from uxmon.history.scheduling import alert_states, save_skipped, skipped, update_alert_states

from .test_history_store import at_once, db_url  # noqa: F401 - db_url: one SQLite file, one PG schema

JOURNEY = ("Buy a mug", "mobile")


def _bump(states: dict[tuple[str, str], AlertStateRow]) -> Iterable[AlertStateRow]:
    """One failing batch more for the journey: read, change, write back (a lost update shows)."""
    old = states.get(JOURNEY, AlertStateRow(*JOURNEY, status="passing"))
    return [replace(old, status="failing", streak=old.streak + 1)]


def _finisher(url: str, count: int) -> None:
    with HistoryStore(url) as store:
        for _ in range(count):
            update_alert_states(store, _bump)


def test_alert_states_are_kept_across_a_restart(db_url: str) -> None:  # noqa: F811
    with HistoryStore(db_url) as store:
        update_alert_states(store, _bump)
        update_alert_states(store, _bump)
        update_alert_states(store, lambda states: [AlertStateRow("Reach a human", "desktop", "passing")])
    with HistoryStore(db_url) as store:  # a new process would open it so
        states = alert_states(store)
    assert states[JOURNEY].status == "failing" and states[JOURNEY].streak == 2
    assert states[("Reach a human", "desktop")].status == "passing"
    assert len(states) == 2


def test_two_batches_finishing_at_once_lose_no_update(db_url: str) -> None:  # noqa: F811
    with HistoryStore(db_url):
        pass  # the schema exists before the two writers race
    assert at_once(_finisher, (db_url, 20), (db_url, 20)) == [0, 0]
    with HistoryStore(db_url) as store:
        assert alert_states(store)[JOURNEY].streak == 40


def test_skipped_firings_by_entry_and_time(db_url: str) -> None:  # noqa: F811
    rows = [SkippedRow("nightly", "2026-11-01T02:00:00+00:00", "2026-11-01T02:00:01+00:00", "missed",
                       "the scheduler was down"),
            SkippedRow("quick", "2026-11-01T02:05:00+00:00", "2026-11-01T02:05:00+00:00", "overlap"),
            SkippedRow("nightly", "2026-11-02T02:00:00+00:00", "2026-11-02T02:00:09+00:00", "crashed",
                       "Fatal Python error")]
    with HistoryStore(db_url) as store:
        for row in reversed(rows):
            save_skipped(store, row)
        assert skipped(store) == [rows[0], rows[1], rows[2]]
        assert skipped(store, "nightly") == [rows[0], rows[2]]
        assert skipped(store, "nightly", after="2026-11-01T12:00:00+00:00") == [rows[2]]
