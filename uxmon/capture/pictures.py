"""Evidence pictures: the screen at a finding's moment, with the element it is about outlined.

The frames are the run's screencast (in memory until the run ends); the outline is drawn
with Pillow, so the picture works everywhere, emails included.
"""

from __future__ import annotations

import io
from bisect import bisect_left, bisect_right
from pathlib import Path

from PIL import Image, ImageDraw

from ..records import Finding, Rect, RunRecord
from ..records.files import write_bytes
from .frames import FrameLog

# Findings about a press show the screen just before it; findings about something that
# appeared show the first frame after it did; the rest show their step's picture.
BEFORE = {"dead-click", "slow-answer", "moved-target", "covered-click", "small-target", "small-text",
          "forced-account"}
AFTER = {"late-blocker", "error-banner", "error-click", "interruption", "broken-image", "js-error"}
OUTLINE = (229, 72, 77)
# A message is given a moment to render; an overlay may be dismissed within that moment.
SETTLE_MS = {"interruption": 0.0}
DEFAULT_SETTLE_MS = 150.0


def draw_evidence(run: RunRecord, frames: FrameLog, folder: Path, start_epoch_ms: float) -> None:
    """Write a picture for each finding that has a moment or a step, and name it in its evidence."""
    times = frames.times()
    steps = {s.index: s for s in run.steps}
    for number, finding in enumerate(run.findings, start=1):
        index = _frame_for(finding, times, start_epoch_ms)
        step = steps.get(finding.step) if finding.step is not None else None
        if index is None:
            if step is not None and step.screenshot:
                finding.evidence.screenshot = step.screenshot
            continue
        name = f"finding-{number:02d}.jpg"
        try:
            box = _write(frames, index, finding.evidence.rect, run.viewport.width, folder / name)
        except OSError:
            continue
        finding.evidence.screenshot = name
        finding.evidence.picture_box = box
    for finding in run.findings:
        if not finding.evidence.screenshot and finding.step in steps:
            finding.evidence.screenshot = steps[finding.step].screenshot


def _frame_for(finding: Finding, times: list[float], start: float) -> int | None:
    at = finding.evidence.at_ms
    if not times or at is None or finding.rule not in BEFORE | AFTER:
        return None
    moment = start + at
    if finding.rule in BEFORE:
        i = bisect_right(times, moment) - 1
        return i if i >= 0 else 0
    i = bisect_left(times, moment + SETTLE_MS.get(finding.rule, DEFAULT_SETTLE_MS))
    return i if i < len(times) else len(times) - 1


def _write(frames: FrameLog, index: int, rect: Rect | None, css_width: int, path: Path) -> Rect | None:
    """Save the frame with the element outlined; return where the element is in the picture."""
    frame = frames.frames[index]
    image = Image.open(io.BytesIO(_bytes(frames, index))).convert("RGB")
    placed = None
    if rect is not None and css_width:
        scale = image.width / css_width
        left = (rect.x - frame.scroll_x) * scale
        top = (rect.y - frame.scroll_y) * scale
        box = (left - 4, top - 4, left + rect.width * scale + 4, top + rect.height * scale + 4)
        if box[2] > 0 and box[3] > 0 and box[0] < image.width and box[1] < image.height:
            ImageDraw.Draw(image).rectangle(box, outline=OUTLINE, width=max(3, round(2 * scale)))
            placed = Rect(round(left, 1), round(top, 1), round(rect.width * scale, 1),
                          round(rect.height * scale, 1))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    write_bytes(path, out.getvalue())
    return placed


def _bytes(frames: FrameLog, index: int) -> bytes:
    import base64

    return base64.b64decode(frames.frames[index].data)
