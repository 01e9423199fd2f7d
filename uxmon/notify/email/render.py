"""The digest as HTML mail clients render (inlined CSS, one 600 px table) and as plain text.

Both come from the same :class:`Digest` through their own templates; the HTML is checked
against the size Gmail shows unclipped, and journeys are left out (most quiet last) until
it fits.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import replace
from functools import cache
from importlib.resources import files

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from ...report.compiled import template_cache
from .model import Digest, Problem
from .words import change, notable, number, plural

MAX_HTML_BYTES = 90_000   # Gmail clips near 102 KB; keep a margin
LIST_LIMIT = 8            # new / fixed problems listed by name
WIDTH = 76                # plain-text lines
LABELS = {"daily": ("today", "the day before"), "weekly": ("this week", "the week before"),
          "fortnightly": ("these two weeks", "the two weeks before"),
          "monthly": ("this month", "the month before"), "report": ("this batch", "the batch before")}
# Invisible characters after the preheader, so clients do not fill the preview with body text.
PADDING = "&#847;&zwnj;&nbsp;" * 40


_INDENT = re.compile(r"\n[ \t]+")  # the templates' indentation: bytes Gmail would count


class TooBig(ValueError):
    """Even with journeys left out, the HTML is over the size budget."""


def labels(kind: str) -> dict[str, str]:
    now, before = LABELS.get(kind, ("this period", "the period before"))
    return {"now": now, "before": before}


def hit_words(problem: Problem) -> str:
    runs = f"In {problem.runs_hit} of {plural(problem.runs_checked, 'run')}"
    if not problem.clicks and problem.seconds < 0.05:
        return f"{runs}, right at the start of the journey."
    return f"{runs}; customers had made {plural(problem.clicks, 'click')} and spent " \
           f"{problem.seconds:.1f} s before it."


def kind_title(kind: str) -> str:
    return "uxmon report" if kind == "report" else f"uxmon {kind}"


def wrap(text: str, indent: str = "") -> str:
    """Plain-text lines of at most WIDTH characters; leading spaces of the first line are kept."""
    return "\n".join(textwrap.wrap(text, WIDTH, subsequent_indent=indent, break_long_words=False,
                                   break_on_hyphens=False))


@cache
def environment(html: bool) -> Environment:
    env = Environment(loader=PackageLoader("uxmon.notify.email", "templates"),
                      autoescape=select_autoescape(["html"], default=False) if html else False,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      bytecode_cache=template_cache("email-html" if html else "email-text"))
    env.filters.update(number=number, change=change, hit_words=hit_words, kind_title=kind_title, wrap=wrap)
    env.tests["notable"] = notable
    return env


@cache
def _css() -> str:
    return (files("uxmon.notify.email") / "templates" / "email.css").read_text(encoding="utf-8")


def _context(digest: Digest) -> dict[str, object]:
    return {"d": digest, "labels": labels(digest.kind), "list_limit": LIST_LIMIT,
            "new_prints": {fp for p in digest.changes.new for fp in p.fingerprints}}


def render_text(digest: Digest) -> str:
    text = environment(False).get_template("digest.txt").render(**_context(digest))
    return text.strip() + "\n"


def render_html(digest: Digest, budget: int = MAX_HTML_BYTES) -> str:
    """Inlined HTML within ``budget`` bytes: if needed, as many journeys as fit (failing ones
    come first), and a line saying how many more the report has."""
    html = _inlined(digest)
    if len(html.encode("utf-8")) <= budget:
        return html
    fits, low, high = None, 0, len(digest.journeys) - 1
    while low <= high:  # the most journeys that fit
        keep = (low + high) // 2
        tried = _inlined(replace(digest, journeys=digest.journeys[:keep],
                                 hidden_journeys=len(digest.journeys) - keep + digest.hidden_journeys))
        if len(tried.encode("utf-8")) <= budget:
            fits, low = tried, keep + 1
        else:
            high = keep - 1
    if fits is None:
        raise TooBig(f"the email's HTML is over {budget:,} bytes even without the journey table")
    return fits


def _inlined(digest: Digest) -> str:
    import css_inline

    page = environment(True).get_template("digest.html").render(css=_css(), padding=PADDING,
                                                                  **_context(digest))
    inliner = css_inline.CSSInliner(load_remote_stylesheets=False, keep_at_rules=True, minify_css=True)
    return _INDENT.sub("\n", inliner.inline(page))
