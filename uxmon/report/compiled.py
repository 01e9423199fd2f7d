"""Compiled templates kept between processes: a batch's report needs its templates compiled,
which costs every ``uxmon run`` about 70 ms before it can write a page.

Jinja2's own file cache keeps the compiled code under the user's cache folder, keyed by each
template's name and checked against its source, so a changed template (another uxmon) is
compiled again. A cache that cannot be read or written (a read-only home, a full disk) only
means compiling again: it never fails a report.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

from jinja2 import FileSystemBytecodeCache
from jinja2.bccache import Bucket


class QuietCache(FileSystemBytecodeCache):
    """Jinja2's file cache, quiet about files it cannot read or write."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, ValueError, EOFError, pickle.UnpicklingError):  # unreadable or cut short
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def template_cache(name: str) -> QuietCache | None:
    """The cache for one set of templates, in a folder only this user may write; None when
    there is no such folder."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = base / "uxmon" / f"templates-{name}"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if folder.stat().st_uid != os.getuid():
            return None  # someone else's folder: their code is not ours to load
    except OSError:
        return None
    return QuietCache(str(folder))
