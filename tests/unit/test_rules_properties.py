"""No rule raises on odd or partial records: property tests on generated RunRecords."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from uxmon.friction import analyse_batch, analyse_run, friction_score
from uxmon.records import (
    SEVERITIES,
    Action,
    Alert,
    BrokenImage,
    ConsoleMessage,
    Finding,
    Goal,
    LayoutShift,
    MovedElement,
    Navigation,
    Overlay,
    PageError,
    PriceSeen,
    Rect,
    Request,
    RunRecord,
    Step,
    Target,
    Timing,
    Viewport,
)

# Text that the rules react to, mixed with noise, so generated records reach deep into them.
WORDS = ["Sorry, out of stock", "In stock", "Service fee $3.95", "Subtotal", "$12.00", "Total",
         "1.299,00 €", "Total: -$4", "€", "Shipping\nFree", "Gesamt 0,00 €", "error", "", "ü",
         "Pay", "Something went wrong", "Versand 4,95 €", "$", "9" * 40, "Total\n$1,299.00"]
times = st.floats(min_value=-10, max_value=1e6, allow_nan=False)
maybe_times = st.none() | times
small = st.floats(min_value=-5, max_value=5000, allow_nan=False)
texts = st.lists(st.sampled_from(WORDS), max_size=6).map("\n".join) | st.text(max_size=40)
rects = st.none() | st.builds(Rect, small, small, small, small)
targets = st.builds(Target, st.sampled_from(["", "button#pay", "a.help", "input[name=q]"]), texts,
                    st.sampled_from(["", "button", "a", "input"]), st.sampled_from(["", "button", "radio"]),
                    rects, st.none() | small, rects, st.sampled_from(["", "password", "radio", "text"]))
actions = st.builds(Action, st.sampled_from(["click", "tap", "key", "fill", "select", "odd"]), times,
                    targets, st.text(max_size=5), st.integers(0, 50), st.integers(0, 50), maybe_times,
                    st.sampled_from(["", "dom", "navigation", "request", "none"]), maybe_times, times,
                    st.integers(0, 3), st.none() | targets, maybe_times, small)
urls = st.sampled_from(["", "http://127.0.0.1:8000/checkout", "https://shop.example/api",
                        "https://cdn.other.example/x.js", "not a url", "data:,"])
requests_ = st.builds(Request, urls, st.sampled_from(["GET", "POST", ""]),
                      st.sampled_from(["document", "fetch", "image", ""]),
                      st.none() | st.integers(0, 599), st.sampled_from(["", "net::ERR_FAILED"]),
                      st.integers(0, 10**6), times, maybe_times)
steps = st.builds(
    Step, st.integers(-1, 30), texts, times, small, st.booleans(), urls, texts,
    actions=st.lists(actions, max_size=5), requests=st.lists(requests_, max_size=4),
    console=st.lists(st.builds(ConsoleMessage, times, st.sampled_from(["error", "warning"]), texts,
                               texts), max_size=2),
    errors=st.lists(st.builds(PageError, times, texts, texts), max_size=2),
    shifts=st.lists(st.builds(LayoutShift, times, st.floats(0, 3), st.booleans(),
                              st.lists(st.builds(MovedElement, texts, texts, small, small), max_size=2),
                              st.booleans()), max_size=3),
    navigations=st.lists(st.builds(Navigation, times, urls, st.sampled_from(["document", "route"]),
                                   st.none() | st.integers(0, 599), maybe_times, maybe_times,
                                   maybe_times, maybe_times, maybe_times), max_size=2),
    alerts=st.lists(st.builds(Alert, times, texts, st.sampled_from(["alert", "status", ""]), texts,
                              rects), max_size=2),
    overlays=st.lists(st.builds(Overlay, times, texts, texts, st.floats(0, 1), st.booleans(),
                                maybe_times, rects), max_size=2),
    broken_images=st.lists(st.builds(BrokenImage, times, urls, texts), max_size=2),
    prices=st.lists(st.builds(PriceSeen, st.sampled_from(["Total", "Fee", "", "Zwischensumme"]),
                              texts, times), max_size=3),
    timings=st.lists(st.builds(Timing, texts, st.sampled_from(["chat", "wait", ""]), times, small,
                               st.booleans()), max_size=2),
    goals=st.lists(st.builds(Goal, texts, times, st.sampled_from(["", "chat", "form", "phone"])),
                   max_size=2),
    text=texts, page_width=st.integers(0, 3000), viewport_width=st.integers(0, 3000),
    overflow=st.lists(texts, max_size=2),
)
viewports = st.builds(Viewport, st.sampled_from(["desktop", "mobile", "odd"]), st.integers(0, 2000),
                      st.integers(0, 2000), st.booleans(), st.booleans())
records = st.builds(
    RunRecord, run_id=st.text(max_size=8), batch_id=st.just("b"),
    scenario=st.sampled_from(["Buy", "Help", ""]),
    viewport=viewports, outcome=st.sampled_from(["passed", "failed", "error", "odd"]),
    duration_ms=times, base_url=urls, tags=st.lists(st.sampled_from(["purchase", "support"]), max_size=2),
    failed_step=st.none() | st.integers(-1, 30), steps=st.lists(steps, max_size=5),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records)
def test_no_rule_raises_on_a_generated_record(run: RunRecord) -> None:
    findings = analyse_run(run)
    broken = [f.detail for f in findings if f.rule == "rule-error"]
    assert broken == []
    for finding in findings:
        assert finding.severity in SEVERITIES
        assert finding.title
        assert finding.fingerprint


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(records, min_size=1, max_size=4))
def test_cross_viewport_rules_never_raise_and_scores_stay_in_range(runs: list[RunRecord]) -> None:
    for run in runs:
        run.findings = analyse_run(run)
    analyse_batch(runs, {})
    for run in runs:
        assert [f.detail for f in run.findings if f.rule == "rule-error"] == []
        assert 0.0 <= run.friction_score <= 100.0


@given(st.lists(st.sampled_from(SEVERITIES), max_size=30))
def test_the_score_is_between_0_and_100_and_ignores_order(severities: list[str]) -> None:
    findings = [Finding(rule="r", severity=s, title="t") for s in severities]
    score = friction_score(findings)
    assert 0.0 <= score <= 100.0
    assert friction_score(list(reversed(findings))) == score
    assert friction_score([*findings, Finding(rule="r", severity="high", title="t")]) >= score


def test_an_empty_or_errored_record_has_no_findings_but_its_outcome() -> None:
    desktop = Viewport("desktop", 1366, 768)
    assert analyse_run(RunRecord("x", "b", "Buy", desktop, "passed")) == []
    errored = RunRecord("x", "b", "Buy", desktop, "error", reason="site unreachable",
                        steps=[Step(1, "Home", 0.0)])
    assert [f.rule for f in analyse_run(errored)] == []
