"""Two shards over the demo shop, as two processes (two CI jobs), then one batch again: merged from
their bundles, and, with a shared PostgreSQL (UXMON_TEST_PG), written into one batch by both.
Either way every run is there once, with the findings one unsharded run finds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from uxmon.cli import main
from uxmon.config import Config
from uxmon.demo import DemoShop
from uxmon.history import HistoryStore
from uxmon.run.pipeline import BatchOptions, run_batch

from ..unit.test_history_store import PG, fresh_pg_schema
from .conftest import BUNDLED, ROOT

FRICTION = "late-fee,mobile-overflow"
# Rules whose verdict rests on timings, which a loaded machine changes: not compared.
TIMED = {"slow-answer", "slow-step", "slow-page", "layout-shift", "moved-target", "chat-wait",
         "support-reach", "dead-click"}


def findings(records: list) -> set[tuple[str, str]]:
    return {(r.run_id, f.rule) for r in records for f in r.findings if f.rule not in TIMED}


def stored_findings(store: HistoryStore, batch_id: str) -> set[tuple[str, str]]:
    runs = {r.id: r.run_id for r in store.runs_of_batch(batch_id)}
    return {(runs[f.run], f.rule) for f in store.findings_of_runs(runs) if f.rule not in TIMED}


def shard(tmp_path: Path, url: str, k: int, db: str) -> subprocess.Popen[str]:
    env = {**os.environ, "UXMON_DB": db, "PYTHONPATH": str(ROOT)}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.Popen(
        [sys.executable, "-m", "uxmon", "run", str(BUNDLED), "--base-url", url, "--shard", f"{k}/2",
         "--plan", str(tmp_path / "plan.json"), "--batch-id", "gh-42-1", "-o", str(tmp_path / f"shard{k}"),
         "-w", "1", "--timeout", "90"],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_two_shards_then_one_batch_with_every_run_once_and_the_same_findings(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shared = fresh_pg_schema() if PG else ""
    with DemoShop(friction=FRICTION) as shop:
        whole = run_batch(Config(base_url=shop.url, output=str(tmp_path / "whole"), root=str(tmp_path),
                                 workers=2), BatchOptions(paths=[str(BUNDLED)]))
        assert len(whole.records) == 4
        plan_db = shared or f"sqlite:///{tmp_path / 'whole' / 'history.sqlite'}"
        assert main(["plan", str(BUNDLED), "--shards", "2", "-o", str(tmp_path / "plan.json"),
                     "--db", plan_db]) == 0
        plan = json.loads((tmp_path / "plan.json").read_text())
        assert {r["samples"] for r in plan["runs"]} == ({0} if shared else {1})
        procs = [shard(tmp_path, shop.url, k, shared or f"sqlite:///{tmp_path / f'shard{k}.sqlite'}")
                 for k in (1, 2)]
        outs = [p.communicate(timeout=300)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert all(o.startswith(f"Shard {k}/2: 2 of 4 runs, about ") for k, o in zip((1, 2), outs, strict=True))
    bundles = [tmp_path / f"shard{k}" / "gh-42-1" for k in (1, 2)]
    ran = [sorted(p.name for p in (b / "runs").iterdir()) for b in bundles]
    assert not set(ran[0]) & set(ran[1])
    assert sorted(ran[0] + ran[1]) == sorted(r.run_id for r in whole.records)
    assert ran[0] in (["buy-a-mug--desktop", "buy-a-mug--mobile"], ["reach-a-human--desktop",
                                                                     "reach-a-human--mobile"])

    assert main(["merge", *map(str, bundles), "-o", str(tmp_path / "merged")]) == 0
    with HistoryStore(f"sqlite:///{tmp_path / 'merged' / 'history.sqlite'}") as store:
        [batch] = store.batches()
        assert (batch.id, batch.runs, batch.passed) == ("gh-42-1", 4, 4)
        assert sorted(r.run_id for r in store.runs_of_batch("gh-42-1")) == sorted(
            r.run_id for r in whole.records)
        assert stored_findings(store, "gh-42-1") == findings(whole.records)
    assert ("buy-a-mug--desktop", "late-cost") in findings(whole.records)
    assert ("buy-a-mug--mobile", "sideways-scroll") in findings(whole.records)
    merged = tmp_path / "merged" / "gh-42-1"
    pictures = {p.relative_to(merged) for p in merged.glob("runs/*/step-*.jpg")}
    assert {p.parts[1] for p in pictures} == {r.run_id for r in whole.records}
    assert (merged / "junit.xml").read_text().count("<testcase") == 4
    assert main(["merge", *map(str, bundles), "-o", str(tmp_path / "merged")]) == 0  # again: nothing twice
    with HistoryStore(f"sqlite:///{tmp_path / 'merged' / 'history.sqlite'}") as store:
        assert store.count_runs() == 4
    capsys.readouterr()
    # the gate judges the merged batch: the late fee is a new high finding (no baseline yet)
    assert main(["check", "--batch", "gh-42-1", "-o", str(tmp_path / "merged"), "--no-github"]) == 1
    verdict = capsys.readouterr().out
    assert verdict.startswith("The deploy gate failed: customers would meet new friction")
    assert "new-high" in verdict

    if not shared:
        return  # the shared-PostgreSQL batch needs UXMON_TEST_PG (.ci/run starts one)
    with HistoryStore(shared) as store:
        [batch] = [b for b in store.batches() if b.id == "gh-42-1"]
        assert (batch.runs, batch.passed, batch.failed, batch.errors) == (4, 4, 0, 0)
        assert sorted(r.run_id for r in store.runs_of_batch("gh-42-1")) == sorted(
            r.run_id for r in whole.records)
        assert stored_findings(store, "gh-42-1") == findings(whole.records)
