"""The sentence index only skips sentences where the matcher could not hit (text/phrase_index.py)."""

import gc
import re
from types import SimpleNamespace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fazhi_audit.text.matching import GAP, PhraseMatcher, clause_bounds, exact_grams, necessary_grams
from fazhi_audit.text.nlp import Segmenter
from fazhi_audit.text.phrase_index import SentenceGrams, grams_of

# Few characters, so phrases and their one-slip variants turn up often.
ALPHABET = "专家论证风险评估合法性审查公示,。"
texts = st.text(alphabet=ALPHABET, min_size=0, max_size=40)
phrases = st.one_of(
    st.sampled_from(["专家论证", "风险评估", "合法性审查", "公示", "审", "专家…论证", "风险…评…估", "论证家专"]),
    st.text(alphabet=ALPHABET[:-2], min_size=1, max_size=7),
)


def char_matcher() -> PhraseMatcher:
    # Character segmentation: the gate and the alignment are what the index must respect.
    return PhraseMatcher(Segmenter(model_dir="/nonexistent-model-dir"))


MATCHER = char_matcher()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(texts, min_size=1, max_size=6), phrases)
def test_every_sentence_with_a_hit_is_a_candidate(sentences, phrase):
    candidates = set(SentenceGrams(sentences).holding(*necessary_grams(phrase)))
    for i, text in enumerate(sentences):
        if MATCHER.find(phrase, text) is not None:
            assert i in candidates, (phrase, text)


@settings(max_examples=300, deadline=None)
@given(st.lists(texts, min_size=1, max_size=6), phrases)
def test_every_sentence_with_an_exact_hit_is_a_candidate(sentences, phrase):
    candidates = set(SentenceGrams(sentences).holding(exact_grams(phrase)))
    for i, text in enumerate(sentences):
        if MATCHER.find_exact(phrase, text) is not None:
            assert i in candidates, (phrase, text)


@settings(max_examples=300, deadline=None)
@given(st.lists(texts, min_size=1, max_size=6), st.frozensets(st.text(alphabet=ALPHABET, min_size=1, max_size=2), max_size=6), st.integers(0, 2))
def test_holding_is_the_sentences_missing_at_most_so_many_grams(sentences, grams, missing):
    index = SentenceGrams(sentences)
    if missing and any(len(g) != 2 for g in grams):
        grams = frozenset(g for g in grams if len(g) == 2)  # only pair grams may be missing (see necessary_grams)
    expected = [i for i, text in enumerate(sentences) if sum(g not in text for g in grams) <= missing]
    assert index.holding(grams, missing) == expected


def test_necessary_grams_of_gapped_and_short_phrases():
    assert necessary_grams("专家" + GAP + "论证") == (frozenset({"专家", "论证"}), 0)
    assert necessary_grams("公示") == (frozenset({"公示"}), 0)  # too short to match fuzzily
    grams, missing = necessary_grams("合法性审查")
    assert grams == frozenset({"合法", "法性", "性审", "审查"}) and missing == 2


_OLD_SPLIT = re.compile(r"[,:;。!?]")


@given(st.text(alphabet="ab,:;。!?，", max_size=30), st.data())
def test_clause_bounds_as_the_regex_scan(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    left = max((m.end() for m in _OLD_SPLIT.finditer(text, 0, start)), default=0)
    right = _OLD_SPLIT.search(text, end)
    assert clause_bounds(text, start, end) == (left, right.start() if right else len(text))


class _Doc:
    def __init__(self, *texts):
        self.sentences = [SimpleNamespace(text=t) for t in texts]


def test_one_index_per_document_freed_with_it():
    from fazhi_audit.text import phrase_index

    doc = _Doc("专家论证", "风险评估")
    assert grams_of(doc) is grams_of(doc)
    assert grams_of(_Doc("专家论证", "风险评估")) is not grams_of(doc)
    del doc
    gc.collect()
    assert phrase_index._LAST is None  # the index went with its document
