"""Cutting recorded event logs into steps, without a browser."""

import json
from pathlib import Path
from typing import Any

import pytest

from uxmon.records import Request
from uxmon.records.serial import from_dict
from uxmon.records.timeline import Capture, build_steps

FIXTURES = Path(__file__).parents[1] / "fixtures"


def recorded(name: str) -> Capture:
    data = json.loads((FIXTURES / name).read_text())
    return Capture(data["start_ms"], data["end_ms"], data["events"],
                   [from_dict(Request, r) for r in data["requests"]], data["frames"])


def test_recorded_purchase_has_named_steps_in_order_with_their_actions() -> None:
    assembly = build_steps(recorded("capture-purchase-desktop.json"))
    steps = assembly.steps
    assert [s.name for s in steps] == ["Home", "Product", "Cart", "Address", "Delivery", "Payment",
                                       "Confirmation"]
    assert [s.index for s in steps] == [1, 2, 3, 4, 5, 6, 7]
    assert assembly.failed_at is None
    kinds = [[a.kind for a in s.actions] for s in steps]
    assert kinds == [[], ["click", "click"], ["fill", "click", "click"],
                     ["fill"] * 5 + ["select", "click"], ["click", "click"], ["fill"] * 4 + ["click"], []]
    assert sum(s.clicks for s in steps) == 8
    assert [a.chars for a in steps[3].actions[:5]] == [13, 16, 13, 7, 7]
    assert steps[3].actions[5].target.text == "Country: United Kingdom"


def test_recorded_steps_do_not_overlap_and_keep_their_pages() -> None:
    steps = build_steps(recorded("capture-purchase-desktop.json")).steps
    for earlier, later in zip(steps, steps[1:], strict=False):
        assert earlier.end_ms <= later.start_ms + 0.2
    assert steps[3].url.endswith("/checkout/address") and steps[3].title.startswith("Checkout: address")
    assert steps[6].url.endswith("/checkout/confirmation")


def test_every_recorded_step_gets_a_picture_from_the_screencast() -> None:
    assembly = build_steps(recorded("capture-purchase-desktop.json"))
    assert [s.screenshot for s in assembly.steps] == [f"step-{i:02d}.jpg" for i in range(1, 8)]
    frames = list(assembly.pictures.values())
    assert frames == sorted(frames) and len(set(frames)) == 7


def test_navigating_clicks_are_answered_by_the_new_page() -> None:
    steps = build_steps(recorded("capture-purchase-desktop.json")).steps
    continue_click = steps[3].actions[-1]
    assert continue_click.answer == "navigation"
    assert 20 < continue_click.answer_ms < 2000
    apply = steps[2].actions[1]
    assert apply.answer == "dom" and apply.answer_ms < 500 and apply.request_ms is not None


def test_recorded_dead_button_has_no_answer_and_fails_its_step() -> None:
    assembly = build_steps(recorded("capture-purchase-mobile-dead.json"))
    cart = assembly.steps[2]
    assert cart.name == "Cart" and assembly.failed_at == 2
    apply = next(a for a in cart.actions if a.target.text == "Apply")
    assert apply.answer == "" and apply.answer_ms is None
    assert apply.watched_ms > 1000
    assert apply.request_ms is None


def ev(k: str, t: float, **data: Any) -> dict[str, Any]:
    return {"k": k, "t": t, "top": True, **data}


def capture(events: list[dict[str, Any]], end: float = 10_000) -> Capture:
    return Capture(start_ms=0, end_ms=end, events=events)


def test_without_named_steps_each_page_load_is_a_step_named_after_its_title() -> None:
    events = [
        ev("doc", 100, doc="a", commit=150, url="https://s.example/"),
        ev("state", 300, doc="a", url="https://s.example/", title="Home — Shop", text="Welcome"),
        ev("action", 500, doc="a", id="a:1", kind="click", target={"text": "Cart"}),
        ev("doc", 520, doc="b", commit=560, url="https://s.example/cart"),
        ev("state", 700, doc="b", url="https://s.example/cart", title="Your cart — Shop"),
    ]
    steps = build_steps(capture(events)).steps
    assert [(s.name, s.named, s.start_ms) for s in steps] == [("Home", False, 100), ("Your cart", False, 520)]
    assert steps[0].actions[0].answer == "navigation" and steps[0].duration_ms == 420


def test_named_step_keeps_navigations_inside_it() -> None:
    events = [
        ev("step-begin", 50, name="Checkout"),
        ev("doc", 100, doc="a", commit=150, url="https://s.example/a"),
        ev("doc", 400, doc="b", commit=450, url="https://s.example/b"),
        ev("step-end", 900, name="Checkout", ok=True),
    ]
    (step,) = build_steps(capture(events)).steps
    assert step.name == "Checkout" and len(step.navigations) == 2 and step.duration_ms == 850


def test_failed_named_step_is_where_the_run_failed() -> None:
    events = [
        ev("step-begin", 0, name="A"), ev("step-end", 100, name="A", ok=True),
        ev("step-begin", 100, name="B"), ev("step-end", 200, name="B", ok=False),
    ]
    assembly = build_steps(capture(events))
    assert [s.name for s in assembly.steps] == ["A", "B"] and assembly.failed_at == 1


def test_empty_gap_between_named_steps_is_not_a_step() -> None:
    events = [ev("step-begin", 0, name="A"), ev("step-end", 100, name="A", ok=True),
              ev("step-begin", 130, name="B"), ev("step-end", 200, name="B", ok=True)]
    assert [s.name for s in build_steps(capture(events)).steps] == ["A", "B"]


def test_an_unanswered_click_is_watched_until_the_next_action() -> None:
    events = [
        ev("step-begin", 0, name="Cart"),
        ev("action", 100, doc="a", id="a:1", kind="click", target={"text": "Apply"}),
        ev("action", 1600, doc="a", id="a:2", kind="click", target={"text": "Checkout"}),
        ev("answer", 1620, id="a:2", ms=20, how="dom"),
        ev("step-end", 2000, name="Cart", ok=True),
    ]
    (step,) = build_steps(capture(events, end=2000)).steps
    apply, checkout = step.actions
    assert (apply.answer_ms, apply.watched_ms) == (None, 1500)
    assert (checkout.answer, checkout.answer_ms) == ("dom", 20)


def test_a_press_that_never_reached_the_page_is_not_a_click() -> None:
    events = [ev("action", 100, doc="a", id="a:1", kind="click", target={"text": "Ad"}),
              ev("cancel", 101, id="a:1"),
              ev("action", 140, doc="a", id="a:2", kind="click", target={"text": "Pay"}, retries=1,
                 covered_by={"selector": "div.ad", "text": "Ad"}, moved_ms_before=38, moved_px=80)]
    (step,) = build_steps(capture(events)).steps
    (pay,) = step.actions
    assert (pay.retries, pay.covered_by.selector, pay.moved_px) == (1, "div.ad", 80)


@pytest.mark.parametrize("kind", ["console", "pageerror", "alert", "broken-image", "price", "goal"])
def test_signals_land_in_the_step_they_happened_in(kind: str) -> None:
    events = [ev("step-begin", 0, name="A"), ev("step-end", 100, name="A", ok=True),
              ev("step-begin", 100, name="B"), ev(kind, 150, text="x", message="x", label="Total"),
              ev("step-end", 200, name="B", ok=True)]
    steps = build_steps(capture(events)).steps
    field = {"console": "console", "pageerror": "errors", "alert": "alerts",
             "broken-image": "broken_images", "price": "prices", "goal": "goals"}[kind]
    assert len(getattr(steps[0], field)) == 0 and len(getattr(steps[1], field)) == 1


def test_requests_are_placed_by_start_time_relative_to_the_run() -> None:
    events = [ev("step-begin", 1000, name="A"), ev("step-end", 1100, name="A", ok=True),
              ev("step-begin", 1100, name="B"), ev("step-end", 1300, name="B", ok=True)]
    cap = Capture(1000, 1300, events, [Request("https://s/x", at_ms=1150.0, status=500)])
    steps = build_steps(cap).steps
    assert steps[1].requests[0].at_ms == 150 and steps[1].failed_requests


def test_a_step_that_ends_typing_is_pictured_as_it_ends_and_a_press_before_it_acts() -> None:
    """Typing loads nothing, so its step shows the fields filled (the screencast rests while
    the scenario types and wakes as the step ends); a press still shows the page before it."""
    events = [
        ev("step-begin", 0, name="Your details"),
        ev("doc", 5, doc="a", commit=10, url="https://s.example/address"),
        ev("action", 100, doc="a", id="a:1", kind="fill", target={"text": "Name"}, chars=4),
        ev("action", 160, doc="a", id="a:2", kind="fill", target={"text": "City"}, chars=7),
        ev("step-end", 400, name="Your details", ok=True),
        ev("step-begin", 400, name="Continue"),
        ev("action", 900, doc="a", id="a:3", kind="click", target={"text": "Continue"}),
        ev("step-end", 1000, name="Continue", ok=True),
        ev("step-begin", 1000, name="Done"),
        ev("step-end", 1500, name="Done", ok=True),
    ]
    # frames: the page drawn, (none while typing), the wake after the step ended (late: a busy
    # machine), one just before the press, one after it, the end of the run
    frames = [50.0, 470.0, 880.0, 980.0, 1400.0]
    assembly = build_steps(Capture(0, 1500, events, [], frames))
    assert [s.name for s in assembly.steps] == ["Your details", "Continue", "Done"]
    assert assembly.pictures == {"step-01.jpg": 1, "step-02.jpg": 2, "step-03.jpg": 4}


@pytest.mark.parametrize(("status", "owner"), [(409, "Review"), (200, "Done")])
def test_a_message_after_a_refused_write_belongs_to_the_step_that_sent_it(status: int, owner: str) -> None:
    """On a busy machine the refusal's message comes after the Pay press's step ended; it is
    still that step's (a message after an accepted write is where time puts it)."""
    events = [
        ev("step-begin", 0, name="Review"),
        ev("doc", 5, doc="a", commit=10, url="https://s.example/app"),
        ev("action", 500, doc="a", id="a:1", kind="click", target={"text": "Pay"}),
        ev("step-end", 520, name="Review", ok=True),
        ev("step-begin", 520, name="Done"),
        ev("alert", 600, doc="a", text="Sorry: the lamp is sold out.", role="alert"),
        ev("step-end", 1500, name="Done", ok=False),
    ]
    order = Request("https://s.example/api/orders", method="POST", resource_type="fetch", status=status,
                    at_ms=504.0, duration_ms=60.0)
    steps = {s.name: s for s in build_steps(Capture(0, 1500, events, [order])).steps}
    assert steps["Review"].requests == [order]
    assert {name: [a.text for a in s.alerts] for name, s in steps.items()} == {
        "Review": [], "Done": [], owner: ["Sorry: the lamp is sold out."]}
