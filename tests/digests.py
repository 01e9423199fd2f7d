"""A history with three batches of recorded demo runs, evidence pictures on disk, for email tests.

Before the week: the clean shop and a buried support contact. In the week: the payment
fails late on desktop (twice), the phone pays slowly, then the phone page scrolls sideways;
support got fixed. The period ends 2026-11-30 08:00 UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PIL import Image, ImageDraw

from uxmon.friction import analyse_batch, score_run
from uxmon.history import BatchRow, HistoryStore
from uxmon.records import Rect, RunRecord
from uxmon.records.serial import load_record

RUNS = Path(__file__).parent / "fixtures" / "runs"
PERIOD_END = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
BATCHES = {
    "b1": ("2026-11-20T08:00:00+00:00", ["clean--buy-a-mug--desktop", "clean--buy-a-mug--mobile",
                                         "buried-contact--reach-a-human--desktop",
                                         "buried-contact--reach-a-human--mobile"]),
    "b2": ("2026-11-25T08:00:00+00:00", ["late-stock--buy-a-mug--desktop", "slow--buy-a-mug--mobile",
                                         "clean--reach-a-human--desktop", "clean--reach-a-human--mobile"]),
    "b3": ("2026-11-27T08:00:00+00:00", ["late-stock--buy-a-mug--desktop",
                                         "mobile-overflow--buy-a-mug--mobile",
                                         "clean--reach-a-human--desktop", "clean--reach-a-human--mobile"]),
}


# Run times as a quiet machine at robot pace measured them: the fixtures were recorded at the
# customer pace on a busy machine, and the digest's "slower" story must not depend on that.
DURATIONS = {
    "clean--buy-a-mug--desktop": 3405.1, "clean--buy-a-mug--mobile": 3016.9,
    "slow--buy-a-mug--mobile": 5012.5, "mobile-overflow--buy-a-mug--mobile": 3897.9,
    "late-stock--buy-a-mug--desktop": 8275.7, "clean--reach-a-human--desktop": 2728.7,
    "clean--reach-a-human--mobile": 2640.1, "buried-contact--reach-a-human--desktop": 4228.0,
    "buried-contact--reach-a-human--mobile": 4114.9,
}


def recorded(name: str, started_at: str) -> RunRecord:
    run = load_record(RUNS / f"{name}.json")
    score_run(run)
    run.started_at = started_at
    run.duration_ms = DURATIONS.get(name, run.duration_ms)
    return run


def draw_picture(path: Path, size: tuple[int, int], box: Rect | None) -> None:
    """A page-like picture with the element outlined where ``box`` says."""
    image = Image.new("RGB", size, (250, 250, 248))
    draw = ImageDraw.Draw(image)
    for y in range(20, size[1], 36):
        draw.rectangle((16, y, size[0] - 16, y + 14), fill=(214, 219, 226))
    if box is not None:
        draw.rectangle((box.x, box.y, box.x + box.width, box.y + box.height), fill=(255, 236, 236),
                       outline=(229, 72, 77), width=3)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", quality=85)


def with_pictures(folder: Path, runs: list[RunRecord]) -> None:
    for run in runs:
        width = 412 if run.viewport.mobile else 683
        for number, finding in enumerate(run.findings, start=1):
            box = Rect(40, 300, 320, 60) if finding.evidence.rect is not None else None
            name = f"finding-{number:02d}.jpg"
            draw_picture(folder / "runs" / run.run_id / name, (width, 900), box)
            finding.evidence.screenshot = name
            finding.evidence.picture_box = box


def save(store: HistoryStore, root: Path, batch_id: str, started_at: str, names: list[str],
         mutate: object = None) -> list[RunRecord]:
    runs = [recorded(n, started_at) for n in names]
    if callable(mutate):
        for run in runs:
            mutate(run)
    analyse_batch(runs, {})
    folder = root / "reports" / batch_id
    with_pictures(folder, runs)
    store.save_batch(BatchRow.of(batch_id, started_at, "http://shop", str(folder), runs), runs)
    return runs


def history(root: Path, batches: dict[str, tuple[str, list[str]]] | None = None) -> Path:
    """The store file, ``root/reports/history.sqlite``, filled with ``batches``."""
    (root / "reports").mkdir(parents=True, exist_ok=True)
    db = root / "reports" / "history.sqlite"
    with HistoryStore(f"sqlite:///{db}") as store:
        for batch_id, (started_at, names) in (batches or BATCHES).items():
            save(store, root, batch_id, started_at, names)
    return db


def config_file(root: Path, email: str = "") -> Path:
    path = root / "uxmon.toml"
    path.write_text(f'output = "reports"\n\n[email]\nfrom = "uxmon <uxmon@example.com>"\n'
                    f'to = ["cx-team@example.com"]\n{email}', encoding="utf-8")
    return path
