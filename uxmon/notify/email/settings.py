"""The ``[email]`` config section: the SMTP server, sender, recipients, and what to send when."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.utils import getaddresses
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ...config import Config, ConfigError, Key, register_section
from ...config.schema import BOOL, INT, LIST, NUM, STR, TABLE, http_url, one_of, positive

SECURITY = ("starttls", "ssl", "none")
PASSWORD_ENV = "UXMON_SMTP_PASSWORD"
EVERYONE = "*"  # in a per-tag ``to`` table: the recipients of the whole digest
_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
_ADDRESS = re.compile(rf"^[^@\s<>()\[\],;:\"\\]+@{_LABEL}(?:\.{_LABEL})*$")


def address_problem(text: Any) -> str | None:
    """None for one good address ('cx@example.com' or 'CX team <cx@example.com>'), else why not."""
    if not isinstance(text, str) or not text.strip():
        return "must be an email address"
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        return "must not hold line breaks or control characters"
    found = getaddresses([text])
    if len(found) != 1 or not _ADDRESS.match(found[0][1]):
        return f"{text!r} is not one email address like name@example.com"
    return None


def _recipients(value: Any) -> str | None:
    lists = value.values() if isinstance(value, dict) else [value]
    for addresses in lists:
        if not isinstance(addresses, list) or not addresses:
            return "must be a list of addresses, or a table of tag = [addresses]"
        for address in addresses:
            problem = address_problem(address)
            if problem:
                return problem
    return None


def _port(value: Any) -> str | None:
    return None if 0 < value < 65536 else "must be a port from 1 to 65535"


def _zone(value: Any) -> str | None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return "must be a time zone name like Europe/Berlin or UTC"
    return None


EMAIL: dict[str, Key] = {
    "smtp_host": Key(STR, None, "the SMTP server, e.g. smtp.example.com"),
    "smtp_port": Key(INT, _port, "587 (STARTTLS) unless security says otherwise; 465 means ssl"),
    "security": Key(STR, one_of(*SECURITY), "starttls, ssl (implicit TLS) or none"),
    "username": Key(STR, None, "the SMTP login"),
    # Any type: a wrong one is reported without showing the value (it is a password).
    "password": Key((object,), None, 'use "${UXMON_SMTP_PASSWORD}", never the password itself'),
    "from": Key(STR, address_problem, "the sender address"),
    "to": Key(LIST + TABLE, _recipients, "addresses, or a table of tag = [addresses]"),
    "reply_to": Key(STR, address_problem, "where replies go"),
    "timeout": Key(NUM, positive, "seconds to wait for the SMTP server"),
    "ca_file": Key(STR, None, "a CA bundle for a server whose certificate a private CA signed"),
    "report_url": Key(STR, http_url, "where the HTML reports are served, if anywhere"),
    "subject_prefix": Key(STR, None, "the subject's first word"),
    "when_nothing_ran": Key(STR, one_of("send", "skip"), "a period without runs: say so, or send nothing"),
    "timezone": Key(STR, _zone, "dates in the email are shown in this zone"),
    "attach_pictures": Key(BOOL, None, "pictures of the top problems"),
}
register_section("email", EMAIL)


@dataclass(frozen=True)
class EmailSettings:
    """The ``[email]`` section, checked, with defaults filled in."""

    smtp_host: str = ""
    smtp_port: int = 587
    security: str = "starttls"
    username: str = ""
    password: str = field(default="", repr=False)
    sender: str = ""
    to: tuple[str, ...] = ()
    to_by_tag: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    reply_to: str = ""
    timeout: float = 30.0
    ca_file: str = ""
    report_url: str = ""
    subject_prefix: str = "uxmon"
    when_nothing_ran: str = "send"
    timezone: str = ""
    attach_pictures: bool = True
    source: str = ""  # the config file, for messages and the footer

    @property
    def server(self) -> str:
        return f"{self.smtp_host}:{self.smtp_port}"

    def secrets(self) -> list[str]:
        return [self.password] if self.password else []


def email_settings(config: Config, environ: Mapping[str, str] | None = None) -> EmailSettings:
    """The effective ``[email]`` settings; the password falls back to $UXMON_SMTP_PASSWORD."""
    raw = config.section("email")
    where = f"{config.source or 'config'}: [email]"
    environ = os.environ if environ is None else environ
    password = raw.get("password", environ.get(PASSWORD_ENV, ""))
    if not isinstance(password, str):
        raise ConfigError(f"{where}: 'password': expected a string (the value is not shown)")
    port = raw.get("smtp_port")
    security = raw.get("security") or ("ssl" if port == 465 else "starttls")
    if port is None:
        port = {"ssl": 465, "starttls": 587, "none": 25}[security]
    elif port == 465 and security != "ssl":
        raise ConfigError(f"{where}: 'security': port 465 is implicit TLS, so security must be "
                          f"\"ssl\" (got {security!r}); or leave security out")
    to = raw.get("to", [])
    return EmailSettings(
        smtp_host=raw.get("smtp_host", ""), smtp_port=port, security=security,
        username=raw.get("username", ""), password=password, sender=raw.get("from", ""),
        to=tuple(to) if isinstance(to, list) else tuple(to.get(EVERYONE, ())),
        to_by_tag={k: tuple(v) for k, v in to.items() if k != EVERYONE} if isinstance(to, dict) else {},
        reply_to=raw.get("reply_to", ""), timeout=float(raw.get("timeout", 30.0)),
        ca_file=str(config.path(raw["ca_file"])) if raw.get("ca_file") else "",
        report_url=raw.get("report_url", ""), subject_prefix=raw.get("subject_prefix", "uxmon"),
        when_nothing_ran=raw.get("when_nothing_ran", "send"), timezone=raw.get("timezone", ""),
        attach_pictures=raw.get("attach_pictures", True), source=config.source,
    )


def split_addresses(values: Sequence[str], where: str) -> tuple[str, ...]:
    """``--to a@x.com,b@y.com --to c@z.com`` → three addresses, each checked."""
    found: list[str] = []
    for value in values:
        for part in (p.strip() for p in _split_outside_quotes(value)):
            if not part:
                continue
            problem = address_problem(part)
            if problem:
                raise ConfigError(f"{where}: {problem}")
            found.append(part)
    return tuple(found)


def _split_outside_quotes(text: str) -> list[str]:
    parts, current, quoted = [], "", False
    for char in text:
        if char == '"':
            quoted = not quoted
        if char == "," and not quoted:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]
