"""The worker fleet on this machine: 16 runs with 1 worker process, then with 2.

Eight copies of the bundled purchase journey ("Buy a mug 1" … "Buy a mug 8") on desktop and
mobile against the demo shop make one batch of 16 runs. For each number of worker processes,
a fresh schema of a real PostgreSQL gets the queue, `uxmon worker --concurrency N` is started
and waits, the batch is put on the queue (as `uxmon schedule --queue` does for a firing), and
the clock runs until the batch's end (its report drawn by the last job). Printed: both wall
times and their ratio, and the queue's overhead per job: enqueue to start (median, max: this
includes waiting for a free worker) and the pickup delay, from a worker being free (its
previous run kept) to its next run starting (median, max: the queue's own cost).

    python bench/fleet.py [--runs-per-viewport 8] [--keep]

PostgreSQL: $UXMON_TEST_PG when set; otherwise a throwaway cluster is started with .ci/postgres.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from tests.unit.test_history_store import fresh_pg_schema  # noqa: E402
from uxmon.config import load_config  # noqa: E402
from uxmon.demo import DemoShop  # noqa: E402
from uxmon.fleet.enqueue import enqueue_batch  # noqa: E402
from uxmon.fleet.queue import build_app, install_schema  # noqa: E402
from uxmon.fleet.settings import fleet_settings  # noqa: E402
from uxmon.history import HistoryStore  # noqa: E402
from uxmon.history.fleet import fleet_batch, fleet_jobs  # noqa: E402
from uxmon.run.pipeline import BatchOptions  # noqa: E402


def postgres(work: Path) -> tuple[str, dict[str, str] | None]:
    """(a database URL, the env that stops the cluster we started, or None)."""
    if os.environ.get("UXMON_TEST_PG"):
        return os.environ["UXMON_TEST_PG"], None
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "TMPDIR": str(work / "pg"), "UXMON_PG_PORT": str(port)}
    (work / "pg").mkdir()
    url = subprocess.run([str(ROOT / ".ci" / "postgres"), "start"], env=env, capture_output=True, text=True,
                         check=True).stdout.strip()
    return url, env




def scenarios(folder: Path, copies: int) -> None:
    source = (ROOT / "scenarios" / "purchase.py").read_text(encoding="utf-8")
    folder.mkdir(parents=True)
    for n in range(1, copies + 1):
        named = source.replace('"Buy a mug"', f'"Buy a mug {n}"')
        named = named.replace("def buy_a_mug(", f"def buy_a_mug_{n}(")
        (folder / f"purchase_{n}.py").write_text(named, encoding="utf-8")


def one_round(work: Path, shop_url: str, pg: str, workers: int, copies: int) -> dict[str, float]:
    folder = work / f"w{workers}"
    scenarios(folder / "scenarios", copies)
    db = fresh_pg_schema(pg)
    (folder / "uxmon.toml").write_text(f'base_url = "{shop_url}"\nscenarios = ["scenarios"]\ndb = "{db}"\n'
                                       '[fleet]\nheartbeat = "2s"\n', encoding="utf-8")
    config = load_config(folder / "uxmon.toml")
    install_schema(config)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with (folder / "worker.log").open("wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "uxmon", "worker", "--concurrency", str(workers)],
                                cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        with HistoryStore(db) as store:
            wait_workers(store, workers)
            app = build_app(config, fleet_settings(config))
            app.open()
            t0 = time.monotonic()
            done = enqueue_batch(config, app, store, BatchOptions(), deadline_s=3600)
            app.close()
            while not (row := fleet_batch(store, done.batch_id)) or not row.finished_at:
                if proc.poll() is not None:
                    raise SystemExit(f"the workers ended early: see {folder / 'worker.log'}")
                time.sleep(0.2)
            wall = time.monotonic() - t0
            jobs = fleet_jobs(store, done.batch_id)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(200)
    return {"runs": len(jobs), "wall": wall, **overhead(jobs)}


def wait_workers(store: HistoryStore, count: int) -> None:
    until = time.monotonic() + 120
    while time.monotonic() < until:
        with store.engine.connect() as conn:
            try:
                alive = conn.execute(text("SELECT count(*) FROM procrastinate_workers")).scalar_one()
            except Exception:  # noqa: BLE001 - the table comes with the first worker
                alive = 0
        if alive >= count:
            return
        time.sleep(0.2)
    raise SystemExit(f"{count} workers did not start within 120 s")


def overhead(jobs: list) -> dict[str, float]:
    def at(text_: str) -> float:
        return dt.datetime.fromisoformat(text_).timestamp()

    waits = [at(j.started_at) - at(j.enqueued_at) for j in jobs]
    pickups = []
    by_worker: dict[str, list] = {}
    for job in jobs:
        by_worker.setdefault(job.worker, []).append(job)
    for mine in by_worker.values():
        mine.sort(key=lambda j: j.started_at)
        pickups += [at(b.started_at) - max(at(a.finished_at), at(b.enqueued_at))
                    for a, b in zip(mine, mine[1:], strict=False)]
        pickups.append(at(mine[0].started_at) - at(mine[0].enqueued_at))
    return {"wait_median": statistics.median(waits), "wait_max": max(waits),
            "pickup_median": statistics.median(pickups), "pickup_max": max(pickups),
            "workers_used": len(by_worker)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs-per-viewport", type=int, default=8,
                        help="copies of the journey (each on 2 viewports)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs, reports)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="uxmon-fleet-bench-"))
    work.chmod(0o755)  # a cluster started as root runs as the postgres user, who must reach it
    pg, stop_env = postgres(work)
    try:
        with DemoShop() as shop:
            rounds = {n: one_round(work, shop.url, pg, n, args.runs_per_viewport) for n in (1, 2)}
    finally:
        if stop_env is not None:
            subprocess.run([str(ROOT / ".ci" / "postgres"), "stop"], env=stop_env, check=False)
    print(f"machine: {os.cpu_count()} cores; PostgreSQL {re.sub(r'//[^@]*@', '//', pg).split('?')[0]}")
    for n, r in rounds.items():
        print(f"{n} worker process(es): {r['runs']:.0f} runs in {r['wall']:.1f} s "
              f"({r['workers_used']:.0f} used); enqueue to start: median {r['wait_median']:.2f} s, "
              f"max {r['wait_max']:.2f} s; pickup delay: median {r['pickup_median']:.3f} s, "
              f"max {r['pickup_max']:.3f} s")
    print(f"speed-up with 2 worker processes: {rounds[1]['wall'] / rounds[2]['wall']:.2f}×")
    if args.keep:
        print(f"work folder: {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
