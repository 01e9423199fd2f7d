"""``python -m uxmon``: the same as the ``uxmon`` command."""

from .cli import run_cli

if __name__ == "__main__":
    run_cli()
