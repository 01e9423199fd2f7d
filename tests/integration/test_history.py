"""Every batch lands in the history store; `uxmon history` reads and prunes it; a database that
cannot be written costs a warning, never the batch."""

from __future__ import annotations

from pathlib import Path

import pytest

from uxmon.cli import main
from uxmon.demo import DemoShop
from uxmon.history import HistoryStore

from .conftest import BUNDLED


def run_support(shop: DemoShop, out: Path, *extra: str) -> int:
    return main(["run", str(BUNDLED / "support.py"), "--base-url", shop.url, "-v", "desktop",
                 "-o", str(out), *extra])


def test_batches_are_kept_compared_and_pruned(tmp_path: Path, shop: DemoShop,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert run_support(shop, out) == 0
    first = capsys.readouterr().out
    assert "Since the last batch" not in first  # nothing to compare with yet
    assert run_support(shop, out) == 0
    assert "Since the last batch: 0 new, 0 still there, 0 fixed" in capsys.readouterr().out
    with HistoryStore(f"sqlite:///{out / 'history.sqlite'}") as store:
        assert len(store.batches()) == 2 and store.count_runs() == 2
        [row] = store.runs_of_batch(store.batches()[0].id)
        assert (row.scenario, row.viewport, row.outcome, row.clicks) == (
            "Reach a human", "desktop", "passed", 3)
    assert main(["history", "-o", str(out)]) == 0
    table = capsys.readouterr().out
    assert "2 batch(es)" in table and "Reach a human" in table and "100%" in table
    assert main(["history", "-o", str(out), "--keep-days", "0"]) == 0
    pruned = capsys.readouterr().out
    assert "Removed 2 batch(es) older than 0 days (2 runs)" in pruned
    assert [p.name for p in out.iterdir()] == ["history.sqlite"]


def test_a_database_that_cannot_be_written_is_a_warning_and_the_batch_is_kept(
        tmp_path: Path, shop: DemoShop, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UXMON_DB", "postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2")
    out = tmp_path / "out"
    assert run_support(shop, out) == 0  # the journey passed: that is what the exit code says
    said = capsys.readouterr().out
    assert "Warning: history not updated: cannot open history database postgresql" in said
    [record] = list(out.glob("2*/runs/*/record.json"))
    assert record.stat().st_size > 1000
