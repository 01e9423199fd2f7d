"""The house by stage, kept true: which subpackage may import which, and which stages stay pure.

The imports are read with ``ast`` (nothing is executed); imports under ``if TYPE_CHECKING:``
are only for type hints and do not count. docs/architecture.md states the same table.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "uxmon"
ARCHITECTURE = PACKAGE.parent / "docs" / "architecture.md"

# What each subpackage may import besides itself (and the loose ``uxmon.version``). The
# order of the flow is records → config → friction → history → report, then the browser edge
# (capture, authoring) and the stages that conduct the others (run), then the front doors.
MAY_IMPORT: dict[str, set[str]] = {
    "records": set(),
    "config": set(),
    "demo": set(),
    "friction": {"records", "config"},
    "history": {"records"},
    "report": {"records", "friction", "history"},
    "capture": {"records", "config"},
    "authoring": {"records", "capture"},
    "run": {"records", "config", "friction", "history", "report", "capture", "authoring"},
    "gate": {"records", "config", "friction", "history", "report", "run", "capture", "authoring"},
    "notify": {"records", "config", "friction", "history", "report", "capture", "run"},
    "schedule": {"records", "config", "friction", "history", "report", "capture", "run", "notify"},
    "fleet": {"records", "config", "friction", "history", "report", "capture", "authoring", "run", "gate",
              "notify", "schedule"},
    "cli": {"records", "config", "friction", "history", "report", "capture", "authoring", "run", "demo",
            "gate", "notify", "schedule", "fleet"},
}
# Pure stages: no browser, database, mail or network library, directly or through what they import.
PURE = ("records", "friction", "history.rows", "history.stats", "history.trends", "history.summary",
        "report.model", "report.render", "report.svg", "report.machine", "notify.states", "notify.alert",
        "notify.slack", "notify.teams", "notify.payload", "notify.signing", "schedule.metrics",
        "gate", "gate.settings", "gate.baseline", "gate.journeys", "gate.timing", "gate.rules",
        "gate.verdict", "gate.summary", "gate.annotations", "gate.github", "gate.text",
        "notify.email.digest", "notify.email.words", "notify.email.period", "fleet.shards")
IMPURE_LIBRARIES = ("playwright", "sqlalchemy", "smtplib", "requests", "psycopg")


def modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        yield name, path


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _runtime_nodes(tree: ast.AST, *, on_load: bool = False) -> Iterator[ast.AST]:
    """Every node except those under ``if TYPE_CHECKING:``; with ``on_load``, only what runs
    when the module is imported (not the bodies of functions, which import lazily)."""
    for child in ast.iter_child_nodes(tree):
        if isinstance(child, ast.If) and _is_type_checking(child):
            for branch in child.orelse:
                yield branch
                yield from _runtime_nodes(branch, on_load=on_load)
            continue
        if on_load and isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        yield child
        yield from _runtime_nodes(child, on_load=on_load)


@cache
def imports_of(name: str, on_load: bool = False) -> frozenset[str]:
    """Absolute names of everything module ``name`` imports at run time (inside functions too,
    unless ``on_load``)."""
    path = dict(modules())[name]
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8")), on_load=on_load):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            known = dict(modules())
            found.update(f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in known)
    return frozenset(found)


def stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_every_subpackage_is_placed_and_named_in_the_architecture_doc() -> None:
    doc = ARCHITECTURE.read_text(encoding="utf-8")
    subpackages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert subpackages == set(MAY_IMPORT), "add the new subpackage to MAY_IMPORT and the doc"
    for name in subpackages:
        assert f"`{name}/`" in doc, f"docs/architecture.md does not describe {name}/"


def test_at_most_four_loose_modules() -> None:
    loose = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__", "__main__"}
    assert len(loose) <= 4, f"give these a stage: {sorted(loose)}"


def test_no_subpackage_imports_a_later_stage() -> None:
    wrong = []
    for name, _ in modules():
        mine = stage(name)
        if mine not in MAY_IMPORT:
            continue
        for target in imports_of(name):
            if not target.startswith("uxmon") or target in ("uxmon.version",):
                continue
            theirs = stage(target)
            if theirs and theirs != mine and theirs not in MAY_IMPORT[mine]:
                wrong.append(f"{name} imports {target}")
            if not theirs:
                wrong.append(f"{name} imports the package root ({target}): import the stage itself")
    assert not wrong, "\n".join(wrong)


def test_the_stage_table_has_no_cycle() -> None:
    done: list[str] = []
    left = dict(MAY_IMPORT)
    while left:
        ready = [s for s, needs in left.items() if needs <= set(done)]
        assert ready, f"a cycle among {sorted(left)}"
        done.extend(ready)
        for s in ready:
            del left[s]


def _reachable(start: str) -> set[str]:
    known = dict(modules())
    seen: set[str] = set()
    todo = [start]
    while todo:
        name = todo.pop()
        if name in seen or name not in known:
            continue
        seen.add(name)
        parts = name.split(".")
        todo.extend(".".join(parts[:i]) for i in range(2, len(parts)))  # package __init__ runs first
        todo.extend(t for t in imports_of(name, on_load=True) if t.startswith("uxmon"))
    return seen


@pytest.mark.parametrize("pure", PURE)
def test_pure_stages_import_no_browser_database_or_network_library(pure: str) -> None:
    reached = _reachable(f"uxmon.{pure}")
    bad = [f"{name} imports {target}" for name in sorted(reached)
           for target in imports_of(name, on_load=True)
           if target.split(".")[0] in IMPURE_LIBRARIES]
    assert f"uxmon.{pure}" in reached
    assert not bad, f"uxmon.{pure} reaches " + "; ".join(bad)


def test_the_walker_sees_a_planted_import() -> None:
    """The check can fail: a module that imports SQLAlchemy is reported."""
    tree = ast.parse("import os\nif TYPE_CHECKING:\n    import playwright\nfrom sqlalchemy import text\n")
    names = {n.module if isinstance(n, ast.ImportFrom) else n.names[0].name
             for n in _runtime_nodes(tree) if isinstance(n, ast.Import | ast.ImportFrom)}
    assert names == {"os", "sqlalchemy"}


def test_loading_the_pure_stages_loads_no_such_library() -> None:
    """The same, for real: import them in a fresh interpreter and look at ``sys.modules``."""
    import subprocess
    import sys

    names = ", ".join(f"uxmon.{p}" for p in PURE)
    code = (f"import sys, importlib\nfor n in {names!r}.split(', '): importlib.import_module(n)\n"
            f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(IMPURE_LIBRARIES)!r}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_modules_and_functions_stay_small() -> None:
    """One job each: no module over ~400 lines, no function over ~60 (docs/architecture.md)."""
    big = []
    for name, path in modules():
        source = path.read_text(encoding="utf-8")
        if source.count("\n") > 420:
            big.append(f"{name}: {source.count(chr(10))} lines")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > 60:
                    big.append(f"{name}.{node.name}: {length} lines")
    assert not big, big
