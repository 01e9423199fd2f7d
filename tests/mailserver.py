"""A real SMTP server for tests: aiosmtpd on 127.0.0.1, plain, STARTTLS or implicit TLS.

AUTH is offered only over TLS (aiosmtpd's ``auth_require_tls``), so a test that logs in over
a plain connection fails as a real server would make it fail. Certificates are made by the
test with ``openssl``; every message that arrives is kept, parsed.
"""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

USER, PASSWORD = "uxmon-bot", "s3cret-Passw0rd!"


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost: (cert.pem, key.pem)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True, timeout=60)
    return cert, key


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Inbox:
    """What the server received, and what it should answer to DATA."""

    messages: list[EmailMessage] = field(default_factory=list)
    raw: list[bytes] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)
    replies: list[str] = field(default_factory=list)  # answers to DATA, used up in order

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.replies:
            return self.replies.pop(0)
        self.raw.append(envelope.content)
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))  # type: ignore[arg-type]
        return "250 OK"

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str,
                     auth_data: Any) -> AuthResult:
        if isinstance(auth_data, LoginPassword):
            login, password = auth_data.login.decode(), auth_data.password.decode()
            self.logins.append((login, password))
            if (login, password) == (USER, PASSWORD):
                return AuthResult(success=True, auth_data=auth_data)
        return AuthResult(success=False, handled=False)  # aiosmtpd answers 535


class ImplicitTLS(SMTP):
    """aiosmtpd counts only STARTTLS as TLS for ``auth_require_tls``; a connection that is TLS
    from its first byte is too."""

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        if transport.get_extra_info("sslcontext") is not None:
            self._auth_require_tls = False


class TLSController(Controller):
    def factory(self) -> SMTP:
        return ImplicitTLS(self.handler, **self.SMTP_kwargs)


@dataclass
class Server:
    host: str
    port: int
    mode: str
    inbox: Inbox
    cert: Path | None


@contextmanager
def smtp_server(mode: str, folder: Path) -> Iterator[Server]:
    """``mode``: "plain" (no TLS, no AUTH), "starttls" or "ssl" (both require AUTH)."""
    inbox = Inbox()
    cert = key = None
    kwargs: dict[str, Any] = {}
    if mode != "plain":
        cert, key = make_certificate(folder)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        kwargs = {"authenticator": inbox.authenticate, "auth_required": True, "auth_require_tls": True}
        if mode == "starttls":
            kwargs.update(tls_context=context, require_starttls=True)
        else:
            kwargs.update(ssl_context=context)
    port = free_port()
    kind = TLSController if mode == "ssl" else Controller
    controller = kind(inbox, hostname="127.0.0.1", port=port, ready_timeout=30, **kwargs)
    controller.start()
    try:
        yield Server("127.0.0.1", port, mode, inbox, cert)
    finally:
        controller.stop()
