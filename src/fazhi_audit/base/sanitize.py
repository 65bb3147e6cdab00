"""Strip terminal control sequences from everything a report shows.

Report text and file names come from senders one does not trust. An ESC in a
title or a file name could recolour, move or retitle the reviewer's terminal,
so every string of a result loses its C0/C1 control characters (tabs and
newlines stay) before any formatter sees it.
"""

from __future__ import annotations

import dataclasses
import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    return _CONTROL.sub("", text) if _CONTROL.search(text) else text


def clean(value):
    """The same value with every string inside cleaned (dataclasses and lists in place).

    A value with nothing to clean comes back as the same object: a batch's
    results are walked once more in the main process, and rebuilding every
    tuple of every line made that walk a noticeable share of a batch."""
    if type(value) in _PLAIN:
        return value
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        for i, item in enumerate(value):
            cleaned = clean(item)
            if cleaned is not item:
                value[i] = cleaned
        return value
    if isinstance(value, tuple):
        cleaned = tuple(clean(v) for v in value)
        return value if all(a is b for a, b in zip(cleaned, value)) else cleaned
    if isinstance(value, dict):
        return {clean(k): clean(v) for k, v in value.items()}
    names = _shown_fields(type(value))
    if names is not None:
        for name in names:
            current = getattr(value, name)
            cleaned = clean(current)
            if cleaned is not current:
                object.__setattr__(value, name, cleaned)
        return value
    return value


_PLAIN = frozenset({type(None), bool, int, float})  # nothing inside to clean
_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _shown_fields(kind: type) -> tuple[str, ...] | None:
    """The fields of a dataclass that are shown (None for any other type), looked up once per class."""
    if kind not in _FIELDS:
        shown = None
        if dataclasses.is_dataclass(kind):
            # kept for the program (a parsed document), never shown as such
            shown = tuple(f.name for f in dataclasses.fields(kind) if f.metadata.get("sanitize") is not False)
        _FIELDS[kind] = shown
    return _FIELDS[kind]
