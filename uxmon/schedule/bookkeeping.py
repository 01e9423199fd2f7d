"""What happens after a firing or a skipped one, on its own thread: history rows, metrics, alerts.

The scheduler's listeners run on its main loop; a slow database or a webhook that takes 90 s
must never delay the next firing, so they only queue here. Misses in a row are counted per
entry (from the history on start, so a restart keeps the count) and the ``scheduler.missed``
alert goes out once when an entry reaches ``[alerting] missed_after`` (default 3).
"""

from __future__ import annotations

import datetime as dt
import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

from ..config import Config
from ..history.rows import SkippedRow
from ..history.scheduling import batches_of_entry, last_batch_of_entries, save_skipped, skipped
from ..history.store import HistoryError, HistoryStore, database_url
from ..notify.evaluate import send_missed
from ..notify.settings import policy
from .cron import ping
from .firing import Firing, iso
from .metrics import Metrics

log = logging.getLogger("uxmon.schedule")


class Bookkeeper:
    def __init__(self, config: Config, metrics: Metrics, ping_urls: dict[str, str]) -> None:
        self.config = config
        self.metrics = metrics
        self.ping_urls = ping_urls
        self.missed_after = policy(config).missed_after
        self.streaks: dict[str, int] = {}
        self.alerts: list[tuple[str, int, list[Any]]] = []  # (entry, misses, deliveries) sent
        self._queue: queue.Queue[Callable[[], None] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._work, name="uxmon-bookkeeper", daemon=True)
        self._store: HistoryStore | None = None

    # ---- the store, opened once and kept ------------------------------------------------

    def store(self) -> HistoryStore:
        if self._store is None:
            self._store = HistoryStore(database_url(self.config.db, self.config.path(self.config.output)))
        return self._store

    def last_batches(self) -> dict[str, dt.datetime]:
        """Each entry's newest batch time (its fire time, else its start), from the history."""
        found = {}
        for entry, row in last_batch_of_entries(self.store()).items():
            when = _parse(row.scheduled_at) or _parse(row.started_at)
            if when is not None:
                found[entry] = when
        return found

    def load_streaks(self, names: list[str]) -> None:
        store = self.store()
        batches = {e: r.scheduled_at or r.started_at for e, r in last_batch_of_entries(store).items()}
        for name in names:
            self.streaks[name] = len(skipped(store, name, after=batches.get(name, "")))

    # ---- the queue ------------------------------------------------------------------------

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 30) -> None:
        self._queue.put(None)
        self._thread.join(timeout)
        if self._store is not None:
            self._store.close()

    def drain(self, timeout: float = 30) -> None:
        """Wait until everything queued so far is done (tests, and the stop)."""
        done = threading.Event()
        self._queue.put(done.set)
        done.wait(timeout)

    def _work(self) -> None:
        while (task := self._queue.get()) is not None:
            try:
                task()
            except Exception:  # noqa: BLE001 - bookkeeping must never end the service
                log.exception("bookkeeping failed")

    # ---- what the service reports -----------------------------------------------------------

    def finished(self, firing: Firing, digest: bool = False) -> None:
        self._queue.put(lambda: self._finished(firing, digest))

    def missed(self, entry: str, scheduled_at: dt.datetime, kind: str, reason: str) -> None:
        self._queue.put(lambda: self._skip(entry, scheduled_at, kind, reason))

    def _finished(self, firing: Firing, digest: bool) -> None:
        ok = firing.exit_code == 0 if digest else firing.made_batch
        if not ok:
            kind, reason = firing.outcome()
            kind = kind or "crashed"
            self.metrics.fired(firing.entry, kind, firing.delay_s)
            if firing.timed_out and self.ping_urls.get(firing.entry):
                problem = ping(self.ping_urls[firing.entry], "fail", reason)
                if problem:
                    log.warning("entry %s: %s", firing.entry, problem)
            self._skip(firing.entry, firing.scheduled_at, kind, reason)
            return
        self.streaks[firing.entry] = 0
        self.metrics.fired(firing.entry, "ok" if digest else f"exit-{firing.exit_code}", firing.delay_s)
        if digest:
            return
        try:
            store = self.store()
            batch = next((b for b in reversed(batches_of_entry(store, firing.entry))
                          if b.scheduled_at == iso(firing.scheduled_at)), None)
            self.metrics.batch(firing.entry, store.runs_of_batch(batch.id) if batch else [])
        except HistoryError as exc:
            log.warning("entry %s: could not read its batch from the history: %s", firing.entry, exc)

    def _skip(self, entry: str, scheduled_at: dt.datetime, kind: str, reason: str) -> None:
        log.warning("entry %s: firing of %s skipped (%s): %s", entry, iso(scheduled_at), kind, reason)
        self.metrics.skipped(entry, kind)
        row = SkippedRow(entry, iso(scheduled_at), iso(dt.datetime.now(dt.UTC)), kind, reason[:2000])
        try:
            save_skipped(self.store(), row)
        except HistoryError as exc:
            log.warning("entry %s: the skipped firing is not in the history: %s", entry, exc)
        self.streaks[entry] = self.streaks.get(entry, 0) + 1
        if self.streaks[entry] == self.missed_after:
            deliveries = send_missed(self.config, entry, self.streaks[entry], reason, row.scheduled_at)
            self.alerts.append((entry, self.streaks[entry], deliveries))
            for d in deliveries:
                if not d.ok:
                    log.warning("scheduler.missed alert to %s (%s) not delivered: %s",
                                d.channel, d.url, d.error)


def _parse(text: str) -> dt.datetime | None:
    from .crontab import parse_time

    return parse_time(text)
