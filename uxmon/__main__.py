"""``python -m uxmon``: the same as the ``uxmon`` command."""

from .cli import run_cli

run_cli()
