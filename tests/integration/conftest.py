"""Integration tests: a real Chromium against a real demo shop, through the real pipeline."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from uxmon.config import Config
from uxmon.demo import DemoShop
from uxmon.records import RunRecord
from uxmon.run import pipeline
from uxmon.run.pipeline import BatchOptions, BatchResult, run_batch

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "scenarios"
HERE = Path(__file__).parent


_real_devices = pipeline.playwright_devices


@cache
def _devices() -> Mapping[str, Mapping[str, Any]]:
    return _real_devices()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _cached_devices(monkeypatch: pytest.MonkeyPatch) -> None:
    """One Playwright start for device descriptors per session, not one per batch."""
    monkeypatch.setattr(pipeline, "playwright_devices", _devices)


@pytest.fixture
def shop() -> Iterator[DemoShop]:
    with DemoShop() as running:
        yield running


def batch(
    tmp_path: Path,
    base_url: str,
    paths: Sequence[Path] = (BUNDLED,),
    *,
    names: Sequence[str] = (),
    viewports: Sequence[str] = ("desktop", "mobile"),
    **config: Any,
) -> BatchResult:
    """Run a batch into ``tmp_path/reports`` with test-friendly timeouts."""
    timeouts = config.pop("timeouts", None)
    settings = Config(base_url=base_url, output=str(tmp_path / "reports"), root=str(tmp_path),
                      workers=config.pop("workers", 2), pace=config.pop("pace", "robot"), **config)
    if timeouts is not None:
        settings = replace(settings, timeouts=timeouts)
    options = BatchOptions(paths=[str(p) for p in paths], names=names, viewports=viewports)
    return run_batch(settings, options)


def by_viewport(result: BatchResult, scenario: str) -> dict[str, RunRecord]:
    return {r.viewport.name: r for r in result.records if r.scenario == scenario}


def write_scenario(folder: Path, name: str, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(body)
    return path
