"""A value a scenario marks as secret appears nowhere: record, trace, report, history, console."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from uxmon.cli import main
from uxmon.demo import DemoShop

from .conftest import write_scenario

SECRET = "4111-9876-5432-1098"
SCENARIO = '''
import uxmon


@uxmon.scenario("Pay with a card", viewports=["desktop"])
def pay(journey):
    card = journey.secret("UXMON_TEST_CARD")
    page = journey.page
    with journey.step("Home"):
        page.goto("/")
        page.evaluate("document.body.insertAdjacentHTML('beforeend', '<label>Note <input></label>')")
        page.get_by_label("Note").fill(card)                            # typed: in the trace
        page.evaluate("c => document.body.append('Card ' + c)", card)   # shown: in the step text
    with journey.step("Pay"):
        page.get_by_label(card).click(timeout=800)                      # in the failure reason
'''


def test_a_secret_never_leaves_the_run(tmp_path: Path, shop: DemoShop, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UXMON_TEST_CARD", SECRET)
    write_scenario(tmp_path / "scenarios", "pay.py", SCENARIO)
    out = tmp_path / "out"
    code = main(["run", str(tmp_path / "scenarios"), "--base-url", shop.url, "-o", str(out)])
    printed = capsys.readouterr()
    assert code == 1
    assert "••••••" in printed.out and SECRET not in printed.out + printed.err
    written = [p for p in out.rglob("*") if p.is_file()]
    assert any(p.name == "trace.zip" for p in written)
    for path in written:
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    assert SECRET.encode() not in archive.read(member), f"{path.name}:{member}"
        elif path.suffix not in (".jpg", ".png"):
            assert SECRET.encode() not in path.read_bytes(), path
    record = next(out.glob("2*/runs/*/record.json")).read_text()
    assert "Card ••••••" in record  # the step text kept, the value masked


def test_a_secret_that_is_not_set_is_a_clear_scenario_error(tmp_path: Path, shop: DemoShop,
                                                            capsys: pytest.CaptureFixture[str],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("UXMON_TEST_CARD", raising=False)
    write_scenario(tmp_path / "scenarios", "pay.py", SCENARIO)
    out = tmp_path / "out"
    code = main(["run", str(tmp_path / "scenarios"), "--base-url", shop.url, "-o", str(out)])
    assert code == 3
    assert "journey.secret('UXMON_TEST_CARD')" in capsys.readouterr().out
    record = next(out.glob("2*/runs/*/record.json")).read_text()
    assert "the environment variable UXMON_TEST_CARD is not set" in record
