"""The fuzzy matcher: variants and slips in, unrelated words out."""

import pytest

from fazhi_audit.text.matching import PhraseMatcher, clause_of, required_similarity


@pytest.fixture(scope="module")
def matcher(auditor):
    return auditor.context.matcher


@pytest.mark.parametrize(
    "phrase,text",
    [
        ("专家论证", "对2项决策组织专家论正。"),
        ("风险评估", "开展风险平估2次。"),
        ("合法性审查", "经合法行审查后提交。"),
        ("公众参与", "严格落实公众参与程序。"),
    ],
)
def test_accepts_exact_and_one_char_slip(matcher, phrase, text):
    hit = matcher.find(phrase, text)
    assert hit is not None
    assert text[hit.start : hit.end] != "" and hit.similarity >= 75


@pytest.mark.parametrize(
    "phrase,text",
    [
        ("公众参与", "动员全民参与。"),
        ("专家论证", "举办专家论坛。"),
        ("亲自督办", "对重要任务亲自督促。"),
        ("集体讨论决定", "组织集体法治学习12次。"),
        ("执法全过程记录", "落实执法全过程纪录。"),
    ],
)
def test_rejects_unrelated_or_real_word_substitution(matcher, phrase, text):
    assert matcher.find(phrase, text) is None


def test_threshold_scales_with_length():
    assert required_similarity("专家论证", 85) < 75
    assert 83 < required_similarity("集体讨论决定", 85) < 84
    assert required_similarity("重大执法决定法制审核", 85) < 85.0 + 1e-9


def test_clause_of():
    text = "下一步,将严格落实合法性审查,加强监督。"
    assert clause_of(text, text.index("合法性"), text.index("合法性") + 5) == "将严格落实合法性审查"


def test_char_fallback_still_matches_exactly():
    from fazhi_audit.text.nlp import Segmenter

    seg = Segmenter(model_dir="/nonexistent-model-dir")
    assert seg.mode == "char" and seg.warning
    m = PhraseMatcher(seg)
    assert m.find("合法性审查", "开展合法性审查") is not None


def test_building_an_auditor_again_keeps_the_segmentation_cache(auditor):
    from fazhi_audit.text.nlp import get_segmenter

    seg = auditor.segmenter
    if seg.mode != "pkuseg":
        pytest.skip("no segmentation model")
    seg.tokens("依法行政考核评价")
    assert get_segmenter(tuple(auditor.ruleset.all_phrases())) is seg
    assert seg.tokens.cache_info().currsize > 0  # the same words: nothing to add, nothing to forget
    get_segmenter(("考核评价体系试点",))
    assert seg.tokens.cache_info().currsize == 0 and "考核评价体系试点" in seg.user_words
    assert "考核评价体系试点" in seg.tokens("开展考核评价体系试点工作")
