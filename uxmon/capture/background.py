"""Playwright calls that run while the scenario goes on, so evidence never slows the journey;
and CDP listeners that cost the scenario's thread as little as they can.

The sync API blocks on every call. A screenshot at each step end would add its encoding time
to the journey being measured; instead the call is started as a task on Playwright's own
event loop and finishes while the scenario's next calls run. This reaches into Playwright's
implementation objects (``_impl_obj``, ``_loop``); if those ever change, every call (and
every listener) falls back to the plain API, which is slower but correct.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Coroutine
from typing import Any

_ApiCallOptions: Any
try:  # how Playwright marks its own calls internal (1.5x); without it, calls are traced
    from playwright._impl.channel_owner import ApiCallOptions as _ApiCallOptions
except ImportError:  # pragma: no cover - another Playwright
    _ApiCallOptions = None

Done = Callable[[Any, BaseException | None], None]


def listen(cdp: Any, event: str, handler: Callable[[dict[str, Any]], Any]) -> None:
    """Call ``handler`` with each ``event``'s parameters, as ``cdp.on`` would, but straight
    from the implementation's emitter.

    The sync API wraps every listener in a function that reads the listener's signature and
    maps its arguments on every event: about 60 ms of the Python thread per run here (a run
    has some 250 CDP events), spent while the scenario waits. CDP parameters are plain dicts,
    so nothing needs mapping.
    """
    impl = getattr(cdp, "_impl_obj", None)
    on = getattr(impl, "on", None)
    if callable(on):
        on(event, handler)
    else:
        cdp.on(event, handler)


class Background:
    """Starts calls without waiting, and waits for all of them at the end of a run."""

    def __init__(self) -> None:
        self._tasks: list[asyncio.Task[Any]] = []
        self.blocking = False

    def send(self, sync_obj: Any, method: str, args: tuple[Any, ...], done: Done,
             impl_extra: tuple[Any, ...] = ()) -> asyncio.Task[Any] | None:
        """Call ``method`` in the background; ``done`` gets the result or the exception.

        The implementation's methods take every option positionally: ``impl_extra`` holds the
        ones the public method defaults (a CDP ``timeout``, an ``evaluate`` argument).
        """
        impl = getattr(sync_obj, "_impl_obj", None)
        loop = getattr(sync_obj, "_loop", None)
        if impl is None or loop is None or not hasattr(impl, method) or self.blocking:
            self._call_now(sync_obj, method, args, done)
            return None
        try:
            call = getattr(impl, method)
            coro: Coroutine[Any, Any, Any] = _internal(impl, lambda: call(*args, *impl_extra))
        except TypeError:  # the implementation changed shape: do it the slow, public way
            self.blocking = False
            self._call_now(sync_obj, method, args, done)
            return None
        task = loop.create_task(coro)
        task.__pw_caller_frame__ = sys._getframe(1)
        task.add_done_callback(lambda t: _deliver(t, done))
        self._tasks.append(task)
        return task

    def send_cdp_first(self, cdp: Any, method: str, params: dict[str, Any]) -> None:
        """Send one CDP command before the Playwright call being made goes out, not waiting for
        its answer; for a listener of that call (see ``typing_pause``).

        ``send`` starts a task, whose message leaves only after the current call's; the
        session's channel sends as it is called. Falls back to ``send``.
        """
        impl = getattr(cdp, "_impl_obj", None)
        channel = getattr(impl, "_channel", None)
        reply = None
        if channel is not None:
            try:  # internal, like uxmon's other calls: not traced, not heard by call listeners
                reply = _internal(impl, lambda: channel.send(method=method, params=params, timeout=0))
            except TypeError:  # the channel changed shape
                reply = None
        if reply is None:
            self.send(cdp, "send", (method, params), lambda result, exc: None, impl_extra=(None,))
            return
        task = asyncio.ensure_future(reply)
        task.add_done_callback(lambda t: t.cancelled() or t.exception())
        self._tasks.append(task)

    def _call_now(self, sync_obj: Any, method: str, args: tuple[Any, ...], done: Done) -> None:
        try:
            result = getattr(sync_obj, method)(*args)
        except Exception as exc:  # noqa: BLE001 - handed to the callback like a failed task
            done(None, exc)
        else:
            done(result, None)

    def wait_for(self, sync_obj: Any, task: asyncio.Task[Any] | None, timeout: float) -> None:
        """Wait for one background call (at most ``timeout`` seconds)."""
        if task is not None and not task.done():
            self._wait(sync_obj, [task], timeout)

    def settle(self, sync_obj: Any, timeout: float = 0.5) -> None:
        """Give started calls ``timeout`` seconds to finish, then cancel what is left.

        A capture asked for while a page was being replaced may never be answered; nothing
        of the run waits on it.
        """
        pending = [t for t in self._tasks if not t.done()]
        self._tasks = []
        if pending:
            self._wait(sync_obj, pending, timeout)
        for task in pending:
            if not task.done():
                task.cancel()

    @staticmethod
    def _wait(sync_obj: Any, tasks: list[asyncio.Task[Any]], timeout: float) -> None:
        try:
            sync_obj._sync(asyncio.wait(tasks, timeout=timeout))
        except Exception:  # noqa: BLE001 - a closed page ends its calls; nothing to wait for
            pass


def _internal(impl: Any, make: Callable[[], Coroutine[Any, Any, Any]]) -> Coroutine[Any, Any, Any]:
    """``make()`` as one of Playwright's internal calls: no stack captured for it, nothing of
    it in the run's trace (a trace holds the scenario's calls, not uxmon's 30 screencast
    acknowledgements a run), about 1 ms of the Python thread saved per call while tracing."""
    wrap = getattr(impl, "_wrap_api_call", None)
    if wrap is None or _ApiCallOptions is None:
        return make()
    return wrap(lambda zone: make(), _ApiCallOptions(internal=True))


def _deliver(task: asyncio.Task[Any], done: Done) -> None:
    if task.cancelled():
        done(None, asyncio.CancelledError())
        return
    exc = task.exception()
    done(None if exc else task.result(), exc)
