"""The ``uxmon`` command (and ``python -m uxmon``): start spare workers, then the command line.

A command that runs a batch gets its worker processes started first, so they import, start
Playwright and launch their browsers while this process imports the command line and plans
the runs (``uxmon.run.spare``); the command line is imported only after that.
"""

from __future__ import annotations

import sys


def main() -> None:
    from .run import spare

    spare.start(spare.wanted(sys.argv[1:]))
    from .cli import run_cli

    run_cli()


if __name__ == "__main__":
    main()
