"""The lock a batch's writer holds on its folder, seen from another open of the same file."""

from __future__ import annotations

import gc
from pathlib import Path

from uxmon.run.writing import WRITING_NAME, FolderLock, being_written


def test_a_held_lock_is_seen_and_a_released_one_is_not(tmp_path: Path) -> None:
    assert not being_written(tmp_path)  # never locked: an older uxmon's folder
    with FolderLock(tmp_path) as lock:
        assert lock.held and being_written(tmp_path)
        assert (tmp_path / WRITING_NAME).is_file()
    assert not lock.held and not being_written(tmp_path)


def test_a_lock_forgotten_without_release_is_dropped_when_collected(tmp_path: Path) -> None:
    lock = FolderLock(tmp_path)
    assert being_written(tmp_path)
    del lock
    gc.collect()
    assert not being_written(tmp_path)


def test_a_folder_that_cannot_hold_a_lock_gives_none_and_no_error(tmp_path: Path) -> None:
    lock = FolderLock(tmp_path / "missing")
    assert not lock.held
    lock.release()
    assert not being_written(tmp_path / "missing")
