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
    """The same value with every string inside cleaned (dataclasses and lists in place)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        for i, item in enumerate(value):
            value[i] = clean(item)
        return value
    if isinstance(value, tuple):
        return tuple(clean(v) for v in value)
    if isinstance(value, dict):
        return {clean(k): clean(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            if f.metadata.get("sanitize") is False:
                continue  # kept for the program (a parsed document), never shown as such
            current = getattr(value, f.name)
            cleaned = clean(current)
            if cleaned is not current:
                object.__setattr__(value, f.name, cleaned)
        return value
    return value
