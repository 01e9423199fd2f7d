"""How many browsers this machine can hold at once: each needs about a core and 1.5 GB.

Asking for more does not make a batch faster; it makes every run slower and every timing
wrong (twelve browsers on two cores stored times five to ten times the real ones). So the
workers asked for are held to what the cores and memory allow, unless the user insists.
"""

from __future__ import annotations

import os

import psutil

GIB_PER_BROWSER = 1.5


def machine_limit() -> tuple[int, str]:
    """(browsers this machine holds, how that was worked out)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    memory = psutil.virtual_memory().total / 2**30
    limit = max(1, min(cores, int(memory // GIB_PER_BROWSER)))
    return limit, f"{cores} cores, {memory:.0f} GiB of memory"


def worker_count(requested: int, cap: bool = True) -> tuple[int, str]:
    """(workers to use, a warning when fewer than asked)."""
    limit, machine = machine_limit()
    if not cap or requested <= limit:
        return requested, ""
    return limit, (f"{requested} workers asked for, but this machine ({machine}) holds {limit} browsers "
                   f"at once; using {limit} (--no-worker-cap or cap_workers = false to insist)")
