"""What a batch hands back to its front door: the records, what went wrong around them, the exit code.

Exit codes: 0 every run passed · 1 a run failed (the customer could not finish) · 2 the
configuration is wrong (a run said so: no base URL, a port Chromium refuses) · 3 nothing failed
but something could not be measured (site unreachable, browser crashed, scenario code broken, a
file did not load, no space left to keep the results) · 128 + N when signal N stopped the batch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..history.rows import Origin
from ..records import RunRecord

if TYPE_CHECKING:
    from ..authoring.scenarios import LoadError
    from ..history.summary import BatchHistory
    from .writing import FolderLock

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_NOT_MEASURED = 3


@dataclass
class BatchResult:
    batch_id: str
    folder: Path
    records: list[RunRecord]
    load_errors: list[LoadError] = field(default_factory=list)
    started_at: str = ""
    duration_s: float = 0.0
    scenarios: int = 0
    history: BatchHistory | None = None
    history_warning: str = ""
    stopped: str = ""          # why the batch ended before every run ran (a signal, its deadline)
    signal: int = 0
    not_started: list[str] = field(default_factory=list)
    storage_error: str = ""    # the results could not all be written (a full disk)
    warnings: list[str] = field(default_factory=list)
    deliveries: list[dict[str, Any]] = field(default_factory=list)  # alerts sent (or not)
    origin: Origin = field(default_factory=Origin)  # the schedule entry that asked, if any
    build: dict[str, str] = field(default_factory=dict)  # label, git_sha, git_ref, environment
    part: str = ""  # the shard this batch ran, if any ("shard 3/4: 0 of 2 runs ...")
    hold: FolderLock | None = field(default=None, repr=False, compare=False)  # writing the folder
    # Waits for the batch's worker processes, which close their browsers while it is written.
    workers_done: Callable[[], None] | None = field(default=None, repr=False, compare=False)

    @property
    def exit_code(self) -> int:
        if self.signal:
            return 128 + self.signal
        if any(r.error_kind == "config" for r in self.records):
            return EXIT_USAGE
        if any(r.outcome == "failed" for r in self.records):
            return EXIT_FAILED
        if self.part and not self.records and not self.load_errors and not self.stopped:
            return EXIT_OK  # a shard with nothing to do (fewer runs than shards) did it well
        if self.load_errors or not self.records or self.stopped or self.storage_error or any(
                r.outcome == "error" for r in self.records):
            return EXIT_NOT_MEASURED
        return EXIT_OK

    @property
    def complete(self) -> bool:
        return not self.stopped and not self.not_started
