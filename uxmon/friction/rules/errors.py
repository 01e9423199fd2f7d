"""Errors the customer meets: script errors, failed requests, broken images (messages: messages.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from ...records import Evidence, Finding, RunRecord
from ..context import RuleContext, same_site
from ..registry import rule


@rule("js-error", "errors", "An uncaught JavaScript exception")
def js_error(run: RunRecord, ctx: RuleContext) -> Iterator[Finding]:
    for step in run.steps:
        for message in dict.fromkeys(e.message for e in step.errors):
            error = next(e for e in step.errors if e.message == message)
            yield ctx.finding(
                run, "js-error", "medium",
                f"A script on the page breaks at step {step.index} ({step.name})",
                step=step, target=message, at_ms=error.at_ms,
                detail=f"{message}. Parts of the page that depend on it may not work.",
                evidence=Evidence(text=message, at_ms=error.at_ms),
                cause=error.stack.splitlines()[0].strip() if error.stack else "")


@rule("failed-request", "errors", "A request to the site that fails or ends with an error status")
def failed_request(run: RunRecord, ctx: RuleContext) -> Iterator[Finding]:
    for step in run.steps:
        seen: set[tuple[str, object]] = set()
        for request in step.requests:
            if not request.failed or not same_site(request.url, run.base_url):
                continue
            key = (request.url.split("?")[0], request.status or request.failure)
            if key in seen:
                continue
            seen.add(key)
            what = f"HTTP {request.status}" if request.status and request.status >= 400 else request.failure
            yield ctx.finding(
                run, "failed-request", "high" if (request.status or 0) >= 500 else "medium",
                f"{request.method} {_path(request.url)} fails ({what}) at step {step.index} ({step.name})",
                step=step, target=f"{request.method} {key[0]} {what}", at_ms=request.at_ms,
                evidence=Evidence(url=request.url, text=str(what), at_ms=request.at_ms))


@rule("console-error", "errors", "An error written to the browser console")
def console_error(run: RunRecord, ctx: RuleContext) -> Iterator[Finding]:
    for step in run.steps:
        for text in dict.fromkeys(c.text for c in step.console):
            message = next(c for c in step.console if c.text == text)
            yield ctx.finding(
                run, "console-error", "low",
                f"The browser console reports an error at step {step.index} ({step.name})",
                step=step, target=text[:120], at_ms=message.at_ms, detail=text[:500],
                evidence=Evidence(text=text[:500], url=_source_url(message.location),
                                  at_ms=message.at_ms))


def _source_url(location: str) -> str:
    """'https://x/app.js:12:5' -> 'https://x/app.js'; a port is not a line number."""
    match = re.fullmatch(r"(.+?)(?::\d+){1,2}", location)
    if match is None or ("://" in match.group(1) and "/" not in match.group(1).split("://", 1)[1]):
        return location
    return match.group(1)


@rule("broken-image", "errors", "An image that does not load")
def broken_image(run: RunRecord, ctx: RuleContext) -> Iterator[Finding]:
    for step in run.steps:
        for image in {b.src: b for b in step.broken_images}.values():
            answer = next((r for r in step.requests if r.url == image.src and r.failed), None)
            why = (f"the server answered HTTP {answer.status}" if answer and answer.status
                   else (answer.failure if answer else ""))
            yield ctx.finding(
                run, "broken-image", "medium",
                f"An image is missing at step {step.index} ({step.name})",
                step=step, target=image.src.split("?")[0], at_ms=image.at_ms,
                detail=f"{image.src} did not load; customers see an empty frame or a broken icon.",
                evidence=Evidence(selector=image.selector, url=image.src, at_ms=image.at_ms),
                cause=why)


def _path(url: str) -> str:
    return urlsplit(url).path or url
