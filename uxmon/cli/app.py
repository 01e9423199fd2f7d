"""The ``uxmon`` command group, the consoles it prints to, and ``main``: the exit code of a call.

Exit codes: 0 every run passed · 1 a run failed · 2 usage or configuration error ·
3 nothing failed but something could not be measured. Each command family lives in its own
module (``runs``, ``reports``, ``setup``) and registers itself on :data:`cli`.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence

import click
from rich.console import Console
from rich.markup import escape as _markup_escape

from ..capture.browser import BrowserNotFound
from ..config import ConfigError
from ..records.text import terminal_safe
from ..run.pipeline import EXIT_NOT_MEASURED, EXIT_OK, EXIT_USAGE, NothingToRun
from ..version import __version__


def _console(**kwargs: object) -> Console:
    """A terminal's own width; 140 columns for logs (CI, cron mail), not 80."""
    probe = Console(**kwargs)  # type: ignore[arg-type]
    return probe if probe.is_terminal else Console(width=140, **kwargs)  # type: ignore[arg-type]


console = _console(highlight=False)
# Errors carry paths and commands people copy: never wrap them.
err_console = Console(stderr=True, highlight=False, soft_wrap=True)



@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="uxmon")
def cli() -> None:
    """uxmon walks customer journeys in a real browser and reports where customers suffer."""



def escape(text: str) -> str:
    """Site and user text printed through rich must never be read as markup, nor as escapes."""
    return _markup_escape(terminal_safe(text))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code (tests call this; only ``run_cli`` exits)."""
    try:
        result = cli.main(args=list(argv) if argv is not None else None, prog_name="uxmon",
                          standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return EXIT_USAGE
    except (ConfigError, NothingToRun) as exc:
        err_console.print("[red]Error:[/] " + escape(str(exc)))
        return EXIT_USAGE
    except BrowserNotFound as exc:
        err_console.print(escape(str(exc)))
        return EXIT_NOT_MEASURED
    except (click.exceptions.Abort, KeyboardInterrupt):
        err_console.print("Interrupted.")
        return 130
    return result if isinstance(result, int) else EXIT_OK


def run_cli() -> None:
    code = main()
    # The interpreter's last collection walks every object a batch made (a quarter of a second
    # after a run); nothing is left to collect that the exit does not free anyway.
    gc.freeze()
    sys.exit(code)
