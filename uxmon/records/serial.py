"""Turn record dataclasses into JSON-ready dicts and back, checking the schema version."""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from pathlib import Path
from typing import Any, TypeVar, Union

from .files import write_text
from .model import SCHEMA_VERSION
from .run import RunRecord
from .text import clean_tree

T = TypeVar("T")


class RecordFormatError(ValueError):
    """A JSON document that is not a RunRecord this version of uxmon can read."""


def to_dict(obj: Any) -> Any:
    """Dataclasses to dicts, recursively; other values unchanged."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_dict(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, list | tuple):
        return [to_dict(v) for v in obj]
    if isinstance(obj, dict):
        return {k: to_dict(v) for k, v in obj.items()}
    return obj


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def from_dict(cls: type[T], data: Any, where: str = "record") -> T:
    """Build ``cls`` from ``data``; unknown keys are ignored so newer minor fields load."""
    if not isinstance(data, dict):
        raise RecordFormatError(f"{where}: expected an object, got {type(data).__name__}")
    hints = _hints(cls)
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.name in data:
            kwargs[f.name] = _convert(hints[f.name], data[f.name], f"{where}.{f.name}")
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise RecordFormatError(f"{where}: missing required field '{f.name}'")
    return cls(**kwargs)


def _convert(tp: Any, value: Any, where: str) -> Any:
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        if value is None:
            return None
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        return _convert(inner[0], value, where)
    if origin is list:
        if not isinstance(value, list):
            raise RecordFormatError(f"{where}: expected a list")
        (item,) = typing.get_args(tp)
        return [_convert(item, v, f"{where}[{i}]") for i, v in enumerate(value)]
    if origin is dict:
        return dict(value)
    if origin is typing.Literal:
        return value
    if dataclasses.is_dataclass(tp):
        return from_dict(tp, value, where)  # type: ignore[arg-type]
    if tp is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if tp in (int, str, bool) and not isinstance(value, tp):
        raise RecordFormatError(f"{where}: expected {tp.__name__}, got {value!r}")
    return value


def record_to_json(record: RunRecord) -> str:
    """The record as JSON, with the derived figures added under ``summary`` for readers."""
    data = clean_tree(to_dict(record))  # the last guard: no lone surrogate reaches a UTF-8 file
    data["summary"] = record.summary()
    return json.dumps(data, indent=1, ensure_ascii=False)


def record_from_json(text: str) -> RunRecord:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RecordFormatError(f"not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise RecordFormatError("a RunRecord must be a JSON object")
    version = data.get("schema")
    if not isinstance(version, int):
        raise RecordFormatError("no schema version: is this a uxmon RunRecord?")
    if version > SCHEMA_VERSION:
        raise RecordFormatError(
            f"schema version {version} is newer than this uxmon understands "
            f"({SCHEMA_VERSION}): upgrade uxmon"
        )
    return from_dict(RunRecord, data)


def load_record(path: Path) -> RunRecord:
    try:
        return record_from_json(path.read_text(encoding="utf-8"))
    except RecordFormatError as exc:
        raise RecordFormatError(f"{path}: {exc}") from exc


def save_record(record: RunRecord, path: Path) -> None:
    """Whole or not at all (see :mod:`uxmon.records.files`)."""
    write_text(path, record_to_json(record))
