"""The uxmon command, in-process through main() and once as a real subprocess."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from uxmon.capture import browser
from uxmon.cli import main
from uxmon.demo import DemoShop

from .conftest import BUNDLED, batch, write_scenario


def test_demo_runs_both_journeys_on_both_viewports_and_prints_the_table(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["demo", "-o", str(tmp_path / "reports"), "-w", "2"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert out.count("passed") >= 4
    for heading in ("Scenario", "Viewport", "Outcome", "Steps", "Clicks", "Time to goal", "Run time"):
        assert heading in out
    assert "Buy a mug" in out and "Reach a human" in out
    assert f"Results: {tmp_path / 'reports'}" in out
    assert (tmp_path / "reports" / "latest" / "index.html").is_file()


def test_demo_with_friction_exits_1_and_names_the_step(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["demo", "--friction", "late-stock", "-o", str(tmp_path / "r"), "-k", "mug",
                 "-v", "desktop", "--timeout", "40"])
    out = capsys.readouterr().out
    assert code == 1
    assert "failed" in out and "Confirmation" in out
    # The customer's words first; the script's own reason on an indented line below.
    assert "✖ Buy a mug · desktop: Customers were stopped at step 7 (Confirmation): the site said " \
           "“Sorry, Blue Mug is out of stock." in out
    assert "\n    Technical reason: Locator expected to be visible" in out


def test_unknown_friction_switch_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--friction", "late-stok"]) == 2
    assert "unknown friction switch 'late-stok'" in capsys.readouterr().err


def test_list_shows_scenarios_and_broken_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", str(BUNDLED)]) == 0
    out = capsys.readouterr().out
    assert "Buy a mug" in out and "Reach a human" in out and "purchase, checkout" in out
    write_scenario(tmp_path, "broken.py", "import uxmon\nraise ValueError('bad')\n")
    assert main(["list", str(tmp_path)]) == 3
    assert "broken.py:2: ValueError: bad" in capsys.readouterr().err


def test_run_against_the_demo_shop(tmp_path: Path, shop: DemoShop,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["run", str(BUNDLED / "support.py"), "--base-url", shop.url, "-v", "mobile",
                 "-o", str(tmp_path / "out")])
    assert code == 0
    assert "Reach a human" in capsys.readouterr().out


def test_no_scenarios_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty").mkdir()
    assert main(["run", str(tmp_path / "empty"), "--base-url", "http://127.0.0.1:9"]) == 2
    assert "no scenarios found in" in capsys.readouterr().err


def test_doctor_finds_the_browser(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    assert "✓ browser" in out and "starts fine" in out and "✓ playwright" in out


def test_no_browser_gives_the_ways_to_fix_it_and_no_traceback(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(browser, "from_playwright", lambda pw: None)
    monkeypatch.setattr(browser, "from_system", lambda: None)
    monkeypatch.delenv("UXMON_BROWSER", raising=False)
    from uxmon.run import pipeline

    from . import conftest

    monkeypatch.setattr(pipeline, "playwright_devices", conftest._real_devices)
    code = main(["run", str(BUNDLED), "--base-url", "http://127.0.0.1:9", "-o", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 3
    assert "No usable Chromium was found" in err and "uxmon install-browser" in err
    assert "python -m playwright install chromium" in err and "UXMON_BROWSER" in err
    assert "Traceback" not in err


FLAKY = '''
import uxmon

ATTEMPTS = []

@uxmon.scenario("Flaky")
def flaky(journey):
    ATTEMPTS.append(1)
    if len(ATTEMPTS) == 1:
        journey.page.goto("http://127.0.0.1:{port}/")  # refused: an error, worth a retry
    journey.page.goto("/")
'''


def test_a_run_that_passes_only_on_retry_is_reported_flaky(tmp_path: Path, shop: DemoShop) -> None:
    from .test_bad_input import _closed_port

    path = write_scenario(tmp_path / "s", "flaky.py", FLAKY.replace("{port}", str(_closed_port())))
    result = batch(tmp_path, shop.url, [path], viewports=["desktop"], retries=1)
    (run,) = result.records
    assert run.outcome == "passed" and run.flaky and run.attempt == 2
    (first,) = run.earlier
    assert first.error_kind == "unreachable" and "ERR_CONNECTION_REFUSED" in first.reason
    html = (result.folder / "index.html").read_text()
    assert 'title="passed only on a retry">flaky</span>' in html
    journey = next((result.folder / "journeys").glob("*.html")).read_text()
    assert "Passed only on a retry" in journey


def test_failures_are_not_retried(tmp_path: Path, shop: DemoShop) -> None:
    path = write_scenario(tmp_path / "s", "fails.py",
                          "import uxmon\n\n@uxmon.scenario('Fails')\ndef f(j):\n    j.fail('sold out')\n")
    (run,) = batch(tmp_path, shop.url, [path], viewports=["desktop"], retries=2).records
    assert (run.outcome, run.attempt, run.earlier) == ("failed", 1, [])


def test_two_workers_run_everything(tmp_path: Path, shop: DemoShop) -> None:
    result = batch(tmp_path, shop.url, workers=2)
    assert sorted(r.run_id for r in result.records) == [
        "buy-a-mug--desktop", "buy-a-mug--mobile", "reach-a-human--desktop", "reach-a-human--mobile"]
    assert all(r.outcome == "passed" for r in result.records)


def test_the_real_command_runs_as_a_subprocess(tmp_path: Path, shop: DemoShop) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "uxmon", "run", str(BUNDLED / "support.py"), "--base-url", shop.url,
         "-v", "desktop", "-o", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "[1/1] Reach a human · desktop: passed" in done.stdout
    version = subprocess.run([sys.executable, "-m", "uxmon", "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and "uxmon, version" in version.stdout
