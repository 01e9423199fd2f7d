"""What happens after every batch, whichever front door ran it: hooks the later stages register.

A higher stage (alerts) registers itself here rather than the pipeline importing it; a hook
that raises becomes a warning on the result and never changes the batch or its exit code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..config import Config
    from .result import BatchResult

AfterBatch = Callable[["BatchResult", "Config"], None]
_AFTER_BATCH: list[AfterBatch] = []


def register_after_batch(hook: AfterBatch) -> AfterBatch:
    """Call ``hook(result, config)`` at the end of every batch."""
    if hook not in _AFTER_BATCH:
        _AFTER_BATCH.append(hook)
    return hook


def after_batch(result: BatchResult, config: Config) -> None:
    for hook in list(_AFTER_BATCH):
        try:
            hook(result, config)
        except Exception as exc:  # noqa: BLE001 - the batch is done; say what broke
            name = getattr(hook, "__qualname__", repr(hook))
            result.warnings.append(f"{name} failed: {type(exc).__name__}: {exc}")
