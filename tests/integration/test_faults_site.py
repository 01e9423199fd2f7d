"""The site's faults and the configuration's are named as theirs, and site text cannot break
uxmon: lone surrogates, control characters, terminal escapes; credentials never leak."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from uxmon.cli import main
from uxmon.config import Timeouts
from uxmon.records.redact import encodings

from ..sites.pages import Pages
from .conftest import batch, write_scenario

QUICK = Timeouts(run=60, action=3, navigation=8)

GO = '''
import uxmon

@uxmon.scenario("Open the shop", viewports=["desktop"])
def open_shop(journey):
    with journey.step("Home"):
        journey.page.goto("PATH")
'''


def test_no_base_url_is_a_configuration_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_scenario(tmp_path / "s", "go.py", GO.replace("PATH", "/"))
    code = main(["run", str(path), "-o", str(tmp_path / "out")])
    out = " ".join(capsys.readouterr().out.split())
    assert code == 2
    assert "no base URL is set, so a relative address cannot be opened: give --base-url or base_url " \
           "in uxmon.toml" in out


def test_a_port_chromium_refuses_is_a_configuration_error(tmp_path: Path) -> None:
    path = write_scenario(tmp_path / "s", "go.py", GO.replace("PATH", "/"))
    result = batch(tmp_path, "http://127.0.0.1:6000", [path], viewports=["desktop"], timeouts=QUICK)
    (run,) = result.records
    assert (run.outcome, run.error_kind) == ("error", "config")
    assert run.reason.startswith("Chromium refuses port 6000 as unsafe: it will not load "
                                 "http://127.0.0.1:6000/ (net::ERR_UNSAFE_PORT)")
    assert result.exit_code == 2


def test_a_redirect_loop_is_the_site_s_and_cannot_be_measured(tmp_path: Path) -> None:
    path = write_scenario(tmp_path / "s", "go.py", GO.replace("PATH", "/loop"))
    with Pages({}) as site:
        result = batch(tmp_path, site.url, [path], viewports=["desktop"], timeouts=QUICK)
    (run,) = result.records
    assert (run.outcome, run.error_kind) == ("error", "site_error")
    assert run.reason == f"the site redirects in a loop: {site.url}/loop (net::ERR_TOO_MANY_REDIRECTS)"
    assert result.exit_code == 3


LONE = "\ud83d"  # half an emoji, as a site's JavaScript can cut one
HOSTILE_PAGE = """<!doctype html><html><head><title>Shop</title></head><body>
<h1>Welcome</h1><button id="go">Order</button><div id="msg" role="alert"></div>
<script>
  const lone = String.fromCharCode(0xD83D);
  const esc = String.fromCharCode(27);
  document.title = "Shop " + lone + esc + "[2J" + esc + "[31mFAKE PASS" + String.fromCharCode(7);
  const bell = String.fromCharCode(7);
  console.error("broken " + lone + " and " + esc + "]0;owned" + bell + " NUL:" + String.fromCharCode(0));
  document.getElementById("go").onclick = () => {
    const vt = String.fromCharCode(11);
    document.getElementById("msg").textContent = "Sorry " + lone + esc + "[1m out of stock" + vt;
  };
</script></body></html>"""
HOSTILE_SCENARIO = '''
from playwright.sync_api import expect
import uxmon

@uxmon.scenario("Order with hostile text", viewports=["desktop", "mobile"])
def order(journey):
    page = journey.page
    with journey.step("Home"):
        page.goto("/")
        page.get_by_role("button", name="Order").click()
        text = page.get_by_role("alert").inner_text()
    with journey.step("Check"):
        assert "Thanks" in text, "the shop said: " + text
'''


def test_hostile_site_text_breaks_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_scenario(tmp_path / "s", "hostile.py", HOSTILE_SCENARIO)
    out = tmp_path / "out"
    with Pages({"/": HOSTILE_PAGE}) as site:
        code = main(["run", str(path), "--base-url", site.url, "-o", str(out)])
    printed = capsys.readouterr()
    assert code == 1, printed.out + printed.err  # the customer could not order: a failure, not a crash
    assert "\x1b" not in printed.out + printed.err and "\x07" not in printed.out
    assert "the shop said: Sorry \ufffd[1m out of stock" in printed.out.replace("\n", "")
    written = [p for p in out.rglob("*") if p.is_file() and p.suffix in (".json", ".html", ".xml")]
    assert {p.name for p in written} >= {"record.json", "batch.json", "results.json", "junit.xml",
                                        "index.html"}
    for p in written:
        text = p.read_text(encoding="utf-8")  # valid UTF-8: no lone surrogate made it
        assert "\x1b" not in text and "\x00" not in text and "\x07" not in text, p
    junit = ET.parse(next(out.glob("2*/junit.xml")))
    assert len(junit.getroot().findall("testcase")) == 2


SECRET_FLOW = '''
import uxmon

@uxmon.scenario("Pay with secrets", viewports=["desktop"])
def pay(journey):
    name = journey.secret("UXMON_TEST_NAME")
    cvc = journey.secret("UXMON_TEST_CVC")
    page = journey.page
    with journey.step("Checkout"):
        page.goto("/form")
        page.get_by_label("Name").fill(name)
        page.get_by_label("Security code").fill(cvc)
        page.get_by_role("button", name="Pay").click()
    with journey.step("Receipt"):
        page.get_by_text("Receipt").wait_for()
'''
FORM = """<!doctype html><html><body><form method="post" action="/receipt">
<label>Name <input name="name"></label><label>Security code <input name="cvc"></label>
<button>Pay</button></form></body></html>"""
RECEIPT = "<!doctype html><html><body><h1>Receipt</h1><p>Paid.</p></body></html>"


def _leaks(out: Path, values: list[str]) -> list[str]:
    found = []
    for path in (p for p in out.rglob("*") if p.is_file() and p.suffix not in (".jpg", ".png")):
        blobs = [path.read_bytes()]
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                blobs = [archive.read(m) for m in archive.namelist()]
        for value in values:
            if any(value.encode() in blob for blob in blobs):
                found.append(f"{value!r} in {path.relative_to(out)}")
    return found


def test_secrets_are_masked_in_every_encoding_and_short_ones_where_typed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    name, cvc = "Kim <K&Co> Ünal/ops", "739"
    monkeypatch.setenv("UXMON_TEST_NAME", name)
    monkeypatch.setenv("UXMON_TEST_CVC", cvc)
    path = write_scenario(tmp_path / "s", "pay.py", SECRET_FLOW)
    out = tmp_path / "out"
    with Pages({"/form": FORM, "/receipt": RECEIPT}) as site:
        assert main(["run", str(path), "--base-url", site.url, "--trace", "always", "-o", str(out)]) == 0
    assert any(p.name == "trace.zip" for p in out.rglob("*"))
    assert not _leaks(out, encodings(name))
    # The 3-digit code is masked where it was typed and sent (the fill, the form body) ...
    assert not _leaks(out, ['"value":"739"', '"value": "739"', "cvc=739"])


def test_credentials_in_the_base_url_are_masked_and_http_credentials_work(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_scenario(tmp_path / "s", "go.py", GO.replace("PATH", "/"))
    out = tmp_path / "out"
    with Pages({"/": "<h1>Members only</h1>"}, auth=("shopper", "pw-Zq81x")) as site:
        host = site.url.removeprefix("http://")
        code = main(["run", str(path), "--base-url", f"http://shopper:pw-Zq81x@{host}/?token=tk-55aa91",
                     "-o", str(out), "--trace", "always"])
        (tmp_path / "uxmon.toml").write_text(
            f'base_url = "{site.url}"\n[http_credentials]\nusername = "shopper"\npassword = "pw-Zq81x"\n')
        second = main(["run", str(path), "-c", str(tmp_path / "uxmon.toml"), "-o", str(tmp_path / "two")])
    printed = capsys.readouterr().out
    assert code in (0, 1)
    assert "Chromium does not send them with the page's own relative requests" in " ".join(printed.split())
    assert "pw-Zq81x" not in printed and "tk-55aa91" not in printed
    assert not _leaks(out, ["pw-Zq81x", "tk-55aa91"])
    assert "http://••••••@127.0.0.1" in next(out.glob("2*/batch.json")).read_text()
    assert second == 0  # the credentials from the config reach the site
    assert not _leaks(tmp_path / "two", ["pw-Zq81x"])


def test_a_server_that_takes_the_request_and_never_answers_cannot_be_measured(tmp_path: Path) -> None:
    path = write_scenario(tmp_path / "s", "go.py", GO.replace("PATH", "/silent"))
    with Pages({}) as site:
        result = batch(tmp_path, site.url, [path], viewports=["desktop"],
                       timeouts=Timeouts(run=60, action=2, navigation=3))
    (run,) = result.records
    assert (run.outcome, run.error_kind) == ("error", "unreachable")
    assert run.reason.startswith(f"the site did not answer: {site.url}/silent took the request but sent "
                                 "nothing back")
    assert result.exit_code == 3

