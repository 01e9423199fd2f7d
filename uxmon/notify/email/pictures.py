"""Evidence pictures made small for mail: cropped around the element, JPEG, at most 560 px wide."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, UnidentifiedImageError

WIDTH = 560
MAX_BYTES = 120_000
QUALITIES = (70, 55, 40)
ASPECT = 0.6   # height / width of a crop around an element
MARGIN = 48    # picture pixels kept around the element, at least


def email_picture(path: Path, box: tuple[float, float, float, float] | None) -> tuple[bytes, int] | None:
    """(JPEG bytes, width) of the picture around ``box``, or None when it cannot be read."""
    try:
        with Image.open(path) as opened:
            image = opened.convert("RGB")
    except (OSError, UnidentifiedImageError, ValueError):
        return None
    picture = image.crop(crop_box(image.size, box))
    if picture.width > WIDTH:
        picture = picture.resize((WIDTH, max(1, round(picture.height * WIDTH / picture.width))),
                                 Image.Resampling.LANCZOS)
    return _jpeg(picture), picture.width


Box = tuple[float, float, float, float]


def crop_box(size: tuple[int, int], box: Box | None) -> tuple[int, int, int, int]:
    """A window around the element (or the top of the picture), inside the picture."""
    width, height = size
    if box is None:
        return 0, 0, width, min(height, round(width * 0.75))
    x, y, w, h = box
    crop_w = min(width, max(w + 2 * MARGIN, min(width, 640)))
    crop_h = min(height, max(h + 2 * MARGIN, crop_w * ASPECT))
    left = _clamp(x + w / 2 - crop_w / 2, 0, width - crop_w)
    top = _clamp(y + h / 2 - crop_h / 2, 0, height - crop_h)
    return round(left), round(top), round(left + crop_w), round(top + crop_h)


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(value, high))


def _jpeg(picture: Image.Image) -> bytes:
    data = b""
    for quality in QUALITIES:
        buffer = io.BytesIO()
        picture.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
        data = buffer.getvalue()
        if len(data) <= MAX_BYTES:
            break
    return data
