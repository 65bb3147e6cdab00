"""The part vocabulary (rules/vocab/sections.yaml) and what a heading's words say."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from fazhi_audit.text.ingest.normalize import Line

SECTION_KINDS = ("achievements", "shortcomings", "first_responsible", "plans", "other", "extra")
PREAMBLE = "preamble"
SIGNATURE = "signature"  # the 落款 block at the end: part of no section
TITLE = "title"  # evidence may sit in the report's title
LABELLED = (*SECTION_KINDS, PREAMBLE, TITLE, SIGNATURE)  # what the vocabulary's `labels` table names


@dataclass
class SectionKind:
    name: str
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
    labels: dict[str, str] = field(default_factory=dict)  # kind -> its name in explanations and messages
    short_labels: dict[str, str] = field(default_factory=dict)  # kind -> its name where evidence is located
    # phrases naming the tasks of the 纲要 (from the theme map of outline.coverage):
    # a top-level heading that names one heads a part reporting work on it
    topics: tuple[str, ...] = ()

    def label(self, kind: str) -> str:
        return self.labels.get(kind, kind)

    def short_label(self, kind: str) -> str:
        return self.short_labels.get(kind, kind)


def clean_heading(text: str, vocab: SectionVocabulary) -> str:
    """A heading without its year and filler (2024年度 …的), as the vocabulary lists them."""
    for prefix in vocab.strip_prefixes:
        text = re.sub("^" + prefix, "", text)
    return text.strip(" ,:的")


def heading_similarity(text: str, vocab: SectionVocabulary) -> tuple[str | None, float]:
    """The kind whose listed heading is closest to the whole text, and how close (0-100)."""
    cleaned = clean_heading(text, vocab)
    best, score = None, 0.0
    for kind in vocab.kinds:
        for alias in kind.headings:
            s = fuzz.ratio(alias, cleaned)
            if s > score:
                best, score = kind.name, s
    return best, score


def classify_heading(text: str, vocab: SectionVocabulary) -> tuple[str | None, float]:
    """Kind and confidence (0-100) from a heading's words alone."""
    cleaned = clean_heading(text, vocab)
    for kind in sorted(vocab.kinds, key=lambda k: k.priority):
        if any(kw in cleaned for kw in kind.keywords):
            return kind.name, 100.0
    best, score = heading_similarity(text, vocab)
    if score >= vocab.heading_threshold:
        return best, score
    return None, score


_LEADING_YEAR = re.compile(r"^(20\d{2})\s*年")


def classify_part(text: str, vocab: SectionVocabulary, year: int | None = None) -> tuple[str | None, float]:
    """classify_heading, and a heading the words leave open but dated the
    year after the report's (2025年重点工作 in a 2024 report) is the plans part."""
    kind, score = classify_heading(text, vocab)
    if kind is None and year is not None:
        m = _LEADING_YEAR.match(text)
        if m and int(m.group(1)) == year + 1:
            return "plans", 100.0
    return kind, score


_JOINED = re.compile(r"以及|和|及|与|暨")
_JOINABLE = {"achievements", "shortcomings", "first_responsible", "plans", "other"}


def combined_kinds(text: str, vocab: SectionVocabulary) -> tuple[str, ...]:
    """The kinds a heading joins, in order: 存在的问题和下一步打算 -> shortcomings, plans."""
    kinds: list[str] = []
    for piece in _JOINED.split(clean_heading(text, vocab)):
        kind, _ = classify_heading(piece, vocab) if piece else (None, 0)
        if kind in _JOINABLE and kind not in kinds:
            kinds.append(kind)
    return tuple(kinds) if len(kinds) >= 2 else ()


def names_topic(text: str, vocab: SectionVocabulary) -> bool:
    """The heading names a task of the 纲要 (a phrase of the outline's theme map)."""
    cleaned = clean_heading(text, vocab)
    return any(t in cleaned for t in vocab.topics)


# 办理…件, 开展…场, 培训…人次: a figure with its unit is work reported as done
_QUANTITY = re.compile(r"\d+(?:\.\d+)?\s*(?:件|次|场|个|项|人|家|期|份|名|篇|条|户|起|批|万|余)")
_MIN_QUANTITIES = 2
_DOCUMENT_NAME = re.compile(r"《[^《》]*》")


def reports_work_done(lines: list[Line], vocab: SectionVocabulary, tie: bool = False) -> bool:
    """A part that states what was done, with figures, more than what will be done:
    two figures, or one on a task of the 纲要 (作出重大事项决策2项).  tie: as much
    done as planned will do (a narrative of work done says 持续推进 too)."""
    body = _DOCUMENT_NAME.sub("", "".join(line.text for line in lines))  # 《……工作计划》 names a document, plans nothing
    cues = {k.name: sum(body.count(c) for c in k.content_cues) for k in vocab.kinds}
    done, planned = cues.get("achievements", 0), cues.get("plans", 0)
    if done < planned or (done == planned and not tie):
        return False
    figures = len(_QUANTITY.findall(body))
    return figures >= _MIN_QUANTITIES or (figures >= 1 and any(t in body for t in vocab.topics))


def has_cues(lines: list[Line], kind: str, vocab: SectionVocabulary) -> bool:
    """The body holds a content cue of this kind (有待, 不够 for problems; 下一步, 力争 for plans)."""
    body = "".join(line.text for line in lines)
    return any(c in body for k in vocab.kinds if k.name == kind for c in k.content_cues)


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
