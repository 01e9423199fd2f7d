"""A Slack incoming-webhook message in Block Kit, inside Slack's limits, with a text fallback.

Limits (research D1/D5): at most 50 blocks, a section's text at most 3,000 characters, all
blocks together kept under 12,000 (Slack refused ~13,200 in practice), a header at most 150.
Site text is escaped for mrkdwn (``&``, ``<``, ``>``), so it can neither ping ``@channel``
nor smuggle a link.
"""

from __future__ import annotations

import json
from typing import Any

from .alert import Alert, News, detail, headline, title

MAX_BLOCKS = 50
MAX_SECTION = 3000
MAX_TOTAL = 12000
MAX_HEADER = 150
MAX_JOURNEYS = 10
ICON = {"run.failing": ":red_circle:", "run.unmeasured": ":warning:", "run.degraded": ":large_yellow_circle:",
        "run.recovered": ":large_green_circle:"}


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": _cut(text, MAX_SECTION)}}


def _journey(n: News) -> dict[str, Any]:
    head = f"{ICON.get(n.event, '')} *{escape(headline(n))}*"
    if n.link:
        head += f"  <{n.link}|journey report>"
    lines = [head, escape(detail(n))]
    for f in n.findings[:5]:
        lines.append(f"• {escape(f.severity)}: {escape(f.title)}"
                     + (f" ({escape(f.step_name)})" if f.step_name else ""))
    return _section("\n".join(line for line in lines if line))


def slack_message(alert: Alert) -> dict[str, Any]:
    """The JSON body to POST to the webhook."""
    summary = title(alert)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": _cut(summary, MAX_HEADER), "emoji": True}}]
    if alert.kind == "scheduler":
        m = alert.missed
        blocks.append(_section(escape(f"Last reason: {m.get('reason', '')}\nLast fire time: "
                                      f"{m.get('last_scheduled_at', '')}")))
    shown = list(alert.news[:MAX_JOURNEYS])
    blocks += [_journey(n) for n in shown]
    while len(json.dumps(blocks)) > MAX_TOTAL and len(shown) > 1:
        shown.pop()
        blocks.pop()
    more = len(alert.news) - len(shown)
    context = [f"{alert.counts.get('passed', 0)} of {alert.counts.get('runs', 0)} runs passed"] \
        if alert.kind == "batch" else []
    if alert.base_url:
        context.append(escape(alert.base_url))
    if alert.entry:
        context.append(f"schedule '{escape(alert.entry)}'")
    if more:
        context.append(f"{more} more in the report")
    if alert.report_url:
        context.append(f"<{alert.report_url}|Open the report>")
    if context:
        text = _cut(" · ".join(context), 2000)
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": text}]})
    return {"text": _cut(escape(summary), 3000), "blocks": blocks[:MAX_BLOCKS]}
