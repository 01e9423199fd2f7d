"""SMTP delivery: STARTTLS, implicit TLS or plain; retries what may pass later, never the password.

Three attempts, 5 s and 30 s apart, on connection errors and 4xx replies (the server says
"try again later"); none on 5xx (it said no, and will say it again) or on a certificate
that does not verify. Every message that leaves this module has the password masked, in
clear and in the base64 forms SMTP AUTH sends it in.
"""

from __future__ import annotations

import base64
import smtplib
import socket
import ssl
import time
from collections.abc import Callable, Sequence
from email.message import EmailMessage

from ...records.redact import redact_text
from .settings import EmailSettings

WAITS = (5.0, 30.0)
LOCAL = ("localhost", "127.0.0.1", "::1")


class DeliveryError(Exception):
    """The message was not delivered; ``transient`` when a later try may succeed."""

    def __init__(self, message: str, *, transient: bool) -> None:
        super().__init__(message)
        self.transient = transient


def secret_forms(settings: EmailSettings) -> list[str]:
    """The password as it may appear on the wire: clear, base64, AUTH PLAIN's and LOGIN's."""
    if not settings.password:
        return []
    user, password = settings.username, settings.password
    forms = [password, base64.b64encode(password.encode()).decode(),
             base64.b64encode(f"\0{user}\0{password}".encode()).decode(),
             base64.b64encode(f"{user}\0{password}".encode()).decode()]
    return [f for f in forms if f]


def mask(text: str, settings: EmailSettings) -> str:
    return redact_text(text, secret_forms(settings))


def check_settings(settings: EmailSettings) -> None:
    """What must be true before trying: a server, a sender, no password in the clear."""
    from ...config import ConfigError

    where = f"{settings.source or 'config'}: [email]"
    if not settings.smtp_host:
        raise ConfigError(f"{where}: 'smtp_host' is not set: which SMTP server should send the email?")
    if not settings.sender:
        raise ConfigError(f"{where}: 'from' is not set: the address the email comes from")
    if settings.security == "none" and settings.username and settings.smtp_host not in LOCAL:
        raise ConfigError(f"{where}: security = \"none\" would send the password unencrypted to "
                          f"{settings.smtp_host}: use \"starttls\" or \"ssl\"")


def tls_context(settings: EmailSettings, insecure: bool) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=settings.ca_file or None)
    if insecure:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def deliver(message: EmailMessage, settings: EmailSettings, *, insecure: bool = False,
            waits: Sequence[float] | None = None, sleep: Callable[[float], None] = time.sleep,
            log: Callable[[str], None] | None = None) -> list[str]:
    """Send ``message``; return the recipients the server refused (the others got it)."""
    check_settings(settings)
    waits = WAITS if waits is None else waits
    attempts = len(waits) + 1
    for attempt in range(1, attempts + 1):
        try:
            return _send_once(message, settings, insecure)
        except DeliveryError as exc:
            if not exc.transient or attempt == attempts:
                raise
            if log is not None:
                log(f"attempt {attempt} of {attempts} failed: {exc}; "
                    f"trying again in {waits[attempt - 1]:g} s")
            sleep(waits[attempt - 1])
    raise AssertionError("unreachable")


def _send_once(message: EmailMessage, settings: EmailSettings, insecure: bool) -> list[str]:
    try:
        with _connect(settings, insecure) as smtp:
            if settings.username:
                smtp.login(settings.username, settings.password)
            refused = smtp.send_message(message)
            return sorted(refused)
    except Exception as exc:  # noqa: BLE001 - every failure becomes one clear, masked message
        raise _explain(exc, settings) from None


def _connect(settings: EmailSettings, insecure: bool) -> smtplib.SMTP:
    host, port, timeout = settings.smtp_host, settings.smtp_port, settings.timeout
    if settings.security == "ssl":
        return smtplib.SMTP_SSL(host, port, timeout=timeout, context=tls_context(settings, insecure))
    smtp = smtplib.SMTP(host, port, timeout=timeout)
    try:
        if settings.security == "starttls":
            smtp.ehlo()
            if not smtp.has_extn("starttls"):
                raise smtplib.SMTPNotSupportedError("the server does not offer STARTTLS")
            smtp.starttls(context=tls_context(settings, insecure))
            smtp.ehlo()
    except BaseException:
        smtp.close()
        raise
    return smtp


def _explain(exc: BaseException, settings: EmailSettings) -> DeliveryError:
    server = settings.server
    if isinstance(exc, ssl.SSLCertVerificationError):
        why = exc.verify_message or exc.reason or str(exc)
        text = (f"the certificate of {server} does not verify ({why}); if a private CA signed it, "
                f"set [email] ca_file; --insecure skips the check (only on a network you trust)")
        return DeliveryError(mask(text, settings), transient=False)
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        text = f"{server} refused the login of {settings.username!r} ({_reply(exc)}): " \
               f"check username and password"
        return DeliveryError(mask(text, settings), transient=False)
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        hint = " (set security = \"ssl\" for port 465)" if settings.smtp_port == 465 else \
            " (many servers offer AUTH only over TLS: security = \"starttls\")" \
            if "AUTH" in str(exc) and settings.security == "none" else ""
        text = f"{server}: {exc}{hint}"
        return DeliveryError(mask(text, settings), transient=False)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        detail = "; ".join(f"{who}: {_reply_of(code, said)}" for who, (code, said) in exc.recipients.items())
        return DeliveryError(mask(f"{server} refused every recipient ({detail})", settings),
                             transient=all(400 <= c < 500 for c in codes))
    if isinstance(exc, smtplib.SMTPResponseException):
        return DeliveryError(mask(f"{server} answered {_reply(exc)}", settings),
                             transient=400 <= exc.smtp_code < 500)
    if isinstance(exc, ssl.SSLError):
        text = f"TLS with {server} failed ({exc.reason or exc}); is security = \"{settings.security}\" right?"
        return DeliveryError(mask(text, settings), transient=False)
    if isinstance(exc, socket.gaierror):
        return DeliveryError(f"cannot find the SMTP server {settings.smtp_host!r} ({exc.strerror})",
                             transient=True)
    if isinstance(exc, TimeoutError | socket.timeout):
        return DeliveryError(f"{server} did not answer within {settings.timeout:g} s", transient=True)
    if isinstance(exc, smtplib.SMTPServerDisconnected | ConnectionError | OSError):
        return DeliveryError(mask(f"cannot reach the SMTP server {server}: {_os_reason(exc)}", settings),
                             transient=True)
    return DeliveryError(mask(f"sending through {server} failed: {type(exc).__name__}: {exc}", settings),
                         transient=False)


def _reply(exc: smtplib.SMTPResponseException) -> str:
    return _reply_of(exc.smtp_code, exc.smtp_error)


def _reply_of(code: int, said: bytes | str) -> str:
    text = said.decode("utf-8", "replace") if isinstance(said, bytes) else str(said)
    return f"{code} {' '.join(text.split())}"[:300]


def _os_reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc) or type(exc).__name__
