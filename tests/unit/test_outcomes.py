"""How a run's end is judged: failed (the customer could not finish) or error (no verdict)."""

from pathlib import Path

from playwright._impl._errors import Error, TargetClosedError, TimeoutError

from uxmon.authoring.journey import JourneyFailed, ScenarioMisuse
from uxmon.records.outcomes import RunFacts, Verdict, classify

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


def test_a_dead_browser_is_an_error_whatever_the_scenario_raised() -> None:
    """The browser was killed while the scenario waited in expect(): not the customer's fault."""
    waited = AssertionError("Locator expected to be visible\nCall log:\n  - waiting for get_by_text('Paid')")
    verdict = classify(waited, RunFacts(browser_died=True, site_answered=True))
    assert (verdict.outcome, verdict.error_kind) == ("error", "browser_crash")
    assert verdict.reason == "the browser crashed or was closed during the run"
    assert classify(None, RunFacts(browser_died=True)).outcome == "error"


def test_interrupt_and_exit_raised_by_a_scenario_are_errors() -> None:
    assert classify(KeyboardInterrupt(), NONE) == Verdict(
        "error", "scenario_error", "the scenario raised KeyboardInterrupt")
    assert classify(SystemExit(3), NONE).reason == "the scenario called sys.exit(3)"


def test_configuration_and_site_problems_are_named_in_words() -> None:
    unsafe = Error("Page.goto: net::ERR_UNSAFE_PORT at http://127.0.0.1:6000/\nCall log:")
    verdict = classify(unsafe, NONE)
    assert (verdict.outcome, verdict.error_kind) == ("error", "config")
    assert verdict.reason.startswith("Chromium refuses port 6000 as unsafe: it will not load "
                                     "http://127.0.0.1:6000/ (net::ERR_UNSAFE_PORT)")
    relative = Error('Page.goto: Protocol error (Page.navigate): Cannot navigate to invalid URL')
    verdict = classify(relative, NONE)
    assert (verdict.error_kind, verdict.reason) == ("config", (
        "no base URL is set, so a relative address cannot be opened: give --base-url or base_url "
        "in uxmon.toml"))
    loop = Error("Page.goto: net::ERR_TOO_MANY_REDIRECTS at http://127.0.0.1:8080/\nCall log:")
    verdict = classify(loop, RunFacts(site_answered=True))
    assert (verdict.outcome, verdict.error_kind, verdict.reason) == (
        "error", "site_error",
        "the site redirects in a loop: http://127.0.0.1:8080/ (net::ERR_TOO_MANY_REDIRECTS)")


def test_a_first_page_that_never_answers_is_unmeasured_but_a_later_one_is_a_failure() -> None:
    exc = TimeoutError("Page.goto: Timeout 3000ms exceeded.\nCall log:\n  - navigating to \"http://x/\"")
    assert classify(exc, NONE).error_kind == "unreachable"
    assert classify(exc, RunFacts(site_answered=True)) == Verdict(
        "failed", "timeout", "Page.goto: Timeout 3000ms exceeded.")


def test_site_text_in_a_message_is_cleaned() -> None:
    exc = AssertionError("Expected \x1b[2J\ud83d text")
    assert classify(exc, NONE).reason == "Expected [2J\ufffd text"
