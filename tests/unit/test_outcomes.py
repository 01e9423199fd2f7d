"""How a run's end is judged: failed (the customer could not finish) or error (no verdict)."""

from pathlib import Path

from playwright._impl._errors import Error, TargetClosedError, TimeoutError

from uxmon.authoring.journey import JourneyFailed, ScenarioMisuse
from uxmon.records.outcomes import RunFacts, classify

NONE = RunFacts()


def test_returning_normally_passes() -> None:
    assert classify(None, NONE).outcome == "passed"


def test_a_locator_timeout_is_a_failure_with_playwright_s_message() -> None:
    exc = TimeoutError("Locator.click: Timeout 10000ms exceeded.\nCall log:\n"
                       "  - waiting for get_by_role('button')")
    verdict = classify(exc, NONE)
    assert (verdict.outcome, verdict.error_kind) == ("failed", "timeout")
    assert verdict.reason.startswith("Locator.click: Timeout 10000ms exceeded.")


def test_expectations_and_journey_fail_are_failures() -> None:
    assert classify(AssertionError("Locator expected to be visible"), NONE).outcome == "failed"
    verdict = classify(JourneyFailed("no delivery slots"), NONE)
    assert (verdict.outcome, verdict.reason) == ("failed", "no delivery slots")


def test_unreachable_site_is_an_error_before_it_answered() -> None:
    exc = Error('Page.goto: net::ERR_CONNECTION_REFUSED at http://127.0.0.1:9/\nCall log:')
    verdict = classify(exc, NONE)
    assert verdict.outcome == "error" and verdict.error_kind == "unreachable"
    assert verdict.reason == ("could not reach http://127.0.0.1:9/: the connection was refused "
                              "(net::ERR_CONNECTION_REFUSED)")


def test_a_site_that_stops_answering_mid_journey_is_a_failure() -> None:
    exc = Error("Page.goto: net::ERR_CONNECTION_RESET at https://shop.example/pay")
    verdict = classify(exc, RunFacts(site_answered=True))
    assert (verdict.outcome, verdict.error_kind) == ("failed", "site_down")


def test_a_closed_browser_is_an_error() -> None:
    exc = TargetClosedError("Target page, context or browser has been closed")
    assert classify(exc, NONE).error_kind == "browser_crash"
    assert classify(None, RunFacts(crashed=True)).outcome == "error"


def test_run_timeout_wins() -> None:
    verdict = classify(TargetClosedError("closed"), RunFacts(timed_out_after=30))
    assert verdict.outcome == "failed"
    assert verdict.reason == "the journey did not finish within 30 s; uxmon stopped it"


def test_scenario_bugs_are_errors_that_point_at_the_line(tmp_path: Path) -> None:
    source = tmp_path / "buy.py"
    source.write_text("def run():\n    return undefined_name\n")
    namespace: dict[str, object] = {}
    exec(compile(source.read_text(), str(source), "exec"), namespace)
    try:
        namespace["run"]()  # type: ignore[operator]
    except NameError as exc:
        verdict = classify(exc, RunFacts(scenario_file=str(source)))
    assert verdict.outcome == "error" and verdict.error_kind == "scenario_error"
    assert verdict.reason == (f"the scenario code raised NameError: name 'undefined_name' is not "
                              f"defined ({source}:2)")
    assert classify(ScenarioMisuse("steps cannot be nested"), NONE).error_kind == "scenario_error"
