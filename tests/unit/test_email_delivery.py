"""Sending for real: aiosmtpd on 127.0.0.1 in three modes, AUTH only over TLS; faults each with
a clear message; a scheduled period sent once, even across restarts; the password nowhere."""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.digests import config_file, history
from tests.mailserver import PASSWORD, USER, Server, free_port, smtp_server
from uxmon.cli import main
from uxmon.history import HistoryStore
from uxmon.history.sent import digest_sent
from uxmon.notify.email import deliver

END = "2026-11-30T08:00:00+00:00"
SECURITY = {"plain": "none", "starttls": "starttls", "ssl": "ssl"}


@pytest.fixture(autouse=True)
def _no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(deliver, "WAITS", (0.0, 0.0))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    history(tmp_path)
    return tmp_path


def server_config(root: Path, server: Server, *, login: bool = True, ca: bool = True,
                  extra: str = "") -> Path:
    lines = [f'smtp_host = "{server.host}"', f"smtp_port = {server.port}",
             f'security = "{SECURITY[server.mode]}"', "timeout = 10"]
    if login and server.mode != "plain":
        lines += [f'username = "{USER}"', 'password = "${UXMON_SMTP_PASSWORD}"']
    if ca and server.cert is not None:
        lines.append(f'ca_file = "{server.cert}"')
    return config_file(root, "\n".join(lines) + "\n" + extra)


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UXMON_SMTP_PASSWORD", PASSWORD)


def digest(config: Path, *extra: str) -> int:
    return main(["digest", "-c", str(config), "--period-end", END, *extra])


@pytest.fixture(params=["plain", "starttls", "ssl"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Server]:
    with smtp_server(request.param, tmp_path) as running:
        yield running


def test_the_digest_arrives_in_every_mode(root: Path, server: Server,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert digest(server_config(root, server)) == 0
    out = capsys.readouterr().out
    assert f"through 127.0.0.1:{server.port}" in out and "cx-team@example.com" in out
    [message] = server.inbox.messages
    assert message["Subject"] == ("uxmon weekly · 4 new problems, 1 fixed · "
                                  "Buy a mug on desktop failed every run")
    assert message["To"] == "cx-team@example.com" and message["From"] == "uxmon <uxmon@example.com>"
    # Credentials only went over TLS; the plain server was never asked.
    assert server.inbox.logins == ([] if server.mode == "plain" else [(USER, PASSWORD)])
    kinds = [p.get_content_type() for p in message.walk()]
    assert kinds[:4] == ["multipart/alternative", "text/plain", "multipart/related", "text/html"]


def test_a_login_over_a_plain_connection_is_refused_by_the_server(
        root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with smtp_server("starttls", tmp_path) as server:
        config = config_file(root, f'smtp_host = "127.0.0.1"\nsmtp_port = {server.port}\nsecurity = "none"\n'
                                   f'username = "{USER}"\npassword = "${{UXMON_SMTP_PASSWORD}}"\n')
        assert digest(config) == 3
        assert server.inbox.logins == [] and server.inbox.messages == []
    err = capsys.readouterr().err
    assert "SMTP AUTH extension not supported by server" in err and 'security = "starttls"' in err


def test_a_refused_login_says_so_once_and_shows_no_password(root: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str],
                                                            caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="uxmon")
    wrong = "Wr0ng-" + PASSWORD
    monkeypatch.setenv("UXMON_SMTP_PASSWORD", wrong)
    with smtp_server("starttls", tmp_path) as server:
        assert digest(server_config(root, server)) == 3
        # One connection: smtplib offers PLAIN, then LOGIN; a 5xx is not tried again.
        assert server.inbox.logins == [(USER, wrong)] * 2
    said = capsys.readouterr()
    assert f"refused the login of '{USER}' (535 5.7.8 Authentication credentials invalid)" in said.err
    forms = [wrong, base64.b64encode(wrong.encode()).decode(),
             base64.b64encode(f"\0{USER}\0{wrong}".encode()).decode()]
    leftovers = [p.read_bytes() for p in root.rglob("*") if p.is_file()]
    for form in forms:
        assert form not in said.out + said.err + caplog.text
        assert not any(form.encode() in data for data in leftovers)


def test_a_certificate_that_does_not_verify(root: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    with smtp_server("ssl", tmp_path) as server:
        config = server_config(root, server, ca=False)
        assert digest(config) == 3
        assert "does not verify (self-signed certificate)" in capsys.readouterr().err
        assert server.inbox.messages == []
        assert digest(config, "--insecure") == 0  # only on request
        assert len(server.inbox.messages) == 1


def test_a_server_that_is_down_is_a_warning_and_the_next_firing_sends(
        root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    port = free_port()
    down = config_file(root, f'smtp_host = "127.0.0.1"\nsmtp_port = {port}\nsecurity = "none"\n')
    assert digest(down, "--entry", "weekly-cx") == 3
    err = capsys.readouterr().err
    assert err.count("trying again") == 2 and f"cannot reach the SMTP server 127.0.0.1:{port}" in err
    assert "The next scheduled digest tries again." in err
    with HistoryStore(f"sqlite:///{root / 'reports' / 'history.sqlite'}") as store:
        assert digest_sent(store, "weekly-cx", END) is None
    with smtp_server("plain", tmp_path) as server:
        up = server_config(root, server)
        assert digest(up, "--entry", "weekly-cx") == 0
        assert digest(up, "--entry", "weekly-cx") == 0  # a restart fires the same period again
        assert len(server.inbox.messages) == 1
    out = capsys.readouterr().out
    assert "The digest of 'weekly-cx' for the period ending 2026-11-30T08:00:00+00:00 was already sent" in out
    with HistoryStore(f"sqlite:///{root / 'reports' / 'history.sqlite'}") as store:
        sent = digest_sent(store, "weekly-cx", END)
    assert sent is not None and sent.status == "sent" and sent.recipients == "cx-team@example.com"


def test_a_4xx_reply_is_tried_again_and_a_5xx_is_not(root: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    with smtp_server("plain", tmp_path) as server:
        config = server_config(root, server)
        server.inbox.replies = ["451 4.3.0 Mailbox busy, try later"]
        assert digest(config) == 0 and len(server.inbox.messages) == 1
        assert "attempt 1 of 3 failed" in capsys.readouterr().err
        server.inbox.replies = ["554 5.7.1 Message rejected as spam", "250 would have passed"]
        assert digest(config) == 3 and len(server.inbox.messages) == 1
        assert server.inbox.replies == ["250 would have passed"]  # no second try
    assert "answered 554 5.7.1 Message rejected as spam" in capsys.readouterr().err


def test_only_if_changed_skips_a_quiet_week_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean_shop = ["clean--buy-a-mug--desktop"]
    history(tmp_path, {"a": ("2026-11-20T08:00:00+00:00", clean_shop),
                       "b": ("2026-11-27T08:00:00+00:00", clean_shop)})
    with smtp_server("plain", tmp_path) as server:
        config = server_config(tmp_path, server)
        assert digest(config, "--entry", "w", "--only-if-changed") == 0
        assert digest(config, "--entry", "w", "--only-if-changed") == 0
        assert server.inbox.messages == []
    out = capsys.readouterr().out
    assert "No email: a quiet period: nothing new, nothing fixed, every run passed" in out
    assert "was already skipped (nothing changed)" in out


def test_a_period_without_batches_sends_nothing_ran_or_nothing(root: Path, tmp_path: Path) -> None:
    with smtp_server("plain", tmp_path) as server:
        config = server_config(root, server)
        assert main(["digest", "-c", str(config), "--period-end", "2027-01-10T08:00:00Z"]) == 0
        assert "nothing ran" in server.inbox.messages[0]["Subject"]
        config = server_config(root, server, extra='when_nothing_ran = "skip"\n')
        assert main(["digest", "-c", str(config), "--period-end", "2027-01-10T08:00:00Z"]) == 0
        assert len(server.inbox.messages) == 1


def test_recipients_per_tag_get_their_journeys(root: Path, tmp_path: Path) -> None:
    with smtp_server("plain", tmp_path) as server:
        path = server_config(root, server)
        path.write_text(path.read_text().replace('to = ["cx-team@example.com"]\n', "")
                        + '[email.to]\n"*" = ["lead@example.com"]\nsupport = ["help@example.com"]\n')
        assert digest(path) == 0
        by_to = {m["To"]: m for m in server.inbox.messages}
    assert set(by_to) == {"lead@example.com", "help@example.com"}
    support = next(p for p in by_to["help@example.com"].walk() if p.get_content_type() == "text/plain")
    text = support.get_content()
    assert "journeys tagged support" in text and "Reach a human on mobile" in text and "Buy a mug" not in text


def test_write_makes_an_eml_preview_and_sends_nothing(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = config_file(root)  # no server configured at all: a preview needs none
    out = root / "digest.eml"
    assert digest(config, "--write", str(out), "--to", "someone@example.com") == 0
    assert f"Wrote {out}" in capsys.readouterr().out
    raw = out.read_bytes()
    assert b"\r\n" in raw and b"To: someone@example.com" in raw and b"Auto-Submitted: auto-generated" in raw


@pytest.mark.parametrize(("args", "message"), [
    (["--to", "not-an-address"], "--to: 'not-an-address' is not one email address"),
    (["--since", "a week"], "expected a duration like 7d, 24h or 2w"),
    (["--period-end", "monday"], "ISO 8601"),
])
def test_bad_options_are_usage_errors(root: Path, args: list[str], message: str,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["digest", "-c", str(config_file(root)), *args]) == 2
    said = capsys.readouterr()
    assert message in said.err + said.out and "Traceback" not in said.err


def test_sending_without_a_server_configured_is_a_config_error(root: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["digest", "-c", str(config_file(root))]) == 2
    assert "'smtp_host' is not set" in capsys.readouterr().err


def test_report_email_sends_one_batch(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with smtp_server("plain", tmp_path) as server:
        config = server_config(root, server, extra='report_url = "https://reports.example.com/uxmon/"\n')
        assert main(["report", "-c", str(config), "--email", "--batch", "b2"]) == 0
        [message] = server.inbox.messages
    assert message["Subject"].startswith("uxmon report · ")
    html = next(p for p in message.walk() if p.get_content_type() == "text/html").get_content()
    assert 'href="https://reports.example.com/uxmon/b2/index.html"' in html
    assert "batch b2, 25 Nov 2026 08:00 UTC" in html
    assert main(["report", "-c", str(config), "--to", "a@example.com"]) == 2  # --to needs --email


def test_the_scheduler_command_line_in_a_fresh_process(root: Path, tmp_path: Path) -> None:
    """Exactly what `uxmon schedule` starts for a digest entry; [email] is known to a new process."""
    import os
    import subprocess
    import sys

    with smtp_server("plain", tmp_path) as server:
        config = server_config(root, server)
        command = [sys.executable, "-m", "uxmon", "digest", "--config", str(config), "--entry", "weekly-cx",
                   "--period-end", "2026-11-30T08:00:00+01:00", "--since", "7d",
                   "--to", "cx-team@example.com", "--to", "lead@example.com", "--only-if-changed"]
        env = {**os.environ, "UXMON_SMTP_PASSWORD": PASSWORD}
        first = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)
        again = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)
    assert (first.returncode, again.returncode) == (0, 0), first.stderr + again.stderr
    [message] = server.inbox.messages
    assert message["To"] == "cx-team@example.com, lead@example.com"
    assert "was already sent" in again.stdout and PASSWORD not in first.stdout + first.stderr


def test_run_email_checks_the_email_config_before_any_browser_starts(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = config_file(tmp_path)  # no smtp_host
    assert main(["run", "-c", str(config), "--base-url", "http://127.0.0.1:9", "--email"]) == 2
    assert "'smtp_host' is not set" in capsys.readouterr().err
    assert not (tmp_path / "reports").exists()
