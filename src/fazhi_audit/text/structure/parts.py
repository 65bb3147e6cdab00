"""Part headings without a number: recognised by wording, shape and position.

Many reports head their five parts with plain lines of their own
(推进法治政府建设的主要举措和成效 / 存在的不足和原因 / …) while the （一）
sub-headings inside restart in each part; in .docx the part headings may be
Word "标题 1" paragraphs or bold paragraphs of their own, with no number in
the text.  Missing such a heading merges the plans part into the part before
it, and promised steps get counted as done, so the signals are read here:

- wording: the line classifies as a part by the vocabulary (sections.yaml);
- shape: a short line of its own, no sentence punctuation;
- siblings: when Word styles or bold paragraphs head some parts, only lines
  with the same signal are part headings (sub-headings have another style);
- position: a line across which the （一）（二） numbering runs on is inside a
  part, not a part heading (sub-headings restart at （一） in each part).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fazhi_audit.text.ingest.normalize import Line
from fazhi_audit.text.structure.headings import Heading, has_inline_items
from fazhi_audit.text.structure.vocabulary import (
    SectionVocabulary,
    classify_part,
    heading_similarity,
)

_SENTENCE_PUNCT = re.compile(r"[。;!?]")
MAX_PART_HEADING = 40  # characters; longer lines are text


@dataclass(frozen=True)
class _Candidate:
    heading: Heading
    styled: bool  # Word "标题 1" (outline level 1)
    bold: bool  # a bold paragraph of its own


def _shaped(text: str) -> bool:
    """A short line of its own without sentence punctuation."""
    return 2 <= len(text) <= MAX_PART_HEADING and not _SENTENCE_PUNCT.search(text)


def _candidates(lines: list[Line], body_start: int, numbered: set[int], vocab: SectionVocabulary, year: int | None) -> list[_Candidate]:
    out = []
    for i in range(body_start, len(lines) - 1):  # a part heading has a body after it
        if i in numbered:
            continue
        line = lines[i]
        text = line.text.rstrip(":")
        level = line.origin.heading
        if not _shaped(text) or (level is not None and level > 1):
            continue  # text, or a sub-heading by its Word style
        styled = level == 1
        kind, _ = classify_part(text, vocab, year)
        if not styled:
            if kind is None:
                continue
            if "," in text and heading_similarity(text, vocab)[1] < vocab.heading_threshold:
                continue  # a sub-heading such as 聚焦急难愁盼问题,提升服务水平, not a listed part heading
        out.append(_Candidate(Heading(1, "none", None, "", text, i, line.number, line), styled, line.origin.bold))
    return out


def _same_shape(candidates: list[_Candidate]) -> list[_Candidate]:
    """Siblings carry the same signal: keep the strongest one that is used."""
    if any(c.styled for c in candidates):
        return [c for c in candidates if c.styled]
    if any(c.bold for c in candidates):
        return [c for c in candidates if c.bold]
    return candidates


def _numbering_runs_across(index: int, headings: list[Heading]) -> bool:
    """The （一）（二） run goes on across this line: it sits inside a part."""
    subs = [h for h in headings if h.level == 2 and h.number is not None]
    before = next((h for h in reversed(subs) if h.index < index), None)
    after = next((h for h in subs if h.index > index), None)
    return before is not None and after is not None and before.style == after.style and after.number == before.number + 1


def plain_part_headings(
    lines: list[Line],
    body_start: int,
    headings: list[Heading],
    vocab: SectionVocabulary,
    beside: set[str] | None = None,
    year: int | None = None,
) -> list[Heading]:
    """Unnumbered part headings, in order.

    beside: the kinds of the report's numbered part headings, when it has
    some.  Next to numbered parts a plain line is more likely a sub-heading,
    so only a Word "标题 1" paragraph counts, or a line that reads as a whole
    like a listed heading of a part not yet there (其他需要说明的事项 without 五、).
    """
    numbered = {h.index for h in headings}
    candidates = _same_shape(_candidates(lines, body_start, numbered, vocab, year))
    if beside is not None:
        candidates = [c for c in candidates if c.styled or _new_listed_part(c.heading.text, vocab, beside)]
    return [c.heading for c in candidates if not _numbering_runs_across(c.heading.index, headings)]


def _new_listed_part(text: str, vocab: SectionVocabulary, beside: set[str]) -> bool:
    kind, _ = classify_part(text, vocab)
    similar, score = heading_similarity(text, vocab)
    return kind is not None and kind == similar and kind not in beside and score >= vocab.heading_threshold


TOPIC_STYLE = "topic"  # an unnumbered line heading a topic of the work done
_TOPIC_MIN, _TOPIC_MAX = 6, 30  # characters of a topic line: two short phrases (强化学法用法 提升依法履职能力)
_PARAGRAPH = 40  # a line this long, or ending a sentence, is text under a heading


def topic_lines(lines: list[Line], body_start: int, end: int, numbered: set[int]) -> list[Heading]:
    """Unnumbered topic headings before the first part heading: short lines of
    their own, no sentence marks, no list opening (一是), each over a paragraph.

    A township report may head its topics so (压实领导责任 法治建设统筹有力)
    and only the problems and plans with the listed part names.
    """
    out = []
    for i in range(body_start + 1, end):  # the opening paragraph is no topic
        text = lines[i].text
        following = lines[i + 1].text if i + 1 < len(lines) else ""
        if i in numbered or not _TOPIC_MIN <= len(text) <= _TOPIC_MAX or _SENTENCE_PUNCT.search(text) or text.endswith((":", "。")):
            continue
        if has_inline_items(text) or (len(following) < _PARAGRAPH and not following.endswith("。")):
            continue
        out.append(Heading(1, TOPIC_STYLE, None, "", text, i, lines[i].number, lines[i]))
    return out


def styled_subheadings(lines: list[Line], body_start: int, headings: list[Heading]) -> list[Heading]:
    """Word "标题 2"… paragraphs without a number: sub-headings by style alone."""
    numbered = {h.index for h in headings}
    out = []
    for i in range(body_start, len(lines)):
        line = lines[i]
        level = line.origin.heading
        if level is not None and level > 1 and i not in numbered and _shaped(line.text.rstrip(":")):
            out.append(Heading(level, "none", None, "", line.text.rstrip(":"), i, line.number, line))
    return out
