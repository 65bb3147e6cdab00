"""Numbering defects: skipped or repeated numbers, unnumbered sub-headings.

Checks three kinds of runs: numbered headings per level within their parent,
inline 一是…二是… items within one block of text, and a heading-shaped line
without a number amid numbered sibling sub-headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..ingest.normalize import Line
from ..numerals import int_to_cn
from .headings import Heading, find_inline_items, has_inline_items, is_heading, parse_heading


@dataclass(frozen=True)
class NumberingDefect:
    kind: str  # skipped | repeated | unnumbered | disordered
    line: int
    message: str
    text: str


def _fmt(h: Heading, n: int) -> str:
    cn = int_to_cn(n)
    return {
        "cn": f"{cn}、",
        "part": f"第{cn}部分",
        "paren-cn": f"({cn})",
        "arabic": f"{n}.",
        "paren-arabic": f"({n})",
    }.get(h.style, str(n))


def _sequence_defect(prev: int, cur: int, expect_label: str, cur_label: str, line: int, text: str) -> NumberingDefect | None:
    if cur == prev + 1:
        return None
    if cur == prev:
        return NumberingDefect("repeated", line, f"重复：“{cur_label}”出现两次", text)
    if cur > prev + 1:
        return NumberingDefect("skipped", line, f"跳号：应为“{expect_label}”，实为“{cur_label}”", text)
    return NumberingDefect("disordered", line, f"顺序错误：应为“{expect_label}”，实为“{cur_label}”", text)


def heading_defects(headings: list[Heading]) -> list[NumberingDefect]:
    defects = []
    last: dict[int, Heading] = {}
    for h in headings:
        for deeper in [lvl for lvl in last if lvl > h.level]:
            del last[deeper]
        if h.number is None:
            continue
        prev = last.get(h.level)
        if prev is not None and prev.style == h.style and h.number != 1:
            d = _sequence_defect(prev.number or 0, h.number, _fmt(h, (prev.number or 0) + 1), h.marker, h.line, h.label)
            if d:
                defects.append(d)
        elif prev is None and h.number > 1 and h.level > 1 and h.number <= 3:
            # A run that opens at (二) or (三) lost its first item.
            defects.append(NumberingDefect("skipped", h.line, f"跳号：本层应从“{_fmt(h, 1)}”开始，实为“{h.marker}”", h.label))
        last[h.level] = h
    return defects


def inline_defects(lines: list[Line], start: int) -> list[NumberingDefect]:
    """一是…二是… runs; lists nest (an item may hold its own 一是…三是)."""
    defects = []
    runs: list[int] = []  # innermost last: the last number seen in each open run
    for i in range(start, len(lines)):
        if parse_heading(lines[i], i):
            runs = []
        for item in find_inline_items(lines[i], i):
            if item.number == 1:
                if item.offset == 0:
                    runs = []  # a paragraph opening with 一是 starts a new list
                runs.append(1)
                continue
            if not runs:
                continue
            # The number may continue an outer run once a nested list has ended.
            depth = next((d for d in range(len(runs) - 1, -1, -1) if runs[d] + 1 == item.number), None)
            if depth is not None:
                del runs[depth + 1 :]
                runs[depth] = item.number
                continue
            prev = runs[-1]
            d = _sequence_defect(prev, item.number, f"{int_to_cn(prev + 1)}是", item.marker, item.line, lines[i].text[item.offset : item.offset + 30])
            if d and d.kind != "disordered":
                defects.append(d)
            runs[-1] = item.number
    return defects


_OPENS_LIST = re.compile(r"^(一是|1\s*[.、]|\(1\))")


def _heading_shaped(text: str) -> bool:
    return 6 <= len(text) <= 40 and not text.endswith(":") and "如下" not in text and not has_inline_items(text)


def _introduces_block(text: str, following: str) -> bool:
    """A heading opens a list, or (without a full stop) sits over a paragraph."""
    if _OPENS_LIST.match(following):
        return True
    return not text.endswith(("。", ";", "!", "?")) and len(following) > 40 and not is_heading(following)


def unnumbered_defects(lines: list[Line], headings: list[Heading], sections) -> list[NumberingDefect]:
    """A sub-heading with no number where its numbered siblings have one."""
    defects = []
    heading_at = {h.index: h for h in headings}
    for section in sections:
        subs = [h for h in headings if h.level == 2 and section.start <= h.index < section.end]
        if not subs:
            continue
        # Siblings must themselves be heading-only lines that open a list.
        shaped = [h for h in subs if len(lines[h.index].text) <= 40 and h.index + 1 < section.end and _introduces_block(lines[h.index].text, lines[h.index + 1].text)]
        if not shaped:
            continue
        last_sub = None
        for i in range(subs[0].index, section.end):
            if i in heading_at:
                if heading_at[i].level == 2:
                    last_sub = heading_at[i]
                continue
            text = lines[i].text
            if last_sub and i + 1 < section.end and _heading_shaped(text) and _introduces_block(text, lines[i + 1].text):
                expected = _fmt(last_sub, (last_sub.number or 0) + 1)
                defects.append(NumberingDefect("unnumbered", lines[i].number, f"未编号的小标题：“{text}”位于“{last_sub.marker}”之后，应编为“{expected}”", text))
    return defects


def find_numbering_defects(lines: list[Line], headings: list[Heading], sections, body_start: int) -> list[NumberingDefect]:
    found = heading_defects(headings) + inline_defects(lines, body_start) + unnumbered_defects(lines, headings, sections)
    return sorted(found, key=lambda d: d.line)
