"""Site text made safe for the places the gate writes it: one line, Markdown, workflow commands.

Finding titles, reasons and step names come from the site under test: they may hold control
characters, broken Unicode, Markdown or HTML, and the ``%``, ``::`` and ``,`` that GitHub's
workflow commands give a meaning to.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_SPACES = re.compile(r"\s+")
_MARKDOWN = re.compile(r"([\\`*_\[\]|~#])")


def one_line(text: str, limit: int = 300) -> str:
    """Printable, on one line, at most ``limit`` characters (an ellipsis says it was cut)."""
    text = text.encode("utf-8", "replace").decode("utf-8")  # lone surrogates become '?'
    text = _SPACES.sub(" ", _CONTROL.sub(" ", text)).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def markdown(text: str, limit: int = 300) -> str:
    """Plain text inside Markdown (a table cell, a list item): nothing in it is markup."""
    escaped = one_line(text, limit).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # A word joiner after '@' keeps site text from mentioning people in a pull request.
    return _MARKDOWN.sub(r"\\\1", escaped).replace("@", "@\u2060")


def command_data(text: str) -> str:
    """The message of a workflow command (``::error ...::message``), as @actions/core escapes it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def command_property(text: str) -> str:
    """A property value of a workflow command (``file=``, ``title=``)."""
    return command_data(text).replace(":", "%3A").replace(",", "%2C")
