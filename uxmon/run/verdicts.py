"""The verdict of one run, worded for the reader: which page never came, which host never resolved.

``records.outcomes`` decides from what the scenario raised; this adds what only the run knows
(the requests still open, whether the host name resolves at all).
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Sequence
from urllib.parse import urljoin, urlsplit

from ..records import Request
from ..records.outcomes import Verdict


def with_pending_page(verdict: Verdict, requests: Sequence[Request], base_url: str) -> Verdict:
    """A run that timed out says which page it was still waiting for, if any.

    Playwright's own message for a click whose page never arrives talks about the element;
    the page that never finished loading is what the reader needs. A site that never answered
    at all is unreachable, and a host name that does not resolve is named as such however
    slowly the browser gave up on it.
    """
    pending = [r for r in requests
               if r.resource_type == "document" and r.duration_ms is None and not r.failure]
    if verdict.error_kind == "unreachable" and verdict.reason.startswith("the site did not answer"):
        url = pending[-1].url if pending else (urljoin(base_url, "/") if base_url else "the site")
        host = urlsplit(url).hostname
        if host and resolves(host) is False:
            return Verdict("error", "unreachable", f"could not reach {url}: the host name does not "
                           "resolve (net::ERR_NAME_NOT_RESOLVED)")
        detail = verdict.reason.removeprefix("the site did not answer: nothing came back")
        return Verdict("error", "unreachable",
                       f"the site did not answer: {url} took the request but sent nothing back{detail}")
    if verdict.error_kind not in ("run_timeout", "timeout") or not pending:
        return verdict
    if verdict.error_kind == "run_timeout":
        return Verdict(verdict.outcome, verdict.error_kind,
                       f"{verdict.reason}: {pending[-1].url} never finished loading")
    return Verdict(verdict.outcome, verdict.error_kind,
                   f"{pending[-1].url} never finished loading. {verdict.reason}")


def resolves(host: str, timeout_s: float = 5.0) -> bool | None:
    """Whether ``host`` resolves: None when the resolver did not say within ``timeout_s``."""
    answer: list[bool] = []

    def look() -> None:
        try:
            socket.getaddrinfo(host, None)
            answer.append(True)
        except socket.gaierror:
            answer.append(False)
        except OSError:
            pass

    thread = threading.Thread(target=look, daemon=True)
    thread.start()
    thread.join(timeout_s)
    return answer[0] if answer else None
