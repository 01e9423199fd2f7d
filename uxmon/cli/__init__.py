"""The front doors: one module per command family, the console output, and ``uxmon doctor``.

Commands parse, call the one pipeline (or the store), print and return an exit code; only
:func:`run_cli` exits.
"""

from ..fleet import settings as _fleet  # noqa: F401 - registers [fleet]
from ..notify import evaluate as _alerts  # noqa: F401 - registers [[alerts]] and the after-batch alerts
from ..schedule import settings as _schedule  # noqa: F401 - registers [[schedule]] and [scheduler]
from . import check, digest, fleet, reports, runs, schedule, setup, shards  # noqa: F401 - importing registers the commands
from .app import cli, main, run_cli

__all__ = ["cli", "main", "run_cli"]
