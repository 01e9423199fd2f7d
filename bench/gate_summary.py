"""The job summary of `uxmon check` for a 20-journey batch: its size, and how it looks rendered.

Ten scenarios on two viewports are made from the recorded demo-shop runs (tests/fixtures/runs:
clean runs, late stock, late fees, a popup, sideways scrolling and a flaky retry), stored in a
real SQLite history after a clean baseline labelled main, and judged. The Markdown goes
through markdown-it-py (as GitHub renders it: CommonMark with tables) into a page styled
like a job summary; with --screenshot the project's own Chromium takes a picture of it.

    python bench/gate_summary.py [--out /tmp/uxmon-summary] [--screenshot]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.gate_data import recorded, store_batch  # noqa: E402
from uxmon.gate import BaselineChoice, gate_settings, verdict_for  # noqa: E402
from uxmon.gate.annotations import annotation_lines  # noqa: E402
from uxmon.gate.summary import Links, render_comment, render_summary  # noqa: E402
from uxmon.history import HistoryStore  # noqa: E402
from uxmon.records import Attempt, RunRecord  # noqa: E402

SWITCHES = ["clean", "late-stock", "late-fee", "popup", "mobile-overflow", "clean", "clean", "clean",
            "broken-image", "clean"]
NAMES = ["Buy a mug", "Buy a teapot", "Buy a gift card", "Apply a promo code", "Browse on a phone",
         "Track an order", "Return an item", "Change delivery address", "Buy a vase", "Reach a human"]
CSS = " ".join("""
body{font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI","Noto Sans",Helvetica,Arial,sans-serif;
color:#1f2328;max-width:1012px;margin:24px auto;padding:16px 24px;border:1px solid #d1d9e0;
border-radius:6px} h2{font-size:1.5em;border-bottom:1px solid #d1d9e0;padding-bottom:.3em}
h3{font-size:1.25em;margin-top:24px} table{border-collapse:collapse;margin:8px 0}
th,td{border:1px solid #d1d9e0;padding:6px 13px} tr:nth-child(2n){background:#f6f8fa}
code{background:#eff1f3;border-radius:6px;padding:.2em .4em;font-size:85%}
a{color:#0969da;text-decoration:none}
sub{color:#59636e} blockquote{color:#59636e;border-left:.25em solid #d1d9e0;margin:0;padding:0 1em}
""".split())


def journeys(switches: list[str]) -> list[RunRecord]:
    runs = []
    for n, (name, switch) in enumerate(zip(NAMES, switches, strict=True)):
        for viewport in ("desktop", "mobile"):
            run = recorded(switch, f"buy-a-mug--{viewport}")
            for f in run.findings:
                f.fingerprint = f"{f.fingerprint}-{n}"
            run = replace(run, scenario=name, run_id=f"j{n}--{viewport}")
            if n == 6 and viewport == "mobile":
                run = replace(run, attempt=2, flaky=True, earlier=[Attempt("error", "browser crashed")])
            runs.append(run)
    return runs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "uxmon-summary")
    parser.add_argument("--screenshot", action="store_true")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, HistoryStore(f"sqlite:///{tmp}/h.sqlite") as store:
        store_batch(store, "main-1", "2026-11-01T03:17:00+00:00", journeys(["clean"] * 10), label="main",
                    git_sha="9f1c2e7a0b", git_ref="main")
        store_batch(store, "pr-42", "2026-11-02T10:00:00+00:00", journeys(SWITCHES), git_sha="4be01d9c33",
                    git_ref="feature/gift-wrap")
        t0 = time.perf_counter()
        verdict = verdict_for(store, "pr-42", gate_settings(None), BaselineChoice(label="main"))
        links = Links(blob="https://github.com/acme/shop/blob/4be01d9c33/", artifact="uxmon-report-gate-0",
                      run="https://github.com/acme/shop/actions/runs/123456", workspace=str(Path.cwd()))
        summary = render_summary(verdict, links)
        took = time.perf_counter() - t0
    comment = render_comment(verdict, links)
    (args.out / "summary.md").write_text(summary, encoding="utf-8")
    print(f"journeys: {len(verdict.journeys)}, runs: {verdict.runs}, errors: {len(verdict.errors)}, "
          f"warnings: {len(verdict.warnings)}, annotations: {len(annotation_lines(verdict, links))}")
    size = len(summary.encode("utf-8"))
    print(f"job summary: {size:,} bytes ({size / 1024:.1f} KiB "
          f"of the 900 KiB uxmon allows, 1 MiB GitHub takes); PR comment: {len(comment):,} characters")
    print(f"judged and rendered in {took * 1000:.0f} ms")
    page = args.out / "summary.html"
    page.write_text(_html(summary), encoding="utf-8")
    print(f"rendered: {page}")
    if args.screenshot:
        print(f"screenshot: {_screenshot(page)}")


def _html(markdown: str) -> str:
    from markdown_it import MarkdownIt

    body = MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)
    return f"<!doctype html><meta charset=utf-8><style>{CSS}</style><body>{body}</body>"


def _screenshot(page: Path) -> Path:
    from playwright.sync_api import sync_playwright

    from uxmon.capture.browser import find_browser, launch

    shot = page.with_suffix(".png")
    with sync_playwright() as pw:
        browser = launch(pw, find_browser(pw))
        tab = browser.new_page(viewport={"width": 1100, "height": 900})
        tab.goto(page.as_uri())
        tab.screenshot(path=str(shot), full_page=True)
        browser.close()
    return shot


if __name__ == "__main__":
    main()
