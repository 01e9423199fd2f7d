"""When the screencast rests and wakes, from the scenario's calls alone (no browser)."""

from __future__ import annotations

import asyncio
from typing import Any

from uxmon.capture import typing_pause
from uxmon.capture.clock import now_ms
from uxmon.capture.typing_pause import TypingPause


class Sent:
    """Stands in for the run's Background: keeps the CDP methods sent first."""

    def __init__(self) -> None:
        self.methods: list[str] = []

    def send_cdp_first(self, cdp: Any, method: str, params: dict[str, Any]) -> None:
        self.methods.append(method)


def calls(pause: TypingPause, *methods: str) -> None:
    for method in methods:
        zone = object()
        pause.on_api_call_begin(zone, {"type": "Frame", "method": method, "params": {}})
        pause.on_api_call_end(zone)


def test_typing_rests_the_cast_once_and_the_next_other_call_wakes_it() -> None:
    sent = Sent()
    pause = TypingPause(object(), {"format": "jpeg"}, sent)  # type: ignore[arg-type]

    async def scenario() -> None:
        calls(pause, "goto", "expect", "fill")
        assert pause.state == "stopping" and sent.methods == []  # until a frame painted since
        pause.frame(now_ms() - 1000)  # a frame from before the typing: not the one
        assert sent.methods == []
        pause.frame(now_ms())
        calls(pause, "fill", "type", "click", "click", "keyboardType")
        pause.frame(now_ms())

    asyncio.run(scenario())
    assert sent.methods == ["Page.stopScreencast", "Page.startScreencast", "Page.stopScreencast"]
    assert pause.state == "resting" and pause.rests == 2
    pause.wake()  # the step ends
    assert sent.methods[-1] == "Page.startScreencast" and pause.state == "on"
    pause.wake()
    assert len(sent.methods) == 4  # awake already: nothing sent


def test_typing_that_paints_nothing_never_rests_the_cast() -> None:
    sent = Sent()
    pause = TypingPause(object(), {}, sent)  # type: ignore[arg-type]

    async def scenario() -> None:
        calls(pause, "fill", "click")

    asyncio.run(scenario())
    assert sent.methods == [] and pause.state == "on"


def test_a_fill_still_waiting_for_its_field_wakes_the_cast() -> None:
    sent = Sent()
    pause = TypingPause(object(), {}, sent)  # type: ignore[arg-type]

    async def scenario() -> None:
        quick, waiting = object(), object()
        pause.on_api_call_begin(quick, {"method": "fill"})
        pause.frame(now_ms())
        pause.on_api_call_end(quick)  # done at once: its timer goes
        await asyncio.sleep(typing_pause.WAITING_S + 0.1)
        assert sent.methods == ["Page.stopScreencast"]
        pause.on_api_call_begin(waiting, {"method": "fill"})
        await asyncio.sleep(typing_pause.WAITING_S + 0.1)  # the field is not there yet
        assert sent.methods == ["Page.stopScreencast", "Page.startScreencast"]
        pause.on_api_call_end(waiting)

    asyncio.run(scenario())
    assert pause.state == "on"


def test_a_listener_that_fails_never_fails_the_scenarios_call() -> None:
    class Broken(Sent):
        def send_cdp_first(self, cdp: Any, method: str, params: dict[str, Any]) -> None:
            raise RuntimeError("Target page, context or browser has been closed")

    pause = TypingPause(object(), {}, Broken())  # type: ignore[arg-type]

    async def scenario() -> None:
        calls(pause, "fill")
        pause.frame(now_ms())
        calls(pause, "click")

    asyncio.run(scenario())  # raises nothing
    pause.detach()


def test_without_playwrights_instrumentation_nothing_is_attached() -> None:
    pause = TypingPause(object(), {}, Sent())  # type: ignore[arg-type]
    assert pause.attach(object()) is False  # type: ignore[arg-type]
