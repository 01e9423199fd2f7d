"""The ``@scenario`` decorator and the loader that finds scenarios in files and folders."""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
import sys
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

if TYPE_CHECKING:
    from .journey import Journey

ScenarioFunc = Callable[["Journey"], Any]


@dataclass(frozen=True)
class Scenario:
    """A named customer task written as a function that drives a Journey."""

    name: str
    func: ScenarioFunc
    tags: tuple[str, ...] = ()
    viewports: tuple[str, ...] | None = None
    timeout: float | None = None
    description: str = ""
    file: str = ""
    line: int = 0

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.file else self.func.__qualname__


@dataclass(frozen=True)
class LoadError:
    """A scenario file that could not be imported, or a scenario that could not be registered."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


@dataclass
class Discovery:
    scenarios: list[Scenario] = field(default_factory=list)
    errors: list[LoadError] = field(default_factory=list)


_collecting: list[Scenario] | None = None


class ScenarioDefinitionError(TypeError):
    """A ``@scenario(...)`` call with arguments that cannot work."""


@overload
def scenario(func: ScenarioFunc, /) -> ScenarioFunc: ...


@overload
def scenario(
    name: str | None = None,
    /,
    *,
    tags: Iterable[str] = (),
    viewports: Iterable[str] | None = None,
    timeout: float | None = None,
) -> Callable[[ScenarioFunc], ScenarioFunc]: ...


def scenario(
    name: Any = None,
    /,
    *,
    tags: Iterable[str] = (),
    viewports: Iterable[str] | None = None,
    timeout: float | None = None,
) -> Any:
    """Register a function as a scenario: ``@uxmon.scenario("Buy a mug", tags=["purchase"])``.

    The function receives a :class:`uxmon.Journey`. Works bare (``@uxmon.scenario``) too.
    """
    if callable(name):
        return _register(name, None, (), None, None)
    if name is not None and not isinstance(name, str):
        raise ScenarioDefinitionError("scenario name must be a string")
    tag_tuple = _strings(tags, "tags")
    view_tuple = None if viewports is None else _strings(viewports, "viewports")
    if timeout is not None and (not isinstance(timeout, int | float) or timeout <= 0):
        raise ScenarioDefinitionError(f"timeout must be a positive number of seconds, got {timeout!r}")

    def decorate(func: ScenarioFunc) -> ScenarioFunc:
        return _register(func, name, tag_tuple, view_tuple, timeout)

    return decorate


def _strings(values: Iterable[str], what: str) -> tuple[str, ...]:
    if isinstance(values, str):
        values = [values]
    out = tuple(values)
    if not all(isinstance(v, str) and v for v in out):
        raise ScenarioDefinitionError(f"{what} must be a list of non-empty strings, got {out!r}")
    return out


def _register(
    func: ScenarioFunc,
    name: str | None,
    tags: tuple[str, ...],
    viewports: tuple[str, ...] | None,
    timeout: float | None,
) -> ScenarioFunc:
    if not callable(func):
        raise ScenarioDefinitionError("@scenario decorates a function that takes a journey")
    doc = inspect.getdoc(func) or ""
    code = getattr(func, "__code__", None)
    item = Scenario(
        name=name or func.__name__.replace("_", " "),
        func=func,
        tags=tags,
        viewports=viewports,
        timeout=timeout,
        description=doc.splitlines()[0] if doc else "",
        file=code.co_filename if code else "",
        line=code.co_firstlineno if code else 0,
    )
    func.__uxmon_scenario__ = item  # type: ignore[attr-defined]
    if _collecting is not None:
        _collecting.append(item)
    return func


def scenario_files(paths: Sequence[str | Path]) -> tuple[list[Path], list[LoadError]]:
    """Python files under ``paths`` (folders searched recursively, ``_*.py`` skipped)."""
    files: list[Path] = []
    errors: list[LoadError] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(
                p for p in sorted(path.rglob("*.py"))
                if not p.name.startswith("_") and "__pycache__" not in p.parts
            )
        elif path.is_file() and path.suffix == ".py":
            files.append(path)
        else:
            errors.append(LoadError(str(path), 0, "no such scenario file or folder"))
    return list(dict.fromkeys(files)), errors


def discover(paths: Sequence[str | Path]) -> Discovery:
    """Import every scenario file; a file that fails is an error, the others still load."""
    files, errors = scenario_files(paths)
    found = Discovery(errors=errors)
    names: dict[str, Scenario] = {}
    for file in files:
        loaded, error = load_file(file)
        if error:
            found.errors.append(error)
        for item in loaded:
            if item.name in names:
                other = names[item.name]
                found.errors.append(LoadError(
                    str(file), item.line,
                    f"scenario name '{item.name}' is already used at {other.location}",
                ))
                continue
            names[item.name] = item
            found.scenarios.append(item)
    return found


def load_file(file: Path) -> tuple[list[Scenario], LoadError | None]:
    """Import one file and return the scenarios it registered."""
    global _collecting
    resolved = file.resolve()
    digest = hashlib.sha1(str(resolved).encode()).hexdigest()[:8]
    module_name = f"uxmon_scenarios.{resolved.stem}_{digest}"
    spec = importlib.util.spec_from_file_location(module_name, resolved)
    if spec is None or spec.loader is None:
        return [], LoadError(str(file), 0, "cannot be imported as Python")
    module = importlib.util.module_from_spec(spec)
    folder = str(resolved.parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    collected: list[Scenario] = []
    previous, _collecting = _collecting, collected
    try:
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
    except BaseException as exc:  # noqa: BLE001 - any import failure becomes a LoadError
        sys.modules.pop(module_name, None)
        if isinstance(exc, KeyboardInterrupt):
            raise
        return [], _load_error(file, resolved, exc)
    finally:
        _collecting = previous
    return collected, None


def _load_error(file: Path, resolved: Path, exc: BaseException) -> LoadError:
    if isinstance(exc, SyntaxError):
        return LoadError(str(file), exc.lineno or 0, f"SyntaxError: {exc.msg}")
    line = 0
    for frame in traceback.extract_tb(exc.__traceback__):
        if Path(frame.filename).resolve() == resolved:
            line = frame.lineno or 0
    return LoadError(str(file), line, f"{type(exc).__name__}: {exc}")


def select(
    scenarios: Sequence[Scenario], *, tags: Sequence[str] = (), names: Sequence[str] = ()
) -> list[Scenario]:
    """Scenarios with one of ``tags`` (if any) whose name contains one of ``names`` (if any)."""
    out = list(scenarios)
    if tags:
        out = [s for s in out if set(s.tags) & set(tags)]
    if names:
        lowered = [n.lower() for n in names]
        out = [s for s in out if any(n in s.name.lower() for n in lowered)]
    return out
