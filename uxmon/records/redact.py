"""Secrets a scenario uses (passwords, card numbers, tokens) never leave the run, in any encoding.

``journey.secret("SHOP_PASSWORD")`` reads the value from the environment and remembers it; the
password and the query values of the configured base URL are secrets too. When the run ends,
before anything is written, stored, printed, rendered or mailed:

- a secret of 4 characters or more is masked wherever it appears, as typed, JSON-escaped,
  URL-encoded (``quote`` and ``quote_plus``) and HTML-escaped, in the record and in every
  member of the Playwright trace;
- any secret, however short (a card's 3-digit security code), is masked where it is a whole
  value: what a fill or a key press typed into a field (trace action parameters), a form or
  JSON request body field, a URL query parameter. Masking a short value everywhere would
  blank out ordinary words and digits.

Pictures are not masked: what the page shows on screen is in them (docs/reliability.md).
"""

from __future__ import annotations

import dataclasses
import html
import json
import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, quote_plus, unquote_plus, urlsplit, urlunsplit

MASK = "••••••"
MIN_LENGTH = 4


def encodings(secret: str) -> list[str]:
    """The forms a value takes in records, traces and request bodies, longest first."""
    forms = {secret, json.dumps(secret)[1:-1], json.dumps(secret, ensure_ascii=False)[1:-1],
             quote(secret), quote(secret, safe=""), quote_plus(secret), html.escape(secret),
             html.escape(secret, quote=False)}
    return sorted(forms, key=len, reverse=True)


def _everywhere(secrets: Iterable[str]) -> list[str]:
    forms = {form for s in set(secrets) if len(s) >= MIN_LENGTH for form in encodings(s)}
    return sorted(forms, key=len, reverse=True)


def redact_text(text: str, secrets: Sequence[str]) -> str:
    for form in _everywhere(secrets):
        if form in text:
            text = text.replace(form, MASK)
    return _query_values(text, set(secrets)) if "=" in text else text


_QUERY = re.compile(r"([?&;][^=&#\s\"']+=)([^&#\s\"']*)")


def _query_values(text: str, secrets: set[str]) -> str:
    """``?cvc=123`` in any URL or form body: a parameter whose whole value is a secret."""
    def mask(match: re.Match[str]) -> str:
        value = match.group(2)
        plain = {value, _unquote(value)}
        return match.group(1) + MASK if plain & secrets else match.group(0)

    return _QUERY.sub(mask, text)


def _unquote(value: str) -> str:
    return unquote_plus(value)


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
    """Rewrite a trace archive with every secret masked in every member."""
    if not secrets or not path.is_file():
        return
    temp = path.with_suffix(".redacting")
    try:
        with zipfile.ZipFile(path) as source, zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                target.writestr(item, redact_bytes(source.read(item), secrets, item.filename))
        temp.replace(path)
    finally:
        temp.unlink(missing_ok=True)


def redact_bytes(data: bytes, secrets: Sequence[str], name: str = "") -> bytes:
    """A trace member: JSON lines get whole-value masking of typed values and bodies."""
    for form in _everywhere(secrets):
        data = data.replace(form.encode("utf-8"), MASK.encode("utf-8"))
    short = {s for s in secrets if s}
    if name.endswith((".trace", ".network", ".json")) and short:
        data = b"\n".join(_redact_json_line(line, short) for line in data.split(b"\n"))
    return data


def _redact_json_line(line: bytes, secrets: set[str]) -> bytes:
    if not line.strip().startswith(b"{"):
        return line
    try:
        event = json.loads(line)
    except ValueError:
        return line
    masked = _whole_values(event, secrets)
    return json.dumps(masked, ensure_ascii=False).encode("utf-8") if masked != event else line


def _whole_values(value: Any, secrets: set[str]) -> Any:
    """Strings equal to a secret, and secret-valued fields inside form/JSON bodies and URLs."""
    if isinstance(value, str):
        if value in secrets:
            return MASK
        if "=" in value:  # a form body or a URL: each parameter on its own
            return _query_values("&" + value, secrets)[1:]
        if value.startswith(("{", "[")):
            try:
                inner = json.loads(value)
            except ValueError:
                return value
            masked = _whole_values(inner, secrets)
            return json.dumps(masked) if masked != inner else value
        return value
    if isinstance(value, list):
        return [_whole_values(v, secrets) for v in value]
    if isinstance(value, dict):
        return {k: _whole_values(v, secrets) for k, v in value.items()}
    return value


def url_secrets(url: str) -> list[str]:
    """What a configured URL carries that must not be shown: user-info and query values."""
    if not url:
        return []
    parts = urlsplit(url)
    found = [v for _, v in parse_qsl(parts.query, keep_blank_values=False)]
    found += [parts.password or "", parts.username or ""]  # a user name can be a token too
    return [v for v in found if v]
