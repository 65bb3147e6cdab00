"""File names as they may be shown or written out.

On Linux a file name is bytes; Python turns bytes that are not valid UTF-8
(common in zips made on Chinese Windows, whose names are GBK) into lone
surrogates, which no UTF-8 output can encode. Everything a user sees or a
formatter writes goes through display_path; the original string is kept for
opening the file.
"""

from __future__ import annotations

import os

REPLACEMENT = "\ufffd"


def display_path(p: str | os.PathLike) -> str:
    """`p` with every undecodable byte shown as U+FFFD (�)."""
    text = os.fspath(p)
    if isinstance(text, bytes):
        return text.decode("utf-8", "replace")
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        # surrogateescape turns the original bytes back; "replace" then marks each bad one
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a surrogate that did not come from a file name
        return "".join(REPLACEMENT if "\ud800" <= ch <= "\udfff" else ch for ch in text)
