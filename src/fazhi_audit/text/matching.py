"""Fuzzy phrase matching over sentences, checked against word segmentation.

Character-level alignment (rapidfuzz) finds where a phrase sits in a
sentence and how similar it is.  An exact hit is accepted as is.  A fuzzy
hit is tolerated only as a *slip*: at most one character per phrase (the
threshold scales with phrase length), and only when the differing
characters do not form a different real word.  That second test is where
segmentation earns its keep: 专家论正 segments to 专家|论正 (not a word, a
typo of 论证) while 专家论坛 segments to 专家|论坛 (a word: a forum, not an
expert review).  Segmentation is done lazily, only for sentences with a
fuzzy candidate, because it is the expensive step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from fazhi_audit.text.nlp import Segmenter

_CLAUSE_SPLIT = re.compile(r"[,:;。!?]")
MIN_FUZZY_LEN = 4  # shorter phrases must match exactly
GAP = "…"  # in a phrase: up to MAX_GAP characters of the same clause
MAX_GAP = 16


@lru_cache(maxsize=1024)
def gap_pattern(phrase: str) -> re.Pattern[str]:
    """专家…论证: the words in order, at most MAX_GAP characters of one clause apart."""
    parts = [re.escape(p) for p in phrase.split(GAP)]
    return re.compile(f"[^,;:。!?]{{0,{MAX_GAP}}}?".join(parts))


def holds_phrase(text: str, phrase: str) -> bool:
    """The text holds the phrase; a gapped phrase (受…影响) within one clause."""
    return gap_pattern(phrase).search(text) is not None if GAP in phrase else phrase in text


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    similarity: float  # 0-100

    @property
    def exact(self) -> bool:
        return self.similarity >= 100.0


def required_similarity(phrase: str, threshold: float) -> float:
    """Allow one slipped character: 75 for 4 chars, 80 for 5, capped by threshold."""
    one_slip = 100.0 * (1 - 1 / len(phrase))
    return min(threshold, one_slip) - 1e-6


@lru_cache(maxsize=4096)
def _phrase_profile(phrase: str, threshold: float) -> tuple[float, tuple[str, ...], int]:
    """Per-phrase constants, computed once: the profiler showed them dominating."""
    bigrams = tuple({phrase[i : i + 2] for i in range(len(phrase) - 1)})
    return required_similarity(phrase, threshold), bigrams, max(1, len(bigrams) - 2)


def _pairs(part: str) -> frozenset[str]:
    """What text holding `part` must hold: its character pairs, or the one character."""
    return frozenset(part[i : i + 2] for i in range(len(part) - 1)) if len(part) > 1 else frozenset(part and {part})


@lru_cache(maxsize=8192)
def necessary_grams(phrase: str) -> tuple[frozenset[str], int]:
    """(grams, missing): `PhraseMatcher.find` can hit `phrase` only in a text
    holding all of `grams` but at most `missing` of them.  An exact or gapped
    hit holds them all; a fuzzy one passes the bigram gate in `find`, which
    lets at most len(bigrams) - gate be absent.  Used to skip, not to match."""
    if GAP in phrase:
        return frozenset().union(*(_pairs(part) for part in phrase.split(GAP))), 0
    if len(phrase) < MIN_FUZZY_LEN:
        return _pairs(phrase), 0
    _, bigrams, gate = _phrase_profile(phrase, 100.0)  # the gate does not depend on the threshold
    return frozenset(bigrams), len(bigrams) - gate


@lru_cache(maxsize=4096)
def exact_grams(phrase: str) -> frozenset[str]:
    """The grams a text holds wherever `find_exact` hits `phrase`: all of them."""
    return frozenset().union(*(_pairs(part) for part in phrase.split(GAP)))


_CLAUSE_MARKS = ",:;。!?"  # the characters of _CLAUSE_SPLIT


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """[left, right) of the comma-delimited clause holding text[start:end]."""
    # rfind per mark instead of scanning every clause before start: themes looked this up often.
    left = max(text.rfind(mark, 0, start) for mark in _CLAUSE_MARKS) + 1
    right = _CLAUSE_SPLIT.search(text, end)
    return left, right.start() if right else len(text)


def clause_of(text: str, start: int, end: int) -> str:
    """The comma-delimited clause holding text[start:end]."""
    left, right = clause_bounds(text, start, end)
    return text[left:right]


_LEAD_CLAUSE_ENDS = ("的", "前", "时")  # 拟作出吊销许可证决定的，/ 作出决定前，/ 现场检查时，
_LEAD_CLAUSE_OPENS = ("对",)  # 对拟作出的较大数额罚款等决定，作出前由法规股审核


def subject_span(text: str, start: int, end: int) -> str:
    """The clause of text[start:end], with the clause before it when that one
    leads in (拟作出较大数额罚款决定的，由法制员审核): the lead clause then
    names what the clause is about."""
    left, right = clause_bounds(text, start, end)
    if left >= 2 and text[left - 1] == ",":
        lead_left, _ = clause_bounds(text, left - 1, left - 1)
        lead = text[lead_left : left - 1]
        if lead.endswith(_LEAD_CLAUSE_ENDS) or lead.startswith(_LEAD_CLAUSE_OPENS):
            return text[lead_left:right]
    return text[left:right]


def _shared_prefix_only(phrase: str, text: str, start: int, end: int) -> bool:
    """Only the phrase's last character is missing or different, and the text
    goes on there with another character: a long shared prefix of another word
    (行政执法公信力 is not 行政执法公示), not a slip."""
    candidate = text[start:end]
    shared = next((i for i, (a, b) in enumerate(zip(phrase, candidate)) if a != b), min(len(phrase), len(candidate)))
    if shared < len(phrase) - 1 or len(candidate) > len(phrase):
        return False
    return end < len(text) and _is_han(text[end])  # 专家论正3次 is a slip; 公信力 goes on as a word


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


class PhraseMatcher:
    def __init__(self, segmenter: Segmenter, threshold: float = 85.0):
        self.segmenter = segmenter
        self.threshold = threshold

    def find_all(self, phrase: str, text: str, threshold: float | None = None):
        """Every non-overlapping hit of phrase in text, left to right."""
        pos = 0
        while pos < len(text):
            hit = self.find(phrase, text[pos:], threshold)
            if hit is None:
                return
            yield Hit(hit.start + pos, hit.end + pos, hit.similarity)
            pos += max(hit.end, 1)

    def find_exact(self, phrase: str, text: str) -> Hit | None:
        """phrase as written (gaps allowed), no slips: for statements a slip could negate."""
        if GAP in phrase:
            return self._find_gapped(phrase, text)
        pos = text.find(phrase)
        return Hit(pos, pos + len(phrase), 100.0) if pos >= 0 else None

    def find(self, phrase: str, text: str, threshold: float | None = None) -> Hit | None:
        if GAP in phrase:
            return self._find_gapped(phrase, text)
        pos = text.find(phrase)
        if pos >= 0:
            return Hit(pos, pos + len(phrase), 100.0)
        if len(phrase) < MIN_FUZZY_LEN or len(text) < len(phrase) - 1:
            return None
        required, bigrams, gate = _phrase_profile(phrase, threshold or self.threshold)
        # Cheap gate before alignment: a one-character slip keeps most bigrams.
        if sum(1 for bg in bigrams if bg in text) < gate:
            return None
        al = fuzz.partial_ratio_alignment(phrase, text, score_cutoff=required)
        if al is None:
            return None
        return self._confirm_slip(phrase, text, al.dest_start, al.dest_end, required)

    def _find_gapped(self, phrase: str, text: str) -> Hit | None:
        """专家…论证 matches 组织规划领域专家开展论证: words apart in one clause."""
        m = gap_pattern(phrase).search(text)
        return Hit(m.start(), m.end(), 100.0) if m else None

    def _confirm_slip(self, phrase: str, text: str, start: int, end: int, required: float) -> Hit | None:
        tokens = self.segmenter.tokens(text)
        spans, pos = [], 0
        for tok in tokens:
            at = text.find(tok, pos)
            if at < 0:
                continue
            spans.append((at, at + len(tok), tok))
            pos = at + len(tok)
        # Re-align on whole tokens near the character alignment: a phrase must
        # not match half a word, and equal character scores can sit one off.
        n = len(phrase)
        best: tuple[float, int, int] | None = None
        for i, (a, _, _) in enumerate(spans):
            if a < start - n or a > end:
                continue
            for _, b, _ in spans[i:]:
                if b - a > n + 2:
                    break
                if b - a >= n - 1:
                    score = fuzz.ratio(phrase, text[a:b])
                    if best is None or score > best[0]:
                        best = (score, a, b)
        if best is None or best[0] < required:
            # A slip can derail segmentation (经合法行审查 -> 经合|法行|审查):
            # fall back to the character alignment; the real-word test below
            # still rejects a substitution that forms another word.
            score = fuzz.ratio(phrase, text[start:end])
            if score < required:
                return None
            best = (score, start, end)
        score, s2, e2 = best
        if _CLAUSE_SPLIT.search(text, s2, e2):
            return None  # a slip never spans two clauses (执法公示 is not in ",执法公信力")
        if _shared_prefix_only(phrase, text, s2, e2):
            return None  # 行政执法公信力 is not 行政执法公示: a long shared prefix, then another word
        if any(a <= s2 and e2 <= b and b - a > e2 - s2 for a, b, _ in spans):
            return None  # half of a longer word: 法性审核 inside 合法性审核 is not 法制审核
        if self.segmenter.lexicon and self._differs_by_real_word(phrase, text[s2:e2], s2, spans):
            return None
        return Hit(s2, e2, round(score, 1))

    def _differs_by_real_word(self, phrase: str, candidate: str, offset: int, spans) -> bool:
        changed = {op.dest_pos for op in Levenshtein.editops(phrase, candidate) if op.tag != "delete"}
        for a, b, tok in spans:
            if len(tok) < 2 or tok in phrase:
                continue
            if any(a <= offset + p < b for p in changed) and self.segmenter.is_word(tok):
                return True
        return False
