"""Precision on clean sites: the clean variants of all three sites (the demo shop, Lichthaus in
English and German, Portage Co-op in English and French), several rounds on desktop and mobile
at the customer pace, must give zero findings of medium or higher severity. Prints every
finding it does get, by site.

    python bench/precision.py [--rounds 5] [--workers 2] [--pace human]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.sites.lampshop import LampShop  # noqa: E402
from tests.sites.portage import PortageShop  # noqa: E402
from uxmon.config import Config  # noqa: E402
from uxmon.demo import DemoShop  # noqa: E402
from uxmon.run.pipeline import BatchOptions, run_batch  # noqa: E402

SERIOUS = ("medium", "high", "critical")
GERMAN = {"friction": {"vocabulary": {"blockers": ["nicht mehr vorrätig"], "fees": ["Zahlungsentgelt"]}}}
Site = tuple[str, Callable[[], AbstractContextManager[Any]], Path, dict[str, Any]]
SITES: list[Site] = [
    ("demo shop", lambda: DemoShop(), ROOT / "scenarios", {}),
    ("Lichthaus (en)", lambda: LampShop("en", ()), ROOT / "tests/sites/lampshop/scenarios.py", {}),
    ("Lichthaus (de)", lambda: LampShop("de", ()), ROOT / "tests/sites/lampshop/scenarios.py", GERMAN),
    ("Portage (en)", lambda: PortageShop(lang="en"), ROOT / "tests/sites/portage/scenarios.py", {}),
    ("Portage (fr)", lambda: PortageShop(lang="fr"), ROOT / "tests/sites/portage/scenarios.py", {}),
]


def walk(site: Site, rounds: int, workers: int, pace: str) -> Iterator[tuple[str, Any]]:
    name, start, scenarios, sections = site
    with start() as shop, tempfile.TemporaryDirectory() as out:
        config = Config(base_url=shop.url, output=out, workers=workers, pace=pace, sections=sections)
        result = run_batch(config, BatchOptions(paths=[str(scenarios)], repeat=rounds))
    for record in result.records:
        yield name, record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pace", default="human", choices=("human", "robot"))
    args = parser.parse_args()
    t0 = time.perf_counter()
    runs = [pair for site in SITES for pair in walk(site, args.rounds, args.workers, args.pace)]
    outcomes = Counter((site, r.outcome) for site, r in runs)
    serious = [(site, r, f) for site, r in runs for f in r.findings if f.severity in SERIOUS]
    minor = Counter((site, f.severity, f.rule) for site, r in runs for f in r.findings
                    if f.severity not in SERIOUS)
    print(f"{len(runs)} clean runs ({args.rounds} rounds x {len(SITES)} site variants x their journeys "
          f"x 2 viewports, pace {args.pace}) in {time.perf_counter() - t0:.0f} s")
    for (site, outcome), count in sorted(outcomes.items()):
        print(f"  {site}: {count} {outcome}")
    for site, run, f in serious:
        print(f"  SERIOUS {site} {run.run_id}: {f.severity} {f.rule} at step {f.step}: {f.title}")
    for (site, severity, rule_id), count in sorted(minor.items()):
        print(f"  (minor) {site}: {count} x {severity} {rule_id}")
    print(f"medium or higher: {len(serious)} (target 0)")
    failed = sum(count for (_, outcome), count in outcomes.items() if outcome != "passed")
    raise SystemExit(1 if serious or failed else 0)


if __name__ == "__main__":
    main()
