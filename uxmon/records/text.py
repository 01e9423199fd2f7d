"""Site text made safe to keep, write and show: no lone surrogates, no control characters.

A site's JavaScript can cut an emoji in half (a lone UTF-16 surrogate, which no UTF-8 writer
accepts) or put terminal escapes and NUL bytes in a title, an alert or an error. Everything
the browser hands over is cleaned once, at the capture edge, with :func:`clean_tree`; writers
of other formats apply their own last filter (:func:`xml_safe`, :func:`terminal_safe`).
"""

from __future__ import annotations

import re
from typing import Any

REPLACEMENT = "\ufffd"
_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 controls except tab and newline, DEL, and C1 controls (CSI and friends start escapes too).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# What XML 1.0 allows, minus what _CONTROL already removed; also the non-characters U+FFFE/F.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean(text: str) -> str:
    """Lone surrogates become U+FFFD; control characters (terminal escapes, NUL) are dropped.

    Carriage returns become newlines, so a message keeps its line breaks.
    """
    if text.isascii() and text.isprintable():
        return text
    text = _SURROGATE.sub(REPLACEMENT, text).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text)


def clean_tree(value: Any) -> Any:
    """The same JSON-like value (dicts, lists, strings) with every string :func:`clean`."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {clean(k) if isinstance(k, str) else k: clean_tree(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_tree(v) for v in value]
    return value


def xml_safe(text: str) -> str:
    """Only characters XML 1.0 allows (CI systems reject a junit.xml with any other)."""
    return _NOT_XML.sub(REPLACEMENT, clean(text))


def terminal_safe(text: str) -> str:
    """Text for a terminal or a CI log: control characters shown as ``\\x1b``, never obeyed."""
    text = _SURROGATE.sub(REPLACEMENT, text)
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text.replace("\r\n", "\n"))
