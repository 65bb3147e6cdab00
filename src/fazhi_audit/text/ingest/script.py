"""Convert Traditional-script reports to Simplified so the rules can match.

Rules and lexicons are written in Simplified Chinese; a report published in
Traditional script (HK/Macao/Taiwan portals, or a converted copy) would miss
every keyword.  We convert line by line so line numbers stay valid, and keep
each original line on its LineOrigin, so evidence is shown as written.
"""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache

from fazhi_audit.text.ingest.raw import RawDocument

CONVERTED_NOTE = "已将繁体转换为简体进行检查"
# share of CJK characters that t2s changes: Simplified reports score ~0%,
# Traditional ones 35-40%
TRADITIONAL_RATIO = 0.1
MIN_CHANGED = 2

_CJK_CHAR = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@lru_cache(maxsize=1)
def _converter():
    # built once per process: it loads and indexes the dictionaries
    from opencc import OpenCC

    return OpenCC("t2s")


_CHANGED: dict[str, bool] = {}  # CJK character -> whether t2s changes it on its own (at most ~28,000)


def _learn(chars: set[str]) -> None:
    """Convert the characters not seen before in one call, a line each: one call per character cost a first report ~10 ms."""
    new = [ch for ch in chars if ch not in _CHANGED]
    if not new:
        return
    converted = _converter().convert("\n".join(new)).split("\n")  # no dictionary phrase spans a line break
    if len(converted) != len(new):
        converted = [_converter().convert(ch) for ch in new]
    _CHANGED.update((ch, to != ch) for ch, to in zip(new, converted))


def is_traditional(text: str) -> bool:
    cjk = _CJK_CHAR.findall(text)
    if not cjk:
        return False
    _learn(set(cjk))
    changed = sum(1 for ch in cjk if _CHANGED[ch])
    return changed >= MIN_CHANGED and changed >= TRADITIONAL_RATIO * len(cjk)


def to_simplified(text: str) -> str:
    return _converter().convert(text)


def convert_if_traditional(doc: RawDocument) -> RawDocument:
    """Return doc converted to Simplified when it is mostly Traditional."""
    if not is_traditional(doc.text):
        return doc
    lines = doc.text.split("\n")
    origins = [
        origin if origin.original is not None else dataclasses.replace(origin, original=line)
        for origin, line in zip(doc.line_origins(), lines)
    ]
    return dataclasses.replace(
        doc,
        text="\n".join(to_simplified(line) for line in lines),
        origins=origins,
        notes=[*doc.notes, CONVERTED_NOTE],
    )
