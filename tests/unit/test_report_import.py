"""`uxmon report --import` of a batch folder: never one that a live run is still writing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from uxmon.cli.app import main
from uxmon.history import HistoryStore
from uxmon.run.writing import FolderLock

RUNS = Path(__file__).parents[1] / "fixtures" / "runs"
BATCH = "20261201-211458-1e35"  # the fixture record's own batch


def batch_folder(out: Path) -> Path:
    folder = out / BATCH
    run = folder / "runs" / "buy-a-mug--desktop"
    run.mkdir(parents=True)
    shutil.copy(RUNS / "clean--buy-a-mug--desktop.json", run / "record.json")
    return folder


def stored(out: Path) -> bool:
    with HistoryStore(f"sqlite:///{out / 'history.sqlite'}") as store:
        return store.has_batch(BATCH)


def test_a_folder_still_being_written_is_left_to_its_writer_then_imported(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "reports"
    folder = batch_folder(out)
    with FolderLock(folder):  # as a live `uxmon run` holds it until its batch is kept
        assert main(["report", "-o", str(out), "--import", str(folder)]) == 3  # nothing imported
        err = capsys.readouterr().err
        assert "Not imported:" in err and "still being written by a uxmon run" in err
        assert "Traceback" not in err
        assert not stored(out)
    assert main(["report", "-o", str(out), "--import", str(folder)]) == 0
    assert f"Imported batch {BATCH}: 1 run(s)" in capsys.readouterr().out
    assert stored(out)
