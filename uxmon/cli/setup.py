"""``uxmon doctor`` and ``uxmon install-browser``: what this machine has, and getting a browser."""

from __future__ import annotations

import click

from ..config import ConfigError, load_config
from ..run.pipeline import EXIT_NOT_MEASURED, EXIT_OK
from .app import cli, console, err_console, escape


@cli.command()
def doctor() -> int:
    """Check Python, Playwright, the browser, the config and the output folder."""
    from .doctor import run_checks

    try:
        output = load_config().path(load_config().output)
    except ConfigError as exc:
        err_console.print(f"[red]Configuration error:[/] {exc}")
        output = None
    checks = run_checks(output)
    for check in checks:
        mark = "[green]✓[/]" if check.ok else "[red]✗[/]"
        console.print(f"{mark} {check.name:<11} {escape(check.detail)}")
        if check.fix:
            console.print("  " + escape(check.fix).replace("\n", "\n  "))
    return EXIT_OK if all(c.ok for c in checks) else EXIT_NOT_MEASURED


@cli.command(name="install-browser")
@click.option("--if-missing", is_flag=True, help="Do nothing when a usable browser is found.")
def install_browser_cmd(if_missing: bool) -> int:
    """Install Chromium: Playwright's download, or the system package on Debian/Ubuntu."""
    from ..capture.browser import install_browser
    from .doctor import run_checks

    if if_missing and all(c.ok for c in run_checks() if c.name == "browser"):
        console.print("A usable browser is already installed.")
        return EXIT_OK
    result = install_browser(log=lambda line: console.print(line, markup=False))
    (console if result.ok else err_console).print(result.message, markup=False)
    return EXIT_OK if result.ok else EXIT_NOT_MEASURED

