"""Who is still writing a batch folder: a shared ``flock`` each writer holds until the batch is kept.

A run's last step adds batch folders that never reached the history (``keep.catch_up``). Two
batches at once (two schedule entries, two cron jobs, shards) made that step take a folder
another process was still writing: the batch went into the history half-done and without its
schedule entry, and two processes drew its report at once. Every writer now holds a shared
lock on ``<folder>/.uxmon-writing`` from its first record until the batch is in the history;
catch-up passes over a folder whose lock is held. The kernel drops the lock when the process
ends, however it ends, so a batch whose writer was killed is caught up as before.
"""

from __future__ import annotations

import fcntl
import os
import weakref
from pathlib import Path
from types import TracebackType

WRITING_NAME = ".uxmon-writing"


class FolderLock:
    """Held from creation until ``release()`` (or the end of a ``with`` block, or the process).

    Best effort: a file system without locks (or a read-only folder) gives no lock, and
    catch-up then behaves as it always did.
    """

    def __init__(self, folder: Path) -> None:
        self._close: weakref.finalize | None = None
        try:
            fd = os.open(folder / WRITING_NAME, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_SH)
        except OSError:
            os.close(fd)
            return
        self._close = weakref.finalize(self, os.close, fd)  # a lock forgotten is dropped, never leaked

    @property
    def held(self) -> bool:
        return self._close is not None and self._close.alive

    def release(self) -> None:
        if self._close is not None:
            self._close()

    def __enter__(self) -> FolderLock:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()


def being_written(folder: Path) -> bool:
    """Whether a live process holds ``folder``'s writing lock (never blocks)."""
    try:
        fd = os.open(folder / WRITING_NAME, os.O_RDONLY)
    except OSError:
        return False  # never locked: written by an older uxmon, or the lock could not be made
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        os.close(fd)  # closing drops the probe's own lock at once
    return False
