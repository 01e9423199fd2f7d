"""One message per batch, in each channel's format and limits; hostile site text stays text."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from standardwebhooks import Webhook

from uxmon.friction import score_run
from uxmon.history.rows import FindingRow
from uxmon.notify.alert import Alert, batch_alert, for_channel, mask_url, public_url
from uxmon.notify.payload import webhook_payload
from uxmon.notify.settings import Channel
from uxmon.notify.signing import WebhookVerificationError, new_secret, sign_headers
from uxmon.notify.slack import MAX_BLOCKS, MAX_SECTION, slack_message
from uxmon.notify.states import Transition
from uxmon.notify.teams import MAX_BYTES, teams_message
from uxmon.records.serial import load_record
from uxmon.webhooks import verify

RUNS = Path(__file__).parents[1] / "fixtures" / "runs"
HOSTILE = "<!channel> <script>alert(1)</script> [click](javascript:alert(1)) \x07bell\u202e"


def record(name: str):  # type: ignore[no-untyped-def]
    run = load_record(RUNS / f"{name}.json")
    score_run(run)
    return run


def failing_alert(reason: str = "Sorry, Blue Mug is out of stock", journeys: int = 1) -> Alert:
    base = record("late-stock--buy-a-mug--mobile")
    runs = [replace(base, scenario=f"Buy a mug {n}" if n else base.scenario, reason=reason)
            for n in range(journeys)]
    since = "2026-11-04T10:00:00+00:00"
    told = [Transition(r.scenario, "mobile", "run.failing", 2, since=since) for r in runs]
    finding = FindingRow(1, runs[0].scenario, "mobile", "f1", "late-blocker", "high", 5, "Payment",
                         "Out of stock shown only at payment " + reason)
    return batch_alert(runs, told, [finding], batch_id="20261104-101000-ab12",
                       started_at="2026-11-04T10:10:00+00:00",
                       base_url="https://user:pw@shop.example.com/?token=abc", entry="purchase")


SLACK = Channel("ops", "slack", "https://hooks.slack.com/services/T0/B0/SECRETSECRET", min_severity="high",
                report_url="https://reports.example.com/uxmon")


def test_slack_message_says_which_journey_fails_where_and_links_the_report() -> None:
    alert = for_channel(failing_alert(), SLACK)
    assert alert is not None
    body = slack_message(alert)
    assert body["text"] == "Buy a mug · mobile is failing"
    header = {"type": "plain_text", "text": "Buy a mug · mobile is failing", "emoji": True}
    assert body["blocks"][0] == {"type": "header", "text": header}
    section = body["blocks"][1]["text"]["text"]
    assert section.startswith(":red_circle: *Buy a mug · mobile is failing*  "
                              "<https://reports.example.com/uxmon/20261104-101000-ab12/journeys/buy-a-mug.html|")
    assert "2 runs in a row at Confirmation: Sorry, Blue Mug is out of stock" in section
    assert "• high: Out of stock shown only at payment" in section
    context = body["blocks"][-1]["elements"][0]["text"]
    assert "https://shop.example.com/?token=…" in context and "pw" not in json.dumps(body)
    assert "<https://reports.example.com/uxmon/20261104-101000-ab12/index.html|Open the report>" in context


def test_slack_escapes_site_text_and_stays_within_its_limits() -> None:
    alert = for_channel(failing_alert(HOSTILE * 200, journeys=60), SLACK)
    assert alert is not None
    body = slack_message(alert)
    text = json.dumps(body)
    assert "<!channel>" not in text and "<script>" not in text and "&lt;!channel&gt;" in text
    assert "\x07" not in text and "\u202e" not in text
    assert len(body["blocks"]) <= MAX_BLOCKS
    assert all(len(b["text"]["text"]) <= MAX_SECTION for b in body["blocks"] if b["type"] == "section")
    assert len(json.dumps(body["blocks"])) <= 12_000
    assert body["blocks"][-1]["elements"][0]["text"].count("more in the report") == 1


def test_teams_gets_an_adaptive_card_under_20_kb_with_markdown_neutralised() -> None:
    channel = Channel("cx", "teams", "https://prod-1.westeurope.logic.azure.com/workflows/x?sig=SECRET")
    alert = for_channel(failing_alert(HOSTILE * 50, journeys=15), channel)
    assert alert is not None
    body = teams_message(alert)
    assert body["type"] == "message"
    attachment = body["attachments"][0]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.4"
    assert len(json.dumps(card).encode()) <= MAX_BYTES
    text = json.dumps(card)
    assert "[click](javascript" not in text and "\\\\[click\\\\]\\\\(javascript" in text
    facts = next(i for i in card["body"] if i["type"] == "Container")["items"][2]["facts"]
    assert {"title": "Step", "value": "Confirmation"} in facts


def test_channels_hear_only_their_events_and_severities() -> None:
    alert = failing_alert()
    assert for_channel(alert, replace(SLACK, events=("run.recovered",))) is None
    quiet = for_channel(alert, replace(SLACK, min_severity="critical"))
    assert quiet is not None and quiet.news[0].findings == ()
    everything = for_channel(replace(alert, news=()), replace(SLACK, events=("batch.finished",)))
    assert everything is not None and everything.news == ()


def test_webhook_payload_is_versioned_and_signed_the_standard_webhooks_way() -> None:
    secret = new_secret()
    alert = failing_alert()
    payload = webhook_payload(alert)
    assert payload["type"] == "uxmon.batch.alert" and payload["schema"] == 1 and payload["id"] == alert.id
    assert payload["events"] == ["run.failing"]
    batch = payload["batch"]
    assert batch["passed"] == 0 and batch["failed"] == 1 and batch["entry"] == "purchase"
    journey = payload["journeys"][0]
    assert (journey["event"], journey["scenario"], journey["viewport"], journey["step"]) == (
        "run.failing", "Buy a mug", "mobile", "Confirmation")
    body = json.dumps(payload).encode()
    headers = sign_headers(secret, alert.id, body)
    assert Webhook(secret).verify(body.decode(), headers) == payload  # the reference library agrees
    assert verify(body, headers, secret) == payload
    with pytest.raises(WebhookVerificationError, match="no signature matches"):
        verify(body.replace(b"Buy a mug", b"Buy a cup"), headers, secret)
    with pytest.raises(WebhookVerificationError, match="too old"):
        verify(body, sign_headers(secret, alert.id, body, timestamp=1_000_000), secret)


def test_secret_urls_are_masked() -> None:
    assert mask_url("https://hooks.slack.com/services/T0/B0/SECRET") == "https://hooks.slack.com/…"
    assert mask_url("http://127.0.0.1:8123/hook?sig=abc") == "http://127.0.0.1:8123/…"
    assert public_url("https://u:p@shop.example.com/a?token=abc&x=1") == "https://shop.example.com/a?token=…&x=…"
