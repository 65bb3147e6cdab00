"""Every rule's own examples, and the rule-file invariants."""

import pytest

from fazhi_audit.api import default_rules_dir
from fazhi_audit.rules.loader import load_ruleset
from fazhi_audit.testing import check_example

RULESET = load_ruleset(default_rules_dir())
CASES = [(r, i, ex) for r in RULESET.rules for i, ex in enumerate(r.examples)]


@pytest.mark.parametrize("rule,index,example", CASES, ids=[f"{r.id}#{i}" for r, i, _ in CASES])
def test_rule_example(auditor, rule, index, example):
    outcome = check_example(auditor, rule, example)
    assert outcome.ok, outcome.problem


@pytest.mark.parametrize("rule", RULESET.rules, ids=[r.id for r in RULESET.rules])
def test_rule_has_passing_and_failing_example(rule):
    statuses = {ex.status for ex in rule.examples}
    has_negative = "fail" in statuses or "partial" in statuses or any(ex.not_found for ex in rule.examples)
    has_positive = "pass" in statuses or any(ex.found for ex in rule.examples)
    assert has_negative and has_positive
    assert rule.basis and all(b.doc for b in rule.basis)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in rule.message)


def test_fuzzy_rules_have_near_miss_examples():
    for rule in RULESET.rules:
        if rule.type == "required-items" and len(rule.items) > 1 and not rule.min_found:
            assert any(ex.not_found for ex in rule.examples), rule.id


def test_required_rules_shipped():
    ids = {r.id for r in RULESET.rules}
    for rid in ["structure.required-sections", "structure.section-order", "structure.causes", "structure.numbering", "decision.five-step", "enforcement.three-systems", "duty.four-personally"]:
        assert rid in ids
    names = {r.id: [i.name for i in r.items] for r in RULESET.rules}
    assert names["decision.five-step"] == ["公众参与", "专家论证", "风险评估", "合法性审查", "集体讨论决定"]
    assert names["enforcement.three-systems"] == ["行政执法公示", "执法全过程记录", "重大执法决定法制审核"]
    assert names["duty.four-personally"] == ["亲自部署", "亲自过问", "亲自协调", "亲自督办"]
