"""Alerts end to end: the demo shop breaks after two clean batches, then heals; one message each time.

Slack, Teams and a signed webhook all point at one real loopback receiver; the webhook's
signatures are checked with the ``standardwebhooks`` package. One scenario, one viewport.
"""

from __future__ import annotations

import json
from pathlib import Path

from standardwebhooks import Webhook

import uxmon.notify.evaluate  # noqa: F401 - registers the after-batch alerts (the CLI does)
from tests.integration.conftest import BUNDLED, batch
from tests.receiver import receiver
from uxmon.config import Timeouts
from uxmon.demo import DemoShop, parse
from uxmon.notify.signing import new_secret


def test_failing_once_after_the_second_failing_batch_and_recovered_once(tmp_path: Path) -> None:
    secret = new_secret()
    with DemoShop() as shop, receiver() as hook:
        channels = (
            {"type": "slack", "url": f"{hook.url}/slack/T0/B0/SLACKSECRET"},
            {"type": "teams", "url": f"{hook.url}/teams?sig=TEAMSSECRET"},
            {"type": "webhook", "url": f"{hook.url}/hook", "secret": secret},
        )

        def one(friction: str) -> list[str]:
            shop.friction = parse(friction)
            before = len(hook.requests)
            result = batch(tmp_path, shop.url, [BUNDLED / "purchase.py"], viewports=["desktop"],
                           arrays={"alerts": channels}, timeouts=Timeouts(run=60, action=3, navigation=15))
            assert not result.warnings, result.warnings
            return [r.path.split("/")[1].split("?")[0] for r in hook.requests[before:]]

        said = [one(""), one(""), one("late-stock"), one("late-stock"), one("")]
        requests = list(hook.requests)
    assert [bool(s) for s in said] == [False, False, False, True, True]
    assert sorted(said[3]) == sorted(said[4]) == ["hook", "slack", "teams"]
    by_kind = {r.path.split("/")[1].split("?")[0]: [] for r in requests}  # type: ignore[var-annotated]
    for r in requests:
        by_kind[r.path.split("/")[1].split("?")[0]].append(r)
    failing, recovered = (Webhook(secret).verify(r.body.decode(), r.headers) for r in by_kind["hook"])
    assert failing["events"] == ["run.failing"] and recovered["events"] == ["run.recovered"]
    journey = failing["journeys"][0]
    assert (journey["scenario"], journey["viewport"], journey["streak"]) == ("Buy a mug", "desktop", 2)
    assert journey["outcome"] == "failed" and "Thank you for your order" in journey["reason"]
    slack = by_kind["slack"][0].json()
    assert slack["text"] == "Buy a mug · desktop is failing"
    assert by_kind["slack"][1].json()["text"] == "Buy a mug · desktop recovered"
    card = by_kind["teams"][0].json()["attachments"][0]["content"]
    assert card["type"] == "AdaptiveCard" and "failing" in card["body"][0]["text"]
    results = json.loads(sorted((tmp_path / "reports").glob("*/results.json"))[-2].read_text())
    assert {d["channel"] for d in results["deliveries"]} == {"slack-1", "teams-2", "webhook-3"}
    assert all(d["ok"] and d["attempts"] == 1 for d in results["deliveries"])
    text = "".join(p.read_text() for p in (tmp_path / "reports").glob("*/*.json"))
    assert "SLACKSECRET" not in text and "TEAMSSECRET" not in text and "/slack/T0" not in text
