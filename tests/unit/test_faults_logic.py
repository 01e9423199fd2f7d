"""The pure parts of fault handling: cleaning site text, masking secrets, limits and config checks."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path
from urllib.parse import quote, quote_plus
from xml.etree import ElementTree as ET

import pytest

from uxmon.config import ConfigError, load_config
from uxmon.records.redact import MASK, encodings, mask_url, redact_bytes, redact_text, url_secrets
from uxmon.records.text import clean, clean_tree, terminal_safe, xml_safe
from uxmon.run import capacity


def test_lone_surrogates_and_control_characters_are_cleaned() -> None:
    dirty = "Sale \ud83d ends\x1b[2J\x1b[31m now\x07\x00\r\nbye\x85"
    assert clean(dirty) == "Sale \ufffd ends[2J[31m now\nbye"
    clean(dirty).encode("utf-8")  # writable as UTF-8
    assert clean_tree({"t": [dirty], "n": 3}) == {"t": [clean(dirty)], "n": 3}
    assert clean("plain text") == "plain text"


def test_xml_and_terminal_filters() -> None:
    assert xml_safe("a\x0bb\ufffec") == "ab\ufffdc"
    ET.fromstring(f"<a>{xml_safe('x' + chr(1) + chr(0xFFFF) + 'y')}</a>")
    assert terminal_safe("red \x1b[31m bell\x07") == "red \\x1b[31m bell\\x07"


SECRET = "Kim <K&Co> Ünal/ops"


@pytest.mark.parametrize("form", encodings(SECRET))
def test_a_long_secret_is_masked_in_every_encoding(form: str) -> None:
    assert form in (SECRET, json.dumps(SECRET)[1:-1], json.dumps(SECRET, ensure_ascii=False)[1:-1],
                    quote(SECRET), quote(SECRET, safe=""), quote_plus(SECRET),
                    "Kim &lt;K&amp;Co&gt; Ünal/ops")
    assert redact_text(f"before {form} after", [SECRET]) == f"before {MASK} after"
    assert form.encode() not in redact_bytes(f"x{form}y".encode(), [SECRET])


def test_a_short_secret_is_masked_where_it_is_a_whole_value_only() -> None:
    text = "POST /pay?cvc=739&qty=1 — order 17390 costs 739 pennies"
    assert redact_text(text, ["739"]) == f"POST /pay?cvc={MASK}&qty=1 — order 17390 costs 739 pennies"
    line = json.dumps({"apiName": "locator.fill", "params": {"selector": "#cvc", "value": "739"}})
    body = json.dumps({"request": {"postData": {"text": "name=Kim&cvc=739"}}})
    masked = redact_bytes(f"{line}\n{body}".encode(), ["739"], "trace.trace").decode()
    assert '"739"' not in masked and "cvc=739" not in masked and "name=Kim" in masked


def test_credentials_of_a_configured_url() -> None:
    url = "https://bob:hunter2@shop.example:8443/a?token=tk-99&lang=en"
    assert url_secrets(url) == ["tk-99", "en", "hunter2", "bob"]
    assert mask_url(url) == f"https://{MASK}@shop.example:8443/a?token={MASK}&lang={MASK}"
    assert mask_url("https://shop.example/") == "https://shop.example/"


def test_workers_are_held_to_what_the_machine_holds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(capacity, "machine_limit", lambda: (2, "2 cores, 24 GiB of memory"))
    assert capacity.worker_count(2) == (2, "")
    count, warning = capacity.worker_count(1000)
    assert count == 2
    assert warning == ("1000 workers asked for, but this machine (2 cores, 24 GiB of memory) holds 2 "
                       "browsers at once; using 2 (--no-worker-cap or cap_workers = false to insist)")
    assert capacity.worker_count(1000, cap=False) == (1000, "")


def test_the_real_machine_limit_is_at_least_one() -> None:
    limit, how = capacity.machine_limit()
    assert limit >= 1 and "cores" in how


@pytest.mark.parametrize("value", [float("inf"), float("nan")])
def test_a_timeout_that_is_not_finite_is_refused(value: float) -> None:
    with pytest.raises(ConfigError, match="option timeouts.run: must be a finite number"):
        load_config(overrides={"timeouts.run": value}, environ={})


def test_a_config_file_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    path = tmp_path / "uxmon.toml"
    path.write_bytes('base_url = "https://caf\xe9.example"\n'.encode("latin-1"))
    with pytest.raises(ConfigError) as err:
        load_config(path, environ={})
    assert str(err.value) == f"{path}: not UTF-8 text (byte 0xe9 at position 23): save the file as UTF-8"


@pytest.mark.parametrize(("db", "problem"), [
    ("not a url", "must be a database URL such as sqlite:///reports/history.sqlite"),
    ("mysql://x/y", "must be a database URL such as"),
    ("sqlite://history.sqlite", "an SQLite URL has three slashes before a path"),
])
def test_a_database_url_is_checked_when_the_config_loads(tmp_path: Path, db: str, problem: str) -> None:
    path = tmp_path / "uxmon.toml"
    path.write_text(f'db = "{db}"\n')
    with pytest.raises(ConfigError, match=f"{path}: 'db': {problem}"):
        load_config(path, environ={})


def test_good_database_urls_pass(tmp_path: Path) -> None:
    for db in ("sqlite:///reports/h.sqlite", "sqlite:////var/lib/h.sqlite",
               "postgresql+psycopg://u@127.0.0.1:5432/uxmon", "postgresql://u:p@db/uxmon"):
        (tmp_path / "uxmon.toml").write_text(f'db = "{db}"\n')
        assert load_config(tmp_path / "uxmon.toml", environ={}).db == db


def test_an_unknown_viewport_in_one_decorator_stops_only_that_scenario(tmp_path: Path) -> None:
    from uxmon.authoring.scenarios import LoadError, discover
    from uxmon.config import Config
    from uxmon.run.plan import plan_jobs

    from .test_viewports import DEVICES

    (tmp_path / "s.py").write_text(
        "import uxmon\n\n@uxmon.scenario('Good')\ndef good(j):\n    pass\n\n\n"
        "@uxmon.scenario('Odd', viewports=['tablet'])\ndef odd(j):\n    pass\n")
    found = discover([tmp_path / "s.py"]).scenarios
    problems: list[LoadError] = []
    jobs = plan_jobs(found, Config(), DEVICES, problems=problems)
    assert [j.run_id for j in jobs] == ["good--desktop", "good--mobile"]
    assert [str(p) for p in problems] == [
        f"{tmp_path / 's.py'}:8: scenario 'Odd': unknown viewport 'tablet': known profiles are "
        "desktop, mobile, mobile-slow4g"]
    with pytest.raises(ConfigError, match="unknown viewport 'phone'"):
        plan_jobs(found, Config(), DEVICES, chosen_viewports=["phone"], problems=[])


def test_a_scenario_section_that_names_no_scenario_is_a_warning() -> None:
    from uxmon.config import Config
    from uxmon.run.pipeline import _unknown_sections

    config = Config(scenario_overrides={"Buy a mgu": {"timeout": 5}, "Buy a mug": {}}, source="uxmon.toml")
    assert _unknown_sections(config, ["Buy a mug", "Reach a human"]) == [
        'uxmon.toml: [scenario."Buy a mgu"] names no scenario that was found (did you mean "Buy a mug"?); '
        "its settings are not used"]


def test_a_host_that_does_not_resolve_is_named_however_slowly_the_browser_failed(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from uxmon.records import Request
    from uxmon.records.outcomes import Verdict
    from uxmon.run.verdicts import resolves, with_pending_page

    def resolver(host: str, *_: object) -> list[object]:
        """The machine's resolver as the three answers it can give (a real one may hang here)."""
        if host.endswith(".invalid"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        if host.startswith("slow."):
            time.sleep(0.5)
        return []

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    assert resolves("shop.uxmon-test.invalid") is False
    assert resolves("shop.example") is True
    assert resolves("slow.example", timeout_s=0.1) is None  # undecided: no claim either way
    timed_out = Verdict("error", "unreachable", "the site did not answer: nothing came back before the "
                        "timeout (Page.goto: Timeout 5000ms exceeded.)")
    pending = [Request("http://shop.uxmon-test.invalid/", resource_type="document")]
    assert with_pending_page(timed_out, pending, "http://shop.uxmon-test.invalid").reason == (
        "could not reach http://shop.uxmon-test.invalid/: the host name does not resolve "
        "(net::ERR_NAME_NOT_RESOLVED)")
    local = [Request("http://127.0.0.1:9/", resource_type="document")]
    assert with_pending_page(timed_out, local, "http://127.0.0.1:9").reason == (
        "the site did not answer: http://127.0.0.1:9/ took the request but sent nothing back before "
        "the timeout (Page.goto: Timeout 5000ms exceeded.)")
