"""A Microsoft Teams message through a Workflows webhook: an Adaptive Card (1.4), a FactSet a journey.

Workflows' "Post to a channel when a webhook request is received" takes the card wrapped in a
``message`` with one attachment. Site text goes into TextBlocks and Facts with Markdown's
special characters escaped, and the whole card is kept under 20 KB (Teams refuses ~28 KB).
"""

from __future__ import annotations

import json
import re
from typing import Any

from .alert import Alert, News, detail, headline, title

CARD_VERSION = "1.4"
MAX_BYTES = 20_000
MAX_JOURNEYS = 10
COLOR = {"run.failing": "Attention", "run.unmeasured": "Warning", "run.degraded": "Warning",
         "run.recovered": "Good"}


def escape(text: str) -> str:
    """Markdown in Adaptive Cards: a site's ``[x](javascript:...)`` must stay text."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!<>|~])", r"\\\1", text)


def _block(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def _journey(n: News) -> list[dict[str, Any]]:
    facts = [{"title": "Outcome", "value": escape(n.outcome or "–")},
             {"title": "Runs in a row", "value": str(n.streak)}]
    if n.step:
        facts.append({"title": "Step", "value": escape(n.step)})
    if n.since:
        facts.append({"title": "Since", "value": escape(n.since)})
    facts += [{"title": escape(f.severity), "value": escape(f.title)} for f in n.findings[:5]]
    items: list[dict[str, Any]] = [
        _block(escape(headline(n)), weight="Bolder", color=COLOR.get(n.event, "Default")),
        _block(escape(detail(n)), isSubtle=True, spacing="None"),
        {"type": "FactSet", "facts": facts},
    ]
    if n.link:
        items.append(_block(f"[Journey report]({n.link})"))
    return [{"type": "Container", "separator": True, "items": items}]


def teams_message(alert: Alert) -> dict[str, Any]:
    body: list[dict[str, Any]] = [_block(escape(title(alert)), size="Large", weight="Bolder")]
    if alert.kind == "scheduler":
        m = alert.missed
        body.append(_block(escape(f"Last reason: {m.get('reason', '')}")))
    for n in alert.news[:MAX_JOURNEYS]:
        body += _journey(n)
    more = len(alert.news) - min(len(alert.news), MAX_JOURNEYS)
    if alert.kind == "batch":
        c = alert.counts
        line = f"{c.get('passed', 0)} of {c.get('runs', 0)} runs passed on {alert.base_url}"
        body.append(_block(escape(line) + (f" · {more} more in the report" if more else ""), isSubtle=True))
    card: dict[str, Any] = {"$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                            "type": "AdaptiveCard", "version": CARD_VERSION, "body": body}
    if alert.report_url:
        card["actions"] = [{"type": "Action.OpenUrl", "title": "Open the report", "url": alert.report_url}]
    while len(json.dumps(card).encode()) > MAX_BYTES and len(body) > 2:
        body.pop(-2)  # drop journeys from the end, keep the title and the summary line
    return {"type": "message", "attachments": [
        {"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None, "content": card}]}
