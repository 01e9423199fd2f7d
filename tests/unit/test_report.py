"""The report drawn from the history store, on recorded runs: what the reader sees, and twins."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree as ET

from uxmon.friction import analyse_batch, score_run
from uxmon.history import BatchRow, HistoryStore
from uxmon.records import RunRecord
from uxmon.records.serial import load_record
from uxmon.report.publish import redraw

RUNS = Path(__file__).parents[1] / "fixtures" / "runs"
HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'


def recorded(name: str, started_at: str) -> RunRecord:
    run = load_record(RUNS / f"{name}.json")
    score_run(run)
    run.started_at = started_at
    return run


def store_batches(tmp_path: Path, *batches: list[RunRecord]) -> HistoryStore:
    store = HistoryStore(f"sqlite:///{tmp_path / 'history.sqlite'}")
    for i, runs in enumerate(batches, start=1):
        analyse_batch(runs, {})
        folder = tmp_path / f"b{i}"
        store.save_batch(BatchRow.of(f"b{i}", runs[0].started_at, "http://shop", str(folder), runs), runs)
    return store


def test_overview_journey_pages_and_twins(tmp_path: Path) -> None:
    clean = [recorded("clean--buy-a-mug--desktop", "2026-11-01T00:00:00+00:00"),
             recorded("clean--buy-a-mug--mobile", "2026-11-01T00:00:01+00:00")]
    broken = [recorded("late-stock--buy-a-mug--desktop", "2026-11-02T00:00:00+00:00"),
              recorded("mobile-overflow--buy-a-mug--mobile", "2026-11-02T00:00:01+00:00")]
    with store_batches(tmp_path, clean, broken) as store:
        page = redraw(store, tmp_path)
    assert page == tmp_path / "b2" / "index.html"
    html = page.read_text()
    assert "1 of 2 customer journeys pass · 4 new problems since the last check" in html
    # Ranked by severity × wasted effort; each line names where it hurts.
    assert html.index("Sorry, Blue Mug is out of stock") < html.index("The page scrolls sideways")
    assert "Buy a mug on desktop · after 8 clicks" in html
    assert "✖ Stopped here" in html  # the journey map marks the late blocker
    assert 'href="journeys/buy-a-mug.html#desktop-step-7"' in html
    top = (tmp_path / "index.html").read_text()
    assert 'href="b2/journeys/buy-a-mug.html' in top  # the output folder's copy leads into the batch
    journey = (tmp_path / "b2" / "journeys" / "buy-a-mug.html").read_text()
    assert "playwright show-trace runs/buy-a-mug--desktop/trace.zip" in journey
    assert 'src="../runs/buy-a-mug--mobile/step-02.jpg"' in journey and 'loading="lazy"' in journey
    assert re.search(r"Likely cause: POST http://127\.0\.0\.1:\d+/checkout/payment answered HTTP 409",
                     journey)
    results = json.loads((tmp_path / "b2" / "results.json").read_text())
    assert results["schema"] == 1 and results["summary"]["passed"] == 1
    desktop = next(j for j in results["journeys"] if j["viewport"] == "desktop")
    assert desktop["outcome"] == "failed" and desktop["trend"]["runs"] == 2
    assert {f["rule"]: f["status"] for f in desktop["findings"]}["late-blocker"] == "new"
    suite = ET.fromstring((tmp_path / "b2" / "junit.xml").read_text())
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("2", "2", "0")
    failure = suite.find("testcase[@name='Buy a mug [mobile]']/failure")
    assert failure is not None and "high or critical" in (failure.get("message") or "")


def test_site_text_is_escaped_everywhere(tmp_path: Path) -> None:
    run = recorded("late-stock--buy-a-mug--desktop", "2026-11-01T00:00:00+00:00")
    run.scenario = f"Buy {HOSTILE}"
    for finding in run.findings:
        finding.title = f"{finding.title} {HOSTILE}"
        finding.cause = HOSTILE
    run.steps[0].name = HOSTILE
    run.reason = HOSTILE
    with store_batches(tmp_path, [run]) as store:
        redraw(store, tmp_path)
    for page in [*tmp_path.glob("b1/*.html"), *tmp_path.glob("b1/journeys/*.html")]:
        text = page.read_text()
        assert "<script>window" not in text and "<img src=x" not in text, page
        assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in text, page
    assert "<script>window" not in (tmp_path / "b1" / "junit.xml").read_text()
