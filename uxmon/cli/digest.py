"""``uxmon digest``: the emailed friction digest of a period, sent or written to an .eml file."""

from __future__ import annotations

from pathlib import Path

import click

from ..config import load_config
from ..notify.email.period import PeriodError, parse_duration, parse_time
from ..notify.email.send import Outcome, Request, send_digest
from ..notify.email.settings import split_addresses
from .app import cli, console, err_console, escape


def _duration(_ctx: click.Context, _param: click.Parameter, value: str) -> object:
    try:
        return parse_duration(value)
    except PeriodError as exc:
        raise click.BadParameter(str(exc)) from None


def _time(_ctx: click.Context, _param: click.Parameter, value: str | None) -> object:
    try:
        return parse_time(value) if value else None
    except PeriodError as exc:
        raise click.BadParameter(str(exc)) from None


@cli.command()
@click.option("-c", "--config", "config_file", type=click.Path(path_type=Path),
              help="uxmon.toml (or pyproject.toml) to use instead of the one found.")
@click.option("-o", "--output", help="Output folder whose history.sqlite to use (default reports/).")
@click.option("--db", help="History database URL (default: the config's db or the output folder's file).")
@click.option("--since", default="7d", show_default=True, callback=_duration,
              help="How far back the digest looks: 7d, 24h, 2w…")
@click.option("--to", "to", multiple=True, metavar="ADDR",
              help="Send to these addresses (repeatable, or comma-separated) instead of [email] to.")
@click.option("--write", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the message to this .eml file instead of sending it (a preview).")
@click.option("--only-if-changed", is_flag=True,
              help="Send nothing when nothing is new or fixed and every run passed.")
@click.option("--tag", default="", help="Only journeys whose scenario has this tag.")
@click.option("--entry", default="", help="The [[schedule]] entry sending it: each period is sent once.")
@click.option("--period-end", callback=_time, metavar="ISO8601",
              help="The end of the period (default: now); the scheduler passes its firing time.")
@click.option("--insecure", is_flag=True, help="Do not verify the SMTP server's certificate.")
def digest(config_file: Path | None, output: str | None, db: str | None, since: object, to: tuple[str, ...],
           write: Path | None, only_if_changed: bool, tag: str, entry: str, period_end: object,
           insecure: bool) -> int:
    """Email what changed for customers: new and fixed problems, the worst ones, every journey."""
    config = load_config(config_file, overrides={"output": output, "db": db})
    request = Request(since=since, period_end=period_end, entry=entry,  # type: ignore[arg-type]
                      to=split_addresses(to, "--to"), write=write, only_if_changed=only_if_changed,
                      insecure=insecure, tag=tag)
    return show(send_digest(config, request))


def show(outcome: Outcome) -> int:
    for line in outcome.said:
        console.print(escape(line), soft_wrap=True)
    for line in outcome.warnings:
        err_console.print("[yellow]Warning:[/] " + escape(line))
    return outcome.exit_code
