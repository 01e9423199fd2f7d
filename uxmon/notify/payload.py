"""The generic webhook's JSON body: documented and versioned (``schema``), see docs/alerts.md."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from .alert import SCHEMA, Alert, headline, title


def webhook_payload(alert: Alert) -> dict[str, Any]:
    kind = "uxmon.scheduler.missed" if alert.kind == "scheduler" else "uxmon.batch.alert"
    if alert.kind == "batch" and not alert.news:
        kind = "uxmon.batch.finished"
    data: dict[str, Any] = {
        "type": kind,
        "schema": SCHEMA,
        "id": alert.id,
        "created_at": alert.created_at,
        "title": title(alert),
        "events": alert.events,
        "report_url": alert.report_url or None,
    }
    if alert.kind == "batch":
        data["batch"] = {"id": alert.batch_id, "started_at": alert.started_at, "base_url": alert.base_url,
                         "entry": alert.entry or None, **{k: int(v) for k, v in alert.counts.items()}}
        data["journeys"] = [{**asdict(n), "findings": [asdict(f) for f in n.findings],
                             "headline": headline(n), "link": n.link or None} for n in alert.news]
    else:
        data["scheduler"] = dict(alert.missed)
    return data
