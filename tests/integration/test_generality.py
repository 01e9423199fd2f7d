"""The rules on a site built nothing like the demo shop: a single-page app with client-side
routing, its own words and markup, in English and in German with the vocabulary configured."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from uxmon.friction import analyse_run
from uxmon.records import RunRecord
from uxmon.records.serial import load_record

from ..sites.lampshop import LampShop
from .conftest import batch, by_viewport

SCENARIO = Path(__file__).parents[1] / "sites" / "lampshop" / "scenarios.py"
GERMAN_WORDS = {"friction": {"vocabulary": {"blockers": ["nicht mehr vorrätig"],
                                            "fees": ["Zahlungsentgelt"]}}}


def walk(tmp_path: Path, lang: str, variants: Iterable[str], **config: Any) -> dict[str, RunRecord]:
    with LampShop(lang, variants) as shop:
        result = batch(tmp_path, shop.url, [SCENARIO], **config)
    return by_viewport(result, "Buy a lamp")


def rules(run: RunRecord, at_least: str = "medium") -> dict[str, tuple[int | None, str]]:
    order = ("info", "low", "medium", "high", "critical")
    return {f.rule: (f.step, f.severity) for f in run.findings
            if order.index(f.severity) >= order.index(at_least)}


@pytest.mark.parametrize(("lang", "config"), [("en", {}), ("de", {"sections": GERMAN_WORDS})])
def test_the_clean_app_is_silent(tmp_path: Path, lang: str, config: dict[str, Any]) -> None:
    runs = walk(tmp_path, lang, (), **config)
    assert {name: (r.outcome, rules(r)) for name, r in runs.items()} == {
        "desktop": ("passed", {}), "mobile": ("passed", {})}


def test_english_late_blocker_late_cost_and_overflow(tmp_path: Path) -> None:
    runs = walk(tmp_path, "en", ("late-blocker", "late-cost", "overflow"))
    for name, run in runs.items():
        found = rules(run)
        assert found["late-blocker"] == (5, "critical"), name
        assert found["late-cost"] == (5, "high"), name
        assert "task-failed" not in found  # the late blocker already says why
        [blocker] = [f for f in run.findings if f.rule == "late-blocker"]
        assert blocker.evidence.text == "We're sorry: the Nordlicht lamp is sold out."
        assert "/api/orders answered HTTP 409" in blocker.cause
        assert "Step 2 (Lamp) said “Available”" in blocker.detail
        [cost] = [f for f in run.findings if f.rule == "late-cost"]
        assert cost.evidence.amounts == ["$4.90"] and cost.evidence.text == "Card processing"
    assert rules(runs["mobile"])["sideways-scroll"] == (2, "high")
    assert "sideways-scroll" not in rules(runs["desktop"])
    [wide] = [f for f in runs["mobile"].findings if f.rule == "sideways-scroll"]
    assert "table.specs" in wide.cause


def test_german_with_configured_words(tmp_path: Path) -> None:
    runs = walk(tmp_path, "de", ("late-blocker", "late-cost", "overflow"), sections=GERMAN_WORDS)
    for name, run in runs.items():
        found = rules(run)
        assert found["late-blocker"] == (5, "critical"), name
        assert found["late-cost"] == (5, "high"), name
        [cost] = [f for f in run.findings if f.rule == "late-cost"]
        assert cost.evidence.amounts == ["4,90 €"]
        [blocker] = [f for f in run.findings if f.rule == "late-blocker"]
        assert blocker.evidence.text == "Leider ist die Leuchte Nordlicht nicht mehr vorrätig."
    assert rules(runs["mobile"])["sideways-scroll"] == (2, "high")
    # Without the configured words the message is not understood: only the refused request is.
    plain = analyse_run(load_record(Path(tmp_path / "reports" / "latest" / "runs" / runs["desktop"].run_id
                                         / "record.json")))
    assert {f.rule: f.severity for f in plain}.get("late-blocker") == "high"
    assert "late-cost" not in {f.rule for f in plain}


@pytest.mark.parametrize("lang", ["en", "de"])
def test_dead_voucher_button(tmp_path: Path, lang: str) -> None:
    runs = walk(tmp_path, lang, ("dead-click",), viewports=("desktop", "mobile"))
    for run in runs.values():
        assert run.outcome == "failed"
        assert rules(run)["dead-click"] == (3, "high")
        [dead] = [f for f in run.findings if f.rule == "dead-click"]
        assert dead.title == ("“Redeem” does nothing when clicked" if lang == "en"
                              else "“Einlösen” does nothing when clicked")
