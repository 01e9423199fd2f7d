"""CPU time of this benchmark's processes, by kind: Python, Playwright's driver, and each kind
of Chromium process (browser, GPU, renderers, utilities).

Wall time on a shared 2-core machine moves by ±5% between sittings; CPU time by process says
*who* pays for a recording part (the screencast's cost is in Chromium's GPU process, not in
Python). Linux only (reads /proc). A renderer's CPU is still counted after it exits with its
context: the zygote that reaps it adds it to its own children's time.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def kind(cmdline: list[str]) -> str | None:
    """The kind of one of this benchmark's processes, or None for someone else's."""
    if not cmdline:
        return None
    types = [arg.split("=", 1)[1] for arg in cmdline if arg.startswith("--type=")]
    if types:
        return {"gpu-process": "gpu", "zygote": "renderer", "renderer": "renderer"}.get(types[0], types[0])
    program = os.path.basename(cmdline[0])
    if "chrom" in program:
        return "browser"
    if program == "node" or any(arg.endswith("cli.js") for arg in cmdline[:2]):
        return "driver"
    return None


def sample(pid: int | None = None) -> dict[str, float]:
    """CPU seconds so far of this process (``python``) and of every Chromium and driver process."""
    me = pid or os.getpid()
    totals: dict[str, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                # Chromium rewrites its processes' titles: one string, arguments split by spaces
                cmdline = f.read().decode(errors="replace").replace("\0", " ").split()
        except OSError:
            continue
        name = "python" if int(entry) == me else kind(cmdline)
        if name is None:
            continue
        # utime, stime, and the reaped children's cutime, cstime (fields 14-17 of stat)
        seconds = sum(int(x) for x in fields[11:15]) / _TICK
        totals[name] = totals.get(name, 0.0) + seconds
    return totals


def spent(before: Mapping[str, float], after: Mapping[str, float]) -> dict[str, float]:
    """CPU milliseconds between two samples, by kind."""
    return {k: (after.get(k, 0.0) - before.get(k, 0.0)) * 1000 for k in after}
