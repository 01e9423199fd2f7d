"""Where results go can fail too: a full disk, a history locked past its busy timeout, a damaged
history file. Each ends with a clear message and loses nothing that could be kept."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from uxmon.cli import main
from uxmon.demo import DemoShop
from uxmon.history import HistoryStore, store
from uxmon.records.serial import load_record

from .conftest import BUNDLED

SUPPORT = str(BUNDLED / "support.py")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 150 KB tmpfs: the first run's pictures and record fit; the rest does not all fit."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=150k", "tmpfs", str(mount)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here: test_a_full_disk_while_publishing covers the writers")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def assert_whole_files(folder: Path) -> None:
    """No half-written JSON, HTML or XML anywhere: each file parses or ends as it should."""
    for path in folder.rglob("*"):
        if path.name.endswith(".tmp"):
            raise AssertionError(f"temporary file left behind: {path}")
        if path.suffix == ".json":
            json.loads(path.read_text())
        elif path.suffix == ".html":
            assert path.read_text().rstrip().endswith("</html>"), path
        elif path.suffix == ".xml":
            ET.parse(path)


def test_a_full_disk_is_named_and_what_fits_is_kept(small_disk: Path, shop: DemoShop,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["run", SUPPORT, "--base-url", shop.url, "-v", "desktop", "-v", "mobile",
                 "--trace", "always", "-o", str(small_disk)])
    printed = capsys.readouterr()
    assert code == 3, printed.out + printed.err
    text = " ".join((printed.out + printed.err).split())
    assert f"no space left on the device that holds {small_disk}" in text
    assert "crashed" not in text and "Traceback" not in text
    assert_whole_files(small_disk)
    records = [load_record(p) for p in small_disk.glob("2*/runs/*/record.json")]
    for record in records:  # a run whose record fitted says what did not, and is not blamed
        assert record.outcome == "passed", record.reason
        assert all("no space left" in note for note in record.notes)


def test_a_full_disk_while_publishing(tmp_path: Path, shop: DemoShop, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    """The same verdict where no tmpfs can be mounted: the batch's own writer runs out of space."""
    import errno

    from uxmon.run import output

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(output, "write_records", full)
    code = main(["run", SUPPORT, "--base-url", shop.url, "-v", "desktop", "-o", str(tmp_path / "out")])
    printed = capsys.readouterr()
    assert code == 3
    assert "Error: no space left on the device that holds" in printed.out
    assert "passed" in printed.out and "Traceback" not in printed.out + printed.err


def test_a_locked_history_still_gets_results_and_the_next_run_adds_the_batch(
        tmp_path: Path, shop: DemoShop, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["run", SUPPORT, "--base-url", shop.url, "-v", "desktop", "-o", str(out)]) == 0
    monkeypatch.setattr(store, "BUSY_TIMEOUT_S", 1.0)
    holder = sqlite3.connect(out / "history.sqlite", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        capsys.readouterr()
        assert main(["run", SUPPORT, "--base-url", shop.url, "-v", "desktop", "-o", str(out)]) == 0
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    text = " ".join(capsys.readouterr().out.split())
    assert "history not updated" in text and "another process kept it locked for 1 s" in text
    locked = sorted(out.glob("2*/"))[-1]
    results = json.loads((locked / "results.json").read_text())
    assert results["batch"]["id"] == locked.name and results["journeys"][0]["outcome"] == "passed"
    ET.parse(locked / "junit.xml")
    assert "shows this batch alone" in (locked / "index.html").read_text()
    assert main(["run", SUPPORT, "--base-url", shop.url, "-v", "desktop", "-o", str(out)]) == 0
    assert f"added 1 earlier batch(es) that had not reached the history: {locked.name}" in \
        " ".join(capsys.readouterr().out.split())
    with HistoryStore(f"sqlite:///{out / 'history.sqlite'}") as history:
        assert len(history.batches()) == 3


def test_a_damaged_history_file_is_explained_and_runs_go_on(tmp_path: Path, shop: DemoShop,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    db = out / "history.sqlite"
    db.write_bytes(b"this is not a database " * 200)
    for command in (["history", "-o", str(out)], ["report", "-o", str(out)]):
        assert main(command) == 3
        err = " ".join(capsys.readouterr().err.split())
        assert "the file is damaged or not a uxmon history" in err, err
        assert f"Move it aside (mv '{db}' '{db}.broken')" in err and "Traceback" not in err
    assert main(["run", SUPPORT, "--base-url", shop.url, "-v", "desktop", "-o", str(out)]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "history not updated" in text and "shows this batch alone" in text
    batch = next(out.glob("2*/"))
    assert json.loads((batch / "results.json").read_text())["summary"]["passed"] == 1
