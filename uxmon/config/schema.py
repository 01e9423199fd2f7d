"""The keys a uxmon config may hold, their types and checks, and the validator that applies them."""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse


class ConfigError(ValueError):
    """A config problem; the message names the file, the key and what was expected."""


Check = Callable[[Any], str | None]


@dataclass(frozen=True)
class Key:
    """One config key: its expected type(s), an optional extra check, or a nested table."""

    types: tuple[type, ...]
    check: Check | None = None
    describe: str = ""
    table: Mapping[str, Key] | None = None
    values: Key | None = None  # for a table of free names (step budgets): each value's key


def positive(value: Any) -> str | None:
    if not math.isfinite(value):
        return "must be a finite number"
    return None if value > 0 else "must be greater than 0"


def non_negative(value: Any) -> str | None:
    if not math.isfinite(value):
        return "must be a finite number"
    return None if value >= 0 else "must be 0 or more"


def one_of(*choices: str) -> Check:
    def check(value: Any) -> str | None:
        return None if value in choices else "must be one of " + ", ".join(choices)

    return check


def http_url(value: Any) -> str | None:
    if value == "":
        return None
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        return "must be an http:// or https:// URL with a host"
    return None


DATABASE_SCHEMES = re.compile(r"^(sqlite|postgresql|postgres)(\+[a-z0-9_]+)?://", re.IGNORECASE)


def database_url(value: Any) -> str | None:
    """SQLite or PostgreSQL, as SQLAlchemy spells them; checked before any run starts."""
    if value == "":
        return None
    if not DATABASE_SCHEMES.match(value):
        return ("must be a database URL such as sqlite:///reports/history.sqlite or "
                "postgresql+psycopg://user@host/uxmon")
    if value.lower().startswith("sqlite") and not value.lower().split("://", 1)[1].startswith("/"):
        return "an SQLite URL has three slashes before a path: sqlite:///reports/history.sqlite"
    return None


def regex_list(value: Any) -> str | None:
    problem = str_list(value)
    if problem:
        return problem
    for pattern in value:
        try:
            re.compile(pattern)
        except re.error as exc:
            return f"{pattern!r} is not a valid regular expression ({exc})"
    return None


def str_list(value: Any) -> str | None:
    if not all(isinstance(v, str) and v for v in value):
        return "must be a list of non-empty strings"
    return None


_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)")
_UNIT_S = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def parse_duration(value: str | int | float) -> float:
    """Seconds from ``90``, ``"90s"``, ``"10m"``, ``"1h30m"`` or ``"2d"``; ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a duration")
    if isinstance(value, int | float):
        return float(value)
    text = value.strip().lower().replace(" ", "")
    parts = _DURATION.findall(text)
    if not text or "".join(n + u for n, u in parts) != text:
        raise ValueError(f"{value!r} is not a duration like '30s', '10m', '1h' or '2d'")
    return sum(float(n) * _UNIT_S[u] for n, u in parts)


def duration(value: Any) -> str | None:
    try:
        seconds = parse_duration(value)
    except ValueError as exc:
        return str(exc)
    return None if seconds >= 0 else "must be 0 or more"


def positive_duration(value: Any) -> str | None:
    problem = duration(value)
    return problem or (None if parse_duration(value) > 0 else "must be longer than 0 s")


def severity(value: Any) -> str | None:
    return one_of("info", "low", "medium", "high", "critical")(value)


STR = (str,)
INT = (int,)
NUM = (int, float)
BOOL = (bool,)
LIST = (list,)
TABLE = (dict,)
DURATION = (str, int, float)

TOP_LEVEL: dict[str, Key] = {
    "base_url": Key(STR, http_url, "the site to test, e.g. https://shop.example.com"),
    "scenarios": Key(LIST + STR, None, "folders or files with scenarios"),
    "viewports": Key(LIST, str_list, "viewport profile names"),
    "workers": Key(INT, positive, "parallel browsers"),
    "cap_workers": Key(BOOL, None, "hold workers to what this machine's cores and memory allow"),
    "retries": Key(INT, non_negative, "retries for runs that errored"),
    "output": Key(STR, None, "output folder"),
    "db": Key(STR, database_url,
              "history database URL (default: sqlite file history.sqlite in the output folder)"),
    "screenshots": Key(BOOL),
    "trace": Key(STR, one_of("on-failure", "always", "off")),
    "trace_snapshots": Key(BOOL, None, "DOM snapshots in traces (slower runs)"),
    "pace": Key(STR, one_of("human", "robot"), "customer pace: a look at new pages, time for answers"),
    "tags": Key(LIST, str_list, "only run scenarios with one of these tags"),
}

TIMEOUTS: dict[str, Key] = {
    "run": Key(NUM, positive, "seconds a whole run may take"),
    "action": Key(NUM, positive, "seconds one Playwright action may wait"),
    "navigation": Key(NUM, positive, "seconds a page may take to load"),
    "batch": Key(NUM, non_negative, "seconds a whole batch may take (0: worked out from the runs)"),
    "grace": Key(NUM, non_negative, "seconds runs in flight may finish after SIGTERM or Ctrl-C"),
}

PROFILE: dict[str, Key] = {
    "extends": Key(STR, None, "a profile to start from"),
    "device": Key(STR, None, "a Playwright device name, e.g. 'iPhone 13'"),
    "width": Key(INT, positive),
    "height": Key(INT, positive),
    "scale": Key(NUM, positive),
    "mobile": Key(BOOL),
    "touch": Key(BOOL),
    "user_agent": Key(STR),
    "latency_ms": Key(NUM, non_negative),
    "download_kbps": Key(NUM, non_negative),
    "upload_kbps": Key(NUM, non_negative),
    "cpu_slowdown": Key(NUM, positive),
}

DEMO: dict[str, Key] = {
    "friction": Key(LIST, str_list, "demo shop friction switches"),
    "port": Key(INT, non_negative),
}

HTTP_CREDENTIALS: dict[str, Key] = {
    "username": Key(STR, None, "HTTP authentication user name for the site"),
    "password": Key(STR, None, "its password, e.g. \"${SHOP_HTTP_PASSWORD}\" (masked everywhere)"),
}

SECTIONS: dict[str, dict[str, Key]] = {"timeouts": TIMEOUTS, "demo": DEMO,
                                       "http_credentials": HTTP_CREDENTIALS}
NAMED_SECTIONS: dict[str, dict[str, Key]] = {"profiles": PROFILE}

# Checks that look at a whole array of tables at once (required keys, duplicate names, keys
# that only go together): called with the entries and a function naming entry ``i`` (0-based).
EntriesCheck = Callable[[Sequence[Mapping[str, Any]], Callable[[int], str]], None]


@dataclass(frozen=True)
class ArraySection:
    """An array of tables (``[[schedule]]``): the keys of one entry and the checks across them."""

    keys: Mapping[str, Key]
    check: EntriesCheck | None = None


ARRAY_SECTIONS: dict[str, ArraySection] = {}


def register_section(name: str, keys: dict[str, Key], *, named: bool = False, array: bool = False,
                     check: EntriesCheck | None = None) -> None:
    """Let a feature module add its own config section (friction, history, schedule, alerts...).

    ``named``: a table of named tables (``[profiles.x]``); ``array``: an array of tables
    (``[[schedule]]``), whose ``check`` sees all entries once each entry's keys are valid.
    """
    if array:
        ARRAY_SECTIONS[name] = ArraySection(keys, check)
    else:
        (NAMED_SECTIONS if named else SECTIONS)[name] = keys


def entry_where(source: str, section: str, index: int, entries: Sequence[Mapping[str, Any]] = ()) -> str:
    """How an error names entry ``index`` of an array section: ``uxmon.toml: [[schedule]] #2``,
    with its name when it has one (``#2 'nightly'``)."""
    name = entries[index].get("name") if index < len(entries) else None
    label = f" {name!r}" if isinstance(name, str) and name else ""
    return f"{source}: [[{section}]] #{index + 1}{label}"


def _closest(name: str, choices: list[str]) -> str:
    match = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def _type_name(types: tuple[type, ...]) -> str:
    if set(types) == {int, float}:
        return "a number"
    names = {str: "a string", int: "a whole number", float: "a number", bool: "true or false",
             list: "a list", dict: "a table"}
    return " or ".join(dict.fromkeys(names.get(t, t.__name__) for t in types))


def check_value(key: Key, value: Any, where: str) -> None:
    """Raise ConfigError when ``value`` does not fit ``key``; ``where`` names file and key."""
    ok_type = isinstance(value, key.types) and not (
        isinstance(value, bool) and bool not in key.types
    )
    if not ok_type:
        raise ConfigError(f"{where}: expected {_type_name(key.types)}, got {value!r}")
    if key.check is not None:
        problem = key.check(value)
        if problem:
            raise ConfigError(f"{where}: {problem} (got {value!r})")
    if key.table is not None:
        check_table(value, key.table, where)
    if key.values is not None:
        for name, item in value.items():
            check_value(key.values, item, f"{where} '{name}'")


def check_table(table: Mapping[str, Any], keys: Mapping[str, Key], where: str) -> None:
    for name, value in table.items():
        if name not in keys:
            hint = _closest(name, list(keys))
            raise ConfigError(f"{where}: unknown key '{name}'{hint}")
        check_value(keys[name], value, f"{where}: '{name}'")


def validate(raw: Mapping[str, Any], source: str) -> None:
    """Check every key of a loaded TOML table against the schema; raise on the first problem."""
    known = list(TOP_LEVEL) + list(SECTIONS) + list(NAMED_SECTIONS) + list(ARRAY_SECTIONS) + ["scenario"]
    for name, value in raw.items():
        if name in ARRAY_SECTIONS:
            _check_array(name, value, source)
        elif name in TOP_LEVEL:
            check_value(TOP_LEVEL[name], value, f"{source}: '{name}'")
        elif name in SECTIONS:
            _need_table(value, f"{source}: [{name}]")
            check_table(value, SECTIONS[name], f"{source}: [{name}]")
        elif name in NAMED_SECTIONS:
            _need_table(value, f"{source}: [{name}]")
            for entry, body in value.items():
                _need_table(body, f"{source}: [{name}.{entry}]")
                check_table(body, NAMED_SECTIONS[name], f"{source}: [{name}.{entry}]")
        elif name == "scenario":
            _need_table(value, f"{source}: [scenario]")
            for entry, body in value.items():
                _need_table(body, f"{source}: [scenario.\"{entry}\"]")
                _check_scenario_table(body, f"{source}: [scenario.\"{entry}\"]")
        else:
            raise ConfigError(f"{source}: unknown key '{name}'{_closest(name, known)}")


def _check_array(name: str, value: Any, source: str) -> None:
    section = ARRAY_SECTIONS[name]
    if isinstance(value, dict):
        raise ConfigError(f"{source}: [{name}]: write each entry as [[{name}]] (an array of tables)")
    if not isinstance(value, list):
        raise ConfigError(f"{source}: '{name}': expected [[{name}]] tables, got {value!r}")
    for index, body in enumerate(value):
        where = entry_where(source, name, index, value)
        _need_table(body, where)
        check_table(body, section.keys, where)
    if section.check is not None:
        section.check(value, lambda index: entry_where(source, name, index, value))


SCENARIO_KEYS: dict[str, Key] = {}
SCENARIO_SECTIONS: dict[str, dict[str, Key]] = {}


def _check_scenario_table(body: Mapping[str, Any], where: str) -> None:
    for name, value in body.items():
        if name in SCENARIO_SECTIONS:
            _need_table(value, f"{where} '{name}'")
            check_table(value, SCENARIO_SECTIONS[name], f"{where} '{name}'")
        elif name in SCENARIO_KEYS:
            check_value(SCENARIO_KEYS[name], value, f"{where}: '{name}'")
        else:
            choices = list(SCENARIO_KEYS) + list(SCENARIO_SECTIONS)
            raise ConfigError(f"{where}: unknown key '{name}'{_closest(name, choices)}")


def _need_table(value: Any, where: str) -> None:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a table, got {value!r}")
