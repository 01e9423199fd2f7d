"""Compose the digest (or one batch's report) for each group of recipients; write it or send it.

A scheduled digest (``entry``) is recorded in the history once sent, per group, so the same
period is never mailed twice, even across restarts; one that could not be delivered is not
recorded, and the next firing tries again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path
from zoneinfo import ZoneInfo

from ...config import Config, ConfigError
from ...history.sent import SentDigest, digest_sent, last_digest, record_digest
from ...history.store import HistoryError, HistoryStore, database_url
from .deliver import DeliveryError, check_settings, deliver, mask
from .digest import build_digest
from .gather import batch_input, period_input
from .message import attach_pictures, build_message
from .model import Digest
from .period import Period, parse_time, stamp
from .settings import EmailSettings, email_settings

EXIT_OK, EXIT_USAGE, EXIT_NOT_SENT = 0, 2, 3
Deliver = Callable[..., list[str]]


@dataclass
class Request:
    """What the command line asked for."""

    since: timedelta = timedelta(days=7)
    period_end: datetime | None = None
    entry: str = ""
    to: tuple[str, ...] = ()
    write: Path | None = None
    only_if_changed: bool = False
    insecure: bool = False
    tag: str = ""
    batch_id: str | None = None   # for a batch report


@dataclass
class Outcome:
    exit_code: int = EXIT_OK
    said: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Group:
    tag: str                 # "" for the whole digest
    to: tuple[str, ...]


def groups(settings: EmailSettings, request: Request) -> list[Group]:
    if request.to:
        return [Group(request.tag, request.to)]
    found = [Group(request.tag, settings.to)] if settings.to else []
    if not request.tag:
        found += [Group(tag, to) for tag, to in settings.to_by_tag.items()]
    else:
        found += [Group(request.tag, to) for tag, to in settings.to_by_tag.items() if tag == request.tag]
    if not found and request.write is None:
        raise ConfigError(f"{settings.source or 'config'}: [email]: nobody to send to: give --to or set 'to'")
    return found or [Group(request.tag, ())]


def zone_of(settings: EmailSettings, end: datetime | None) -> tzinfo:
    if settings.timezone:
        return ZoneInfo(settings.timezone)
    return end.tzinfo if end is not None and end.tzinfo is not None else UTC


def open_store(config: Config) -> HistoryStore:
    return HistoryStore(database_url(config.db, config.path(config.output)))


def ready_to_send(config: Config) -> None:
    """Raise ConfigError unless ``[email]`` can send to someone: checked before a batch runs."""
    settings = email_settings(config)
    check_settings(settings)
    groups(settings, Request())


def send_digest(config: Config, request: Request, *, send: Deliver = deliver) -> Outcome:
    settings = email_settings(config)
    if request.write is None:
        check_settings(settings)
    end = request.period_end or datetime.now(UTC)
    zone = zone_of(settings, request.period_end)
    outcome = Outcome()
    try:
        with open_store(config) as store:
            for group in groups(settings, request):
                key = f"{request.entry}#{group.tag}" if request.entry and group.tag else request.entry
                done = digest_sent(store, key, stamp(end)) if key else None
                if done is not None:
                    outcome.said.append(_already(done, key))
                    continue
                last = last_digest(store, key, stamp(end)) if key else None
                previous = parse_time(last.period_end) if last else None
                period = Period.ending(end, request.since, zone, previous)
                data = period_input(store, period, tag=group.tag, prefix=settings.subject_prefix,
                                    output=config.path(config.output))
                digest = build_digest(data)
                _footer(digest, settings, config, request, settings.report_url)
                _deliver_group(store, digest, group, settings, request, key, end, outcome, send)
    except HistoryError as exc:
        return Outcome(EXIT_NOT_SENT, warnings=[f"no digest: {exc}"])
    return outcome


def send_report(config: Config, request: Request, *, send: Deliver = deliver) -> Outcome:
    """One batch (default: the newest) against the one before, to the configured recipients."""
    settings = email_settings(config)
    if request.write is None:
        check_settings(settings)
    outcome = Outcome()
    try:
        with open_store(config) as store:
            data = batch_input(store, request.batch_id, zone_of(settings, None),
                               prefix=settings.subject_prefix, output=config.path(config.output))
            if data is None:
                raise ConfigError(f"no batch {request.batch_id or ''} in the history: run `uxmon run` first")
            for group in groups(settings, Request(to=request.to, write=request.write)):
                digest = build_digest(data)
                link = f"{settings.report_url.rstrip('/')}/{data.now.batches[0].id}/index.html" \
                    if settings.report_url else ""
                _footer(digest, settings, config, request, link)
                _deliver_group(store, digest, group, settings, request, "", None, outcome, send)
    except HistoryError as exc:
        return Outcome(EXIT_NOT_SENT, warnings=[f"no report email: {exc}"])
    return outcome


def _already(done: SentDigest, key: str) -> str:
    what = "sent" if done.status == "sent" else "skipped (nothing changed)"
    return f"The digest of '{key}' for the period ending {done.period_end} was already {what} " \
           f"at {done.sent_at}: nothing to do."


def _footer(digest: Digest, settings: EmailSettings, config: Config, request: Request, link: str) -> None:
    digest.report_link = link
    file = Path(config.source).name if config.source else "uxmon.toml"
    if request.entry:
        digest.recipients_note = (f"You get this from the schedule entry '{request.entry}' in {file}; "
                                  f"its 'to' (or 'to' in [email]) says who gets it.")
    elif request.to:
        digest.recipients_note = "You get this because your address was given to uxmon with --to."
    else:
        digest.recipients_note = f"To change who gets this, edit 'to' in the [email] section of {file}."


def _deliver_group(store: HistoryStore, digest: Digest, group: Group, settings: EmailSettings,
                   request: Request, key: str, end: datetime | None, outcome: Outcome, send: Deliver) -> None:
    label = f" (tag {group.tag})" if group.tag else ""
    skip = _skip_reason(digest, settings, request)
    if skip:
        outcome.said.append(f"No email{label}: {skip}.")
        if key and end is not None and request.write is None:
            record_digest(store, SentDigest(key, stamp(end), _now(), "skipped", digest.subject))
        return
    pictures = attach_pictures(digest) if settings.attach_pictures else []
    sender = settings.sender or "uxmon@localhost"
    message = build_message(digest, sender, group.to, pictures=pictures, reply_to=settings.reply_to)
    if request.write is not None:
        path = _eml_path(request.write, group.tag)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(message.as_bytes(policy=SMTP))
        outcome.said.append(f"Wrote {path} ({_size(message)}): {digest.subject}")
        return
    sent = _send(message, digest, group, settings, request, outcome, send, label)
    if sent and key and end is not None:
        record_digest(store, SentDigest(key, stamp(end), _now(), "sent", digest.subject,
                                        ", ".join(group.to), str(message["Message-ID"])))


def _send(message: EmailMessage, digest: Digest, group: Group, settings: EmailSettings, request: Request,
          outcome: Outcome, send: Deliver, label: str) -> bool:
    try:
        refused = send(message, settings, insecure=request.insecure,
                       log=lambda line: outcome.warnings.append(line))
    except DeliveryError as exc:
        later = " The next scheduled digest tries again." if request.entry else ""
        outcome.warnings.append(f"email not sent{label}: {exc}.{later}")
        outcome.exit_code = EXIT_NOT_SENT
        return False
    got = [a for a in group.to if a not in refused]
    outcome.said.append(f"Sent “{digest.subject}” to {', '.join(got)} through {settings.server}.")
    if refused:
        outcome.warnings.append(mask(f"the server refused {', '.join(refused)}", settings))
    return True


def _skip_reason(digest: Digest, settings: EmailSettings, request: Request) -> str:
    if digest.nothing_ran and settings.when_nothing_ran == "skip":
        return f"nothing ran in {digest.period} (when_nothing_ran = \"skip\")"
    if request.only_if_changed and digest.quiet:
        return "a quiet period: nothing new, nothing fixed, every run passed (--only-if-changed)"
    return ""


def _eml_path(path: Path, tag: str) -> Path:
    return path if not tag else path.with_name(f"{path.stem}-{tag}{path.suffix or '.eml'}")


def _size(message: EmailMessage) -> str:
    return f"{len(message.as_bytes()) / 1024:.0f} KB"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
