"""Recording overhead: the bundled purchase journey through uxmon vs the same Playwright calls bare.

Both run against the demo shop with no friction, in one browser, alternating, and the median
wall times are compared. Target (issue 15): uxmon / bare <= 1.10 with screenshots on, at the
robot pace (the bare calls' work; --pace human measures the customer's pauses).

    python bench/overhead.py [--rounds 9] [--viewport desktop] [--no-trace] [--no-screenshots]
                             [--pace robot|human]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright
from process_cpu import sample, spent

from uxmon.authoring.scenarios import discover
from uxmon.capture.browser import find_browser, launch
from uxmon.capture.viewports import context_options
from uxmon.config import Config
from uxmon.demo import DemoShop
from uxmon.run.execute import RunSettings, execute
from uxmon.run.plan import plan_jobs

ROOT = Path(__file__).resolve().parents[1]


def bare_purchase(page: Page) -> None:
    """The Playwright calls of scenarios/purchase.py, with nothing of uxmon around them."""
    page.add_locator_handler(page.get_by_role("dialog", name="Newsletter"),
                             lambda: page.get_by_role("button", name="No thanks").click())
    page.goto("/")
    expect(page.get_by_role("heading", name="Homeware for every day")).to_be_visible()
    page.get_by_role("link", name="Blue Mug").click()
    expect(page.get_by_role("heading", name="Blue Mug")).to_be_visible()
    page.get_by_test_id("price").inner_text()
    expect(page.get_by_text("In stock")).to_be_visible()
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_role("heading", name="Your cart")).to_be_visible()
    page.get_by_label("Promo code").fill("WELCOME10")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("status")).to_contain_text("applied")
    page.get_by_test_id("total").inner_text()
    page.get_by_role("link", name="Checkout").click()
    expect(page.get_by_role("heading", name="Delivery address")).to_be_visible()
    page.get_by_label("Full name").fill("Alex Customer")
    page.get_by_label("Email").fill("alex@example.com")
    page.get_by_label("Street address").fill("1 High Street")
    page.get_by_label("City").fill("Bristol")
    page.get_by_label("Postcode").fill("BS1 4DJ")
    page.get_by_label("Country").select_option("United Kingdom")
    page.get_by_role("button", name="Continue to delivery").click()
    expect(page.get_by_role("heading", name="Delivery")).to_be_visible()
    page.get_by_label("Express delivery").check()
    page.get_by_test_id("total").inner_text()
    page.get_by_role("button", name="Continue to payment").click()
    expect(page.get_by_role("heading", name="Payment")).to_be_visible()
    page.get_by_test_id("total").inner_text()
    page.get_by_label("Name on card").fill("Alex Customer")
    page.get_by_label("Card number").fill("4242 4242 4242 4242")
    page.get_by_label("Expiry (MM/YY)").fill("12/30")
    page.get_by_label("Security code").fill("123")
    page.get_by_role("button", name="Pay").click()
    expect(page.get_by_role("heading", name="Thank you for your order")).to_be_visible()
    page.get_by_test_id("paid").inner_text()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--viewport", default="desktop")
    parser.add_argument("--no-trace", action="store_true")
    parser.add_argument("--no-screenshots", action="store_true")
    parser.add_argument("--pace", choices=["robot", "human"], default="robot",
                        help="robot (default): the bare calls' work; human: the customer's pauses added")
    args = parser.parse_args()

    scenario = next(s for s in discover([ROOT / "scenarios"]).scenarios if s.name == "Buy a mug")
    out = Path(tempfile.mkdtemp(prefix="uxmon-bench-"))
    with DemoShop() as shop, sync_playwright() as pw:
        job = plan_jobs([scenario], Config(), pw.devices, chosen_viewports=[args.viewport])[0]
        settings = RunSettings("bench", out, shop.url, screenshots=not args.no_screenshots,
                               trace="off" if args.no_trace else "on-failure", pace=args.pace)
        browser = launch(pw, find_browser(pw))
        bare: list[float] = []
        recorded: list[float] = []
        cpu: dict[str, list[dict[str, float]]] = {"bare": [], "uxmon": []}
        for i in range(args.rounds + 1):
            c0, t0 = sample(), time.perf_counter()
            context = browser.new_context(base_url=shop.url, **context_options(job.viewport))
            bare_purchase(context.new_page())
            context.close()
            c1, t1 = sample(), time.perf_counter()
            record = execute(job, browser, settings)
            c2, t2 = sample(), time.perf_counter()
            if record.outcome != "passed":
                raise SystemExit(f"uxmon run did not pass: {record.reason}")
            if i:  # the first round warms caches and is not counted
                bare.append(t1 - t0)
                recorded.append(t2 - t1)
                cpu["bare"].append(spent(c0, c1))
                cpu["uxmon"].append(spent(c1, c2))
        browser.close()
    b, r = statistics.median(bare), statistics.median(recorded)
    print(f"viewport {args.viewport}, {args.rounds} rounds, screenshots "
          f"{'off' if args.no_screenshots else 'on'}, trace {'off' if args.no_trace else 'on'}")
    print(f"bare Playwright   median {b * 1000:7.0f} ms  (min {min(bare) * 1000:.0f})")
    print(f"through uxmon     median {r * 1000:7.0f} ms  (min {min(recorded) * 1000:.0f})")
    print(f"ratio uxmon/bare  {r / b:.3f}   (target <= 1.10)")
    print_cpu(cpu)


def print_cpu(cpu: dict[str, list[dict[str, float]]]) -> None:
    """Median CPU ms a run by process kind: who pays for what the recording adds."""
    kinds = sorted({k for side in cpu.values() for run in side for k in run})
    medians = {side: {k: statistics.median(run.get(k, 0.0) for run in runs) for k in kinds}
               for side, runs in cpu.items()}
    print(f"CPU ms a run      {'bare':>7} {'uxmon':>7} {'extra':>7}   (renderers come and go with "
          "their contexts: their split between the sides is rough)")
    for k in kinds + ["all"]:
        b = sum(medians["bare"].values()) if k == "all" else medians["bare"][k]
        u = sum(medians["uxmon"].values()) if k == "all" else medians["uxmon"][k]
        print(f"  {k:15s} {b:7.0f} {u:7.0f} {u - b:+7.0f}")


if __name__ == "__main__":
    main()
