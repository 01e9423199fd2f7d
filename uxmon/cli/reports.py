"""``uxmon history`` and ``uxmon report``: what the history store knows, in a table or as the report."""

from __future__ import annotations

from pathlib import Path

import click

from ..config import Config, load_config
from ..history import HistoryStore
from ..run.pipeline import EXIT_NOT_MEASURED, EXIT_OK, EXIT_USAGE
from .app import cli, console, err_console, escape


@cli.command()
@click.option("-c", "--config", "config_file", type=click.Path(path_type=Path),
              help="uxmon.toml (or pyproject.toml) to use instead of the one found.")
@click.option("-o", "--output", help="Output folder whose history.sqlite to use (default reports/).")
@click.option("--db", help="History database URL (default: the config's db, UXMON_DB, or the "
                           "output folder's history.sqlite).")
@click.option("--keep-days", type=click.FloatRange(min=0),
              help="First delete runs older than this many days, with their files.")
def history(config_file: Path | None, output: str | None, db: str | None, keep_days: float | None) -> int:
    """Trends per scenario and viewport from the history store; prune it with --keep-days."""
    from ..history import HistoryError, HistoryStore, batch_history, database_url, journey_trend
    from .console import print_trends

    config = load_config(config_file, overrides={"output": output, "db": db})
    try:
        with HistoryStore(database_url(config.db, config.path(config.output))) as store:
            if keep_days is not None:
                gone = store.prune(keep_days, config.path(config.output))
                _after_prune(store, config.path(config.output))
                console.print(f"Removed {len(gone)} batch(es) older than {keep_days:g} days "
                              f"({sum(b.runs for b in gone)} runs) and their folders.")
            latest = batch_history(store)
            trends = list(latest.trends.values()) if latest else []
            shown = {(t.scenario, t.viewport) for t in trends}
            trends += [journey_trend(store.journey_runs(s, v), []) for s, v in store.journeys()
                       if (s, v) not in shown]
            print_trends(console, store.url, len(store.batches()), trends)
    except HistoryError as exc:
        err_console.print("[red]Error:[/] " + escape(str(exc)))
        return EXIT_NOT_MEASURED
    return EXIT_OK


@cli.command()
@click.option("-c", "--config", "config_file", type=click.Path(path_type=Path),
              help="uxmon.toml (or pyproject.toml) to use instead of the one found.")
@click.option("-o", "--output", help="Output folder (default reports/).")
@click.option("--db", help="History database URL (default: the config's db or the output folder's file).")
@click.option("--batch", "batch_id", help="The batch to draw (default: the newest).")
@click.option("--import", "folders", multiple=True, type=click.Path(path_type=Path, file_okay=False),
              help="First add this batch folder to the history (one that never reached it: a killed "
                   "run, a locked or broken database); repeatable.")
@click.option("--email", is_flag=True, help="Also email the batch's report to [email] to (or --to).")
@click.option("--to", "to", multiple=True, metavar="ADDR", help="With --email: send to these addresses.")
@click.option("--write", type=click.Path(path_type=Path, dir_okay=False),
              help="With --email: write the message to this .eml file instead of sending it.")
@click.option("--insecure", is_flag=True, help="With --email: do not verify the SMTP server's certificate.")
def report(config_file: Path | None, output: str | None, db: str | None, batch_id: str | None,
           folders: tuple[Path, ...], email: bool, to: tuple[str, ...], write: Path | None,
           insecure: bool) -> int:
    """Draw the HTML report, results.json and junit.xml again from the history store alone."""
    from ..history import HistoryError, HistoryStore, database_url
    from ..report.publish import redraw
    from ..run.keep import FolderBusy, import_folder

    if (to or write or insecure) and not email:
        raise click.UsageError("--to, --write and --insecure go with --email")
    config = load_config(config_file, overrides={"output": output, "db": db})
    out = config.path(config.output)
    busy = False
    try:
        with HistoryStore(database_url(config.db, out)) as store:
            for folder in folders:
                try:
                    row = import_folder(store, config, out, folder)
                except FolderBusy as exc:
                    err_console.print("[yellow]Not imported:[/] " + escape(str(exc)), soft_wrap=True)
                    busy = True
                    continue
                console.print(f"Imported batch {escape(row.id)}: {row.runs} run(s) from "
                              f"{escape(str(folder))}")
            page = redraw(store, out, batch_id) if batch_id or email or not folders else None
    except HistoryError as exc:
        err_console.print("[red]Error:[/] " + escape(str(exc)))
        return EXIT_NOT_MEASURED
    if folders and not batch_id and not email:
        return EXIT_NOT_MEASURED if busy else EXIT_OK
    if page is None:
        err_console.print(f"[red]Error:[/] no batch {escape(batch_id or '')} in the history: "
                          "run `uxmon run` first")
        return EXIT_USAGE
    console.print(f"Report: {escape(str(page))}", soft_wrap=True)
    if email:
        return email_report(config, batch_id, to, write, insecure)
    return EXIT_OK


def email_report(config: Config, batch_id: str | None, to: tuple[str, ...], write: Path | None,
                 insecure: bool) -> int:
    from ..notify.email.send import Request, send_report
    from ..notify.email.settings import split_addresses
    from .digest import show

    request = Request(to=split_addresses(to, "--to"), write=write, insecure=insecure, batch_id=batch_id)
    return show(send_report(config, request))


def _after_prune(store: HistoryStore, out: Path) -> None:
    """Nothing may lead to a batch that is gone: the latest link and the top report page."""
    from ..report.publish import redraw

    latest = out / "latest"
    if latest.is_symlink() and not latest.exists():
        latest.unlink()
    if redraw(store, out) is None:
        (out / "index.html").unlink(missing_ok=True)

