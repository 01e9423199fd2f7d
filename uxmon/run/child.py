"""A worker process (``python -m uxmon.run.child``): imports scenario files, runs the jobs it is sent.

Its own process, so a scenario that hangs, leaks or calls ``os._exit`` can be stopped or lost
without the batch; its own session (the parent starts it so), so the terminal's Ctrl-C reaches
only the batch, which decides how runs in flight end. The protocol travels on the process's
original stdout; scenario ``print()`` output goes to stderr. When the batch process is gone
(its pipe closes), the worker kills its browser and exits.
"""

from __future__ import annotations

import os
import queue
import sys
import threading
from pathlib import Path
from typing import IO, Any

from ..authoring.scenarios import Scenario, load_file
from .execute import RunSettings, error_record
from .plan import Job
from .protocol import JobSpec, receive, send
from .worker import Worker, kill_browser, new_marker, warm_up


class Scenarios:
    """Scenario files imported once per worker, looked up by file and name."""

    def __init__(self) -> None:
        self._files: dict[str, dict[str, Scenario] | str] = {}

    def find(self, spec: JobSpec) -> Scenario | str:
        """The scenario, or why it cannot be run here."""
        if not spec.file:
            return f"scenario '{spec.name}' has no file a worker process can import"
        if spec.file not in self._files:
            loaded, error = load_file(Path(spec.file))
            self._files[spec.file] = str(error) if error else {s.name: s for s in loaded}
        found = self._files[spec.file]
        if isinstance(found, str):
            return f"the scenario file did not load in the worker: {found}"
        return found.get(spec.name) or f"scenario '{spec.name}' is no longer in {spec.file}"


def main() -> None:
    out: IO[bytes] = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # what scenarios print must not corrupt the protocol
    sys.stdout = sys.stderr
    lock = threading.Lock()

    def emit(*message: object) -> None:
        with lock:
            send(out, *message)

    marker = new_marker()
    inbox: queue.Queue[tuple[Any, ...]] = queue.Queue()
    threading.Thread(target=_listen, args=(inbox, marker), daemon=True).start()
    # The browser starts before the batch says what to run: the batch may still be planning.
    warm = warm_up(marker)
    hello = inbox.get()
    settings, headless = hello[1], hello[2]
    worker = Worker(settings, emit, headless, marker=marker)
    scenarios = Scenarios()
    worker.serve(lambda: _next(inbox, scenarios, settings, emit), warm)
    out.flush()
    sys.stderr.flush()
    # Not a normal interpreter exit: the listener thread is blocked reading stdin, and
    # finalising while it holds the buffer's lock is a fatal error in CPython.
    os._exit(0)


def _listen(inbox: queue.Queue[tuple[Any, ...]], marker: str) -> None:
    """The hello, jobs and stop requests from the batch; a closed pipe means the batch is gone
    (or never came: a spare worker nobody took)."""
    try:
        while True:
            inbox.put(receive(sys.stdin.buffer))
    except EOFError:
        kill_browser(marker)
        os._exit(1)


def _next(inbox: queue.Queue[tuple[Any, ...]], scenarios: Scenarios, settings: RunSettings,
          emit: object) -> Job | None:
    """The next runnable job; one whose scenario cannot be found is answered with an error."""
    while (message := inbox.get())[0] == "job":
        spec: JobSpec = message[1]
        found = scenarios.find(spec)
        if isinstance(found, Scenario):
            return Job(spec.run_id, found, spec.viewport, spec.repeat, spec.timeout_s, spec.retries)
        placeholder = Scenario(spec.name, _missing, file=spec.file)
        job = Job(spec.run_id, placeholder, spec.viewport, spec.repeat, spec.timeout_s, spec.retries)
        emit("attempt", spec.run_id, 1)  # type: ignore[operator]
        emit("done", error_record(job, settings, found, "scenario_error"))  # type: ignore[operator]
    return None


def _missing(journey: object) -> None:  # pragma: no cover - never run: only names the scenario
    raise RuntimeError("missing scenario")


if __name__ == "__main__":
    main()
