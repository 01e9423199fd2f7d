"""Writing results so that a file is either whole or absent, and a full disk is named as such.

Every JSON, HTML and XML file uxmon writes goes through :func:`write_text` (a temporary file in
the same folder, then a rename): a run killed or a disk that fills up mid-write leaves the old
file or none, never half of one.
"""

from __future__ import annotations

import errno
import os
import secrets
from pathlib import Path

FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


def is_disk_full(exc: BaseException) -> bool:
    """Out of space or quota, however deep in a library the error was raised."""
    while exc is not None:
        if isinstance(exc, OSError) and exc.errno in FULL:
            return True
        if "ENOSPC" in str(exc) or "No space left on device" in str(exc):
            return True
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return False


def disk_full_message(folder: Path, exc: BaseException | None = None) -> str:
    return f"no space left on the device that holds {folder}" + (f" ({exc})" if exc else "")


def write_bytes(path: Path, data: bytes) -> None:
    """Whole or not at all: written next to ``path``, then renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{secrets.token_hex(3)}.tmp")
    try:
        with open(temp, "wb") as handle:
            handle.write(data)
            handle.flush()
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8", "replace"))
