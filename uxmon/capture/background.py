"""Playwright calls that run while the scenario goes on, so evidence never slows the journey.

The sync API blocks on every call. A screenshot at each step end would add its encoding time
to the journey being measured; instead the call is started as a task on Playwright's own
event loop and finishes while the scenario's next calls run. This reaches into Playwright's
implementation objects (``_impl_obj``, ``_loop``); if those ever change, every call falls
back to the plain blocking API, which is slower but correct.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Coroutine
from typing import Any

Done = Callable[[Any, BaseException | None], None]


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
            coro: Coroutine[Any, Any, Any] = getattr(impl, method)(*args, *impl_extra)
        except TypeError:  # the implementation changed shape: do it the slow, public way
            self.blocking = False
            self._call_now(sync_obj, method, args, done)
            return None
        task = loop.create_task(coro)
        task.__pw_caller_frame__ = sys._getframe(1)
        task.add_done_callback(lambda t: _deliver(t, done))
        self._tasks.append(task)
        return task

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


def _deliver(task: asyncio.Task[Any], done: Done) -> None:
    if task.cancelled():
        done(None, asyncio.CancelledError())
        return
    exc = task.exception()
    done(None if exc else task.result(), exc)
