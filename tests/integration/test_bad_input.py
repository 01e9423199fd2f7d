"""Every kind of bad input ends as a recorded, explained result, and the other runs go on."""

from __future__ import annotations

import socket
from pathlib import Path

import psutil

from uxmon.cli import main
from uxmon.config import Timeouts
from uxmon.demo import DemoShop

from .conftest import BUNDLED, batch, write_scenario

QUICK = Timeouts(run=60, action=2, navigation=5)

RAISES = '''
import uxmon

@uxmon.scenario("Raises")
def raises(journey):
    with journey.step("Home"):
        journey.page.goto("/")
    with journey.step("Check the basket"):
        assert journey.page.get_by_text("Cart (3)").count() == 1, "the basket should hold 3 items"
'''

LOCATOR_TIMEOUT = '''
import uxmon

@uxmon.scenario("Locator timeout")
def locator_timeout(journey):
    with journey.step("Home"):
        journey.page.goto("/")
    with journey.step("Pay"):
        journey.page.get_by_role("button", name="Pay with crypto").click()
'''

BUGGY = '''
import uxmon

@uxmon.scenario("Buggy code")
def buggy(journey):
    with journey.step("Home"):
        journey.page.goto("/")
        total = prices_list[0]
'''


def test_a_file_that_does_not_import_is_named_and_the_others_run(tmp_path: Path, shop: DemoShop) -> None:
    folder = tmp_path / "s"
    write_scenario(folder, "broken.py", "import uxmon\n\n\n@uxmon.scenario('x')\ndef x(j):\n    return (\n")
    write_scenario(folder, "good.py", (BUNDLED / "support.py").read_text())
    result = batch(tmp_path, shop.url, [folder], viewports=["desktop"])
    (error,) = result.load_errors
    assert error.file.endswith("broken.py") and error.line == 6 and "SyntaxError" in error.message
    assert [r.outcome for r in result.records] == ["passed"]
    assert result.exit_code == 3
    assert "broken.py:6" in (result.folder / "index.html").read_text()


def test_a_scenario_that_raises_fails_with_step_message_screenshot_and_trace(
        tmp_path: Path, shop: DemoShop) -> None:
    path = write_scenario(tmp_path / "s", "raises.py", RAISES)
    result = batch(tmp_path, shop.url, [path], viewports=["desktop"], timeouts=QUICK)
    (run,) = result.records
    assert run.outcome == "failed" and run.error_kind == "assertion"
    assert run.reason == "the basket should hold 3 items"
    assert run.step_at_failure is not None and run.step_at_failure.name == "Check the basket"
    folder = result.folder / "runs" / run.run_id
    assert run.screenshot and (folder / run.screenshot).is_file()
    assert run.trace == "trace.zip" and (folder / "trace.zip").stat().st_size > 1000
    assert result.exit_code == 1


def test_a_locator_that_never_appears_fails_at_its_step(tmp_path: Path, shop: DemoShop) -> None:
    path = write_scenario(tmp_path / "s", "timeout.py", LOCATOR_TIMEOUT)
    result = batch(tmp_path, shop.url, [path], viewports=["mobile"], timeouts=QUICK)
    (run,) = result.records
    assert (run.outcome, run.error_kind) == ("failed", "timeout")
    assert "Timeout 2000ms exceeded" in run.reason and "Pay with crypto" in run.reason
    assert run.step_at_failure is not None and run.step_at_failure.name == "Pay"
    assert (result.folder / "runs" / run.run_id / "trace.zip").is_file()


def test_broken_scenario_code_is_an_error_that_points_at_the_line(tmp_path: Path, shop: DemoShop) -> None:
    path = write_scenario(tmp_path / "s", "buggy.py", BUGGY)
    result = batch(tmp_path, shop.url, [path], viewports=["desktop"], timeouts=QUICK)
    (run,) = result.records
    assert (run.outcome, run.error_kind) == ("error", "scenario_error")
    assert run.reason == f"the scenario code raised NameError: name 'prices_list' is not defined ({path}:8)"
    assert run.step_at_failure is not None and run.step_at_failure.name == "Home"
    assert result.exit_code == 3


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_refused_connection_is_an_error_saying_so(tmp_path: Path) -> None:
    port = _closed_port()
    result = batch(tmp_path, f"http://127.0.0.1:{port}", names=["Reach a human"], viewports=["desktop"],
                   timeouts=QUICK)
    (run,) = result.records
    assert (run.outcome, run.error_kind) == ("error", "unreachable")
    assert run.reason == (f"could not reach http://127.0.0.1:{port}/: the connection was refused "
                          "(net::ERR_CONNECTION_REFUSED)")
    assert result.exit_code == 3


def test_a_host_that_does_not_resolve_is_an_error_saying_so(tmp_path: Path) -> None:
    result = batch(tmp_path, "http://shop.uxmon-test.invalid", names=["Reach a human"],
                   viewports=["desktop"], timeouts=QUICK)
    (run,) = result.records
    assert (run.outcome, run.error_kind) == ("error", "unreachable")
    assert run.reason.startswith("could not reach http://shop.uxmon-test.invalid/: ")
    assert "net::ERR_NAME_NOT_RESOLVED" in run.reason


def test_a_page_that_never_finishes_loading_fails_and_the_next_run_goes_on(tmp_path: Path) -> None:
    with DemoShop(friction="slow:help:60000,slow:home:60000") as hanging:
        result = batch(tmp_path, hanging.url, names=["Reach a human", "Buy a mug"],
                       viewports=["desktop"], workers=1, timeouts=Timeouts(run=60, action=4, navigation=6))
        url = hanging.url
    for run in result.records:
        # A site that takes the request and never answers the first page cannot be measured,
        # as a refused connection cannot; the step still says where the customer was.
        assert (run.outcome, run.error_kind) == ("error", "unreachable"), run.reason
        assert run.reason == (f"the site did not answer: {url}/ took the request but sent nothing "
                              "back before the timeout (Page.goto: Timeout 6000ms exceeded.)")
        assert run.step_at_failure is not None and run.step_at_failure.name == "Home"
    assert result.exit_code == 3
    with DemoShop(friction="slow:help:60000") as help_hangs:
        result = batch(tmp_path, help_hangs.url, names=["Reach a human", "Buy a mug"],
                       viewports=["desktop"], workers=1, timeouts=Timeouts(run=60, action=4, navigation=6))
        url = help_hangs.url
    runs = {r.scenario: r for r in result.records}
    support = runs["Reach a human"]
    # A click waits for the page it opens within its action timeout.
    assert (support.outcome, support.error_kind) == ("failed", "timeout"), support.reason
    assert support.reason.startswith(f"{url}/help never finished loading. Locator.click: Timeout 4000ms")
    assert support.step_at_failure is not None and support.step_at_failure.name == "Help centre"
    assert runs["Buy a mug"].outcome == "passed"


HANGS = '''
import uxmon

@uxmon.scenario("Hangs", timeout=4)
def hangs(journey):
    with journey.step("Home"):
        journey.page.goto("/")
    with journey.step("Wait forever"):
        journey.page.wait_for_timeout(120_000)
'''


def test_a_run_that_outlives_its_timeout_is_stopped_and_the_next_run_goes_on(
        tmp_path: Path, shop: DemoShop) -> None:
    path = write_scenario(tmp_path / "s", "hangs.py", HANGS)
    result = batch(tmp_path, shop.url, [path, BUNDLED / "support.py"], viewports=["desktop"], workers=1,
                   timeouts=Timeouts(run=60, action=5, navigation=10))
    runs = {r.scenario: r for r in result.records}
    hung = runs["Hangs"]
    assert (hung.outcome, hung.error_kind) == ("failed", "run_timeout")
    assert hung.reason == "the journey did not finish within 4 s; uxmon stopped it"
    assert hung.step_at_failure is not None and hung.step_at_failure.name == "Wait forever"
    assert runs["Reach a human"].outcome == "passed"


KILLS_ITS_BROWSER = '''
import os, psutil
import uxmon

@uxmon.scenario("Browser dies")
def browser_dies(journey):
    journey.page.goto("/")
    for proc in psutil.Process(os.getpid()).children(recursive=True):
        try:
            cmd = proc.cmdline()
            main_process = not any(a.startswith("--type=") for a in cmd)
            if main_process and any(a.startswith("--uxmon-worker=") for a in cmd):
                proc.kill()
        except psutil.Error:
            pass
    journey.page.goto("/help")
'''


def test_a_browser_killed_mid_run_is_an_error_and_is_replaced(tmp_path: Path, shop: DemoShop) -> None:
    path = write_scenario(tmp_path / "s", "dies.py", KILLS_ITS_BROWSER)
    result = batch(tmp_path, shop.url, [path, BUNDLED / "support.py"], viewports=["desktop"], workers=1,
                   timeouts=QUICK)
    runs = {r.scenario: r for r in result.records}
    died = runs["Browser dies"]
    assert (died.outcome, died.error_kind) == ("error", "browser_crash")
    assert "browser crashed or was closed" in died.reason
    assert runs["Reach a human"].outcome == "passed"
    leftovers = [p for p in psutil.Process().children(recursive=True)
                 if "--uxmon-worker=" in " ".join(p.cmdline())]
    assert not leftovers


def test_an_unknown_viewport_is_a_usage_error(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code = main(["run", str(BUNDLED), "--base-url", "http://127.0.0.1:9", "-v", "tablet",
                 "-o", str(tmp_path / "r")])
    assert code == 2
    err = capsys.readouterr().err
    assert "unknown viewport 'tablet': known profiles are desktop, mobile, mobile-slow4g" in err
    assert "Traceback" not in err


def test_a_bad_config_value_is_a_usage_error_naming_key_and_file(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "uxmon.toml"
    config.write_text('base_url = "http://127.0.0.1:9"\n[timeouts]\naction = "slow"\n')
    code = main(["run", str(BUNDLED), "-c", str(config)])
    assert code == 2
    err = capsys.readouterr().err
    assert f"{config}: [timeouts]: 'action': expected a number, got 'slow'" in err.replace("\n", "")
