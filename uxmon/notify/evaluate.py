"""After every batch: move each journey's alert state, send one message per channel, list the deliveries.

Registered with the pipeline's after-batch hooks when this module is imported (the CLI does),
so ``uxmon run`` from cron, ``uxmon schedule`` and ``uxmon check`` all alert the same way.
A delivery that fails is a warning and a line in results.json; it never changes the exit code.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from ..config import Config
from ..history.scheduling import update_alert_states
from ..history.store import HistoryError, HistoryStore, database_url
from ..run.output import BATCH_NAME
from ..run.pipeline import BatchResult, register_after_batch
from .alert import Alert, batch_alert, for_channel, missed_alert, now_iso
from .delivery import Delivery, DeliveryPolicy, deliver
from .settings import Channel, channels, policy
from .states import advance_all, observe


def send(alert: Alert, targets: Sequence[Channel], delivery: DeliveryPolicy | None = None) -> list[Delivery]:
    """One message per channel that hears something of ``alert``, sent side by side."""
    work = [(c, a) for c in targets if (a := for_channel(alert, c)) is not None]
    if not work:
        return []
    with ThreadPoolExecutor(max_workers=min(4, len(work)), thread_name_prefix="uxmon-alert") as pool:
        return list(pool.map(lambda item: deliver(item[0], item[1], delivery), work))


def evaluate_batch(result: BatchResult, config: Config) -> None:
    """The after-batch hook."""
    targets = channels(config)
    if result.history is None:
        if targets:
            result.warnings.append("alerts were not evaluated: the history store keeps the alert "
                                   "states and it could not be used")
        return
    rules = policy(config)
    new = result.history.findings.new
    severities: dict[tuple[str, str], list[str]] = {}
    for finding in new:
        severities.setdefault((finding.scenario, finding.viewport), []).append(finding.severity)
    seen = observe(result.records, severities, rules)
    told = []
    now = now_iso()

    def update(states: Any) -> Any:
        rows, transitions = advance_all(states, seen, rules, now, result.batch_id)
        told.extend(transitions)
        return rows

    try:
        with HistoryStore(database_url(config.db, config.path(config.output))) as store:
            update_alert_states(store, update)
    except HistoryError as exc:
        result.warnings.append(f"alert states not updated: {exc}")
        return
    alert = batch_alert(result.records, told, new, batch_id=result.batch_id, started_at=result.started_at,
                        base_url=config.base_url, entry=result.origin.entry)
    result.deliveries = [d.as_dict() for d in send(alert, targets)]
    for d in result.deliveries:
        if not d["ok"]:
            result.warnings.append(f"alert to {d['channel']} ({d['url']}) not delivered after "
                                   f"{d['attempts']} attempt(s): {d['error']}")
    if result.deliveries:
        list_deliveries(result.folder, result.deliveries)


def list_deliveries(folder: Path, deliveries: list[dict[str, Any]]) -> None:
    """Add ``deliveries`` to the batch's results.json and batch.json (whichever exist)."""
    for name in ("results.json", BATCH_NAME):
        path = folder / name
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        data["deliveries"] = deliveries
        path.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")


def send_missed(config: Config, entry: str, misses: int, reason: str, scheduled_at: str,
                delivery: DeliveryPolicy | None = None) -> list[Delivery]:
    """The scheduler's own alert: an entry missed ``misses`` firings in a row."""
    return send(missed_alert(entry, misses, reason, scheduled_at), channels(config), delivery)


register_after_batch(evaluate_batch)
