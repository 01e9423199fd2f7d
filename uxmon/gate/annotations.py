"""The gate's checks as GitHub workflow commands (``::error file=…,line=…,title=…::message``).

GitHub shows 10 annotations of each kind per step and drops the rest silently, so at most 9
errors, 9 warnings and 9 notices are written, worst first, and one notice says how many more
there are and where to read them.
"""

from __future__ import annotations

from .rules import Check
from .summary import Links
from .text import command_data, command_property, one_line
from .verdict import Verdict

PER_KIND = 9


def command(kind: str, message: str, **properties: str | int | None) -> str:
    """One workflow command, its message and properties escaped as the runner reads them."""
    props = ",".join(f"{k}={command_property(str(v))}" for k, v in properties.items() if v not in (None, ""))
    return f"::{kind}{' ' + props if props else ''}::{command_data(message)}"


def annotation_lines(verdict: Verdict, links: Links) -> list[str]:
    lines: list[str] = []
    left = 0
    for kind, checks in (("error", verdict.errors), ("warning", verdict.warnings)):
        lines += [_annotation(kind, c, links) for c in checks[:PER_KIND]]
        left += max(0, len(checks) - PER_KIND)
    lines.append(command("notice", verdict.headline(), title="uxmon check"))
    if left:
        lines.append(command("notice", f"{left} more errors and warnings are not shown here: see the job "
                                       "summary and the report artifact", title="uxmon check"))
    return lines


def _annotation(kind: str, check: Check, links: Links) -> str:
    path = links.path(check.file) if check.file else ""
    title = f"uxmon: {check.rule} · {check.where}"
    inside = path if path and not path.startswith("/") else None  # GitHub places only repository paths
    return command(kind, one_line(check.message, 2000), file=inside, line=check.line if inside else None,
                   title=one_line(title, 200))


def stop_commands(token: str) -> str:
    """Site text printed while the batch runs must not be read as workflow commands."""
    return f"::stop-commands::{token}"


def resume_commands(token: str) -> str:
    return f"::{token}::"

