"""Secrets a scenario uses (passwords, card numbers, tokens) never leave the run.

``journey.secret("SHOP_PASSWORD")`` reads the value from the environment and remembers it;
when the run ends, every text in its record (step text, messages, reasons, selectors, finding
titles) and the Playwright trace (which records what was typed) have it replaced by a mask,
before anything is written, stored, printed, rendered or mailed.
"""

from __future__ import annotations

import dataclasses
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

MASK = "••••••"
MIN_LENGTH = 4  # shorter values would mask ordinary words and digits


def redact_text(text: str, secrets: Sequence[str]) -> str:
    for secret in sorted(set(secrets), key=len, reverse=True):
        if len(secret) >= MIN_LENGTH and secret in text:
            text = text.replace(secret, MASK)
    return text


def mask_url(url: str) -> str:
    """A URL fit to print: user name, password and query values masked (tokens hide there)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return MASK
    netloc = parts.netloc
    if "@" in netloc:
        netloc = f"{MASK}@{host}{port}"
    query = "&".join(f"{quote(k)}={MASK}" for k, _ in parse_qsl(parts.query, keep_blank_values=True))
    fragment = MASK if "=" in parts.fragment else parts.fragment  # #access_token=...
    return urlunsplit((parts.scheme, netloc, parts.path, query, fragment))


def redact(value: Any, secrets: Sequence[str]) -> Any:
    """The same dataclass tree, every string in it masked (lists and dicts included)."""
    if not secrets:
        return value
    if isinstance(value, str):
        return redact_text(value, secrets)
    if isinstance(value, list):
        return [redact(v, secrets) for v in value]
    if isinstance(value, dict):
        return {k: redact(v, secrets) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: redact(getattr(value, f.name), secrets) for f in dataclasses.fields(value)}
        return dataclasses.replace(value, **changes)
    return value


def redact_zip(path: Path, secrets: Sequence[str]) -> None:
    """Rewrite a trace archive with every member's secret bytes masked."""
    wanted = [s.encode() for s in secrets if len(s) >= MIN_LENGTH]
    if not wanted or not path.is_file():
        return
    temp = path.with_suffix(".redacting")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            for secret in wanted:
                data = data.replace(secret, MASK.encode())
            target.writestr(item, data)
    temp.replace(path)
