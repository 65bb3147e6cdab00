"""Split a report into its top-level parts and say which of the five each is."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from ..ingest.normalize import Line
from .headings import Heading, find_headings

SECTION_KINDS = ("achievements", "shortcomings", "first_responsible", "plans", "other", "extra")
PREAMBLE = "preamble"


@dataclass
class SectionKind:
    name: str
    label: str
    priority: int
    keywords: list[str]
    headings: list[str]
    content_cues: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)  # words that show the part's content inside another part


@dataclass
class SectionVocabulary:
    kinds: list[SectionKind]
    canonical_order: list[str]
    strip_prefixes: list[str]
    heading_threshold: float = 82.0

    def label(self, kind: str) -> str:
        for k in self.kinds:
            if k.name == kind:
                return k.label
        return {"extra": "其他部分", PREAMBLE: "导语"}.get(kind, kind)


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


def _clean(text: str, vocab: SectionVocabulary) -> str:
    for prefix in vocab.strip_prefixes:
        text = re.sub("^" + prefix, "", text)
    return text.strip(" ,:的")


def classify_heading(text: str, vocab: SectionVocabulary) -> tuple[str | None, float]:
    """Kind and confidence (0-100) from a heading's words alone."""
    cleaned = _clean(text, vocab)
    for kind in sorted(vocab.kinds, key=lambda k: k.priority):
        if any(kw in cleaned for kw in kind.keywords):
            return kind.name, 100.0
    best, score = None, 0.0
    for kind in vocab.kinds:
        for alias in kind.headings:
            s = fuzz.ratio(alias, cleaned)
            if s > score:
                best, score = kind.name, s
    if score >= vocab.heading_threshold:
        return best, score
    return None, score


def classify_content(lines: list[Line], vocab: SectionVocabulary) -> str | None:
    """Fallback for an unclear heading: which kind's cue words dominate the body."""
    body = "".join(line.text for line in lines)
    counts = {k.name: sum(body.count(c) for c in k.content_cues) for k in vocab.kinds if k.content_cues}
    if not counts:
        return None
    ranked = sorted(counts.items(), key=lambda kv: kv[1], reverse=True)
    top, n = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    if n >= 3 and n >= 2 * max(runner_up, 1):
        return top
    return None


def _unnumbered_part_heading(line: Line, index: int, vocab: SectionVocabulary) -> Heading | None:
    """A short line that reads exactly like a part heading, e.g. 存在的问题."""
    text = line.text.rstrip(":。")
    if len(text) > 30 or re.search(r"[,;。]", text):
        return None
    kind, score = classify_heading(text, vocab)
    cleaned = _clean(text, vocab)
    if kind and any(fuzz.ratio(a, cleaned) >= 90 for k in vocab.kinds if k.name == kind for a in k.headings):
        return Heading(1, "none", None, "", text, index, line.number, line)
    return None


def build_outline(lines: list[Line], body_start: int, vocab: SectionVocabulary) -> tuple[list[Section], list[Heading]]:
    headings = find_headings(lines, body_start)
    tops = [h for h in headings if h.level == 1]
    if not tops:
        tops = [h for i in range(body_start, len(lines)) if (h := _unnumbered_part_heading(lines[i], i, vocab))]
    sections: list[Section] = []
    if tops and tops[0].index > body_start:
        sections.append(Section(PREAMBLE, None, body_start, tops[0].index, "default"))
    for n, h in enumerate(tops):
        end = tops[n + 1].index if n + 1 < len(tops) else len(lines)
        kind, _ = classify_heading(h.text, vocab)
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
