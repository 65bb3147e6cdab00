"""Which sentences of a document can hold a phrase at all, from one pass over the text.

The profile of a warm batch showed phrase matching in required-items taking
most of the time, nearly all of it in calls that found nothing: every phrase
of every item was tried on every sentence (about 2,700 calls a report).  A
phrase can only stand in a sentence, exactly or with one slip, when the
sentence holds enough of the phrase's character pairs; `PhraseMatcher`
says how many (`necessary_grams`).  This index records, in one pass over
the sentences, which sentences hold each character pair, so the matcher is
called only on sentences that pass that test.  It is a necessary condition,
never a sufficient one: the verdicts are those of the full scan.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Sequence


def _pairs_of(text: str) -> set[str]:
    return {text[j : j + 2] for j in range(len(text) - 1)}


class SentenceGrams:
    def __init__(self, texts: Sequence[str]):
        self.size = len(texts)
        self._texts = texts
        # Only the pairs some rule asks about are kept per sentence: all pairs of a
        # 1 MB report took some 35 MB.  index() adds pairs asked about later.
        self._sets = [_pairs_of(text) & WANTED for text in texts]
        self._pairs: dict[str, list[int]] = {}  # pair -> sentences holding it, for the pairs asked about
        self._chars: dict[str, list[int]] = {}  # single characters, for one-character phrases
        self._known: set[str] = set()  # grams indexed so far
        self._memo: dict[tuple[frozenset[str], int], list[int]] = {}
        self._covered = frozenset(WANTED)  # pairs whose presence _sets already records
        self.index(WANTED)

    def index(self, grams: Iterable[str]) -> None:
        """Record where these grams stand, in one pass for all of them (a rule asks for its phrases' at once)."""
        grams = set(grams) - self._known
        if not grams:
            return
        self._known |= grams
        pairs = {g for g in grams if len(g) == 2}
        if pairs:
            for g in pairs:
                self._pairs[g] = []
            for i, text in enumerate(self._texts):
                held = self._sets[i] & pairs if pairs <= self._covered else _pairs_of(text) & pairs
                if held:
                    self._sets[i] |= held  # _sets[i] stays: the sentence's pairs among those indexed
                    for g in held:
                        self._pairs[g].append(i)
        for g in grams:
            if len(g) == 1:
                self._chars[g] = [i for i, text in enumerate(self._texts) if g in text]

    def _postings(self, gram: str) -> list[int]:
        return self._pairs[gram] if len(gram) == 2 else self._chars[gram]

    def holding(self, grams: frozenset[str], missing: int = 0) -> list[int]:
        """Indices, in order, of the sentences holding all but at most `missing` of `grams`."""
        key = (grams, missing)
        if key not in self._memo:
            self._memo[key] = self._holding(grams, missing)
        return self._memo[key]

    def _holding(self, grams: frozenset[str], missing: int) -> list[int]:
        need = len(grams) - missing
        if need <= 0:
            return list(range(self.size))
        if not grams <= self._known:
            self.index(grams)
        rarest = sorted(grams, key=lambda g: len(self._postings(g)))
        if missing == 0:
            common = set(self._postings(rarest[0]))
            for g in rarest[1:]:
                common.intersection_update(self._postings(g))
                if not common:
                    return []
            return sorted(common)
        # A sentence missing at most `missing` grams holds one of any missing+1 of them:
        # the rarest few give the few sentences worth counting.
        seen = set().union(*(self._postings(g) for g in rarest[: missing + 1]))
        return sorted(i for i in seen if len(grams & self._sets[i]) >= need)  # grams are all pairs here


WANTED: set[str] = set()  # grams of every rule seen in this process: indexed in one pass per document


def want(grams: frozenset[str]) -> None:
    """Have every later index record these grams in its first pass."""
    if not grams <= WANTED:
        WANTED.update(grams)


_LAST: tuple[weakref.ref, SentenceGrams] | None = None


def grams_of(doc) -> SentenceGrams:
    """The index of a document's sentences, built once however many rules ask for it.

    Held through a weak reference to the document, so a finished document and
    its index are freed together (a batch never holds two large documents)."""
    global _LAST
    last = _LAST
    if last is not None and last[0]() is doc:
        return last[1]
    index = SentenceGrams([s.text for s in doc.sentences])
    _LAST = (weakref.ref(doc, _forget), index)
    return index


def _forget(ref: weakref.ref) -> None:
    global _LAST
    if _LAST is not None and _LAST[0] is ref:
        _LAST = None
