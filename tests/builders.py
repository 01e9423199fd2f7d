"""Hand-built records for tests that need no browser."""

from uxmon.records import (
    Action,
    Alert,
    Attempt,
    BrokenImage,
    ConsoleMessage,
    Goal,
    LayoutShift,
    MovedElement,
    Navigation,
    Overlay,
    PageError,
    PriceSeen,
    Rect,
    Request,
    RunRecord,
    Step,
    Target,
    Timing,
    Viewport,
)

DESKTOP = Viewport("desktop", 1366, 768)
MOBILE = Viewport("mobile", 412, 839, mobile=True, touch=True, scale=2.625)


def full_record() -> RunRecord:
    """A record with every kind of field set, for round-trip tests."""
    target = Target("button#pay", "Pay $23.30", "button", "button", Rect(10, 20, 120, 44), 16.0)
    step = Step(
        index=1, name="Payment", start_ms=100.5, duration_ms=900.0, named=True,
        url="https://shop.example/pay", title="Payment",
        actions=[Action("click", 150.0, target, answer_ms=12.5, answer="dom", request_ms=3.0,
                        watched_ms=12.5, retries=1, covered_by=Target("div.banner", "Ad"),
                        moved_ms_before=40.0, moved_px=80.0),
                 Action("fill", 160.0, Target("input[name=\"card\"]", "Card"), chars=19, keystrokes=19)],
        requests=[Request("https://shop.example/api", "POST", "fetch", 409, "", 512, 151.0, 20.0),
                  Request("https://cdn.example/x.js", failure="net::ERR_FAILED")],
        console=[ConsoleMessage(170.0, "error", "boom", "app.js:3")],
        errors=[PageError(171.0, "TypeError: x is undefined", "at f (app.js:3)")],
        shifts=[LayoutShift(180.0, 0.12, False, [MovedElement("button#pay", "Pay", 0, 80)])],
        navigations=[Navigation(100.0, "https://shop.example/pay", "document", 200, 30.0, 80.0,
                                120.0, 90.0, 140.0)],
        alerts=[Alert(190.0, "Sorry, out of stock", "alert", "div.notice", Rect(0, 0, 300, 40))],
        overlays=[Overlay(195.0, "div.modal", "Newsletter", 1.0, True, 400.0, Rect(0, 0, 1366, 768))],
        broken_images=[BrokenImage(196.0, "https://shop.example/a.jpg", "img.hero")],
        prices=[PriceSeen("Total", "$23.30", 197.0, "internal:testid=total", 23.3, "USD")],
        timings=[Timing("First chat answer", "chat", 198.0, 1300.0, True)],
        goals=[Goal("Order placed", 199.0, "")],
        screenshot="step-01.jpg", scroll_y=12.0, text="Payment\nPay $23.30", page_width=1366,
        viewport_width=1366, overflow=["table.sizes (760px wide)"],
    )
    return RunRecord(
        run_id="buy--desktop", batch_id="20261122-010203-abcd", scenario="Buy", viewport=DESKTOP,
        outcome="failed", started_at="2026-11-22T01:02:03+00:00", duration_ms=1000.0,
        base_url="https://shop.example", scenario_file="scenarios/buy.py", tags=["purchase"],
        reason="Timeout 10000ms exceeded", error_kind="timeout", failed_step=1, attempt=2,
        flaky=False, earlier=[Attempt("error", "browser crashed", "browser_crash", 300.0)],
        steps=[step], trace="trace.zip", screenshot="step-01.jpg", browser="150.0", uxmon="0.1.0",
    )
