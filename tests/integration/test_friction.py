"""Recall and precision end to end: each friction switch of the demo shop, walked by a real
Chromium, yields its finding at the right step with its evidence; the clean shop yields none."""

from __future__ import annotations

from pathlib import Path

import pytest

from uxmon.capture.host import PRESSURE
from uxmon.demo import DemoShop
from uxmon.records import Finding, RunRecord

from .conftest import batch, by_viewport

BOTH = ("desktop", "mobile")

# switch, scenario, rule, step name, severity, viewports where it must fire
CASES = [
    ("late-stock", "Buy a mug", "late-blocker", "Confirmation", "critical", BOTH),
    ("late-fee", "Buy a mug", "late-cost", "Payment", "high", BOTH),
    ("dead-button", "Buy a mug", "dead-click", "Cart", "high", BOTH),
    ("slow:payment:1500", "Buy a mug", "slow-answer", "Payment", "medium", BOTH),
    ("slow-chat:6000", "Reach a human", "chat-wait", "Chat", "medium", BOTH),
    ("layout-shift", "Buy a mug", "moved-target", "Delivery", "high", BOTH),
    ("mobile-overflow", "Buy a mug", "sideways-scroll", "Product", "high", ("mobile",)),
    ("popup", "Buy a mug", "interruption", "Cart", "medium", BOTH),
    ("js-error", "Buy a mug", "js-error", "Product", "medium", BOTH),
    ("broken-image", "Buy a mug", "broken-image", "Product", "medium", BOTH),
    ("buried-contact", "Reach a human", "support-reach", "Chat", "high", BOTH),
]


def serious(run: RunRecord) -> list[str]:
    return [f"{f.severity} {f.rule}: {f.title}" for f in run.findings
            if f.severity in ("medium", "high", "critical")]


def found(run: RunRecord, rule: str) -> list[Finding]:
    return [f for f in run.findings if f.rule == rule]


@pytest.mark.parametrize(("switch", "scenario", "rule", "step", "severity", "where"), CASES,
                         ids=[c[0].split(":")[0] for c in CASES])
def test_each_switch_yields_its_finding(tmp_path: Path, switch: str, scenario: str, rule: str,
                                        step: str, severity: str, where: tuple[str, ...]) -> None:
    with DemoShop(friction=switch) as shop:
        result = batch(tmp_path, shop.url, names=[scenario])
    runs = by_viewport(result, scenario)
    for name, run in runs.items():
        hits = found(run, rule)
        if name not in where:
            assert hits == [], f"{rule} fired on {name}"
            continue
        assert hits, f"no {rule} on {name}; found {serious(run)}"
        first = hits[0]
        assert (first.step_name, first.severity) == (step, severity), first
        assert first.title and first.fingerprint
        assert run.friction_score >= 15
        if first.evidence.screenshot:
            assert (result.folder / "runs" / run.run_id / first.evidence.screenshot).is_file()
    # The one finding a product manager must see is in the page they open.
    page = (result.folder / "index.html").read_text()
    assert found(runs[where[0]], rule)[0].title.split("“")[0][:20] in page


def test_the_clean_shop_is_silent_on_both_viewports(tmp_path: Path, shop: DemoShop) -> None:
    result = batch(tmp_path, shop.url)
    assert len(result.records) == 4
    for run in result.records:
        assert run.outcome == "passed"
        assert serious(run) == [], run.run_id
        assert run.friction_score < 15
        if PRESSURE.exists():  # the machine's own load was sampled all along the run
            assert len(run.contention) >= run.duration_ms / 1000, run.run_id


def test_evidence_pictures_outline_the_element(tmp_path: Path) -> None:
    with DemoShop(friction="dead-button") as shop:
        result = batch(tmp_path, shop.url, names=["Buy a mug"], viewports=("desktop",))
    [run] = result.records
    [dead] = found(run, "dead-click")
    picture = result.folder / "runs" / run.run_id / dead.evidence.screenshot
    assert picture.name.startswith("finding-") and picture.stat().st_size > 5_000
    assert dead.evidence.rect is not None and dead.evidence.rect.width > 0
