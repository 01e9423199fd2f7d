"""The report tells the truth, on recorded runs: what the customer met before Playwright's words,
the customer's time apart from uxmon's wait, the same names for the same times, and pictures
that are there or say why not."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from uxmon.friction import analyse_batch, score_run
from uxmon.history import BatchRow, HistoryStore
from uxmon.history.rows import FindingRow, RunRow, StepRow, rows_of
from uxmon.history.summary import batch_alone
from uxmon.history.trends import Point
from uxmon.records import RunRecord
from uxmon.records.serial import load_record, save_record
from uxmon.report.axes import time_labels, value_ticks
from uxmon.report.failure import failure_of, playwright_doing, without_step
from uxmon.report.machine import junit_xml, results_json
from uxmon.report.model import Overview, build_overview
from uxmon.report.pictures import GONE, LOST, NOT_KEPT, STEPS, picture_of
from uxmon.report.publish import redraw
from uxmon.report.render import BatchView, render_batch_index, render_journey, render_overview
from uxmon.report.svg import _duration_place, line_chart

RUNS = Path(__file__).parents[1] / "fixtures" / "runs"
THANKS = "waiting for get_by_role(\"heading\", name=\"Thank you for your order\")"
SORRY = "Sorry, Blue Mug is out of stock. We could not take your payment."


def recorded(name: str, started_at: str = "2026-11-02T00:00:00+00:00") -> RunRecord:
    run = load_record(RUNS / f"{name}.json")
    score_run(run)
    run.started_at = started_at
    return run


def stopped_at_refusal(run: RunRecord) -> RunRecord:
    """The timeline cuts a failed run's last step when the refusal was seen: the fixtures are
    recorded so; this says so in the tests that rely on it."""
    assert run.steps[-1].end_ms < run.duration_ms - 1000
    return run


def older(run: RunRecord) -> RunRecord:
    """As a record made before the cut: the last step runs on to the end of the run."""
    run.steps[-1].duration_ms = run.duration_ms - run.steps[-1].start_ms
    return run


def secs(ms: float) -> str:
    return f"{ms / 1000:.1f} s"


def overview_of(*runs: RunRecord, goals: dict[int, float] | None = None) -> Overview:
    analyse_batch(list(runs), {})
    rows = rows_of(BatchRow("b1", runs[0].started_at, "http://shop"), list(runs))
    return build_overview(batch_alone(rows), rows.steps, rows.actions, rows.findings, goals=goals)


def test_a_failed_run_says_what_the_customer_was_told_first(tmp_path: Path) -> None:
    late = stopped_at_refusal(recorded("late-stock--buy-a-mug--desktop"))
    ov = overview_of(late)
    [view] = ov.cells.values()
    failure = view.failure
    assert failure is not None
    assert failure.sentence == f"Customers were stopped at step 7 (Confirmation): the site said “{SORRY}”"
    assert failure.message == SORRY and failure.technical.endswith(THANKS)

    journey = render_journey(ov, "Buy a mug")
    told = journey.index(f"the site said “{SORRY}”")
    details = journey.index("<details>")
    trace = journey.index("playwright show-trace runs/buy-a-mug--desktop/trace.zip")
    technical = journey.index("Locator expected to be visible")
    assert told < details < technical < trace < journey.index("</details>")
    overview = render_overview(ov)
    assert f"Customers were stopped at step 7 (Confirmation): the site said “{SORRY}”" in overview
    assert "Locator expected" not in overview  # the technical words stay on the journey page

    results = json.loads(results_json(ov))["journeys"][0]
    assert results["customer_reason"] == failure.sentence
    assert results["reason"].startswith("Locator expected to be visible")
    case = ET.fromstring(junit_xml(ov)).find("testcase/failure")
    assert case is not None and case.get("message") == failure.sentence
    text = case.text or ""
    assert text.index(failure.sentence) < text.index("Technical reason: Locator expected") \
        < text.index("Trace: playwright show-trace runs/buy-a-mug--desktop/trace.zip")


def test_without_a_message_the_line_names_the_step_and_what_did_not_answer() -> None:
    [view] = overview_of(recorded("dead-button--buy-a-mug--desktop")).cells.values()
    assert view.failure is not None
    assert view.failure.sentence == ("Customers were stopped at step 3 (Cart): “applied” never appeared. "
                                     "“Apply” does nothing when clicked.")


def test_with_nothing_to_quote_the_line_still_names_the_step() -> None:
    run = RunRow(1, "b1", "r1", "Buy", "desktop", "failed", "2026-11-02T00:00:00+00:00", 20_000, 5, 4, 0,
                 90.0, reason='Locator expected to be visible — waiting for locator("#done")', failed_step=5)
    steps = [StepRow(1, i, name, i * 1000.0, 900.0, 1, 0)
             for i, name in enumerate(["Home", "Cart", "Address", "Delivery", "Payment"], start=1)]
    failure = failure_of(run, steps, [])
    assert failure is not None
    assert failure.sentence == "Customers were stopped at step 5 (Payment)."
    assert failure.stopped_ms == 5900.0 and failure.waited_ms == 14_100.0
    assert failure.wait_sentence == "then uxmon waited 14.1 s before giving up"
    # A refusal without a word (HTTP 409 stands in for the message) is not quoted as one.
    refused = FindingRow(1, "Buy", "desktop", "x", "late-blocker", "high", 5, "Payment",
                         "The order is refused without a word of why", evidence_text="HTTP 409")
    unsaid = failure_of(run, steps, [refused])
    assert unsaid is not None and unsaid.sentence == "Customers were stopped at step 5 (Payment)."
    passed = RunRow(2, "b1", "r2", "Buy", "desktop", "passed", "", 3000, 5, 4, 0, 0.0)
    assert failure_of(passed, steps, []) is None


@pytest.mark.parametrize(("reason", "clause", "waiting"), [
    ('Locator.click: Timeout 10000ms exceeded. — waiting for get_by_role("button", name="Apply")',
     "“Apply” could not be pressed", "to press “Apply”"),
    ('Locator.fill: Timeout 5000ms exceeded. — waiting for get_by_label("Email")',
     "“Email” could not be filled in", "to fill in “Email”"),
    (f"Locator expected to be visible — Actual value: None — {THANKS}",
     "“Thank you for your order” never appeared", "for “Thank you for your order”, which never came"),
    ("Locator expected to contain text 'applied' — Actual value: (empty) — "
     "waiting for get_by_role(\"status\")",
     "“applied” never appeared", "for “applied”, which never came"),
    ("Page.goto: Timeout 30000ms exceeded. — navigating to \"http://shop/\"", "the page did not load",
     "for the page to load"),
    ("No delivery slot was offered", "No delivery slot was offered", ""),  # journey.fail(...): already words
    ("Error: something odd in the script", "", ""),
])
def test_what_the_script_was_doing_in_a_customers_words(reason: str, clause: str, waiting: str) -> None:
    doing = playwright_doing(reason)
    assert (doing.clause, doing.waiting_for) == (clause, waiting)


def test_a_finding_title_loses_its_step_in_the_failure_line() -> None:
    assert without_step("A popup covers the page in the middle of step 3 (Cart)") == "A popup covers the page"
    assert without_step("A script on the page breaks at step 2 (Product)") == "A script on the page breaks"
    assert without_step("“Apply” does nothing when clicked") == "“Apply” does nothing when clicked"


def test_customer_time_and_uxmons_wait_are_shown_apart() -> None:
    late = stopped_at_refusal(recorded("late-stock--buy-a-mug--desktop"))
    seen, run_ms = late.steps[-1].end_ms, late.duration_ms
    ov = overview_of(late)
    [view] = ov.cells.values()
    assert view.failure is not None
    assert view.failure.stopped_ms == pytest.approx(seen)
    assert view.failure.wait_sentence == (f"then uxmon waited {secs(run_ms - seen)} for “Thank you for "
                                          "your order”, which never came")
    journey = render_journey(ov, "Buy a mug")
    assert (f"The customer met this after {secs(seen)}; then uxmon waited {secs(run_ms - seen)} for "
            "“Thank you for your order”, which never came.") in journey
    assert (f"stopped after <span class=\"num\">{secs(seen)}</span> · run time "
            f"<span class=\"num\">{secs(run_ms)}") in journey
    assert "uxmon waited</text>" in journey and "✖ 7. Confirmation" in journey  # the timeline
    assert f"stopped after <span class=\"num\">{secs(seen)}" in render_overview(ov)
    results = json.loads(results_json(ov))["journeys"][0]
    assert (results["stopped_after_s"], results["waited_s"], results["run_time_s"], results["seconds"],
            results["time_to_goal_s"]) == (round(seen / 1000, 2), round((run_ms - seen) / 1000, 2),
                                           round(run_ms / 1000, 2), round(run_ms / 1000, 2), None)


def test_the_message_moment_ends_the_customers_time_even_in_an_older_record() -> None:
    """A record whose last step ran on to the timeout: the quoted message's moment ends it."""
    run = recorded("late-stock--buy-a-mug--mobile")
    seen = run.steps[-1].end_ms
    ov = overview_of(older(run))
    [view] = ov.cells.values()
    assert view.failure is not None
    blocker = next(f for f in run.findings if f.rule == "late-blocker")
    assert abs(view.failure.stopped_ms - blocker.effort.seconds * 1000) <= 100  # to a tenth of a s
    confirmation = view.steps[-1]
    assert confirmation.duration_ms > 4000 and view.step_ms(confirmation) < 200  # the customer's part
    assert ov.maps[0].stages[-1].cells["mobile"].seconds < 0.2
    assert view.failure.wait_sentence.startswith("then uxmon waited ")
    assert abs(view.failure.waited_ms - (run.duration_ms - seen)) < 200


def test_a_gap_under_a_second_is_uxmon_closing_the_page_not_a_wait() -> None:
    run = recorded("dead-button--buy-a-mug--desktop")
    run.duration_ms = run.steps[-1].end_ms + 500  # the run ended half a second after the step
    [view] = overview_of(run).cells.values()
    assert view.failure is not None and view.failure.stopped_ms == pytest.approx(run.steps[-1].end_ms)
    assert view.failure.waited_ms == 0.0 and view.failure.wait_sentence == ""


def test_passed_runs_name_time_to_goal_and_run_time(tmp_path: Path) -> None:
    """Time to goal comes from the run's record in the batch folder: the store keeps none."""
    runs = [recorded("slow-chat--reach-a-human--desktop"), recorded("clean--buy-a-mug--mobile")]
    store = HistoryStore(f"sqlite:///{tmp_path / 'history.sqlite'}")
    folder = tmp_path / "b1"
    analyse_batch(runs, {})
    for run in runs:
        save_record(run, folder / "runs" / run.run_id / "record.json")
    with store:
        store.save_batch(BatchRow.of("b1", runs[0].started_at, "http://shop", str(folder), runs), runs)
        redraw(store, tmp_path)
    results = {j["scenario"]: j for j in json.loads((folder / "results.json").read_text())["journeys"]}
    chat = results["Reach a human"]
    goal, run_ms = runs[0].time_to_complete_ms or 0.0, runs[0].duration_ms
    assert (chat["time_to_goal_s"], chat["run_time_s"], chat["customer_reason"]) == (
        round(goal / 1000, 2), round(run_ms / 1000, 2), None)
    assert results["Buy a mug"]["time_to_goal_s"] == round((runs[1].time_to_complete_ms or 0) / 1000, 2)
    page = (folder / "index.html").read_text()
    assert (f"time to goal <span class=\"num\">{secs(goal)}</span> · run time "
            f"<span class=\"num\">{secs(run_ms)}") in page
    assert "Run time (s)" in page and f"median run time {secs(run_ms)}" in page
    (folder / "runs" / runs[0].run_id / "record.json").unlink()  # the folder lost it: run time only
    with HistoryStore(f"sqlite:///{tmp_path / 'history.sqlite'}") as again:
        redraw(again, tmp_path)
    chat = next(j for j in json.loads((folder / "results.json").read_text())["journeys"]
                if j["scenario"] == "Reach a human")
    assert (chat["time_to_goal_s"], chat["run_time_s"]) == (None, round(run_ms / 1000, 2))


def finding(rule: str, screenshot: str = "", **box: float) -> FindingRow:
    return FindingRow(1, "S", "desktop", "f", rule, "high", 3, "Cart", "t", screenshot=screenshot, **box)


def test_every_finding_has_its_picture_or_says_why_not() -> None:
    step = StepRow(1, 3, "Cart", 0.0, 1.0, 0, 0, screenshot="step-03.jpg")
    own = finding("dead-click", "finding-01.jpg", box_x=10, box_y=10, box_w=50, box_h=20)
    assert picture_of(own, step, True, set()).src == "finding-01.jpg"
    assert picture_of(own, step, True, set()).outlined
    unboxed = finding("js-error", "finding-02.jpg")
    assert picture_of(unboxed, step, True, set()).note == ""
    stepwise = finding("slow-step", "step-03.jpg")
    assert picture_of(stepwise, step, True, set()).note == STEPS
    none = finding("late-blocker")
    assert picture_of(none, step, True, set()).note == GONE
    assert GONE == "No picture: the page had gone before it could be taken."
    assert picture_of(none, None, False, set()).note == NOT_KEPT
    assert picture_of(own, step, True, {"finding-01.jpg"}).note == LOST


def test_the_journey_page_says_so_where_no_picture_exists() -> None:
    late = recorded("late-stock--buy-a-mug--desktop")  # recorded without evidence pictures
    page = render_journey(overview_of(late), "Buy a mug")
    assert GONE in page
    assert 'src="../runs/buy-a-mug--desktop/"' not in page  # never an empty picture


def test_the_journey_map_marks_the_stop_in_words() -> None:
    ov = overview_of(recorded("late-stock--buy-a-mug--desktop"), recorded("dead-button--buy-a-mug--mobile"))
    [journey_map] = ov.maps
    stopped = {v: [st.name for st in journey_map.stages if st.cells.get(v) and st.cells[v].blocked]
               for v in journey_map.viewports}
    assert stopped == {"desktop": ["Confirmation"], "mobile": ["Cart"]}
    confirmation = next(st for st in journey_map.stages if st.name == "Confirmation")
    assert confirmation.cells["desktop"].said == SORRY
    html = render_overview(ov)
    assert html.count("<span class=\"mark\">✖ Stopped here</span>") == 2 and "not reached" in html


def test_history_axes_label_times_that_differ() -> None:
    minutes = [f"2026-12-01T20:{m:02d}:00+00:00" for m in range(0, 50, 5)]
    labels = time_labels(minutes)
    assert [text for _, text in labels] == ["1 Dec 20:00 UTC", "20:15", "20:30", "20:45"]
    assert [i for i, _ in labels] == [0, 3, 6, 9]
    days = [f"2026-12-{d:02d}T06:00:00+00:00" for d in range(1, 30)]
    assert [text for _, text in time_labels(days)] == ["1 Dec", "10 Dec", "20 Dec", "29 Dec"]
    seconds = [f"2026-12-01T20:00:{s:02d}+01:00" for s in (0, 20, 40)]
    assert [text for _, text in time_labels(seconds)] == ["1 Dec 20:00:00 UTC+01:00", "20:00:20", "20:00:40"]
    same = ["2026-12-01T20:00:00+00:00"] * 5  # repeats in one moment: one label, not five
    assert time_labels(same) == [(0, "1 Dec 20:00 UTC")]
    assert time_labels(["not a date"]) == [(0, "not a date")]


def test_the_score_axis_is_always_zero_to_a_hundred() -> None:
    points = [Point(f"2026-12-01T20:0{i}:00+00:00", 3.0 + i, 12.0, "passed") for i in range(3)]
    score = str(line_chart(points, "score", "points", 100))
    assert [t for t in ("0", "25", "50", "75", "100") if f'text-anchor="end">{t}</text>' in score] == \
        ["0", "25", "50", "75", "100"]
    time = str(line_chart(points, "seconds", "s"))
    assert 'text-anchor="end">6</text>' in time or 'text-anchor="end">8</text>' in time
    assert "20:00" in time and "20:02" in time
    assert value_ticks(5.5) == [0.0, 2.0, 4.0, 6.0, 8.0]
    assert value_ticks(100) == [0.0, 25.0, 50.0, 75.0, 100.0]


def test_the_batch_index_leads_with_the_customers_line_too() -> None:
    late = recorded("late-stock--buy-a-mug--desktop")
    html = render_batch_index(BatchView("b1", late.started_at, 9.0, "http://shop", [late]))
    assert "<th>Time to goal</th><th>Run time</th>" in html
    told = html.index("Customers were stopped at step 7 (Confirmation)")
    assert told < html.index("Technical reason: Locator")


def test_a_bar_s_duration_never_sits_on_its_action_ticks() -> None:
    assert _duration_place(200, 100, 136, 600) == 'x="304.0"'  # room after the bar
    assert _duration_place(500, 90, 136, 600) == 'x="496.0" text-anchor="end"'  # before it
    inside = _duration_place(140, 450, 136, 600)  # a bar as wide as the chart: on a white halo
    assert 'text-anchor="end"' in inside and 'paint-order="stroke" stroke="#fff"' in inside
