"""Which picture a finding shows in the report, or the words that say why there is none.

An empty frame or another page's picture under a finding misleads a reader more than no
picture at all, so a finding without its own picture says so.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass

from ..history.rows import FindingRow, StepRow

GONE = "No picture: the page had gone before it could be taken."
NOT_KEPT = "No picture: this run kept no pictures."
LOST = "No picture: its file is no longer in the batch folder."
STEPS = "The step's picture above shows it."


@dataclass(frozen=True)
class Picture:
    src: str = ""        # a file in the run's folder, "" when none is shown
    note: str = ""       # what the reader is told instead of, or about, the picture
    outlined: bool = False  # the element the finding is about is outlined in it


def picture_of(finding: FindingRow, step: StepRow | None, kept: bool, absent: Set[str]) -> Picture:
    """``kept``: whether the run kept pictures at all; ``absent``: its files not on disk."""
    name = finding.screenshot
    if not name:
        return Picture(note=GONE if kept else NOT_KEPT)
    if name in absent:
        return Picture(note=LOST)
    if step is not None and name == step.screenshot:
        return Picture(note=STEPS)
    outlined = finding.box is not None
    return Picture(name, "Outlined in red: what it is about." if outlined else "", outlined)
