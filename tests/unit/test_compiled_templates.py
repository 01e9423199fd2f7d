"""Compiled templates kept between processes, and a cache that can never fail a report."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import DictLoader, Environment

from uxmon.report.compiled import QuietCache, template_cache

TEMPLATES = {"page.html": "<h1>{{ title }}</h1>"}


def env(cache: QuietCache | None) -> Environment:
    return Environment(loader=DictLoader(TEMPLATES), autoescape=True, bytecode_cache=cache)


def test_a_second_process_loads_the_compiled_template_instead_of_compiling(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert env(template_cache("t")).get_template("page.html").render(title="<Mug>") == "<h1>&lt;Mug&gt;</h1>"
    assert len(list((tmp_path / "uxmon" / "templates-t").iterdir())) == 1

    def no_compiling(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled again")

    monkeypatch.setattr(Environment, "compile", no_compiling)
    assert env(template_cache("t")).get_template("page.html").render(title="Mug") == "<h1>Mug</h1>"


def test_a_corrupt_cache_file_is_compiled_again(tmp_path: Path) -> None:
    env(QuietCache(str(tmp_path))).get_template("page.html")
    for cached in tmp_path.iterdir():  # the right header, then code cut short (a full disk)
        cached.write_bytes(cached.read_bytes()[:60])
    assert env(QuietCache(str(tmp_path))).get_template("page.html").render(title="Mug") == "<h1>Mug</h1>"


def test_a_cache_that_cannot_be_written_only_means_compiling(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    gone = QuietCache(str(tmp_path / "missing"))  # as a full disk or a read-only home would
    assert env(gone).get_template("page.html").render(title="Mug") == "<h1>Mug</h1>"
    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "file"))
    assert template_cache("t") is None
