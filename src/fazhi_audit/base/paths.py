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


_LINE_BREAKING = {0x85, 0x2028, 0x2029}
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def line_path(p: str | os.PathLike) -> str:
    """display_path with control characters escaped (\\n, \\x1b, \\u2028 …) and backslashes doubled.

    A file name may hold a newline; in a one-line-per-finding format it
    would start a forged finding line of its own."""
    text = display_path(p)
    if not any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F or ord(ch) in _LINE_BREAKING or ch == "\\" for ch in text):
        return text
    out = []
    for ch in text:
        code = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch in _NAMED:
            out.append(_NAMED[ch])
        elif code < 32 or 0x7F <= code <= 0x9F:
            out.append(f"\\x{code:02x}")
        elif code in _LINE_BREAKING:
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)
