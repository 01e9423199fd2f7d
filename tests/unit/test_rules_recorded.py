"""The rules on runs recorded from the demo shop: each friction switch yields its finding.

The records are real runs (see tests/fixtures/record_runs.py); no browser is needed here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from uxmon.friction import FrictionSettings, Thresholds, analyse_run, score_run
from uxmon.records import Finding, RunRecord
from uxmon.records.serial import load_record

RUNS = Path(__file__).parents[1] / "fixtures" / "runs"
VIEWPORTS = ("desktop", "mobile")


def recorded(switch: str, scenario: str, viewport: str) -> RunRecord:
    return load_record(RUNS / f"{switch}--{scenario}--{viewport}.json")


def by_rule(findings: list[Finding], rule: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule]


def medium_or_worse(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity in ("medium", "high", "critical")]


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("scenario", ["buy-a-mug", "reach-a-human"])
def test_the_clean_shop_gives_no_finding_of_medium_or_worse(scenario: str, viewport: str) -> None:
    run = recorded("clean", scenario, viewport)
    score_run(run)
    assert medium_or_worse(run.findings) == []
    assert run.friction_score == 0.0


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_late_stock_is_a_critical_late_blocker_at_confirmation(viewport: str) -> None:
    findings = analyse_run(recorded("late-stock", "buy-a-mug", viewport))
    [blocker] = by_rule(findings, "late-blocker")
    assert blocker.severity == "critical"
    assert (blocker.step, blocker.step_name) == (7, "Confirmation")
    assert "out of stock" in blocker.evidence.text
    assert blocker.title.startswith("“Sorry, Blue Mug is out of stock.")
    assert "/checkout/payment answered HTTP 409" in blocker.cause
    assert "said “In stock”" in blocker.detail
    assert blocker.effort.clicks >= 5 and blocker.effort.fields >= 5 and blocker.effort.seconds > 1
    # The 409 behind the message is the same root cause: not reported twice.
    assert by_rule(findings, "failed-request") == []
    assert by_rule(findings, "task-failed") == []
    assert findings[0] is blocker


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_late_fee_is_a_late_cost_and_a_growing_total_at_payment(viewport: str) -> None:
    findings = analyse_run(recorded("late-fee", "buy-a-mug", viewport))
    [cost] = by_rule(findings, "late-cost")
    assert (cost.severity, cost.step, cost.step_name) == ("high", 6, "Payment")
    assert cost.evidence.amounts == ["$3.95"] and cost.evidence.text == "Service fee"
    [grew] = by_rule(findings, "growing-total")
    assert grew.evidence.amounts == ["$23.30", "$27.25"]
    assert grew.evidence.figures["increase"] == pytest.approx(3.95)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_dead_button_is_a_dead_click_and_the_task_fails_at_the_cart(viewport: str) -> None:
    findings = analyse_run(recorded("dead-button", "buy-a-mug", viewport))
    [dead] = by_rule(findings, "dead-click")
    assert (dead.severity, dead.step_name) == ("high", "Cart")
    assert dead.title == "“Apply” does nothing when clicked"
    assert dead.evidence.selector
    [failed] = by_rule(findings, "task-failed")
    assert (failed.severity, failed.step) == ("critical", 3)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_slow_payment_is_a_slow_answer_naming_the_request(viewport: str) -> None:
    [slow] = by_rule(analyse_run(recorded("slow", "buy-a-mug", viewport)), "slow-answer")
    assert (slow.severity, slow.step_name) == ("medium", "Payment")
    assert slow.cause.startswith("POST ") and "/checkout/payment took 1.5 s" in slow.cause
    assert slow.evidence.figures["answer_ms"] >= 1500


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_slow_chat_is_an_on_hold_finding(viewport: str) -> None:
    [wait] = by_rule(analyse_run(recorded("slow-chat", "reach-a-human", viewport)), "chat-wait")
    assert (wait.severity, wait.step_name) == ("medium", "Chat")
    assert wait.title.startswith("On hold")
    assert wait.evidence.figures["wait_ms"] >= 6000


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_layout_shift_is_a_moved_target_naming_what_pushed_it(viewport: str) -> None:
    [moved] = by_rule(analyse_run(recorded("layout-shift", "buy-a-mug", viewport)), "moved-target")
    assert (moved.severity, moved.step_name) == ("high", "Delivery")
    assert "“Continue to payment” jumped" in moved.title
    assert "free 60-day returns" in moved.cause


def test_mobile_overflow_is_sideways_scrolling_on_the_phone_only() -> None:
    phone = analyse_run(recorded("mobile-overflow", "buy-a-mug", "mobile"))
    sideways = by_rule(phone, "sideways-scroll")
    assert [f.step_name for f in sideways] == ["Product", "Cart"]
    assert all(f.severity == "high" for f in sideways)
    assert "div.promo-strip" in sideways[0].cause
    assert medium_or_worse(analyse_run(recorded("mobile-overflow", "buy-a-mug", "desktop"))) == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_popup_is_an_interruption_in_the_cart(viewport: str) -> None:
    [popup] = by_rule(analyse_run(recorded("popup", "buy-a-mug", viewport)), "interruption")
    assert (popup.severity, popup.step_name) == ("medium", "Cart")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_js_error_names_the_script_and_line(viewport: str) -> None:
    [error] = by_rule(analyse_run(recorded("js-error", "buy-a-mug", viewport)), "js-error")
    assert (error.severity, error.step_name) == ("medium", "Product")
    assert "reviews.js:7" in error.cause


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_broken_image_gives_the_404_as_cause(viewport: str) -> None:
    findings = analyse_run(recorded("broken-image", "buy-a-mug", viewport))
    [image] = by_rule(findings, "broken-image")
    assert (image.severity, image.step_name) == ("medium", "Product")
    assert image.cause == "the server answered HTTP 404"
    assert by_rule(findings, "failed-request") == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_buried_contact_is_a_support_reach_finding(viewport: str) -> None:
    [reach] = by_rule(analyse_run(recorded("buried-contact", "reach-a-human", viewport)), "support-reach")
    assert reach.severity == "high"
    assert reach.title == ("Reaching chat support takes 6 clicks: Help › Orders & delivery 2 articles › "
                           "Still need help? › Other ways to get help › … › Chat with us")
    assert reach.evidence.text == ("Help › Orders & delivery 2 articles › Still need help? › "
                                   "Other ways to get help › Contact options › Chat with us")
    assert reach.evidence.figures == {"clicks": 6, "budget": 3}
    assert not re.search(r"\d s\b", reach.title + reach.detail)  # clicks, not robot seconds
    assert reach.effort.clicks == 6


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_support_within_its_clicks_is_silent_however_slow_the_script(viewport: str) -> None:
    run = recorded("clean", "reach-a-human", viewport)
    goal = run.goals[0]
    for step in run.steps:  # the script took minutes: a person's pace is not the script's
        step.start_ms *= 100
        for action in step.actions:
            action.at_ms *= 100
    goal.at_ms *= 100
    assert not by_rule(analyse_run(run), "support-reach")


def test_scores_follow_the_findings() -> None:
    run = recorded("late-fee", "buy-a-mug", "desktop")
    score_run(run)
    # high (0.35: the late fee) and low (0.05: the total grew by the fee line the page names):
    # 100 * (1 - 0.65 * 0.95)
    assert run.friction_score == pytest.approx(38.3, abs=0.05)


def test_a_switched_off_rule_or_family_stays_silent() -> None:
    run = recorded("late-fee", "buy-a-mug", "desktop")
    assert by_rule(analyse_run(run, FrictionSettings(disabled=frozenset({"late-cost"}))), "late-cost") == []
    assert analyse_run(run, FrictionSettings(disabled=frozenset({"costs"}))) == []


def test_a_raised_threshold_silences_the_slow_answer() -> None:
    run = recorded("slow", "buy-a-mug", "desktop")
    patient = FrictionSettings(thresholds=Thresholds(slow_answer_ms=2000, very_slow_answer_ms=5000))
    assert by_rule(analyse_run(run, patient), "slow-answer") == []


def test_fingerprints_are_stable_across_runs_and_differ_by_viewport() -> None:
    desktop = by_rule(analyse_run(recorded("late-stock", "buy-a-mug", "desktop")), "late-blocker")[0]
    again = by_rule(analyse_run(recorded("late-stock", "buy-a-mug", "desktop")), "late-blocker")[0]
    mobile = by_rule(analyse_run(recorded("late-stock", "buy-a-mug", "mobile")), "late-blocker")[0]
    assert desktop.fingerprint == again.fingerprint
    assert desktop.fingerprint != mobile.fingerprint


def test_a_fingerprint_does_not_move_with_the_step() -> None:
    """The same problem found one step earlier or later, or named differently, is the same
    problem: the fingerprint comes from the page and what the finding is about."""
    from dataclasses import replace

    run = recorded("dead-button", "buy-a-mug", "desktop")
    [dead] = by_rule(analyse_run(run), "dead-click")
    for step in run.steps:
        step.name = f"renamed {step.index}"
    extra = replace(run.steps[0], index=0, name="an extra step", actions=[], duration_ms=1.0)
    run.steps = [extra, *run.steps]
    for i, step in enumerate(run.steps, start=1):
        step.index = i
    [moved] = by_rule(analyse_run(run), "dead-click")
    assert moved.step != dead.step and moved.fingerprint == dead.fingerprint
    mobile = by_rule(analyse_run(recorded("dead-button", "buy-a-mug", "mobile")), "dead-click")[0]
    assert mobile.fingerprint != dead.fingerprint and mobile.fingerprint[:8] == dead.fingerprint[:8]
