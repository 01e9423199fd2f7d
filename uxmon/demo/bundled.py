"""Where the bundled scenarios are: inside the installed package, or in the source checkout."""

from __future__ import annotations

from pathlib import Path


def scenarios_path() -> Path:
    """``uxmon/demo/scenarios`` in a wheel; the repository's ``scenarios/`` in a checkout."""
    packaged = Path(__file__).parent / "scenarios"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "scenarios"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError("the bundled scenarios are missing from this uxmon installation")
