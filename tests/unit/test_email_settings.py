"""The [email] section: defaults, what is refused (naming file and key), never the password."""

from __future__ import annotations

from pathlib import Path

import pytest

from uxmon.config import ConfigError, load_config
from uxmon.notify.email.deliver import check_settings
from uxmon.notify.email.period import PeriodError, parse_duration, parse_time
from uxmon.notify.email.settings import address_problem, email_settings, split_addresses


def settings_of(tmp_path: Path, body: str, environ: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    path = tmp_path / "uxmon.toml"
    path.write_text(f"[email]\n{body}\n", encoding="utf-8")
    return email_settings(load_config(path, environ=environ or {}), environ or {})


def test_defaults_and_the_password_from_the_environment(tmp_path: Path) -> None:
    s = settings_of(tmp_path, 'smtp_host = "smtp.example.com"\nusername = "bot"\nfrom = "a@example.com"',
                    {"UXMON_SMTP_PASSWORD": "pw-from-env"})
    assert (s.smtp_port, s.security, s.timeout, s.when_nothing_ran) == (587, "starttls", 30.0, "send")
    assert s.password == "pw-from-env" and "pw-from-env" not in repr(s)


def test_port_465_means_implicit_tls(tmp_path: Path) -> None:
    assert settings_of(tmp_path, "smtp_port = 465").security == "ssl"
    assert settings_of(tmp_path, 'security = "ssl"').smtp_port == 465
    assert settings_of(tmp_path, 'security = "none"').smtp_port == 25
    with pytest.raises(ConfigError, match=r"uxmon.toml: \[email\]: 'security': port 465 is implicit TLS"):
        settings_of(tmp_path, 'smtp_port = 465\nsecurity = "starttls"')


def test_the_placeholder_is_filled_from_the_environment(tmp_path: Path) -> None:
    s = settings_of(tmp_path, 'password = "${UXMON_SMTP_PASSWORD}"', {"UXMON_SMTP_PASSWORD": "xyz-123"})
    assert s.password == "xyz-123"
    with pytest.raises(ConfigError, match=r"\$\{UXMON_SMTP_PASSWORD\} is used but the variable is not set"):
        settings_of(tmp_path, 'password = "${UXMON_SMTP_PASSWORD}"')


@pytest.mark.parametrize(("body", "message"), [
    ('security = "tls"', r"\[email\]: 'security': must be one of starttls, ssl, none \(got 'tls'\)"),
    ('to = ["cx-team"]', r"\[email\]: 'to': 'cx-team' is not one email address like name@example.com"),
    ('to = "cx@example.com"', r"\[email\]: 'to': expected a list or a table"),
    ('to = ["a@example.com, b@example.com"]', r"is not one email address"),
    ('from = "x@example.com\\r\\nBcc: victim@example.com"', r"'from': must not hold line breaks"),
    ('to = { checkout = [] }', r"'to': must be a list of addresses, or a table"),
    ("smtp_port = 70000", r"'smtp_port': must be a port from 1 to 65535"),
    ('report_url = "reports.example.com"', r"'report_url': must be an http:// or https:// URL"),
    ('timezone = "Mars/Olympus"', r"'timezone': must be a time zone name"),
    ('smtp_hots = "x"', r"unknown key 'smtp_hots' \(did you mean 'smtp_host'\?\)"),
])
def test_bad_values_name_the_file_and_the_key(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        settings_of(tmp_path, body)
    assert str(tmp_path / "uxmon.toml") in str(caught.value)


def test_a_password_of_the_wrong_type_is_not_shown(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        settings_of(tmp_path, "password = 81726354")
    assert "81726354" not in str(caught.value) and "(the value is not shown)" in str(caught.value)


def test_recipients_per_tag(tmp_path: Path) -> None:
    s = settings_of(tmp_path, '[email.to]\n"*" = ["lead@example.com"]\n'
                              'checkout = ["Pay Team <pay@example.com>"]')
    assert s.to == ("lead@example.com",)
    assert dict(s.to_by_tag) == {"checkout": ("Pay Team <pay@example.com>",)}


def test_what_sending_needs(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"'smtp_host' is not set"):
        check_settings(settings_of(tmp_path, 'from = "a@example.com"'))
    with pytest.raises(ConfigError, match=r"'from' is not set"):
        check_settings(settings_of(tmp_path, 'smtp_host = "smtp.example.com"'))
    with pytest.raises(ConfigError, match=r"would send the password unencrypted to smtp.example.com"):
        check_settings(settings_of(tmp_path, 'smtp_host = "smtp.example.com"\nfrom = "a@example.com"\n'
                                             'security = "none"\nusername = "bot"'))


def test_addresses_on_the_command_line() -> None:
    assert split_addresses(["a@example.com,b@example.org", '"Team, CX" <cx@example.com>'], "--to") == (
        "a@example.com", "b@example.org", '"Team, CX" <cx@example.com>')
    with pytest.raises(ConfigError, match=r"--to: 'nobody' is not one email address"):
        split_addresses(["a@example.com,nobody"], "--to")
    assert address_problem("x@münchen.de") is None and address_problem("x@-bad.com")


def test_durations_and_times() -> None:
    assert parse_duration("7d").days == 7 and parse_duration("36h").total_seconds() == 36 * 3600
    assert parse_duration("2w").days == 14 and parse_duration("90m").total_seconds() == 5400
    for bad in ("", "7", "seven days", "-1d", "0d"):
        with pytest.raises(PeriodError, match="expected a duration like 7d, 24h or 2w"):
            parse_duration(bad)
    assert parse_time("2026-11-30T08:00:00").utcoffset().total_seconds() == 0  # type: ignore[union-attr]
    assert parse_time("2026-11-30T08:00:00+01:00").isoformat() == "2026-11-30T08:00:00+01:00"
    with pytest.raises(PeriodError, match="ISO 8601"):
        parse_time("next monday")
