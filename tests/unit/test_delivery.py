"""The one delivery policy, against a real loopback receiver: retries, Retry-After, timeouts, masking."""

from __future__ import annotations

import json
import logging
import random

import pytest
from standardwebhooks import Webhook

from tests.receiver import Answer, receiver
from uxmon.notify.alert import Alert
from uxmon.notify.delivery import DeliveryPolicy, deliver
from uxmon.notify.settings import Channel
from uxmon.notify.signing import new_secret

ALERT = Alert("msg_test1", "batch", "2026-11-04T10:00:00+00:00", base_url="https://shop.example.com",
              batch_id="b1", counts={"passed": 1, "failed": 0, "error": 0, "runs": 1})
FAST = DeliveryPolicy(connect_timeout_s=2, read_timeout_s=0.5, backoff_base_s=0.01, backoff_cap_s=0.05)


def test_500_then_429_with_retry_after_then_200_is_delivered_on_the_third_attempt() -> None:
    secret = new_secret()
    waits: list[float] = []
    script = [Answer(500), Answer(429, {"Retry-After": "2"}), Answer(200)]
    with receiver(script) as hook:
        channel = Channel("hook", "webhook", f"{hook.url}/uxmon/SECRETPATH", events=("batch.finished",),
                          secret=secret)
        result = deliver(channel, ALERT, FAST, sleep=waits.append, rng=random.Random(1))
        got = hook.requests
    assert (result.ok, result.attempts, result.status, result.error) == (True, 3, 200, "")
    assert len(got) == 3 and len(waits) == 2
    assert 0 <= waits[0] <= 0.01 and waits[1] == 2.0  # full-jitter backoff, then Retry-After honoured
    assert {r.headers["webhook-id"] for r in got} == {"msg_test1"}  # one id: receivers can dedupe
    for request in got:
        assert Webhook(secret).verify(request.body.decode(), request.headers)["id"] == "msg_test1"
    assert result.url == f"{hook.url}/…" and "SECRETPATH" not in json.dumps(result.as_dict())


def test_a_4xx_other_than_408_425_429_is_not_retried() -> None:
    with receiver([Answer(404)]) as hook:
        result = deliver(Channel("s", "slack", hook.url + "/services/X"), ALERT, FAST, sleep=lambda s: None)
        assert len(hook.requests) == 1
    assert (result.ok, result.attempts, result.error) == (False, 1, "HTTP 404")


def test_retry_after_is_capped_and_attempts_stop_at_four() -> None:
    waits: list[float] = []
    with receiver([Answer(503, {"Retry-After": "3600"})] * 5) as hook:
        policy = DeliveryPolicy(read_timeout_s=2, budget_s=1000)
        result = deliver(Channel("t", "teams", hook.url + "/w?sig=SECRET"), ALERT, policy, sleep=waits.append)
        assert len(hook.requests) == 4
    assert result.attempts == 4 and not result.ok and result.error == "HTTP 503"
    assert waits == [60.0, 60.0, 60.0]


def test_a_slack_url_that_times_out_is_reported_masked_and_never_raises(
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="uxmon.notify")
    with receiver([Answer(200, delay_s=3)] * 4) as slow:
        url = slow.url + "/services/T0/B0/VERYSECRET"
        result = deliver(Channel("ops", "slack", url), ALERT, FAST, sleep=lambda s: None)
        assert len(slow.requests) == 4
    assert not result.ok and result.attempts == 4
    assert result.error == "timed out (connect 2 s, read 0.5 s)"
    assert "VERYSECRET" not in caplog.text and "VERYSECRET" not in json.dumps(result.as_dict())
    assert f"alert msg_test1 to ops ({slow.url}/…) not delivered after 4 attempt(s)" in caplog.text


def test_nobody_listening_is_a_connection_failure() -> None:
    with receiver() as gone:
        url = gone.url
    result = deliver(Channel("w", "webhook", url + "/x"), ALERT, FAST, sleep=lambda s: None)
    assert not result.ok and result.error == "could not connect (ConnectionError)" and result.status is None


def test_the_total_budget_stops_retries() -> None:
    with receiver([Answer(500, {"Retry-After": "50"})] * 4) as hook:
        result = deliver(Channel("w", "webhook", hook.url), ALERT, DeliveryPolicy(budget_s=60),
                         sleep=lambda s: None)
    assert result.attempts == 2 and result.waits_s == [50.0]
