"""Split a report into its top-level parts and say which of the five each is.

Part headings are found by their number (一、 第一部分, or a broken marker
in that place) and, for reports that head their parts without numbers, by
wording, shape and position (parts.py).

A part is classed by its heading's words (rules/vocab/sections.yaml), else
by what it holds: many reports spread the work done over parts named after
the tasks of the 纲要 (一、聚焦职能转变，持续优化法治化营商环境), so a heading
naming a task of the theme map (outline.coverage) or a part that reports
work done is an achievements part; a heading joining two kinds
(存在的问题和下一步打算) is one part of the first kind that holds both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from fazhi_audit.text.ingest.normalize import Line
from fazhi_audit.text.structure.headings import Heading, find_headings
from fazhi_audit.text.structure.parts import (
    TOPIC_STYLE,
    plain_part_headings,
    styled_subheadings,
    topic_lines,
)
from fazhi_audit.text.structure.vocabulary import (
    PREAMBLE,
    SECTION_KINDS,
    SectionKind,
    SectionVocabulary,
    classify_content,
    classify_heading,
    classify_part,
    clean_heading,
    combined_kinds,
    has_cues,
    names_topic,
    reports_work_done,
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
    how: str = "heading"  # heading | topic | content | default
    combined: tuple[str, ...] = ()  # the kinds a part joining several holds, in order (存在的问题和下一步打算)
    # where, inside a joint part, the next kind's text starts: (line index, offset in the line, kind)
    turns: tuple[tuple[int, int, str], ...] = ()

    @property
    def title(self) -> str:
        """The heading as written in the original (full-width marks kept), for display."""
        return self.heading.shown if self.heading else ""

    def holds(self, kind: str) -> bool:
        return self.kind == kind or kind in self.combined

    def kind_at(self, index: int, offset: int = 0) -> str:
        """The kind of the text at a place in the part: a joint part turns from problems to plans."""
        kind = self.kind
        for at, start, turned in self.turns:
            if (index, offset) >= (at, start):
                kind = turned
        return kind


def _part_headings(lines: list[Line], body_start: int, headings: list[Heading], vocab: SectionVocabulary, year: int | None) -> list[Heading]:
    """The top-level headings: numbered ones, else plain ones by wording and shape."""
    numbered = [h for h in headings if h.level == 1]
    plain = plain_part_headings(lines, body_start, headings, vocab, year=year)
    named = [h for h in numbered if classify_part(h.text, vocab, year)[0]]
    if len(plain) >= 2 and len(named) < 2:
        # Parts headed by plain lines; 一、二、 inside them number items, not parts.
        return _with_topic_lines(lines, body_start, plain, headings, vocab, year)
    if numbered:
        # A Word "标题 1" paragraph, or a line reading like a part the numbers
        # do not give, is a part heading next to numbered ones.
        kinds = {classify_part(h.text, vocab, year)[0] for h in numbered}
        unnumbered = plain_part_headings(lines, body_start, headings, vocab, beside=kinds, year=year)
        return sorted(numbered + unnumbered, key=lambda h: h.index)
    return _with_topic_lines(lines, body_start, plain, headings, vocab, year)


def _with_topic_lines(lines: list[Line], body_start: int, plain: list[Heading], headings: list[Heading], vocab: SectionVocabulary, year: int | None) -> list[Heading]:
    """Plain part headings that give no achievements part: the short standalone
    lines above them (强化学法用法 提升依法履职能力) head the topics of the work done."""
    if not plain or any(classify_part(h.text, vocab, year)[0] == "achievements" for h in plain):
        return plain
    topics = topic_lines(lines, body_start, plain[0].index, {h.index for h in headings})
    return sorted(topics + plain, key=lambda h: h.index) if len(topics) >= 2 else plain


def _nest_under_parts(headings: list[Heading]) -> list[Heading]:
    """第一部分 … 第五部分 with 一、 beneath them: the 一、 headings are the second level."""
    if sum(1 for h in headings if h.style == "part") < 2:
        return headings
    return [h if h.style == "part" else replace(h, level=h.level + 1) for h in headings]


_SLOGAN_WORD_KINDS = ("shortcomings", "plans")
_NEXT_YEAR_WORDS = ("下一", "下步", "明年", "今后")


def _says_so(kind: str, heading: str, body: list[Line], vocab: SectionVocabulary, year: int | None) -> bool:
    """The part is what its heading's word says: problems put as problems (有待, 不够), or plans
    for the next year by name (下一步, 2025年); a narrative of work done says 持续推进 as well."""
    if kind == "shortcomings":
        return has_cues(body, kind, vocab)
    return any(w in heading for w in _NEXT_YEAR_WORDS) or (year is not None and str(year + 1) in heading)


def classify_top(h: Heading, body: list[Line], vocab: SectionVocabulary, year: int | None) -> tuple[str, str, tuple[str, ...]]:
    """Kind of a top-level part, how it was told (heading | topic | content | default), and the kinds a joint part holds."""
    joined = combined_kinds(h.text, vocab)
    if len(joined) >= 2:
        return joined[0], "heading", joined
    kind, _ = classify_part(h.text, vocab, year)
    if kind in _SLOGAN_WORD_KINDS and names_topic(h.text, vocab) and reports_work_done(body, vocab, tie=True) and not _says_so(kind, h.text, body, vocab, year):
        # a task's slogan that happens to hold such a word (解决群众急难愁盼问题) over work done, no problem or plan in it
        return "achievements", "topic", ()
    if kind:
        return kind, "heading", ()
    if names_topic(h.text, vocab) or h.style == TOPIC_STYLE:
        return "achievements", "topic", ()
    kind = classify_content(body, vocab)
    if kind:
        return kind, "content", ()
    if reports_work_done(body, vocab):
        return "achievements", "content", ()
    return "extra", "default", ()


def _broken_part_marker(h: Heading, vocab: SectionVocabulary, year: int | None) -> Heading:
    """A marker lost beyond reading (*、, 锟斤拷、) over a line that names a part is a part's marker."""
    if not h.malformed or h.number is not None or h.level == 1:
        return h
    text = h.source.text[len(h.marker) :].strip()
    if len(text) <= 40 and not re.search(r"[。;!?]", text) and classify_part(text, vocab, year)[0]:
        return replace(h, level=1, style="cn")
    return h


_SENTENCE_START = re.compile(r"(?:^|(?<=[。;!?]))\s*")
_ITEM_MARK = re.compile(r"^[(（]?[一二三四五六七八九十\d]+[)）、.]?\s*")


def _turns(lines: list[Line], start: int, end: int, kinds: tuple[str, ...], headings: list[Heading], vocab: SectionVocabulary) -> tuple[tuple[int, int, str], ...]:
    """Where each later kind of a joint part begins: at a sub-heading of that kind
    ((二)下一步打算), else at the first sentence that opens with its words
    (下一步，我局将……) in a paragraph that lists the problems first."""
    out: list[tuple[int, int, str]] = []
    subs = {h.index: h for h in headings if start <= h.index < end and h.level > 1}
    for kind in kinds[1:]:
        words = next((k.keywords for k in vocab.kinds if k.name == kind), [])
        after = out[-1][:2] if out else (start, 0)
        found = None
        for i in range(after[0], end):
            h = subs.get(i)
            if h is not None and classify_heading(h.text, vocab)[0] == kind:
                found = (i, 0, kind)
                break
            for m in _SENTENCE_START.finditer(lines[i].text):
                if (i, m.end()) <= after or m.end() >= len(lines[i].text):
                    continue
                opening = _ITEM_MARK.sub("", lines[i].text[m.end() : m.end() + 12])
                if any(opening.startswith(w) for w in words):
                    found = (i, m.end(), kind)
                    break
            if found:
                break
        if found:
            out.append(found)
    return tuple(out)


def build_outline(
    lines: list[Line], body_start: int, vocab: SectionVocabulary, year: int | None = None, text_end: int | None = None
) -> tuple[list[Section], list[Heading]]:
    """Parts and headings; `year` is the report's, so a heading dated the year after reads as plans.

    text_end: where the signature block (落款) starts; it belongs to no part.
    """
    lines = lines[:text_end] if text_end is not None else lines
    headings = _nest_under_parts([_broken_part_marker(h, vocab, year) for h in find_headings(lines, body_start)])
    tops = _part_headings(lines, body_start, headings, vocab, year)
    # Unnumbered part and sub-headings join the list: they end the runs of
    # numbers beneath them and head the sentences that follow.
    headings = sorted({h.index: h for h in headings + tops + styled_subheadings(lines, body_start, headings)}.values(), key=lambda h: h.index)
    sections: list[Section] = []
    if tops and tops[0].index > body_start:
        sections.append(Section(PREAMBLE, None, body_start, tops[0].index, "default"))
    for n, h in enumerate(tops):
        end = tops[n + 1].index if n + 1 < len(tops) else len(lines)
        kind, how, joined = classify_top(h, lines[h.index + 1 : end], vocab, year)
        turns = _turns(lines, h.index + 1, end, joined, headings, vocab) if joined else ()
        sections.append(Section(kind, h, h.index, end, how, joined, turns))
    if not tops:
        # No recognisable parts: treat the body as one block of reported work,
        # so content is still credited while the structure rules fail.
        sections.append(Section("achievements", None, body_start, len(lines), "default"))
    return sections, headings
