"""Find, load and merge uxmon's configuration: file, then ``UXMON_*`` environment, then flags."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .schema import (
    ARRAY_SECTIONS,
    BOOL,
    INT,
    LIST,
    NUM,
    SCENARIO_KEYS,
    TOP_LEVEL,
    ConfigError,
    Key,
    check_value,
    non_negative,
    positive,
    str_list,
    validate,
)

CONFIG_NAMES = ("uxmon.toml", "pyproject.toml")

SCENARIO_KEYS.update(
    {
        "viewports": Key(LIST, str_list, "viewport profiles for this scenario"),
        "timeout": Key(NUM, positive, "seconds this scenario's run may take"),
        "enabled": Key(BOOL),
        "retries": Key(INT, non_negative),
    }
)


@dataclass(frozen=True)
class Timeouts:
    """Seconds. ``run`` bounds a whole run; the others are Playwright's default waits."""

    run: float = 180.0
    action: float = 10.0
    navigation: float = 30.0
    batch: float = 0.0
    grace: float = 20.0


@dataclass(frozen=True)
class Config:
    """Everything a batch needs to know, after file, environment and flags were merged."""

    base_url: str = ""
    scenarios: tuple[str, ...] = ("scenarios",)
    viewports: tuple[str, ...] = ("desktop", "mobile")
    workers: int = 1
    cap_workers: bool = True
    retries: int = 0
    output: str = "reports"
    db: str = ""
    screenshots: bool = True
    trace: str = "on-failure"
    trace_snapshots: bool = False
    pace: str = "human"
    tags: tuple[str, ...] = ()
    timeouts: Timeouts = Timeouts()
    profiles: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    scenario_overrides: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    http_credentials: Mapping[str, str] = field(default_factory=dict)
    sections: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    arrays: Mapping[str, tuple[Mapping[str, Any], ...]] = field(default_factory=dict)
    source: str = ""
    root: str = "."

    def path(self, value: str) -> Path:
        """A path from the config, relative to the folder the config file is in."""
        p = Path(value).expanduser()
        return p if p.is_absolute() else Path(self.root) / p

    def section(self, name: str) -> Mapping[str, Any]:
        return self.sections.get(name, {})

    def entries(self, name: str) -> tuple[Mapping[str, Any], ...]:
        """The tables of an array section (``[[schedule]]``), in file order."""
        return self.arrays.get(name, ())

    def for_scenario(self, name: str) -> Mapping[str, Any]:
        return self.scenario_overrides.get(name, {})


def find_config_file(start: Path | None = None) -> Path | None:
    """Walk up from ``start`` to the repository root looking for uxmon.toml or [tool.uxmon]."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file() and (name == "uxmon.toml" or _has_tool_table(candidate)):
                return candidate
        if (folder / ".git").exists():
            return None
    return None


def _has_tool_table(pyproject: Path) -> bool:
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return False
    return isinstance(data.get("tool"), dict) and "uxmon" in data["tool"]


def read_config_file(path: Path, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The uxmon table of a file, validated; ``${VAR}`` placeholders are filled from the env."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the config file: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at position "
                          f"{exc.start}): save the file as UTF-8") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("uxmon", {})
    data = _expand_env(data, str(path), os.environ if environ is None else environ)
    validate(data, str(path))
    return data


_PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _expand_env(value: Any, source: str, environ: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        def sub(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in environ:
                raise ConfigError(f"{source}: ${{{name}}} is used but the variable is not set")
            return environ[name]

        return _PLACEHOLDER.sub(sub, value)
    if isinstance(value, dict):
        return {k: _expand_env(v, source, environ) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand_env(v, source, environ) for v in value]
    return value


ENV_KEYS: dict[str, str] = {
    "UXMON_BASE_URL": "base_url",
    "UXMON_SCENARIOS": "scenarios",
    "UXMON_VIEWPORTS": "viewports",
    "UXMON_WORKERS": "workers",
    "UXMON_RETRIES": "retries",
    "UXMON_OUTPUT": "output",
    "UXMON_DB": "db",
    "UXMON_TAGS": "tags",
    "UXMON_TIMEOUT": "timeouts.run",
    "UXMON_PACE": "pace",
}


def env_overrides(environ: Mapping[str, str]) -> dict[str, Any]:
    """Values from ``UXMON_*`` variables, converted and checked like file values."""
    found: dict[str, Any] = {}
    for var, key in ENV_KEYS.items():
        raw = environ.get(var, "").strip()
        if not raw:
            continue
        found[key] = _parse_env(var, key, raw)
    return found


def _parse_env(var: str, key: str, raw: str) -> Any:
    if key in ("scenarios", "viewports", "tags"):
        return [part.strip() for part in raw.split(",") if part.strip()]
    if key in ("workers", "retries"):
        if not raw.isdigit():
            raise ConfigError(f"environment {var}: expected a whole number, got {raw!r}")
        return int(raw)
    if key == "timeouts.run":
        try:
            return float(raw)
        except ValueError:
            raise ConfigError(f"environment {var}: expected seconds, got {raw!r}") from None
    return raw


def load_config(
    path: Path | None = None,
    *,
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    search_from: Path | None = None,
) -> Config:
    """The effective config: file (given or found), then environment, then ``overrides`` (flags).

    ``overrides`` uses the file's key names, with ``timeouts.run`` style keys for sections.
    """
    environ = os.environ if environ is None else environ
    if path is None and environ.get("UXMON_CONFIG"):
        path = Path(environ["UXMON_CONFIG"])
    if path is not None and not path.is_file():
        raise ConfigError(f"{path}: config file not found")
    path = path or find_config_file(search_from)
    raw = read_config_file(path, environ) if path else {}
    root = str(path.parent) if path else str((search_from or Path.cwd()).resolve())
    source = str(path) if path else ""
    flat = {**env_overrides(environ), **{k: v for k, v in (overrides or {}).items() if v is not None}}
    for key, value in flat.items():
        _check_override(key, value)
    return _build(raw, flat, source, root)


def _check_override(key: str, value: Any) -> None:
    section, _, name = key.partition(".")
    if name:
        from .schema import SECTIONS

        check_value(SECTIONS[section][name], value, f"option {key}")
    else:
        check_value(TOP_LEVEL[key], value, f"option {key}")


def _build(raw: dict[str, Any], flat: dict[str, Any], source: str, root: str) -> Config:
    merged = {k: v for k, v in raw.items() if k in TOP_LEVEL}
    timeouts = dict(raw.get("timeouts", {}))
    for key, value in flat.items():
        section, _, name = key.partition(".")
        if section == "timeouts" and name:
            timeouts[name] = value
        else:
            merged[key] = value
    if isinstance(merged.get("scenarios"), str):
        merged["scenarios"] = [merged["scenarios"]]
    for key in ("scenarios", "viewports", "tags"):
        if key in merged:
            merged[key] = tuple(merged[key])
    merged["base_url"] = str(merged.get("base_url", ""))
    sections = {k: v for k, v in raw.items() if k not in TOP_LEVEL and k not in ARRAY_SECTIONS
                and k not in ("timeouts", "profiles", "scenario", "http_credentials")}
    arrays = {k: tuple(v) for k, v in raw.items() if k in ARRAY_SECTIONS}
    return Config(
        **merged,
        timeouts=Timeouts(**{k: float(v) for k, v in timeouts.items()}),
        profiles=raw.get("profiles", {}),
        scenario_overrides=raw.get("scenario", {}),
        http_credentials=raw.get("http_credentials", {}),
        sections=sections,
        arrays=arrays,
        source=source,
        root=root,
    )


def with_overrides(config: Config, **changes: Any) -> Config:
    """A copy of ``config`` with some fields changed (used by the demo and tests)."""
    return replace(config, **changes)

