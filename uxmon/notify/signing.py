"""Standard Webhooks signatures: sign what uxmon sends, and ``verify`` what a receiver got.

The signed content is ``<webhook-id>.<webhook-timestamp>.<raw body>``, HMAC-SHA256 with the
key after ``whsec_`` (base64), sent as ``webhook-signature: v1,<base64>``; receivers refuse
messages older or newer than ``tolerance`` seconds (default 300) against replays. A GitHub-style
``X-Uxmon-Signature-256: sha256=<hex of HMAC(body)>`` goes along for simpler receivers.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from typing import Any

PREFIX = "whsec_"


class WebhookVerificationError(ValueError):
    """The message is not from the holder of the secret, or is too old or too new."""


def _key(secret: str | bytes) -> bytes:
    if isinstance(secret, bytes):
        return secret
    body = secret[len(PREFIX):] if secret.startswith(PREFIX) else secret
    try:
        key = base64.b64decode(body + "=" * (-len(body) % 4), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise WebhookVerificationError("the secret is not a whsec_ base64 key") from exc
    if not key:
        raise WebhookVerificationError("the secret is empty")
    return key


def signature(secret: str | bytes, msg_id: str, timestamp: int, body: bytes) -> str:
    content = msg_id.encode() + b"." + str(timestamp).encode() + b"." + body
    digest = hmac.new(_key(secret), content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def sign_headers(secret: str, msg_id: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    """The headers of one delivery attempt (the id stays the same across attempts)."""
    ts = int(time.time()) if timestamp is None else timestamp
    github = hmac.new(_key(secret), body, hashlib.sha256).hexdigest()
    return {"webhook-id": msg_id, "webhook-timestamp": str(ts),
            "webhook-signature": signature(secret, msg_id, ts, body),
            "X-Uxmon-Signature-256": f"sha256={github}"}


def verify(body: bytes | str, headers: Mapping[str, str], secret: str, tolerance: float = 300,
           now: float | None = None) -> Any:
    """Check a uxmon webhook the receiver got and return its JSON; raise WebhookVerificationError.

    ``body`` is the raw request body (before any JSON parsing), ``headers`` its HTTP headers.
    """
    raw = body.encode() if isinstance(body, str) else body
    lower = {k.lower(): v for k, v in headers.items()}
    msg_id, stamp, signatures = (lower.get(k, "") for k in ("webhook-id", "webhook-timestamp",
                                                             "webhook-signature"))
    if not (msg_id and stamp and signatures):
        raise WebhookVerificationError("missing webhook-id, webhook-timestamp or webhook-signature")
    try:
        ts = int(stamp)
    except ValueError:
        raise WebhookVerificationError("webhook-timestamp is not a Unix time") from None
    current = time.time() if now is None else now
    if ts < current - tolerance:
        raise WebhookVerificationError("the message is too old")
    if ts > current + tolerance:
        raise WebhookVerificationError("the message timestamp is in the future")
    expected = signature(secret, msg_id, ts, raw).split(",", 1)[1]
    for candidate in signatures.split(" "):
        version, _, value = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(value, expected):
            return json.loads(raw)
    raise WebhookVerificationError("no signature matches")


def new_secret() -> str:
    import secrets

    return PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()
