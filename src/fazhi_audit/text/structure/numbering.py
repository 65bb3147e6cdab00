"""Numbering defects: skipped or repeated numbers, broken markers, unnumbered sub-headings.

Checks three kinds of runs: numbered headings per level within their parent,
inline 一是…二是… items within one block of text, and a heading-shaped line
without a number amid numbered sibling sub-headings.

One defect, one finding: after a defect the run goes on from the number the
writer meant, so 1. 2. 2. 4. (the second 2. should be 3.) is one defect, not a
repeat and then a skip.  A broken marker (二）, *., mojibake) or an unnumbered
sub-heading stands for the number expected there.  Arabic items numbered on
across their parents ((一) 1. 2. (二) 3.) are a house style: one hint at most.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from fazhi_audit.text import enumeration
from fazhi_audit.text.ingest.normalize import Line
from fazhi_audit.text.structure.headings import (
    Heading,
    find_inline_items,
    has_inline_items,
    is_heading,
    parse_heading,
)
from fazhi_audit.text.structure.malformed import Fault, marker_text


@dataclass(frozen=True)
class NumberingDefect:
    kind: str  # skipped | repeated | unnumbered | disordered | malformed | continued
    line: int
    fault: Fault  # what to say about it (the numbering rule words it)
    text: str
    hint: bool = False  # a house style worth a note, not a defect


def _fmt(h: Heading, n: int) -> str:
    return marker_text(h.style, n)


def _sequence_defect(prev: int, cur: int, expect_label: str, cur_label: str, line: int, text: str) -> NumberingDefect | None:
    if cur == prev + 1:
        return None
    if cur == prev:
        return NumberingDefect("repeated", line, Fault.of("repeated", marker=cur_label), text)
    if cur > prev + 1:
        return NumberingDefect("skipped", line, Fault.of("skipped", expected=expect_label, marker=cur_label), text)
    return NumberingDefect("disordered", line, Fault.of("disordered", expected=expect_label, marker=cur_label), text)


def _resume(expected: int, written: int, following: int | None) -> int:
    """The number after a defective item: the following item decides what was meant.

    1. 2. 2. 4.: the second 2. stood for 3., so 4. is next; 1. 2. 2. 3.: it was
    an extra 2., so 3. is next.
    """
    if following is not None and following == expected + 1 and following != written + 1:
        return expected + 1
    return written + 1


def _sibling_runs(headings: list[Heading]) -> list[tuple[list[Heading], list[Heading] | None]]:
    """Runs of numbered headings of one level and style under one parent, each
    with the previous run of that level and style (for continued numbering)."""
    runs: list[tuple[list[Heading], list[Heading] | None]] = []
    open_runs: dict[int, list[Heading]] = {}
    previous: dict[tuple[int, str], list[Heading]] = {}
    for h in headings:
        for deeper in [lvl for lvl in open_runs if lvl > h.level]:
            del open_runs[deeper]
        if h.number is None and not h.malformed:
            continue  # an unnumbered heading (a part by wording or Word style) only closes deeper runs
        run = open_runs.get(h.level)
        if run and run[-1].style == h.style:
            run.append(h)
            continue
        run = [h]
        runs.append((run, previous.get((h.level, h.style))))
        open_runs[h.level] = run
        previous[(h.level, h.style)] = run
    return runs


def _last_number(run: list[Heading]) -> int:
    n = 0
    for h in run:
        n = h.number if h.number is not None else n + 1
    return n


def heading_defects(headings: list[Heading]) -> list[NumberingDefect]:
    defects: list[NumberingDefect] = []
    hinted = False
    for run, before in _sibling_runs(headings):
        expected = 1
        for i, h in enumerate(run):
            following = run[i + 1].number if i + 1 < len(run) else None
            if h.malformed:
                defects.append(NumberingDefect("unnumbered" if not h.marker else "malformed", h.line, h.malformed, h.label))
                expected = (h.number if h.number is not None else expected) + 1
                continue
            n = h.number
            if i == 0:
                if before is not None and h.level >= 3 and n > 1 and n == _last_number(before) + 1:
                    if not hinted:  # a house style: said once, not per parent
                        hinted = True
                        fault = Fault.of("continued", first=_parent_label(headings, before[0]), second=_parent_label(headings, h), number=n)
                        defects.append(NumberingDefect("continued", h.line, fault, h.label, hint=True))
                elif n > 1 and h.level > 1 and n <= 3:
                    # A run that opens at (二) or (三) lost its first item.
                    defects.append(NumberingDefect("skipped", h.line, Fault.of("first_skipped", expected=_fmt(h, 1), marker=h.marker), h.label))
                expected = n + 1
                continue
            if n == 1 or n == expected:
                expected = n + 1
                continue
            d = _sequence_defect(expected - 1, n, _fmt(h, expected), h.marker, h.line, h.label)
            if d:
                defects.append(d)
            expected = _resume(expected, n, following)
    return defects


def _parent_label(headings: list[Heading], h: Heading) -> str:
    """The marker (or title) of the heading h sits under; empty when it has none (worded by the rule)."""
    parent = next((p for p in reversed(headings) if p.index < h.index and p.level < h.level), None)
    if parent is None:
        return ""
    return parent.marker or parent.text


def inline_defects(lines: list[Line], start: int) -> list[NumberingDefect]:
    """一是…二是… runs; lists nest (an item may hold its own 一是…三是)."""
    # (item, starts a new list) in reading order; a heading line ends every list
    stream = []
    for i in range(start, len(lines)):
        reset = parse_heading(lines[i], i) is not None
        for item in find_inline_items(lines[i], i):
            stream.append((item, reset or (item.number == 1 and item.offset == 0), i))
            reset = False
        if reset:
            stream.append((None, True, i))
    defects = []
    runs: list[int] = []  # innermost last: the last number seen in each open run
    for k, (item, reset, i) in enumerate(stream):
        if reset:
            runs = []
        if item is None:
            continue
        if item.number == 1:
            runs.append(1)
            del runs[:-_MAX_NESTING]  # real lists nest two or three deep; the search below is O(depth)
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
        d = _sequence_defect(prev, item.number, enumeration.marker(prev + 1), item.marker, item.line, lines[i].text[item.offset : item.offset + 30])
        if d and d.kind != "disordered":
            defects.append(d)
        following = stream[k + 1][0] if k + 1 < len(stream) and not stream[k + 1][1] else None
        runs[-1] = _resume(prev + 1, item.number, following.number if following else None) - 1
    return defects


_MAX_NESTING = 8

_OPENS_LIST = re.compile(rf"^({enumeration.FIRST}|1\s*[.、]|\(1\))")


def _heading_shaped(text: str) -> bool:
    return 6 <= len(text) <= 40 and not text.endswith(":") and "如下" not in text and not has_inline_items(text)


def _introduces_block(text: str, following: str) -> bool:
    """A heading opens a list, or (without a full stop) sits over a paragraph."""
    if _OPENS_LIST.match(following):
        return True
    return not text.endswith(("。", ";", "!", "?")) and len(following) > 40 and not is_heading(following)


def unnumbered_headings(lines: list[Line], headings: list[Heading], sections) -> list[Heading]:
    """Sub-headings with no number where their numbered siblings have one.

    Each comes back as a level-2 heading standing for the number expected
    there, with the defect recorded on it.
    """
    found = []
    heading_at = {h.index: h for h in headings}
    # numbered sub-headings by position, cut per section with bisect: a list
    # rebuilt for every section is quadratic in a report of many parts
    numbered = sorted((h for h in headings if h.level == 2 and h.number is not None), key=lambda h: h.index)
    positions = [h.index for h in numbered]
    for section in sections:
        subs = numbered[bisect_left(positions, section.start) : bisect_left(positions, section.end)]
        if not subs:
            continue
        # Siblings must themselves be heading-only lines that open a list.
        shaped = [h for h in subs if len(lines[h.index].text) <= 40 and h.index + 1 < section.end and _introduces_block(lines[h.index].text, lines[h.index + 1].text)]
        if not shaped:
            continue
        last_sub = None
        for i in range(subs[0].index, section.end):
            if i in heading_at:
                if heading_at[i].level == 2 and heading_at[i].number is not None:
                    last_sub = heading_at[i]
                continue
            text = lines[i].text
            if last_sub and i + 1 < section.end and _heading_shaped(text) and _introduces_block(text, lines[i + 1].text):
                expected = _fmt(last_sub, (last_sub.number or 0) + 1)
                fault = Fault.of("unnumbered", text=text, after=last_sub.marker, expected=expected)
                found.append(Heading(2, last_sub.style, None, "", text, i, lines[i].number, lines[i], fault))
    return found


def find_numbering_defects(lines: list[Line], headings: list[Heading], sections, body_start: int) -> list[NumberingDefect]:
    unnumbered = unnumbered_headings(lines, headings, sections)
    merged = sorted(headings + unnumbered, key=lambda h: h.index)
    found = heading_defects(merged) + inline_defects(lines, body_start)
    return sorted(found, key=lambda d: d.line)
