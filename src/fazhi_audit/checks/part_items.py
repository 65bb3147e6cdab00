"""A part of a report split into its items: what the plans promise, what the shortcomings name.

Reports list their plans and problems in three ways, tried in this order:
numbered sub-headings inside the part ((一) … / 1. …), each with the text
below it; inline items (一是…；二是…); or, failing both, one item per
sentence.  Text before the first item (an introduction) belongs to no item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fazhi_audit.text import enumeration
from fazhi_audit.text.document import Document, Sentence
from fazhi_audit.text.structure.headings import Heading

# 一是 opening a sentence, or after the colon or 在于 that introduces a list ("主要表现在：一是…").
INLINE_START = enumeration.SENTENCE_START
_CLAUSE_END = re.compile(r"[,;:。!?]")


@dataclass(frozen=True)
class PartItem:
    sentences: tuple[Sentence, ...]  # the sentence that opens the item first
    heading: Heading | None = None  # its sub-heading, when the part numbers its items

    @property
    def first(self) -> Sentence:
        return self.sentences[0]

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.sentences)

    @property
    def title(self) -> str:
        """What the item is about: its sub-heading, else the first clause of its first sentence."""
        if self.heading is not None and self.heading.text:
            return self.heading.text
        return first_clause(self.first.text)


def first_clause(text: str) -> str:
    text = INLINE_START.sub("", text)
    m = _CLAUSE_END.search(text)
    return (text[: m.start()] if m else text).strip()


def starts_inline_item(sentence: Sentence) -> bool:
    return bool(INLINE_START.match(sentence.text))


def part_sentences(doc: Document, kind: str) -> list[Sentence]:
    """The body sentences of every part of this kind (the part's own heading left out)."""
    out = []
    for si, section in enumerate(doc.sections):
        if not section.holds(kind):
            continue
        head = section.heading
        for s in doc.sentences:
            if s.section != si or s.kind != kind:  # a joint part's problems and plans are told apart by sentence
                continue
            if head is not None and s.index == head.index and s.start == 0 and s.text.startswith(head.marker + head.text[:4]):
                continue  # the part's heading ("四、2025年工作安排")
            out.append(s)
    return out


def sub_headings(doc: Document, kind: str) -> list[Heading]:
    """The top level of numbered headings inside the parts of this kind."""
    inside = []
    for section in doc.sections:
        if section.holds(kind):
            inside.extend(h for h in doc.headings if section.start <= h.index < section.end and h.level > 1 and section.kind_at(h.index) == kind)
    if not inside:
        return []
    top = min(h.level for h in inside)
    return [h for h in inside if h.level == top]


def split_items(doc: Document, kind: str) -> tuple[list[PartItem], str]:
    """The items of the part and how they were told apart: heading | inline | sentence | none."""
    sentences = part_sentences(doc, kind)
    if not sentences:
        return [], "none"
    heads = sub_headings(doc, kind)
    if len(heads) >= 2:
        by_line = {h.index: h for h in heads}
        items: list[list[Sentence]] = []
        owners: list[Heading] = []
        for s in sentences:
            h = by_line.get(s.index)
            if h is not None and s.start == 0 and (not owners or owners[-1] is not h):
                items.append([])
                owners.append(h)
            if items:
                items[-1].append(s)
        return [PartItem(tuple(group), head) for group, head in zip(items, owners)], "heading"
    starts = [i for i, s in enumerate(sentences) if starts_inline_item(s)]
    if len(starts) >= 2:
        bounds = [*starts, len(sentences)]
        return [PartItem(tuple(sentences[a:b])) for a, b in zip(bounds, bounds[1:])], "inline"
    return [PartItem((s,)) for s in sentences], "sentence"
