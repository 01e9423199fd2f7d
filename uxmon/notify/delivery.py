"""The one delivery policy every channel uses: timeouts, retries, backoff, Retry-After.

5 s to connect, 10 s to read; up to 4 attempts with full-jitter exponential backoff (from 1 s,
capped at 30 s), a server's ``Retry-After`` honoured up to 60 s, 90 s in all; retries on
connection errors, timeouts, 408, 425, 429 and 5xx, never on another 4xx; redirects are not
followed. The webhook URL is a secret: it appears in no log line and no result, only its host.
"""

from __future__ import annotations

import email.utils
import json
import logging
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import requests

from .alert import Alert, mask_url
from .payload import webhook_payload
from .settings import Channel
from .signing import sign_headers
from .slack import slack_message
from .teams import teams_message

log = logging.getLogger("uxmon.notify")
RETRY_STATUS = {408, 425, 429}
USER_AGENT = "uxmon-alerts"


@dataclass(frozen=True)
class DeliveryPolicy:
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 10.0
    attempts: int = 4
    backoff_base_s: float = 1.0
    backoff_cap_s: float = 30.0
    retry_after_cap_s: float = 60.0
    budget_s: float = 90.0


@dataclass
class Delivery:
    """How one message to one channel went: what results.json lists under ``deliveries``."""

    channel: str
    type: str
    url: str  # masked
    events: list[str]
    message_id: str
    ok: bool = False
    attempts: int = 0
    status: int | None = None
    error: str = ""
    waits_s: list[float] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def body_of(channel: Channel, alert: Alert) -> dict[str, Any]:
    if channel.type == "slack":
        return slack_message(alert)
    if channel.type == "teams":
        return teams_message(alert)
    return webhook_payload(alert)


def deliver(channel: Channel, alert: Alert, policy: DeliveryPolicy | None = None, *,
            sleep: Callable[[float], None] = time.sleep, rng: random.Random | None = None,
            session: requests.Session | None = None) -> Delivery:
    """Send ``alert`` to ``channel`` under the policy; never raises."""
    policy = policy or DeliveryPolicy()
    rng = rng or random.Random()
    body = json.dumps(body_of(channel, alert), ensure_ascii=False).encode("utf-8")
    result = Delivery(channel.name, channel.type, mask_url(channel.url), alert.events, alert.id)
    spent = 0.0  # in requests and waits: the budget
    http = session or requests.Session()
    try:
        while result.attempts < policy.attempts:
            result.attempts += 1
            t0 = time.monotonic()
            asked = _attempt(http, channel, alert.id, body, policy, result)
            spent += time.monotonic() - t0
            if asked is None:
                break
            backoff = min(policy.backoff_cap_s, policy.backoff_base_s * 2 ** (result.attempts - 1))
            wait = asked if asked > 0 else rng.uniform(0, backoff)
            if result.attempts >= policy.attempts or spent + wait > policy.budget_s:
                break
            spent += wait
            result.waits_s.append(round(wait, 3))
            sleep(wait)
    finally:
        if session is None:
            http.close()
    _log(result)
    return result


def _attempt(http: requests.Session, channel: Channel, msg_id: str, body: bytes, policy: DeliveryPolicy,
             result: Delivery) -> float | None:
    """One POST. None: stop (done, or not worth retrying); else seconds to wait (0: backoff)."""
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT}
    if channel.type == "webhook" and channel.secret:
        headers.update(sign_headers(channel.secret, msg_id, body))
    elif channel.type == "webhook":
        headers["webhook-id"] = msg_id
    try:
        answer = http.post(channel.url, data=body, headers=headers, allow_redirects=False,
                           timeout=(policy.connect_timeout_s, policy.read_timeout_s))
    except requests.Timeout:
        result.status, result.error = None, f"timed out (connect {policy.connect_timeout_s:g} s, " \
                                             f"read {policy.read_timeout_s:g} s)"
        return 0.0
    except requests.RequestException as exc:
        result.status, result.error = None, f"could not connect ({type(exc).__name__})"
        return 0.0
    result.status = answer.status_code
    answer.close()
    if 200 <= answer.status_code < 300:
        result.ok, result.error = True, ""
        return None
    result.error = f"HTTP {answer.status_code}"
    if answer.status_code in RETRY_STATUS or answer.status_code >= 500:
        return _retry_after(answer.headers.get("Retry-After"), policy.retry_after_cap_s)
    return None


def _retry_after(value: str | None, cap: float) -> float:
    """Seconds a ``Retry-After`` asks for (seconds or an HTTP date), capped; 0 when absent."""
    if not value:
        return 0.0
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = email.utils.parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            seconds = 0.0
    return max(0.0, min(seconds, cap))


def _log(result: Delivery) -> None:
    if result.ok:
        log.info("alert %s sent to %s (%s) after %d attempt(s)", result.message_id, result.channel,
                 result.url, result.attempts)
    else:
        log.warning("alert %s to %s (%s) not delivered after %d attempt(s): %s", result.message_id,
                    result.channel, result.url, result.attempts, result.error)
