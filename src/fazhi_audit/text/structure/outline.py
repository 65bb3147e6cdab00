"""Split a report into its top-level parts and say which of the five each is.

Part headings are found by their number (一、 第一部分, or a broken marker
in that place) and, for reports that head their parts without numbers, by
wording, shape and position (parts.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from fazhi_audit.text.ingest.normalize import Line
from fazhi_audit.text.structure.headings import Heading, find_headings
from fazhi_audit.text.structure.parts import plain_part_headings, styled_subheadings
from fazhi_audit.text.structure.vocabulary import (
    PREAMBLE,
    SECTION_KINDS,
    SectionKind,
    SectionVocabulary,
    classify_content,
    classify_heading,
    classify_part,
    clean_heading,
)

__all__ = [
    "PREAMBLE",
    "SECTION_KINDS",
    "Section",
    "SectionKind",
    "SectionVocabulary",
    "build_outline",
    "classify_content",
    "classify_heading",
    "classify_part",
    "clean_heading",
]


@dataclass
class Section:
    kind: str
    heading: Heading | None
    start: int  # first line index of the part (its heading line)
    end: int  # one past the last line index
    how: str = "heading"  # heading | content | default

    @property
    def title(self) -> str:
        return self.heading.label if self.heading else ""


def _part_headings(lines: list[Line], body_start: int, headings: list[Heading], vocab: SectionVocabulary, year: int | None) -> list[Heading]:
    """The top-level headings: numbered ones, else plain ones by wording and shape."""
    numbered = [h for h in headings if h.level == 1]
    plain = plain_part_headings(lines, body_start, headings, vocab, year=year)
    named = [h for h in numbered if classify_part(h.text, vocab, year)[0]]
    if len(plain) >= 2 and len(named) < 2:
        # Parts headed by plain lines; 一、二、 inside them number items, not parts.
        return plain
    if numbered:
        # A Word "标题 1" paragraph, or a line reading like a part the numbers
        # do not give, is a part heading next to numbered ones.
        kinds = {classify_part(h.text, vocab, year)[0] for h in numbered}
        unnumbered = plain_part_headings(lines, body_start, headings, vocab, beside=kinds, year=year)
        return sorted(numbered + unnumbered, key=lambda h: h.index)
    return plain


def _broken_part_marker(h: Heading, vocab: SectionVocabulary, year: int | None) -> Heading:
    """A marker lost beyond reading (*、, 锟斤拷、) over a line that names a part is a part's marker."""
    if not h.malformed or h.number is not None or h.level == 1:
        return h
    text = h.source.text[len(h.marker) :].strip()
    if len(text) <= 40 and not re.search(r"[。;!?]", text) and classify_part(text, vocab, year)[0]:
        return replace(h, level=1, style="cn")
    return h


def build_outline(lines: list[Line], body_start: int, vocab: SectionVocabulary, year: int | None = None) -> tuple[list[Section], list[Heading]]:
    """Parts and headings; `year` is the report's, so a heading dated the year after reads as plans."""
    headings = [_broken_part_marker(h, vocab, year) for h in find_headings(lines, body_start)]
    tops = _part_headings(lines, body_start, headings, vocab, year)
    # Unnumbered part and sub-headings join the list: they end the runs of
    # numbers beneath them and head the sentences that follow.
    headings = sorted({h.index: h for h in headings + tops + styled_subheadings(lines, body_start, headings)}.values(), key=lambda h: h.index)
    sections: list[Section] = []
    if tops and tops[0].index > body_start:
        sections.append(Section(PREAMBLE, None, body_start, tops[0].index, "default"))
    for n, h in enumerate(tops):
        end = tops[n + 1].index if n + 1 < len(tops) else len(lines)
        kind, _ = classify_part(h.text, vocab, year)
        how = "heading"
        if kind is None:
            kind = classify_content(lines[h.index + 1 : end], vocab)
            how = "content" if kind else "default"
        sections.append(Section(kind or "extra", h, h.index, end, how))
    if not tops:
        # No recognisable parts: treat the body as one block of reported work,
        # so content is still credited while the structure rules fail.
        sections.append(Section("achievements", None, body_start, len(lines), "default"))
    return sections, headings
