"""uxmon against what a user would pick instead: the same journey as a pytest-playwright test.

Each side runs as a whole process against the demo shop with no friction, alternating, and the
median wall and CPU times of the pairs are compared:

- serial: ``uxmon run --repeat N`` against ``pytest`` running the test N times;
- parallel: ``uxmon run -w 2 --repeat M`` against ``pytest -n 2`` (pytest-xdist) running it M times.

Both sides go at machine speed (``--pace robot``), so the work is the same Playwright calls
(bench/overhead.py's ``bare_purchase``); uxmon keeps its pictures, probe, analysis, report and
history on. Target (issue 15): uxmon / pytest <= 1.10 for both.

pytest-playwright and pytest-xdist live in the benchmark's own virtual environment (made once
under ~/.cache/uxmon-bench, with the Playwright version uxmon uses), never in the project's.

    python bench/peer.py [--pairs 5] [--serial 5] [--parallel 8] [--viewport desktop]
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

from playwright.sync_api import sync_playwright

from uxmon.capture.browser import LAUNCH_ARGS, find_browser
from uxmon.capture.viewports import context_options, resolve
from uxmon.demo import DemoShop

sys.path.insert(0, str(Path(__file__).parent))
from overhead import bare_purchase  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
# Both sides as a user's machine runs them: with Python's bytecode cache (the warm-up pair
# writes it), whatever this shell says.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
UXMON = Path(sys.executable).with_name("uxmon")
CONFTEST = '''import json
import pytest

@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": EXECUTABLE, "args": ARGS}

@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, **CONTEXT}
'''
TEST = '''import pytest
from playwright.sync_api import Page, expect

{source}

@pytest.mark.parametrize("i", range({runs}))
def test_buy_a_mug(page: Page, i: int) -> None:
    bare_purchase(page)
'''


def peer_python() -> Path:
    """The benchmark's own environment: pytest, pytest-playwright, pytest-xdist."""
    pw = version("playwright")
    home = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "uxmon-bench" / f"peer-{pw}"
    python = home / "bin" / "python"
    if not python.exists():
        print(f"making the peer environment in {home} (once)", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(home)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", f"playwright=={pw}", "pytest",
                        "pytest-playwright", "pytest-xdist"], check=True)
    return python


def write_peer(folder: Path, runs: int, viewport: str) -> None:
    with sync_playwright() as pw:
        executable = find_browser(pw).path
        context = context_options(resolve(viewport, {}, pw.devices))
    (folder / "conftest.py").write_text(
        f"import json\nEXECUTABLE = {json.dumps(executable)}\nARGS = {json.dumps(LAUNCH_ARGS)}\n"
        f"CONTEXT = json.loads({json.dumps(json.dumps(context))})\n" + CONFTEST)
    (folder / "test_peer.py").write_text(TEST.format(source=inspect.getsource(bare_purchase), runs=runs))


def timed(argv: list[str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds (the process and all it started) of one command that must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, env=ENV)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv[:3])}… exited {done.returncode}:\n{done.stdout[-2000:]}"
                         f"\n{done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def compare(name: str, uxmon: list[str], pytest: list[str], cwd: Path, pairs: int) -> float:
    timed(uxmon, cwd), timed(pytest, cwd)  # warm the disk cache and the browser's profile
    ours: list[tuple[float, float]] = []
    theirs: list[tuple[float, float]] = []
    for _ in range(pairs):
        ours.append(timed(uxmon, cwd))
        theirs.append(timed(pytest, cwd))
    wall = statistics.median(w for w, _ in ours) / statistics.median(w for w, _ in theirs)
    cpu = statistics.median(c for _, c in ours) / statistics.median(c for _, c in theirs)
    print(f"{name}: uxmon median {statistics.median(w for w, _ in ours):5.2f} s wall "
          f"{statistics.median(c for _, c in ours):5.2f} s CPU | pytest-playwright median "
          f"{statistics.median(w for w, _ in theirs):5.2f} s wall "
          f"{statistics.median(c for _, c in theirs):5.2f} s CPU | ratio {wall:.3f} wall, "
          f"{cpu:.3f} CPU (target <= 1.10)", flush=True)
    return wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--serial", type=int, default=5, help="runs one after another")
    parser.add_argument("--parallel", type=int, default=8, help="runs on 2 workers (0: skip)")
    parser.add_argument("--viewport", default="desktop")
    args = parser.parse_args()
    python = peer_python()
    scenario = ROOT / "scenarios" / "purchase.py"
    with tempfile.TemporaryDirectory(prefix="uxmon-peer-") as tmp, DemoShop() as shop:
        cwd = Path(tmp)
        base = [str(UXMON), "run", str(scenario), "-k", "Buy a mug", "--viewport", args.viewport,
                "--base-url", shop.url, "--pace", "robot", "-o", str(cwd / "reports"), "-q"]
        peer = [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "--base-url", shop.url]
        print(f"demo shop at {shop.url}, viewport {args.viewport}, {args.pairs} pairs, "
              f"{os.cpu_count()} cores", flush=True)
        for label, runs, workers in (("serial", args.serial, 1), ("parallel", args.parallel, 2)):
            if not runs:
                continue
            folder = cwd / label
            folder.mkdir()
            write_peer(folder, runs, args.viewport)
            ours = [*base, "--repeat", str(runs), "-w", str(workers)]
            theirs = [*peer, *(["-n", str(workers)] if workers > 1 else [])]
            compare(f"{runs} runs on {workers} worker(s)", ours, theirs, folder, args.pairs)


if __name__ == "__main__":
    main()
