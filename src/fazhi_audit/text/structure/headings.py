"""Find numbered headings (一、 / (一) / 1. / (1)) and inline 一是…二是… runs.

A broken marker (二）, *., mojibake; see malformed.py) still makes a heading:
the line is where a number should be, and the defect is recorded on it.

Text is already NFKC-normalised, so （一） arrives as (一) and 1． as 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from fazhi_audit.text import enumeration
from fazhi_audit.text.ingest.normalize import Line
from fazhi_audit.text.numerals import CN_NUMERAL_CHARS, cn_to_int
from fazhi_audit.text.structure.malformed import Fault, malformed_marker

_CN = f"[{CN_NUMERAL_CHARS}]{{1,3}}"
# (level, style name, pattern); the style tells runs of siblings apart.
_MARKERS: list[tuple[int, str, re.Pattern[str]]] = [
    # 一. before a digit is a decimal, unless a year follows (八．2019年工作打算)
    (1, "cn", re.compile(rf"^(?P<num>{_CN})\s*(?:、|\.(?!\d)|\.(?=\s*20\d{{2}}\s*年))")),
    (1, "part", re.compile(rf"^第(?P<num>{_CN})部分\s*[、.:]?")),
    (2, "paren-cn", re.compile(rf"^\((?P<num>{_CN})\)\s*")),
    (3, "arabic", re.compile(r"^(?P<num>\d{1,2})\s*[.、](?![\d%])\s*")),
    (4, "paren-arabic", re.compile(r"^\((?P<num>\d{1,2})\)\s*")),
]
_HEADING_TEXT_END = re.compile(r"[。;!?]")
_MAX_HEADING_CHARS = 60

# 一是 … 十是 opening an item (text/enumeration.py)
_INLINE = enumeration.INLINE


@dataclass(frozen=True)
class Heading:
    level: int
    style: str
    number: int | None
    marker: str
    text: str  # title without the marker
    index: int  # index into the normalised lines
    line: int  # original line number
    source: Line = field(compare=False, repr=False)  # the line it stands on, with its origin
    malformed: Fault | None = None  # what is wrong with a broken marker (二）, *., mojibake); None when sound

    @property
    def label(self) -> str:
        return f"{self.marker}{self.text}"

    @property
    def shown(self) -> str:
        """The label as written in the original line (（三）， stays full-width): what a reader finds with Ctrl-F."""
        line = self.source.text
        at = line.find(self.text, len(self.marker)) if self.text else -1
        end = at + len(self.text) if at >= 0 else len(self.marker)
        span = self.source.raw_span(0, end) if end > 0 else None
        return self.source.raw[span[0] : span[1]] if span else self.label


@dataclass(frozen=True)
class InlineItem:
    number: int
    marker: str
    index: int
    line: int
    offset: int


def heading_title(rest: str) -> str:
    """A heading line often carries its first paragraph: keep the title part."""
    m = _HEADING_TEXT_END.search(rest)
    title = rest[: m.start()] if m else rest
    return title[:_MAX_HEADING_CHARS].strip()


@lru_cache(maxsize=4096)  # outline and numbering checks both ask of every line, and a failed search for a garbled marker is slow
def _marker(text: str) -> tuple[int, str, int | None, int, Fault | None] | None:
    """Level, style, number, end and defect of the numbering marker a heading line opens with."""
    for level, style, pattern in _MARKERS:
        m = pattern.match(text)
        if m:
            return (level, style, cn_to_int(m.group("num")), m.end(), None) if text[m.end():].strip() else None
    broken = malformed_marker(text)
    if broken and text[broken.end:].strip():
        return broken.level, broken.style, broken.number, broken.end, broken.defect
    return None


def is_heading(text: str) -> bool:
    return _marker(text) is not None


def parse_heading(line: Line, index: int) -> Heading | None:
    found = _marker(line.text)
    if found is None:
        return None
    level, style, number, end, defect = found
    marker = line.text[:end].strip()
    return Heading(level, style, number, marker, heading_title(line.text[end:]), index, line.number, line, defect)


def find_headings(lines: list[Line], start: int = 0) -> list[Heading]:
    out = []
    for i in range(start, len(lines)):
        h = parse_heading(lines[i], i)
        if h:
            out.append(h)
    return out


def _inline_numbers(text: str):
    """(number, match) of each 一是/二是… item opening in text."""
    for m in _INLINE.finditer(text):
        n = cn_to_int(m.group("num"))
        if n is not None:
            yield n, m


def has_inline_items(text: str) -> bool:
    return next(_inline_numbers(text), None) is not None


def find_inline_items(line: Line, index: int) -> list[InlineItem]:
    return [InlineItem(n, m.group(0), index, line.number, m.start()) for n, m in _inline_numbers(line.text)]
